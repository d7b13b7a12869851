# This file is part of Aishang Property. See the LICENSE file at the top level
# of this repository for full copyright notices and license terms.
"""SMS and WeChat subscribe-message channels of the outbox (S6).

Chinese SMS and subscribe messages are sent through templates approved by
the provider: a message gives the provider's template id and its
parameters, or the configured default template is used with the subject
and body.
"""
import datetime as dt
import re

from trytond.i18n import gettext
from trytond.model import fields
from trytond.pool import Pool, PoolMeta
from trytond.pyson import Eval

from . import settings, sms
from .exceptions import UpstreamError
from .wechat import WeChat

# WeChat "thing" values are at most 20 characters
THING_LENGTH = 20
_PROVIDER = {'invisible': ~Eval('channel').in_(['sms', 'wechat_subscribe'])}
OPENID = re.compile(r'^[0-9A-Za-z_\-]{20,64}$')


def _cut(text, length):
    text = (text or '').strip()
    return text if len(text) <= length else text[:length - 1] + '…'


class Outbox(metaclass=PoolMeta):
    __name__ = 'message.outbox'
    template_id = fields.Char(
        "Provider Template", readonly=True,
        states=_PROVIDER,
        help="The template approved by the SMS provider or WeChat; the "
        "configured default when empty.")
    parameters = fields.Dict(
        None, "Template Parameters", readonly=True,
        states=_PROVIDER,
        help="The values of the template's variables; the subject and body "
        "when empty.")
    read_date = fields.DateTime(
        "Read", readonly=True,
        states={'invisible': Eval('channel') != 'in_app'},
        help="When the owner read the in-app message in the app.")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.channel.selection += [
            ('sms', "SMS"),
            ('wechat_subscribe', "WeChat Subscribe Message"),
            ]

    @classmethod
    def _get_origins(cls):
        return super()._get_origins() + ['property.notice']

    @classmethod
    def mark_read(cls, messages):
        "Mark the in-app messages read now, those not read yet"
        unread = [m for m in messages if m.read_date is None]
        if unread:
            cls.write(unread, {'read_date': dt.datetime.now()})

    @classmethod
    def _send_sms(cls, messages):
        backend = sms.get_backend()
        return cls._send_each(
            messages, lambda m: cls._send_sms_one(backend, m))

    @classmethod
    def _send_sms_one(cls, backend, message):
        template = message.template_id or settings.get('sms_message_template')
        if not template and backend.name != 'console':
            raise UpstreamError(gettext(
                    'aishang_portal.msg_sms_no_template'))
        params = dict(message.parameters or {}) or {
            'content': _cut(message.body or message.subject, 200)}
        sms.send(backend.send_template, message.address, template, params)

    @classmethod
    def _send_wechat_subscribe(cls, messages):
        wechat = WeChat.from_config()
        openids = cls._openids(messages)
        return cls._send_each(messages,
            lambda m: cls._send_wechat_one(wechat, m, openids))

    @classmethod
    def _send_wechat_one(cls, wechat, message, openids):
        openid = message.address if OPENID.match(message.address or '') else (
            openids.get(message.party.id) if message.party else None)
        if not openid:
            raise UpstreamError(gettext('aishang_portal.msg_wechat_no_openid'))
        template = message.template_id or settings.get(
            'wechat_subscribe_template')
        if not template:
            raise UpstreamError(gettext(
                    'aishang_portal.msg_wechat_no_template'))
        parameters = dict(message.parameters or {}) or {
            'thing1': _cut(message.subject, THING_LENGTH),
            'thing2': _cut(message.body, THING_LENGTH),
            }
        data = {k: {'value': str(v)} for k, v in parameters.items()}
        wechat.send_subscribe_message(openid, template, data,
            page=settings.get('wechat_subscribe_page'))

    @classmethod
    def _openids(cls, messages):
        "{party id: OpenID} of the parties of messages, in one search"
        WebUser = Pool().get('web.user')
        parties = list({m.party.id for m in messages if m.party})
        openids = {}
        if parties:
            for user in WebUser.search([
                        ('party', 'in', parties),
                        ('wechat_openid', '!=', None),
                        ], order=[('id', 'DESC')]):
                openids.setdefault(user.party.id, user.wechat_openid)
        return openids
