# This file is part of Aishang Property. See the LICENSE file at the top level
# of this repository for full copyright notices and license terms.
"""The channel adapters alone, with self-made keys: genuine notifications
are accepted, forged, tampered, stale or foreign ones refused."""
import base64
import datetime as dt
import json
import unittest
from decimal import Decimal
from unittest import mock
from urllib.parse import parse_qsl

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding

from trytond.modules.aishang_payment.channel_base import (
    ChannelConfigError, NotificationError, OrderInfo, get_adapter)
from trytond.modules.aishang_payment.channel_unionpay import signing_string
from trytond.modules.aishang_payment.statement import (
    AMOUNT_MISMATCH, MATCHED, MISSING_STATEMENT, MISSING_SYSTEM,
    StatementError, SystemPayment, compare, parse_statement)
from .keys import (
    AlipayKeys, Files, SandboxKeys, UnionPayKeys, WeChatKeys, rsa_key)

D = Decimal
UTC = dt.timezone.utc
STALE = dt.timedelta(minutes=6)


def order_info(out_trade_no='PAY000000001', amount='205.85', **values):
    now = dt.datetime.now(UTC)
    values.setdefault('openid', 'oUpF8uMuAJO_M2pxb1Q9zNjWeS6o')
    return OrderInfo(out_trade_no=out_trade_no, amount=D(amount),
        description="物业缴费", created=now,
        expires=now + dt.timedelta(minutes=30), **values)


def no_network(*args, **kwargs):
    raise AssertionError("the adapter went to the network")


