# This file is part of Aishang Property. See the LICENSE file at the top level
# of this repository for full copyright notices and license terms.
"""Deterministic demo data: one company, two communities, ~850 resources.

populate(pool) runs inside an open transaction as root on a database where
aishang_property is activated. Every value comes from random.Random(SEED), so
two runs give the same data. Records are created with batched create() calls.
"""
import datetime as dt
import random
from collections import namedtuple
from dataclasses import dataclass, field
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from trytond.tools import grouped_slice

from aishang.demo_billing import populate_billing
from aishang.demo_helpdesk import HELPDESK_LOGINS, populate_helpdesk

SEED = 20240601
BATCH = 250
CENT = Decimal('0.01')

COMPANY_NAME = '爱尚物业服务有限公司'
COMPANY_STREET = '杭州市西湖区文三路 477 号华星科技大厦 12 层'

# Tryton refuses passwords shorter than [password] length (8 by default) and
# passwords equal to the login or name, so 'admin'/'admin' cannot be used.
# Created by populate (aishang_property)
PROPERTY_LOGINS = [
    ('admin', 'admin123', '系统管理员（全部项目）'),
    ('manager', 'manager123', '翠湖花园物业管理'),
    ('viewer', 'viewer123', '金桂苑只读查看'),
    ]
# Created by populate_cashier (aishang.demo_cashier.USERS)
CASHIER_LOGINS = [
    ('cashier', 'cashier123', '收银员：收款、打印收据、申请作废'),
    ('supervisor', 'supervisor123', '客服主管：一级审核'),
    ('finance', 'finance123', '财务经理：二级审核（100 元以上）'),
    ]
# HELPDESK_LOGINS: created by populate_helpdesk (aishang.demo_helpdesk)
DEMO_LOGINS = PROPERTY_LOGINS + CASHIER_LOGINS + HELPDESK_LOGINS

PROJECTS = [
    # code, name, address, area basis, site area, service phone
    ('CH', '翠湖花园', '杭州市西湖区紫荆花路 188 号', 'building',
        Decimal('86500.00'), '0571-8796 1188'),
    ('JG', '金桂苑', '杭州市余杭区文一西路 1288 号', 'inner',
        Decimal('64200.00'), '0571-8861 2266'),
    ]

# Floor plans by homes per floor: (layout, building area, orientation).
PLANS = {
    'high_2': [('三室两厅', '126.30', '南北通透'), ('两室两厅', '89.50', '朝南')],
    'high_3': [('三室两厅', '118.60', '南北通透'), ('两室一厅', '78.90', '朝南'),
        ('四室两厅', '143.80', '南北通透')],
    'high_4': [('两室两厅', '89.50', '东南'), ('三室两厅', '106.20', '朝南'),
        ('三室两厅', '106.20', '朝南'), ('两室两厅', '88.70', '西南')],
    'mid_2': [('三室两厅', '112.40', '南北通透'), ('两室两厅', '92.60', '南北通透')],
    'multi_2': [('三室一厅', '102.40', '南北通透'), ('两室一厅', '76.80', '南北通透')],
    'multi_2b': [('三室两厅', '121.50', '南北通透'), ('三室一厅', '98.30', '南北通透')],
    }
PENTHOUSE = ('五室三厅（跃层）', Decimal('1.65'))

Spec = namedtuple('Spec', [
        'project', 'code', 'structure', 'floors', 'units', 'plan',
        'inner_ratio', 'handover', 'storage_rooms'])
# handover: the day the developer handed the building over to the owners
BUILDINGS = [Spec(*b[:7], dt.date.fromisoformat(b[7]), b[8]) for b in [
    ('CH', '1', 'high_rise', 18, 2, 'high_2', '0.79', '2019-06-28', 12),
    ('CH', '2', 'high_rise', 18, 2, 'high_2', '0.79', '2019-06-28', 12),
    ('CH', '3', 'mid_rise', 11, 2, 'mid_2', '0.81', '2019-06-28', 8),
    ('CH', '5', 'multi_storey', 6, 3, 'multi_2', '0.82', '2020-12-26', 10),
    ('CH', '6', 'multi_storey', 6, 3, 'multi_2b', '0.82', '2020-12-26', 10),
    ('CH', '7', 'multi_storey', 6, 2, 'multi_2', '0.80', '2020-12-26', 0),
    ('JG', '1', 'multi_storey', 6, 3, 'multi_2b', '0.81', '2022-09-30', 10),
    ('JG', '2', 'multi_storey', 6, 3, 'multi_2', '0.81', '2022-09-30', 10),
    ('JG', '3', 'multi_storey', 5, 2, 'multi_2', '0.82', '2022-09-30', 0),
    ('JG', '5', 'high_rise', 24, 1, 'high_3', '0.78', '2024-03-28', 8),
    ('JG', '6', 'high_rise', 17, 1, 'high_4', '0.78', '2024-03-28', 8),
    ('JG', '7', 'mid_rise', 11, 2, 'mid_2', '0.80', '2024-03-28', 6),
    ]]
