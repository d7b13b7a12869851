# This file is part of Aishang Property. See the LICENSE file at the top level
# of this repository for full copyright notices and license terms.
"""Self-made keys and certificates playing the merchant and the channels,
and notifications signed the way WeChat, Alipay and UnionPay sign them."""
import base64
import datetime as dt
import json
import os
import secrets
import shutil
import tempfile
import weakref
from functools import lru_cache
from urllib.parse import urlencode

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.x509.oid import NameOID

from trytond.modules.aishang_payment.channel_base import (
    CST, ChannelSettings, to_fen)
from trytond.modules.aishang_payment.channel_unionpay import (
    sign as unionpay_sign)

UTC = dt.timezone.utc


@lru_cache(maxsize=None)
def rsa_key(name):
    "One RSA key per name for the whole run (generating them is slow)"
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def private_pem(key):
    return key.private_bytes(serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption()).decode()


def public_pem(key):
    return key.public_key().public_bytes(serialization.Encoding.PEM,
        serialization.PublicFormat.SubjectPublicKeyInfo).decode()


def certificate(key, cn, issuer_key=None, issuer_cert=None, days=(-1, 365),
        ca=False, serial=None):
    now = dt.datetime.now(UTC)
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, cn)])
    builder = (x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer_cert.subject if issuer_cert else subject)
        .public_key(key.public_key())
        .serial_number(serial or x509.random_serial_number())
        .not_valid_before(now + dt.timedelta(days=days[0]))
        .not_valid_after(now + dt.timedelta(days=days[1]))
        .add_extension(x509.BasicConstraints(ca=ca, path_length=None),
            critical=True))
    return builder.sign(issuer_key or key, hashes.SHA256())


def cert_pem(cert):
    return cert.public_bytes(serialization.Encoding.PEM).decode()


class Files:
    "A temporary folder of key files and the option lookup over it"

    def __init__(self):
        self.dir = tempfile.mkdtemp(prefix='aishang-pay-')
        self.options = {}
        # removed when the object is collected, at the latest at exit
        weakref.finalize(self, shutil.rmtree, self.dir, ignore_errors=True)

    def write(self, name, content):
        path = os.path.join(self.dir, name)
        mode = 'wb' if isinstance(content, bytes) else 'w'
        with open(path, mode) as file:
            file.write(content)
        return path

    def lookup(self, option):
        return self.options.get(option)


# WeChat Pay v3 ------------------------------------------------------------

