# This file is part of Aishang Property. See the LICENSE file at the top level
# of this repository for full copyright notices and license terms.
import datetime as dt
import unittest
from decimal import ROUND_HALF_UP, Decimal

from ..generation import billable_window, payer_segments, plan_bills

D = Decimal
d = dt.date
MARCH = (d(2024, 3, 1), d(2024, 3, 31))


def resource(id_, **values):
    base = {'id': id_, 'resource': id_, 'project': 1, 'building': 2,
        'unit': 21, 'kind': 'residence', 'building_area': D('89.50'),
        'inner_area': D('71.60'), 'area': D('89.50'), 'occupants': 3,
        'usage': None, 'handover_date': d(2020, 1, 1), 'lease_start': None,
        'lease_end': None}
    base.update(values)
    return base


def bill_rule(fee_item=10, cycle='monthly', **values):
    base = {'fee_item': fee_item, 'cycle': cycle, 'due_offset': 15,
        'lease_bound': False, 'start': None, 'end': None, 'project': 1,
        'building': None, 'unit': None, 'kind': None, 'resource': None}
    base.update(values)
    return base


def price_rule(method='area', unit_price='2.30', formula=None, **values):
    base = {'method': method, 'unit_price': D(unit_price),
        'formula': formula, 'start': None, 'end': None, 'project': 1,
        'building': None, 'unit': None, 'kind': None, 'resource': None}
    base.update(values)
    return base


ITEMS = {10: {'digits': 2, 'rounding': ROUND_HALF_UP},
    11: {'digits': 2, 'rounding': ROUND_HALF_UP}}


class PayerSegmentsTestCase(unittest.TestCase):

    def test_golden(self):
        for ownerships, expected in [
                ([], [(d(2024, 3, 1), d(2024, 3, 31), None)]),
                ([{'party': 7, 'primary': True}],
                    [(d(2024, 3, 1), d(2024, 3, 31), 7)]),
                # sold on 16 March: the old owner pays 15 days, the new 16
                ([{'party': 7, 'primary': True, 'end': d(2024, 3, 15)},
                    {'party': 8, 'primary': True, 'start': d(2024, 3, 16)}],
                    [(d(2024, 3, 1), d(2024, 3, 15), 7),
                        (d(2024, 3, 16), d(2024, 3, 31), 8)]),
                # co-owners: the primary one pays
                ([{'party': 7, 'primary': False, 'id': 1},
                    {'party': 8, 'primary': True, 'id': 2}],
                    [(d(2024, 3, 1), d(2024, 3, 31), 8)]),
                # a gap between owners is billed to nobody
                ([{'party': 7, 'primary': True, 'end': d(2024, 3, 10)},
                    {'party': 8, 'primary': True, 'start': d(2024, 3, 21)}],
                    [(d(2024, 3, 1), d(2024, 3, 10), 7),
                        (d(2024, 3, 11), d(2024, 3, 20), None),
                        (d(2024, 3, 21), d(2024, 3, 31), 8)]),
                ]:
            with self.subTest(ownerships=ownerships):
                self.assertEqual(payer_segments(MARCH, ownerships), expected)

    def test_billable_window(self):
        for res, rule, expected in [
                (resource(1), bill_rule(), MARCH),
                (resource(1, handover_date=d(2024, 3, 16)), bill_rule(),
                    (d(2024, 3, 16), d(2024, 3, 31))),
                (resource(1, handover_date=d(2024, 4, 1)), bill_rule(), None),
                (resource(1), bill_rule(end=d(2024, 3, 10)),
                    (d(2024, 3, 1), d(2024, 3, 10))),
                (resource(1, lease_end=d(2024, 3, 20)),
                    bill_rule(lease_bound=True),
                    (d(2024, 3, 1), d(2024, 3, 20))),
                (resource(1), bill_rule(lease_bound=True), None),
                ]:
            with self.subTest(resource=res, rule=rule):
                self.assertEqual(billable_window(MARCH, res, rule), expected)


