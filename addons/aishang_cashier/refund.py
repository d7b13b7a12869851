# This file is part of Aishang Property. See the LICENSE file at the top level
# of this repository for full copyright notices and license terms.
from collections import defaultdict
from decimal import Decimal

from trytond.i18n import gettext
from trytond.model import Index, ModelSQL, ModelView, Workflow, fields
from trytond.pool import Pool
from trytond.pyson import Eval, If
from trytond.transaction import Transaction

from . import settle
from .exceptions import RefundError
from .posting import _bill_accounts, _liability, move_lines

ZERO = Decimal(0)


class Refund(Workflow, ModelSQL, ModelView):
    """Money given back (退款): part of a receipt, or the balance of a
    prepayment or deposit account; always reviewed (C5, C3, C4)"""
    __name__ = 'property.refund'
    _states = {'readonly': Eval('state') != 'draft'}

    company = fields.Many2One(
        'company.company', "Company", required=True, states=_states)
    project = fields.Many2One(
        'property.project', "Project", required=True, states=_states,
        domain=[('company', '=', Eval('company', -1))])
    kind = fields.Selection([
            ('receipt', "Receipt"),
            ('account', "Owner Account"),
            ], "Refund Of", required=True, states=_states)
    kind_string = kind.translated('kind')
    receipt = fields.Many2One(
        'property.receipt', "Receipt", ondelete='RESTRICT',
        domain=[
            ('state', '=', 'done'),
            ('project', '=', Eval('project', -1)),
            ],
        states={
            'readonly': _states['readonly'],
            'invisible': Eval('kind') != 'receipt',
            'required': Eval('kind') == 'receipt',
            })
    owner_account = fields.Many2One(
        'property.owner_account', "Owner Account", ondelete='RESTRICT',
        domain=[('project', '=', Eval('project', -1))],
        states={
            'readonly': _states['readonly'],
            'invisible': Eval('kind') != 'account',
            'required': Eval('kind') == 'account',
            })
    party = fields.Many2One(
        'party.party', "Payee", required=True, states=_states,
        context={'company': Eval('company', -1)}, depends={'company'})
    amount = fields.Numeric(
        "Amount", digits=(16, 2), required=True, states=_states,
        domain=[('amount', '>', 0)])
    method = fields.Many2One(
        'property.payment_method', "Method", required=True, states=_states,
        domain=[('kind', 'not in', ['prepayment', 'deposit'])],
        help="How the money goes back; by default the receipt's own.")
    reason = fields.Text("Reason", required=True, states=_states)
    date = fields.Date("Date", readonly=True)
    lines = fields.One2Many(
        'property.refund.line', 'refund', "Lines", readonly=True)
    discount_reversed = fields.Function(
        fields.Numeric("Discount Reversed", digits=(16, 2)),
        'get_discount_reversed')
    move = fields.Many2One('account.move', "Account Move", readonly=True,
        ondelete='RESTRICT')
    state = fields.Selection([
            ('draft', "Draft"),
            ('requested', "Under Review"),
            ('done', "Refunded"),
            ('rejected', "Rejected"),
            ], "State", readonly=True, required=True, sort=False)
    state_string = state.translated('state')
    del _states

    @classmethod
    def view_attributes(cls):
        return super().view_attributes() + [
            ('/tree', 'visual', If(Eval('state') == 'rejected', 'muted', '')),
            ]

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_indexes.add(Index(t, (t.receipt, Index.Equality())))
        cls._order = [('id', 'DESC')]
        cls._transitions |= {
            ('draft', 'requested'),
            ('requested', 'done'),
            ('requested', 'rejected'),
            ('requested', 'draft'),
            ('rejected', 'draft'),
            }
        cls._buttons.update({
                'request': {
                    'invisible': Eval('state') != 'draft',
                    'depends': ['state'],
                    },
                'draft': {
                    'invisible': Eval('state') != 'rejected',
                    'depends': ['state'],
                    },
                })

    @staticmethod
    def default_company():
        return Transaction().context.get('company')

    @staticmethod
    def default_state():
        return 'draft'

    @staticmethod
    def default_kind():
        return 'receipt'

    @fields.depends('receipt', 'project', 'party', 'method', 'company')
    def on_change_receipt(self):
        if self.receipt:
            self.project = self.receipt.project
            self.company = self.receipt.company
            self.party = self.receipt.party
            self.method = self.receipt.refund_method()

    @fields.depends('owner_account', 'project', 'party', 'company')
    def on_change_owner_account(self):
        if self.owner_account:
            self.project = self.owner_account.project
            self.company = self.owner_account.company
            self.party = self.owner_account.party

    def get_rec_name(self, name):
        origin = (self.receipt or self.owner_account)
        return f'{origin.rec_name if origin else ""} −{self.amount}'

    def get_discount_reversed(self, name):
        return sum((l.discount for l in self.lines), ZERO)

    @property
    def operation(self):
        if self.kind == 'receipt':
            return 'refund'
        return f'{self.owner_account.kind}_refund'

    @classmethod
    def check_modification(cls, mode, refunds, values=None, external=False):
        super().check_modification(
            mode, refunds, values=values, external=external)
        if mode == 'delete':
            for refund in refunds:
                if refund.state not in {'draft', 'rejected'}:
                    raise RefundError(gettext(
                            'aishang_cashier.msg_refund_delete',
                            refund=refund.rec_name))

    @classmethod
    @ModelView.button
    def request(cls, refunds):
        """Plan each refund and ask for its review.

        The state is set first: a request that needs no review is applied
        at once and moves the refund on to done."""
        Request = Pool().get('review.request')
        refunds = [r for r in refunds if r.state == 'draft']
        for refund in refunds:
            refund.plan()
        cls.wait_review(refunds)
        for refund in cls.browse(refunds):
            Request.submit(refund.operation, refund, refund.amount,
                refund.reason,
                changes=refund.review_changes(),
                company=refund.company,
                description=f'{refund.party.rec_name} {refund.rec_name}')

    @classmethod
    @Workflow.transition('requested')
    def wait_review(cls, refunds):
        pass

    @classmethod
    @ModelView.button
    @Workflow.transition('draft')
    def draft(cls, refunds):
        pass

    def review_changes(self):
        return [(line.label, str(line.received), str(-line.amount))
            for line in self.lines] or [
            (self.owner_account.rec_name, str(self.owner_account.balance),
                str(self.owner_account.balance - self.amount))]

    def plan(self):
        """Split the refund over the receipt's lines, with the discounts
        it takes back (DOMAIN_RULES 10); refuse zero or too much."""
        Line = Pool().get('property.refund.line')
        Line.delete(self.lines)
        if self.kind == 'account':
            balance = self.owner_account.balance
            if self.amount > balance:
                raise RefundError(gettext(
                        'aishang_cashier.msg_refund_excess',
                        refund=self.rec_name, refundable=balance))
            return
        receipt_lines = [l for l in self.receipt.lines
            if l.amount - (l.refunded or ZERO) > 0]
        received = [l.amount - (l.refunded or ZERO) for l in receipt_lines]
        discounts = [l.discount or ZERO for l in receipt_lines]
        try:
            parts = settle.refund_parts(received, discounts, self.amount)
        except settle.SettleError:
            raise RefundError(gettext(
                    'aishang_cashier.msg_refund_excess',
                    refund=self.rec_name,
                    refundable=sum(received, ZERO)))
        Line.create([{
                    'refund': self.id, 'receipt_line': l.id,
                    'received': r, 'amount': amount, 'discount': discount}
                for l, r, (amount, discount) in zip(
                    receipt_lines, received, parts) if amount])

    @classmethod
    def review_apply(cls, request):
        cls.process([cls(request.target.id)])

    @classmethod
    def review_rejected(cls, request):
        cls.reject([cls(request.target.id)])

    review_cancelled = review_rejected

    @classmethod
    @Workflow.transition('rejected')
    def reject(cls, refunds):
        pass

    @classmethod
    @Workflow.transition('done')
    def process(cls, refunds):
        """Give the money back: the bills reopen by what is refunded and
        the discount taken back; the owner account loses what it held."""
        pool = Pool()
        Bill = pool.get('property.bill')
        Account = pool.get('property.owner_account')
        ReceiptLine = pool.get('property.receipt.line')
        Date = pool.get('ir.date')
        today = Date.today()
        for refund in refunds:
            if refund.kind == 'receipt':
                refund.plan()
        refunds = cls.browse(refunds)
        bills = [l.receipt_line.bill for r in refunds for l in r.lines
            if l.receipt_line.bill]
        Bill.lock(bills)
        bill_map = {b.id: b for b in Bill.browse([b.id for b in bills])}
        changes, accounts, line_writes = [], defaultdict(dict), []
        for refund in refunds:
            if refund.kind == 'account':
                accounts[refund][refund.owner_account] = refund.amount
                continue
            for line in refund.lines:
                rline = line.receipt_line
                line_writes.extend(([rline], {
                            'refunded': (rline.refunded or ZERO)
                            + line.amount}))
                if rline.bill:
                    changes.append((bill_map[rline.bill.id], -line.amount,
                            -line.discount, refund.reason))
                elif rline.owner_account:
                    accounts[refund][rline.owner_account] = (
                        accounts[refund].get(rline.owner_account, ZERO)
                        + line.amount)
        if line_writes:
            ReceiptLine.write(*line_writes)
        if changes:
            Bill.add_payments(changes, today)
        for refund, amounts in accounts.items():
            Account.withdraw(amounts, today, 'refund', refund=refund.id)
        cls.write(refunds, {'date': today})
        cls.post(cls.browse(refunds))

    @classmethod
    def post(cls, refunds):
        pool = Pool()
        Configuration = pool.get('property.billing.configuration')
        Move = pool.get('account.move')
        Period = pool.get('account.period')
        moves, posted = [], []
        for refund in refunds:
            company = refund.company
            journal = Configuration(1).get_multivalue(
                'receipt_journal', company=company.id)
            if not journal:
                continue
            moves.append(Move(company=company, journal=journal,
                    period=Period.find(company, date=refund.date),
                    date=refund.date, origin=refund,
                    description=refund.rec_name,
                    lines=move_lines(refund.amounts(), refund.rec_name)))
            posted.append(refund)
        if moves:
            Move.save(moves)
            Move.post(moves)
            cls.write(*[x for r, m in zip(posted, moves)
                    for x in ([r], {'move': m.id})])

    def amounts(self):
        "Signed amounts per account (debit positive), as a receipt's"
        amounts = defaultdict(Decimal)
        amounts[self.method.account] -= self.amount
        if self.kind == 'account':
            amounts[_liability(self.owner_account.fee_item)] += self.amount
            return amounts
        for line in self.lines:
            rline = line.receipt_line
            if rline.owner_account:
                amounts[_liability(rline.owner_account.fee_item)] += (
                    line.amount)
                continue
            receivable, revenue = _bill_accounts(rline.fee_item)
            principal, late_fee = line.split()
            amounts[receivable] += principal + line.discount
            amounts[revenue] -= line.discount
            if late_fee:
                amounts[rline.fee_item.account_late_fee or revenue] += late_fee
        return amounts


class RefundLine(ModelSQL, ModelView):
    "The part of a refund taken from one receipt line"
    __name__ = 'property.refund.line'
    refund = fields.Many2One(
        'property.refund', "Refund", required=True, ondelete='CASCADE')
    receipt_line = fields.Many2One(
        'property.receipt.line', "Receipt Line", required=True,
        ondelete='RESTRICT')
    received = fields.Numeric("Received", digits=(16, 2), readonly=True,
        help="What the line had received and not yet refunded.")
    amount = fields.Numeric("Refunded", digits=(16, 2), readonly=True)
    discount = fields.Numeric(
        "Discount Reversed", digits=(16, 2), readonly=True)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.__access__.add('refund')

    @property
    def label(self):
        rline = self.receipt_line
        return (rline.bill or rline.owner_account).rec_name

    def split(self):
        """The principal and late fee refunded: the late fee, paid last,
        is given back first."""
        rline = self.receipt_line
        # the receipt line counts this refund already
        refunded_before = (rline.refunded or ZERO) - self.amount
        late_fee_left = max((rline.late_fee or ZERO) - refunded_before, ZERO)
        late_fee = min(self.amount, late_fee_left)
        return self.amount - late_fee, late_fee
