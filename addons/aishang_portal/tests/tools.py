# This file is part of Aishang Property. See the LICENSE file at the top level
# of this repository for full copyright notices and license terms.
"""Fixtures of the portal tests: a fake WeChat and SMS network edge, the
configuration, and a client of the API."""
import contextlib
import json
import re
from urllib.parse import parse_qs, urlparse

import requests

from trytond import config

SECTION = 'aishang_portal'


@contextlib.contextmanager
def portal_config(**values):
    "Set [aishang_portal] options for the duration of the block"
    if not config.has_section(SECTION):
        config.add_section(SECTION)
    previous = {}
    for name, value in values.items():
        previous[name] = config.get(SECTION, name)
        config.set(SECTION, name, str(value))
    try:
        yield
    finally:
        for name, value in previous.items():
            if value is None:
                config._config.remove_option(SECTION, name)
                config._cache_clear()
            else:
                config.set(SECTION, name, value)


class FakeNetwork:
    """The servers of WeChat, Aliyun and Tencent Cloud, answering
    requests.Session.send (the only thing the tests replace).

    sessions: {js_code: openid}, phones: {code: phone}; every request is
    kept in requests as (host, path, query, body).
    """

    def __init__(self):
        self.sessions = {}
        self.phones = {}
        self.requests = []
        self.fail = set()

    def send(self, request, **kwargs):
        "Stands for requests.Session.send (not bound to the session)"
        url = urlparse(request.url)
        query = {k: v[0] for k, v in parse_qs(url.query).items()}
        body = request.body
        if isinstance(body, bytes):
            body = body.decode('utf-8')
        self.requests.append((url.hostname, url.path, query, body))
        data, status = self.answer(url.hostname, url.path, query, body)
        response = requests.Response()
        response.status_code = status
        response._content = json.dumps(data).encode('utf-8')
        response.headers['Content-Type'] = 'application/json'
        response.url = request.url
        response.request = request
        response.reason = 'OK' if status == 200 else 'Error'
        return response

    def answer(self, host, path, query, body):
        if host == 'api.weixin.qq.com':
            if path == '/cgi-bin/token':
                return {'access_token': 'ACCESS-TOKEN-1',
                    'expires_in': 7200}, 200
            if path == '/sns/jscode2session':
                openid = self.sessions.get(query.get('js_code'))
                if not openid:
                    return {'errcode': 40029, 'errmsg': 'invalid code'}, 200
                return {'openid': openid, 'session_key': 'SK'}, 200
            if path == '/wxa/business/getuserphonenumber':
                code = json.loads(body)['code']
                phone = self.phones.get(code)
                if not phone:
                    return {'errcode': 40029, 'errmsg': 'invalid code'}, 200
                return {'errcode': 0, 'errmsg': 'ok', 'phone_info': {
                        'phoneNumber': phone, 'purePhoneNumber': phone,
                        'countryCode': '86'}}, 200
            if path == '/cgi-bin/message/subscribe/send':
                if json.loads(body)['touser'] in self.fail:
                    return {'errcode': 43101,
                        'errmsg': 'user refuse to accept the msg'}, 200
                return {'errcode': 0, 'errmsg': 'ok'}, 200
        if host and host.startswith('dysmsapi'):
            return {'Code': 'OK', 'Message': 'OK', 'BizId': 'BIZ-1',
                'RequestId': 'REQ-1'}, 200
        if host and host.startswith('sms.tencentcloudapi'):
            return {'Response': {'SendStatusSet': [{
                            'SerialNo': 'SERIAL-1', 'Code': 'Ok',
                            'Message': 'send success', 'Fee': 1,
                            'PhoneNumber': '+8613800000000',
                            'SessionContext': '', 'IsoCode': 'CN'}],
                    'RequestId': 'REQ-2'}}, 200
        return {'errcode': -1, 'errmsg': f'unexpected {host}{path}'}, 404

    @contextlib.contextmanager
    def active(self):
        from unittest.mock import patch
        with patch.object(requests.Session, 'send', self.send):
            yield self


def sms_codes(log_output):
    "The codes the console SMS backend logged, in order"
    return re.findall(r'"code": "(\d{6})"', '\n'.join(log_output))
