# This file is part of Aishang Property. See the LICENSE file at the top level
# of this repository for full copyright notices and license terms.
from collections import defaultdict
from decimal import Decimal

from trytond.i18n import gettext
from trytond.modules.aishang_billing.exceptions import (
    BillingConfigurationError)
from trytond.pool import Pool
from trytond.transaction import Transaction

ZERO = Decimal(0)


def receipt_amounts(receipt):
    """The signed amounts (debit positive) per account of a receipt.

    Received money is debited to the method's cash or bank account, or to
    the liability of the owner account it came from; bill principal and
    discounts leave the receivable control account, the late fee is
    revenue when collected, money put into an owner account is a
    liability. The receivable therefore keeps equal to the principal still
    owed on bills.
    """
    amounts = defaultdict(Decimal)
    for payment in receipt.payments:
        if payment.owner_account:
            account = _liability(payment.owner_account.fee_item)
        else:
            account = payment.method.account
        amounts[account] += payment.amount
    for line in receipt.lines:
        if line.owner_account:
            amounts[_liability(line.owner_account.fee_item)] -= line.amount
            continue
        fee_item = line.fee_item
        receivable, revenue = _bill_accounts(fee_item)
        amounts[receivable] -= line.principal + (line.discount or ZERO)
        if line.discount:
            amounts[revenue] += line.discount
        if line.late_fee:
            amounts[fee_item.account_late_fee or revenue] -= line.late_fee
    return amounts


def _bill_accounts(fee_item):
    if not (fee_item.account_receivable and fee_item.account_revenue):
        raise BillingConfigurationError(gettext(
                'aishang_billing.msg_fee_item_accounts',
                fee_item=fee_item.rec_name))
    return fee_item.account_receivable, fee_item.account_revenue


def _liability(fee_item):
    if not fee_item.account_revenue:
        raise BillingConfigurationError(gettext(
                'aishang_billing.msg_fee_item_accounts',
                fee_item=fee_item.rec_name))
    return fee_item.account_revenue


def move_lines(amounts, description):
    lines = []
    for account, amount in sorted(amounts.items(), key=lambda a: a[0].id):
        if not amount:
            continue
        lines.append({
                'account': account.id,
                'debit': max(amount, ZERO),
                'credit': max(-amount, ZERO),
                'description': description,
                })
    return lines


class ReceiptPostingMixin:
    "Posting of receipts to accounting, one move per receipt"
    __slots__ = ()

    @classmethod
    def post_receipts(cls, receipts, void=False):
        """Post each receipt, or its reversal when void.

        Nothing is posted while no receipt journal is configured, that is
        while accounting is not set up.
        """
        pool = Pool()
        Configuration = pool.get('property.billing.configuration')
        Move = pool.get('account.move')
        Period = pool.get('account.period')
        Date = pool.get('ir.date')
        moves, receipts_moved = [], []
        for receipt in receipts:
            company = receipt.company
            journal = Configuration(1).get_multivalue(
                'receipt_journal', company=company.id)
            if not journal or (void and not receipt.move):
                continue
            sign = -1 if void else 1
            amounts = {a: sign * v
                for a, v in receipt_amounts(receipt).items()}
            with Transaction().set_context(company=company.id):
                date = Date.today()
            moves.append(Move(
                    company=company,
                    journal=journal,
                    period=Period.find(company, date=date),
                    date=date,
                    origin=receipt,
                    description=f'{receipt.project.rec_name} '
                    f'{receipt.number}',
                    lines=move_lines(amounts, receipt.number)))
            receipts_moved.append(receipt)
        if not moves:
            return
        Move.save(moves)
        Move.post(moves)
        field = 'void_move' if void else 'move'
        cls.write(*[x for r, m in zip(receipts_moved, moves)
                for x in ([r], {field: m.id})])
