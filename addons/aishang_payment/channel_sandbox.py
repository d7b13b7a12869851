# This file is part of Aishang Property. See the LICENSE file at the top level
# of this repository for full copyright notices and license terms.
"""The sandbox channel: a pretend payment service for the demo and tests.

It signs its notifications with HMAC-SHA256 under a secret of the server
configuration (secret_path, or secret, prefixed by the channel code; the
demo generates one in its var directory) and they go through the same
checks as the real channels: signature, key id, freshness, amount, once
only. The server refuses sandbox channels unless ``sandbox = True`` is set
in section [aishang_payment].

Notification: a JSON body {"out_trade_no", "transaction_id", "amount",
"trade_state", "merchant_id", "app_id"} with the headers
X-Sandbox-Timestamp (Unix seconds), X-Sandbox-Nonce, X-Sandbox-Key (the
key id) and X-Sandbox-Signature, base64 of HMAC-SHA256 over
"<timestamp>\\n<nonce>\\n<body>\\n".
"""
import base64
import datetime as dt
import hashlib
import hmac
import json
import secrets

from .channel_base import (
    Adapter, Notice, NotificationError, header, parse_amount)

STATES = {'SUCCESS': 'paid', 'CLOSED': 'closed', 'NOTPAY': 'pending'}


def generate_secret():
    "A new secret for the sandbox (hex text, 256 bits)"
    return secrets.token_hex(32)


class SandboxAdapter(Adapter):
    kind = 'sandbox'

    def _secret(self):
        secret = self.settings.read('secret_path', required=False)
        if not secret:
            secret = self.settings.get('secret')
        return secret.strip().encode('utf-8')

    def key_id(self):
        return (self.settings.platform_key_id
            or hashlib.sha256(self._secret()).hexdigest()[:16])

    def _sign(self, text):
        return base64.b64encode(hmac.new(self._secret(),
                text.encode('utf-8'), hashlib.sha256).digest()).decode()

    def pay_token(self, out_trade_no):
        "What the demo page shows it may pay the order"
        return hmac.new(self._secret(), f'pay:{out_trade_no}'.encode(),
            hashlib.sha256).hexdigest()[:32]

    def check_pay_token(self, out_trade_no, token):
        return hmac.compare_digest(self.pay_token(out_trade_no), token or '')

    def client_parameters(self, order):
        token = self.pay_token(order.out_trade_no)
        url = self.settings.pay_url.format(out_trade_no=order.out_trade_no)
        return {
            'out_trade_no': order.out_trade_no,
            'amount': str(order.amount),
            'token': token,
            'pay_url': f'{url}?token={token}',
            }

    def notification(self, order, now, amount=None, transaction_id=None,
            trade_state='SUCCESS'):
        """(headers, body) of the notification the sandbox sends when
        order is paid"""
        body = json.dumps({
                'out_trade_no': order.out_trade_no,
                'transaction_id': transaction_id or (
                    'SBX' + hashlib.sha256(
                        order.out_trade_no.encode()).hexdigest()[:20]),
                'amount': str(order.amount if amount is None else amount),
                'trade_state': trade_state,
                'merchant_id': self.settings.merchant_id,
                'app_id': self.settings.app_id,
                }, sort_keys=True)
        timestamp = str(int(now.timestamp()))
        nonce = secrets.token_hex(16)
        headers = {
            'X-Sandbox-Timestamp': timestamp,
            'X-Sandbox-Nonce': nonce,
            'X-Sandbox-Key': self.key_id(),
            'X-Sandbox-Signature': self._sign(
                f'{timestamp}\n{nonce}\n{body}\n'),
            }
        return headers, body

    def query(self, order):
        # the sandbox keeps no state: what it sent is all there is
        return Notice(out_trade_no=order.out_trade_no, amount=order.amount,
            status='pending')

    def parse_notification(self, headers, body, now):
        if isinstance(body, bytes):
            body = body.decode('utf-8')
        timestamp = header(headers, 'X-Sandbox-Timestamp')
        nonce = header(headers, 'X-Sandbox-Nonce') or ''
        signature = header(headers, 'X-Sandbox-Signature') or ''
        try:
            timestamp_ = dt.datetime.fromtimestamp(int(timestamp),
                dt.timezone.utc)
        except (TypeError, ValueError, OverflowError, OSError):
            raise NotificationError('timestamp missing')
        self.check_fresh(timestamp_, now)
        if header(headers, 'X-Sandbox-Key') != self.key_id():
            raise NotificationError('unknown serial')
        if not hmac.compare_digest(
                self._sign(f'{timestamp}\n{nonce}\n{body}\n'), signature):
            raise NotificationError('signature')
        try:
            data = json.loads(body)
            out_trade_no = data['out_trade_no']
            amount = parse_amount(data['amount'])
        except (ValueError, KeyError, TypeError):
            raise NotificationError('body unreadable')
        return Notice(
            out_trade_no=out_trade_no,
            amount=amount,
            status=STATES.get(data.get('trade_state'), 'pending'),
            transaction_id=data.get('transaction_id'),
            timestamp=timestamp_,
            merchant_id=data.get('merchant_id'),
            app_id=data.get('app_id'),
            raw=data)

    def reply(self, success, message='', status=None):
        if success:
            return 200, json.dumps({'code': 'SUCCESS'}), self.content_type
        return status or 400, json.dumps(
            {'code': 'FAIL', 'message': message}), self.content_type
