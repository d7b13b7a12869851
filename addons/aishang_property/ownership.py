# This file is part of Aishang Property. See the LICENSE file at the top level
# of this repository for full copyright notices and license terms.
from collections import defaultdict
from decimal import Decimal

from trytond.i18n import gettext
from trytond.model import Index, ModelSQL, ModelView, fields
from trytond.pool import Pool
from trytond.pyson import Bool, Eval, If
from trytond.tools import grouped_slice

from .exceptions import OwnershipValidationError
from .tools import in_max

_HUNDRED = Decimal(100)


class InForceMixin:
    "Records valid from start_date to end_date, both inclusive and optional"
    __slots__ = ()
    start_date = fields.Date("Start Date")
    end_date = fields.Date(
        "End Date",
        domain=[If(Bool(Eval('start_date')) & Bool(Eval('end_date')),
                ('end_date', '>=', Eval('start_date')), ())])

    @classmethod
    def in_force_domain(cls, date):
        return [
            ['OR', ('start_date', '=', None), ('start_date', '<=', date)],
            ['OR', ('end_date', '=', None), ('end_date', '>=', date)],
            ]

    def overlaps(self, other):
        start = max(
            (d for d in (self.start_date, other.start_date) if d),
            default=None)
        end = min(
            (d for d in (self.end_date, other.end_date) if d), default=None)
        return start is None or end is None or start <= end


class Ownership(InForceMixin, ModelSQL, ModelView):
    "The ownership of a resource by a party over a period, with its share"
    __name__ = 'property.ownership'
    resource = fields.Many2One(
        'property.resource', "Resource", required=True, ondelete='CASCADE')
    party = fields.Many2One(
        'party.party', "Owner", required=True, ondelete='RESTRICT',
        context={'company': Eval('company', -1)}, depends={'company'})
    share = fields.Numeric(
        "Share (%)", digits=(5, 2), required=True,
        domain=[('share', '>', 0), ('share', '<=', 100)],
        help="The owner's share of the resource in percent.")
    primary = fields.Boolean(
        "Primary", help="The owner who receives the bills of the resource.")
    company = fields.Function(
        fields.Many2One('company.company', "Company"), 'on_change_with_company')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.__access__.add('resource')
        t = cls.__table__()
        cls._sql_indexes.add(Index(t, (t.party, Index.Equality())))
        cls._order = [('resource', 'ASC'), ('start_date', 'DESC NULLS FIRST'),
            ('id', 'ASC')]

    @staticmethod
    def default_share():
        return _HUNDRED

    @staticmethod
    def default_primary():
        return True

    @fields.depends('resource', '_parent_resource.project')
    def on_change_with_company(self, name=None):
        if self.resource and self.resource.project:
            return self.resource.project.company

    def get_rec_name(self, name):
        return f'{self.resource.rec_name} / {self.party.rec_name}'

    @classmethod
    def validate(cls, ownerships):
        super().validate(ownerships)
        cls.check_shares(ownerships)

    @classmethod
    def check_shares(cls, ownerships):
        "Overlapping ownerships of one resource may not exceed 100 %"
        by_resource = defaultdict(list)
        resource_ids = {o.resource.id for o in ownerships}
        for sub in grouped_slice(resource_ids, in_max()):
            for ownership in cls.search([('resource', 'in', list(sub))]):
                by_resource[ownership.resource].append(ownership)
        for resource, all_ in by_resource.items():
            for ownership in all_:
                total = sum(
                    (o.share for o in all_ if ownership.overlaps(o)),
                    Decimal(0))
                if total > _HUNDRED:
                    raise OwnershipValidationError(gettext(
                            'aishang_property.msg_ownership_share_exceeded',
                            resource=resource.rec_name, share=total))

    @classmethod
    def on_modification(cls, mode, ownerships, field_names=None):
        Party = Pool().get('party.party')
        super().on_modification(mode, ownerships, field_names=field_names)
        if mode in {'create', 'write'}:
            parties = {o.party for o in ownerships if not o.party.owner}
            if parties:
                Party.write(list(parties), {'owner': True})


class Occupant(InForceMixin, ModelSQL, ModelView):
    "A person living in or using a resource: family member or tenant"
    __name__ = 'property.occupant'
    resource = fields.Many2One(
        'property.resource', "Resource", required=True, ondelete='CASCADE')
    party = fields.Many2One(
        'party.party', "Person", required=True, ondelete='RESTRICT',
        context={'company': Eval('company', -1)}, depends={'company'})
    relation = fields.Selection([
            ('owner', "Owner"),
            ('spouse', "Spouse"),
            ('child', "Child"),
            ('parent', "Parent"),
            ('relative', "Other Relative"),
            ('tenant', "Tenant"),
            ('tenant_family', "Tenant's Family"),
            ('employee', "Employee"),
            ('other', "Other"),
            ], "Relation", required=True, sort=False)
    relation_string = relation.translated('relation')
    phone = fields.Function(fields.Char("Phone"), 'get_phone')
    company = fields.Function(
        fields.Many2One('company.company', "Company"), 'on_change_with_company')
    note = fields.Char("Note")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.__access__.add('resource')
        t = cls.__table__()
        cls._sql_indexes.add(Index(t, (t.party, Index.Equality())))
        cls._order = [('resource', 'ASC'), ('relation', 'ASC'), ('id', 'ASC')]

    @fields.depends('resource', '_parent_resource.project')
    def on_change_with_company(self, name=None):
        if self.resource and self.resource.project:
            return self.resource.project.company

    @classmethod
    def get_phone(cls, occupants, name):
        return {o.id: o.party.owner_phone or o.party.phone for o in occupants}

    def get_rec_name(self, name):
        return f'{self.party.rec_name} ({self.relation_string})'