LAST_HANDOVER = dt.date(2024, 12, 31)
# Leases start in this window and all run at least until LEASES_IN_FORCE
LEASES_FROM, LEASES_TO = dt.date(2025, 1, 1), dt.date(2026, 10, 31)
LEASES_IN_FORCE = dt.date(2027, 1, 1)

# project: street shops, underground parking spaces, surface parking spaces
COMMERCE = {'CH': (18, 70, 12), 'JG': (14, 50, 10)}
BUSINESS_SCOPES = [
    '便利店', '餐饮', '美容美发', '药店', '生鲜果蔬', '洗衣店', '房产中介',
    '培训教育', '快递驿站', '烘焙甜品', '宠物店', '五金建材', '茶叶店', '口腔诊所',
    ]
GATES = ['东门', '南门', '西门', '北门']

FAMILY_NAMES = (
    '王李张刘陈杨黄赵吴周徐孙马朱胡郭何林高罗郑梁谢宋唐许韩冯邓曹彭曾肖田董'
    '潘袁蔡蒋余于杜叶程魏苏吕丁沈任姚卢钟姜崔谭陆范汪廖石金韦贾夏方邹熊白'
    '孟秦邱侯江尹薛段雷龙黎史陶贺毛郝顾龚邵万钱严赖洪武莫孔')
# Given names by gender and generation (born before 1970, 1970-1989, later).
GIVEN_NAMES = {
    'male': {
        'old': '建国 国强 建华 志刚 德明 永福 卫东 国平 宝林 振华 金根 福生'
            ' 庆丰 树林 文斌 长春'.split(),
        'mid': '伟 强 磊 军 勇 杰 涛 斌 超 刚 辉 鹏 志强 海波 晓东 建军 俊'
            ' 文杰 立新 国栋 剑 峰'.split(),
        'young': '子轩 浩然 宇航 梓豪 俊杰 一鸣 思远 晨阳 博文 天佑 睿 昊'
            ' 宇轩 皓轩 嘉诚 泽宇'.split(),
        },
    'female': {
        'old': '秀英 桂英 淑珍 玉兰 秀兰 凤英 丽华 美华 素芬 月娥 爱华 玉珍'
            ' 彩霞 金凤'.split(),
        'mid': '芳 娜 静 敏 丽 艳 婷 雪 琳 洁 晓燕 丽娟 海燕 红梅 慧 颖'
            ' 佳 晶 倩 莉'.split(),
        'young': '欣怡 梓涵 诗涵 一诺 雨萱 子涵 思琪 可馨 佳怡 梦瑶 若汐'
            ' 语桐 心怡 雨桐'.split(),
        },
    }
# Resident ID region codes: mostly Zhejiang, some from other provinces.
REGIONS = [
    '330106', '330106', '330110', '330110', '330102', '330105', '330108',
    '330109', '330203', '330302', '330402', '330502', '330602', '330702',
    '340104', '320106', '360102', '410105', '430104', '510107', '420106',
    '370102', '350102', '110105', '310115',
    ]
PHONE_PREFIXES = [
    '130', '131', '132', '133', '135', '136', '137', '138', '139', '150',
    '151', '152', '153', '155', '156', '157', '158', '159', '166', '173',
    '175', '176', '177', '178', '180', '181', '182', '183', '185', '186',
    '187', '188', '189', '191', '193', '195', '198', '199',
    ]
