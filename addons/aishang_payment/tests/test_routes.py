# This file is part of Aishang Property. See the LICENSE file at the top level
# of this repository for full copyright notices and license terms.
"The notification and sandbox endpoints through Tryton's WSGI application"
import json
from unittest import mock

from werkzeug.test import Client

from trytond.modules.aishang_cashier.tests.tools import (
    create_bills, create_household, setup_cashier)
from trytond.modules.aishang_payment.order import utcnow
from trytond.modules.company.tests import create_company, set_company
from trytond.pool import Pool
from trytond.protocols.wrappers import Response
from trytond.tests.test_tryton import DB_NAME
from trytond.wsgi import app

from .tools import PaymentTestCase, run_committed, server_options, \
    setup_channels

OPENID = {'openid': 'oUpF8uMuAJO_M2pxb1Q9zNjWeS6o'}


class PaymentRouteTestCase(PaymentTestCase):
    "POST /<db>/aishang/pay/notify/<channel> and the sandbox's pay"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()

        def setup():
            company = create_company()
            with set_company(company):
                setup = setup_cashier(company)
                setup_channels(company, setup, cls.keys)
            return company.id, setup['fee_items']['WYF'].id
        cls.company_id, cls.fee_item_id = run_committed(setup)
        cls.context = {'company': cls.company_id}
        cls.base = '/' + DB_NAME

    def client(self):
        return Client(app, Response)

    def make_order(self, number, channel='sandbox', client=None):
        "A household with one bill and its pending order, committed"
        def make():
            pool = Pool()
            Order = pool.get('property.payment.order')
            FeeItem = pool.get('property.fee_item')
            Company = pool.get('company.company')
            with set_company(Company(self.company_id)):
                project, home, owner = create_household(
                    Company(self.company_id), number=number)
                bill, = create_bills(home, owner,
                    FeeItem(self.fee_item_id), ['205.85'])
                order = Order.create_for_bills(owner, [bill.id], channel,
                    client=client)
                return order.id, order.out_trade_no, \
                    order.channel_parameters()
        return run_committed(make, self.context)

    def read(self, func):
        return run_committed(lambda: func(Pool()), self.context)

    def test_notify(self):
        "Genuine once, duplicates answered, forged and unknown refused"
        order_id, number, _ = self.make_order('401')

        def notification(pool):
            order = pool.get('property.payment.order')(order_id)
            return order.channel.get_adapter().notification(
                order.payment_info(), utcnow())
        headers, body = self.read(notification)
        client = self.client()
        url = f'{self.base}/aishang/pay/notify/sbx'

        forged = client.post(url, headers=headers,
            data=body.replace('205.85', '205.80'))
        self.assertEqual((forged.status_code, forged.json['code']),
            (400, 'FAIL'))
        for _ in range(3):
            response = client.post(url, headers=headers, data=body)
            self.assertEqual((response.status_code, response.json),
                (200, {'code': 'SUCCESS'}))
        self.assertEqual(
            client.post(f'{self.base}/aishang/pay/notify/nope',
                headers=headers, data=body).status_code, 404)

        def outcome(pool):
            order = pool.get('property.payment.order')(order_id)
            receipts = pool.get('property.receipt').search(
                [('lines.bill', 'in', [l.bill.id for l in order.lines])])
            return order.state, [r.number for r in receipts]
        self.assertEqual(self.read(outcome), ('paid', ['CH-0000001']))

    def test_wechat_notify(self):
        "A WeChat notice through the HTTP headers as WeChat sends them"
        keys = self.keys.wechat
        requests = mock.Mock()
        requests.post.return_value = keys.response(200,
            {'prepay_id': 'wx2026010510000077777'})
        with mock.patch('wechatpayv3.core.requests', requests):
            order_id, number, _ = self.make_order('402', 'wechat', OPENID)
        headers, body = keys.notification(number, '205.85')
        response = self.client().post(
            f'{self.base}/aishang/pay/notify/wx', headers=headers,
            data=body.encode('utf-8'),
            content_type='application/json')
        self.assertEqual((response.status_code, response.json['code']),
            (200, 'SUCCESS'))
        self.assertEqual(self.read(lambda pool: pool.get(
                    'property.payment.order')(order_id).state), 'paid')

    def test_sandbox_pay(self):
        "The demo page pays through the sandbox with the order's token"
        order_id, number, parameters = self.make_order('403')
        client = self.client()
        url = f'{self.base}/aishang/pay/sandbox/{number}/pay'
        self.assertEqual(client.post(url + '?token=0').status_code, 403)
        with server_options({}, sandbox=False):
            self.assertEqual(
                client.post(parameters['pay_url']).status_code, 404)
        response = client.post(url, json={'token': parameters['token']})
        self.assertEqual(response.status_code, 200)
        data = json.loads(response.get_data(as_text=True))
        self.assertEqual(data['reply'], {'code': 'SUCCESS'})
        self.assertEqual((data['order']['state'], data['order']['amount']),
            ('paid', '205.85'))
        self.assertTrue(data['order']['receipt'].startswith('CH-'))
