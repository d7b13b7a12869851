# This file is part of Aishang Property. See the LICENSE file at the top level
# of this repository for full copyright notices and license terms.
"Shift closes and daily settlements (C8) with hand-computed totals"
import datetime as dt
import unittest
from contextlib import contextmanager
from decimal import Decimal
from unittest.mock import patch

from trytond.exceptions import UserError, UserWarning
from trytond.modules.company.tests import create_company, set_company
from trytond.modules.aishang_billing.tests.tools import with_transaction
from trytond.pool import Pool
from trytond.tests.test_tryton import activate_module, drop_db
from trytond.transaction import Transaction

from .tools import create_bills, create_household, draft_receipt, setup_cashier

D = Decimal
# Days of the current fiscal year, whatever day the tests run
DAY1 = dt.date(dt.date.today().year, 6, 10)
DAY2 = DAY1 + dt.timedelta(days=1)


@contextmanager
def on_day(day):
    "Make day today for every Date.today() of the pool"
    Date = Pool().get('ir.date')
    with patch.object(Date, 'today', return_value=day):
        yield


@contextmanager
def as_user(user, check_access=False):
    transaction = Transaction()
    with transaction.set_user(user.id), \
            transaction.set_context(_check_access=check_access):
        yield


def create_cashier(login, company, admin=False):
    pool = Pool()
    User = pool.get('res.user')
    ModelData = pool.get('ir.model.data')
    group = 'group_cashier_admin' if admin else 'group_cashier'
    user, = User.create([{
                'login': login, 'name': login,
                'groups': [('add', [
                            ModelData.get_id('aishang_cashier', group)])],
                'companies': [('add', [company.id])],
                'company': company.id,
                }])
    return user


def lines_of(settlement):
    "The lines as {method kind: (count, received, given back, net)}"
    return {l.method.kind: (l.count, l.received, l.refunded, l.net)
        for l in settlement.lines}


def totals_of(settlement):
    return (settlement.receipt_count, settlement.void_count,
        settlement.refund_count, settlement.received, settlement.refunded,
        settlement.net)


