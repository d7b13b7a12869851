# This file is part of Aishang Property. See the LICENSE file at the top level
# of this repository for full copyright notices and license terms.
"""Collection reports (R2) and their .xlsx export (R3) against amounts
computed by hand (docs/cashier-reports.md gives the definitions)"""
import datetime as dt
import io
from decimal import Decimal
from unittest.mock import patch

from trytond.model.exceptions import AccessError
from trytond.modules.aishang_property.tests.tools import (
    create_building, create_owner, create_residence)
from trytond.modules.company.tests import create_company, set_company
from trytond.modules.aishang_billing.tests.tools import with_transaction
from trytond.pool import Pool
from trytond.transaction import Transaction

from .tools import (
    CashierTestCase, create_bills, create_household, draft_receipt,
    setup_cashier)

D = Decimal
# The fiscal year of the fixtures is the current one
YEAR = dt.date.today().year


def day(month, day_):
    return dt.date(YEAR, month, day_)


def create_home(building, number, name):
    "A home in building and its owner, as create_household makes them"
    home = create_residence(building, building.units[0], number)
    owner = create_owner(name=name, phone=f'1390000{number:0>4}')
    Pool().get('property.ownership').create([{
                'resource': home.id, 'party': owner.id, 'share': D(100),
                'primary': True}])
    return home, owner


def create_user(company, login, groups=(), projects=()):
    pool = Pool()
    User = pool.get('res.user')
    ModelData = pool.get('ir.model.data')
    user, = User.create([{
                'login': login, 'name': login,
                'companies': [('add', [company.id])],
                'company': company.id,
                'projects': [('add', [p.id for p in projects])],
                'groups': [('add', [ModelData.get_id(*g.split('.'))
                            for g in groups])],
                }])
    return user


def on(date):
    "Run the cashier as if today were date"
    return patch.object(Pool().get('ir.date'), 'today', return_value=date)


