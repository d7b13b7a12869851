# This file is part of Aishang Property. See the LICENSE file at the top level
# of this repository for full copyright notices and license terms.
"Import of buildings, units, resources, owners and occupants from files"
import datetime as dt
import io
import os
import time
import unittest
from decimal import Decimal

import openpyxl

from trytond.modules.company.tests import create_company, set_company
from trytond.pool import Pool
from trytond.tests.test_tryton import activate_module, with_transaction
from trytond.transaction import Transaction

from .tools import csv_bytes, run_import_wizard, xlsx_bytes

HEADERS = ["项目编码", "楼栋编号", "楼栋名称", "单元编号", "房号", "资源类型",
    "楼层", "建筑面积", "套内面积", "户型", "房屋状态", "交付日期", "入住状态",
    "业主姓名", "业主手机", "证件类型", "证件号码", "产权比例", "车牌号"]
GOOD_ROWS = [
    ['CH', '2', "2号楼", '1', '0301', "住宅", 3, 125.5, 100.4, "三室两厅",
        "已交付", dt.date(2024, 5, 1), "自住", "王建国", 13800138000.0,
        "身份证", '11010519491231002X', 100, None],
    None,  # a blank row
    ['CH', '2', "2号楼", '1', '0302', "住宅", 3, '98.00', '80', None,
        "已交付", '2024/5/1', "出租", "李秀英", '139 0013 9000', None, None,
        None, None],
    ['CH', '2', None, '2', '0101', "商铺", 1, 60, None, None,
        "装修中", '2024年6月1日', "空置", None, None, None, None, None, None],
    ['CH', None, None, None, 'B1-023', "车位", -1, 12.5, None, None,
        "已交付", 45413, "自住", "王建国", 13800138000, None, None, 100,
        "浙A12345"],
    ['CH', '3', None, '1', '0301', None, None, None, None, None,
        None, None, None, None, None, None, None, None, None],
    ]
OCCUPANT_HEADERS = ["项目编码", "房号", "姓名", "手机", "关系", "开始日期"]
XLS_FIXTURE = os.path.join(os.path.dirname(__file__), 'import_resources.xls')


def xlsx(rows, headers=HEADERS, occupants=None, title="资源"):
    "Return an .xlsx file; None in rows is a blank row"
    sheets = [(title, headers, rows)]
    if occupants is not None:
        sheets.append(("住户", OCCUPANT_HEADERS, occupants))
    return xlsx_bytes(*sheets)


def csv_file(rows, encoding, headers=HEADERS):
    return csv_bytes(headers, rows, encoding)


def run_import(data, filename='resources.xlsx', project=None):
    return run_import_wizard('property.import', data, filename, project)


def counts():
    pool = Pool()
    with Transaction().set_context(active_test=False):
        return {name: len(pool.get(name).search([])) for name in [
                'party.party', 'property.building', 'property.unit',
                'property.resource', 'property.ownership',
                'property.occupant']}


def create_project(company, code='CH', name="翠湖花园"):
    Project = Pool().get('property.project')
    project, = Project.create([{
                'company': company.id, 'code': code, 'name': name}])
    return project


