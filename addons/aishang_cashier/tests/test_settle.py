# This file is part of Aishang Property. See the LICENSE file at the top level
# of this repository for full copyright notices and license terms.
"Golden and property tests of the cashier's money rules (settle.py)"
import datetime as dt
import unittest
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from trytond.modules.aishang_cashier import settle
from trytond.modules.aishang_cashier.settle import Due, Part, SettleError

D = Decimal
JAN, FEB, MAR = dt.date(2026, 1, 1), dt.date(2026, 2, 1), dt.date(2026, 3, 1)


def due(key, principal, late_fee='0', group='WYF', order=None):
    return Due(key, group, (order or JAN, key), D(principal), D(late_fee))


class AllocatePaymentTestCase(unittest.TestCase):

    def test_oldest_first_principal_before_late_fee(self):
        dues = [
            due(2, '205.85', '3.10', order=FEB),
            due(1, '205.85', '6.20', order=JAN),
            ]
        parts = settle.allocate_payment(dues, D('300.00'))
        # January first: 205.85 + 6.20, then 87.95 of February's principal
        self.assertEqual(parts, [
                Part(2, D('87.95'), D('0')),
                Part(1, D('205.85'), D('6.20')),
                ])

    def test_full_and_zero(self):
        dues = [due(1, '10.00', '1.00'), due(2, '5.00', order=FEB)]
        self.assertEqual(
            [p.principal + p.late_fee
                for p in settle.allocate_payment(dues, D('16.00'))],
            [D('11.00'), D('5.00')])
        self.assertEqual(
            [p.principal + p.late_fee
                for p in settle.allocate_payment(dues, D('0'))],
            [D('0'), D('0')])

    def test_excess_and_negative_refused(self):
        dues = [due(1, '10.00')]
        with self.assertRaises(SettleError):
            settle.allocate_payment(dues, D('10.01'))
        with self.assertRaises(SettleError):
            settle.allocate_payment(dues, D('-1'))

    @given(st.lists(st.tuples(
                st.integers(0, 100000), st.integers(0, 5000)),
            min_size=1, max_size=12),
        st.integers(0, 100))
    def test_parts_add_up(self, fens, percent):
        dues = [Due(i, 'G', (JAN, i), D(p) / 100, D(l) / 100)
            for i, (p, l) in enumerate(fens)]
        total = sum(d.principal + d.late_fee for d in dues)
        amount = (total * percent / 100).quantize(D('0.01'))
        parts = settle.allocate_payment(dues, amount)
        self.assertEqual(sum(p.principal + p.late_fee for p in parts), amount)
        for d, p in zip(dues, parts):
            self.assertTrue(0 <= p.principal <= d.principal)
            self.assertTrue(0 <= p.late_fee <= d.late_fee)


class OldestFirstTestCase(unittest.TestCase):

    def test_older_bill_outside_refused(self):
        dues = [due(2, '100', order=FEB)]
        parts = [Part(2, D('100'), D(0))]
        self.assertEqual(settle.check_oldest_first(
                dues, parts, {'WYF': (JAN, 1)}), 2)
        self.assertIsNone(settle.check_oldest_first(dues, parts, {}))

    def test_gap_refused(self):
        "January and March paid while February stays open"
        dues = [due(1, '100', order=JAN), due(3, '100', order=MAR)]
        parts = [Part(1, D('100'), D(0)), Part(3, D('100'), D(0))]
        self.assertEqual(settle.check_oldest_first(
                dues, parts, {'WYF': (FEB, 2)}), 3)
        # the older bill alone may be paid
        self.assertIsNone(settle.check_oldest_first(
                dues[:1], parts[:1], {'WYF': (FEB, 2)}))

    def test_partial_older_with_newer_refused(self):
        dues = [due(1, '100', order=JAN), due(2, '100', order=FEB)]
        self.assertEqual(settle.check_oldest_first(dues, [
                    Part(1, D('50'), D(0)), Part(2, D('100'), D(0))], {}), 2)
        self.assertIsNone(settle.check_oldest_first(dues, [
                    Part(1, D('100'), D(0)), Part(2, D('50'), D(0))], {}))

    def test_other_group_independent(self):
        dues = [due(1, '100', group='WYF'),
            due(2, '30', group='CWF', order=FEB)]
        parts = [Part(1, D('100'), D(0)), Part(2, D('30'), D(0))]
        self.assertIsNone(settle.check_oldest_first(
                dues, parts, {'WYF': (MAR, 9)}))


