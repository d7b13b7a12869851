# This file is part of Aishang Property. See the LICENSE file at the top level
# of this repository for full copyright notices and license terms.
"Wizards that ask for a review (A1) of a risky change instead of making it"
from decimal import Decimal

from trytond.i18n import gettext
from trytond.model import ModelView, fields
from trytond.pool import Pool
from trytond.pyson import Eval
from trytond.wizard import Button, StateTransition, StateView, Wizard

from .exceptions import ReceiptError

ZERO = Decimal(0)


class ReceiptVoidStart(ModelView):
    "Request to Void a Receipt"
    __name__ = 'property.receipt.void.start'
    receipt = fields.Many2One('property.receipt', "Receipt", readonly=True)
    amount = fields.Numeric("Amount", digits=(16, 2), readonly=True)
    reason = fields.Text("Reason", required=True)


class ReceiptVoid(Wizard):
    "Request to Void a Receipt"
    __name__ = 'property.receipt.void'
    start = StateView('property.receipt.void.start',
        'aishang_cashier.receipt_void_start_view_form', [
            Button("Cancel", 'end', 'tryton-cancel'),
            Button("Request Void", 'request', 'tryton-ok', default=True),
            ])
    request = StateTransition()

    def default_start(self, fields):
        return {'receipt': self.record.id, 'amount': self.record.total}

    def transition_request(self):
        Request = Pool().get('review.request')
        receipt = self.record
        if receipt.state != 'done':
            raise ReceiptError(gettext(
                    'aishang_cashier.msg_receipt_void_state',
                    receipt=receipt.rec_name))
        receipt.check_voidable()
        Request.submit('receipt_void', receipt, receipt.total,
            self.start.reason,
            changes=[(gettext('aishang_cashier.msg_label_state'),
                    receipt.state_string,
                    gettext('aishang_cashier.msg_label_void'))],
            company=receipt.company,
            description=f'{receipt.number} {receipt.party.rec_name}')
        return 'end'


class BillChangeStart(ModelView):
    "Request a Change of a Bill"
    __name__ = 'property.bill.change_request.start'
    bill = fields.Many2One('property.bill', "Bill", readonly=True)
    balance = fields.Numeric("Balance", digits=(16, 2), readonly=True)
    bill_amount = fields.Numeric("Bill Amount", digits=(16, 2),
        readonly=True)
    operation = fields.Selection([
            ('bill_waiver', "Waive Part of the Bill"),
            ('bill_amount', "Change the Amount"),
            ('bill_void', "Void the Bill"),
            ], "Change", required=True)
    amount = fields.Numeric(
        "Amount", digits=(16, 2),
        states={
            'invisible': Eval('operation') == 'bill_void',
            'required': Eval('operation') != 'bill_void',
            },
        domain=[('amount', '>', 0)],
        help="The amount waived, or the new amount of the bill.")
    reason = fields.Text("Reason", required=True)

    @staticmethod
    def default_operation():
        return 'bill_waiver'


class BillChange(Wizard):
    "Request a Change of a Bill"
    __name__ = 'property.bill.change_request'
    start = StateView('property.bill.change_request.start',
        'aishang_cashier.bill_change_start_view_form', [
            Button("Cancel", 'end', 'tryton-cancel'),
            Button("Request Review", 'request', 'tryton-ok', default=True),
            ])
    request = StateTransition()

    def default_start(self, fields):
        return {
            'bill': self.record.id,
            'balance': self.record.balance,
            'bill_amount': self.record.amount,
            }

    def transition_request(self):
        Request = Pool().get('review.request')
        bill, start = self.record, self.start
        if bill.state not in {'open', 'partial'}:
            raise ReceiptError(gettext(
                    'aishang_cashier.msg_bill_change_state',
                    bill=bill.rec_name))
        if start.operation == 'bill_void':
            amount = bill.balance
            changes = [(gettext('aishang_cashier.msg_label_state'),
                    bill.state_string,
                    gettext('aishang_cashier.msg_label_void'))]
        elif start.operation == 'bill_waiver':
            amount = start.amount
            changes = [(gettext('aishang_cashier.msg_label_discount'),
                    str(bill.discount or ZERO),
                    str((bill.discount or ZERO) + amount))]
        else:
            amount = abs(start.amount - bill.amount)
            changes = [(gettext('aishang_cashier.msg_label_amount'),
                    str(bill.amount), str(start.amount))]
        Request.submit(start.operation, bill, amount, start.reason,
            changes=changes,
            values={'amount': str(start.amount or ZERO)},
            company=bill.company,
            description=f'{bill.rec_name} {bill.fee_item.rec_name}')
        return 'end'
