# This file is part of Aishang Property. See the LICENSE file at the top level
# of this repository for full copyright notices and license terms.
import datetime as dt
from decimal import Decimal

from trytond.i18n import gettext
from trytond.model import Index, ModelSQL, ModelView, fields
from trytond.pool import Pool
from trytond.pyson import Eval, If

from . import settle
from .exceptions import ReceiptError

ZERO = Decimal(0)


class ReceiptChildMixin:
    "A line of a receipt, editable while the receipt is a draft"
    __slots__ = ()
    receipt = fields.Many2One(
        'property.receipt', "Receipt", required=True, ondelete='CASCADE')
    receipt_state = fields.Function(
        fields.Selection('get_receipt_states', "Receipt State"),
        'on_change_with_receipt_state')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.__access__.add('receipt')
        t = cls.__table__()
        cls._sql_indexes.add(Index(t, (t.receipt, Index.Equality())))

    @classmethod
    def check_modification(cls, mode, records, values=None, external=False):
        super().check_modification(
            mode, records, values=values, external=external)
        # Issued receipts change only through collect, void and refunds
        if external and mode in {'create', 'write', 'delete'}:
            for record in records:
                if record.receipt.state != 'draft':
                    raise ReceiptError(gettext(
                            'aishang_cashier.msg_receipt_line_readonly',
                            receipt=record.receipt.rec_name))

    @staticmethod
    def default_receipt_state():
        # A row added in the client is editable before the receipt is saved
        return 'draft'

    @classmethod
    def get_receipt_states(cls):
        Receipt = Pool().get('property.receipt')
        return Receipt.fields_get(['state'])['state']['selection']

    @fields.depends('receipt', '_parent_receipt.state')
    def on_change_with_receipt_state(self, name=None):
        return self.receipt.state if self.receipt else 'draft'