class DiscountTestCase(unittest.TestCase):

    def test_percentage_rounded_per_bill(self):
        dues = [due(1, '205.85'), due(2, '33.33')]
        # 10.2925 -> 10.29, 1.6665 -> 1.67 (half up)
        self.assertEqual(settle.percentage_discounts(dues, D(5)),
            [D('10.29'), D('1.67')])

    def test_fixed_spread_exactly(self):
        dues = [due(1, '100.00'), due(2, '100.00'), due(3, '100.00')]
        parts = settle.fixed_discounts(dues, D('10.00'))
        self.assertEqual(sum(parts), D('10.00'))
        self.assertEqual(sorted(parts), [D('3.33'), D('3.33'), D('3.34')])
        # never more than owed
        self.assertEqual(sum(settle.fixed_discounts(dues, D('500'))),
            D('300.00'))

    def test_free_months(self):
        "Pay 12 get 1: the 13th bill of each fee item is free"
        dues = [due(i, '280.00', order=dt.date(2026, 1, 1) + dt.timedelta(
                    days=31 * i)) for i in range(14)]
        discounts = settle.free_month_discounts(dues, 12, 1)
        self.assertEqual(sum(discounts), D('280.00'))
        self.assertEqual(discounts[12], D('280.00'))
        self.assertEqual(settle.free_month_discounts(dues[:12], 12, 1),
            [D(0)] * 12)

    def test_round_off(self):
        self.assertEqual(settle.round_off(D('1234.56'), D('1')), D('0.56'))
        self.assertEqual(settle.round_off(D('1234.56'), D('0.1')),
            D('0.06'))
        self.assertEqual(settle.round_off(D('1234.00'), D('1')), D('0'))


class RefundTestCase(unittest.TestCase):

    def test_discount_reversed_in_proportion(self):
        # 12 months paid 3,360 less a free month of 280: 3,080 received
        parts = settle.refund_parts([D('3080.00')], [D('280.00')],
            D('1540.00'))
        self.assertEqual(parts, [(D('1540.00'), D('140.00'))])

    def test_refund_over_lines(self):
        parts = settle.refund_parts(
            [D('100.00'), D('200.00')], [D('10.00'), D('0')], D('150.00'))
        self.assertEqual(parts, [(D('50.00'), D('5.00')),
                (D('100.00'), D('0'))])

    def test_zero_and_excess_refused(self):
        with self.assertRaises(SettleError):
            settle.refund_parts([D('100')], [D(0)], D(0))
        with self.assertRaises(SettleError):
            settle.refund_parts([D('100')], [D(0)], D('100.01'))

    @given(st.lists(st.tuples(st.integers(1, 10 ** 6), st.integers(0, 10 ** 5)),
            min_size=1, max_size=8), st.integers(1, 100))
    def test_refund_adds_up(self, lines, percent):
        received = [D(r) / 100 for r, _ in lines]
        discounts = [D(d) / 100 for _, d in lines]
        amount = max((sum(received) * percent / 100).quantize(D('0.01')),
            D('0.01'))
        parts = settle.refund_parts(received, discounts, amount)
        self.assertEqual(sum(p[0] for p in parts), amount)
        expected = (sum(discounts) * amount / sum(received)).quantize(
            D('0.01'), rounding='ROUND_HALF_UP')
        self.assertEqual(sum(p[1] for p in parts), expected)
