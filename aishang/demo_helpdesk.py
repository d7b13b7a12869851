# This file is part of Aishang Property. See the LICENSE file at the top level
# of this repository for full copyright notices and license terms.
"""Demo helpdesk: teams, technicians, categories, step settings, two logins
and a few hundred tickets over the last four months.

populate_helpdesk(pool) runs after the cashier demo when aishang_helpdesk
is activated, in a transaction of its own (an entry of
aishang.demo_data.LATER_STEPS). Nothing is created when the demo company
already has ticket categories. Every value comes from random.Random(SEED).

The tickets go through the same API as the apps, dated with the private
context key ``_helpdesk_now``: each one is reported at a time of the past
and taken step by step until its next step would lie in the future, so the
recent ones are still waiting and the statistics have months of history.
"""
import datetime as dt
import random
from decimal import Decimal

from trytond.transaction import Transaction

D = Decimal
SEED = 20261201
DAYS = 120
MINUTE = dt.timedelta(minutes=1)
HOUR = dt.timedelta(hours=1)
# Beijing time is UTC+8 all year round
UTC_OFFSET = dt.timedelta(hours=8)

# login, password, description: add to aishang.demo_data.DEMO_LOGINS
HELPDESK_LOGINS = [
    ('service', 'service123', '客服：受理、分类、派单、关单、回访'),
    ('tech', 'tech123', '维修技工：只看派给自己的工单，接单、预约、完工'),
    ]
# team, members (the first member of 工程维修组 is the "tech" login)
TEAMS = [
    ('工程维修组', ['王建军', '刘强', '陈志明', '黄海涛']),
    ('保洁绿化组', ['周桂芳', '吴秀英']),
    ('秩序维护组', ['郑伟', '孙浩']),
    ]
SERVICE_EMPLOYEE = '陈晓'
# code, name, kind, urgency, response (minutes), resolution (hours), team,
# weight, sample titles
CATEGORIES = [
    ('SD', '水电维修', 'repair', 'normal', 30, 24, '工程维修组', 18, [
            '厨房水管漏水', '卫生间下水堵塞', '插座没电', '热水器不出热水',
            '水龙头关不紧', '空开频繁跳闸', '马桶水箱漏水']),
    ('MC', '门窗五金', 'repair', 'normal', 60, 48, '工程维修组', 8, [
            '入户门锁损坏', '窗户关不严', '纱窗脱落', '阳台推拉门卡住']),
    ('DT', '电梯故障', 'repair', 'critical', 15, 4, '工程维修组', 5, [
            '电梯困人', '电梯异响', '电梯按钮失灵', '电梯门关不上']),
    ('GG', '公共设施', 'repair', 'normal', 120, 72, '工程维修组', 8, [
            '楼道灯不亮', '单元门禁失灵', '地下车库照明损坏', '小区路灯不亮',
            '信报箱损坏']),
    ('YH', '安全隐患', 'repair', 'high', 30, 12, '秩序维护组', 4, [
            '消防通道堆放杂物', '高空外墙瓷砖松动', '井盖破损', '电动车楼道充电']),
    ('LH', '绿化保洁', 'repair', 'low', 120, 48, '保洁绿化组', 5, [
            '草坪需要修剪', '树枝遮挡窗户', '垃圾桶满溢', '楼道需要清洁']),
    ('TD', '服务态度', 'complaint', 'high', 120, 48, None, 4, [
            '门岗保安态度差', '客服电话无人接听', '维修师傅迟到']),
    ('WS', '环境卫生', 'complaint', 'normal', 120, 24, '保洁绿化组', 5, [
            '垃圾清运不及时', '楼道有异味', '宠物粪便无人清理']),
    ('ZY', '噪音扰民', 'complaint', 'normal', 60, 24, '秩序维护组', 4, [
            '楼上装修噪音', '夜间广场舞噪音', '空调外机噪音大']),
    ('TC', '停车管理', 'complaint', 'normal', 120, 48, '秩序维护组', 4, [
            '车位被占用', '外来车辆乱停', '地库出入口拥堵']),
    ('JY', '社区建议', 'suggestion', 'low', 24 * 60, 168, None, 5, [
            '建议增加快递柜', '建议增设儿童游乐设施', '建议延长健身房开放时间',
            '建议增加垃圾分类指引']),
    ('ZX', '收费咨询', 'inquiry', 'low', 60, 8, None, 6, [
            '物业费收费标准咨询', '停车费缴纳方式', '发票开具咨询']),
    ('BS', '办事咨询', 'inquiry', 'low', 60, 8, None, 4, [
            '装修申请办理流程', '门禁卡补办', '车位租赁咨询']),
    ]
