# This file is part of Aishang Property. See the LICENSE file at the top level
# of this repository for full copyright notices and license terms.
"Temporary charges (临时收费) billed and collected at the cashier (C6)"
from decimal import Decimal

from trytond.exceptions import UserError
from trytond.i18n import gettext
from trytond.model import ModelView, fields
from trytond.pool import Pool, PoolMeta
from trytond.pyson import Eval
from trytond.wizard import Button, StateTransition, StateView, Wizard

# Categories collected into an owner account rather than billed
ACCOUNT_CATEGORIES = ['prepayment', 'deposit']


class TemporaryChargeError(UserError):
    pass


class Receipt(metaclass=PoolMeta):
    __name__ = 'property.receipt'

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._buttons.update({
                'add_temporary_charge': {
                    'invisible': Eval('state') != 'draft',
                    'depends': ['state'],
                    },
                })

    @classmethod
    @ModelView.button_action('aishang_cashier.wizard_receipt_temporary')
    def add_temporary_charge(cls, receipts):
        pass

    def add_temporary_bill(self, fee_item, amount, resource=None,
            description=None):
        """Bill a one-off charge to the payer, issue it and add it to the
        draft receipt; return the bill.

        The bill is dated the day it is collected and has no period key:
        it never stands in the way of the periodic bills.
        """
        pool = Pool()
        Bill = pool.get('property.bill')
        Line = pool.get('property.receipt.line')
        Date = pool.get('ir.date')
        if self.state != 'draft':
            raise TemporaryChargeError(gettext(
                    'aishang_cashier.msg_temporary_receipt_draft',
                    receipt=self.rec_name))
        if fee_item.category in ACCOUNT_CATEGORIES:
            raise TemporaryChargeError(gettext(
                    'aishang_cashier.msg_temporary_fee_item',
                    fee_item=fee_item.rec_name))
        if amount is None or amount <= 0:
            raise TemporaryChargeError(gettext(
                    'aishang_cashier.msg_temporary_amount',
                    receipt=self.rec_name))
        today = Date.today()
        bill, = Bill.create([{
                    'company': self.company.id,
                    'project': self.project.id,
                    'resource': resource.id if resource else None,
                    'party': self.party.id,
                    'fee_item': fee_item.id,
                    'period_start': today,
                    'period_end': today,
                    'period_key': None,
                    'quantity': Decimal(1),
                    'unit_price': amount,
                    'amount': amount,
                    'due_date': today,
                    'origin': 'manual',
                    'description': description,
                    }])
        Bill.issue([bill])
        Line.create([Line.values_for_bill(self, Bill(bill.id))])
        return bill


class TemporaryStart(ModelView):
    "Temporary Charge"
    __name__ = 'property.receipt.temporary.start'
    __string__ = "Temporary Charge"
    company = fields.Many2One('company.company', "Company", readonly=True)
    project = fields.Many2One('property.project', "Project", readonly=True)
    resource = fields.Many2One(
        'property.resource', "Resource",
        domain=[('project', '=', Eval('project', -1))],
        help="The resource charged for; empty for a charge to the payer "
        "alone.")
    fee_item = fields.Many2One(
        'property.fee_item', "Fee Item", required=True,
        domain=[
            ('company', '=', Eval('company', -1)),
            ('category', 'not in', ACCOUNT_CATEGORIES),
            ],
        help="Usually a temporary fee item (decoration rubbish removal, "
        "key copies…).")
    amount = fields.Numeric(
        "Amount", digits=(16, 2), required=True,
        domain=[('amount', '>', 0)])
    description = fields.Char(
        "Description", required=True,
        help="What is charged, as printed on the receipt.")


class ReceiptWizardMixin:
    "A wizard run from a draft receipt, starting from its place"
    __slots__ = ()

    def default_start(self, fields):
        receipt = self.record
        return {
            'company': receipt.company.id,
            'project': receipt.project.id,
            'resource': receipt.resource.id if receipt.resource else None,
            }


class Temporary(ReceiptWizardMixin, Wizard):
    "Temporary Charge"
    __name__ = 'property.receipt.temporary'
    start = StateView('property.receipt.temporary.start',
        'aishang_cashier.temporary_start_view_form', [
            Button("Cancel", 'end', 'tryton-cancel'),
            Button("Add to Receipt", 'add', 'tryton-ok', default=True),
            ])
    add = StateTransition()

    def transition_add(self):
        self.record.add_temporary_bill(self.start.fee_item,
            self.start.amount, resource=self.start.resource,
            description=self.start.description)
        return 'end'

    def end(self):
        return 'reload'
