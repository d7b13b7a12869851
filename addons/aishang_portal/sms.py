# This file is part of Aishang Property. See the LICENSE file at the top level
# of this repository for full copyright notices and license terms.
"""SMS backends: console (default), Aliyun and Tencent Cloud.

Chosen by ``[aishang_portal] sms_backend``. The vendor SDKs are imported
only by their backend, when it sends. A backend only delivers: codes,
expiry, attempts and rate limits are the business of portal.sms_code.
"""
import json
import logging

from trytond.i18n import gettext

from . import settings
from .exceptions import UpstreamError

logger = logging.getLogger(__name__)


class SmsError(Exception):
    "The SMS service refused or failed to send"


class SmsBackend:
    name = None

    def send_code(self, phone, code):
        "Send a verification code; return the provider's message id"
        template = settings.get('sms_code_template')
        return self.send_template(phone, template, {'code': code})

    def send_template(self, phone, template_id, params):
        """Send the provider template template_id with params (a dict of
        text values, in the order of the template's variables)"""
        raise NotImplementedError


class ConsoleBackend(SmsBackend):
    "Logs the messages instead of sending them: development and tests"
    name = 'console'

    def send_template(self, phone, template_id, params):
        logger.info("SMS to %s, template %s: %s", phone, template_id or '-',
            json.dumps(params, ensure_ascii=False, sort_keys=True))
        return f'console-{phone}'


class AliyunBackend(SmsBackend):
    "Aliyun SMS (alibabacloud-dysmsapi20170525)"
    name = 'aliyun'

    def _client(self):
        from alibabacloud_dysmsapi20170525.client import Client
        from alibabacloud_tea_openapi import models as open_api_models
        config = open_api_models.Config(
            access_key_id=settings.get('aliyun_access_key_id'),
            access_key_secret=settings.get('aliyun_access_key_secret'))
        config.endpoint = settings.get('aliyun_endpoint')
        return Client(config)

    def send_template(self, phone, template_id, params):
        from alibabacloud_dysmsapi20170525 import models
        request = models.SendSmsRequest(
            phone_numbers=phone,
            sign_name=settings.get('sms_sign_name'),
            template_code=template_id,
            template_param=json.dumps(params, ensure_ascii=False))
        body = self._client().send_sms(request).body
        if body.code != 'OK':
            raise SmsError(f'{body.code}: {body.message}')
        return body.biz_id


class TencentBackend(SmsBackend):
    "Tencent Cloud SMS (tencentcloud-sdk-python-sms)"
    name = 'tencent'

    def _client(self):
        from tencentcloud.common import credential
        from tencentcloud.sms.v20210111 import sms_client
        cred = credential.Credential(
            settings.get('tencent_secret_id'),
            settings.get('tencent_secret_key'))
        return sms_client.SmsClient(cred, settings.get('tencent_region'))

    def send_template(self, phone, template_id, params):
        from tencentcloud.sms.v20210111 import models
        request = models.SendSmsRequest()
        request.SmsSdkAppId = settings.get('tencent_sms_app_id')
        request.SignName = settings.get('sms_sign_name')
        request.TemplateId = template_id
        request.TemplateParamSet = [str(v) for v in params.values()]
        request.PhoneNumberSet = [
            phone if phone.startswith('+') else f'+86{phone}']
        response = self._client().SendSms(request)
        status, = response.SendStatusSet
        if status.Code != 'Ok':
            raise SmsError(f'{status.Code}: {status.Message}')
        return status.SerialNo


BACKENDS = {b.name: b for b in [ConsoleBackend, AliyunBackend, TencentBackend]}


def get_backend():
    "The configured backend"
    name = settings.get('sms_backend')
    try:
        return BACKENDS[name]()
    except KeyError:
        raise UpstreamError(gettext(
                'aishang_portal.msg_sms_not_configured', backend=name))


def send(func, *args):
    """Call a backend method; turn its failures into an UpstreamError.

    The SDKs raise their own exceptions (and requests' on network errors);
    the owner is told the SMS could not be sent, the log has the cause.
    """
    try:
        return func(*args)
    except UpstreamError:
        raise
    except Exception as exception:
        logger.warning("SMS sending failed", exc_info=True)
        raise UpstreamError(gettext('aishang_portal.msg_sms_failed'),
            details={'reason': exception.__class__.__name__}) from exception