# Categories reported for a home; the others are public areas
PRIVATE_CATEGORIES = {'SD', 'MC'}
# kind: steps switched off, reopen rating. Suggestions and inquiries skip
# dispatch and start (and so take); inquiries are not called back.
SETTINGS = {
    'repair': ([], 2),
    'complaint': ([], 2),
    'suggestion': (['dispatch', 'start'], 0),
    'inquiry': (['dispatch', 'start', 'callback'], 0),
    }
RATINGS = [(5, 52), (4, 30), (3, 9), (2, 6), (1, 3)]
FEEDBACK = {
    5: ['师傅很专业，处理及时', '非常满意', '服务态度很好'],
    4: ['满意', '处理得还可以', '速度可以再快一点'],
    3: ['一般', '等了比较久'],
    2: ['问题没有彻底解决', '上门时间一再推迟'],
    1: ['很不满意，问题依旧', '态度差'],
    }
# description, unit, unit price range (yuan) of the materials of repairs
MATERIALS = [
    ('角阀 DN15', '个', (12, 25)), ('PPR 管', '米', (8, 15)),
    ('空气开关 32A', '个', (35, 60)), ('五孔插座', '个', (15, 30)),
    ('门锁锁芯', '个', (60, 150)), ('合页', '副', (10, 20)),
    ('生料带', '卷', (2, 5)), ('LED 灯泡', '个', (10, 25)),
    ]
CANCEL_REASONS = ['业主已自行处理', '重复报修', '业主取消']
PNG = bytes.fromhex(
    '89504e470d0a1a0a0000000d4948445200000001000000010806000000'
    '1f15c4890000000d49444154789c6360f8cfc0f01f0005000201a8'
    '3d7a1a0000000049454e44ae426082')


def populate_helpdesk(pool):
    """Add the helpdesk demo when aishang_helpdesk is activated.

    Run after the cashier demo has been committed, in its own transaction.
    """
    from aishang.demo_data import COMPANY_NAME
    try:
        pool.get('helpdesk.ticket')
    except KeyError:
        return
    Company = pool.get('company.company')
    Category = pool.get('helpdesk.category')
    companies = Company.search([('party.name', '=', COMPANY_NAME)], limit=1)
    if not companies:
        return
    company, = companies
    with Transaction().set_context(company=company.id, language='zh_CN'):
        if Category.search([('company', '=', company.id)], limit=1):
            return
        billing = _billing(pool, company)
        employees = _create_employees(pool, company)
        teams = _create_teams(pool, company, employees)
        categories = _create_categories(pool, company, teams)
        _create_settings(pool, company)
        users = _create_users(pool, company, employees)
        _Tickets(pool, company, categories, teams, users, billing).run()