class AishangCashierSettlementTestCase(unittest.TestCase):
    """Cashier: shift closes and daily settlements

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

    def collect(self, cashier, home, owner, lines, payments):
        Receipt = Pool().get('property.receipt')
        receipt = draft_receipt(home, owner, lines, payments)
        with as_user(cashier):
            Receipt.collect([receipt])
        return Receipt(receipt.id)

    def close(self, company, cashier, date, **values):
        Settlement = Pool().get('property.cashier.settlement')
        settlement, = Settlement.create([{
                    'company': company.id, 'date': date,
                    'kind': 'shift' if cashier else 'day',
                    'cashier': cashier.id if cashier else None,
                    **values}])
        Settlement.close([settlement])
        return Settlement(settlement.id)

    @with_transaction()
    def test_shifts_days_and_a_void_the_next_day(self):
        """Two cashiers, cash and WeChat; the next day a void and a refund
        count as money given back, the closed day keeps its totals"""
        pool = Pool()
        Receipt = pool.get('property.receipt')
        Payment = pool.get('property.receipt.payment')
        Refund = pool.get('property.refund')
        Request = pool.get('review.request')
        Settlement = pool.get('property.cashier.settlement')
        company = create_company()
        with set_company(company):
            setup = setup_cashier(company)
            cash, wechat = setup['methods']['cash'], setup['methods']['wechat']
            wyf = setup['fee_items']['WYF']
            project, home1, owner1 = create_household(company)
            _, home2, owner2 = create_household(company, number='302')
            jan1, feb1 = create_bills(home1, owner1, wyf, ['205.85', '205.85'])
            jan2, = create_bills(home2, owner2, wyf, ['290.49'])
            ann = create_cashier('ann', company)
            bob = create_cashier('bob', company)

            with on_day(DAY1):
                r1 = self.collect(ann, home1, owner1, [(jan1, '205.85')],
                    [(cash, '100.00'), (wechat, '105.85')])
                r2 = self.collect(ann, home2, owner2, [(jan2, '290.49')],
                    [(wechat, '290.49')])
                r3 = self.collect(bob, home1, owner1, [(feb1, '205.85')],
                    [(cash, '205.85')])

                draft, = Settlement.create([{
                            'company': company.id, 'cashier': ann.id,
                            'date': DAY1}])
                Settlement.compute([draft])
                self.assertEqual(lines_of(draft), {
                        'cash': (1, D('100.00'), D(0), D('100.00')),
                        'wechat': (2, D('396.34'), D(0), D('396.34')),
                        })
                self.assertEqual(Receipt(r1.id).settlement, None)
                Settlement.close([draft])
                ann1 = Settlement(draft.id)
                bob1 = self.close(company, bob, DAY1)
                day1 = self.close(company, None, DAY1)

            self.assertEqual(ann1.state, 'closed')
            self.assertEqual(ann1.closed_by.id, Transaction().user)
            self.assertEqual(totals_of(ann1),
                (2, 0, 0, D('496.34'), D(0), D('496.34')))
            self.assertEqual(lines_of(bob1), {
                    'cash': (1, D('205.85'), D(0), D('205.85'))})
            self.assertEqual(list(ann1.receipts), [r2, r1])
            self.assertEqual(list(bob1.receipts), [r3])
            self.assertEqual(lines_of(day1), {
                    'cash': (2, D('305.85'), D(0), D('305.85')),
                    'wechat': (2, D('396.34'), D(0), D('396.34')),
                    })
            self.assertEqual(totals_of(day1),
                (3, 0, 0, D('702.19'), D(0), D('702.19')))
            self.assertEqual(set(day1.shifts), {ann1, bob1})
            ann1_lines, ann1_totals = lines_of(ann1), totals_of(ann1)

            with on_day(DAY2):
                # ann voids her own receipt, bob one of ann's
                with as_user(ann):
                    Request.submit('receipt_void', r1, r1.total,
                        "金额录错", company=company)
                with as_user(bob):
                    Request.submit('receipt_void', r2, r2.total,
                        "重复收款", company=company)
                    refund, = Refund.create([{
                                'company': company.id,
                                'project': project.id, 'kind': 'receipt',
                                'receipt': r3.id, 'party': owner1.id,
                                'amount': D('50.00'), 'method': cash.id,
                                'reason': "多收"}])
                    Refund.request([refund])
                r4 = self.collect(ann, home1, owner1, [(jan1, '205.85')],
                    [(wechat, '205.85')])
                self.assertEqual(
                    (Receipt(r1.id).state, Receipt(r1.id).void_cashier),
                    ('void', ann))
                self.assertEqual(Receipt(r2.id).void_cashier, bob)
                self.assertEqual(Refund(refund.id).cashier, bob)

                ann2 = self.close(company, ann, DAY2)
                day2, = Settlement.create([{
                            'company': company.id, 'kind': 'day',
                            'date': DAY2}])
                with self.assertRaises(UserWarning):
                    # bob has not closed his shift yet
                    Settlement.close([day2])
                bob2 = self.close(company, bob, DAY2)
                Settlement.close([day2])
                day2 = Settlement(day2.id)

                # The day is closed: a shift of it can no longer close
                cat = create_cashier('cat', company)
                late, = Settlement.create([{
                            'company': company.id, 'cashier': cat.id,
                            'date': DAY2}])
                with self.assertRaises(UserError):
                    Settlement.close([late])

            self.assertEqual(lines_of(ann2), {
                    'cash': (1, D(0), D('100.00'), D('-100.00')),
                    'wechat': (2, D('205.85'), D('105.85'), D('100.00')),
                    })
            self.assertEqual(totals_of(ann2),
                (1, 1, 0, D('205.85'), D('205.85'), D(0)))
            self.assertEqual(list(ann2.receipts), [r4])
            self.assertEqual(list(ann2.voided_receipts), [r1])
            self.assertEqual(lines_of(bob2), {
                    'cash': (1, D(0), D('50.00'), D('-50.00')),
                    'wechat': (1, D(0), D('290.49'), D('-290.49')),
                    })
            self.assertEqual(totals_of(bob2),
                (0, 1, 1, D(0), D('340.49'), D('-340.49')))
            self.assertEqual(list(bob2.voided_receipts), [r2])
            self.assertEqual(list(bob2.refunds), [refund])
            self.assertEqual(lines_of(day2), {
                    'cash': (2, D(0), D('150.00'), D('-150.00')),
                    'wechat': (3, D('205.85'), D('396.34'), D('-190.49')),
                    })
            self.assertEqual(totals_of(day2),
                (1, 2, 1, D('205.85'), D('546.34'), D('-340.49')))

            # The first day did not move; what it counted is frozen
            ann1 = Settlement(ann1.id)
            self.assertEqual(lines_of(ann1), ann1_lines)
            self.assertEqual(totals_of(ann1), ann1_totals)
            self.assertEqual(Receipt(r1.id).settlement, ann1)
            self.assertEqual(Receipt(r1.id).void_settlement, ann2)
            with self.assertRaises(UserError):
                Settlement.write([ann1], {'received': D(0)})
            with self.assertRaises(UserError):
                Settlement.delete([ann1])
            with self.assertRaises(UserError):
                Receipt.write([Receipt(r2.id)], {'party': owner1.id})
            with self.assertRaises(UserError):
                Payment.write(list(Receipt(r3.id).payments),
                    {'amount': D('1.00')})
            Settlement.write([ann1], {'note': "钱箱已核对"})

            # Each cashier sees their own shift closes, the admin all
            admin = create_cashier('boss', company, admin=True)
            with as_user(ann, check_access=True):
                self.assertEqual(
                    set(Settlement.search([])), {ann1, ann2})
            with as_user(bob, check_access=True):
                self.assertEqual(
                    set(Settlement.search([])), {bob1, bob2})
            with as_user(admin, check_access=True):
                self.assertEqual(set(Settlement.search([])),
                    {ann1, ann2, bob1, bob2, day1, day2, late})

    @with_transaction()
    def test_unsettled_days_roll_into_the_next_close(self):
        "A shift not closed on its day counts in the next close"
        company = create_company()
        with set_company(company):
            setup = setup_cashier(company)
            cash = setup['methods']['cash']
            project, home, owner = create_household(company)
            jan, feb = create_bills(home, owner, setup['fee_items']['WYF'],
                ['205.85', '205.85'])
            ann = create_cashier('ann', company)
            with on_day(DAY1):
                self.collect(ann, home, owner, [(jan, '205.85')],
                    [(cash, '205.85')])
            with on_day(DAY2):
                self.collect(ann, home, owner, [(feb, '205.85')],
                    [(cash, '205.85')])
                shift = self.close(company, ann, DAY2)
                self.assertEqual(lines_of(shift), {
                        'cash': (2, D('411.70'), D(0), D('411.70'))})
                self.assertEqual(len(shift.receipts), 2)
                # nothing is left for the first day
                first = self.close(company, ann, DAY1)
                self.assertEqual((first.lines, first.net), ((), D(0)))

    @with_transaction()
    def test_one_shift_close_per_cashier_and_day(self):
        pool = Pool()
        Settlement = pool.get('property.cashier.settlement')
        company = create_company()
        with set_company(company):
            ann = create_cashier('ann', company)
            values = {'company': company.id, 'cashier': ann.id,
                'date': DAY1}
            Settlement.create([values])
            with self.assertRaises(UserError):
                Settlement.create([values])

    @with_transaction()
    def test_one_daily_settlement_per_day(self):
        pool = Pool()
        Settlement = pool.get('property.cashier.settlement')
        company = create_company()
        with set_company(company):
            values = {'company': company.id, 'kind': 'day',
                'cashier': None, 'date': DAY1}
            Settlement.create([values])
            with self.assertRaises(UserError):
                Settlement.create([values])

