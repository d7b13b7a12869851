# This file is part of Aishang Property. See the LICENSE file at the top level
# of this repository for full copyright notices and license terms.
"""Payment orders: made from the server's own bill totals, settled once by
the channel's notification into one receipt, expired, reconciled."""
import datetime as dt
import json
import re
from decimal import Decimal
from functools import wraps
from unittest import mock

from trytond.modules.aishang_cashier.tests.tools import (
    create_bills, create_household, draft_receipt, setup_cashier)
from trytond.modules.company.tests import create_company, set_company
from trytond.pool import Pool

from trytond.modules.aishang_payment.channel_base import CST
from trytond.modules.aishang_payment.exceptions import (
    PaymentOrderError, ReconciliationError)
from trytond.modules.aishang_payment.order import aware, utcnow
from .keys import Files
from .tools import (
    PaymentTestCase, payment_transaction, server_options, setup_channels)

D = Decimal
UTC = dt.timezone.utc
OPENID = {'openid': 'oUpF8uMuAJO_M2pxb1Q9zNjWeS6o', 'ip': '10.0.0.8'}


def scenario_test(func):
    """A test in a transaction with a company, its channels, a household
    and bills: 3 months of property fees (WYF) and one of parking (CWF)"""
    @payment_transaction()
    @wraps(func)
    def wrapper(self):
        company = create_company()
        with set_company(company):
            return func(self, *self.setup(company))
    return wrapper