class ImportTestCase(unittest.TestCase):
    "Import resources and owners"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        activate_module('aishang_property')

    def assertReport(self, result, *expected):
        "Check the errors and that the report names them in its lines"
        self.assertEqual(result['error_count'], len(expected),
            msg=result['report'])
        lines = result['report'].splitlines()[1:]
        for line, (sheet, row, column) in zip(lines, expected):
            self.assertIn(f'"{sheet}" row {row}', line)
            if column:
                self.assertIn(f'column "{column}"', line)
        self.assertEqual(result['resources'], 0)

    @with_transaction()
    def test_good_file(self):
        "A good file creates everything and one party per owner"
        pool = Pool()
        Resource = pool.get('property.resource')
        Party = pool.get('party.party')
        company = create_company()
        with set_company(company):
            project = create_project(company)
            before = counts()
            result = run_import(xlsx(GOOD_ROWS))
            self.assertEqual(result['error_count'], 0, msg=result['report'])
            self.assertEqual(
                {k: result[k] for k in ['buildings', 'units', 'resources',
                        'parties', 'ownerships', 'occupants']},
                {'buildings': 2, 'units': 3, 'resources': 5, 'parties': 2,
                    'ownerships': 3, 'occupants': 0})
            after = counts()
            self.assertEqual(
                after['property.resource'] - before['property.resource'], 5)
            self.assertEqual(after['party.party'] - before['party.party'], 2)

            resources = {r.code: r for r in Resource.search(
                    [('project', '=', project.id)])}
            self.assertEqual(sorted(resources),
                ['2-1-0301', '2-1-0302', '2-2-0101', '3-1-0301', 'B1-023'])
            home = resources['2-1-0301']
            self.assertEqual(home.building.name, "2号楼")
            self.assertEqual(home.unit.code, '1')
            self.assertEqual(home.building_area, Decimal('125.5'))
            self.assertIsInstance(home.building_area, Decimal)
            self.assertEqual(home.inner_area, Decimal('100.4'))
            self.assertEqual(home.handover_date, dt.date(2024, 5, 1))
            self.assertEqual((home.kind, home.status, home.floor),
                ('residence', 'handed_over', 3))
            self.assertEqual(resources['2-1-0302'].building_area,
                Decimal('98.00'))
            self.assertEqual(resources['2-1-0302'].occupancy, 'rented')
            shop = resources['2-2-0101']
            self.assertEqual((shop.kind, shop.status, shop.handover_date),
                ('shop', 'decorating', dt.date(2024, 6, 1)))
            parking = resources['B1-023']
            self.assertEqual((parking.kind, parking.building, parking.plates),
                ('parking', None, "浙A12345"))
            self.assertEqual(parking.handover_date, dt.date(2024, 5, 1))
            empty = resources['3-1-0301']
            self.assertEqual((empty.kind, empty.status, empty.owners),
                ('residence', 'unsold', ()))
            self.assertEqual(empty.building.name, '3')

            wang, = Party.search([('name', '=', "王建国")])
            self.assertEqual(wang.owner_phone, '13800138000')
            self.assertEqual(
                (wang.owner, wang.id_type, wang.id_number),
                (True, 'resident_id', '11010519491231002X'))
            self.assertEqual(home.owners, (wang,))
            self.assertEqual(parking.owners, (wang,))
            li, = Party.search([('name', '=', "李秀英")])
            self.assertEqual(li.owner_phone, '13900139000')

    @with_transaction()
    def test_existing_owner_and_buildings(self):
        "Owners are matched by ID number or phone and name, buildings by code"
        pool = Pool()
        Party = pool.get('party.party')
        Building = pool.get('property.building')
        Resource = pool.get('property.resource')
        company = create_company()
        with set_company(company):
            project = create_project(company)
            building, = Building.create([{
                        'project': project.id, 'code': '2', 'name': "二号楼",
                        'units': [('create', [{'code': '1', 'name': "一单元"}])],
                        }])
            wang, li = Party.create([{
                        'name': "王建国", 'id_type': 'resident_id',
                        'id_number': '11010519491231002X'}, {
                        'name': "李秀英", 'owner_phone': '13900139000'}])
            result = run_import(xlsx(GOOD_ROWS))
            self.assertEqual(result['error_count'], 0, msg=result['report'])
            self.assertEqual(
                (result['buildings'], result['units'], result['parties']),
                (1, 2, 0))
            home, = Resource.search([('code', '=', '2-1-0301')])
            self.assertEqual(home.building, building)
            self.assertEqual(home.owners, (wang,))
            self.assertEqual(Party(wang.id).owner, True)
            self.assertEqual(
                Resource.search([('code', '=', '2-1-0302')])[0].owners, (li,))

    @with_transaction()
    def test_bad_row_writes_nothing(self):
        "A bad area on row 7 names sheet, row and column and writes nothing"
        company = create_company()
        with set_company(company):
            create_project(company)
            rows = list(GOOD_ROWS)
            # Excel row 7: the header, then 5 rows of which one is blank
            rows.insert(5, ['CH', '2', None, '1', '0303', "住宅", 3, 'abc',
                    None, None, "未售", None, None, "赵敏", '13600136000',
                    None, None, None, None])
            before = counts()
            result = run_import(xlsx(rows))
            self.assertReport(result, ("资源", 7, "建筑面积"))
            self.assertIn(
                'Sheet "资源" row 7 column "建筑面积": "abc" is not a number.',
                result['report'])
            self.assertEqual(counts(), before)

    @with_transaction()
    def test_errors(self):
        "Each kind of bad row is reported and nothing is written"
        company = create_company()
        with set_company(company):
            project = create_project(company)
            create_project(company, 'JG', "金桂苑")
            # The room exists already
            run_import(xlsx([GOOD_ROWS[0]]))
            before = counts()
            base = ['CH', '5', None, '1', None, "住宅", 1, 100, 80, None,
                "未售", None, None, None, None, None, None, None, None]

            def row(number, **changes):
                values = list(base)
                values[HEADERS.index("房号")] = number
                for header, value in changes.items():
                    values[HEADERS.index(header)] = value
                return values
            for rows, expected in [
                    ([GOOD_ROWS[0]], [(2, "房号", "already exists")]),
                    ([row('101'), row('102'), row('101')],
                        [(4, "房号", "already on row 2")]),
                    ([row('101', 项目编码='XX')],
                        [(2, "项目编码", 'code "XX"')]),
                    ([row('101', 项目编码=None)],
                        [(2, "项目编码", "default project")]),
                    ([row('101', 业主姓名="赵敏", 证件号码='110105194912310021')],
                        [(2, "证件号码", "not a valid resident identity")]),
                    ([row('101', 业主姓名="赵敏", 业主手机='138-abc')],
                        [(2, "业主手机", "not a valid phone")]),
                    ([row('101', 业主手机='13800138000')],
                        [(2, "业主姓名", "name is required")]),
                    ([row('101', 套内面积=120)],
                        [(2, "套内面积", "larger than the building area")]),
                    ([row('101', 房屋状态="已交付")],
                        [(2, "交付日期", "handover date is required")]),
                    ([row('101', 资源类型="别墅", 交付日期='2024-02-30')],
                        [(2, "资源类型", "住宅、商铺"), (2, "交付日期",
                                "not a date")]),
                    ([row('101', 楼栋编号=None)],
                        [(2, "单元编号", "needs a building")]),
                    ([row('101', 产权比例=120)],
                        [(2, "产权比例", "greater than 100")]),
                    ([row('101', 业主姓名="赵敏",
                                证件号码='11010519491231002X'),
                            row('102', 业主姓名="钱多",
                                证件号码='11010519491231002x')],
                        [(3, "业主姓名", 'belongs to "赵敏"')]),
                    ]:
                with self.subTest(expected=expected):
                    result = run_import(xlsx(rows))
                    self.assertReport(result,
                        *[("资源", r, c) for r, c, _ in expected])
                    for _, _, text in expected:
                        self.assertIn(text, result['report'])
                    self.assertEqual(counts(), before)

            # A default project fills the empty project codes
            result = run_import(xlsx([row('101', 项目编码=None)]),
                project=project)
            self.assertEqual(result['error_count'], 0, msg=result['report'])

    @with_transaction()
    def test_missing_column_and_bad_file(self):
        "A missing required column or a file that is no spreadsheet"
        company = create_company()
        with set_company(company):
            create_project(company)
            before = counts()
            result = run_import(xlsx([['CH', '2']], headers=["项目编码", "楼栋编号"]))
            self.assertReport(result, ("资源", 1, "房号"))
            result = run_import(b'%PDF-1.4 ...', 'resources.pdf')
            self.assertEqual(result['error_count'], 1)
            self.assertIn('resources.pdf', result['report'])
            result = run_import(xlsx([]))
            self.assertEqual(result['error_count'], 1)
            self.assertEqual(counts(), before)

    @with_transaction()
    def test_project_of_other_user(self):
        "A project the user may not see is unknown"
        pool = Pool()
        User = pool.get('res.user')
        Group = pool.get('res.group')
        ModelData = pool.get('ir.model.data')
        company = create_company()
        with set_company(company):
            p1 = create_project(company)
            create_project(company, 'JG', "金桂苑")
        admin_group = Group(ModelData.get_id(
                'aishang_property', 'group_property_admin'))
        user, = User.create([{
                    'login': 'zhou', 'name': "周丽",
                    'companies': [('add', [company.id])],
                    'company': company.id,
                    'groups': [('add', [admin_group.id])],
                    'projects': [('add', [p1.id])],
                    }])
        rows = [GOOD_ROWS[0], ['JG'] + GOOD_ROWS[0][1:]]
        with Transaction().set_user(user.id), \
                Transaction().set_context(company=company.id):
            result = run_import(xlsx(rows))
            self.assertEqual(result['start']['project'], p1.id)
        self.assertReport(result, ("资源", 3, "项目编码"))

    @with_transaction()
    def test_occupants(self):
        "Occupants of imported and existing rooms; unknown rooms refused"
        pool = Pool()
        Occupant = pool.get('property.occupant')
        company = create_company()
        with set_company(company):
            create_project(company)
            result = run_import(xlsx([GOOD_ROWS[0]], occupants=[
                        ['CH', '2-1-0301', "王小明", 13700137000, "子女",
                            dt.date(2024, 5, 1)],
                        None,
                        ['CH', '2-1-0301', "王建国", '13800138000', "业主",
                            None],
                        ]))
            self.assertEqual(result['error_count'], 0, msg=result['report'])
            self.assertEqual(
                (result['resources'], result['parties'],
                    result['occupants']), (1, 2, 2))
            ming, wang = Occupant.search([], order=[('id', 'ASC')])
            self.assertEqual(ming.party.owner_phone, '13700137000')
            self.assertEqual(ming.party.owner, False)
            self.assertEqual(ming.relation, 'child')
            self.assertEqual(wang.party, wang.resource.owners[0])

            before = counts()
            result = run_import(xlsx([], occupants=[
                        ['CH', '2-1-0301', "王小明", 13700137000, "子女",
                            None],
                        ['CH', '2-1-0999', "王小红", None, "子女", None],
                        ['CH', '2-1-0301', "张三", None, "租户", None],
                        ['CH', '2-1-0301', "张三", None, "租户", None],
                        ]))
            self.assertReport(result,
                ("住户", 2, "姓名"), ("住户", 3, "房号"), ("住户", 5, "姓名"))
            self.assertEqual(counts(), before)

            result = run_import(xlsx([], occupants=[
                        ['CH', '2-1-0301', "张三", None, "租户", None]]))
            self.assertEqual(result['error_count'], 0, msg=result['report'])
            self.assertEqual(result['occupants'], 1)

    @with_transaction()
    def test_csv(self):
        "CSV files in GB18030 (Excel in Chinese) and UTF-8 with BOM"
        Resource = Pool().get('property.resource')
        company = create_company()
        with set_company(company):
            create_project(company)
            for encoding, number in [
                    ('gb18030', '0401'), ('utf-8-sig', '0402')]:
                with self.subTest(encoding=encoding):
                    row = list(GOOD_ROWS[2])
                    row[HEADERS.index("房号")] = number
                    row[HEADERS.index("交付日期")] = '2024-05-01'
                    data = csv_file([row, None], encoding)
                    result = run_import(data, 'resources.csv')
                    self.assertEqual(result['error_count'], 0,
                        msg=result['report'])
                    resource, = Resource.search(
                        [('code', '=', f'2-1-{number}')])
                    self.assertEqual(resource.owner_names, "李秀英")
                    self.assertEqual(resource.owner_phone, '13900139000')

    @with_transaction()
    def test_xls(self):
        "An .xls file written by old Excel versions"
        Resource = Pool().get('property.resource')
        company = create_company()
        with set_company(company):
            create_project(company)
            with open(XLS_FIXTURE, 'rb') as file:
                result = run_import(file.read(), 'import_resources.xls')
            self.assertEqual(result['error_count'], 0, msg=result['report'])
            self.assertEqual((result['resources'], result['occupants']),
                (2, 1))
            home, = Resource.search([('code', '=', '2-1-0301')])
            self.assertEqual(home.building_area, Decimal('125.5'))
            self.assertEqual(home.owner_phone, '13800138000')
            self.assertEqual(home.handover_date, dt.date(2024, 5, 1))

    @with_transaction()
    def test_template_round_trip(self):
        "The downloaded template imports its example rows"
        pool = Pool()
        Resource = pool.get('property.resource')
        company = create_company()
        with set_company(company):
            project = create_project(company)
            Import = pool.get('property.import', type='wizard')
            session_id, _, _ = Import.create()
            start = Import.execute(session_id, {}, 'start')['view']['defaults']
            Import.delete(session_id)
            self.assertEqual(start['template_filename'], "资源导入模板.xlsx")
            self.assertEqual(start['project'], project.id)
            workbook = openpyxl.load_workbook(io.BytesIO(start['template']))
            self.assertEqual(workbook.sheetnames, ["资源", "住户", "填写说明"])
            self.assertEqual(workbook["资源"]['E1'].value, "房号*")

            result = run_import(start['template'], start['template_filename'])
            self.assertEqual(result['error_count'], 0, msg=result['report'])
            self.assertEqual(
                (result['resources'], result['parties'],
                    result['ownerships'], result['occupants']), (2, 2, 2, 1))
            home, = Resource.search([('code', '=', '2-1-0301')])
            self.assertEqual(home.building_area, Decimal('125.50'))
            self.assertEqual(home.owner_phone, '13800138000')

            # Importing twice changes nothing
            before = counts()
            result = run_import(start['template'], start['template_filename'])
            self.assertGreater(result['error_count'], 0)
            self.assertEqual(counts(), before)

    @with_transaction()
    def test_report_in_chinese(self):
        "With the zh_CN translations the report is in Chinese"
        pool = Pool()
        Lang = pool.get('ir.lang')
        Translation = pool.get('ir.translation')
        company = create_company()
        with set_company(company):
            create_project(company)
            lang, = Lang.search([('code', '=', 'zh_CN')])
            lang.translatable = True
            lang.save()
            Translation.translation_import('zh_CN', 'aishang_property',
                os.path.join(os.path.dirname(__file__), '..', 'locale',
                    'zh_CN.po'))
            rows = list(GOOD_ROWS)
            rows.insert(5, ['CH', '2', None, '1', '0303', "住宅", 3, 'abc',
                    None, None, "未售", None, None, None, None, None, None,
                    None, None])
            with Transaction().set_context(language='zh_CN'):
                result = run_import(xlsx(rows))
        self.assertEqual(result['report'].splitlines(), [
                "未导入任何数据：文件中有 1 处错误，请改正后重新导入。",
                "工作表「资源」第 7 行「建筑面积」列：“abc”不是数字。",
                ])

    @with_transaction()
    def test_5000_rows(self):
        "5,000 homes and parking spaces with their owners import at once"
        company = create_company()
        with set_company(company):
            create_project(company)
            rows = []
            for i in range(4500):
                building, rest = divmod(i, 450)
                unit, rest = divmod(rest, 150)
                floor, room = divmod(rest, 6)
                phone = 13000000000 + i
                rows.append(['CH', str(building + 1), None, str(unit + 1),
                        f'{floor + 1:02d}{room + 1:02d}', "住宅", floor + 1,
                        89.5 + room, 70.25 + room, None, "已交付",
                        dt.date(2024, 5, 1), "自住", f"业主{i}", phone,
                        None, None, None, None])
            for i in range(500):
                # The owners of the first 500 homes also own a parking space
                rows.append(['CH', None, None, None, f'B1-{i:03d}', "车位",
                        -1, 12.5, None, None, "已交付", dt.date(2024, 5, 1),
                        "自住", f"业主{i}", 13000000000 + i, None, None, None,
                        f"浙A{i:05d}"])
            data = xlsx(rows)
            before = counts()
            start = time.monotonic()
            result = run_import(data)
            elapsed = time.monotonic() - start
            print(f"\n5,000 rows imported in {elapsed:.1f}s")
            self.assertEqual(result['error_count'], 0, msg=result['report'])
            after = counts()
            self.assertEqual(
                after['property.resource'] - before['property.resource'],
                5000)
            self.assertEqual(after['party.party'] - before['party.party'],
                4500)
            self.assertEqual(
                (result['buildings'], result['units'], result['ownerships']),
                (10, 30, 5000))