def _billing(pool, company):
    """Set the repair fee item when billing is activated; return whether
    repairs can be charged"""
    try:
        FeeItem = pool.get('property.fee_item')
    except KeyError:
        return False
    Account = pool.get('account.account')
    Bill = pool.get('property.bill')
    Configuration = pool.get('helpdesk.configuration')
    accounts = {a.code: a for a in Account.search([
                ('company', '=', company.id),
                ('code', 'in', ['1221', '6051']),
                ])}
    fee_item, = FeeItem.create([{
                'company': company.id, 'code': 'WXF', 'name': '维修费',
                'category': 'temporary', 'sequence': 20,
                'account_receivable': (
                    accounts['1221'].id if '1221' in accounts else None),
                'account_revenue': (
                    accounts['6051'].id if '6051' in accounts else None),
                'description': '户内有偿维修的人工和材料费',
                }])
    configuration = Configuration(1)
    configuration.repair_fee_item = fee_item
    configuration.save()
    # Posting locks tables: take the locks first so that Tryton restarts
    # the transaction before any work instead of after it
    Bill.lock_posting(company)
    return True


def _create_employees(pool, company):
    Party = pool.get('party.party')
    Employee = pool.get('company.employee')
    names = [SERVICE_EMPLOYEE] + [n for _, members in TEAMS for n in members]
    parties = Party.create([{'name': name} for name in names])
    employees = Employee.create([{
                'party': party.id, 'company': company.id,
                'start_date': dt.date(2022, 3, 1),
                } for party in parties])
    return {e.party.name: e for e in employees}


def _create_teams(pool, company, employees):
    Team = pool.get('helpdesk.team')
    teams = Team.create([{
                'company': company.id, 'name': name,
                'leader': employees[members[0]].id,
                'members': [('add', [employees[m].id for m in members])],
                } for name, members in TEAMS])
    return {t.name: t for t in teams}


def _create_categories(pool, company, teams):
    Category = pool.get('helpdesk.category')
    categories = Category.create([{
                'company': company.id, 'sequence': i, 'code': code,
                'name': name, 'kind': kind, 'urgency': urgency,
                'response_time': response * MINUTE,
                'resolution_time': resolution * HOUR,
                'team': teams[team].id if team else None,
                } for i, (code, name, kind, urgency, response, resolution,
                team, _, _) in enumerate(CATEGORIES, 1)])
    return {c.code: c for c in categories}


def _create_settings(pool, company):
    Setting = pool.get('helpdesk.kind.setting')
    Setting.create([{
                'company': company.id, 'kind': kind,
                'reopen_rating': reopen,
                **{f'step_{s}': False for s in off},
                } for kind, (off, reopen) in SETTINGS.items()])


def _create_users(pool, company, employees):
    "The service and tech logins; the cashier demo's supervisor supervises"
    User = pool.get('res.user')
    ModelData = pool.get('ir.model.data')
    Project = pool.get('property.project')
    Lang = pool.get('ir.lang')
    projects = Project.search([('company', '=', company.id)])
    passwords = {login: password for login, password, _ in HELPDESK_LOGINS}
    langs = Lang.search([('code', '=', 'zh_CN')], limit=1)

    def group(name):
        return ModelData.get_id('aishang_helpdesk', name)
    specs = [
        ('service', '陈晓（客服）', SERVICE_EMPLOYEE,
            'group_helpdesk_service'),
        ('tech', '王建军（维修技工）', TEAMS[0][1][0],
            'group_helpdesk_technician'),
        ]
    users = User.create([{
                'login': login, 'name': name, 'password': passwords[login],
                'groups': [('add', [group(group_name)])],
                'projects': [('add', [p.id for p in projects])],
                'companies': [('add', [company.id])],
                'company': company.id,
                'employees': [('add', [employees[employee].id])],
                'employee': employees[employee].id,
                'language': langs[0].id if langs else None,
                } for login, name, employee, group_name in specs])
    supervisors = User.search([('login', '=', 'supervisor')])
    if supervisors:
        User.write(supervisors, {'groups': [
                    ('add', [group('group_helpdesk_supervisor')])]})
    return {u.login: u for u in users}