class WeChatKeys:
    "A merchant and a WeChat Pay platform in public-key mode"
    mchid = '1900000109'
    appid = 'wx0123456789abcdef'
    public_key_id = 'PUB_KEY_ID_0114232134912410000000000000'
    merchant_serial = '444F4864EA9B34415A1B2C3D4E5F60718293A4B5'

    def __init__(self, files, code='wx', apiv3_key=None, cert_mode=False):
        self.files = files
        self.code = code
        self.merchant = rsa_key('wechat merchant')
        self.platform = rsa_key('wechat platform')
        self.apiv3_key = apiv3_key or secrets.token_hex(16)  # 32 chars
        self.cert_mode = cert_mode
        options = files.options
        options[f'{code}_private_key_path'] = files.write(
            f'{code}_merchant.pem', private_pem(self.merchant))
        options[f'{code}_apiv3_key'] = self.apiv3_key
        if cert_mode:
            self.platform_cert = certificate(self.platform, 'Tenpay.com')
            self.serial = f'{self.platform_cert.serial_number:X}'
            cert_dir = os.path.join(files.dir, f'{code}_certs')
            os.makedirs(cert_dir, exist_ok=True)
            files.write(f'{code}_certs/{self.serial}.pem',
                cert_pem(self.platform_cert))
            options[f'{code}_platform_cert_dir'] = cert_dir
        else:
            self.serial = self.public_key_id
            options[f'{code}_platform_public_key_path'] = files.write(
                f'{code}_platform.pub', public_pem(self.platform))

    def settings(self, **values):
        values.setdefault('app_id', self.appid)
        values.setdefault('merchant_id', self.mchid)
        values.setdefault('merchant_serial', self.merchant_serial)
        values.setdefault('platform_key_id',
            None if self.cert_mode else self.public_key_id)
        values.setdefault('notify_url',
            'https://pay.example.com/db/aishang/pay/notify/' + self.code)
        return ChannelSettings(self.code, 'wechat', self.files.lookup,
            **values)

    def sign(self, text, key=None):
        return base64.b64encode((key or self.platform).sign(text.encode(),
                padding.PKCS1v15(), hashes.SHA256())).decode()

    def notification(self, out_trade_no, amount, when=None, apiv3_key=None,
            key=None, serial=None, transaction_id='4200000001202601010001',
            tamper=None):
        "(headers, body) of a TRANSACTION.SUCCESS notification"
        when = when or dt.datetime.now(UTC)
        resource = {
            'mchid': self.mchid, 'appid': self.appid,
            'out_trade_no': out_trade_no, 'transaction_id': transaction_id,
            'trade_type': 'JSAPI', 'trade_state': 'SUCCESS',
            'trade_state_desc': '支付成功',
            'success_time': when.astimezone(CST).isoformat(),
            'payer': {'openid': 'oUpF8uMuAJO_M2pxb1Q9zNjWeS6o'},
            'amount': {'total': to_fen(amount), 'payer_total': to_fen(amount),
                'currency': 'CNY', 'payer_currency': 'CNY'},
            }
        nonce12 = secrets.token_hex(6)
        cipher = AESGCM((apiv3_key or self.apiv3_key).encode()).encrypt(
            nonce12.encode(), json.dumps(resource).encode(), b'transaction')
        body = json.dumps({
                'id': 'EV-' + secrets.token_hex(8),
                'create_time': when.astimezone(CST).isoformat(),
                'event_type': 'TRANSACTION.SUCCESS',
                'resource_type': 'encrypt-resource',
                'summary': '支付成功',
                'resource': {
                    'algorithm': 'AEAD_AES_256_GCM',
                    'ciphertext': base64.b64encode(cipher).decode(),
                    'associated_data': 'transaction',
                    'original_type': 'transaction',
                    'nonce': nonce12,
                    }})
        timestamp = str(int(when.timestamp()))
        nonce = secrets.token_hex(16)
        signature = self.sign(f'{timestamp}\n{nonce}\n{body}\n', key=key)
        if tamper:
            body = body.replace(*tamper)
        headers = {
            'Wechatpay-Timestamp': timestamp,
            'Wechatpay-Nonce': nonce,
            'Wechatpay-Signature': signature,
            'Wechatpay-Serial': serial or self.serial,
            'Wechatpay-Signature-Type': 'WECHATPAY2-SHA256-RSA2048',
            }
        return headers, body

    def response(self, status, data):
        "A fake requests response to an API call, signed by the platform"
        body = json.dumps(data)
        timestamp = str(int(dt.datetime.now(UTC).timestamp()))
        nonce = secrets.token_hex(16)
        return FakeResponse(status, body, {
                'Content-Type': 'application/json',
                'Wechatpay-Timestamp': timestamp,
                'Wechatpay-Nonce': nonce,
                'Wechatpay-Signature': self.sign(
                    f'{timestamp}\n{nonce}\n{body}\n'),
                'Wechatpay-Serial': self.serial,
                'Wechatpay-Signature-Type': 'WECHATPAY2-SHA256-RSA2048',
                })


class FakeResponse:
    def __init__(self, status_code, text, headers):
        self.status_code = status_code
        self.text = text
        self.content = text.encode()
        self.headers = headers

    def raise_for_status(self):
        if self.status_code >= 400:
            raise RuntimeError(self.status_code)


# Alipay -------------------------------------------------------------------

class AlipayKeys:
    app_id = '2021000000000001'
    seller_id = '2088000000000001'

    def __init__(self, files, code='ali'):
        self.files = files
        self.code = code
        self.app = rsa_key('alipay app')
        self.alipay = rsa_key('alipay platform')
        files.options[f'{code}_app_private_key_path'] = files.write(
            f'{code}_app.pem', private_pem(self.app))
        files.options[f'{code}_alipay_public_key_path'] = files.write(
            f'{code}_alipay.pub', public_pem(self.alipay))

    def settings(self, **values):
        values.setdefault('app_id', self.app_id)
        values.setdefault('merchant_id', self.seller_id)
        values.setdefault('notify_url',
            'https://pay.example.com/db/aishang/pay/notify/' + self.code)
        return ChannelSettings(self.code, 'alipay', self.files.lookup,
            **values)

    def notification(self, out_trade_no, amount, when=None, key=None,
            tamper=None, trade_no='2026010122001400000000000001',
            trade_status='TRADE_SUCCESS'):
        "The form body Alipay posts, signed RSA2 as Alipay signs it"
        when = when or dt.datetime.now(UTC)
        params = {
            'notify_time': when.astimezone(CST).strftime('%Y-%m-%d %H:%M:%S'),
            'notify_type': 'trade_status_sync',
            'notify_id': secrets.token_hex(16),
            'charset': 'utf-8', 'version': '1.0',
            'app_id': self.app_id, 'seller_id': self.seller_id,
            'trade_no': trade_no, 'out_trade_no': out_trade_no,
            'trade_status': trade_status,
            'total_amount': str(amount), 'receipt_amount': str(amount),
            'subject': '物业缴费',
            'gmt_payment': when.astimezone(CST).strftime('%Y-%m-%d %H:%M:%S'),
            }
        content = '&'.join(f'{k}={v}' for k, v in sorted(params.items()))
        params['sign'] = base64.b64encode((key or self.alipay).sign(
                content.encode(), padding.PKCS1v15(),
                hashes.SHA256())).decode()
        params['sign_type'] = 'RSA2'
        if tamper:
            params.update(tamper)
        return {'Content-Type': 'application/x-www-form-urlencoded'}, \
            urlencode(params)