HANGZHOU_ADDRESSES = [
    ('西湖区', '文三路'), ('西湖区', '教工路'), ('西湖区', '天目山路'),
    ('拱墅区', '莫干山路'), ('上城区', '延安路'), ('上城区', '庆春路'),
    ('上城区', '解放路'), ('拱墅区', '湖墅南路'), ('西湖区', '古墩路'),
    ('余杭区', '文一西路'), ('滨江区', '江南大道'), ('滨江区', '滨盛路'),
    ('萧山区', '金城路'), ('临平区', '临平大道'), ('上城区', '钱江路'),
    ]
EMPLOYERS = [
    '杭州市第一人民医院', '浙江大学', '杭州云帆网络科技有限公司',
    '浙江恒信会计师事务所', '杭州市西湖区教育局', '国网杭州供电公司',
    '杭州地铁集团有限公司', '浙江南湖律师事务所', '杭州启明软件有限公司',
    '中国银行杭州分行', '个体经营', '已退休',
    ]
LETTERS = 'ABCDEFGHJKLMNPQRSTUVWXYZ'

CUSTOM_FIELDS = [
    # target, name, label, type, selection
    ('resource', 'decoration', '装修情况', 'selection',
        'rough: 毛坯\nsimple: 简装\nfine: 精装'),
    ('resource', 'pet_registered', '宠物登记', 'boolean', None),
    ('resource', 'access_cards', '门禁卡数量', 'integer', None),
    ('party', 'emergency_contact', '紧急联系人', 'char', None),
    ('party', 'employer', '工作单位', 'char', None),
    ]

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = '10X98765432'


def resident_id_check_digit(first17):
    "Return the GB 11643 check character of the first 17 digits"
    return _ID_CHECK[
        sum(int(d) * w for d, w in zip(first17, _ID_WEIGHTS)) % 11]


def populate(pool):
    "Create the demo data unless the demo company exists; return the company"
    Company = pool.get('company.company')
    companies = Company.search([('party.name', '=', COMPANY_NAME)], limit=1)
    if companies:
        return _populate_billing(pool, companies[0])
    rng = random.Random(SEED)
    company = _create_company(pool)
    projects = _create_projects(pool, company)
    _create_custom_fields(pool)
    buildings, units = _create_buildings(pool, projects)
    demo = _Demo(rng, _People(rng))
    _plan_residences(demo, projects, buildings, units)
    _plan_storage_rooms(demo, projects, buildings)
    _plan_shops(demo, projects)
    _plan_parking(demo, projects)
    _plan_ad_spaces(demo, projects, buildings, units)
    _save(pool, demo)
    _create_verifications(pool, demo, company)
    _create_users(pool, company, projects)
    return _populate_billing(pool, company)


def populate_cashier(pool):
    """Add the cashier demo when aishang_cashier is activated.

    Run after populate(pool) has been committed, in its own transaction.
    """
    try:
        pool.get('property.receipt')
    except KeyError:
        return
    Company = pool.get('company.company')
    companies = Company.search([('party.name', '=', COMPANY_NAME)], limit=1)
    if companies:
        from aishang.demo_cashier import populate_cashier as populate
        populate(pool, companies[0])


def populate_payment(pool):
    "Add the sandbox payment channel when aishang_payment is activated"
    try:
        pool.get('property.payment.channel')
    except KeyError:
        return
    Company = pool.get('company.company')
    companies = Company.search([('party.name', '=', COMPANY_NAME)], limit=1)
    if companies:
        from aishang.demo_payment import populate_payment as populate
        populate(pool, companies[0])


# What `aishang demo` runs after populate, each in its own transaction
LATER_STEPS = [populate_cashier, populate_payment, populate_helpdesk]


def _populate_billing(pool, company):
    "Add the billing demo when aishang_billing is activated; return company"
    try:
        pool.get('property.fee_item')
    except KeyError:
        return company
    populate_billing(pool, company)
    return company


def _money(amount):
    return Decimal(amount).quantize(CENT)


def _create(Model, values):
    records = []
    for sub in grouped_slice(values, BATCH):
        records.extend(Model.create(list(sub)))
    return records


def _zh_cn(pool):
    "Return the id of zh_CN if its translations are loaded"
    Lang = pool.get('ir.lang')
    langs = Lang.search([
            ('code', '=', 'zh_CN'),
            ('translatable', '=', True),
            ], limit=1)
    return langs[0].id if langs else None


# Company, projects, buildings, custom fields

