# This file is part of Aishang Property. See the LICENSE file at the top level
# of this repository for full copyright notices and license terms.
import datetime as dt
import unittest
from decimal import ROUND_DOWN, Decimal

from hypothesis import given
from hypothesis import strategies as st

from ..money import (
    add_months, allocate_oldest_first, covered_days, distribute,
    find_overlap, late_fee, period_containing, periods_between, prorate,
    resolve_rule, round_money)

D = Decimal
amounts = st.decimals(
    min_value=D('0.00'), max_value=D('1000000.00'), places=2)
weights = st.lists(
    st.decimals(min_value=D('0'), max_value=D('10000'), places=2),
    min_size=1, max_size=30).filter(lambda ws: sum(ws) > 0)


class RoundingTestCase(unittest.TestCase):

    def test_round_money(self):
        for value, expected in [
                (D('0.005'), D('0.01')),
                (D('0.004999'), D('0.00')),
                (D('2.675'), D('2.68')),
                (D('-2.675'), D('-2.68')),
                (D('617.550'), D('617.55')),
                (D('205.8500'), D('205.85')),
                (D('1E+2'), D('100.00')),
                ]:
            with self.subTest(value=value):
                self.assertEqual(round_money(value), expected)
        self.assertEqual(round_money(D('2.679'), rounding=ROUND_DOWN),
            D('2.67'))
        self.assertEqual(round_money(D('2.5'), digits=0), D('3'))


class DistributeTestCase(unittest.TestCase):

    def test_golden(self):
        for total, ws, expected in [
                (D('100.00'), [1, 1, 1], [D('33.34'), D('33.33'), D('33.33')]),
                (D('0.02'), [1, 1, 1], [D('0.01'), D('0.01'), D('0.00')]),
                (D('10.00'), [D('89.5'), D('126.3'), D('143.8')],
                    [D('2.49'), D('3.51'), D('4.00')]),
                (D('-100.00'), [1, 1, 1],
                    [D('-33.34'), D('-33.33'), D('-33.33')]),
                (D('7.00'), [0, 1], [D('0.00'), D('7.00')]),
                (D('1.00'), [3, 1], [D('0.75'), D('0.25')]),
                ]:
            with self.subTest(total=total, weights=ws):
                parts = distribute(total, ws)
                self.assertEqual(parts, expected)
                self.assertEqual(sum(parts), total)

    def test_bad_input(self):
        for total, ws in [(D('1'), []), (D('1'), [0, 0]), (D('1'), [-1, 2]),
                (D('0.001'), [1])]:
            with self.subTest(total=total, weights=ws):
                with self.assertRaises(ValueError):
                    distribute(total, ws)

    @given(amounts, weights)
    def test_parts_sum_to_total(self, total, ws):
        parts = distribute(total, ws)
        self.assertEqual(sum(parts), total)
        self.assertEqual(len(parts), len(ws))
        exact = [total * w / sum(ws) for w in ws]
        for part, e in zip(parts, exact):
            self.assertLess(abs(part - e), D('0.01'))
            self.assertEqual(part, part.quantize(D('0.01')))

    def test_oldest_first(self):
        for amount, balances, expected in [
                (D('250'), [D('100'), D('100'), D('100')],
                    [D('100'), D('100'), D('50')]),
                (D('50'), [D('100'), D('100')], [D('50'), D('0')]),
                (D('500'), [D('100'), D('0'), D('100')],
                    [D('100'), D('0'), D('100')]),
                (D('0'), [D('10')], [D('0')]),
                ]:
            with self.subTest(amount=amount, balances=balances):
                self.assertEqual(
                    allocate_oldest_first(amount, balances), expected)

    @given(amounts, st.lists(amounts, max_size=20))
    def test_oldest_first_never_overpays(self, amount, balances):
        parts = allocate_oldest_first(amount, balances)
        self.assertLessEqual(sum(parts), amount)
        for part, balance in zip(parts, balances):
            self.assertLessEqual(part, balance)
        # an earlier balance is never left open while a later one is paid
        for i, (part, balance) in enumerate(zip(parts, balances)):
            if part < balance:
                self.assertTrue(all(p == 0 for p in parts[i + 1:]))


