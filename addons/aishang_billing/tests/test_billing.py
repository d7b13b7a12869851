# This file is part of Aishang Property. See the LICENSE file at the top level
# of this repository for full copyright notices and license terms.
import datetime as dt
from decimal import Decimal

from trytond.exceptions import UserError
from trytond.modules.aishang_property.tests.tools import (
    create_building, create_owner, create_project, create_residence)
from trytond.modules.company.tests import (
    CompanyTestMixin, create_company, set_company)
from trytond.pool import Pool
from trytond.tests.test_tryton import ModuleTestCase
from trytond.transaction import Transaction

from .tools import with_transaction
from .tools import create_fee_item, receivable_balance, setup_accounting

D = Decimal


class AishangBillingBehaviourTestCase(CompanyTestMixin, ModuleTestCase):
    "Bills from rules, reruns, pro-rating, late fees and accounting"
    module = 'aishang_billing'

    def community(self, company, today):
        "A project with three homes, one handed over mid-month, one owner"
        pool = Pool()
        Ownership = pool.get('property.ownership')
        project = create_project(company)
        building = create_building(project, '2', ['1'])
        unit, = building.units
        month_start = today.replace(day=1)
        homes = [
            create_residence(building, unit, '101', area='89.50',
                handover_date=dt.date(2020, 1, 1)),
            create_residence(building, unit, '102', area='126.30',
                handover_date=dt.date(2020, 1, 1)),
            create_residence(building, unit, '103', area='100.00',
                handover_date=month_start + dt.timedelta(days=15)),
            ]
        owner = create_owner()
        Ownership.create([{'resource': homes[0].id, 'party': owner.id}])
        return project, homes, owner

    def rules(self, project, fee_item, price='2.30', **rule_values):
        pool = Pool()
        PriceRule = pool.get('property.price_rule')
        BillRule = pool.get('property.bill_rule')
        PriceRule.create([{'fee_item': fee_item.id, 'project': project.id,
                    'method': 'area', 'unit_price': D(price)}])
        rule, = BillRule.create([{'fee_item': fee_item.id,
                    'project': project.id, 'cycle': 'monthly',
                    'due_offset': 15, **rule_values}])
        return rule

    def run_bills(self, project, date):
        Run = Pool().get('property.bill.run')
        run, = Run.create([{'project': project.id, 'date': date}])
        with Transaction().set_context(bill_run_sync=True):
            Run.start([run])
        return Run(run.id)

    @with_transaction()
    def test_run_bills_posts_and_reruns_safely(self):
        "A run bills handed-over homes, posts one move; a rerun adds nothing"
        pool = Pool()
        Bill = pool.get('property.bill')
        company = create_company()
        with set_company(company):
            today = Pool().get('ir.date').today()
            control, revenue = setup_accounting(company, today)
            project, homes, owner = self.community(company, today)
            fee_item = create_fee_item(company, control=control,
                revenue=revenue)
            self.rules(project, fee_item)

            run = self.run_bills(project, today)
            self.assertEqual(run.state, 'done')
            bills = Bill.search([], order=[('resource', 'ASC')])
            days = (today.replace(day=28) + dt.timedelta(days=4)).replace(
                day=1) - today.replace(day=1)
            days = days.days
            late_days = days - 15
            expected = [
                D('205.85'),
                D('290.49'),
                (D('230.00') * late_days / days).quantize(D('0.01')),
                ]
            self.assertEqual([b.amount for b in bills], expected)
            self.assertEqual([b.balance for b in bills], expected)
            self.assertEqual(bills[0].party, owner)
            self.assertIsNone(bills[1].party)
            self.assertEqual({b.state for b in bills}, {'open'})
            self.assertTrue(all(b.number.startswith('ZD') for b in bills))
            self.assertEqual(len({b.number for b in bills}), 3)
            self.assertEqual(run.bill_count, 3)
            self.assertEqual(run.total, sum(expected))

            move, = run.moves
            self.assertEqual(move.state, 'posted')
            self.assertEqual({b.move for b in bills}, {move})
            self.assertEqual(receivable_balance(control), sum(expected))
            self.assertEqual(
                receivable_balance(control),
                sum(b.balance for b in Bill.search(
                        [('state', 'in', ['open', 'partial'])])))

            rerun = self.run_bills(project, today)
            self.assertEqual(rerun.bill_count, 0)
            self.assertEqual(len(Bill.search([])), 3)
            self.assertEqual(receivable_balance(control), sum(expected))

    @with_transaction()
    def test_preview_writes_nothing(self):
        pool = Pool()
        Bill = pool.get('property.bill')
        Run = pool.get('property.bill.run')
        company = create_company()
        with set_company(company):
            today = pool.get('ir.date').today()
            project, homes, owner = self.community(company, today)
            fee_item = create_fee_item(company)
            self.rules(project, fee_item)
            run, = Run.create([{'project': project.id, 'date': today}])
            Run.compute_preview([run])
            self.assertEqual(Bill.search([]), [])
            self.assertIn('3', run.preview)
            self.assertEqual(run.state, 'draft')

    @with_transaction()
    def test_duplicate_refused_by_database(self):
        "The unique key refuses a second bill for the same period"
        pool = Pool()
        Bill = pool.get('property.bill')
        company = create_company()
        with set_company(company):
            project, homes, owner = self.community(
                company, dt.date(2024, 3, 1))
            fee_item = create_fee_item(company)
            values = {'project': project.id, 'resource': homes[0].id,
                'fee_item': fee_item.id, 'amount': D('10'),
                'period_start': dt.date(2024, 3, 1),
                'period_end': dt.date(2024, 3, 31)}
            bill, = Bill.create([values])
            with self.assertRaises(UserError):
                Bill.create([values])

    @with_transaction()
    def test_void_frees_the_period(self):
        pool = Pool()
        Bill = pool.get('property.bill')
        company = create_company()
        with set_company(company):
            project, homes, owner = self.community(
                company, dt.date(2024, 3, 1))
            fee_item = create_fee_item(company)
            values = {'project': project.id, 'resource': homes[0].id,
                'fee_item': fee_item.id, 'amount': D('10'),
                'period_start': dt.date(2024, 3, 1),
                'period_end': dt.date(2024, 3, 31)}
            bill, = Bill.create([values])
            Bill.void([bill])
            self.assertEqual((bill.state, bill.period_key), ('void', None))
            again, = Bill.create([values])
            self.assertEqual(again.period_key, dt.date(2024, 3, 1))

    @with_transaction()
    def test_issued_bill_not_deleted(self):
        pool = Pool()
        Bill = pool.get('property.bill')
        company = create_company()
        with set_company(company):
            today = pool.get('ir.date').today()
            control, revenue = setup_accounting(company, today)
            project, homes, owner = self.community(company, today)
            fee_item = create_fee_item(company, control=control,
                revenue=revenue, category='temporary')
            bill, = Bill.create([{'project': project.id,
                        'resource': homes[0].id, 'fee_item': fee_item.id,
                        'party': owner.id, 'amount': D('88.00'),
                        'description': "更换门锁"}])
            Bill.issue([bill])
            self.assertEqual(bill.state, 'open')
            self.assertTrue(bill.move)
            self.assertEqual(receivable_balance(control), D('88.00'))
            with self.assertRaises(UserError):
                Bill.delete([bill])

    @with_transaction()
    def test_amount_change_logged_and_posted(self):
        "A changed amount is logged and the receivable follows it"
        pool = Pool()
        Bill = pool.get('property.bill')
        company = create_company()
        with set_company(company):
            today = pool.get('ir.date').today()
            control, revenue = setup_accounting(company, today)
            project, homes, owner = self.community(company, today)
            fee_item = create_fee_item(company, control=control,
                revenue=revenue)
            bill, = Bill.create([{'project': project.id,
                        'resource': homes[0].id, 'fee_item': fee_item.id,
                        'party': owner.id, 'amount': D('205.85')}])
            Bill.issue([bill])
            Bill.change_amount(bill, D('180.00'), "面积复核后更正")
            self.assertEqual((bill.amount, bill.balance),
                (D('180.00'), D('180.00')))
            change, = bill.changes
            self.assertEqual(
                (change.field, change.old_value, change.new_value,
                    change.reason),
                ('amount', '205.85', '180.00', "面积复核后更正"))
            self.assertEqual(receivable_balance(control), D('180.00'))

    @with_transaction()
    def test_late_fees_not_compounded(self):
        pool = Pool()
        Bill = pool.get('property.bill')
        company = create_company()
        with set_company(company):
            project, homes, owner = self.community(
                company, dt.date(2024, 3, 1))
            fee_item = create_fee_item(company, late_fee=True,
                late_fee_rate=D('0.0005'), late_fee_grace_days=0,
                late_fee_cap=D('10'))
            bill, = Bill.create([{'project': project.id,
                        'resource': homes[0].id, 'fee_item': fee_item.id,
                        'amount': D('1000.00'), 'state': 'open',
                        'due_date': dt.date(2024, 3, 31),
                        'period_start': dt.date(2024, 3, 1),
                        'period_end': dt.date(2024, 3, 31)}])
            Bill.compute_late_fees([bill], dt.date(2024, 4, 10))
            self.assertEqual(bill.late_fee, D('5.00'))
            self.assertEqual(bill.balance, D('1005.00'))
            Bill.compute_late_fees([bill], dt.date(2024, 4, 20))
            line, = bill.lines
            self.assertEqual((line.kind, line.amount), ('late_fee', D('10.00')))
            self.assertEqual(bill.balance, D('1010.00'))
            # capped at 10 % of the principal
            Bill.compute_late_fees([bill], dt.date(2025, 4, 20))
            self.assertEqual(bill.late_fee, D('100.00'))
            self.assertEqual(len(bill.lines), 1)

    @with_transaction()
    def test_price_rule_checks(self):
        "Overlapping prices and bad formulas are refused with the reason"
        pool = Pool()
        PriceRule = pool.get('property.price_rule')
        company = create_company()
        with set_company(company):
            project = create_project(company)
            fee_item = create_fee_item(company)
            PriceRule.create([{'fee_item': fee_item.id,
                        'project': project.id, 'method': 'area',
                        'unit_price': D('2'),
                        'start_date': dt.date(2024, 1, 1)}])
            PriceRule.create([{'fee_item': fee_item.id,
                        'project': project.id, 'method': 'area',
                        'unit_price': D('1'),
                        'end_date': dt.date(2023, 12, 31)}])
            with self.assertRaises(UserError) as cm:
                PriceRule.create([{'fee_item': fee_item.id,
                            'project': project.id, 'method': 'area',
                            'unit_price': D('3'),
                            'start_date': dt.date(2024, 6, 1)}])
            self.assertIn('overlapping', cm.exception.message)
            elevator = create_fee_item(company, code='DTF', name="电梯费")
            with self.assertRaises(UserError) as cm:
                PriceRule.create([{'fee_item': elevator.id,
                            'project': project.id, 'method': 'formula',
                            'formula': "__import__('os').system('ls')"}])
            self.assertIn('formula', cm.exception.message)

    @with_transaction()
    def test_ledger_sums(self):
        "The ledgers sum bills per building, fee item and fee period in SQL"
        pool = Pool()
        Bill = pool.get('property.bill')
        Ledger = pool.get('property.receivable.ledger')
        Summary = pool.get('property.receivable.summary')
        company = create_company()
        with set_company(company):
            project, homes, owner = self.community(
                company, dt.date(2024, 3, 1))
            fee_item = create_fee_item(company)
            water = create_fee_item(company, code='SF', name="水费",
                category='metered')
            Bill.create([
                    {'project': project.id, 'resource': homes[i].id,
                        'fee_item': item.id, 'amount': D(amount),
                        'state': 'open',
                        'period_start': dt.date(2024, month, 1),
                        'period_end': dt.date(2024, month, 28)}
                    for i, item, amount, month in [
                        (0, fee_item, '100.10', 3), (1, fee_item, '50.05', 3),
                        (0, fee_item, '100.10', 4), (0, water, '33.33', 3)]])
            Bill.create([{'project': project.id, 'resource': homes[2].id,
                        'fee_item': fee_item.id, 'amount': D('999'),
                        'state': 'draft',
                        'period_start': dt.date(2024, 3, 1)}])
            with Transaction().set_context(company=company.id):
                rows = {(r.fee_item.code, r.period): (r.bill_count, r.amount)
                    for r in Summary.search([])}
                self.assertEqual(rows, {
                        ('WYF', '2024-03'): (2, D('150.15')),
                        ('WYF', '2024-04'): (1, D('100.10')),
                        ('SF', '2024-03'): (1, D('33.33')),
                        })
                detail = Ledger.search([])
                self.assertEqual(len(detail), 3)
                self.assertEqual(
                    sum(r.balance for r in detail), D('283.58'))
            with Transaction().set_context(
                    company=company.id, from_date=dt.date(2024, 4, 1)):
                self.assertEqual(
                    [r.amount for r in Summary.search([])], [D('100.10')])


del ModuleTestCase
