# This file is part of Aishang Property. See the LICENSE file at the top level
# of this repository for full copyright notices and license terms.
from trytond.model import (
    DeactivableMixin, ModelSQL, ModelView, Unique, fields, sequence_ordered)
from trytond.pyson import Eval, In
from trytond.transaction import Transaction

# Methods paid from an owner's own balance rather than with new money
ACCOUNT_KINDS = {'prepayment', 'deposit'}


class PaymentMethod(
        sequence_ordered(), DeactivableMixin, ModelSQL, ModelView):
    "A way the cashier takes money: cash, WeChat, Alipay, card…"
    __name__ = 'property.payment_method'
    company = fields.Many2One('company.company', "Company", required=True)
    name = fields.Char("Name", required=True, translate=True)
    code = fields.Char("Code", required=True, strip=True)
    kind = fields.Selection([
            ('cash', "Cash"),
            ('wechat', "WeChat Pay"),
            ('alipay', "Alipay"),
            ('unionpay', "UnionPay"),
            ('bank', "Bank Transfer"),
            ('pos', "POS Card"),
            ('prepayment', "Prepayment Account"),
            ('deposit', "Deposit Account"),
            ], "Kind", required=True, sort=False,
        help="Prepayment and deposit methods pay from the owner's balance.")
    kind_string = kind.translated('kind')
    account = fields.Many2One(
        'account.account', "Account",
        domain=[
            ('company', '=', Eval('company', -1)),
            ('closed', '!=', True),
            ],
        states={
            'invisible': In(Eval('kind'), list(ACCOUNT_KINDS)),
            'required': ~In(Eval('kind'), list(ACCOUNT_KINDS)),
            },
        help="The cash or bank account debited with what is received.")
    projects = fields.Many2Many(
        'property.payment_method-property.project', 'method', 'project',
        "Projects",
        domain=[('company', '=', Eval('company', -1))],
        help="The projects that offer the method; all when empty.")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_constraints = [
            ('company_code_uniq', Unique(t, t.company, t.code),
                'aishang_cashier.msg_payment_method_code_unique'),
            ]

    @staticmethod
    def default_company():
        return Transaction().context.get('company')

    @staticmethod
    def default_kind():
        return 'cash'

    @property
    def from_balance(self):
        return self.kind in ACCOUNT_KINDS

    def offered_in(self, project):
        return not self.projects or project in self.projects


class PaymentMethodProject(ModelSQL):
    "Payment Method - Project"
    __name__ = 'property.payment_method-property.project'
    method = fields.Many2One(
        'property.payment_method', "Method", required=True,
        ondelete='CASCADE')
    project = fields.Many2One(
        'property.project', "Project", required=True, ondelete='CASCADE')
