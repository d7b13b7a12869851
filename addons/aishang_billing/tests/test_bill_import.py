# This file is part of Aishang Property. See the LICENSE file at the top level
# of this repository for full copyright notices and license terms.
"Import of historical received and outstanding bills from files"
import datetime as dt
import io
import os
import time
import unittest
from decimal import Decimal

import openpyxl

from trytond.modules.aishang_property.tests.tools import (
    create_building, create_owner, create_project, create_residence,
    csv_bytes, run_import_wizard, xlsx_bytes)
from trytond.modules.company.tests import create_company, set_company
from trytond.pool import Pool
from trytond.tests.test_tryton import activate_module
from trytond.tools import grouped_slice
from trytond.transaction import Transaction

from .tools import with_transaction
from .tools import create_fee_item, receivable_balance, setup_accounting

D = Decimal
HEADERS = ["项目编码", "楼栋编号", "单元编号", "房号", "收费项目编码", "计费起",
    "计费止", "应收金额", "已收金额", "优惠金额", "应缴日期", "账单编号", "缴费人",
    "收款日期", "备注"]


def row(**values):
    "Return a row of HEADERS: a March 2024 property fee of 2-1-301"
    defaults = {
        "项目编码": 'CH', "房号": '2-1-301', "收费项目编码": 'WYF',
        "计费起": dt.date(2024, 3, 1), "计费止": dt.date(2024, 3, 31),
        "应收金额": 205.85, "应缴日期": dt.date(2024, 3, 15),
        }
    defaults.update(values)
    return [defaults.get(h) for h in HEADERS]


GOOD_ROWS = [
    # Paid: received and discounted in full, with its old number
    row(计费起=dt.date(2024, 1, 1), 计费止=dt.date(2024, 1, 31),
        已收金额=195.85, 优惠金额=10, 应缴日期=dt.date(2024, 1, 15),
        账单编号='SF2024010001', 收款日期=dt.date(2024, 1, 10),
        备注="老系统迁移"),
    None,  # a blank row
    # Partially paid
    row(计费起='2024-02-01', 计费止='2024/2/29', 已收金额='100.00',
        应缴日期=dt.date(2024, 2, 15)),
    # Open
    row(),
    # Open, with split columns and a payer named
    row(项目编码='CH', 楼栋编号='2', 单元编号='1', 房号='302',
        应收金额='290.49', 优惠金额='0.49', 缴费人="李秀英"),
    # Paid by a discount alone, another fee item
    row(房号='2-1-303', 收费项目编码='SF', 应收金额=50, 优惠金额=50),
    ]


def xlsx(rows, headers=HEADERS, title="账单"):
    "Return an .xlsx file; None in rows is a blank row"
    return xlsx_bytes((title, headers, rows))


def csv_file(rows, encoding, headers=HEADERS):
    return csv_bytes(headers, rows, encoding)


def run_import(data, filename='bills.xlsx', project=None):
    return run_import_wizard('property.bill.import', data, filename, project)


def counts():
    pool = Pool()
    return {name: pool.get(name).search([], count=True) for name in [
            'property.bill', 'property.bill.line', 'account.move',
            'account.move.line']}


def community(company):
    "Project CH: homes 2-1-301, 302 and 303, owners of 301 and 302"
    Ownership = Pool().get('property.ownership')
    project = create_project(company)
    building = create_building(project, '2', ['1'])
    unit, = building.units
    homes = [create_residence(building, unit, n,
            handover_date=dt.date(2020, 1, 1)) for n in ['301', '302', '303']]
    wang = create_owner()
    li = create_owner("李秀英", '13900139000')
    Ownership.create([
            {'resource': homes[0].id, 'party': wang.id},
            {'resource': homes[1].id, 'party': li.id},
            ])
    return project, homes, wang, li


