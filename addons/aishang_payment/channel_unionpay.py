# This file is part of Aishang Property. See the LICENSE file at the top level
# of this repository for full copyright notices and license terms.
"""UnionPay online payment (ACP 5.1.0, 全渠道), signed with `cryptography`.

There is no maintained Python SDK: signing follows ACP 5.1.0 with
signMethod 01. The parameters but ``signature`` are sorted by name and
joined as k=v&…; the lower-case SHA-256 hex digest of that string is
signed with SHA256withRSA (PKCS#1 v1.5) and base64 encoded. UnionPay signs
its notifications the same way and sends its signing certificate in
``signPubKeyCert``: it must chain to the configured middle and root
certificates, be within its validity dates and carry UnionPay's name in
the third @-separated part of its CN.

Settings (prefixed by the channel code): sign_cert_path (the merchant's
PKCS#12 signing certificate, .pfx), sign_cert_password, root_cert_path and
middle_cert_path (UnionPay's verification certificates, PEM).

A notification carries no sending time: its freshness cannot be checked;
processing once per order makes a replay harmless.
"""
import base64
import datetime as dt
import hashlib
from urllib.parse import parse_qsl

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID

from .channel_base import (
    CST, Adapter, ChannelError, Notice, NotificationError, from_fen, to_fen)

VERSION = '5.1.0'
UNIONPAY_CN = '中国银联股份有限公司'
TEST_CN = '00040000:SIGN'
GATEWAYS = {
    False: 'https://gateway.95516.com/gateway/api/',
    True: 'https://gateway.test.95516.com/gateway/api/',
    }
TIME_FORMAT = '%Y%m%d%H%M%S'
PAID_CODES = {'00', 'A6'}
PENDING_CODES = {'03', '04', '05'}


def signing_string(params):
    "The lower-case SHA-256 hex digest of the sorted k=v&… string"
    text = '&'.join(f'{k}={params[k]}' for k in sorted(params)
        if k != 'signature')
    return hashlib.sha256(text.encode('utf-8')).hexdigest()


def sign(params, private_key):
    digest = signing_string(params).encode('utf-8')
    return base64.b64encode(private_key.sign(
            digest, padding.PKCS1v15(), hashes.SHA256())).decode('ascii')


def _cn_part(cert):
    names = cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)
    parts = names[0].value.split('@') if names else []
    return parts[2] if len(parts) > 2 else ''


def check_certificate(cert, middle, root, now, test_mode=False):
    """Refuse a signing certificate that does not chain to middle and
    root, is out of its dates or does not name UnionPay."""
    try:
        cert.verify_directly_issued_by(middle)
        middle.verify_directly_issued_by(root)
    except (ValueError, TypeError, InvalidSignature):
        raise NotificationError('unknown certificate')
    for each in (cert, middle, root):
        if not (each.not_valid_before_utc <= now
                <= each.not_valid_after_utc):
            raise NotificationError('certificate expired')
    names = {UNIONPAY_CN, TEST_CN} if test_mode else {UNIONPAY_CN}
    if _cn_part(cert) not in names:
        raise NotificationError('certificate name')


def verify(params, middle, root, now, test_mode=False):
    "Check the signature of params sent by UnionPay"
    try:
        cert = x509.load_pem_x509_certificate(
            params.get('signPubKeyCert', '').encode('ascii'))
    except (ValueError, UnicodeEncodeError):
        raise NotificationError('certificate missing')
    check_certificate(cert, middle, root, now, test_mode=test_mode)
    try:
        signature = base64.b64decode(params.get('signature', ''),
            validate=True)
        cert.public_key().verify(signature,
            signing_string(params).encode('utf-8'), padding.PKCS1v15(),
            hashes.SHA256())
    except (ValueError, InvalidSignature):
        raise NotificationError('signature')