class ChannelsTestCase(unittest.TestCase):
    "Signing and verification of each channel"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.files = Files()
        cls.wechat = WeChatKeys(cls.files)
        cls.wechat_certs = WeChatKeys(cls.files, code='wxc', cert_mode=True)
        cls.alipay = AlipayKeys(cls.files)
        cls.unionpay = UnionPayKeys(cls.files)
        cls.sandbox = SandboxKeys(cls.files)

    def assertRefused(self, adapter, headers, body, reason, now=None):
        with self.assertRaises(NotificationError) as context:
            adapter.parse_notification(headers, body,
                now or dt.datetime.now(UTC))
        self.assertEqual(context.exception.args[0], reason)

    # WeChat Pay v3 ----------------------------------------------------------

    def test_wechat_genuine(self):
        "A genuine WeChat notification is decoded, in both key modes"
        for keys in [self.wechat, self.wechat_certs]:
            with self.subTest(code=keys.code), \
                    mock.patch('wechatpayv3.core.requests', no_network):
                adapter = get_adapter(keys.settings())
                headers, body = keys.notification('PAY000000001', '205.85')
                notice = adapter.parse_notification(
                    headers, body.encode(), dt.datetime.now(UTC))
                self.assertEqual((notice.out_trade_no, notice.amount,
                        notice.status, notice.transaction_id),
                    ('PAY000000001', D('205.85'), 'paid',
                        '4200000001202601010001'))
                adapter.check_notice(notice, D('205.85'))
                with self.assertRaises(NotificationError):
                    adapter.check_notice(notice, D('205.86'))

    def test_wechat_refused(self):
        "Forged, tampered, stale, unknown serial or wrong APIv3 key"
        keys = self.wechat
        adapter = get_adapter(keys.settings())
        now = dt.datetime.now(UTC)
        cases = [
            ('forged', keys.notification('PAY1', '1.00',
                    key=rsa_key('forger')), 'signature or decryption'),
            ('tampered', keys.notification('PAY1', '1.00',
                    tamper=('TRANSACTION.SUCCESS', 'TRANSACTION.SUCCESS ')),
                'signature or decryption'),
            ('stale', keys.notification('PAY1', '1.00', when=now - STALE),
                'stale timestamp'),
            ('ahead', keys.notification('PAY1', '1.00', when=now + STALE),
                'stale timestamp'),
            ('serial', keys.notification('PAY1', '1.00', serial='5157F09E'),
                'unknown serial'),
            ('apiv3 key', keys.notification('PAY1', '1.00',
                    apiv3_key='0' * 32), 'signature or decryption'),
            ]
        # an unknown serial must not make the library download certificates
        with mock.patch('wechatpayv3.core.requests', no_network):
            for name, (headers, body), reason in cases:
                with self.subTest(name):
                    self.assertRefused(adapter, headers, body, reason, now)

    def test_wechat_prepay_and_pay_sign(self):
        "The prepay id from WeChat and the paySign of wx.requestPayment"
        keys = self.wechat
        adapter = get_adapter(keys.settings())
        requests = mock.Mock()
        requests.post.return_value = keys.response(
            200, {'prepay_id': 'wx201410272009395522657a690389285100'})
        with mock.patch('wechatpayv3.core.requests', requests):
            data = adapter.prepare(order_info())
        sent = requests.post.call_args.kwargs
        self.assertEqual(sent['json']['amount'],
            {'total': 20585, 'currency': 'CNY'})
        self.assertEqual(sent['json']['out_trade_no'], 'PAY000000001')
        self.assertTrue(sent['url'].endswith('/v3/pay/transactions/jsapi'))
        order = order_info(data=data)
        parameters = adapter.client_parameters(order)
        self.assertEqual(parameters['package'],
            'prepay_id=wx201410272009395522657a690389285100')
        message = '\n'.join([keys.appid, parameters['timeStamp'],
                parameters['nonceStr'], parameters['package']]) + '\n'
        keys.merchant.public_key().verify(
            base64.b64decode(parameters['paySign']), message.encode(),
            padding.PKCS1v15(), hashes.SHA256())

    def test_wechat_query(self):
        "A query answer signed by the platform"
        keys = self.wechat
        adapter = get_adapter(keys.settings())
        requests = mock.Mock()
        requests.get.return_value = keys.response(200, {
                'appid': keys.appid, 'mchid': keys.mchid,
                'out_trade_no': 'PAY000000001',
                'transaction_id': '4200000002', 'trade_state': 'SUCCESS',
                'amount': {'total': 20585, 'currency': 'CNY'}})
        with mock.patch('wechatpayv3.core.requests', requests):
            notice = adapter.query(order_info())
        self.assertEqual((notice.status, notice.amount),
            ('paid', D('205.85')))

    def test_wechat_missing_settings(self):
        "A missing key is named, not downloaded"
        files = Files()
        adapter = get_adapter(WeChatKeys(files, code='wy').settings())
        del files.options['wy_platform_public_key_path']
        headers, body = WeChatKeys(files, code='wz').notification('P', '1')
        with self.assertRaises(ChannelConfigError) as context:
            adapter.parse_notification(headers, body, dt.datetime.now(UTC))
        self.assertEqual(context.exception.args[0], 'wy_platform_cert_dir')

    # Alipay -------------------------------------------------------------

    def test_alipay(self):
        "Alipay RSA2: genuine accepted; forged, tampered, stale refused"
        keys = self.alipay
        adapter = get_adapter(keys.settings())
        now = dt.datetime.now(UTC)
        headers, body = keys.notification('PAY000000002', '99.90')
        notice = adapter.parse_notification(headers, body, now)
        self.assertEqual((notice.out_trade_no, notice.amount, notice.status),
            ('PAY000000002', D('99.90'), 'paid'))
        adapter.check_notice(notice, D('99.90'))
        with self.assertRaises(NotificationError):
            adapter.check_notice(notice, D('100.00'))
        for name, (headers, body), reason in [
                ('forged', keys.notification('PAY2', '1.00',
                        key=rsa_key('forger')), 'signature'),
                ('tampered', keys.notification('PAY2', '1.00',
                        tamper={'total_amount': '0.01'}), 'signature'),
                ('stale', keys.notification('PAY2', '1.00',
                        when=now - STALE), 'stale timestamp'),
                ('other app', keys.notification('PAY2', '1.00',
                        tamper={'sign_type': 'RSA'}), 'signature missing'),
                ]:
            with self.subTest(name):
                self.assertRefused(adapter, headers, body, reason, now)
        self.assertEqual(adapter.reply(True)[:2], (200, 'success'))
        self.assertEqual(adapter.reply(False)[1], 'failure')

    def test_alipay_wap_order_string(self):
        "The WAP pay URL is signed with the application key"
        keys = self.alipay
        adapter = get_adapter(keys.settings())
        parameters = adapter.client_parameters(order_info(
                return_url='https://h5.example.com/paid'))
        params = dict(parse_qsl(parameters['order_string']))
        signature = base64.b64decode(params.pop('sign'))
        content = '&'.join(f'{k}={v}' for k, v in sorted(params.items()))
        keys.app.public_key().verify(signature, content.encode(),
            padding.PKCS1v15(), hashes.SHA256())
        biz = json.loads(params['biz_content'])
        self.assertEqual((biz['out_trade_no'], biz['total_amount']),
            ('PAY000000001', '205.85'))
        self.assertTrue(parameters['url'].startswith('https://openapi.'))

    # UnionPay -------------------------------------------------------------

    def test_unionpay(self):
        "ACP 5.1.0: genuine accepted; forged, tampered, foreign refused"
        keys = self.unionpay
        adapter = get_adapter(keys.settings())
        headers, body = keys.notification('PAY000000003', '1234.56')
        notice = adapter.parse_notification(headers, body,
            dt.datetime.now(UTC))
        self.assertEqual((notice.out_trade_no, notice.amount, notice.status,
                notice.transaction_id),
            ('PAY000000003', D('1234.56'), 'paid', '782601011200000000001'))
        adapter.check_notice(notice, D('1234.56'))
        with self.assertRaises(NotificationError):
            adapter.check_notice(notice, D('1234.55'))

        stranger = UnionPayKeys(Files(), code='other', authority='stranger')
        expired = UnionPayKeys(Files(), code='old', leaf_days=(-30, -1))
        impostor = UnionPayKeys(Files(), code='imp',
            leaf_cn='041@Z12345678@某某科技有限公司@00000001')
        cases = [
            ('forged', keys.notification('PAY3', '1.00',
                    key=rsa_key('forger')), 'signature'),
            ('tampered', keys.notification('PAY3', '1.00',
                    tamper={'txnAmt': '1'}), 'signature'),
            ('unknown chain', keys.notification('PAY3', '1.00',
                    cert=stranger.leaf, key=stranger.leaf_key),
                'unknown certificate'),
            ('other merchant', keys.notification('PAY3', '1.00',
                    tamper={'merId': '777290058110049'}), 'signature'),
            ]
        for name, (headers, body), reason in cases:
            with self.subTest(name):
                self.assertRefused(adapter, headers, body, reason)
        # the same chain but an expired leaf, or a leaf not naming UnionPay
        for name, other, reason in [
                ('expired', expired, 'certificate expired'),
                ('name', impostor, 'certificate name')]:
            with self.subTest(name):
                headers, body = other.notification('PAY3', '1.00')
                self.assertRefused(get_adapter(other.settings()), headers,
                    body, reason)

    def test_unionpay_front_form(self):
        "The form posted to UnionPay is signed with the merchant key"
        keys = self.unionpay
        adapter = get_adapter(keys.settings(test_mode=True))
        order = order_info(return_url='https://h5.example.com/paid')
        order.data = adapter.prepare(order)
        parameters = adapter.client_parameters(order)
        fields = parameters['fields']
        self.assertEqual((fields['txnAmt'], fields['orderId'],
                fields['certId']), ('20585', 'PAY000000001', '68759585097'))
        self.assertIn('gateway.test.95516.com', parameters['action'])
        keys.merchant.public_key().verify(
            base64.b64decode(fields['signature']),
            signing_string(fields).encode(), padding.PKCS1v15(),
            hashes.SHA256())

    def test_unionpay_query(self):
        "A query answer is verified like a notification"
        keys = self.unionpay
        adapter = get_adapter(keys.settings())
        order = order_info()
        order.data = adapter.prepare(order)
        answer = keys.params('PAY000000001', '205.85')
        answer.update({'origRespCode': '00'})
        from ..channel_unionpay import sign
        answer['signature'] = sign(answer, keys.leaf_key)
        from urllib.parse import urlencode
        with mock.patch.object(type(adapter), '_api_post',
                return_value=urlencode(answer)) as post:
            notice = adapter.query(order)
        self.assertEqual(post.call_args.args[1]['orderId'], 'PAY000000001')
        self.assertEqual((notice.status, notice.amount),
            ('paid', D('205.85')))

    # Sandbox -------------------------------------------------------------

    def test_sandbox(self):
        "HMAC: genuine accepted; forged, tampered, stale, other key refused"
        keys = self.sandbox
        adapter = get_adapter(keys.settings())
        order = order_info()
        now = dt.datetime.now(UTC)
        headers, body = adapter.notification(order, now)
        notice = adapter.parse_notification(headers, body, now)
        self.assertEqual((notice.out_trade_no, notice.amount, notice.status),
            ('PAY000000001', D('205.85'), 'paid'))
        adapter.check_notice(notice, order.amount)

        forger = get_adapter(SandboxKeys(Files(), code='sbx').settings())
        other_key = get_adapter(SandboxKeys(Files(), code='sbx2').settings())
        tampered_headers, tampered = adapter.notification(order, now)
        headers_other, body_other = other_key.notification(order, now)
        headers_other['X-Sandbox-Key'] = adapter.key_id()
        cases = [
            ('forged', (headers_other, body_other), 'signature'),
            ('tampered', (tampered_headers,
                    tampered.replace('205.85', '0.01')), 'signature'),
            ('stale', adapter.notification(order, now - STALE),
                'stale timestamp'),
            ('unknown key', forger.notification(order, now),
                'unknown serial'),
            ]
        for name, (headers, body), reason in cases:
            with self.subTest(name):
                self.assertRefused(adapter, headers, body, reason, now)
        parameters = adapter.client_parameters(order)
        self.assertTrue(adapter.check_pay_token(
                order.out_trade_no, parameters['token']))
        self.assertFalse(adapter.check_pay_token(order.out_trade_no, 'x'))
        self.assertFalse(forger.check_pay_token(
                order.out_trade_no, parameters['token']))

    # Statements ---------------------------------------------------------

    def test_statements(self):
        "WeChat, Alipay (GBK) and plain statements compared with orders"
        wechat = (
            '交易时间,公众账号ID,商户号,特约商户号,设备号,微信订单号,商户订单号,'
            '用户标识,交易类型,交易状态,付款银行,货币种类,应结订单金额,代金券金额,'
            '微信退款单号,商户退款单号,退款金额,充值券退款金额,退款类型,退款状态,'
            '商品名称,商户数据包,手续费,费率,订单金额,申请退款金额,费率备注\n'
            '`2026-01-05 10:00:00,`wx01,`1900000109,`0,`,`4200001,'
            '`PAY000000001,`oUp,`JSAPI,`SUCCESS,`CMB_DEBIT,`CNY,`205.85,'
            '`0.00,`0,`0,`0.00,`0.00,`,`,`物业费,`,`1.24,`0.60%,`205.85,'
            '`0.00,`\n'
            '`2026-01-05 11:00:00,`wx01,`1900000109,`0,`,`4200002,'
            '`PAY000000002,`oUp,`JSAPI,`REFUND,`CMB_DEBIT,`CNY,`0.00,'
            '`0.00,`500001,`R1,`10.00,`0.00,`ORIGINAL,`SUCCESS,`物业费,`,'
            '`0.00,`0.60%,`10.00,`10.00,`\n'
            '总交易单数,应结订单总金额,退款总金额\n`2,`205.85,`10.00\n')
        rows = parse_statement(wechat.encode('utf-8-sig'))
        self.assertEqual([(r.out_trade_no, r.amount, r.transaction_id)
                for r in rows], [('PAY000000001', D('205.85'), '4200001')])

        alipay = (
            '#支付宝业务明细查询\n#账号：[20880000000000010156]\n'
            '#起始日期：[2026年01月05日 00:00:00]\n'
            '#-----------------------------------------业务明细列表'
            '----------------------------------------\n'
            '支付宝交易号,商户订单号,业务类型,商品名称,创建时间,完成时间,'
            '门店编号,门店名称,操作员,终端号,对方账户,订单金额（元）,'
            '商家实收（元）,支付宝红包（元）,集分宝（元）,支付宝优惠（元）,'
            '商家优惠（元）,券核销金额（元）,券名称,商家红包消费金额（元）,'
            '卡消费金额（元）,退款批次号/请求号,服务费（元）,分润（元）,备注\n'
            '2026010522001\t,PAY000000003\t,交易,物业费,'
            '2026-01-05 09:00:00,2026-01-05 09:00:05,,,,,a***@x.com,'
            '99.90,99.90,0.00,0.00,0.00,0.00,0.00,,0.00,0.00,,-0.60,0.00,\n'
            '#-----------------------------------------业务明细列表结束'
            '------------------------------------\n#交易合计：1笔\n')
        rows = parse_statement(alipay.encode('gbk'))
        self.assertEqual([(r.out_trade_no, r.amount, r.transaction_id)
                for r in rows],
            [('PAY000000003', D('99.90'), '2026010522001')])

        plain = ('out_trade_no,transaction_id,amount,status\n'
            'A1,T1,10.00,SUCCESS\nA2,T2,20.00,SUCCESS\nA3,T3,5.00,CLOSED\n'
            'A4,T4,7.00,SUCCESS\n')
        rows = parse_statement(plain.encode())
        payments = [SystemPayment('A1', D('10.00'), 'T1'),
            SystemPayment('A2', D('19.99'), 'T2'),
            SystemPayment('A5', D('3.00'), 'T5')]
        self.assertEqual(
            [(c.status, c.out_trade_no) for c in compare(payments, rows)],
            [(MATCHED, 'A1'), (AMOUNT_MISMATCH, 'A2'),
                (MISSING_SYSTEM, 'A4'), (MISSING_STATEMENT, 'A5')])
        for bad, line in [('x,y\n1,2\n', 1),
                ('out_trade_no,amount\nA1,ten\n', 2)]:
            with self.subTest(bad=bad), \
                    self.assertRaises(StatementError) as context:
                parse_statement(bad.encode())
            self.assertEqual(context.exception.args[0], line)
