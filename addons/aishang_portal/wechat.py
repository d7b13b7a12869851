# This file is part of Aishang Property. See the LICENSE file at the top level
# of this repository for full copyright notices and license terms.
"""The WeChat mini-program adapter: the only code that talks to WeChat.

Through wechatpy: code2Session (login), getuserphonenumber (phone
verification with the code of the phone-number button) and subscribe
messages. The access token is kept in the database (portal.wechat_token)
so that every worker shares one token instead of fetching its own.
"""
import datetime as dt
import logging

from trytond.i18n import gettext
from trytond.model import ModelSQL, Unique, fields
from trytond.pool import Pool
from trytond.transaction import Transaction

from . import settings
from .exceptions import PortalError, UpstreamError

logger = logging.getLogger(__name__)
# code2Session / getuserphonenumber answers for a bad, used or expired code
API_BASE_URL = 'https://api.weixin.qq.com/'
INVALID_CODE_ERRORS = {40029, 40163, 40226, 40013, 41008, 1400001}


class WeChatToken(ModelSQL):
    "A value wechatpy keeps between requests, such as the access token"
    __name__ = 'portal.wechat_token'
    __string__ = "WeChat Token"
    key = fields.Char("Key", required=True)
    value = fields.Text("Value")
    expires_at = fields.DateTime("Expires")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_constraints = [
            ('key_unique', Unique(t, t.key),
                'aishang_portal.msg_wechat_token_key_unique'),
            ]


class DatabaseStorage:
    "wechatpy's SessionStorage interface over portal.wechat_token"

    def get(self, key, default=None):
        Token = Pool().get('portal.wechat_token')
        tokens = Token.search([('key', '=', key)], limit=1)
        if not tokens:
            return default
        token, = tokens
        if token.expires_at and token.expires_at <= dt.datetime.now():
            return default
        return token.value

    def set(self, key, value, ttl=None):
        Token = Pool().get('portal.wechat_token')
        if Transaction().readonly:
            return
        expires_at = None
        if ttl:
            # renew a little before WeChat expires it
            expires_at = dt.datetime.now() + dt.timedelta(
                seconds=max(int(ttl) - 300, 60))
        tokens = Token.search([('key', '=', key)], limit=1)
        if tokens:
            Token.write(tokens, {'value': value, 'expires_at': expires_at})
        else:
            Token.create([{
                        'key': key, 'value': value,
                        'expires_at': expires_at}])

    def delete(self, key):
        Token = Pool().get('portal.wechat_token')
        if Transaction().readonly:
            return
        Token.delete(Token.search([('key', '=', key)]))

    def __getitem__(self, key):
        return self.get(key)

    def __setitem__(self, key, value):
        self.set(key, value)

    def __delitem__(self, key):
        self.delete(key)


class WeChat:
    "The mini-program configured by [aishang_portal] wechat_appid/secret"

    def __init__(self, appid, secret):
        self.appid = appid
        self.secret = secret

    @classmethod
    def from_config(cls):
        appid = settings.get('wechat_appid')
        secret = settings.get('wechat_secret')
        if not appid or not secret:
            raise UpstreamError(gettext(
                    'aishang_portal.msg_wechat_not_configured'),
                code='upstream_failed')
        return cls(appid, secret)

    def client(self):
        from wechatpy import WeChatClient
        return WeChatClient(self.appid, self.secret,
            session=DatabaseStorage(),
            timeout=settings.getint('wechat_timeout'))

    def _call(self, func, *args, **kwargs):
        from wechatpy.exceptions import WeChatClientException
        try:
            return func(*args, **kwargs)
        except WeChatClientException as exception:
            if exception.errcode in INVALID_CODE_ERRORS:
                raise PortalError(gettext(
                        'aishang_portal.msg_wechat_code_invalid'),
                    code='wechat_code_invalid', field='code') from exception
            logger.warning("WeChat refused: %s", exception)
            raise UpstreamError(gettext('aishang_portal.msg_wechat_failed',
                    errcode=exception.errcode)) from exception
        except Exception as exception:
            logger.warning("WeChat call failed", exc_info=True)
            raise UpstreamError(gettext('aishang_portal.msg_wechat_failed',
                    errcode='-')) from exception

    def code_to_session(self, code):
        "Return (openid, unionid) of the wx.login() code"
        # code2Session needs no access token: give None so that wechatpy
        # does not fetch one (requests drops None parameters)
        result = self._call(self.client().get, 'sns/jscode2session', params={
                'appid': self.appid,
                'secret': self.secret,
                'js_code': code,
                'grant_type': 'authorization_code',
                'access_token': None,
                }, api_base_url=API_BASE_URL)
        if not isinstance(result, dict) or not result.get('openid'):
            raise UpstreamError(gettext('aishang_portal.msg_wechat_failed',
                    errcode='-'))
        return result['openid'], result.get('unionid')

    def phone_number(self, code):
        "Return the phone of the getPhoneNumber button's code"
        result = self._call(self.client().post,
            'wxa/business/getuserphonenumber', data={'code': code},
            api_base_url=API_BASE_URL)
        info = (result or {}).get('phone_info') or {}
        phone = info.get('purePhoneNumber')
        if not phone:
            raise UpstreamError(gettext('aishang_portal.msg_wechat_failed',
                    errcode='-'))
        country = str(info.get('countryCode') or '86')
        return phone if country == '86' else f'+{country}{phone}'

    def send_subscribe_message(self, openid, template_id, data, page=None):
        client = self.client()
        return self._call(client.wxa.send_subscribe_message, openid,
            template_id, data, page=page or None)
