# This file is part of Aishang Property. See the LICENSE file at the top level
# of this repository for full copyright notices and license terms.
import datetime as dt
import unittest
from decimal import Decimal

from trytond.modules import get_module_register
from trytond.modules.aishang_property.tests.tools import SaoViewsMixin
from trytond.modules.company.tests import CompanyTestMixin
from trytond.pool import Pool
from trytond.tests.test_tryton import ModuleTestCase, with_transaction

from trytond.modules.aishang_review.values import dumps_values, loads_values


class ValuesTestCase(unittest.TestCase):
    "JSON encoding of request values"

    def test_round_trip(self):
        values = {
            'amount': Decimal('12.30'),
            'date': dt.date(2024, 2, 29),
            'at': dt.datetime(2024, 2, 29, 8, 30),
            'bill': 42,
            'note': "物业费",
            }
        self.assertEqual(loads_values(dumps_values(values)), {
                'amount': '12.30',
                'date': '2024-02-29',
                'at': '2024-02-29T08:30:00',
                'bill': 42,
                'note': "物业费",
                })

    def test_empty(self):
        self.assertIsNone(dumps_values({}))
        self.assertIsNone(dumps_values(None))
        self.assertEqual(loads_values(None), {})

    def test_unknown_type(self):
        with self.assertRaises(TypeError):
            dumps_values({'value': object()})


class AishangReviewTestCase(SaoViewsMixin, CompanyTestMixin, ModuleTestCase):
    "Test Aishang Review module"
    module = 'aishang_review'

    @with_transaction()
    def test_operations_shared(self):
        "Policies and requests offer the same operations"
        pool = Pool()
        Policy = pool.get('review.policy')
        Request = pool.get('review.request')
        self.assertEqual(
            Policy.operation.selection, Request.operation.selection)

    @with_transaction()
    def test_targets_in_test_pool(self):
        "The test pool lists the test targets after the empty option"
        Request = Pool().get('review.request')
        self.assertEqual(
            [m for m, _ in Request.get_targets()],
            [None, 'review.test.target', 'review.test.target.plain'])

    def test_test_models_not_in_production(self):
        "tests/tryton.cfg registers its models only for the tests"
        def classes(with_test):
            return {c for names, _ in get_module_register(
                        'aishang_review', with_test=with_test)
                for c in names}
        self.assertFalse(
            {c for c in classes(False) if c.startswith('tests.')})
        self.assertIn('tests.target.Target', classes(True))


del ModuleTestCase