class PeriodTestCase(unittest.TestCase):

    def test_add_months(self):
        for date, months, expected in [
                (dt.date(2024, 1, 31), 1, dt.date(2024, 2, 29)),
                (dt.date(2023, 1, 31), 1, dt.date(2023, 2, 28)),
                (dt.date(2024, 11, 15), 3, dt.date(2025, 2, 15)),
                (dt.date(2024, 3, 31), -1, dt.date(2024, 2, 29)),
                ]:
            with self.subTest(date=date, months=months):
                self.assertEqual(add_months(date, months), expected)

    def test_period_containing(self):
        for date, cycle, expected in [
                (dt.date(2024, 2, 10), 'monthly',
                    (dt.date(2024, 2, 1), dt.date(2024, 2, 29))),
                (dt.date(2024, 5, 31), 'quarterly',
                    (dt.date(2024, 4, 1), dt.date(2024, 6, 30))),
                (dt.date(2024, 4, 1), 'bimonthly',
                    (dt.date(2024, 3, 1), dt.date(2024, 4, 30))),
                (dt.date(2024, 12, 31), 'half_yearly',
                    (dt.date(2024, 7, 1), dt.date(2024, 12, 31))),
                (dt.date(2024, 6, 1), 'yearly',
                    (dt.date(2024, 1, 1), dt.date(2024, 12, 31))),
                ]:
            with self.subTest(date=date, cycle=cycle):
                self.assertEqual(period_containing(date, cycle), expected)

    def test_periods_between(self):
        self.assertEqual(
            periods_between(dt.date(2024, 11, 20), dt.date(2025, 2, 1),
                'monthly'),
            [(dt.date(2024, 11, 1), dt.date(2024, 11, 30)),
                (dt.date(2024, 12, 1), dt.date(2024, 12, 31)),
                (dt.date(2025, 1, 1), dt.date(2025, 1, 31)),
                (dt.date(2025, 2, 1), dt.date(2025, 2, 28))])

    def test_covered_days(self):
        march = (dt.date(2024, 3, 1), dt.date(2024, 3, 31))
        for active_from, active_to, expected in [
                (None, None, 31),
                (dt.date(2024, 3, 16), None, 16),
                (dt.date(2024, 1, 1), dt.date(2024, 3, 10), 10),
                (dt.date(2024, 4, 1), None, 0),
                (None, dt.date(2024, 2, 29), 0),
                (dt.date(2024, 3, 31), None, 1),
                ]:
            with self.subTest(active_from=active_from, active_to=active_to):
                self.assertEqual(
                    covered_days(march, active_from, active_to), expected)

    def test_prorate_golden(self):
        # 89.50 ㎡ × 2.30 ¥/㎡ = 205.85 a month; handed over on 16 March
        for full, covered, days, expected in [
                (D('205.85'), 16, 31, D('106.25')),
                (D('205.85'), 31, 31, D('205.85')),
                (D('205.85'), 0, 31, D('0.00')),
                (D('617.55'), 46, 91, D('312.17')),
                (D('100.00'), 1, 3, D('33.33')),
                (D('100.00'), 2, 3, D('66.67')),
                ]:
            with self.subTest(full=full, covered=covered, days=days):
                self.assertEqual(prorate(full, covered, days), expected)

    @given(amounts, st.integers(0, 400), st.integers(1, 366))
    def test_prorated_not_above_full(self, full, covered, days):
        amount = prorate(full, covered, days)
        self.assertLessEqual(amount, full)
        self.assertGreaterEqual(amount, 0)
        self.assertEqual(amount, amount.quantize(D('0.01')))


class PriceRuleTestCase(unittest.TestCase):
    target = {'resource': 301, 'unit': 21, 'building': 2, 'kind': 'residence',
        'project': 1}

    def rule(self, name, start=None, end=None, **scope):
        return {'name': name, 'start': start, 'end': end, **scope}

    def test_most_specific_wins(self):
        date = dt.date(2024, 6, 1)
        rules = [
            self.rule('project', project=1),
            self.rule('kind', project=1, kind='residence'),
            self.rule('shop', project=1, kind='shop'),
            self.rule('building', project=1, building=2),
            self.rule('other building', project=1, building=3),
            self.rule('unit', project=1, building=2, unit=21),
            self.rule('resource', project=1, resource=301),
            ]
        for drop, expected in [
                (0, 'resource'), (1, 'unit'), (2, 'building'), (3, 'kind'),
                (4, 'project')]:
            remaining = [r for r in rules if r['name'] not in {
                    'resource', 'unit', 'building', 'kind'}
                or ['resource', 'unit', 'building', 'kind'].index(
                    r['name']) >= drop]
            with self.subTest(expected=expected):
                self.assertEqual(
                    resolve_rule(remaining, self.target, date)['name'],
                    expected)

    def test_effective_dates(self):
        rules = [
            self.rule('old', end=dt.date(2023, 12, 31), project=1),
            self.rule('new', start=dt.date(2024, 1, 1), project=1),
            self.rule('unit promo', start=dt.date(2024, 7, 1),
                end=dt.date(2024, 7, 31), project=1, unit=21),
            ]
        for date, expected in [
                (dt.date(2023, 12, 31), 'old'),
                (dt.date(2024, 1, 1), 'new'),
                (dt.date(2024, 7, 15), 'unit promo'),
                (dt.date(2024, 8, 1), 'new'),
                ]:
            with self.subTest(date=date):
                self.assertEqual(
                    resolve_rule(rules, self.target, date)['name'], expected)
        self.assertIsNone(resolve_rule(
                rules, {**self.target, 'project': 2}, dt.date(2024, 1, 1)))

    def test_overlap(self):
        a = self.rule('a', start=dt.date(2024, 1, 1), project=1, building=2)
        b = self.rule('b', start=dt.date(2024, 6, 1), end=dt.date(2024, 12, 31),
            project=1, building=2)
        c = self.rule('c', end=dt.date(2023, 12, 31), project=1, building=2)
        d = self.rule('d', start=dt.date(2024, 6, 1), project=1, building=3)
        self.assertIsNone(find_overlap([a, c, d]))
        self.assertEqual(find_overlap([a, b, c]), (a, b))


class LateFeeTestCase(unittest.TestCase):

    def test_golden(self):
        due = dt.date(2024, 3, 31)
        rate = D('0.0005')
        for principal, on_date, grace, cap, expected in [
                (D('1000.00'), dt.date(2024, 3, 31), 0, None, D('0')),
                (D('1000.00'), dt.date(2024, 4, 10), 0, None, D('5.00')),
                (D('1000.00'), dt.date(2024, 4, 10), 15, None, D('0')),
                (D('1000.00'), dt.date(2024, 4, 30), 15, None, D('7.50')),
                (D('205.85'), dt.date(2024, 4, 30), 0, None, D('3.09')),
                (D('1000.00'), dt.date(2030, 1, 1), 0, D('1000.00'),
                    D('1000.00')),
                (D('0'), dt.date(2024, 4, 30), 0, None, D('0')),
                ]:
            with self.subTest(principal=principal, on_date=on_date,
                    grace=grace):
                self.assertEqual(
                    late_fee(principal, due, on_date, rate, grace, cap),
                    expected)