def _create_company(pool):
    Currency = pool.get('currency.currency')
    Party = pool.get('party.party')
    Company = pool.get('company.company')
    User = pool.get('res.user')

    currency = Currency.search([('code', '=', 'CNY')], limit=1)
    if currency:
        currency, = currency
    else:
        currency, = Currency.create([{
                    'name': '人民币', 'code': 'CNY', 'numeric_code': '156',
                    'symbol': '¥', 'rounding': CENT, 'digits': 2,
                    }])
    party, = Party.create([{
                'name': COMPANY_NAME,
                'addresses': [('create', [{
                                'street_unstructured': COMPANY_STREET,
                                'city': '杭州市', 'postal_code': '310012',
                                }])],
                'contact_mechanisms': [('create', [{
                                'type': 'phone', 'value': '0571-8888 6601',
                                }])],
                }])
    company, = Company.create([{
                'party': party.id, 'currency': currency.id,
                'timezone': 'Asia/Shanghai',
                }])
    admin, = User.search([('login', '=', 'admin')], limit=1)
    values = {
        'companies': [('add', [company.id])],
        'company': company.id,
        'password': DEMO_LOGINS[0][1],
        }
    if lang := _zh_cn(pool):
        values['language'] = lang
    User.write([admin], values)
    return company


def _create_projects(pool, company):
    Project = pool.get('property.project')
    projects = Project.create([{
                'company': company.id, 'code': code, 'name': name,
                'address': address, 'city': '杭州市', 'area_basis': basis,
                'total_area': area, 'phone': phone,
                } for code, name, address, basis, area, phone in PROJECTS])
    return {p.code: p for p in projects}


def _create_custom_fields(pool):
    CustomField = pool.get('property.custom_field')
    CustomField.create([{
                'target': target, 'name': name, 'string': string,
                'type_': type_, 'selection': selection,
                } for target, name, string, type_, selection
            in CUSTOM_FIELDS])


def _create_buildings(pool, projects):
    "Return buildings by (project code, code) and units by (…, unit code)"
    Building = pool.get('property.building')
    buildings = Building.create([{
                'project': projects[spec.project].id,
                'code': spec.code,
                'name': f'{spec.code}幢',
                'structure': spec.structure,
                'floors': spec.floors,
                'underground_floors': (
                    2 if spec.structure == 'high_rise' else 1),
                'completion_date': spec.handover - dt.timedelta(days=75),
                'units': [('create', [{
                                'code': str(u), 'name': f'{u}单元',
                                } for u in range(1, spec.units + 1)])],
                } for spec in BUILDINGS])
    by_code = {(b.project.code, b.code): b for b in buildings}
    units = {(b.project.code, b.code, u.code): u
        for b in buildings for u in b.units}
    return by_code, units


# People

class _People:
    "Deterministic persons with unique mobile phones and resident IDs"

    def __init__(self, rng):
        self.rng = rng
        self._phones = set()
        self._id_numbers = set()

    def phone(self):
        while True:
            phone = (self.rng.choice(PHONE_PREFIXES)
                + f'{self.rng.randrange(10 ** 8):08d}')
            if phone not in self._phones:
                self._phones.add(phone)
                return phone

    def resident_id(self, birth_date, gender):
        while True:
            # The 17th digit is odd for men and even for women
            sequence = self.rng.randrange(50) * 2 + (gender == 'male')
            order = f'{self.rng.randrange(10)}{sequence:02d}'
            first17 = (self.rng.choice(REGIONS)
                + birth_date.strftime('%Y%m%d') + order)
            id_number = first17 + resident_id_check_digit(first17)
            if id_number not in self._id_numbers:
                self._id_numbers.add(id_number)
                return id_number

    def person(self, gender=None, born=(1955, 1995), family_name=None):
        rng = self.rng
        gender = gender or rng.choice(['male', 'female'])
        birth_date = dt.date(rng.randint(*born), 1, 1) + dt.timedelta(
            days=rng.randrange(365))
        era = ('old' if birth_date.year < 1970
            else 'mid' if birth_date.year < 1990 else 'young')
        family_name = family_name or rng.choices(
            FAMILY_NAMES, weights=range(len(FAMILY_NAMES), 0, -1))[0]
        return {
            'name': family_name + rng.choice(GIVEN_NAMES[gender][era]),
            'gender': gender,
            'birth_date': birth_date,
            'id_number': self.resident_id(birth_date, gender),
            }

    def spouse_of(self, person):
        year = person['birth_date'].year
        gender = 'female' if person['gender'] == 'male' else 'male'
        return self.person(gender, (year - 4, min(year + 4, 1998)))

    def child_of(self, person):
        year = person['birth_date'].year
        father = person['name'][0] if person['gender'] == 'male' else None
        return self.person(
            None, (min(year + 24, 2020), min(year + 36, 2022)), father)

    def parent_of(self, person):
        year = person['birth_date'].year
        return self.person(None, (year - 34, year - 24),
            person['name'][0] if self.rng.random() < 0.5 else None)

    def hangzhou_address(self):
        district, street = self.rng.choice(HANGZHOU_ADDRESSES)
        return f'杭州市{district}{street} {self.rng.randint(1, 999)} 号'


