# This file is part of Aishang Property. See the LICENSE file at the top level
# of this repository for full copyright notices and license terms.
import time
import unittest
from collections import Counter
from decimal import Decimal

from trytond.modules.aishang_property.identity import is_valid_resident_id
from trytond.modules.aishang_billing.tests.tools import (
    with_transaction as with_accounting_transaction)
from trytond.pool import Pool
from trytond.tests.test_tryton import (
    activate_module, drop_db, with_transaction)
from trytond.transaction import Transaction

from aishang.demo_data import COMPANY_NAME, PROPERTY_LOGINS, populate

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
        self.assertEqual([l for l, *_ in PROPERTY_LOGINS],
            ['admin', 'manager', 'viewer'])
        for login, password, _ in PROPERTY_LOGINS:
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


BILLING_COUNTED = COUNTED + [
    'property.fee_item', 'property.price_rule', 'property.bill_rule',
    'property.bill.run', 'property.bill', 'account.move',
    'account.move.line', 'account.account', 'account.fiscalyear',
    'account.period', 'account.journal',
    ]


class DemoBillingTestCase(unittest.TestCase):
    "Test the demo data with aishang_billing activated"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        drop_db()
        activate_module(['aishang_billing'])

    @classmethod
    def tearDownClass(cls):
        super().tearDownClass()
        drop_db()

    @with_accounting_transaction(user=0)
    def test_populate_billing(self):
        "Test the demo bills, their accounting and idempotence"
        pool = Pool()
        FeeItem = pool.get('property.fee_item')
        BillRule = pool.get('property.bill_rule')
        Bill = pool.get('property.bill')
        Run = pool.get('property.bill.run')
        Move = pool.get('account.move')
        Account = pool.get('account.account')
        Configuration = pool.get('property.billing.configuration')
        FiscalYear = pool.get('account.fiscalyear')
        Date = pool.get('ir.date')

        start = time.perf_counter()
        company = populate(pool)
        print(f"\npopulate with billing: {time.perf_counter() - start:.2f} s")
        before = {name: pool.get(name).search_count([])
            for name in BILLING_COUNTED}
        print(before)

        fee_items = FeeItem.search([])
        self.assertEqual(len(fee_items), 9)
        self.assertEqual({f.code for f in fee_items}, {
                'WYF', 'DTF', 'LJF', 'SF', 'DF', 'CWF', 'ZJ', 'YJ', 'YSK'})
        self.assertEqual([f.code for f in fee_items if f.late_fee], ['WYF'])
        self.assertTrue(all(
                f.account_receivable and f.account_revenue
                for f in fee_items))

        runs = Run.search([])
        self.assertEqual(len(runs), 12)
        self.assertEqual({r.state for r in runs}, {'done'})
        self.assertGreater(before['property.bill'], 5000)
        for project in {r.project for r in BillRule.search([])}:
            ruled = {r.fee_item for r in BillRule.search([
                        ('project', '=', project.id)])}
            self.assertEqual(ruled, {f for f in fee_items
                    if f.code in {'WYF', 'DTF', 'LJF', 'CWF', 'ZJ'}})
            for fee_item in ruled:
                self.assertTrue(Bill.search([
                            ('project', '=', project.id),
                            ('fee_item', '=', fee_item.id),
                            ], limit=1), (project.name, fee_item.code))
        self.assertEqual(
            {b.project.name for b in Bill.search([], limit=None)},
            {'翠湖花园', '金桂苑'})

        with Transaction().set_context(company=company.id):
            journal = Configuration(1).get_multivalue(
                'bill_journal', company=company.id)
            self.assertEqual(journal.type, 'revenue')
            today = Date.today()
        self.assertTrue(FiscalYear.search([
                    ('start_date', '<=', today),
                    ('end_date', '>=', today),
                    ('state', '=', 'open'),
                    ]))
        moves = Move.search([])
        self.assertEqual(len(moves), 12)
        self.assertEqual({m.state for m in moves}, {'posted'})
        self.assertEqual({m.journal for m in moves}, {journal})

        # The receivable control accounts hold the open bill balances
        open_bills = Bill.search([('state', 'in', ['open', 'partial'])])
        controls = {f.account_receivable for f in fee_items}
        self.assertEqual({a.code for a in controls},
            {'1122.01', '1122.02', '1122.03', '1122.04', '1221'})
        total = Decimal(0)
        for account in controls:
            balance = Account(account.id).balance
            expected = sum((b.balance for b in open_bills
                    if b.fee_item.account_receivable == account),
                Decimal(0))
            self.assertEqual(balance, expected, account.code)
            total += balance
        self.assertEqual(total, sum(b.balance for b in open_bills))
        receivable, = Account.search([('code', '=', '1122')])
        self.assertEqual(
            receivable.balance, total - Account(
                next(a for a in controls if a.code == '1221').id).balance)
        print(f"open bills: {len(open_bills)}, balance: {total}")

        populate(pool)
        self.assertEqual({name: pool.get(name).search_count([])
                for name in BILLING_COUNTED}, before)
