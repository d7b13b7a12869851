# This file is part of Aishang Property. See the LICENSE file at the top level
# of this repository for full copyright notices and license terms.
"""WeChat Pay API v3 (JSAPI / mini-program) through wechatpayv3.

Settings (section [aishang_payment] of the server configuration, each
prefixed by the channel code): private_key_path (the merchant API key,
apiclient_key.pem), apiv3_key, and either platform_public_key_path (WeChat
Pay public key, its id in the channel's Platform Key ID) or
platform_cert_dir (platform certificates named <SERIAL>.pem).

wechatpayv3 downloads the platform certificates when it has none or meets
an unknown serial, and does not look at the timestamp: the serial and the
freshness are checked here before the library is called.
"""
import datetime as dt
import json
import os
import secrets

from cryptography import x509

from .channel_base import (
    CST, Adapter, ChannelConfigError, ChannelError, Notice,
    NotificationError, from_fen, header, to_fen)

SIGNATURE_TYPE = 'WECHATPAY2-SHA256-RSA2048'
TRADE_STATES = {
    'SUCCESS': 'paid',
    'REFUND': 'paid',
    'NOTPAY': 'pending',
    'USERPAYING': 'pending',
    'CLOSED': 'closed',
    'REVOKED': 'closed',
    'PAYERROR': 'closed',
    }


class WeChatAdapter(Adapter):
    kind = 'wechat'

    def _platform_serials(self):
        """The serials the notifications may be signed with, upper case
        hex: the public key id, or the valid certificates of the folder."""
        settings = self.settings
        if settings.lookup(settings.option('platform_public_key_path')):
            if not settings.platform_key_id:
                raise ChannelConfigError('platform_key_id')
            return {settings.platform_key_id}
        cert_dir = settings.get('platform_cert_dir')
        now = dt.datetime.now(dt.timezone.utc)
        serials = set()
        try:
            names = os.listdir(cert_dir)
        except OSError:
            raise ChannelConfigError(settings.option('platform_cert_dir'))
        for name in names:
            if not name.lower().endswith('.pem'):
                continue
            with open(os.path.join(cert_dir, name), 'rb') as file:
                try:
                    cert = x509.load_pem_x509_certificate(file.read())
                except ValueError:
                    continue
            if cert.not_valid_before_utc <= now <= cert.not_valid_after_utc:
                serials.add(f'{cert.serial_number:X}')
        if not serials:
            # the library would download them: refuse instead
            raise ChannelConfigError(settings.option('platform_cert_dir'))
        return serials

    def client(self):
        "The wechatpayv3 client; never downloads certificates"
        from wechatpayv3 import WeChatPay, WeChatPayType
        settings = self.settings
        self._platform_serials()
        public_key = settings.read('platform_public_key_path',
            required=False)
        return WeChatPay(
            wechatpay_type=WeChatPayType.MINIPROG,
            mchid=settings.merchant_id,
            private_key=settings.read('private_key_path'),
            cert_serial_no=settings.merchant_serial,
            appid=settings.app_id,
            apiv3_key=settings.get('apiv3_key'),
            notify_url=settings.notify_url,
            cert_dir=(None if public_key
                else settings.get('platform_cert_dir')),
            public_key=public_key,
            public_key_id=settings.platform_key_id if public_key else None,
            timeout=(5, 15))

    def prepare(self, order):
        if not order.openid:
            raise ChannelError('openid missing')
        params = {
            'description': order.description[:127],
            'out_trade_no': order.out_trade_no,
            'amount': {'total': to_fen(order.amount), 'currency': 'CNY'},
            'payer': {'openid': order.openid},
            'time_expire': order.expires.astimezone(CST).isoformat(
                timespec='seconds'),
            }
        if order.client_ip:
            params['scene_info'] = {'payer_client_ip': order.client_ip}
        code, message = self._api_pay(params)
        try:
            result = json.loads(message)
        except (TypeError, ValueError):
            result = {}
        if code != 200 or not result.get('prepay_id'):
            raise ChannelError(result.get('message') or f'HTTP {code}')
        return {'prepay_id': result['prepay_id']}

    def client_parameters(self, order):
        "What wx.requestPayment takes"
        package = f"prepay_id={order.data['prepay_id']}"
        timestamp = str(int(dt.datetime.now(dt.timezone.utc).timestamp()))
        nonce = secrets.token_hex(16)
        pay = self.client()
        return {
            'appId': self.settings.app_id,
            'timeStamp': timestamp,
            'nonceStr': nonce,
            'package': package,
            'signType': 'RSA',
            'paySign': pay.sign(
                [self.settings.app_id, timestamp, nonce, package]),
            }

    def query(self, order):
        code, message = self._api_query(order.out_trade_no)
        if code == 404:
            return None
        if code != 200:
            raise ChannelError(f'HTTP {code}: {message}')
        return self._notice(json.loads(message), None)

    def close(self, order):
        code, message = self._api_close(order.out_trade_no)
        if code not in {200, 204}:
            raise ChannelError(f'HTTP {code}: {message}')

    # network edge
    def _api_pay(self, params):
        pay = self.client()
        return pay.pay(**params)

    def _api_query(self, out_trade_no):
        return self.client().query(out_trade_no=out_trade_no)

    def _api_close(self, out_trade_no):
        return self.client().close(out_trade_no=out_trade_no)

    def parse_notification(self, headers, body, now):
        if isinstance(body, bytes):
            body = body.decode('utf-8')
        values = {name: header(headers, name) or '' for name in [
                'Wechatpay-Signature', 'Wechatpay-Timestamp',
                'Wechatpay-Nonce', 'Wechatpay-Serial',
                'Wechatpay-Signature-Type']}
        if values['Wechatpay-Signature-Type'] != SIGNATURE_TYPE:
            raise NotificationError('signature type')
        try:
            timestamp = dt.datetime.fromtimestamp(
                int(values['Wechatpay-Timestamp']), dt.timezone.utc)
        except (ValueError, OverflowError, OSError):
            raise NotificationError('timestamp missing')
        self.check_fresh(timestamp, now)
        if values['Wechatpay-Serial'].upper() not in {
                s.upper() for s in self._platform_serials()}:
            raise NotificationError('unknown serial')
        data = self.client().callback(values, body)
        if not data:
            # a forged signature or a tampered body, or a wrong APIv3 key
            raise NotificationError('signature or decryption')
        if data.get('event_type') != 'TRANSACTION.SUCCESS':
            raise NotificationError('event type')
        return self._notice(data['resource'], timestamp)

    def _notice(self, resource, timestamp):
        try:
            amount = from_fen(resource['amount']['total'])
            out_trade_no = resource['out_trade_no']
        except (KeyError, TypeError, ValueError):
            raise NotificationError('resource unreadable')
        if resource['amount'].get('currency', 'CNY') != 'CNY':
            raise NotificationError('currency')
        return Notice(
            out_trade_no=out_trade_no,
            amount=amount,
            status=TRADE_STATES.get(resource.get('trade_state'), 'pending'),
            transaction_id=resource.get('transaction_id'),
            timestamp=timestamp,
            merchant_id=resource.get('mchid'),
            app_id=resource.get('appid'),
            raw=resource)

    def reply(self, success, message='', status=None):
        if success:
            return 200, json.dumps({'code': 'SUCCESS', 'message': 'OK'}), \
                self.content_type
        return status or 400, json.dumps(
            {'code': 'FAIL', 'message': message}), self.content_type