class BillImportTestCase(unittest.TestCase):
    "Import historical bills"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        activate_module('aishang_billing')

    def assertReport(self, result, *expected):
        "Check the errors and that the report names them in its lines"
        self.assertEqual(result['error_count'], len(expected),
            msg=result['report'])
        lines = result['report'].splitlines()[1:]
        for line, (sheet, row, column) in zip(lines, expected):
            self.assertIn(f'"{sheet}" row {row}', line)
            if column:
                self.assertIn(f'column "{column}"', line)
        self.assertEqual(result['bills'], 0)

    def fee_items(self, company, control=None, revenue=None):
        return [create_fee_item(company, code, name, control=control,
                revenue=revenue) for code, name in [
                ('WYF', "物业费"), ('SF', "水费")]]

    @with_transaction()
    def test_good_file(self):
        "Paid, partial and open bills; only what is owed is posted"
        pool = Pool()
        Bill = pool.get('property.bill')
        company = create_company()
        with set_company(company):
            control, revenue = setup_accounting(company)
            project, homes, wang, li = community(company)
            wyf, sf = self.fee_items(company, control, revenue)
            before = counts()
            result = run_import(xlsx(GOOD_ROWS))
            self.assertEqual(result['error_count'], 0, msg=result['report'])
            self.assertEqual(
                {k: result[k] for k in ['bills', 'open_bills',
                        'partial_bills', 'paid_bills', 'amount', 'received',
                        'discount', 'outstanding', 'moves']},
                {'bills': 5, 'open_bills': 2, 'partial_bills': 1,
                    'paid_bills': 2, 'amount': D('958.04'),
                    'received': D('295.85'), 'discount': D('60.49'),
                    'outstanding': D('601.70'), 'moves': 1})
            after = counts()
            self.assertEqual(
                after['property.bill'] - before['property.bill'], 5)
            # The discounts of 2-1-301 in January, 302 and 303
            self.assertEqual(after['property.bill.line']
                - before['property.bill.line'], 3)
            self.assertEqual(
                after['account.move'] - before['account.move'], 1)

            bills = Bill.search([], order=[('id', 'ASC')])
            january, february, march, home_302, water = bills
            self.assertEqual(
                [(b.state, b.amount, b.paid, b.discount, b.balance)
                    for b in bills], [
                    ('paid', D('205.85'), D('195.85'), D('10'), D('0')),
                    ('partial', D('205.85'), D('100'), D('0'),
                        D('105.85')),
                    ('open', D('205.85'), D('0'), D('0'), D('205.85')),
                    ('open', D('290.49'), D('0'), D('0.49'), D('290.00')),
                    ('paid', D('50'), D('0'), D('50'), D('0')),
                    ])
            self.assertEqual({b.origin for b in bills}, {'import'})
            self.assertEqual(january.number, 'SF2024010001')
            self.assertTrue(all(b.number.startswith('ZD')
                    for b in bills[1:]))
            self.assertEqual(
                (january.period_start, january.period_end,
                    january.due_date),
                (dt.date(2024, 1, 1), dt.date(2024, 1, 31),
                    dt.date(2024, 1, 15)))
            self.assertEqual(february.period_end, dt.date(2024, 2, 29))
            self.assertIn("老系统迁移", january.description)
            self.assertIn("2024-01-10", january.description)
            self.assertEqual(
                [(b.resource, b.building, b.fee_item, b.party)
                    for b in [march, home_302, water]], [
                    (homes[0], homes[0].building, wyf, wang),
                    (homes[1], homes[1].building, wyf, li),
                    (homes[2], homes[2].building, sf, None),
                    ])
            line, = january.lines
            self.assertEqual((line.kind, line.amount, line.date),
                ('discount', D('10'), dt.date(2024, 1, 10)))

            move, = {b.move for b in bills}
            self.assertEqual(move.state, 'posted')
            open_balances = sum(b.balance for b in Bill.search(
                    [('state', 'in', ['open', 'partial'])]))
            self.assertEqual(open_balances, D('601.70'))
            self.assertEqual(receivable_balance(control), open_balances)
            self.assertEqual(receivable_balance(revenue), -open_balances)

            # The periods are billed now: importing again changes nothing
            before = counts()
            result = run_import(xlsx(GOOD_ROWS))
            self.assertEqual(result['error_count'], 6, msg=result['report'])
            self.assertEqual(counts(), before)

    @with_transaction()
    def test_without_accounting(self):
        "Without a bill journal the bills are imported and not posted"
        Bill = Pool().get('property.bill')
        company = create_company()
        with set_company(company):
            community(company)
            self.fee_items(company)
            result = run_import(xlsx(GOOD_ROWS))
            self.assertEqual(result['error_count'], 0, msg=result['report'])
            self.assertEqual((result['bills'], result['moves']), (5, 0))
            self.assertEqual({b.move for b in Bill.search([])}, {None})

    @with_transaction()
    def test_csv(self):
        "CSV files in GB18030 (Excel in Chinese) and UTF-8 with BOM"
        Bill = Pool().get('property.bill')
        company = create_company()
        with set_company(company):
            project, homes, wang, li = community(company)
            self.fee_items(company)
            for encoding, month in [('gb18030', 4), ('utf-8-sig', 5)]:
                with self.subTest(encoding=encoding):
                    data = csv_file([row(
                                计费起=f'2024-{month:02d}-01',
                                计费止=f'2024年{month}月30日',
                                应缴日期=f'2024{month:02d}15',
                                已收金额='5.85', 缴费人="王建国",
                                备注="预收"), None], encoding)
                    result = run_import(data, 'bills.csv')
                    self.assertEqual(result['error_count'], 0,
                        msg=result['report'])
                    bill, = Bill.search(
                        [('period_start', '=', dt.date(2024, month, 1))])
                    self.assertEqual(
                        (bill.resource, bill.party, bill.state, bill.balance,
                            bill.period_end, bill.due_date,
                            bill.description),
                        (homes[0], wang, 'partial', D('200.00'),
                            dt.date(2024, month, 30),
                            dt.date(2024, month, 15), "预收"))

    @with_transaction()
    def test_bad_row_writes_nothing(self):
        "A bad amount on row 4 names sheet, row and column; nothing written"
        company = create_company()
        with set_company(company):
            control, revenue = setup_accounting(company)
            community(company)
            self.fee_items(company, control, revenue)
            rows = list(GOOD_ROWS)
            # Excel row 4: the header, two rows, a blank row
            rows.insert(2, row(计费起=dt.date(2024, 6, 1),
                    计费止=dt.date(2024, 6, 30), 应收金额='20５.8x'))
            before = counts()
            result = run_import(xlsx(rows))
            self.assertReport(result, ("账单", 4, "应收金额"))
            self.assertIn(
                'Sheet "账单" row 4 column "应收金额": "20５.8x" is not a '
                'number.', result['report'])
            self.assertTrue(result['report'].startswith(
                    "Nothing was imported"))
            self.assertEqual(counts(), before)
            self.assertEqual(receivable_balance(control), 0)

    @with_transaction()
    def test_errors(self):
        "Each kind of bad row is reported and nothing is written"
        pool = Pool()
        Bill = pool.get('property.bill')
        company = create_company()
        with set_company(company):
            project, homes, wang, li = community(company)
            create_project(company, 'JG', "金桂苑")
            wyf, sf = self.fee_items(company)
            # Already billed: March of 2-1-301 by a bill run
            Bill.create([{
                        'project': project.id, 'resource': homes[0].id,
                        'fee_item': wyf.id, 'amount': D('205.85'),
                        'period_start': dt.date(2024, 3, 1),
                        'period_end': dt.date(2024, 3, 31),
                        'number': 'ZD10000001', 'state': 'open',
                        }])
            april = {"计费起": dt.date(2024, 4, 1),
                "计费止": dt.date(2024, 4, 30)}
            may = {"计费起": dt.date(2024, 5, 1), "计费止": dt.date(2024, 5, 31)}
            before = counts()
            for rows, expected in [
                    ([row()], [(2, "计费起", 'by bill "ZD10000001"')]),
                    ([row(**april), row(**may), row(**april)],
                        [(4, "计费起", "already billed for \"物业费\" from "
                                "2024-04-01 on row 2")]),
                    ([row(**april, 收费项目编码='XX')],
                        [(2, "收费项目编码", 'no fee item with code "XX"')]),
                    ([row(**april, 已收金额=200, 优惠金额=10)],
                        [(2, "已收金额", "exceed the amount 205.85")]),
                    ([row(**april, 应收金额=-1)],
                        [(2, "应收金额", "less than 0")]),
                    ([row(**april, 已收金额='10.005')],
                        [(2, "已收金额", "more than 2 decimal places")]),
                    ([row(**april, 房号='2-1-999')],
                        [(2, "房号", 'no resource "2-1-999"')]),
                    ([row(**april, 楼栋编号='3', 单元编号='1', 房号='301')],
                        [(2, "房号", 'no resource "3-1-301"')]),
                    ([row(**april, 项目编码='JG')],
                        [(2, "房号", 'no resource "2-1-301"')]),
                    ([row(**april, 项目编码='XX')],
                        [(2, "项目编码", 'code "XX"')]),
                    ([row(**april, 项目编码=None)],
                        [(2, "项目编码", "default project")]),
                    ([row(计费起=dt.date(2024, 4, 30),
                                计费止=dt.date(2024, 4, 1))],
                        [(2, "计费止", "before the period start")]),
                    ([row(计费起='2024-02-30', 计费止=dt.date(2024, 4, 30))],
                        [(2, "计费起", "not a date")]),
                    ([row(**april, 应缴日期=None)],
                        [(2, "应缴日期", "required")]),
                    ([row(**april, 账单编号='ZD10000001')],
                        [(2, "账单编号", 'numbered "ZD10000001" already')]),
                    ([row(**april, 账单编号='A1'), row(**may, 账单编号='A1')],
                        [(3, "账单编号", "already on row 2")]),
                    ([row(**april, 缴费人="李秀英")],
                        [(2, "缴费人", "not an owner of resource")]),
                    ([row(**april, 收款日期=dt.date(2024, 4, 2))],
                        [(2, "收款日期", "no amount was received")]),
                    ([row(**april, 已收金额=1,
                                收款日期=dt.date.today()
                                + dt.timedelta(days=2))],
                        [(2, "收款日期", "in the future")]),
                    ([row(**april, 应收金额='abc', 收费项目编码='XX')],
                        [(2, "收费项目编码", 'code "XX"'),
                            (2, "应收金额", "not a number")]),
                    ]:
                with self.subTest(expected=expected):
                    result = run_import(xlsx(rows))
                    self.assertReport(result,
                        *[("账单", r, c) for r, c, _ in expected])
                    for _, _, text in expected:
                        self.assertIn(text, result['report'])
                    self.assertEqual(counts(), before)

            # A default project fills the empty project codes
            result = run_import(xlsx([row(**april, 项目编码=None)]),
                project=project)
            self.assertEqual(result['error_count'], 0, msg=result['report'])
            self.assertEqual(result['bills'], 1)

    @with_transaction()
    def test_accounting_checked_first(self):
        "Fee items without accounts are refused before anything is written"
        company = create_company()
        with set_company(company):
            control, revenue = setup_accounting(company)
            community(company)
            wyf, sf = self.fee_items(company)
            before = counts()
            result = run_import(xlsx([
                        row(), row(计费起=dt.date(2024, 4, 1),
                            计费止=dt.date(2024, 4, 30)),
                        # Paid: nothing to post, so no accounts needed
                        row(房号='2-1-303', 收费项目编码='SF', 已收金额=205.85),
                        ]))
            self.assertReport(result, ("账单", 2, "收费项目编码"))
            self.assertIn('fee item "物业费"', result['report'])
            self.assertEqual(counts(), before)

    @with_transaction()
    def test_missing_column_and_bad_file(self):
        "A missing required column or a file that is no spreadsheet"
        company = create_company()
        with set_company(company):
            community(company)
            self.fee_items(company)
            before = counts()
            headers = [h for h in HEADERS if h != "收费项目编码"]
            result = run_import(xlsx([row()[:len(headers)]], headers))
            self.assertReport(result, ("账单", 1, "收费项目编码"))
            result = run_import(b'%PDF-1.4 ...', 'bills.pdf')
            self.assertEqual(result['error_count'], 1)
            self.assertIn('bills.pdf', result['report'])
            result = run_import(xlsx([]))
            self.assertEqual(result['error_count'], 1)
            self.assertEqual(counts(), before)

    @with_transaction()
    def test_english_headers_and_other_sheet_name(self):
        "English headers and a sheet left as Excel named it"
        Bill = Pool().get('property.bill')
        company = create_company()
        with set_company(company):
            community(company)
            self.fee_items(company)
            headers = ["Project", "Room", "Fee Item", "Period Start",
                "Period End", "Amount", "Paid", "Due Date"]
            data = xlsx([['CH', '2-1-301', 'WYF', '2024-03-01',
                        '2024-03-31', 100, 100, '2024-03-15'],
                    ['CH', '2-1-302', 'WYF', '2024-03-01',
                        '2024-03-31', 100, None, '2024-03-15']],
                headers, title="Sheet1")
            result = run_import(data)
            self.assertEqual(result['error_count'], 0, msg=result['report'])
            self.assertEqual(
                sorted(b.state for b in Bill.search([])), ['open', 'paid'])
            result = run_import(data)
            self.assertReport(result, ("Sheet1", 2, "计费起"),
                ("Sheet1", 3, "计费起"))

    @with_transaction()
    def test_project_of_other_user(self):
        "A project the user may not see is unknown"
        pool = Pool()
        User = pool.get('res.user')
        Group = pool.get('res.group')
        ModelData = pool.get('ir.model.data')
        company = create_company()
        with set_company(company):
            project, homes, wang, li = community(company)
            other = create_project(company, 'JG', "金桂苑")
            self.fee_items(company)
        groups = [Group(ModelData.get_id(module, name)) for module, name in [
                ('aishang_property', 'group_property_admin'),
                ('aishang_billing', 'group_billing_admin')]]
        user, = User.create([{
                    'login': 'zhou', 'name': "周丽",
                    'companies': [('add', [company.id])],
                    'company': company.id,
                    'groups': [('add', [g.id for g in groups])],
                    'projects': [('add', [other.id])],
                    }])
        with Transaction().set_user(user.id), \
                Transaction().set_context(company=company.id):
            result = run_import(xlsx([row()]))
            self.assertEqual(result['start']['project'], other.id)
        self.assertReport(result, ("账单", 2, "项目编码"))

    @with_transaction()
    def test_template_round_trip(self):
        "The downloaded template imports its example rows"
        pool = Pool()
        Bill = pool.get('property.bill')
        company = create_company()
        with set_company(company):
            control, revenue = setup_accounting(company)
            project, homes, wang, li = community(company)
            self.fee_items(company, control, revenue)
            Import = pool.get('property.bill.import', type='wizard')
            session_id, _, _ = Import.create()
            start = Import.execute(session_id, {}, 'start')['view']['defaults']
            Import.delete(session_id)
            self.assertEqual(start['template_filename'], "账单导入模板.xlsx")
            self.assertEqual(start['project'], project.id)
            workbook = openpyxl.load_workbook(io.BytesIO(start['template']))
            self.assertEqual(workbook.sheetnames, ["账单", "填写说明"])
            header = [c.value for c in workbook["账单"][1]]
            self.assertEqual(header[:5],
                ["项目编码", "楼栋编号", "单元编号", "房号*", "收费项目编码*"])
            self.assertEqual(workbook["账单"].max_row, 4)

            result = run_import(start['template'], start['template_filename'])
            self.assertEqual(result['error_count'], 0, msg=result['report'])
            self.assertEqual(
                (result['bills'], result['paid_bills'],
                    result['partial_bills'], result['open_bills']),
                (3, 1, 1, 1))
            self.assertEqual({b.resource for b in Bill.search([])},
                {homes[0]})
            self.assertEqual(receivable_balance(control),
                result['outstanding'])

            # Importing twice changes nothing
            before = counts()
            result = run_import(start['template'], start['template_filename'])
            self.assertEqual(result['error_count'], 4, msg=result['report'])
            self.assertEqual(counts(), before)

    @with_transaction()
    def test_report_in_chinese(self):
        "With the zh_CN translations the report is in Chinese"
        pool = Pool()
        Lang = pool.get('ir.lang')
        Translation = pool.get('ir.translation')
        company = create_company()
        with set_company(company):
            community(company)
            self.fee_items(company)
            lang, = Lang.search([('code', '=', 'zh_CN')])
            lang.translatable = True
            lang.save()
            here = os.path.dirname(__file__)
            for module, path in [
                    ('aishang_property', os.path.join(here, '..', '..',
                            'aishang_property', 'locale', 'zh_CN.po')),
                    ('aishang_billing', os.path.join(here, '..', 'locale',
                            'zh_CN.po')),
                    ]:
                Translation.translation_import('zh_CN', module, path)
            with Transaction().set_context(language='zh_CN'):
                result = run_import(xlsx([
                            row(已收金额=300, 收费项目编码='XX')]))
        self.assertEqual(result['report'].splitlines(), [
                "未导入任何数据：文件中有 2 处错误，请改正后重新导入。",
                "工作表「账单」第 2 行「收费项目编码」列："
                "本公司没有编码为“XX”的收费项目。",
                "工作表「账单」第 2 行「已收金额」列："
                "已收金额 300 加优惠金额 0 超过应收金额 205.85。",
                ])

    @with_transaction()
    def test_10000_rows(self):
        "10,000 bills of 2,000 homes over five months import at once"
        pool = Pool()
        Resource = pool.get('property.resource')
        Ownership = pool.get('property.ownership')
        Party = pool.get('party.party')
        company = create_company()
        with set_company(company):
            control, revenue = setup_accounting(company)
            project = create_project(company)
            building = create_building(project, '2', ['1'])
            unit, = building.units
            fee_item, = self.fee_items(company, control, revenue)[:1]
            homes, owners = [], []
            for sub in grouped_slice(range(2000), 200):
                homes += Resource.create([{
                            'project': project.id, 'building': building.id,
                            'unit': unit.id, 'kind': 'residence',
                            'number': f'{i:04d}',
                            'building_area': D('100'),
                            'status': 'handed_over',
                            'handover_date': dt.date(2020, 1, 1),
                            } for i in sub])
                owners += Party.create([{'name': f"业主{i}", 'owner': True}
                        for i in sub])
            for sub in grouped_slice(list(zip(homes, owners)), 200):
                Ownership.create([{'resource': h.id, 'party': o.id}
                        for h, o in sub])
            rows = []
            expected = D(0)
            for month in range(1, 6):
                for i, home in enumerate(homes):
                    amount = D(100) + D(i % 100) / 100
                    paid = [amount, D(50), D(0)][i % 3]
                    expected += amount - paid
                    rows.append(row(房号=home.code,
                            计费起=dt.date(2023, month, 1),
                            计费止=dt.date(2023, month, 28),
                            应收金额=str(amount), 已收金额=str(paid),
                            应缴日期=dt.date(2023, month, 15)))
            data = xlsx(rows)
            before = counts()
            start = time.monotonic()
            result = run_import(data)
            elapsed = time.monotonic() - start
            print(f"\n10,000 bills imported in {elapsed:.1f}s")
            self.assertEqual(result['error_count'], 0, msg=result['report'])
            self.assertEqual(result['bills'], 10000)
            self.assertEqual(counts()['property.bill']
                - before['property.bill'], 10000)
            self.assertEqual(result['outstanding'], expected)
            self.assertEqual(receivable_balance(control), expected)
            self.assertLess(elapsed, 60)