# UnionPay -----------------------------------------------------------------

class UnionPayKeys:
    mer_id = '777290058110048'

    def __init__(self, files, code='upop', leaf_days=(-1, 365),
            leaf_cn='041@Z12345678@中国银联股份有限公司@00000001',
            authority='cup'):
        self.files = files
        self.code = code
        root_key = rsa_key(f'{authority} root')
        middle_key = rsa_key(f'{authority} middle')
        self.root = certificate(root_key, 'CFCA TEST CS CA', ca=True,
            days=(-10, 3650))
        self.middle = certificate(middle_key, 'CFCA TEST OCA1',
            issuer_key=root_key, issuer_cert=self.root, ca=True,
            days=(-10, 3650))
        self.leaf_key = rsa_key('cup leaf')
        self.leaf = certificate(self.leaf_key, leaf_cn,
            issuer_key=middle_key, issuer_cert=self.middle, days=leaf_days)
        self.merchant = rsa_key('cup merchant')
        merchant_cert = certificate(self.merchant, 'merchant',
            serial=68759585097)
        from cryptography.hazmat.primitives.serialization import pkcs12
        pfx = pkcs12.serialize_key_and_certificates(b'merchant',
            self.merchant, merchant_cert, None,
            serialization.BestAvailableEncryption(b'000000'))
        options = files.options
        options[f'{code}_sign_cert_path'] = files.write(
            f'{code}_sign.pfx', pfx)
        options[f'{code}_sign_cert_password'] = '000000'
        options[f'{code}_root_cert_path'] = files.write(
            f'{code}_root.pem', cert_pem(self.root))
        options[f'{code}_middle_cert_path'] = files.write(
            f'{code}_middle.pem', cert_pem(self.middle))

    def settings(self, **values):
        values.setdefault('merchant_id', self.mer_id)
        values.setdefault('notify_url',
            'https://pay.example.com/db/aishang/pay/notify/' + self.code)
        return ChannelSettings(self.code, 'unionpay', self.files.lookup,
            **values)

    def params(self, out_trade_no, amount, key=None, cert=None,
            resp_code='00'):
        "The signed parameters UnionPay posts to the back URL"
        params = {
            'version': '5.1.0', 'encoding': 'UTF-8', 'signMethod': '01',
            'txnType': '01', 'txnSubType': '01', 'bizType': '000201',
            'accessType': '0', 'merId': self.mer_id, 'orderId': out_trade_no,
            'txnTime': dt.datetime.now(CST).strftime('%Y%m%d%H%M%S'),
            'txnAmt': str(to_fen(amount)), 'currencyCode': '156',
            'queryId': '782601011200000000001', 'respCode': resp_code,
            'respMsg': '成功[0000000]', 'settleAmt': str(to_fen(amount)),
            'traceNo': '000001', 'traceTime': '0101120000',
            'signPubKeyCert': cert_pem(cert or self.leaf),
            }
        params['signature'] = unionpay_sign(params, key or self.leaf_key)
        return params

    def notification(self, *args, tamper=None, **kwargs):
        params = self.params(*args, **kwargs)
        if tamper:
            params.update(tamper)
        return {'Content-Type': 'application/x-www-form-urlencoded'}, \
            urlencode(params)


# Sandbox ------------------------------------------------------------------

class SandboxKeys:
    def __init__(self, files, code='sbx'):
        self.files = files
        self.code = code
        self.secret = secrets.token_hex(32)
        files.options[f'{code}_secret_path'] = files.write(
            f'{code}.key', self.secret)

    def settings(self, **values):
        values.setdefault('merchant_id', 'SANDBOX')
        values.setdefault('pay_url',
            '/db/aishang/pay/sandbox/{out_trade_no}/pay')
        return ChannelSettings(self.code, 'sandbox', self.files.lookup,
            **values)