# The plan: resources, parties, ownerships and occupants as values, so that
# each model is created with one batched call.

@dataclass
class _Demo:
    rng: random.Random
    people: _People
    resources: list = field(default_factory=list)
    parties: list = field(default_factory=list)
    ownerships: list = field(default_factory=list)   # (resource, party, …)
    occupants: list = field(default_factory=list)    # (resource, party, …)
    # indexes of the sold homes by project code and by (project, building)
    homes: dict = field(default_factory=dict)
    primary_owners: dict = field(default_factory=dict)  # resource: party
    party_records: list = field(default_factory=list)

    def add_resource(self, values):
        self.resources.append(values)
        return len(self.resources) - 1

    def add_party(self, person, owner=False, address=None, phone=True):
        values = {
            'name': person['name'],
            'gender': person['gender'],
            'id_type': 'resident_id',
            'id_number': person['id_number'],
            'owner': owner,
            'addresses': [('create', [{
                            'street_unstructured': (
                                address or self.people.hangzhou_address()),
                            'city': '杭州市',
                            }])],
            }
        if phone:
            mobile = self.people.phone()
            values['contact_mechanisms'] = [('create', [{
                            'type': 'mobile', 'value': mobile}])]
            if owner:
                values['owner_phone'] = mobile
        if owner:
            values['custom_fields'] = self._party_custom_fields()
        self.parties.append(values)
        return len(self.parties) - 1

    def _party_custom_fields(self):
        rng = self.rng
        custom = {}
        if rng.random() < 0.4:
            contact = self.people.person()
            custom['emergency_contact'] = (
                f"{contact['name']} {self.people.phone()}")
        if rng.random() < 0.35:
            custom['employer'] = rng.choice(EMPLOYERS)
        return custom or None

    def own(self, resource, party, start, share=Decimal(100), primary=True):
        self.ownerships.append((resource, party, start, share, primary))
        if primary:
            self.primary_owners[resource] = party

    def occupy(self, resource, party, relation, start, end=None):
        self.occupants.append((resource, party, relation, start, end))

    def date_between(self, start, end):
        return start + dt.timedelta(
            days=self.rng.randrange((end - start).days + 1))

    def lease(self, earliest=LEASES_FROM):
        "Return the start and end of a lease of whole years in force in 2027"
        start = self.date_between(max(earliest, LEASES_FROM), LEASES_TO)
        years = self.rng.choice([1, 2, 2, 3])
        while start + relativedelta(years=years) <= LEASES_IN_FORCE:
            years += 1
        return start, start + relativedelta(years=years, days=-1)

    def handover(self, batch):
        "Return the day an owner took the keys after the batch handover"
        late = self.rng.random() < 0.2
        days = self.rng.randrange(365 if late else 30)
        return min(batch + dt.timedelta(days=days), LAST_HANDOVER)

    def home_owner(self, project, building=None):
        "Return the primary owner of a random sold home"
        key = (project, building) if building else project
        return self.primary_owners[self.rng.choice(self.homes[key])]


