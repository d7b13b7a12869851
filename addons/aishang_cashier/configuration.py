# This file is part of Aishang Property. See the LICENSE file at the top level
# of this repository for full copyright notices and license terms.
from trytond.model import fields
from trytond.pool import PoolMeta
from trytond.pyson import Eval

JOURNAL_DOMAIN = [('type', 'in', ['cash', 'general'])]


class Configuration(metaclass=PoolMeta):
    __name__ = 'property.billing.configuration'
    receipt_journal = fields.MultiValue(fields.Many2One(
            'account.journal', "Receipt Journal", domain=JOURNAL_DOMAIN,
            help="The journal receipts are posted in; "
            "leave empty while accounting is not set up."))

    @classmethod
    def multivalue_model(cls, field):
        if field == 'receipt_journal':
            return super().multivalue_model('bill_journal')
        return super().multivalue_model(field)


class ConfigurationJournal(metaclass=PoolMeta):
    __name__ = 'property.billing.configuration.journal'
    receipt_journal = fields.Many2One(
        'account.journal', "Receipt Journal", domain=JOURNAL_DOMAIN)


class FeeItem(metaclass=PoolMeta):
    __name__ = 'property.fee_item'
    account_late_fee = fields.Many2One(
        'account.account', "Late Fee Account",
        domain=[
            ('company', '=', Eval('company', -1)),
            ('closed', '!=', True),
            ],
        help="Credited with late fees when they are collected; the "
        "revenue account when empty.")
