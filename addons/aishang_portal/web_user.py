# This file is part of Aishang Property. See the LICENSE file at the top level
# of this repository for full copyright notices and license terms.
"""Owner app accounts (O1, P5): a web.user per WeChat OpenID or verified
phone, bound to the owner (party) once a phone on file is verified.

Sessions are web_user's own (web.user.session): a random key, valid for
[session] web_timeout seconds from its creation (30 days by default).
"""
import datetime as dt

from sql import Literal
from sql.aggregate import Count

from trytond.i18n import gettext
from trytond.model import Index, fields
from trytond.pool import Pool, PoolMeta
from trytond.pyson import Eval
from trytond.transaction import Transaction

from . import settings
from .exceptions import ConflictError, ForbiddenError


class WebUser(metaclass=PoolMeta):
    __name__ = 'web.user'
    wechat_openid = fields.Char(
        "WeChat OpenID", readonly=True, strip=False,
        help="The owner's OpenID in the mini-program.")
    wechat_unionid = fields.Char("WeChat UnionID", readonly=True, strip=False)
    phone = fields.Char(
        "Verified Phone", readonly=True,
        help="The phone on file the owner proved to have.")
    verified_at = fields.DateTime("Verified", readonly=True)
    verification_channel = fields.Selection([
            (None, ""),
            ('sms', "SMS Code"),
            ('wechat_phone', "WeChat Phone Number"),
            ], "Verified With", readonly=True)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_indexes.update({
                Index(t, (t.wechat_openid, Index.Equality())),
                Index(t, (t.phone, Index.Equality())),
                })
        # Owners of the app sign in with WeChat or a phone, not an email
        cls.email.states = {
            **cls.email.states,
            'required': (Eval('active', True) & ~Eval('wechat_openid')
                & ~Eval('phone')),
            }
        cls.email.depends |= {'wechat_openid', 'phone'}

    @classmethod
    def portal_session_user(cls, key):
        """The active web user of the session key, None when it is not
        valid; its party is known without reading the user"""
        Session = Pool().get('web.user.session')
        # One query on every owner request instead of Session.get_user's
        # three; an expired session goes through get_user, which drops it
        session, user = Session.__table__(), cls.__table__()
        cursor = Transaction().connection.cursor()
        cursor.execute(*session.join(user,
                condition=session.user == user.id
                ).select(user.id, user.party, session.write_date,
                session.create_date,
                where=(session.key == key) & (user.active == Literal(True)),
                limit=1))
        row = cursor.fetchone()
        if not row:
            return None
        user_id, party_id, write_date, create_date = row
        modified = write_date or create_date
        if (not isinstance(modified, dt.datetime)
                or abs(modified - dt.datetime.now()) > Session.timeout()):
            found = Session.get_user(key)
            return found if found and found.active else None
        return cls(user_id, party=party_id)

    def portal_new_session(self):
        "Open a session; return its key and when it expires"
        Session = Pool().get('web.user.session')
        key = self.new_session()
        return key, dt.datetime.now().replace(microsecond=0) + (
            Session.timeout())

    @classmethod
    def portal_session_expiry(cls, key):
        "When the session key expires"
        Session = Pool().get('web.user.session')
        session, = Session.search([('key', '=', key)], limit=1)
        return session.last_modified_at.replace(microsecond=0) + (
            Session.timeout())

    @classmethod
    def portal_logout(cls, key):
        Pool().get('web.user.session').remove(key)

    @classmethod
    def portal_login_wechat(cls, openid, unionid=None):
        "The web user of the OpenID, created at its first login"
        users = cls.search([
                ('wechat_openid', '=', openid),
                ], order=[('id', 'ASC')], limit=1)
        if users:
            user, = users
            if unionid and user.wechat_unionid != unionid:
                cls.write([user], {'wechat_unionid': unionid})
            return user
        user, = cls.create([{
                    'wechat_openid': openid,
                    'wechat_unionid': unionid,
                    }])
        return user

    @classmethod
    def portal_verify(cls, phone, channel, user=None):
        """Verify that the owner of phone uses the app (O1, P5).

        Record the verification (the back office sees it at once, with
        the resources linked); on success bind user, or the web user of
        the phone (created if needed), to the owner and return it.
        A phone not on file fails: the failed verification is kept.
        """
        pool = Pool()
        Verification = pool.get('property.owner.verification')
        reference = user.wechat_openid if user else None
        verifications = [
            Verification.record(company, phone, channel, reference=reference)
            for company in cls._verification_companies(phone)]
        verified = [v for v in verifications if v.state == 'verified']
        if not verified:
            reasons = {v.reason for v in verifications}
            if 'ambiguous' in reasons:
                raise ConflictError(gettext(
                        'aishang_portal.msg_phone_ambiguous'),
                    code='phone_ambiguous', keep=True)
            raise ForbiddenError(gettext(
                    'aishang_portal.msg_phone_not_on_file'),
                code='phone_not_on_file', keep=True)
        party = verified[0].party
        if user is None:
            users = cls.search([
                    ('phone', '=', verified[0].phone),
                    ('party', '=', party.id),
                    ], order=[('id', 'ASC')], limit=1)
            if users:
                user, = users
            else:
                user, = cls.create([{'phone': verified[0].phone}])
        cls.write([user], {
                'party': party.id,
                'phone': verified[0].phone,
                'verified_at': dt.datetime.now(),
                'verification_channel': channel,
                })
        # a fresh instance: the session's one may hold the party it had
        return cls(user.id), verified

    @classmethod
    def _verification_companies(cls, phone):
        """The companies to record a verification of phone in.

        Those of the resources of the owners having phone, else the
        configured one or all companies.
        """
        pool = Pool()
        Party = pool.get('party.party')
        Ownership = pool.get('property.ownership')
        Resource = pool.get('property.resource')
        Project = pool.get('property.project')
        Company = pool.get('company.company')
        party = Party.__table__()
        ownership = Ownership.__table__()
        resource = Resource.__table__()
        project = Project.__table__()
        cursor = Transaction().connection.cursor()
        cursor.execute(*party.join(ownership,
                condition=ownership.party == party.id
                ).join(resource, condition=ownership.resource == resource.id
                ).join(project, condition=resource.project == project.id
                ).select(project.company, Count(ownership.id),
                where=(party.owner_phone == phone)
                & (party.active == Literal(True)),
                group_by=[project.company],
                order_by=[project.company]))
        companies = [c for c, _ in cursor]
        if companies:
            return companies
        configured = settings.get('company')
        if configured:
            return [int(configured)]
        return [c.id for c in Company.search([], order=[('id', 'ASC')])]

    @classmethod
    def portal_users_of(cls, parties):
        """{party id: web users bound to it} in one query"""
        result = {p.id if hasattr(p, 'id') else p: [] for p in parties}
        if not result:
            return result
        for user in cls.search([('party', 'in', list(result))]):
            result[user.party.id].append(user)
        return result
