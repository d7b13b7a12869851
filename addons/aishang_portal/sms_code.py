# This file is part of Aishang Property. See the LICENSE file at the top level
# of this repository for full copyright notices and license terms.
"""SMS verification codes (O1): hashed, short-lived, few attempts, rate
limited per phone and per IP address.

Everything is kept in the database, not in a process, so that the limits
hold across the WSGI workers. A send takes an advisory lock on the phone
(PostgreSQL; SQLite has a single writer anyway) so that two concurrent
requests cannot both pass the per-phone limits.
"""
import datetime as dt
import hashlib
import hmac
import re
import secrets
import zlib

from sql import Select
from sql.aggregate import Count, Max

from trytond.i18n import gettext
from trytond.model import Index, ModelSQL, fields
from trytond.modules.aishang_property.identity import normalize_phone
from trytond.transaction import Transaction

from . import settings, sms
from .exceptions import BadInputError, PortalError, RateLimitError

MOBILE = re.compile(r'^1[3-9]\d{9}$')
CODE_LENGTH = 6


def normalize_mobile(value):
    "The 11-digit mainland mobile number of value, or None if it is not one"
    text = normalize_phone(value) or ''
    if text.startswith('+86'):
        text = text[3:]
    elif text.startswith('0086'):
        text = text[4:]
    elif len(text) == 13 and text.startswith('86'):
        text = text[2:]
    return text if MOBILE.match(text) else None


def new_code():
    return f'{secrets.randbelow(10 ** CODE_LENGTH):0{CODE_LENGTH}d}'


def hash_code(phone, code, salt, pepper):
    "HMAC-SHA256 of the code with the phone and a salt, keyed by the pepper"
    return hmac.new(pepper.encode('utf-8'),
        f'{salt}:{phone}:{code}'.encode('utf-8'), hashlib.sha256).hexdigest()


def lock_phone(phone):
    "Serialize the sends and checks of one phone until the transaction ends"
    transaction = Transaction()
    key = zlib.crc32(f'aishang_portal.sms:{phone}'.encode('ascii'))
    cursor = transaction.connection.cursor()
    cursor.execute(*Select([transaction.database.lock_id(key, timeout=10)]))


