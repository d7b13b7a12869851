# This file is part of Aishang Property. See the LICENSE file at the top level
# of this repository for full copyright notices and license terms.
"""Alipay (mobile web / WAP pay) through python-alipay-sdk, RSA2.

Settings (prefixed by the channel code): app_private_key_path (the
application's private key, PEM) and alipay_public_key_path (Alipay's public
key, PEM). A notification is a form POST signed with SHA256withRSA over its
parameters sorted by name, without sign and sign_type (DOMAIN_RULES 19);
the reply is the plain text ``success``.
"""
import datetime as dt
from urllib.parse import parse_qsl

from .channel_base import (
    CST, Adapter, ChannelError, Notice, NotificationError, parse_amount)

TRADE_STATUSES = {
    'TRADE_SUCCESS': 'paid',
    'TRADE_FINISHED': 'paid',
    'WAIT_BUYER_PAY': 'pending',
    'TRADE_CLOSED': 'closed',
    }
TIME_FORMAT = '%Y-%m-%d %H:%M:%S'


class AlipayAdapter(Adapter):
    kind = 'alipay'
    content_type = 'text/plain; charset=utf-8'

    def client(self):
        from alipay import AliPay
        settings = self.settings
        return AliPay(
            appid=settings.app_id,
            app_notify_url=settings.notify_url,
            app_private_key_string=settings.read('app_private_key_path'),
            alipay_public_key_string=settings.read('alipay_public_key_path'),
            sign_type='RSA2',
            debug=bool(settings.test_mode))

    def client_parameters(self, order):
        "The signed order string and the URL the browser opens"
        alipay = self.client()
        order_string = alipay.api_alipay_trade_wap_pay(
            subject=order.description[:256],
            out_trade_no=order.out_trade_no,
            total_amount=str(order.amount),
            return_url=order.return_url,
            notify_url=self.settings.notify_url,
            time_expire=order.expires.astimezone(CST).strftime(TIME_FORMAT))
        return {
            'order_string': order_string,
            'url': f'{alipay._gateway}?{order_string}',
            }

    def query(self, order):
        from alipay.exceptions import AliPayException
        try:
            result = self._api_query(order.out_trade_no)
        except AliPayException as exception:
            if str(exception.code) == '40004':  # ACQ.TRADE_NOT_EXIST
                return None
            raise ChannelError(str(exception))
        return Notice(
            out_trade_no=result['out_trade_no'],
            amount=parse_amount(result['total_amount']),
            status=TRADE_STATUSES.get(result.get('trade_status'), 'pending'),
            transaction_id=result.get('trade_no'),
            raw=result)

    def close(self, order):
        from alipay.exceptions import AliPayException
        try:
            self._api_close(order.out_trade_no)
        except AliPayException as exception:
            if str(exception.code) != '40004':
                raise ChannelError(str(exception))

    # network edge
    def _api_query(self, out_trade_no):
        return self.client().api_alipay_trade_query(out_trade_no=out_trade_no)

    def _api_close(self, out_trade_no):
        return self.client().api_alipay_trade_close(out_trade_no=out_trade_no)

    def parse_notification(self, headers, body, now):
        if isinstance(body, bytes):
            body = body.decode('utf-8')
        data = dict(parse_qsl(body, keep_blank_values=True))
        signature = data.pop('sign', None)
        if not signature or data.get('sign_type') != 'RSA2':
            raise NotificationError('signature missing')
        try:
            timestamp = dt.datetime.strptime(
                data.get('notify_time', ''), TIME_FORMAT).replace(
                tzinfo=CST)
        except ValueError:
            raise NotificationError('timestamp missing')
        self.check_fresh(timestamp, now)
        try:
            valid = self.client().verify(dict(data), signature)
        except (ValueError, TypeError):
            valid = False
        if not valid:
            raise NotificationError('signature')
        if data.get('app_id') != self.settings.app_id:
            raise NotificationError('app id')
        if 'out_trade_no' not in data or 'total_amount' not in data:
            raise NotificationError('parameters missing')
        return Notice(
            out_trade_no=data['out_trade_no'],
            amount=parse_amount(data['total_amount']),
            status=TRADE_STATUSES.get(data.get('trade_status'), 'pending'),
            transaction_id=data.get('trade_no'),
            timestamp=timestamp,
            merchant_id=data.get('seller_id'),
            app_id=data.get('app_id'),
            raw=data)

    def reply(self, success, message='', status=None):
        if success:
            return 200, 'success', self.content_type
        return status or 400, 'failure', self.content_type