class PlanBillsTestCase(unittest.TestCase):

    def plan(self, resources, bill_rules, price_rules, ownerships=None,
            date=d(2024, 3, 10)):
        return plan_bills(date, resources, bill_rules, price_rules,
            ownerships or {}, ITEMS)

    def test_property_fee_golden(self):
        "89.50 ㎡ × 2.30 = 205.85 a month; handed over 16 March → 106.25"
        rows, skipped = self.plan(
            [resource(1), resource(2, handover_date=d(2024, 3, 16)),
                resource(3, handover_date=d(2024, 4, 2))],
            [bill_rule()], {10: [price_rule()]},
            {1: [{'party': 7, 'primary': True}]})
        self.assertEqual(skipped, [])
        self.assertEqual(
            [(r['resource'], r['party'], r['amount'], r['days'])
                for r in rows],
            [(1, 7, D('205.85'), 31), (2, None, D('106.25'), 16)])
        first = rows[0]
        self.assertEqual((first['quantity'], first['unit_price'],
                first['months'], first['period_days'], first['due_date']),
            (D('89.50'), D('2.30'), D(1), 31, d(2024, 3, 16)))

    def test_quarterly_and_methods(self):
        "Each method for one quarter (Q1 2024 has 91 days)"
        for method, price, formula, expected in [
                ('area', '2.30', None, D('617.55')),
                ('inner_area', '2.30', None, D('494.04')),
                ('household', '20', None, D('60.00')),
                ('occupant', '5.5', None, D('49.50')),
                ('fixed', '99.99', None, D('99.99')),
                ('formula', '1.2', 'max(area, 100) * price * months',
                    D('360.00')),
                ]:
            with self.subTest(method=method):
                rows, skipped = self.plan([resource(1)],
                    [bill_rule(cycle='quarterly')],
                    {10: [price_rule(method, price, formula)]})
                self.assertEqual(skipped, [])
                row, = rows
                self.assertEqual(row['amount'], expected)
                self.assertEqual(
                    (row['period_start'], row['period_end']),
                    (d(2024, 1, 1), d(2024, 3, 31)))

    def test_most_specific_price(self):
        rows, _ = self.plan(
            [resource(1), resource(2, building=3),
                resource(3, kind='shop', building=3),
                resource(4, building=3)],
            [bill_rule()],
            {10: [price_rule(unit_price='2.00'),
                    price_rule(unit_price='3.00', building=3),
                    price_rule(unit_price='5.00', kind='shop'),
                    price_rule(unit_price='1.00', resource=4)]})
        self.assertEqual({r['resource']: r['unit_price'] for r in rows},
            {1: D('2.00'), 2: D('3.00'), 3: D('3.00'), 4: D('1.00')})

    def test_ownership_change_splits(self):
        rows, _ = self.plan([resource(1)], [bill_rule()],
            {10: [price_rule()]},
            {1: [{'party': 7, 'primary': True, 'end': d(2024, 3, 15)},
                    {'party': 8, 'primary': True,
                        'start': d(2024, 3, 16)}]})
        self.assertEqual(
            [(r['party'], r['period_start'], r['amount']) for r in rows],
            [(7, d(2024, 3, 1), D('99.60')),
                (8, d(2024, 3, 16), D('106.25'))])

    def test_skipped(self):
        rows, skipped = self.plan(
            [resource(1, building_area=None, area=None), resource(2)],
            [bill_rule(), bill_rule(fee_item=11)],
            {10: [price_rule()]})
        self.assertEqual([r['resource'] for r in rows], [2])
        self.assertEqual(sorted(s[:3] for s in skipped), [
                (1, 10, 'missing_quantity'),
                (1, 11, 'no_price'),
                (2, 11, 'no_price'),
                ])

    def test_scoped_bill_rule(self):
        "A rule for one building only bills that building"
        rows, _ = self.plan([resource(1), resource(2, building=3)],
            [bill_rule(building=3)], {10: [price_rule()]})
        self.assertEqual([r['resource'] for r in rows], [2])
