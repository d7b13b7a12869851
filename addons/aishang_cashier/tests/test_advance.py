# This file is part of Aishang Property. See the LICENSE file at the top level
# of this repository for full copyright notices and license terms.
"Temporary charges and bills paid in advance at the cashier (C6)"
import calendar
import datetime as dt
import unittest
from decimal import Decimal

from trytond.exceptions import UserError
from trytond.modules.aishang_billing.tests.tools import create_fee_item
from trytond.modules.aishang_property.tests.tools import (
    create_building, create_owner, create_project, create_residence)
from trytond.modules.company.tests import create_company, set_company
from trytond.modules.aishang_billing.tests.tools import with_transaction
from trytond.pool import Pool
from trytond.tests.test_tryton import activate_module, drop_db
from trytond.transaction import Transaction

from .tools import (
    account_balance, create_bills, draft_receipt, setup_cashier)

D = Decimal


def create_home(company):
    "A home of 89.50 ㎡ handed over in 2020 and its owner"
    pool = Pool()
    Ownership = pool.get('property.ownership')
    project = create_project(company)
    building = create_building(project)
    home = create_residence(building, building.units[0], '301',
        area='89.50', handover_date=dt.date(2020, 1, 1))
    owner = create_owner()
    Ownership.create([{'resource': home.id, 'party': owner.id,
                'share': D(100), 'primary': True}])
    return project, building, home, owner


def run_bills(project, date):
    Run = Pool().get('property.bill.run')
    run, = Run.create([{'project': project.id, 'date': date}])
    with Transaction().set_context(bill_run_sync=True):
        Run.start([run])
    return Run(run.id)


def run_wizard(name, receipt, values, states):
    """Run wizard name on receipt: fill its start view with its defaults
    and values, then call default_<state> or transition_<state> of each of
    states.

    Return what the last one returned.
    """
    Wizard = Pool().get(name, type='wizard')
    session_id, _, _ = Wizard.create()
    with Transaction().set_context(active_model='property.receipt',
            active_id=receipt.id, active_ids=[receipt.id]):
        wizard = Wizard(session_id)
        for field, value in wizard.default_start(None).items():
            setattr(wizard.start, field, value)
        for field, value in values.items():
            setattr(wizard.start, field, value)
        for state in states:
            if hasattr(wizard, f'transition_{state}'):
                result = getattr(wizard, f'transition_{state}')()
            else:
                result = getattr(wizard, f'default_{state}')(None)
    return result


