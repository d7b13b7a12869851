# This file is part of Aishang Property. See the LICENSE file at the top level
# of this repository for full copyright notices and license terms.
import time
import unittest
from collections import Counter

from trytond.modules.aishang_property.identity import is_valid_resident_id
from trytond.pool import Pool
from trytond.tests.test_tryton import (
    activate_module, drop_db, with_transaction)
from trytond.transaction import Transaction

from aishang.demo_data import COMPANY_NAME, DEMO_LOGINS, populate

COUNTED = [
    'property.project', 'property.building', 'property.unit',
    'property.resource', 'property.ownership', 'property.occupant',
    'party.party', 'property.custom_field', 'property.owner.verification',
    'res.user',
    ]


def counts(pool):
    return {name: pool.get(name).search_count([]) for name in COUNTED}


class DemoDataTestCase(unittest.TestCase):
    "Test the demo data"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        drop_db()
        activate_module(['aishang_property'])

    @classmethod
    def tearDownClass(cls):
        super().tearDownClass()
        drop_db()

    def populate(self):
        pool = Pool()
        start = time.perf_counter()
        company = populate(pool)
        print(f"\npopulate: {time.perf_counter() - start:.2f} s")
        return company

    @with_transaction(user=0)
    def test_populate(self):
        "Test the demo data volumes, identities and idempotence"
        pool = Pool()
        Resource = pool.get('property.resource')
        Party = pool.get('party.party')
        Building = pool.get('property.building')
        Ownership = pool.get('property.ownership')

        company = self.populate()
        before = counts(pool)
        print(before)

        self.assertEqual(company.party.name, COMPANY_NAME)
        self.assertEqual(company.currency.code, 'CNY')
        self.assertGreaterEqual(before['property.resource'], 600)
        kinds = Counter(r.kind for r in Resource.search([]))
        print(dict(kinds))
        self.assertEqual(set(kinds), {
                'residence', 'shop', 'ad_space', 'basement', 'parking'})
        self.assertEqual(before['property.project'], 2)
        self.assertTrue(10 <= Building.search_count([]) <= 14)

        parties = Party.search([('id_type', '=', 'resident_id')])
        self.assertTrue(parties)
        for party in parties:
            self.assertTrue(
                is_valid_resident_id(party.id_number), party.id_number)
            self.assertEqual(party.gender,
                'male' if int(party.id_number[16]) % 2 else 'female')
        phones = [p.owner_phone for p in Party.search([
                    ('owner', '=', True)])]
        self.assertTrue(all(phones))
        self.assertEqual(len(phones), len(set(phones)))

        shared = Counter(o.resource for o in Ownership.search([
                    ('resource.kind', '=', 'residence')]))
        self.assertTrue(any(n == 2 for n in shared.values()))

        populate(pool)
        self.assertEqual(counts(pool), before)

    @with_transaction(user=0)
    def test_manager_sees_own_project(self):
        "Test the manager sees only the resources of 翠湖花园"
        pool = Pool()
        User = pool.get('res.user')
        Resource = pool.get('property.resource')

        company = self.populate()
        self.assertEqual([l for l, *_ in DEMO_LOGINS],
            ['admin', 'manager', 'viewer'])
        for login, password, _ in DEMO_LOGINS:
            self.assertEqual(User.get_login(login, {'password': password}),
                User.search([('login', '=', login)])[0].id)

        manager, = User.search([('login', '=', 'manager')])
        total = Resource.search_count([])
        with Transaction().set_user(manager.id), \
                Transaction().set_context(
                    _check_access=True, company=company.id):
            resources = Resource.search([])
            projects = {r.project.name for r in resources}
        self.assertEqual(projects, {'翠湖花园'})
        self.assertLess(len(resources), total)

        viewer, = User.search([('login', '=', 'viewer')])
        with Transaction().set_user(viewer.id), \
                Transaction().set_context(
                    _check_access=True, company=company.id):
            projects = {r.project.name for r in Resource.search([])}
        self.assertEqual(projects, {'金桂苑'})
