# This file is part of Aishang Property. See the LICENSE file at the top level
# of this repository for full copyright notices and license terms.
"Discount schemes and standing waivers at the cashier (S2, C7)"
import datetime as dt
from decimal import Decimal

from trytond.exceptions import UserError
from trytond.modules.company.tests import create_company, set_company
from trytond.modules.aishang_billing.tests.tools import with_transaction
from trytond.pool import Pool

from .tools import (
    CashierTestCase, account_balance, create_bills, create_household,
    draft_receipt, setup_cashier)

D = Decimal


def create_scheme(company, name, kind, **values):
    Scheme = Pool().get('property.discount')
    scheme, = Scheme.create([{
                'company': company.id, 'name': name, 'kind': kind,
                **values}])
    return scheme


class AishangDiscountTestCase(CashierTestCase):
    "Discounts as explicit lines, reviewed above their threshold"

    def collect_all(self, home, owner, scheme, method):
        Receipt = Pool().get('property.receipt')
        receipt = draft_receipt(home, owner, [], [])
        receipt.discount_scheme = scheme
        receipt.save()
        Receipt.add_open_bills([receipt])
        receipt = Receipt(receipt.id)
        Pool().get('property.receipt.payment').create([{
                    'receipt': receipt.id, 'method': method.id,
                    'amount': receipt.amount}])
        return Receipt(receipt.id)

    @with_transaction()
    def test_percentage_rounded_per_bill(self):
        pool = Pool()
        Receipt = pool.get('property.receipt')
        company = create_company()
        with set_company(company):
            setup = setup_cashier(company)
            project, home, owner = create_household(company)
            create_bills(home, owner, setup['fee_items']['WYF'],
                ['205.85', '33.33'])
            scheme = create_scheme(company, "九五折", 'percentage',
                rate=D(5), review_above=None)
            receipt = self.collect_all(
                home, owner, scheme, setup['methods']['cash'])
            self.assertEqual([l.discount for l in receipt.lines],
                [D('10.29'), D('1.67')])
            self.assertEqual(receipt.amount, D('227.22'))
            Receipt.collect([receipt])
            self.assertEqual(
                account_balance(setup['accounts']['1122.01']), D(0))
            self.assertEqual(
                account_balance(setup['accounts']['6001.01']),
                -(D('239.18') - D('11.96')))
            self.assertEqual({l.bill.state for l in receipt.lines}, {'paid'})

    @with_transaction()
    def test_free_month_needs_review(self):
        "Pay 12 get 1: above the threshold the discount waits for review"
        pool = Pool()
        Receipt = pool.get('property.receipt')
        company = create_company()
        with set_company(company):
            setup = setup_cashier(company)
            project, home, owner = create_household(company)
            bills = create_bills(home, owner, setup['fee_items']['WYF'],
                ['280.00'] * 13)
            scheme = create_scheme(company, "交12个月送1个月",
                'free_months', pay_months=12, free_months=1,
                review_above=D(100))
            receipt = self.collect_all(
                home, owner, scheme, setup['methods']['cash'])
            self.assertEqual(receipt.amount, D('3360.00'))
            self.assertEqual(receipt.lines[-1].discount, D('280.00'))
            with self.assertRaises(UserError):
                Receipt.collect([receipt])
            # no review policy: the request is approved at once
            Receipt.request_waiver([receipt])
            receipt = Receipt(receipt.id)
            self.assertEqual(receipt.waiver_approved, D('280.00'))
            self.assertEqual(receipt.waiver_request.state, 'approved')
            Receipt.collect([receipt])
            self.assertEqual(pool.get('property.bill')(bills[-1].id).state,
                'paid')
            self.assertEqual(
                account_balance(setup['accounts']['1122.01']), D(0))
            self.assertEqual(
                account_balance(setup['accounts']['6001.01']),
                D('-3360.00'))

    @with_transaction()
    def test_round_off_explicit(self):
        "DOMAIN_RULES 8: 0.85 below the yuan is an explicit discount"
        pool = Pool()
        Receipt = pool.get('property.receipt')
        company = create_company()
        with set_company(company):
            setup = setup_cashier(company)
            project, home, owner = create_household(company)
            create_bills(home, owner, setup['fee_items']['WYF'], ['205.85'])
            create_bills(home, owner, setup['fee_items']['CWF'], ['150.00'])
            scheme = create_scheme(company, "抹零", 'round_off',
                round_unit='1', review_above=D(1))
            receipt = self.collect_all(
                home, owner, scheme, setup['methods']['cash'])
            self.assertEqual([l.discount for l in receipt.lines],
                [D('0.49'), D('0.36')])
            self.assertEqual(receipt.amount, D('355.00'))
            Receipt.collect([receipt])
            self.assertEqual(
                account_balance(setup['accounts']['1001']), D('355.00'))

    @with_transaction()
    def test_standing_vacancy_waiver(self):
        "A reviewed vacancy waiver halves the bills of vacant homes"
        pool = Pool()
        Receipt = pool.get('property.receipt')
        Waiver = pool.get('property.waiver')
        company = create_company()
        with set_company(company):
            setup = setup_cashier(company)
            project, home, owner = create_household(company)
            home.occupancy = 'vacant'
            home.save()
            create_bills(home, owner, setup['fee_items']['WYF'],
                ['205.85', '205.85'], first=dt.date(2026, 1, 1))
            scheme = create_scheme(company, "空置房五折", 'vacancy',
                rate=D(50))
            waiver, = Waiver.create([{
                        'company': company.id, 'project': project.id,
                        'scheme': scheme.id,
                        'waived_resources': [('add', [home.id])],
                        'start_date': dt.date(2026, 2, 1),
                        'end_date': dt.date(2026, 12, 31),
                        'reason': "2026年空置房优惠"}])
            Waiver.request([waiver])
            self.assertEqual(waiver.state, 'approved')
            self.assertEqual(waiver.estimate, D('102.93'))
            receipt = self.collect_all(
                home, owner, None, setup['methods']['cash'])
            # January is before the waiver, February is halved
            self.assertEqual([l.discount for l in receipt.lines],
                [D('0'), D('102.93')])
            self.assertEqual(receipt.lines[1].discount_source, 'waiver')
            Receipt.collect([receipt])
            self.assertEqual(
                account_balance(setup['accounts']['1122.01']), D(0))