def _plan_residences(demo, projects, buildings, units):
    for spec in BUILDINGS:
        project, code = spec.project, spec.code
        building = buildings[project, code]
        ratio = Decimal(spec.inner_ratio)
        for unit_code in map(str, range(1, spec.units + 1)):
            unit = units[project, code, unit_code]
            for floor in range(1, spec.floors + 1):
                for position, (layout, area, orientation) in enumerate(
                        PLANS[spec.plan], 1):
                    area = Decimal(area)
                    if (spec.structure == 'multi_storey'
                            and floor == spec.floors):
                        layout = PENTHOUSE[0]
                        area = (area * PENTHOUSE[1]).quantize(CENT)
                    number = f'{floor}{position:02d}'
                    label = (f'{projects[project].name}{building.name}'
                        f'{unit.name}{number}室')
                    values = {
                        'project': projects[project].id,
                        'building': building.id,
                        'unit': unit.id,
                        'kind': 'residence',
                        'number': number,
                        'floor': floor,
                        'layout': layout,
                        'orientation': orientation,
                        'building_area': area,
                        'inner_area': (area * ratio).quantize(CENT),
                        }
                    index = demo.add_resource(values)
                    _plan_home(demo, index, values, spec.handover, label)
                    if values['status'] != 'unsold':
                        demo.homes.setdefault(project, []).append(index)
                        demo.homes.setdefault(
                            (project, code), []).append(index)


def _plan_home(demo, index, values, batch, label):
    "Set the status of a home and plan its owners and occupants"
    rng, people = demo.rng, demo.people
    draw = rng.random()
    if draw < 0.04:
        values.update(status='unsold', occupancy='vacant')
        return
    handover = demo.handover(batch)
    if draw < 0.09:
        values.update(status='decorating', occupancy='vacant')
    else:
        occupancy = rng.choices(
            ['self_occupied', 'rented', 'vacant'], [76, 16, 8])[0]
        values.update(status='handed_over', occupancy=occupancy)
    values['handover_date'] = handover
    values['custom_fields'] = _home_custom_fields(rng, values)

    lives_here = values['occupancy'] == 'self_occupied'
    address = label if lives_here else people.hangzhou_address()
    owner = people.person()
    owner_party = demo.add_party(owner, owner=True, address=address)
    spouse = people.spouse_of(owner)
    if rng.random() < 0.05:
        spouse_party = demo.add_party(spouse, owner=True, address=address)
        demo.own(index, owner_party, handover, Decimal(50))
        demo.own(index, spouse_party, handover, Decimal(50), primary=False)
    else:
        spouse_party = None
        demo.own(index, owner_party, handover)

    if lives_here:
        moved_in = handover + dt.timedelta(days=rng.randint(60, 240))
        demo.occupy(index, owner_party, 'owner', moved_in)
        if spouse_party is not None:
            demo.occupy(index, spouse_party, 'owner', moved_in)
        elif rng.random() < 0.7:
            demo.occupy(index, demo.add_party(spouse, address=address),
                'spouse', moved_in)
        if rng.random() < 0.55:
            child = people.child_of(owner)
            demo.occupy(index, demo.add_party(child, address=address,
                    phone=child['birth_date'].year < 2010),
                'child', moved_in)
        if owner['birth_date'].year >= 1965 and rng.random() < 0.3:
            demo.occupy(index, demo.add_party(
                    people.parent_of(owner), address=address),
                'parent', moved_in)
    elif values['occupancy'] == 'rented':
        start, end = demo.lease(handover + dt.timedelta(days=120))
        tenant = people.person(born=(1975, 2000))
        demo.occupy(index, demo.add_party(tenant, address=label),
            'tenant', start, end)
        if rng.random() < 0.3:
            demo.occupy(index, demo.add_party(
                    people.spouse_of(tenant), address=label),
                'tenant_family', start, end)


def _home_custom_fields(rng, values):
    custom = {}
    if values['status'] == 'decorating' or rng.random() < 0.85:
        custom['decoration'] = (
            'rough' if values['status'] == 'decorating'
            else rng.choices(['simple', 'fine'], [35, 65])[0])
    if values['occupancy'] == 'self_occupied' and rng.random() < 0.2:
        custom['pet_registered'] = True
    if values['status'] == 'handed_over':
        custom['access_cards'] = rng.choice([1, 2, 2, 3, 3, 4])
    return custom or None


def _plan_storage_rooms(demo, projects, buildings):
    rng = demo.rng
    for spec in BUILDINGS:
        project, code = spec.project, spec.code
        for n in range(1, spec.storage_rooms + 1):
            area = Decimal(rng.randint(850, 2200)) / 100
            values = {
                'project': projects[project].id,
                'building': buildings[project, code].id,
                'kind': 'basement',
                'number': f'B1-{n:03d}',
                'floor': -1,
                'building_area': area,
                'inner_area': (area * Decimal('0.86')).quantize(CENT),
                }
            index = demo.add_resource(values)
            if rng.random() < 0.7:
                handover = demo.handover(spec.handover)
                values.update(status='handed_over', handover_date=handover,
                    occupancy='self_occupied')
                demo.own(index, demo.home_owner(project, code), handover)
            else:
                values.update(status='unsold', occupancy='vacant')