class AishangCashierReportsTestCase(CashierTestCase):
    "Collection detail, summaries, rates, change log and their export"

    def scenario(self, company):
        """Three homes, seven bills and a quarter of cashier work.

        Homes A (301) and B (302) are in building 2, C (101) in building 3.
        Bills: A property fee 205.85 for January, February and March (and
        May, waived by 5.85); B parking 150.00 for January and February;
        C property fee 100.00 for January.

        01-20 R1 (admin, cash) A Jan 205.85
        01-25 R2 (admin, WeChat) B Jan 150.00, voided 01-28
        01-26 R5 (admin, cash) C Jan 100.00, voided 02-05
        02-10 R3 (cashier2, cash 300.00 + WeChat 5.85) A Feb 205.85 and
              A Mar 100.00 of 205.85
        02-15 R4 (admin, cash) B Jan 150.00 and B Feb 140.00 + 10.00
              discount
        03-05 refund of 20.00 of R1 in cash
        """
        pool = Pool()
        Receipt = pool.get('property.receipt')
        Line = pool.get('property.receipt.line')
        Request = pool.get('review.request')
        Refund = pool.get('property.refund')
        setup = setup_cashier(company)
        fee_items, methods = setup['fee_items'], setup['methods']
        cash, wechat = methods['cash'], methods['wechat']
        project, home_a, owner_a = create_household(company)
        _, home_b, owner_b = create_household(company, number='302')
        building_3 = create_building(project, code='3')
        home_c, owner_c = create_home(building_3, '101', "业主C101")
        wyf_a = create_bills(home_a, owner_a, fee_items['WYF'],
            ['205.85', '205.85', '205.85'], first=day(1, 1))
        cwf_b = create_bills(home_b, owner_b, fee_items['CWF'],
            ['150.00', '150.00'], first=day(1, 1))
        wyf_c, = create_bills(home_c, owner_c, fee_items['WYF'],
            ['100.00'], first=day(1, 1))
        may_a, = create_bills(home_a, owner_a, fee_items['WYF'],
            ['205.85'], first=day(5, 1))
        cashier2 = create_user(company, 'cashier2',
            ['aishang_cashier.group_cashier'], [project])

        def collect(date, home, owner, lines, payments, discounts=None):
            receipt = draft_receipt(home, owner, lines, payments)
            for line, discount in zip(receipt.lines, discounts or []):
                if discount:
                    Line.write([line], {'discount': D(discount)})
            with on(date):
                Receipt.collect([Receipt(receipt.id)])
            return Receipt(receipt.id)

        def void(date, receipt):
            with on(date):
                Request.submit('receipt_void', receipt, receipt.total,
                    "收款有误", company=company)

        r1 = collect(day(1, 20), home_a, owner_a,
            [(wyf_a[0], '205.85')], [(cash, '205.85')])
        r2 = collect(day(1, 25), home_b, owner_b,
            [(cwf_b[0], '150.00')], [(wechat, '150.00')])
        r5 = collect(day(1, 26), home_c, owner_c,
            [(wyf_c, '100.00')], [(cash, '100.00')])
        void(day(1, 28), r2)
        void(day(2, 5), r5)
        with Transaction().set_user(cashier2.id):
            r3 = collect(day(2, 10), home_a, owner_a,
                [(wyf_a[1], '205.85'), (wyf_a[2], '100.00')],
                [(cash, '300.00'), (wechat, '5.85')])
        r4 = collect(day(2, 15), home_b, owner_b,
            [(cwf_b[0], '150.00'), (cwf_b[1], '140.00')],
            [(cash, '290.00')], discounts=[None, '10.00'])
        refund, = Refund.create([{
                    'company': company.id, 'project': project.id,
                    'kind': 'receipt', 'receipt': r1.id,
                    'party': owner_a.id, 'amount': D('20.00'),
                    'method': cash.id, 'reason': "多收"}])
        with on(day(3, 5)):
            Refund.request([refund])
        Request.submit('bill_waiver', may_a, D('5.85'), "业主困难减免",
            values={'amount': '5.85'}, company=company)

        receipts = Receipt.browse([r1, r2, r3, r4, r5])
        self.assertEqual([r.state for r in receipts],
            ['done', 'void', 'done', 'done', 'void'])
        self.assertEqual(Refund(refund.id).state, 'done')
        return {
            'setup': setup, 'project': project, 'building_3': building_3,
            'receipts': dict(zip(['r1', 'r2', 'r3', 'r4', 'r5'], receipts)),
            'cashier2': cashier2, 'may_a': may_a,
            }

    @with_transaction()
    def test_collection_reports(self):
        "Detail and summaries: voids left out, refunds subtracted"
        pool = Pool()
        Detail = pool.get('property.collection.detail')
        company = create_company()
        with set_company(company):
            data = self.scenario(company)
            setup, receipts = data['setup'], data['receipts']
            wyf, cwf = setup['fee_items']['WYF'], setup['fee_items']['CWF']
            cash = setup['methods']['cash']
            cashier2 = data['cashier2']

            rows = Detail.search([])
            self.assertEqual(len(rows), 7)
            by_key = {(r.receipt.id, r.period_start): r for r in rows}
            r1 = by_key[(receipts['r1'].id, day(1, 1))]
            self.assertEqual(
                (r1.amount, r1.discount, r1.refunded, r1.net, r1.method,
                    r1.mixed, r1.state, r1.date, r1.building.code,
                    r1.fee_item, r1.number),
                (D('205.85'), D(0), D('20.00'), D('185.85'), cash,
                    False, 'done', day(1, 20), '2', wyf,
                    receipts['r1'].number))
            r5 = by_key[(receipts['r5'].id, day(1, 1))]
            self.assertEqual((r5.state, r5.void_date, r5.building,
                    r5.amount), ('void', day(2, 5), data['building_3'],
                    D('100.00')))
            feb = by_key[(receipts['r3'].id, day(2, 1))]
            self.assertEqual((feb.method, bool(feb.mixed), feb.cashier),
                (None, True, cashier2))
            b_feb = by_key[(receipts['r4'].id, day(2, 1))]
            self.assertEqual((b_feb.amount, b_feb.discount),
                (D('140.00'), D('10.00')))

            def amounts(rows):
                return sum((r.amount for r in rows), D(0))

            with Transaction().set_context(
                    from_date=day(2, 1), to_date=day(2, 28)):
                self.assertEqual(amounts(Detail.search([])), D('595.85'))
            with Transaction().set_context(fee_item=cwf.id):
                self.assertEqual(
                    sorted(r.amount for r in Detail.search([])),
                    [D('140.00'), D('150.00'), D('150.00')])
            with Transaction().set_context(cashier=cashier2.id):
                self.assertEqual(amounts(Detail.search([])), D('305.85'))
            self.assertEqual(
                amounts(Detail.search([('state', '=', 'done')])),
                D('801.70'))

            columns = ('receipt_count', 'amount', 'discount', 'refunded',
                'net', 'void_amount')

            def summary(name, key):
                Summary = pool.get(f'property.collection.summary.{name}')
                return {key(r): tuple(getattr(r, c) for c in columns)
                    for r in Summary.search([])}

            self.assertEqual(summary('project', lambda r: r.project.code), {
                    'CH': (3, D('801.70'), D('10.00'), D('20.00'),
                        D('781.70'), D('250.00'))})
            self.assertEqual(summary('building', lambda r: r.building.code), {
                    '2': (3, D('801.70'), D('10.00'), D('20.00'),
                        D('781.70'), D('150.00')),
                    '3': (0, D(0), D(0), D(0), D(0), D('100.00'))})
            self.assertEqual(summary('fee_item', lambda r: r.fee_item), {
                    wyf: (2, D('511.70'), D(0), D('20.00'), D('491.70'),
                        D('100.00')),
                    cwf: (1, D('290.00'), D('10.00'), D(0), D('290.00'),
                        D('150.00'))})
            self.assertEqual(summary('month', lambda r: r.period), {
                    f'{YEAR}-01': (1, D('205.85'), D(0), D('20.00'),
                        D('185.85'), D('250.00')),
                    f'{YEAR}-02': (2, D('595.85'), D('10.00'), D(0),
                        D('595.85'), D(0))})
            self.assertEqual(summary('cashier', lambda r: r.cashier.login), {
                    'admin': (2, D('495.85'), D('10.00'), D('20.00'),
                        D('475.85'), D('250.00')),
                    'cashier2': (1, D('305.85'), D(0), D(0), D('305.85'),
                        D(0))})

            Method = pool.get('property.collection.summary.method')
            self.assertEqual(
                {r.method.kind: (r.receipt_count, r.amount, r.refunded,
                        r.net, r.void_amount)
                    for r in Method.search([])}, {
                    'cash': (3, D('795.85'), D('20.00'), D('775.85'),
                        D('100.00')),
                    'wechat': (1, D('5.85'), D(0), D('5.85'),
                        D('150.00'))})
            # the methods add up to the same net as the fee items
            self.assertEqual(sum(r.net for r in Method.search([])),
                D('781.70'))
            with Transaction().set_context(to_date=day(1, 31)):
                self.assertEqual(
                    summary('project', lambda r: r.project.code), {
                        'CH': (1, D('205.85'), D(0), D('20.00'),
                            D('185.85'), D('250.00'))})

    @with_transaction()
    def test_collection_rate(self):
        "Rates of a quarter's bills and of the arrears at its start"
        pool = Pool()
        company = create_company()
        with set_company(company):
            data = self.scenario(company)
            wyf = data['setup']['fee_items']['WYF']
            cwf = data['setup']['fee_items']['CWF']
            columns = ('bill_count', 'receivable', 'collected', 'rate',
                'arrears_count', 'arrears', 'arrears_collected',
                'arrears_rate', 'total_rate')

            def rates(name, key):
                Rate = pool.get(f'property.collection.rate.{name}')
                return {key(r): tuple(getattr(r, c) for c in columns)
                    for r in Rate.search([])}

            with Transaction().set_context(
                    from_date=day(2, 1), to_date=day(3, 31)):
                # 445.85 of 551.70; B's January owed 150.00 at the start
                # and R4 took it; A's January was paid then (refunded
                # after) and C's January too (voided after)
                self.assertEqual(rates('project', lambda r: r.project.code), {
                        'CH': (3, D('551.70'), D('445.85'), D('0.8081'),
                            1, D('150.00'), D('150.00'), D('1.0000'),
                            D('0.8492'))})
                self.assertEqual(
                    rates('building', lambda r: r.building.code), {
                        '2': (3, D('551.70'), D('445.85'), D('0.8081'),
                            1, D('150.00'), D('150.00'), D('1.0000'),
                            D('0.8492'))})
                self.assertEqual(rates('fee_item', lambda r: r.fee_item), {
                        wyf: (2, D('411.70'), D('305.85'), D('0.7429'),
                            0, D(0), D(0), None, D('0.7429')),
                        cwf: (1, D('140.00'), D('140.00'), D('1.0000'),
                            1, D('150.00'), D('150.00'), D('1.0000'),
                            D('1.0000'))})
            with Transaction().set_context(
                    from_date=day(3, 1), to_date=day(3, 31)):
                # C's January, voided in February, is owed at the start
                self.assertEqual(
                    rates('building', lambda r: r.building.code), {
                        '2': (1, D('205.85'), D('100.00'), D('0.4858'),
                            0, D(0), D(0), None, D('0.4858')),
                        '3': (0, D(0), D(0), None,
                            1, D('100.00'), D(0), D('0.0000'),
                            D('0.0000'))})
            with Transaction().set_context(
                    from_date=day(4, 1), to_date=day(4, 30)):
                # and A's January again, by what was refunded
                self.assertEqual(rates('project', lambda r: r.project.code), {
                        'CH': (0, D(0), D(0), None,
                            3, D('225.85'), D(0), D('0.0000'),
                            D('0.0000'))})

    @with_transaction()
    def test_change_log(self):
        "Bill changes and review requests in one list"
        pool = Pool()
        ChangeLog = pool.get('property.change_log')
        BillChange = pool.get('property.bill.change')
        company = create_company()
        with set_company(company):
            data = self.scenario(company)
            receipts, project = data['receipts'], data['project']
            rows = ChangeLog.search([])
            self.assertEqual(sorted((r.source, r.operation) for r in rows), [
                    ('bill', None),
                    ('review', 'bill_waiver'),
                    ('review', 'receipt_void'),
                    ('review', 'receipt_void'),
                    ('review', 'refund'),
                    ])
            self.assertEqual({r.project for r in rows}, {project})
            change, = BillChange.search([])
            bill_row, = [r for r in rows if r.source == 'bill']
            self.assertEqual(
                (bill_row.document, bill_row.field, bill_row.field_string,
                    bill_row.before, bill_row.after, bill_row.state,
                    bill_row.reason),
                (data['may_a'], 'discount', "Discount", change.old_value,
                    change.new_value, 'applied', "业主困难减免"))
            voids = [r for r in rows if r.operation == 'receipt_void']
            self.assertEqual({r.document for r in voids},
                {receipts['r2'], receipts['r5']})
            self.assertEqual({(r.amount, r.state) for r in voids},
                {(D('150.00'), 'approved'), (D('100.00'), 'approved')})
            refund_row, = [r for r in rows if r.operation == 'refund']
            self.assertEqual((refund_row.document.receipt, refund_row.amount),
                (receipts['r1'], D('20.00')))
            self.assertEqual(len({r.id for r in rows}), 5)
            with Transaction().set_context(to_date=dt.date(YEAR - 1, 12, 31)):
                self.assertEqual(ChangeLog.search([]), [])

    @with_transaction()
    def test_project_rule_and_access(self):
        "A cashier sees the rows of their projects only; others nothing"
        pool = Pool()
        Detail = pool.get('property.collection.detail')
        Rate = pool.get('property.collection.rate.project')
        ChangeLog = pool.get('property.change_log')
        Summary = pool.get('property.collection.summary.method')
        company = create_company()
        with set_company(company):
            data = self.scenario(company)
            other, _, _ = create_household(
                company, code='JG', name="金谷", number='101')
            cashier = create_user(company, 'own',
                ['aishang_cashier.group_cashier'], [data['project']])
            stranger = create_user(company, 'stranger',
                ['aishang_cashier.group_cashier'], [other])
            billing_admin = create_user(company, 'billing',
                ['aishang_billing.group_billing_admin'], [data['project']])
            nobody = create_user(company, 'nobody', [], [data['project']])
            context = {'_check_access': True, 'company': company.id,
                'from_date': day(2, 1), 'to_date': day(3, 31)}
            for user, count in [(cashier, 7), (stranger, 0),
                    (billing_admin, 7)]:
                with Transaction().set_user(user.id), \
                        Transaction().set_context(context, from_date=None,
                            to_date=None):
                    self.assertEqual(len(Detail.search([])), count)
                    self.assertEqual(
                        len(ChangeLog.search([])), 5 if count else 0)
                    self.assertEqual(
                        len(Summary.search([])), 2 if count else 0)
                with Transaction().set_user(user.id), \
                        Transaction().set_context(context):
                    self.assertEqual(len(Rate.search([])), 1 if count else 0)
            with Transaction().set_user(nobody.id), \
                    Transaction().set_context(context):
                for Model in [Detail, Rate, ChangeLog, Summary]:
                    with self.assertRaises(AccessError):
                        Model.search([])

    @with_transaction()
    def test_export_xlsx(self):
        "The export holds the numbers of the report, as numbers"
        import openpyxl
        pool = Pool()
        Wizard = pool.get('property.report.export_xlsx', type='wizard')
        Summary = pool.get('property.collection.summary.fee_item')
        Rate = pool.get('property.collection.rate.fee_item')
        company = create_company()
        with set_company(company):
            data = self.scenario(company)
            wyf = data['setup']['fee_items']['WYF']

            def export(model, ids=None, **context):
                session_id, _, _ = Wizard.create()
                with Transaction().set_context(active_model=model,
                        active_ids=ids or [],
                        active_id=ids[0] if ids else None, **context):
                    result = Wizard.execute(session_id, {}, 'start')
                Wizard.delete(session_id)
                values = result['view']['defaults']
                self.assertTrue(values['filename'].endswith('.xlsx'))
                workbook = openpyxl.load_workbook(io.BytesIO(values['file']))
                return values, list(workbook.active.iter_rows())

            values, rows = export('property.collection.summary.fee_item')
            self.assertEqual(values['count'], 2)
            title, filters, headers, *body, totals = [
                [c.value for c in r] for r in rows]
            self.assertEqual(title[0], "Collection Summary per Fee Item")
            self.assertEqual(headers, ["Project", "Fee Item", "Receipts",
                    "Amount Received", "Discounts", "Late Fees", "Refunded",
                    "Net Received", "Voided"])
            self.assertEqual(
                {r[1]: [D(str(v)) for v in r[2:]] for r in body}, {
                    wyf.rec_name: [D(v) for v in [
                            2, '511.70', 0, 0, '20.00', '491.70', '100.00']],
                    data['setup']['fee_items']['CWF'].rec_name: [
                        D(v) for v in [
                            1, '290.00', '10.00', 0, 0, '290.00', '150.00']],
                    })
            self.assertEqual(totals[0], "Total")
            self.assertEqual([D(str(v)).quantize(D('0.01'))
                    for v in totals[3:]],
                [D(v) for v in ['801.70', '10.00', '0.00', '20.00',
                        '781.70', '250.00']])
            money = rows[3][3]
            self.assertIsInstance(money.value, (int, float))
            self.assertEqual(money.number_format, '#,##0.00')

            # the selected row only, with the filters of the context
            context = {'from_date': day(2, 1), 'to_date': day(2, 28)}
            with Transaction().set_context(context):
                wyf_row, = Summary.search([('fee_item', '=', wyf.id)])
            values, rows = export(
                'property.collection.summary.fee_item', [wyf_row.id],
                context_model='property.collection.context', **context)
            self.assertEqual(values['count'], 1)
            self.assertIn(f"From Date：{YEAR}-02-01", rows[1][0].value)
            self.assertEqual(rows[3][3].value, 305.85)

            # rates as percentages
            context = {'from_date': day(2, 1), 'to_date': day(3, 31)}
            with Transaction().set_context(context):
                wyf_rate, = Rate.search([('fee_item', '=', wyf.id)])
            values, rows = export(
                'property.collection.rate.fee_item', [wyf_rate.id], **context)
            headers = [c.value for c in rows[2]]
            rate = rows[3][headers.index("Collection Rate")]
            self.assertEqual((rate.value, rate.number_format),
                (0.7429, '0.00%'))
            received = rows[3][headers.index("Receivable")]
            self.assertEqual(received.value, 411.7)
