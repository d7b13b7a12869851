# This file is part of Aishang Property. See the LICENSE file at the top level
# of this repository for full copyright notices and license terms.
import datetime as dt
from collections import defaultdict
from decimal import Decimal

from sql import Null
from sql.aggregate import Min, Sum
from sql.conditionals import Coalesce

from trytond.i18n import gettext
from trytond.model import Index, ModelSQL, ModelView, Workflow, fields
from trytond.modules.aishang_property.tools import in_max, lock_together
from trytond.pool import Pool
from trytond.pyson import Eval, If
from trytond.tools import grouped_slice
from trytond.transaction import Transaction, without_check_access

from . import settle
from .exceptions import ReceiptError
from .posting import ReceiptPostingMixin

ZERO = Decimal(0)
CENT = Decimal('0.01')


class Receipt(ReceiptPostingMixin, Workflow, ModelSQL, ModelView):
    """A receipt (收据): money taken at once for bills, prepayments or
    deposits, numbered per project without gaps"""
    __name__ = 'property.receipt'
    _rec_name = 'number'
    _states = {'readonly': Eval('state') != 'draft'}

    number = fields.Char("Number", readonly=True)
    company = fields.Many2One(
        'company.company', "Company", required=True, states=_states)
    project = fields.Many2One(
        'property.project', "Project", required=True, states=_states,
        domain=[('company', '=', Eval('company', -1))])
    resource = fields.Many2One(
        'property.resource', "Resource", states=_states,
        domain=[If(Eval('project'), ('project', '=', Eval('project', -1)),
                ())],
        help="Search by room code (2-1-301), owner name or phone.")
    party = fields.Many2One(
        'party.party', "Payer", required=True, states=_states,
        context={'company': Eval('company', -1)}, depends={'company'})
    date = fields.Date("Date", required=True, states=_states)
    cashier = fields.Many2One(
        'res.user', "Cashier", readonly=True,
        help="Who took the money.")
    lines = fields.One2Many(
        'property.receipt.line', 'receipt', "Lines", states=_states)
    payments = fields.One2Many(
        'property.receipt.payment', 'receipt', "Payments", states=_states,
        help="One line per method when the payer pays in several ways.")
    amount = fields.Function(
        fields.Numeric("Amount", digits=(16, 2)), 'get_totals')
    paid = fields.Function(
        fields.Numeric("Paid", digits=(16, 2)), 'get_totals')
    discount = fields.Function(
        fields.Numeric("Discount", digits=(16, 2)), 'get_totals')
    total = fields.Numeric("Total", digits=(16, 2), readonly=True,
        help="What was received, fixed when the receipt is issued.")
    refunds = fields.One2Many(
        'property.refund', 'receipt', "Refunds", readonly=True)
    note = fields.Text("Note")
    state = fields.Selection([
            ('draft', "Draft"),
            ('done', "Received"),
            ('void', "Void"),
            ], "State", readonly=True, required=True, sort=False)
    state_string = state.translated('state')
    move = fields.Many2One('account.move', "Account Move", readonly=True,
        ondelete='RESTRICT')
    void_move = fields.Many2One(
        'account.move', "Void Move", readonly=True, ondelete='RESTRICT')
    void_date = fields.Date("Void Date", readonly=True)
    void_reason = fields.Text("Void Reason", readonly=True)
    del _states

    def printed_cashier(self):
        "Who took the money, as the printed receipt says"
        return self.cashier.name if self.cashier else ''

    @classmethod
    def view_attributes(cls):
        return super().view_attributes() + [
            ('/tree', 'visual', If(Eval('state') == 'void', 'muted', '')),
            ]

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_indexes.update({
                Index(t, (t.project, Index.Equality()),
                    (t.number, Index.Equality())),
                Index(t, (t.party, Index.Equality())),
                Index(t, (t.cashier, Index.Equality()),
                    (t.date, Index.Range())),
                Index(t, (t.date, Index.Range())),
                })
        cls._order = [('date', 'DESC'), ('id', 'DESC')]
        cls._transitions |= {
            ('draft', 'done'),
            ('done', 'void'),
            }
        cls._buttons.update({
                'add_open_bills': {
                    'invisible': Eval('state') != 'draft',
                    'readonly': ~Eval('resource') & ~Eval('party'),
                    'depends': ['state', 'resource', 'party'],
                    },
                'collect': {
                    'invisible': Eval('state') != 'draft',
                    'depends': ['state'],
                    },
                'request_void': {
                    'invisible': Eval('state') != 'done',
                    'depends': ['state'],
                    },
                })

    @staticmethod
    def default_company():
        return Transaction().context.get('company')

    @staticmethod
    def default_state():
        return 'draft'

    @classmethod
    def default_date(cls):
        return Pool().get('ir.date').today()

    @classmethod
    def get_totals(cls, receipts, names):
        "Sum the lines and payments of receipts in SQL"
        pool = Pool()
        Line = pool.get('property.receipt.line')
        Payment = pool.get('property.receipt.payment')
        line, payment = Line.__table__(), Payment.__table__()
        cursor = Transaction().connection.cursor()
        ids = [r.id for r in receipts]
        result = {n: dict.fromkeys(ids, ZERO) for n in names}
        queries = []
        for sub in grouped_slice(ids, in_max()):
            sub = list(sub)
            queries.append((['amount', 'discount'], line.select(line.receipt,
                        Sum(line.amount), Sum(Coalesce(line.discount, 0)),
                        where=line.receipt.in_(sub),
                        group_by=[line.receipt])))
            queries.append((['paid'], payment.select(payment.receipt,
                        Sum(payment.amount),
                        where=payment.receipt.in_(sub),
                        group_by=[payment.receipt])))
        for columns, query in queries:
            if not set(columns) & set(names):
                continue
            cursor.execute(*query)
            for receipt_id, *values in cursor:
                for column, value in zip(columns, values):
                    if column in result:
                        # SQLite sums Numeric columns as floats
                        result[column][receipt_id] = Decimal(
                            str(value or 0)).quantize(CENT)
        return result

    @fields.depends('resource', 'party', 'project', 'company')
    def on_change_resource(self):
        if not self.resource:
            return
        self.project = self.resource.project
        self.company = self.resource.project.company
        # the primary owner comes first
        if self.resource.owners:
            self.party = self.resource.owners[0]

    def get_rec_name(self, name):
        return self.number or f'({self.id})'

    def refund_method(self):
        "The method money goes back by: the first one paid with new money"
        return next((p.method for p in self.payments
                if not p.method.from_balance), None)

    @classmethod
    def copy(cls, receipts, default=None):
        default = default.copy() if default is not None else {}
        for field in ['number', 'move', 'void_move', 'void_date',
                'void_reason', 'total', 'cashier', 'lines', 'payments',
                'refunds']:
            default.setdefault(field, None)
        default.setdefault('state', 'draft')
        default.setdefault('date', cls.default_date())
        return super().copy(receipts, default=default)

    @classmethod
    def check_modification(cls, mode, receipts, values=None, external=False):
        super().check_modification(
            mode, receipts, values=values, external=external)
        if mode == 'delete':
            for receipt in receipts:
                if receipt.state != 'draft':
                    raise ReceiptError(gettext(
                            'aishang_cashier.msg_receipt_delete',
                            receipt=receipt.rec_name))

    @classmethod
    @ModelView.button
    def add_open_bills(cls, receipts):
        "Fill the lines with the open bills of the resource, oldest first"
        pool = Pool()
        Bill = pool.get('property.bill')
        Line = pool.get('property.receipt.line')
        to_create = []
        for receipt in receipts:
            domain = [
                ('project', '=', receipt.project.id),
                ('state', 'in', ['open', 'partial']),
                ]
            if receipt.resource:
                domain.append(('resource', '=', receipt.resource.id))
            else:
                domain.append(('party', '=', receipt.party.id))
            taken = {l.bill for l in receipt.lines if l.bill}
            for bill in Bill.search(domain):
                if bill not in taken:
                    to_create.append(Line.values_for_bill(receipt, bill))
        Line.create(to_create)

    @classmethod
    @ModelView.button
    @Workflow.transition('done')
    def collect(cls, receipts):
        """Take the money: settle the bills, fill the owner accounts,
        number the receipts and post them.

        The bills and accounts are locked first: two cashiers collecting
        the same bill at once cannot both succeed; the second one is told
        the bill has changed.
        """
        pool = Pool()
        Bill = pool.get('property.bill')
        Project = pool.get('property.project')
        User = pool.get('res.user')
        Date = pool.get('ir.date')
        bills = [l.bill for r in receipts for l in r.lines if l.bill]
        Sequence = pool.get('ir.sequence.strict')
        Configuration = pool.get('property.billing.configuration')
        projects = list({r.project for r in receipts})
        # Every lock the collection takes, asked for before any work and
        # at once: each lock asked for later restarts the transaction
        locks = [(Bill, bills), (Project, projects),
            (Sequence, [p.receipt_sequence for p in projects
                    if p.receipt_sequence]),
            (pool.get('property.owner_account'), [p.owner_account
                    for r in receipts for p in r.payments
                    if p.owner_account])]
        for company in {r.company for r in receipts}:
            locks.extend(Bill.posting_locks(company,
                    Configuration(1).get_multivalue(
                        'receipt_journal', company=company.id)))
        lock_together(*locks)
        # Read the bills again: they may have changed before the lock
        bills = Bill.browse([b.id for b in bills])
        bill_map = {b.id: b for b in bills}
        for receipt in receipts:
            receipt.check_lines(bill_map)
            receipt.check_payments()
        pool.get('property.receipt.line').save(
            [l for r in receipts for l in r.lines])
        cls.check_oldest_first(receipts, bill_map)
        user = User(Transaction().user)
        today = Date.today()
        # The button's access was checked; the bookkeeping it does on
        # bills, accounts, sequences and moves is not the cashier's to have
        with without_check_access():
            for receipt in receipts:
                receipt.number = (
                    receipt.project.get_receipt_sequence().get())
                receipt.cashier = user
                receipt.date = today
                receipt.total = receipt.amount
            cls.save(receipts)
            cls.apply_to_bills(receipts, bill_map, sign=1)
            cls.move_owner_accounts(receipts, sign=1)
            cls.post_receipts(receipts)

    def check_lines(self, bill_map):
        if not self.lines:
            raise ReceiptError(gettext(
                    'aishang_cashier.msg_receipt_no_line',
                    receipt=self.rec_name))
        for line in self.lines:
            line.check_amount(bill_map.get(line.bill.id) if line.bill else None)

    def check_payments(self):
        paid, amount = self.paid, self.amount
        if paid != amount:
            raise ReceiptError(gettext(
                    'aishang_cashier.msg_receipt_unbalanced',
                    receipt=self.rec_name, amount=amount, paid=paid))
        for payment in self.payments:
            payment.check_method()

    @classmethod
    def check_oldest_first(cls, receipts, bill_map):
        """Refuse receipts paying a bill while an older one of the same
        resource and fee item stays open (DOMAIN_RULES 9)."""
        pool = Pool()
        Bill = pool.get('property.bill')
        Line = pool.get('property.receipt.line')
        older = cls._oldest_open_outside(
            [l.bill.id for r in receipts for l in r.lines if l.bill])
        for receipt in receipts:
            dues, parts = [], []
            for line in receipt.lines:
                if not line.bill:
                    continue
                bill = bill_map[line.bill.id]
                due = Line.due_of(bill)
                # the discount settles its part of the principal
                dues.append(due._replace(
                        principal=due.principal - (line.discount or ZERO)))
                parts.append(settle.Part(
                        bill.id, line.principal, line.late_fee))
            offending = settle.check_oldest_first(dues, parts, older)
            if offending:
                raise ReceiptError(gettext(
                        'aishang_cashier.msg_receipt_oldest_first',
                        bill=Bill(offending).rec_name))

    @classmethod
    def _slices_by_group(cls, bill_ids, size):
        """bill_ids in slices of about size ids that never split a resource
        and fee item: a bill of the group in another slice would count as
        left out of the collection."""
        Bill = Pool().get('property.bill')
        groups = defaultdict(list)
        for sub in grouped_slice(bill_ids, in_max()):
            for row in Bill.read(list(sub), ['resource', 'fee_item']):
                groups[(row['resource'] or 0, row['fee_item'] or 0)].append(
                    row['id'])
        current = []
        for key in sorted(groups):
            if current and len(current) + len(groups[key]) > size:
                yield current
                current = []
            current.extend(groups[key])
        if current:
            yield current

    @classmethod
    def _oldest_open_outside(cls, bill_ids):
        """Map (resource, fee item) of bill_ids to the order of the oldest
        open bill of that group not in bill_ids, in one query per slice."""
        Bill = Pool().get('property.bill')
        bill = Bill.__table__()
        other = Bill.__table__()
        cursor = Transaction().connection.cursor()
        result = {}
        for sub in cls._slices_by_group(bill_ids, in_max() // 2):
            query = bill.join(other, condition=(
                    (other.resource == bill.resource)
                    & (other.fee_item == bill.fee_item))
                ).select(
                other.resource, other.fee_item,
                Min(other.period_start), Min(other.id),
                where=bill.id.in_(sub) & ~other.id.in_(sub)
                & other.state.in_(['open', 'partial'])
                & (other.resource != Null)
                & (other.period_start != Null)
                & (other.period_start < bill.period_start),
                group_by=[other.resource, other.fee_item])
            cursor.execute(*query)
            for resource, fee_item, start, id_ in cursor:
                if isinstance(start, str):
                    start = dt.date.fromisoformat(start)
                key = (resource, fee_item)
                order = (start, id_)
                if key not in result or order < result[key]:
                    result[key] = order
        return result

    @classmethod
    def apply_to_bills(cls, receipts, bill_map, sign):
        "Add (sign 1) or take back (sign -1) what receipts paid on bills"
        Bill = Pool().get('property.bill')
        changes = defaultdict(lambda: [ZERO, ZERO])
        descriptions = {}
        for receipt in receipts:
            for line in receipt.lines:
                if not line.bill:
                    continue
                change = changes[line.bill.id]
                change[0] += sign * line.amount
                change[1] += sign * (line.discount or ZERO)
                descriptions[line.bill.id] = receipt.number
        if changes:
            Bill.add_payments(
                [(bill_map[i], p, d, descriptions[i])
                    for i, (p, d) in changes.items()],
                Pool().get('ir.date').today())

    @classmethod
    def move_owner_accounts(cls, receipts, sign):
        """Credit the accounts collected into and debit those paid from.

        sign -1 reverses a voided receipt; taking back a collection that
        was spent since is refused by the withdrawal."""
        pool = Pool()
        Account = pool.get('property.owner_account')
        Move = pool.get('property.owner_account.move')
        date = pool.get('ir.date').today()
        ins, outs = defaultdict(list), defaultdict(ZERO.__class__)
        for receipt in receipts:
            for line in receipt.lines:
                if line.owner_account:
                    ins[(line.owner_account, receipt)].append(line.amount)
            for payment in receipt.payments:
                if payment.owner_account:
                    outs[(payment.owner_account, receipt)] += payment.amount
        kind = 'collect' if sign > 0 else 'void'
        credits = {k: sum(v, ZERO) for k, v in ins.items()}
        debits = outs
        if sign < 0:
            credits, debits = debits, credits
        if debits:
            by_receipt = defaultdict(dict)
            for (account, receipt), amount in debits.items():
                by_receipt[receipt][account] = amount
            for receipt, amounts in by_receipt.items():
                Account.withdraw(amounts, date,
                    'offset' if sign > 0 else 'void', receipt=receipt.id)
        Move.create([{
                    'account': account.id, 'date': date, 'kind': kind,
                    'amount': amount, 'receipt': receipt.id}
                for (account, receipt), amount in credits.items()
                if amount])

    def check_voidable(self):
        "A receipt with refunds, done or under review, cannot be voided"
        if (any(l.refunded for l in self.lines)
                or any(r.state in {'requested', 'done'}
                    for r in self.refunds)):
            raise ReceiptError(gettext(
                    'aishang_cashier.msg_receipt_void_refunded',
                    receipt=self.rec_name))

    @classmethod
    @ModelView.button_action('aishang_cashier.wizard_receipt_void')
    def request_void(cls, receipts):
        pass

    @classmethod
    def review_apply(cls, request):
        "Void the receipt once its review is approved (S4)"
        receipt = cls(request.target.id)
        cls.void([receipt], request.reason)

    @classmethod
    @Workflow.transition('void')
    def void(cls, receipts, reason=None):
        """Void received receipts: they keep their number, their bills
        reopen, their owner-account movements and their move are
        reversed."""
        pool = Pool()
        Bill = pool.get('property.bill')
        for receipt in receipts:
            receipt.check_voidable()
        bills = [l.bill for r in receipts for l in r.lines if l.bill]
        Bill.lock(bills)
        bill_map = {b.id: b for b in Bill.browse([b.id for b in bills])}
        cls.apply_to_bills(receipts, bill_map, sign=-1)
        cls.move_owner_accounts(receipts, sign=-1)
        cls.write(receipts, {
                'void_date': pool.get('ir.date').today(),
                'void_reason': reason,
                })
        cls.post_receipts(receipts, void=True)