class AishangCashierAdvanceTestCase(unittest.TestCase):
    """Cashier: temporary charges and bills paid in advance

    The module's built-in checks run in test_module.py.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        drop_db()
        activate_module(['aishang_cashier'])

    @classmethod
    def tearDownClass(cls):
        super().tearDownClass()
        drop_db()

    def rules(self, project, building, fee_item):
        """2.30 a ㎡ a month for the project, 2.50 for the building from
        July 2026; billed monthly, due on the 16th"""
        pool = Pool()
        PriceRule = pool.get('property.price_rule')
        BillRule = pool.get('property.bill_rule')
        PriceRule.create([{
                    'fee_item': fee_item.id, 'project': project.id,
                    'method': 'area', 'unit_price': D('2.30'),
                    }, {
                    'fee_item': fee_item.id, 'project': project.id,
                    'building': building.id, 'method': 'area',
                    'unit_price': D('2.50'),
                    'start_date': dt.date(2026, 7, 1),
                    }])
        BillRule.create([{
                    'fee_item': fee_item.id, 'project': project.id,
                    'cycle': 'monthly', 'due_offset': 15,
                    }])

    @with_transaction()
    def test_temporary_charge(self):
        "A one-off charge is billed, issued, added and collected"
        pool = Pool()
        Bill = pool.get('property.bill')
        Receipt = pool.get('property.receipt')
        Payment = pool.get('property.receipt.payment')
        Date = pool.get('ir.date')
        company = create_company()
        with set_company(company):
            setup = setup_cashier(company)
            accounts = setup['accounts']
            temporary = create_fee_item(company, 'LS', "临时收费",
                accounts['1122.01'], accounts['6001.01'],
                category='temporary')
            project, building, home, owner = create_home(company)
            receipt = draft_receipt(home, owner, [], [])

            run_wizard('property.receipt.temporary', receipt, {
                    'fee_item': temporary, 'amount': D('80.00'),
                    'description': "装修垃圾清运"}, ['add'])
            # a second charge of the same item on the same day
            run_wizard('property.receipt.temporary', receipt, {
                    'fee_item': temporary, 'amount': D('20.00'),
                    'description': "门禁卡工本费", 'resource': None},
                ['add'])

            first, second = Bill.search([], order=[('id', 'ASC')])
            self.assertEqual(
                (first.origin, first.state, first.amount, first.resource,
                    first.party, first.period_start, first.period_key,
                    first.description),
                ('manual', 'open', D('80.00'), home, owner, Date.today(),
                    None, "装修垃圾清运"))
            self.assertEqual((second.resource, second.amount),
                (None, D('20.00')))
            self.assertEqual(first.move.state, 'posted')
            receipt = Receipt(receipt.id)
            self.assertEqual([(l.bill, l.amount) for l in receipt.lines],
                [(first, D('80.00')), (second, D('20.00'))])

            Payment.create([{'receipt': receipt.id,
                        'method': setup['methods']['cash'].id,
                        'amount': D('100.00')}])
            Receipt.collect([receipt])
            self.assertEqual(
                [b.state for b in Bill.browse([first, second])],
                ['paid', 'paid'])
            self.assertEqual(account_balance(accounts['1122.01']), D(0))
            self.assertEqual(
                account_balance(accounts['6001.01']), D('-100.00'))
            self.assertEqual(account_balance(accounts['1001']), D('100.00'))

    @with_transaction()
    def test_advance_twelve_months(self):
        """12 months after the last billed one, priced as a bill run would;
        the runs afterwards bill none of them again"""
        pool = Pool()
        Bill = pool.get('property.bill')
        Receipt = pool.get('property.receipt')
        Payment = pool.get('property.receipt.payment')
        company = create_company()
        with set_company(company):
            setup = setup_cashier(company)
            wyf = setup['fee_items']['WYF']
            project, building, home, owner = create_home(company)
            self.rules(project, building, wyf)
            # Not from a run: a run writes its bills in SQL, which a
            # collection in the same transaction cannot lock on PostgreSQL
            january, = create_bills(home, owner, wyf, ['205.85'],
                first=dt.date(2026, 1, 1))

            receipt = draft_receipt(home, owner, [], [])
            values = {'resource': home, 'fee_item': wyf, 'periods': 12}
            preview = run_wizard('property.receipt.advance', receipt,
                values, ['preview'])
            # 89.50 ㎡ × 2.30 = 205.85 until June, × 2.50 = 223.75 after
            self.assertEqual(preview['count'], 12)
            self.assertEqual(preview['total'],
                5 * D('205.85') + 7 * D('223.75'))
            self.assertEqual(preview['total'], D('2595.50'))
            self.assertEqual(Bill.search([('origin', '=', 'advance')]), [])
            run_wizard('property.receipt.advance', receipt, values,
                ['preview', 'add'])

            bills = Bill.search([('origin', '=', 'advance')],
                order=[('period_start', 'ASC')])
            starts = [dt.date(2026 + (m // 12), m % 12 + 1, 1)
                for m in range(1, 13)]
            self.assertEqual([b.period_start for b in bills], starts)
            self.assertEqual([b.period_key for b in bills], starts)
            self.assertEqual([b.period_end for b in bills],
                [s.replace(day=calendar.monthrange(s.year, s.month)[1])
                    for s in starts])
            self.assertEqual([b.amount for b in bills],
                [D('205.85')] * 5 + [D('223.75')] * 7)
            self.assertEqual([b.unit_price for b in bills],
                [D('2.30')] * 5 + [D('2.50')] * 7)
            self.assertEqual([b.due_date for b in bills],
                [s + dt.timedelta(days=15) for s in starts])
            self.assertEqual({(b.state, b.party) for b in bills},
                {('open', owner)})
            receipt = Receipt(receipt.id)
            self.assertEqual([l.bill for l in receipt.lines], bills)

            # January is older: it is paid with them
            Receipt.add_open_bills([receipt])
            receipt = Receipt(receipt.id)
            self.assertEqual(receipt.lines[0].bill, january)
            self.assertEqual(receipt.amount, D('2801.35'))
            Payment.create([{'receipt': receipt.id,
                        'method': setup['methods']['cash'].id,
                        'amount': D('2801.35')}])
            Receipt.collect([receipt])
            self.assertEqual({b.state for b in Bill.browse(bills)}, {'paid'})

            for date in [dt.date(2026, 2, 1), dt.date(2026, 6, 10),
                    dt.date(2027, 1, 31)]:
                self.assertEqual(run_bills(project, date).bill_count, 0)
            february = run_bills(project, dt.date(2027, 2, 1))
            self.assertEqual([b.amount for b in february.bills],
                [D('223.75')])
            self.assertEqual(len(Bill.search([
                            ('resource', '=', home.id),
                            ('fee_item', '=', wyf.id)])), 14)

            # the next advance starts after the run's February
            later = draft_receipt(home, owner, [], [])
            row, = later.plan_advance(home, wyf, 1)
            self.assertEqual((row['period_start'], row['amount']),
                (dt.date(2027, 3, 1), D('223.75')))

    @with_transaction()
    def test_advance_refused_without_rule_or_price(self):
        pool = Pool()
        Bill = pool.get('property.bill')
        BillRule = pool.get('property.bill_rule')
        Receipt = pool.get('property.receipt')
        company = create_company()
        with set_company(company):
            setup = setup_cashier(company)
            parking = setup['fee_items']['CWF']
            project, building, home, owner = create_home(company)
            receipt = draft_receipt(home, owner, [], [])
            with self.assertRaises(UserError) as cm:
                receipt.add_advance(home, parking, 12)
            self.assertIn(parking.rec_name, cm.exception.message)

            BillRule.create([{'fee_item': parking.id,
                        'project': project.id, 'cycle': 'monthly'}])
            with self.assertRaises(UserError) as cm:
                receipt.add_advance(home, parking, 12)
            self.assertIn(home.rec_name, cm.exception.message)

            temporary = create_fee_item(company, 'LS', "临时收费",
                category='temporary')
            with self.assertRaises(UserError):
                receipt.add_advance(home, temporary, 1)
            with self.assertRaises(UserError):
                receipt.add_advance(home, setup['fee_items']['WYF'], 0)
            self.assertEqual(Bill.search([]), [])
            self.assertEqual(Receipt(receipt.id).lines, ())