class ReceiptLine(ReceiptChildMixin, ModelSQL, ModelView):
    "What one receipt pays: a bill, or money into a prepayment or deposit"
    __name__ = 'property.receipt.line'
    _states = {'readonly': Eval('receipt_state') != 'draft'}

    kind = fields.Selection([
            ('bill', "Bill"),
            ('prepayment', "Prepayment"),
            ('deposit', "Deposit"),
            ], "Kind", required=True, states=_states)
    kind_string = kind.translated('kind')
    bill = fields.Many2One(
        'property.bill', "Bill", ondelete='RESTRICT',
        domain=[If(Eval('kind') == 'bill',
                [('state', 'in', ['open', 'partial'])], [])],
        states={
            'readonly': _states['readonly'],
            'invisible': Eval('kind') != 'bill',
            'required': Eval('kind') == 'bill',
            })
    owner_account = fields.Many2One(
        'property.owner_account', "Owner Account", ondelete='RESTRICT',
        domain=[('kind', '=', Eval('kind'))],
        states={
            'readonly': _states['readonly'],
            'invisible': Eval('kind') == 'bill',
            'required': Eval('kind') != 'bill',
            })
    fee_item = fields.Many2One(
        'property.fee_item', "Fee Item", readonly=True)
    resource = fields.Many2One('property.resource', "Resource",
        readonly=True)
    period_start = fields.Date("Period Start", readonly=True)
    period_end = fields.Date("Period End", readonly=True)
    due = fields.Numeric("Due", digits=(16, 2), readonly=True,
        help="What the bill asked for when it was added.")
    discount = fields.Numeric("Discount", digits=(16, 2), readonly=True,
        help="Taken off the bill by a discount scheme or a round-off.")
    amount = fields.Numeric(
        "Amount", digits=(16, 2), required=True, states=_states,
        domain=[('amount', '>=', 0)],
        help="The money received for the line.")
    principal = fields.Numeric("Principal", digits=(16, 2), readonly=True)
    late_fee = fields.Numeric("Late Fee", digits=(16, 2), readonly=True)
    refunded = fields.Numeric("Refunded", digits=(16, 2), readonly=True)
    description = fields.Char("Description", states=_states)
    del _states

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_indexes.add(Index(t, (t.bill, Index.Equality())))
        cls._order = [('period_start', 'ASC NULLS FIRST'), ('id', 'ASC')]

    @staticmethod
    def default_kind():
        return 'bill'

    @staticmethod
    def default_discount():
        return ZERO

    @staticmethod
    def default_refunded():
        return ZERO

    @fields.depends('bill', 'discount')
    def on_change_bill(self):
        if self.bill:
            for name, value in self.bill_values(self.bill).items():
                setattr(self, name, value)
            self.amount = self.due - (self.discount or ZERO)

    @staticmethod
    def bill_values(bill):
        return {
            'fee_item': bill.fee_item.id,
            'resource': bill.resource.id if bill.resource else None,
            'period_start': bill.period_start,
            'period_end': bill.period_end,
            'due': bill.balance,
            }

    @classmethod
    def values_for_bill(cls, receipt, bill):
        return {
            'receipt': receipt.id, 'kind': 'bill', 'bill': bill.id,
            'amount': bill.balance, **cls.bill_values(bill)}

    @classmethod
    def due_of(cls, bill):
        """What bill still asks for, split in principal and late fee.

        The late fee paid is what was paid above the principal."""
        principal_total = bill.amount - (bill.discount or ZERO)
        paid = bill.paid or ZERO
        principal = max(principal_total - paid, ZERO)
        late_fee = max((bill.late_fee or ZERO) - max(
                paid - principal_total, ZERO), ZERO)
        return settle.Due(
            bill.id, (bill.resource.id if bill.resource else None,
                bill.fee_item.id),
            (bill.period_start or dt.date.min, bill.id), principal,
            late_fee)

    def check_amount(self, bill):
        """Check the line against the locked bill; split it in principal
        and late fee."""
        if not (self.amount or self.discount):
            raise ReceiptError(gettext(
                    'aishang_cashier.msg_receipt_line_zero',
                    receipt=self.receipt.rec_name))
        if self.kind != 'bill':
            self.principal, self.late_fee = self.amount, ZERO
            return
        if (bill.state not in {'open', 'partial'}
                or bill.project != self.receipt.project):
            raise ReceiptError(gettext(
                    'aishang_cashier.msg_receipt_bill_not_open',
                    bill=bill.rec_name))
        due = self.due_of(bill)
        discount = self.discount or ZERO
        if discount > due.principal:
            raise ReceiptError(gettext(
                    'aishang_cashier.msg_receipt_discount_excess',
                    bill=bill.rec_name))
        due = due._replace(principal=due.principal - discount)
        try:
            part, = settle.allocate_payment([due], self.amount)
        except settle.SettleError:
            raise ReceiptError(gettext(
                    'aishang_cashier.msg_receipt_bill_changed',
                    bill=bill.rec_name, balance=bill.balance,
                    amount=self.amount + discount))
        self.principal, self.late_fee = part.principal, part.late_fee
        self.due = bill.balance


class ReceiptPayment(ReceiptChildMixin, ModelSQL, ModelView):
    "How part of a receipt was paid: a method and its amount"
    __name__ = 'property.receipt.payment'
    _states = {'readonly': Eval('receipt_state') != 'draft'}

    method = fields.Many2One(
        'property.payment_method', "Method", required=True, states=_states,
        ondelete='RESTRICT')
    method_kind = fields.Function(
        fields.Char("Method Kind"), 'on_change_with_method_kind')
    owner_account = fields.Many2One(
        'property.owner_account', "Owner Account", ondelete='RESTRICT',
        domain=[('kind', '=', Eval('method_kind'))],
        states={
            'readonly': _states['readonly'],
            'invisible': ~Eval('method_kind').in_(['prepayment', 'deposit']),
            'required': Eval('method_kind').in_(['prepayment', 'deposit']),
            })
    amount = fields.Numeric(
        "Amount", digits=(16, 2), required=True, states=_states,
        domain=[('amount', '>', 0)])
    reference = fields.Char(
        "Reference", states=_states,
        help="The transaction number of the card, WeChat or bank payment.")
    del _states

    @fields.depends('method')
    def on_change_with_method_kind(self, name=None):
        return self.method.kind if self.method else None

    def check_method(self):
        receipt = self.receipt
        if not self.method.offered_in(receipt.project):
            raise ReceiptError(gettext(
                    'aishang_cashier.msg_receipt_method_project',
                    method=self.method.rec_name,
                    project=receipt.project.rec_name))
        if self.method.from_balance:
            account = self.owner_account
            if (not account or account.kind != self.method.kind
                    or account.project != receipt.project):
                raise ReceiptError(gettext(
                        'aishang_cashier.msg_receipt_owner_account',
                        method=self.method.rec_name))
