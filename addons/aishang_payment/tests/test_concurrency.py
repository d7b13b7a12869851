# This file is part of Aishang Property. See the LICENSE file at the top level
# of this repository for full copyright notices and license terms.
"""The same notification posted 50 times at once, on PostgreSQL.

Collected only when the suite runs on PostgreSQL (see conftest.py): each
post is processed in its own real transaction and thread, restarted and
retried as Tryton's dispatcher does.
"""
import threading
from decimal import Decimal

from trytond.modules.aishang_cashier.tests.tools import (
    create_bills, create_household, setup_cashier)
from trytond.modules.aishang_payment.order import utcnow
from trytond.modules.company.tests import create_company, set_company
from trytond.pool import Pool

from .tools import PaymentTestCase, run_committed, setup_channels

D = Decimal
POSTS = 50


class PaymentConcurrencyTestCase(PaymentTestCase):
    "Concurrent notifications on PostgreSQL"

    def test_same_notification_fifty_times(self):
        "50 simultaneous copies of a notice make exactly one receipt"
        def setup():
            Order = Pool().get('property.payment.order')
            company = create_company()
            with set_company(company):
                setup = setup_cashier(company)
                setup_channels(company, setup, self.keys)
                project, home, owner = create_household(company)
                bills = create_bills(home, owner, setup['fee_items']['WYF'],
                    ['205.85', '205.85'])
                order = Order.create_for_bills(owner, bills, 'sandbox')
            return company.id, order.id, [b.id for b in bills]
        company_id, order_id, bill_ids = run_committed(setup)
        context = {'company': company_id}

        def notification():
            order = Pool().get('property.payment.order')(order_id)
            return order.channel.get_adapter().notification(
                order.payment_info(), utcnow())
        headers, body = run_committed(notification, context)

        start = threading.Barrier(POSTS)
        replies = []

        def post():
            def process():
                Order = Pool().get('property.payment.order')
                return Order.process_notification('sbx', headers, body)
            start.wait(60)
            try:
                replies.append(run_committed(process, context))
            except Exception as exception:
                replies.append(exception)

        threads = [threading.Thread(target=post) for _ in range(POSTS)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(300)

        self.assertEqual([r[:2] for r in replies],
            [(200, '{"code": "SUCCESS"}')] * POSTS)

        def outcome():
            pool = Pool()
            Receipt = pool.get('property.receipt')
            Bill = pool.get('property.bill')
            order = pool.get('property.payment.order')(order_id)
            receipts = Receipt.search([])
            return (order.state, order.receipt.id,
                [(r.id, r.number, r.total) for r in receipts],
                [b.state for b in Bill.browse(bill_ids)])
        state, receipt_id, receipts, bills = run_committed(outcome, context)
        self.assertEqual(state, 'paid')
        self.assertEqual(receipts, [(receipt_id, 'CH-0000001', D('411.70'))])
        self.assertEqual(bills, ['paid', 'paid'])
