# This file is part of Aishang Property. See the LICENSE file at the top level
# of this repository for full copyright notices and license terms.
from trytond.i18n import gettext
from trytond.model import Index, fields
from trytond.pool import PoolMeta
from trytond.pyson import Eval

from .exceptions import IdentityValidationError
from .identity import (
    is_valid_phone, is_valid_resident_id, mask_id_number, normalize_id_number,
    normalize_phone)


class Party(metaclass=PoolMeta):
    __name__ = 'party.party'
    owner = fields.Boolean(
        "Owner", help="Check if the party owns resources in a project.")
    id_type = fields.Selection([
            (None, ""),
            ('resident_id', "Resident Identity Card"),
            ('passport', "Passport"),
            ('hk_macao_permit', "Mainland Travel Permit for HK/Macao"),
            ('taiwan_permit', "Mainland Travel Permit for Taiwan"),
            ('business_license', "Business License"),
            ('other', "Other"),
            ], "ID Type")
    id_number = fields.Char(
        "ID Number", strip=True,
        states={'required': Eval('id_type') == 'resident_id'},
        help="Stored in full, shown masked to users without owner "
        "management rights.")
    id_number_masked = fields.Function(
        fields.Char("ID Number"), 'get_id_number_masked')
    owner_phone = fields.Char(
        "Verification Phone", strip=True,
        help="The mobile number on file that the owner verifies with "
        "in the owner app.")
    gender = fields.Selection([
            (None, ""),
            ('male', "Male"),
            ('female', "Female"),
            ], "Gender")
    ownerships = fields.One2Many(
        'property.ownership', 'party', "Ownerships",
        states={'invisible': ~Eval('owner')})
    occupancies = fields.One2Many(
        'property.occupant', 'party', "Occupancies")
    custom_fields = fields.Dict(
        'property.custom_field', "Custom Fields",
        domain=[('target', '=', 'party')])

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_indexes.update({
                Index(t, (t.owner_phone, Index.Equality())),
                Index(t, (t.id_number, Index.Equality())),
                })

    @staticmethod
    def default_owner():
        return False

    @classmethod
    def get_id_number_masked(cls, parties, name):
        return {p.id: mask_id_number(p.id_number) for p in parties}

    @classmethod
    def preprocess_values(cls, mode, values):
        values = super().preprocess_values(mode, values)
        if values.get('owner_phone'):
            values['owner_phone'] = normalize_phone(values['owner_phone'])
        if values.get('id_number'):
            values['id_number'] = normalize_id_number(values['id_number'])
        return values

    @classmethod
    def validate_fields(cls, parties, field_names):
        super().validate_fields(parties, field_names)
        if field_names and not (
                field_names & {'id_type', 'id_number', 'owner_phone'}):
            return
        for party in parties:
            if (party.id_type == 'resident_id'
                    and not is_valid_resident_id(party.id_number)):
                raise IdentityValidationError(gettext(
                        'aishang_property.msg_party_invalid_resident_id',
                        party=party.rec_name))
            if party.owner_phone and not is_valid_phone(party.owner_phone):
                raise IdentityValidationError(gettext(
                        'aishang_property.msg_party_invalid_phone',
                        party=party.rec_name, phone=party.owner_phone))