class SmsCode(ModelSQL):
    "An SMS verification code sent to a phone; only its hash is kept"
    __name__ = 'portal.sms_code'
    __string__ = "SMS Verification Code"
    phone = fields.Char("Phone", required=True, readonly=True)
    code_hash = fields.Char("Code Hash", required=True, readonly=True)
    salt = fields.Char("Salt", required=True, readonly=True)
    remote_addr = fields.Char("IP Address", readonly=True)
    sent_at = fields.DateTime("Sent", required=True, readonly=True)
    expires_at = fields.DateTime("Expires", required=True, readonly=True)
    attempts = fields.Integer("Attempts", required=True, readonly=True)
    used_at = fields.DateTime("Used", readonly=True)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_indexes.update({
                Index(t, (t.phone, Index.Equality()),
                    (t.sent_at, Index.Range())),
                Index(t, (t.remote_addr, Index.Equality()),
                    (t.sent_at, Index.Range())),
                })
        cls._order = [('sent_at', 'DESC'), ('id', 'DESC')]

    @staticmethod
    def default_attempts():
        return 0

    @classmethod
    def _counts(cls, table, where):
        cursor = Transaction().connection.cursor()
        cursor.execute(*table.select(Count(table.id), Max(table.sent_at),
                where=where))
        count, last = cursor.fetchone()
        if isinstance(last, str):
            last = dt.datetime.fromisoformat(last)
        return count or 0, last

    @classmethod
    def check_rate(cls, phone, remote_addr, now):
        "Raise RateLimitError when phone or remote_addr asked too often"
        table = cls.__table__()
        interval = settings.getint('sms_interval')
        _, last = cls._counts(table, table.phone == phone)
        if last and last + dt.timedelta(seconds=interval) > now:
            wait = (last + dt.timedelta(seconds=interval) - now).seconds + 1
            raise RateLimitError(gettext(
                    'aishang_portal.msg_sms_rate_interval', seconds=wait),
                retry_after=wait)
        for window, name in [(dt.timedelta(hours=1), 'sms_phone_hour'),
                (dt.timedelta(days=1), 'sms_phone_day')]:
            count, _ = cls._counts(table, (table.phone == phone)
                & (table.sent_at > now - window))
            if count >= settings.getint(name):
                raise RateLimitError(gettext(
                        'aishang_portal.msg_sms_rate_phone',
                        count=settings.getint(name)),
                    retry_after=int(window.total_seconds()))
        if remote_addr:
            count, _ = cls._counts(table, (table.remote_addr == remote_addr)
                & (table.sent_at > now - dt.timedelta(hours=1)))
            if count >= settings.getint('sms_ip_hour'):
                raise RateLimitError(gettext(
                        'aishang_portal.msg_sms_rate_ip'),
                    retry_after=3600)

    @classmethod
    def send(cls, phone, remote_addr):
        """Send a new code to phone and return its lifetime in seconds.

        Earlier codes of the phone stop counting: only the newest is
        checked.
        """
        mobile = normalize_mobile(phone)
        if not mobile:
            raise BadInputError(gettext(
                    'aishang_portal.msg_phone_invalid', phone=phone),
                field='phone')
        lock_phone(mobile)
        now = dt.datetime.now()
        cls.check_rate(mobile, remote_addr, now)
        code = new_code()
        salt = secrets.token_hex(8)
        ttl = settings.getint('code_ttl')
        cls.create([{
                    'phone': mobile,
                    'code_hash': hash_code(
                        mobile, code, salt, settings.get('code_pepper')),
                    'salt': salt,
                    'remote_addr': remote_addr or None,
                    'sent_at': now,
                    'expires_at': now + dt.timedelta(seconds=ttl),
                    }])
        backend = sms.get_backend()
        sms.send(backend.send_code, mobile, code)
        return ttl

    @classmethod
    def verify(cls, phone, code):
        """Check code against the newest code sent to phone and use it up.

        Return the normalized phone. A wrong code counts as an attempt,
        which is kept although the request fails.
        """
        mobile = normalize_mobile(phone)
        if not mobile:
            raise BadInputError(gettext(
                    'aishang_portal.msg_phone_invalid', phone=phone),
                field='phone')
        lock_phone(mobile)
        records = cls.search([('phone', '=', mobile)], limit=1)
        if not records or records[0].used_at:
            raise PortalError(gettext('aishang_portal.msg_code_invalid'),
                code='code_invalid', field='code')
        record, = records
        now = dt.datetime.now()
        if record.expires_at <= now:
            raise PortalError(gettext('aishang_portal.msg_code_expired'),
                code='code_expired', field='code')
        limit = settings.getint('code_attempts')
        if record.attempts >= limit:
            raise RateLimitError(gettext('aishang_portal.msg_code_locked'),
                code='code_locked', field='code')
        expected = hash_code(
            mobile, code, record.salt, settings.get('code_pepper'))
        if not hmac.compare_digest(expected, record.code_hash):
            attempts = record.attempts + 1
            cls.write([record], {'attempts': attempts})
            if attempts >= limit:
                raise RateLimitError(
                    gettext('aishang_portal.msg_code_locked'),
                    code='code_locked', field='code', keep=True)
            raise PortalError(gettext('aishang_portal.msg_code_wrong',
                    left=limit - attempts), code='code_wrong', field='code',
                keep=True, details={'attempts_left': limit - attempts})
        cls.write([record], {'used_at': now})
        return mobile

    @classmethod
    def clean(cls):
        "Delete the codes older than the longest rate-limit window"
        table = cls.__table__()
        cursor = Transaction().connection.cursor()
        cursor.execute(*table.delete(
                where=table.sent_at < dt.datetime.now() - dt.timedelta(
                    days=2)))