def _plan_shops(demo, projects):
    rng, people = demo.rng, demo.people
    for project, (count, _, _) in COMMERCE.items():
        batch = _first_handover(project)
        for n in range(1, count + 1):
            area = Decimal(rng.randint(4500, 18000)) / 100
            values = {
                'project': projects[project].id,
                'kind': 'shop',
                'number': f'S{n:02d}',
                'floor': 1,
                'building_area': area,
                'inner_area': (area * Decimal('0.88')).quantize(CENT),
                }
            index = demo.add_resource(values)
            if rng.random() < 0.15:
                values.update(status='unsold', occupancy='vacant',
                    lease_status='for_lease')
                continue
            handover = demo.handover(batch)
            values.update(status='handed_over', handover_date=handover)
            owner = demo.add_party(people.person(born=(1960, 1988)),
                owner=True)
            demo.own(index, owner, handover)
            lease_status = rng.choices(
                ['leased', 'self_operated', 'for_lease'], [60, 30, 10])[0]
            values['lease_status'] = lease_status
            if lease_status == 'for_lease':
                values['occupancy'] = 'vacant'
                continue
            values['business_scope'] = rng.choice(BUSINESS_SCOPES)
            if lease_status == 'self_operated':
                values['occupancy'] = 'self_occupied'
                demo.occupy(index, owner, 'owner', handover)
                continue
            start, end = demo.lease(handover + dt.timedelta(days=60))
            values.update(occupancy='rented', lease_start=start,
                lease_end=end,
                rent_amount=_money(rng.randrange(4000, 25001, 100)))
            demo.occupy(index, demo.add_party(
                    people.person(born=(1970, 1998))), 'tenant', start, end)


def _first_handover(project):
    return min(s.handover for s in BUILDINGS if s.project == project)


def _plate(rng):
    "Return a Hangzhou licence plate such as 浙A·3K5N7 or 浙A·D12345"
    if rng.random() < 0.25:
        # New-energy plates have six characters after the city letter
        return f"浙A·{rng.choice('DF')}{rng.randrange(10 ** 5):05d}"
    pattern = rng.choice(['LDDDD', 'DDDDD', 'DLDDD', 'LLDDD', 'DDDDL'])
    return '浙A·' + ''.join(
        rng.choice(LETTERS) if c == 'L' else rng.choice('0123456789')
        for c in pattern)


def _plan_parking(demo, projects):
    rng = demo.rng
    for project, (_, underground, surface) in COMMERCE.items():
        batch = _first_handover(project)
        spaces = ([('underground', f'B1-{n:03d}')
                    for n in range(1, underground + 1)]
            + [('surface', f'DM-{n:02d}') for n in range(1, surface + 1)])
        for parking_type, number in spaces:
            values = {
                'project': projects[project].id,
                'kind': 'parking',
                'number': number,
                'floor': -1 if parking_type == 'underground' else None,
                'parking_type': parking_type,
                'building_area': Decimal(
                    rng.choice(['12.50', '12.50', '13.20', '15.00'])),
                }
            index = demo.add_resource(values)
            draw = rng.random()
            if parking_type == 'underground' and draw < 0.65:
                handover = demo.handover(batch)
                values.update(status='handed_over', handover_date=handover,
                    occupancy='self_occupied', plates=_plate(rng))
                demo.own(index, demo.home_owner(project), handover)
            elif draw < 0.85:
                start, end = demo.lease()
                values.update(status='unsold', occupancy='rented',
                    lease_status='leased', lease_start=start, lease_end=end,
                    rent_amount=_money(rng.choice([300, 350, 400, 450])),
                    plates=_plate(rng))
                demo.occupy(index, demo.home_owner(project), 'tenant',
                    start, end)
            else:
                values.update(status='unsold', occupancy='vacant',
                    lease_status='for_lease')