class UnionPayAdapter(Adapter):
    kind = 'unionpay'
    content_type = 'text/plain; charset=utf-8'

    def _signer(self):
        settings = self.settings
        data = settings.read('sign_cert_path', mode='rb')
        password = settings.get('sign_cert_password', required=False)
        key, cert, _ = pkcs12.load_key_and_certificates(
            data, password.encode('utf-8') if password else None)
        return key, str(cert.serial_number)

    def _chain(self):
        settings = self.settings
        return (
            x509.load_pem_x509_certificate(
                settings.read('middle_cert_path', mode='rb')),
            x509.load_pem_x509_certificate(
                settings.read('root_cert_path', mode='rb')))

    def signed(self, params):
        key, cert_id = self._signer()
        params = {k: v for k, v in params.items() if v not in (None, '')}
        params.update({
                'version': VERSION, 'encoding': 'UTF-8', 'signMethod': '01',
                'certId': cert_id,
                })
        params['signature'] = sign(params, key)
        return params

    def prepare(self, order):
        # the query asks for the order time sent with the order
        return {'txnTime': order.created.astimezone(CST).strftime(
                TIME_FORMAT)}

    def client_parameters(self, order):
        "The signed form the browser posts to UnionPay"
        fields = self.signed({
                'txnType': '01', 'txnSubType': '01', 'bizType': '000201',
                'channelType': '08', 'accessType': '0',
                'currencyCode': '156',
                'merId': self.settings.merchant_id,
                'orderId': order.out_trade_no,
                'txnTime': order.data['txnTime'],
                'txnAmt': str(to_fen(order.amount)),
                'frontUrl': order.return_url,
                'backUrl': self.settings.notify_url,
                'payTimeout': order.expires.astimezone(CST).strftime(
                    TIME_FORMAT),
                })
        return {
            'action': GATEWAYS[bool(self.settings.test_mode)]
            + 'frontTransReq.do',
            'method': 'POST',
            'fields': fields,
            }

    def query(self, order):
        fields = self.signed({
                'txnType': '00', 'txnSubType': '00', 'bizType': '000000',
                'accessType': '0', 'channelType': '07',
                'merId': self.settings.merchant_id,
                'orderId': order.out_trade_no,
                'txnTime': order.data['txnTime'],
                })
        url = GATEWAYS[bool(self.settings.test_mode)] + 'queryTrans.do'
        response = dict(parse_qsl(self._api_post(url, fields),
                keep_blank_values=True))
        middle, root = self._chain()
        try:
            verify(response, middle, root, dt.datetime.now(dt.timezone.utc),
                test_mode=self.settings.test_mode)
        except NotificationError as exception:
            raise ChannelError(f'answer refused: {exception}')
        if response.get('respCode') == '34':  # no such order
            return None
        if response.get('respCode') != '00':
            raise ChannelError(response.get('respMsg') or 'query failed')
        code = response.get('origRespCode')
        if code in PAID_CODES:
            status = 'paid'
        elif code in PENDING_CODES:
            status = 'pending'
        else:
            status = 'closed'
        return self._notice(response, status)

    # network edge
    def _api_post(self, url, fields):
        import requests
        response = requests.post(url, data=fields, timeout=(5, 15))
        response.raise_for_status()
        return response.text

    def parse_notification(self, headers, body, now):
        if isinstance(body, bytes):
            body = body.decode('utf-8')
        params = dict(parse_qsl(body, keep_blank_values=True))
        middle, root = self._chain()
        verify(params, middle, root, now, test_mode=self.settings.test_mode)
        if params.get('merId') != self.settings.merchant_id:
            raise NotificationError('merchant id')
        if params.get('txnType') != '01':
            raise NotificationError('transaction type')
        status = 'paid' if params.get('respCode') in PAID_CODES else 'closed'
        return self._notice(params, status)

    def _notice(self, params, status):
        if params.get('currencyCode', '156') != '156':
            raise NotificationError('currency')
        try:
            amount = from_fen(params['txnAmt'])
            out_trade_no = params['orderId']
        except (KeyError, ValueError):
            raise NotificationError('parameters missing')
        return Notice(
            out_trade_no=out_trade_no,
            amount=amount,
            status=status,
            transaction_id=params.get('queryId'),
            merchant_id=params.get('merId'),
            raw=params)

    def reply(self, success, message='', status=None):
        if success:
            return 200, 'ok', self.content_type
        return status or 400, 'fail', self.content_type
