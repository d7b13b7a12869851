# This file is part of Aishang Property. See the LICENSE file at the top level
# of this repository for full copyright notices and license terms.
from collections import defaultdict
from decimal import Decimal

from trytond.i18n import gettext
from trytond.model import ModelView, Workflow, fields
from trytond.pool import Pool, PoolMeta
from trytond.pyson import Eval

from .exceptions import ReceiptError

ZERO = Decimal(0)


class Bill(metaclass=PoolMeta):
    __name__ = 'property.bill'
    receipt_lines = fields.One2Many(
        'property.receipt.line', 'bill', "Receipt Lines", readonly=True)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._buttons.update({
                'request_change': {
                    'invisible': ~Eval('state').in_(['open', 'partial']),
                    'depends': ['state'],
                    },
                })

    @classmethod
    def add_payments(cls, changes, date):
        """Add payments and discounts to bills and move them to the state
        their balance gives.

        changes are (bill, paid, discount, description): negative amounts
        take back a voided or refunded receipt. A discount is also shown
        as a line of the bill.
        """
        Line = Pool().get('property.bill.line')
        to_write, lines = [], []
        for bill, paid, discount, description in changes:
            if not (paid or discount):
                continue
            to_write.extend(([bill], {
                        'paid': (bill.paid or ZERO) + paid,
                        'discount': (bill.discount or ZERO) + discount,
                        }))
            if discount:
                lines.append({'bill': bill.id, 'kind': 'discount',
                        'amount': discount, 'date': date,
                        'description': description})
        if to_write:
            cls.write(*to_write)
        if lines:
            Line.create(lines)
        cls.update_payment_state([c[0] for c in changes])

    @classmethod
    def update_payment_state(cls, bills):
        by_state = defaultdict(list)
        for bill in cls.browse([b.id for b in bills]):
            if bill.balance < 0:
                raise ReceiptError(gettext(
                        'aishang_cashier.msg_bill_overpaid',
                        bill=bill.rec_name))
            if bill.balance == 0:
                by_state['paid'].append(bill)
            elif bill.paid or bill.discount:
                by_state['partial'].append(bill)
            else:
                by_state['open'].append(bill)
        cls.settle(by_state['paid'])
        cls.settle_partially(by_state['partial'])
        cls.reopen(by_state['open'])

    @classmethod
    @Workflow.transition('paid')
    def settle(cls, bills):
        pass

    @classmethod
    @Workflow.transition('partial')
    def settle_partially(cls, bills):
        pass

    @classmethod
    @Workflow.transition('open')
    def reopen(cls, bills):
        pass

    @classmethod
    @ModelView.button_action('aishang_cashier.wizard_bill_change')
    def request_change(cls, bills):
        pass

    @classmethod
    def review_apply(cls, request):
        """Apply an approved void, waiver or amount change (BM2, S4)"""
        bill = cls(request.target.id)
        values = request.values
        if request.operation == 'bill_void':
            if bill.paid:
                raise ReceiptError(gettext(
                        'aishang_cashier.msg_bill_void_paid',
                        bill=bill.rec_name))
            cls.void_issued([bill], request.reason)
        elif request.operation == 'bill_waiver':
            amount = Decimal(values['amount'])
            if amount > bill.balance:
                raise ReceiptError(gettext(
                        'aishang_cashier.msg_receipt_discount_excess',
                        bill=bill.rec_name))
            cls.waive(bill, amount, request.reason)
        elif request.operation == 'bill_amount':
            cls.change_amount(bill, Decimal(values['amount']),
                request.reason)

    @classmethod
    def void_issued(cls, bills, reason):
        "Void open bills, logged, their posting reversed"
        BillChange = Pool().get('property.bill.change')
        for bill in bills:
            BillChange.log(bill, 'state', bill.state, 'void', reason)
            if bill.move:
                cls.post_amounts(bill.company, bill.project,
                    [(bill.fee_item.id, -(bill.amount
                                - (bill.discount or ZERO)))],
                    origin=bill)
        cls.void(bills)

    @classmethod
    def waive(cls, bill, amount, reason):
        "Take amount off an issued bill as a discount, posted"
        BillChange = Pool().get('property.bill.change')
        Date = Pool().get('ir.date')
        BillChange.log(bill, 'discount', bill.discount or ZERO,
            (bill.discount or ZERO) + amount, reason)
        cls.add_payments([(bill, ZERO, amount, reason)], Date.today())
        if bill.move:
            cls.post_amounts(bill.company, bill.project,
                [(bill.fee_item.id, -amount)], origin=bill)
