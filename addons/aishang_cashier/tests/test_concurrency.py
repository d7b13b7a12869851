# This file is part of Aishang Property. See the LICENSE file at the top level
# of this repository for full copyright notices and license terms.
"""Two cashiers collecting the same bill at the same moment, on PostgreSQL.

Collected only when the suite runs on PostgreSQL (see conftest.py): each
cashier works in its own real transaction and thread, retried the way
Tryton's RPC dispatcher retries them.
"""
import threading
import time
from decimal import Decimal

from trytond import backend
from trytond.exceptions import UserError
from trytond.modules.company.tests import create_company, set_company
from trytond.pool import Pool
from trytond.tests.test_tryton import DB_NAME
from trytond.transaction import Transaction, TransactionError

from .tools import (
    CashierTestCase, create_bills, create_household, draft_receipt,
    setup_cashier)

D = Decimal


def run_like_rpc(func, context, before_commit=None):
    """Run func in its own transaction as the RPC dispatcher does:
    restarted with the locks asked for; a lock still held by the other
    transaction is waited for and tried again, as a client would."""
    extras, count = {}, 0
    while True:
        try:
            with Transaction().start(DB_NAME, 0, context=context,
                    **extras) as transaction:
                try:
                    result = func()
                    if before_commit:
                        before_commit()
                    transaction.commit()
                    return result
                except TransactionError as e:
                    transaction.rollback()
                    e.fix(extras)
                    continue
        except backend.DatabaseOperationalError:
            count += 1
            if count > 50:
                raise
            time.sleep(0.05)


class CashierConcurrencyTestCase(CashierTestCase):
    "Concurrent collections on PostgreSQL"

    def test_same_bill_two_cashiers(self):
        "Exactly one of two simultaneous collections of a bill succeeds"
        def setup():
            company = create_company()
            with set_company(company):
                setup = setup_cashier(company)
                project, home, owner = create_household(company)
                bill, = create_bills(home, owner, setup['fee_items']['WYF'],
                    ['205.85'])
                cash = setup['methods']['cash']
                receipts = [draft_receipt(home, owner, [(bill, '205.85')],
                        [(cash, '205.85')]) for _ in range(2)]
            return [r.id for r in receipts], bill.id, company.id
        ids, bill_id, company_id = run_like_rpc(setup, {})

        context = {'company': company_id}
        first_holds_lock = threading.Event()
        outcome = {}

        def collect(receipt_id):
            Receipt = Pool().get('property.receipt')
            Receipt.collect([Receipt(receipt_id)])
            return Receipt(receipt_id).number

        def hold():
            # the second cashier starts while the first holds its locks
            first_holds_lock.set()
            time.sleep(0.05)

        def cashier(index):
            if index:
                first_holds_lock.wait(10)
            try:
                outcome[index] = run_like_rpc(
                    lambda: collect(ids[index]), context,
                    before_commit=None if index else hold)
            except UserError as e:
                outcome[index] = e

        threads = [threading.Thread(target=cashier, args=(i,))
            for i in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)

        self.assertEqual(outcome[0], 'CH-0000001')
        self.assertIsInstance(outcome[1], UserError)
        with Transaction().start(DB_NAME, 0, context=context):
            pool = Pool()
            Bill = pool.get('property.bill')
            Receipt = pool.get('property.receipt')
            bill = Bill(bill_id)
            self.assertIn(bill.rec_name, outcome[1].message)
            self.assertEqual((bill.state, bill.paid), ('paid', D('205.85')))
            self.assertEqual([Receipt(i).state for i in ids],
                ['done', 'draft'])