class _Tickets:
    "Tickets reported over the last DAYS days, each taken as far as now"

    def __init__(self, pool, company, categories, teams, users, billing):
        self.pool = pool
        self.Ticket = pool.get('helpdesk.ticket')
        self.company = company
        self.categories = categories
        self.teams = teams
        self.users = users
        self.billing = billing
        self.rng = random.Random(SEED)
        self.now = dt.datetime.now().replace(second=0, microsecond=0)
        Resource = pool.get('property.resource')
        self.homes = Resource.search([
                ('project.company', '=', company.id),
                ('kind', '=', 'residence'),
                ('ownerships', '!=', None),
                ], order=[('id', 'ASC')])
        self.projects = pool.get('property.project').search(
            [('company', '=', company.id)], order=[('code', 'ASC')])
        self.tech_employee = users['tech'].employee

    def at(self, when, user='service'):
        "The context of a step taken at when by user"
        context = Transaction().set_context(_helpdesk_now=when)
        return context, Transaction().set_user(self.users[user].id)

    def step(self, when, method, tickets, *args, user='service'):
        context, as_user = self.at(when, user)
        with context, as_user:
            getattr(self.Ticket, method)(tickets, *args)

    def run(self):
        rng = self.rng
        weights = [c[7] for c in CATEGORIES]
        start = self.now - dt.timedelta(days=DAYS)
        day = start.date()
        while day <= self.now.date():
            # More reports on weekends and in summer (water, air con)
            count = rng.choice([1, 1, 2, 2, 2, 3])
            if day.weekday() >= 5 or day.month in {7, 8}:
                count += 1
            for _ in range(count):
                local = dt.datetime.combine(day, dt.time(
                        rng.choice([7, 8, 9, 9, 10, 10, 11, 14, 15, 16, 17,
                                19, 20, 21]), rng.randrange(60)))
                reported = local - UTC_OFFSET
                if reported >= self.now:
                    continue
                spec = rng.choices(CATEGORIES, weights)[0]
                self.ticket(spec, reported)
            day += dt.timedelta(days=1)

    def ticket(self, spec, reported):
        rng = self.rng
        code, _, kind, _, response, resolution, team, _, titles = spec
        category = self.categories[code]
        home = rng.choice(self.homes)
        private = code in PRIVATE_CATEGORIES
        values = {
            'company': self.company.id,
            'project': home.project.id,
            'kind': kind,
            'category': category.id,
            'title': rng.choice(titles),
            'source': rng.choice(['phone', 'phone', 'owner_app', 'owner_app',
                    'owner_app', 'walk_in', 'staff_app']),
            }
        owner = home.owners[0] if home.owners else None
        if private:
            values.update({'area': 'private', 'resource': home.id})
        else:
            values.update({'area': 'public', 'place': rng.choice([
                            '1号楼大堂', '地下车库B1', '中心花园', '小区南门',
                            '3号楼电梯厅', '健身步道', '2号楼楼道'])})
        if owner:
            values.update({'reporter': owner.id,
                    'contact_name': owner.name,
                    'contact_phone': owner.owner_phone})
        values['description'] = f"{values['title']}，请尽快安排处理。"
        context, as_user = self.at(reported)
        with context, as_user:
            photos = ([{'name': 'report.png', 'data': PNG}]
                if rng.random() < 0.1 else None)
            ticket = self.Ticket.report(values, photos=photos)
        self.work(ticket, category, reported, response, resolution, team,
            private)

    def work(self, ticket, category, reported, response, resolution, team,
            private):
        "Take the steps of ticket while they lie in the past"
        rng = self.rng
        Ticket = self.Ticket
        late = rng.random() < 0.12
        stuck = rng.random() < 0.03
        # The reports of the last ten days wait at some step: the worklists of
        # customer service and of the technicians are not empty
        stop = None
        if self.now - reported < dt.timedelta(days=10):
            stop = rng.choice(['pending', 'pending', 'accepted', 'dispatched',
                    'dispatched', 'taken', 'processing', 'done', 'closed'])
        when = reported
        technician = None
        for _ in range(20):
            ticket = Ticket(ticket.id)
            state = ticket.state
            if state == stop:
                break
            if state == 'pending':
                when += MINUTE * rng.randint(
                    3, response * (3 if late else 1))
                step = ('accept',)
            elif state in {'accepted', 'reopened'}:
                when += MINUTE * rng.randint(2, 20)
                members = (self.teams[team].members if team
                    else self.teams['工程维修组'].members)
                technician = technician or rng.choice(members)
                if stop and self.tech_employee in members:
                    technician = self.tech_employee
                step = ('dispatch', technician.id)
            elif state == 'dispatched':
                when += MINUTE * rng.randint(3, 40)
                if rng.random() < 0.05:
                    step = ('decline', '手头工单较多，请改派')
                    technician = None
                else:
                    step = ('take',)
            elif state == 'taken':
                if rng.random() < 0.3 and when + 5 * MINUTE < self.now:
                    visit = when + HOUR * rng.randint(2, 20)
                    self.step(when + 5 * MINUTE, 'propose_appointment',
                        [ticket], visit, '业主约定时间',
                        user=self.user_of(ticket))
                when += MINUTE * rng.randint(20, 240)
                step = ('start',)
            elif state == 'processing':
                if stuck:
                    break
                hours = resolution * (rng.uniform(1.1, 2.5) if late
                    else rng.uniform(0.05, 0.7))
                when += dt.timedelta(hours=hours)
                if when < self.now:
                    self.add_lines(ticket, private)
                step = ('complete', '已处理完毕')
            elif state == 'done':
                when += MINUTE * rng.randint(30, 360)
                step = ('close',)
            elif state == 'closed':
                when += HOUR * rng.randint(12, 48)
                rating = rng.choices(
                    [r for r, _ in RATINGS], [w for _, w in RATINGS])[0]
                if ticket.reopen_count:
                    rating = max(rating, 4)
                step = ('callback', rating, rng.choice(FEEDBACK[rating]))
            else:
                break
            if (state in {'pending', 'accepted', 'dispatched'}
                    and rng.random() < 0.015):
                step = ('cancel', rng.choice(CANCEL_REASONS))
            if when >= self.now:
                break
            if rng.random() < 0.15 and state in {'taken', 'processing'}:
                self.message(ticket, when - 10 * MINUTE)
            self.step(when, step[0], [ticket], *step[1:],
                user=self.user_of(ticket, step[0]))

    def user_of(self, ticket, step=None):
        "The tech login for its own technician's steps, else service"
        technician_steps = {
            'take', 'decline', 'start', 'complete', 'propose_appointment',
            None}
        if (step in technician_steps
                and self.Ticket(ticket.id).technician == self.tech_employee):
            return 'tech'
        return 'service'

    def add_lines(self, ticket, private):
        "Labour and materials of some private repairs, charged to the owner"
        rng = self.rng
        if not (private and self.billing and rng.random() < 0.45):
            return
        Line = self.pool.get('helpdesk.ticket.line')
        material, unit, (low, high) = rng.choice(MATERIALS)
        Line.create([{
                    'ticket': ticket.id, 'sequence': 1, 'kind': 'labour',
                    'description': '上门维修', 'quantity': D(1),
                    'unit_price': D(rng.choice([30, 50, 80])),
                    'chargeable': True,
                    }, {
                    'ticket': ticket.id, 'sequence': 2, 'kind': 'material',
                    'description': material, 'unit': unit,
                    'quantity': D(rng.choice([1, 1, 2, 3])),
                    'unit_price': D(rng.randint(low * 100, high * 100)) / 100,
                    'chargeable': True,
                    }])

    def message(self, ticket, when):
        "The owner asks, the technician or customer service answers"
        ticket = self.Ticket(ticket.id)
        owner = ticket.reporter
        context, as_user = self.at(when)
        with context, as_user:
            if owner:
                self.Ticket.post_message([ticket], '师傅大概什么时候能到？',
                    'owner', owner.id)
        self.step(when + 5 * MINUTE, 'post_message', [ticket],
            '已安排，预计一小时内到达。', user=self.user_of(ticket))
