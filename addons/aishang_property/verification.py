# This file is part of Aishang Property. See the LICENSE file at the top level
# of this repository for full copyright notices and license terms.
import datetime as dt

from trytond.model import Index, ModelSQL, ModelView, fields
from trytond.pool import Pool
from trytond.pyson import Eval

from .identity import mask_phone, normalize_phone


class Verification(ModelSQL, ModelView):
    "An owner verification from the owner app (业主认证记录)"
    __name__ = 'property.owner.verification'
    _rec_name = 'phone'
    party = fields.Many2One(
        'party.party', "Owner", readonly=True, ondelete='RESTRICT',
        context={'company': Eval('company', -1)}, depends={'company'})
    phone = fields.Char("Phone", readonly=True)
    phone_masked = fields.Function(fields.Char("Phone"), 'get_phone_masked')
    channel = fields.Selection([
            ('sms', "SMS Code"),
            ('wechat_phone', "WeChat Phone Number"),
            ('manual', "Back Office"),
            ], "Channel", readonly=True, required=True)
    channel_string = channel.translated('channel')
    state = fields.Selection([
            ('verified', "Verified"),
            ('failed', "Failed"),
            ], "State", readonly=True, required=True)
    state_string = state.translated('state')
    verified_at = fields.DateTime("Date", readonly=True, required=True)
    linked_resources = fields.Many2Many(
        'property.owner.verification-property.resource', 'verification',
        'resource', "Linked Resources", readonly=True)
    reference = fields.Char(
        "Reference", readonly=True,
        help="The app account that verified, such as a WeChat openid.")
    reason = fields.Selection([
            (None, ""),
            ('no_owner', "No owner on file has this phone"),
            ('ambiguous', "Several owners share this phone"),
            ], "Reason", readonly=True)
    company = fields.Many2One('company.company', "Company", readonly=True)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_indexes.update({
                Index(t, (t.party, Index.Equality())),
                Index(t, (t.verified_at, Index.Range(order='DESC'))),
                })
        cls._order = [('verified_at', 'DESC'), ('id', 'DESC')]

    @classmethod
    def get_phone_masked(cls, verifications, name):
        return {v.id: mask_phone(v.phone) for v in verifications}

    @classmethod
    def record(cls, company, phone, channel, reference=None):
        """Verify phone for the app account reference and link resources.

        Return the verification, in state failed when no owner on file
        has the phone.
        """
        pool = Pool()
        Party = pool.get('party.party')
        Resource = pool.get('property.resource')
        Date = pool.get('ir.date')
        phone = normalize_phone(phone)
        owners = Party.search([
                ('owner_phone', '=', phone),
                ('owner', '=', True),
                ], limit=2)
        verification = cls(company=company, phone=phone, channel=channel,
            reference=reference, verified_at=dt.datetime.now())
        if len(owners) != 1:
            verification.state = 'failed'
            verification.reason = 'no_owner' if not owners else 'ambiguous'
        else:
            owner, = owners
            today = Date.today()
            verification.party = owner
            verification.state = 'verified'
            verification.linked_resources = Resource.search([
                    ('project.company', '=', company),
                    ('ownerships', 'where', [
                            ('party', '=', owner.id),
                            *pool.get('property.ownership').in_force_domain(
                                today),
                            ]),
                    ])
        verification.save()
        return verification


class VerificationResource(ModelSQL):
    "Owner Verification - Resource"
    __name__ = 'property.owner.verification-property.resource'
    verification = fields.Many2One(
        'property.owner.verification', "Verification", required=True,
        ondelete='CASCADE')
    resource = fields.Many2One(
        'property.resource', "Resource", required=True, ondelete='CASCADE')