def _plan_ad_spaces(demo, projects, buildings, units):
    rng = demo.rng
    spaces = []
    for spec in BUILDINGS:
        if spec.structure == 'multi_storey':
            continue
        project, code = spec.project, spec.code
        for u in map(str, range(1, spec.units + 1)):
            spaces.append((project, spec.handover, {
                        'building': buildings[project, code].id,
                        'unit': units[project, code, u].id,
                        'number': 'DT1',
                        'ad_position': f'{code}幢{u}单元 电梯轿厢内',
                        'ad_size': '60cm × 90cm',
                        }, (300, 600)))
    for project, *_ in PROJECTS:
        batch = _first_handover(project)
        for n, gate in enumerate(GATES[:3], 1):
            spaces.append((project, batch, {
                        'number': f'DZ-{n:02d}',
                        'ad_position': f'{gate}车辆道闸',
                        'ad_size': '2.4m × 0.3m',
                        }, (1200, 3000)))
    for project, batch, values, (low, high) in spaces:
        values.update({
                'project': projects[project].id,
                'kind': 'ad_space',
                'status': 'handed_over',
                'handover_date': batch,
                })
        if rng.random() < 0.75:
            start, end = demo.lease()
            values.update(occupancy='rented', lease_status='leased',
                lease_start=start, lease_end=end,
                rent_amount=_money(rng.randrange(low, high + 1, 50)))
        else:
            values.update(occupancy='vacant', lease_status='for_lease')
        demo.add_resource(values)


def _save(pool, demo):
    Resource = pool.get('property.resource')
    Party = pool.get('party.party')
    Configuration = pool.get('party.configuration')
    Ownership = pool.get('property.ownership')
    Occupant = pool.get('property.occupant')

    resources = _create(Resource, demo.resources)
    # Fetch the party codes at once: Party.create takes them one at a time,
    # which writes the sequence once per party on SQLite.
    sequence = Configuration(1).get_multivalue('party_sequence')
    if sequence:
        for values, code in zip(
                demo.parties, sequence.get_many(len(demo.parties))):
            values['code'] = code
    parties = _create(Party, demo.parties)
    _create(Ownership, [{
                'resource': resources[r].id, 'party': parties[p].id,
                'start_date': start, 'share': share, 'primary': primary,
                } for r, p, start, share, primary in demo.ownerships])
    _create(Occupant, [{
                'resource': resources[r].id, 'party': parties[p].id,
                'relation': relation, 'start_date': start, 'end_date': end,
                } for r, p, relation, start, end in demo.occupants])
    demo.party_records = parties


# Verifications and users

def _create_verifications(pool, demo, company):
    "Record a few owner app verifications, two of them failed"
    Verification = pool.get('property.owner.verification')
    owners = [p for p, v in zip(demo.party_records, demo.parties)
        if v.get('owner_phone')]
    rng = demo.rng
    attempts = [(o.owner_phone, rng.choice(['sms', 'wechat_phone']))
        for o in rng.sample(owners, 8)]
    attempts += [(demo.people.phone(), 'sms') for _ in range(2)]
    day = dt.date(2025, 3, 1)
    to_write = []
    for n, (phone, channel) in enumerate(attempts, 1):
        verification = Verification.record(
            company.id, phone, channel, reference=f'demo-openid-{n:04d}')
        # record() stamps the current time; keep the demo reproducible
        day += dt.timedelta(days=rng.randint(3, 40))
        verified_at = dt.datetime.combine(day, dt.time(
                rng.randint(8, 21), rng.randrange(60), rng.randrange(60)))
        to_write.extend(([verification], {'verified_at': verified_at}))
    Verification.write(*to_write)


def _create_users(pool, company, projects):
    User = pool.get('res.user')
    ModelData = pool.get('ir.model.data')
    lang = _zh_cn(pool)
    passwords = {login: password for login, password, _ in DEMO_LOGINS}
    specs = [
        ('manager', '陈静', 'group_property_admin', 'CH'),
        ('viewer', '刘洋', 'group_property_read', 'JG'),
        ]
    existing = {u.login for u in User.search([
                ('login', 'in', [s[0] for s in specs])])}
    User.create([{
                'login': login,
                'name': name,
                'password': passwords[login],
                'groups': [('add', [
                            ModelData.get_id('aishang_property', group)])],
                'projects': [('add', [projects[project].id])],
                'companies': [('add', [company.id])],
                'company': company.id,
                'language': lang,
                } for login, name, group, project in specs
            if login not in existing])
