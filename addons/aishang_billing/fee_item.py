# This file is part of Aishang Property. See the LICENSE file at the top level
# of this repository for full copyright notices and license terms.
from decimal import ROUND_DOWN, ROUND_HALF_UP, ROUND_UP

from trytond.model import (
    DeactivableMixin, ModelSQL, ModelView, Unique, fields, sequence_ordered)
from trytond.pyson import Eval
from trytond.transaction import Transaction

ROUNDINGS = {
    'half_up': ROUND_HALF_UP,
    'down': ROUND_DOWN,
    'up': ROUND_UP,
    }


class FeeItem(sequence_ordered(), DeactivableMixin, ModelSQL, ModelView):
    "A kind of charge (收费科目): property fee, water, parking, deposit…"
    __name__ = 'property.fee_item'
    company = fields.Many2One('company.company', "Company", required=True)
    name = fields.Char("Name", required=True, translate=True)
    code = fields.Char("Code", required=True, strip=True)
    category = fields.Selection([
            ('periodic', "Periodic"),
            ('metered', "Metered"),
            ('temporary', "Temporary"),
            ('deposit', "Deposit"),
            ('prepayment', "Prepayment"),
            ], "Category", required=True, sort=False,
        help="Periodic fees are billed by bill rules, metered ones from "
        "meter readings, temporary ones by hand.")
    category_string = category.translated('category')
    account_revenue = fields.Many2One(
        'account.account', "Revenue Account",
        domain=[
            ('company', '=', Eval('company', -1)),
            ('closed', '!=', True),
            ],
        help="Credited when bills of the item are issued; for deposits "
        "and prepayments the liability account.")
    account_receivable = fields.Many2One(
        'account.account', "Receivable Account",
        domain=[
            ('company', '=', Eval('company', -1)),
            ('closed', '!=', True),
            ('party_required', '=', False),
            ],
        help="The receivable control account debited when bills are issued.")
    digits = fields.Integer(
        "Digits", required=True,
        domain=[('digits', '>=', 0), ('digits', '<=', 2)],
        help="Decimals kept when a bill amount is rounded: 2 for fen.")
    rounding = fields.Selection([
            ('half_up', "Half Up"),
            ('down', "Down"),
            ('up', "Up"),
            ], "Rounding", required=True)
    late_fee = fields.Boolean(
        "Late Fee",
        help="Charge a late fee on overdue bills of this item, "
        "where the contract provides it.")
    late_fee_rate = fields.Numeric(
        "Late Fee Daily Rate", digits=(6, 6),
        states={
            'invisible': ~Eval('late_fee'),
            'required': Eval('late_fee', False),
            },
        help="Charged per day on the outstanding principal, e.g. 0.0005.")
    late_fee_grace_days = fields.Integer(
        "Grace Days", states={'invisible': ~Eval('late_fee')},
        help="Days after the due date before late fees start to count.")
    late_fee_cap = fields.Numeric(
        "Late Fee Cap (%)", digits=(5, 2),
        states={'invisible': ~Eval('late_fee')},
        help="The late fee never exceeds this percentage of the principal.")
    description = fields.Text("Description")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_constraints = [
            ('company_code_uniq', Unique(t, t.company, t.code),
                'aishang_billing.msg_fee_item_code_unique'),
            ]

    @staticmethod
    def default_company():
        return Transaction().context.get('company')

    @staticmethod
    def default_category():
        return 'periodic'

    @staticmethod
    def default_digits():
        return 2

    @staticmethod
    def default_rounding():
        return 'half_up'

    @staticmethod
    def default_late_fee():
        return False

    @staticmethod
    def default_late_fee_grace_days():
        return 0

    @staticmethod
    def default_late_fee_cap():
        return 100

    @property
    def rounding_mode(self):
        return ROUNDINGS[self.rounding]