class PaymentOrderTestCase(PaymentTestCase):
    "Payment orders from creation to receipt and reconciliation"

    def setup(self, company):
        setup = setup_cashier(company)
        channels = setup_channels(company, setup, self.keys)
        project, home, owner = create_household(company)
        wyf = create_bills(home, owner, setup['fee_items']['WYF'],
            ['205.85', '205.85', '205.85'])
        cwf = create_bills(home, owner, setup['fee_items']['CWF'],
            ['150.00'])
        return channels, owner, wyf, cwf

    def sandbox_notice(self, order, **kwargs):
        channel = order.channel
        adapter = channel.get_adapter()
        return (channel.code,) + adapter.notification(
            order.payment_info(), utcnow(), **kwargs)

    def receipts(self):
        return Pool().get('property.receipt').search([])

    @scenario_test
    def test_order_from_server_amounts(self, channels, owner, wyf, cwf):
        "The amount is the bills' balance; asking again gives the order"
        Order = Pool().get('property.payment.order')
        order = Order.create_for_bills(owner, [cwf[0].id, wyf[1].id,
                wyf[0].id], 'sandbox', client={'ip': '10.0.0.8'})
        self.assertEqual(order.state, 'pending')
        self.assertEqual(order.amount, D('561.70'))
        self.assertEqual([(l.bill, l.amount) for l in order.lines],
            [(wyf[0], D('205.85')), (cwf[0], D('150.00')),
                (wyf[1], D('205.85'))])
        self.assertRegex(order.out_trade_no, r'^PAY\d{9}$')
        self.assertEqual(order.channel, channels['sandbox'])
        self.assertAlmostEqual(aware(order.expires_at) - utcnow(),
            dt.timedelta(minutes=30), delta=dt.timedelta(minutes=1))
        parameters = order.channel_parameters()
        self.assertEqual(parameters['amount'], '561.70')
        self.assertIn(f'/aishang/pay/sandbox/{order.out_trade_no}/pay?token=',
            parameters['pay_url'])
        self.assertEqual(order.to_api()['amount'], '561.70')
        Channel = Pool().get('property.payment.channel')
        self.assertEqual(Channel.kinds_for(order.project),
            ['wechat', 'alipay', 'unionpay', 'sandbox'])
        # the owner taps "pay" again: the same order, nothing new
        again = Order.create_for_bills(owner, [wyf[0].id, wyf[1].id,
                cwf[0].id], channels['sandbox'].id)
        self.assertEqual(again, order)
        self.assertEqual(Order.search_count([]), 1)

    @scenario_test
    def test_order_refusals(self, channels, owner, wyf, cwf):
        "Not open, another owner's, skipping an older bill, double booking"
        pool = Pool()
        Order = pool.get('property.payment.order')
        other_project, other_home, other = create_household(
            wyf[0].company, number='302')
        other_bill, = create_bills(other_home, other,
            wyf[0].fee_item, ['100.00'])
        draft_bill, = create_bills(other_home, owner, cwf[0].fee_item,
            ['10.00'], issue=False)
        cases = [
            ([], "at least one bill"),
            ([wyf[1].id], wyf[0].rec_name),
            ([other_bill.id], "not yours"),
            ([draft_bill.id], "must be open"),
            ([wyf[0].id, 999999], "does not exist"),
            ]
        for bill_ids, message in cases:
            with self.subTest(message=message), \
                    self.assertRaises(PaymentOrderError) as context:
                Order.create_for_bills(owner, bill_ids, 'sandbox')
            self.assertIn(message, context.exception.message)

        first = Order.create_for_bills(owner, [wyf[0].id], 'sandbox')
        with self.assertRaises(PaymentOrderError) as context:
            Order.create_for_bills(owner, [wyf[0].id, wyf[1].id], 'sandbox')
        self.assertIn(first.out_trade_no, context.exception.message)
        with self.assertRaises(PaymentOrderError):
            Order.create_for_bills(owner, [wyf[0].id], 'alipay')
        Order.cancel([first])
        self.assertEqual(Order(first.id).state, 'cancelled')
        second = Order.create_for_bills(owner, [wyf[0].id, wyf[1].id],
            'sandbox')
        self.assertEqual(second.amount, D('411.70'))
        # WeChat Pay needs the payer's openid
        with self.assertRaises(PaymentOrderError):
            Order.create_for_bills(owner, [cwf[0].id], 'wechat')

    @scenario_test
    def test_notification_makes_one_receipt(
            self, channels, owner, wyf, cwf):
        "A genuine notice collects once; duplicates, bad ones change nothing"
        pool = Pool()
        Order = pool.get('property.payment.order')
        Bill = pool.get('property.bill')
        order = Order.create_for_bills(owner, [wyf[0].id, cwf[0].id],
            'sandbox')
        code, headers, body = self.sandbox_notice(order)

        # refused before anything is written
        for name, notice in [
                ('amount', self.sandbox_notice(order, amount=D('355.84'))),
                ('stale', (code,) + order.channel.get_adapter().notification(
                        order.payment_info(),
                        utcnow() - dt.timedelta(minutes=6))),
                ('forged', (code, headers, body.replace('355.85', '355.86'))),
                ]:
            with self.subTest(name):
                status, reply, _ = Order.process_notification(*notice)
                self.assertEqual((status, json.loads(reply)['code']),
                    (400, 'FAIL'))
                order = Order(order.id)
                self.assertEqual((order.state, order.transaction_id,
                        order.receipt), ('pending', None, None))
                self.assertEqual(self.receipts(), [])

        status, reply, content_type = Order.process_notification(
            code, headers, body)
        self.assertEqual((status, json.loads(reply)),
            (200, {'code': 'SUCCESS'}))
        order = Order(order.id)
        self.assertEqual(order.state, 'paid')
        receipt, = self.receipts()
        self.assertEqual(order.receipt, receipt)
        self.assertEqual((receipt.state, receipt.number, receipt.total),
            ('done', 'CH-0000001', D('355.85')))
        payment, = receipt.payments
        self.assertEqual((payment.method, payment.amount, payment.reference),
            (channels['sandbox'].method, D('355.85'), order.transaction_id))
        self.assertEqual([b.state for b in Bill.browse([wyf[0], cwf[0]])],
            ['paid', 'paid'])
        self.assertEqual(order.to_api()['receipt'], 'CH-0000001')
        # printed as taken by the channel, not by the server's user
        self.assertEqual(receipt.printed_cashier(),
            f"Online payment ({channels['sandbox'].name})")

        # WeChat retries: a duplicate is a success and nothing more
        for _ in range(2):
            status, reply, _ = Order.process_notification(
                *self.sandbox_notice(order))
            self.assertEqual(status, 200)
        self.assertEqual(len(self.receipts()), 1)
        self.assertEqual(Order.process_notification('nope', {}, b'')[0],
            404)

    @scenario_test
    def test_wechat_order_and_notification(self, channels, owner, wyf, cwf):
        "Prepay, paySign and notice of WeChat Pay, the network mocked"
        Order = Pool().get('property.payment.order')
        keys = self.keys.wechat
        requests = mock.Mock()
        requests.post.return_value = keys.response(200,
            {'prepay_id': 'wx2026010510000012345'})
        with mock.patch('wechatpayv3.core.requests', requests):
            order = Order.create_for_bills(owner, [cwf[0].id], 'wechat',
                client=OPENID)
        sent = requests.post.call_args.kwargs['json']
        self.assertEqual((sent['amount']['total'], sent['payer']['openid'],
                sent['out_trade_no']),
            (15000, OPENID['openid'], order.out_trade_no))
        self.assertTrue(sent['notify_url'].endswith(
                '/aishang/pay/notify/wx'))
        parameters = order.channel_parameters()
        self.assertEqual(parameters['package'],
            'prepay_id=wx2026010510000012345')
        self.assertEqual(parameters['signType'], 'RSA')

        headers, body = keys.notification(order.out_trade_no, '150.00',
            apiv3_key='0' * 32)
        self.assertEqual(Order.process_notification('wx', headers, body)[0],
            400)
        headers, body = keys.notification(order.out_trade_no, '150.00')
        status, reply, _ = Order.process_notification('wx', headers,
            body.encode())
        self.assertEqual((status, json.loads(reply)['code']),
            (200, 'SUCCESS'))
        order = Order(order.id)
        self.assertEqual((order.state, order.transaction_id),
            ('paid', '4200000001202601010001'))
        self.assertEqual(order.receipt.payments[0].method,
            channels['wechat'].method)

    @scenario_test
    def test_alipay_and_unionpay_notifications(
            self, channels, owner, wyf, cwf):
        "Each channel's genuine notice is answered as that channel expects"
        Order = Pool().get('property.payment.order')
        ali = Order.create_for_bills(owner, [wyf[0].id], 'alipay',
            client={'return_url': 'https://h5.example.com/paid'})
        self.assertIn('alipay.trade.wap.pay',
            ali.channel_parameters()['order_string'])
        headers, body = self.keys.alipay.notification(
            ali.out_trade_no, '205.85', tamper={'total_amount': '205.84'})
        self.assertEqual(Order.process_notification('ali', headers, body),
            (400, 'failure', 'text/plain; charset=utf-8'))
        headers, body = self.keys.alipay.notification(
            ali.out_trade_no, '205.85')
        self.assertEqual(Order.process_notification('ali', headers, body)[:2],
            (200, 'success'))

        union = Order.create_for_bills(owner, [wyf[1].id], 'unionpay',
            client={'return_url': 'https://h5.example.com/paid'})
        fields = union.channel_parameters()['fields']
        self.assertEqual(fields['txnAmt'], '20585')
        headers, body = self.keys.unionpay.notification(
            union.out_trade_no, '205.84')
        self.assertEqual(
            Order.process_notification('upop', headers, body)[:2],
            (400, 'fail'))
        headers, body = self.keys.unionpay.notification(
            union.out_trade_no, '205.85')
        self.assertEqual(
            Order.process_notification('upop', headers, body)[:2],
            (200, 'ok'))
        self.assertEqual([o.state for o in Order.browse([ali.id, union.id])],
            ['paid', 'paid'])
        self.assertEqual([r.number for r in self.receipts()],
            ['CH-0000002', 'CH-0000001'])

    @scenario_test
    def test_late_payments(self, channels, owner, wyf, cwf):
        """A payment after expiry still counts; one for bills paid at the
        desk meanwhile is kept to check, without a second receipt"""
        Order = Pool().get('property.payment.order')
        Receipt = Pool().get('property.receipt')
        order = Order.create_for_bills(owner, [cwf[0].id], 'sandbox')
        order.expires_at = dt.datetime(2000, 1, 1)
        order.save()
        Order.cron_expire()
        self.assertEqual(Order(order.id).state, 'expired')
        Order.process_notification(*self.sandbox_notice(order))
        order = Order(order.id)
        self.assertEqual((order.state, order.receipt.state),
            ('paid', 'done'))

        late = Order.create_for_bills(owner, [wyf[0].id], 'sandbox')
        Order.cancel([late])
        desk = draft_receipt(wyf[0].resource, owner, [(wyf[0], '205.85')],
            [(channels['wechat'].method, '205.85')])
        Receipt.collect([desk])
        status, _, _ = Order.process_notification(*self.sandbox_notice(late))
        self.assertEqual(status, 200)
        late = Order(late.id)
        self.assertEqual((late.state, late.receipt), ('exception', None))
        self.assertIn(wyf[0].rec_name, late.note)
        self.assertEqual(len(self.receipts()), 2)
        # the duplicate notice of a payment kept to check changes nothing
        Order.process_notification(*self.sandbox_notice(late))
        self.assertEqual((Order(late.id).state, len(self.receipts())),
            ('exception', 2))

    @scenario_test
    def test_query(self, channels, owner, wyf, cwf):
        "A lost notice is made up for by querying the channel"
        Order = Pool().get('property.payment.order')
        keys = self.keys.wechat
        requests = mock.Mock()
        requests.post.return_value = keys.response(200,
            {'prepay_id': 'wx2026010510000099999'})
        with mock.patch('wechatpayv3.core.requests', requests):
            order = Order.create_for_bills(owner, [cwf[0].id], 'wechat',
                client=OPENID)
        answer = {'appid': keys.appid, 'mchid': keys.mchid,
            'out_trade_no': order.out_trade_no, 'transaction_id': '42000009',
            'amount': {'total': 15000, 'currency': 'CNY'}}
        requests.get.return_value = keys.response(200,
            dict(answer, trade_state='NOTPAY'))
        with mock.patch('wechatpayv3.core.requests', requests):
            Order.query([order])
        self.assertEqual(Order(order.id).state, 'pending')
        requests.get.return_value = keys.response(200,
            dict(answer, trade_state='SUCCESS'))
        with mock.patch('wechatpayv3.core.requests', requests):
            Order.query([order])
        order = Order(order.id)
        self.assertEqual((order.state, order.transaction_id,
                order.receipt.total), ('paid', '42000009', D('150.00')))

    @scenario_test
    def test_reconciliation(self, channels, owner, wyf, cwf):
        "A hand-made statement compared with the day's orders"
        pool = Pool()
        Order = pool.get('property.payment.order')
        Reconciliation = pool.get('property.payment.reconciliation')
        paid = []
        for bills in [[wyf[0]], [cwf[0]], [wyf[1]]]:
            order = Order.create_for_bills(owner, bills, 'sandbox')
            Order.process_notification(*self.sandbox_notice(order))
            paid.append(Order(order.id))
        lost = Order.create_for_bills(owner, [wyf[2]], 'sandbox')
        date = aware(paid[0].paid_at).astimezone(CST).date()
        statement = '\n'.join([
                'out_trade_no,transaction_id,amount,status',
                f'{paid[0].out_trade_no},{paid[0].transaction_id},205.85,'
                'SUCCESS',
                f'{paid[1].out_trade_no},{paid[1].transaction_id},105.00,'
                'SUCCESS',
                f'{lost.out_trade_no},SBX-LOST,205.85,SUCCESS',
                ]) + '\n'
        reconciliation, = Reconciliation.create([{
                    'channel': channels['sandbox'].id, 'date': date,
                    'statement': statement.encode(),
                    'statement_name': 'sbx_statement.csv'}])
        Reconciliation.reconcile([reconciliation])
        reconciliation = Reconciliation(reconciliation.id)
        self.assertEqual(reconciliation.state, 'done')
        self.assertEqual(
            [(l.status, l.order, l.statement_amount, l.order_amount)
                for l in reconciliation.lines],
            [('matched', paid[0], D('205.85'), D('205.85')),
                ('amount_mismatch', paid[1], D('105.00'), D('150.00')),
                ('missing_system', lost, D('205.85'), None),
                ('missing_statement', paid[2], None, D('205.85'))])
        self.assertEqual(
            (reconciliation.matched, reconciliation.differences), (1, 3))
        self.assertEqual(reconciliation.lines[2].order_state, 'pending')
        Reconciliation.draft([reconciliation])
        reconciliation.statement = b'order,amount\nx,1\n'
        reconciliation.save()
        with self.assertRaises(ReconciliationError) as context:
            Reconciliation.reconcile([reconciliation])
        self.assertTrue(re.search('line 1', context.exception.message))

        # the cron reconciles each statement of the folder once
        folder = Files()
        folder.write('sbx_20260105.csv',
            'out_trade_no,transaction_id,amount\nPAY900000001,T9,1.00\n')
        folder.write('notes.txt', 'not a statement')
        with server_options({'statement_dir': folder.dir}):
            imported, = Reconciliation.cron_import_statements()
            self.assertEqual(Reconciliation.cron_import_statements(), [])
        imported = Reconciliation(imported.id)
        self.assertEqual((imported.date, imported.state, imported.channel),
            (dt.date(2026, 1, 5), 'done', channels['sandbox']))
        self.assertEqual([(l.status, l.out_trade_no) for l in imported.lines],
            [('missing_system', 'PAY900000001')])
