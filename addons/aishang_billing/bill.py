# This file is part of Aishang Property. See the LICENSE file at the top level
# of this repository for full copyright notices and license terms.
import datetime as dt
from collections import defaultdict
from decimal import Decimal

from sql import Cast, Literal, Null
from sql.conditionals import Coalesce
from sql.functions import Round
from sql.operators import Concat

from trytond.i18n import gettext
from trytond.model import (
    Index, ModelSQL, ModelView, Unique, Workflow, fields)
from trytond.modules.aishang_property.tools import in_max
from trytond.pool import Pool
from trytond.pyson import Eval, If
from trytond.tools import grouped_slice
from trytond.transaction import Transaction

from . import money
from .account import BillPostingMixin
from .exceptions import BillDeleteError, BillValidationError
from .sqltools import invalidate

ZERO = Decimal(0)
STATES = [
    ('draft', "Draft"),
    ('open', "Open"),
    ('partial', "Partially Paid"),
    ('paid', "Paid"),
    ('void', "Void"),
    ]
# States in which a bill is owed and counts in the receivable ledger.
RECEIVABLE_STATES = ['open', 'partial', 'paid']
ORIGINS = [
    ('run', "Bill Run"),
    ('import', "Import"),
    ('manual', "Manual"),
    ('meter', "Meter Reading"),
    ('ticket', "Service Ticket"),
    ]


def bill_number_sql(table):
    """Number a bill after its id, in SQL so that runs number in one go.

    Adding 10,000,000 gives fixed-width numbers that sort as they were
    created without a padding function, which SQLite and PostgreSQL spell
    differently.
    """
    return Concat(Literal('ZD'), Cast(table.id + 10000000, 'VARCHAR'))


def bill_number(id_):
    "The number bill_number_sql gives to the bill id_"
    return f'ZD{id_ + 10000000}'


def balance_sql(table):
    # Rounded because SQLite computes with floats: 33.33 - 1.67 - 31.66
    # would leave -3.6e-15
    return Round(Coalesce(table.amount, 0) + Coalesce(table.late_fee, 0)
        - Coalesce(table.discount, 0) - Coalesce(table.paid, 0), 2)


class Bill(BillPostingMixin, Workflow, ModelSQL, ModelView):
    "A receivable bill (应收账单): one fee item, one resource, one period"
    __name__ = 'property.bill'
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
        domain=[('project', '=', Eval('project', -1))],
        help="Empty for a charge to a party without a resource.")
    building = fields.Many2One(
        'property.building', "Building", readonly=True,
        help="The resource's building when billed, kept for the ledgers.")
    party = fields.Many2One(
        'party.party', "Payer", states=_states,
        context={'company': Eval('company', -1)}, depends={'company'},
        help="The owner billed: the primary owner at billing time.")
    fee_item = fields.Many2One(
        'property.fee_item', "Fee Item", required=True, states=_states,
        domain=[('company', '=', Eval('company', -1))])
    period_start = fields.Date("Period Start", states=_states)
    period_end = fields.Date(
        "Period End", states=_states,
        domain=[If(Eval('period_start') & Eval('period_end'),
                ('period_end', '>=', Eval('period_start')), ())])
    # The period start while the bill counts; cleared on void so that the
    # period can be billed again. The unique key is on it.
    period_key = fields.Date("Period Key", readonly=True)
    quantity = fields.Numeric(
        "Quantity", digits=(16, 4), states=_states,
        help="The area, head count or usage charged on.")
    unit_price = fields.Numeric("Unit Price", digits=(16, 4), states=_states)
    months = fields.Numeric(
        "Months", digits=(6, 2), states=_states,
        help="The months a monthly price is multiplied by.")
    days = fields.Integer(
        "Days Billed", states=_states,
        help="The days of the period billed, less than the period's when "
        "it is pro-rated.")
    period_days = fields.Integer("Days in Period", states=_states)
    amount = fields.Numeric(
        "Amount", digits=(16, 2), required=True, states=_states,
        help="The principal: quantity × unit price × months, pro-rated and "
        "rounded once.")
    late_fee = fields.Numeric(
        "Late Fee", digits=(16, 2), readonly=True)
    discount = fields.Numeric("Discount", digits=(16, 2), readonly=True)
    paid = fields.Numeric("Paid", digits=(16, 2), readonly=True)
    balance = fields.Numeric(
        "Balance", digits=(16, 2), readonly=True,
        help="Amount and late fee less discount and payments.")
    due_date = fields.Date("Due Date", states=_states)
    overdue = fields.Function(
        fields.Boolean("Overdue"), 'get_overdue', searcher='search_overdue')
    state = fields.Selection(
        STATES, "State", readonly=True, required=True, sort=False)
    state_string = state.translated('state')
    origin = fields.Selection(
        ORIGINS, "Origin", required=True, states=_states, sort=False)
    origin_string = origin.translated('origin')
    run = fields.Many2One('property.bill.run', "Bill Run", readonly=True,
        ondelete='RESTRICT')
    move = fields.Many2One('account.move', "Account Move", readonly=True,
        ondelete='RESTRICT')
    description = fields.Char("Description", states=_states)
    lines = fields.One2Many(
        'property.bill.line', 'bill', "Adjustments", readonly=True)
    changes = fields.One2Many(
        'property.bill.change', 'bill', "Change Log", readonly=True)
    del _states

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_constraints = [
            ('bill_period_uniq',
                Unique(t, t.resource, t.fee_item, t.period_key),
                'aishang_billing.msg_bill_period_unique'),
            ]
        cls._sql_indexes.update({
                Index(t, (t.party, Index.Equality()),
                    (t.state, Index.Equality())),
                Index(t, (t.project, Index.Equality()),
                    (t.period_start, Index.Range())),
                Index(t, (t.run, Index.Equality())),
                Index(t, (t.number, Index.Equality())),
                Index(t, (t.state, Index.Equality(cardinality='low')),
                    where=t.state.in_(['open', 'partial'])),
                })
        cls._order = [
            ('period_start', 'ASC NULLS FIRST'), ('id', 'ASC')]
        cls._transitions |= {
            ('draft', 'open'),
            ('draft', 'void'),
            ('open', 'void'),
            ('open', 'partial'),
            ('open', 'paid'),
            ('partial', 'paid'),
            ('partial', 'open'),
            ('paid', 'partial'),
            ('paid', 'open'),
            }
        cls._buttons.update({
                'issue': {
                    'invisible': Eval('state') != 'draft',
                    'depends': ['state'],
                    },
                'void': {
                    'invisible': Eval('state') != 'draft',
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
    def default_origin():
        return 'manual'

    @classmethod
    def default_late_fee(cls):
        return ZERO

    @classmethod
    def default_discount(cls):
        return ZERO

    @classmethod
    def default_paid(cls):
        return ZERO

    @fields.depends('resource', '_parent_resource.building')
    def on_change_resource(self):
        if self.resource:
            self.building = self.resource.building

    @staticmethod
    def overdue_on(state, due_date, date):
        "Whether a bill in state, due on due_date, is overdue on date"
        return bool(state in {'open', 'partial'} and due_date
            and due_date < date)

    def get_overdue(self, name):
        Date = Pool().get('ir.date')
        return self.overdue_on(self.state, self.due_date, Date.today())

    @classmethod
    def search_overdue(cls, name, clause):
        Date = Pool().get('ir.date')
        _, operator, value = clause[:3]
        overdue = [
            ('state', 'in', ['open', 'partial']),
            ('due_date', '<', Date.today()),
            ]
        if (operator == '=') == bool(value):
            return overdue
        return ['OR',
            ('state', 'not in', ['open', 'partial']),
            ('due_date', '=', None),
            ('due_date', '>=', Date.today()),
            ]

    @classmethod
    def preprocess_values(cls, mode, values):
        pool = Pool()
        Resource = pool.get('property.resource')
        values = super().preprocess_values(mode, values)
        if mode == 'create':
            if values.get('resource') and 'building' not in values:
                building = Resource(values['resource']).building
                values['building'] = building.id if building else None
            values.setdefault('period_key', values.get('period_start'))
        return values

    @classmethod
    def on_modification(cls, mode, bills, field_names=None):
        super().on_modification(mode, bills, field_names=field_names)
        if mode == 'create':
            cls.set_number(bills)
        if mode == 'create' or (field_names or set()) & {
                'amount', 'late_fee', 'discount', 'paid'}:
            cls.update_balance(bills)

    @classmethod
    def update_balance(cls, bills):
        """Recompute the stored balance of bills, one statement per batch.

        The balance is stored so that ledgers and the cashier can sum it
        in SQL.
        """
        table = cls.__table__()
        cursor = Transaction().connection.cursor()
        for sub in grouped_slice([b.id for b in bills], in_max()):
            cursor.execute(*table.update(
                    [table.balance], [balance_sql(table)],
                    where=table.id.in_(list(sub))))
        invalidate(bills)

    @classmethod
    def set_number(cls, bills):
        table = cls.__table__()
        cursor = Transaction().connection.cursor()
        for sub in grouped_slice([b.id for b in bills], in_max()):
            cursor.execute(*table.update(
                    [table.number], [bill_number_sql(table)],
                    where=table.id.in_(list(sub)) & (table.number == Null)))
        invalidate(bills)

    @classmethod
    def copy(cls, bills, default=None):
        default = default.copy() if default is not None else {}
        for field in ['number', 'run', 'move', 'period_key', 'late_fee',
                'discount', 'paid', 'balance', 'lines', 'changes']:
            default.setdefault(field, None)
        default.setdefault('origin', 'manual')
        return super().copy(bills, default=default)

    @classmethod
    def check_modification(cls, mode, bills, values=None, external=False):
        super().check_modification(
            mode, bills, values=values, external=external)
        if mode == 'delete':
            for bill in bills:
                if bill.state != 'draft':
                    raise BillDeleteError(gettext(
                            'aishang_billing.msg_bill_delete_issued',
                            bill=bill.rec_name))

    @classmethod
    def validate_fields(cls, bills, field_names):
        super().validate_fields(bills, field_names)
        if field_names and not (field_names & {'amount', 'fee_item'}):
            return
        for bill in bills:
            if bill.amount is not None and bill.amount < 0:
                raise BillValidationError(gettext(
                        'aishang_billing.msg_bill_negative',
                        bill=bill.rec_name))

    @classmethod
    @ModelView.button
    @Workflow.transition('open')
    def issue(cls, bills):
        "Open draft bills and post them to accounting"
        cls.post_bills(bills)

    @classmethod
    @ModelView.button
    @Workflow.transition('void')
    def void(cls, bills):
        # Open bills are voided through review (A1), which calls this.
        cls.write(bills, {'period_key': None})

    @classmethod
    def cron_late_fees(cls):
        "Bring the late fees of overdue bills up to today"
        Date = Pool().get('ir.date')
        bills = cls.search([
                ('state', 'in', ['open', 'partial']),
                ('due_date', '<', Date.today()),
                ('fee_item.late_fee', '=', True),
                ])
        cls.compute_late_fees(bills, Date.today())

    @classmethod
    def compute_late_fees(cls, bills, date):
        """Set the late fee of bills as of date, on its own line.

        One late-fee line per bill is kept and updated as days pass: the
        fee is recomputed from the principal, never from an earlier fee, so
        it is never compounded (DOMAIN_RULES 4). Late fees are booked when
        they are collected, not here.
        """
        Line = Pool().get('property.bill.line')
        existing = {}
        for sub in grouped_slice([b.id for b in bills], in_max()):
            existing.update((l.bill, l) for l in Line.search([
                        ('bill', 'in', list(sub)),
                        ('kind', '=', 'late_fee'),
                        ]))
        to_create = []
        # Records by new value, so that each value is one UPDATE
        lines_by_fee, bills_by_fee = defaultdict(list), defaultdict(list)
        for bill in bills:
            fee_item = bill.fee_item
            if not fee_item.late_fee or not bill.due_date:
                continue
            principal = max(
                bill.amount - (bill.discount or ZERO) - (bill.paid or ZERO),
                ZERO)
            cap = None
            if fee_item.late_fee_cap is not None:
                cap = money.round_money(
                    bill.amount * fee_item.late_fee_cap / 100)
            fee = money.late_fee(principal, bill.due_date, date,
                fee_item.late_fee_rate, fee_item.late_fee_grace_days or 0,
                cap, fee_item.digits, fee_item.rounding_mode)
            line = existing.get(bill)
            if line:
                if line.amount != fee:
                    lines_by_fee[fee].append(line)
            elif fee:
                to_create.append({'bill': bill.id, 'kind': 'late_fee',
                        'amount': fee, 'date': date})
            if fee != (bill.late_fee or ZERO):
                bills_by_fee[fee].append(bill)
        if to_create:
            Line.create(to_create)
        if lines_by_fee:
            Line.write(*[x for fee, lines in lines_by_fee.items()
                    for x in (lines, {'amount': fee, 'date': date})])
        if bills_by_fee:
            cls.write(*[x for fee, bills in bills_by_fee.items()
                    for x in (bills, {'late_fee': fee})])

    @classmethod
    def change_amount(cls, bill, amount, reason):
        """Set the amount of an issued bill, logged and posted.

        The review of risky changes (A1) calls this once approved; the
        difference is posted so that the receivable still equals the open
        balances.
        """
        if bill.state not in {'open', 'partial'}:
            raise BillValidationError(gettext(
                    'aishang_billing.msg_bill_change_state',
                    bill=bill.rec_name))
        if amount < (bill.paid or ZERO) + (bill.discount or ZERO):
            raise BillValidationError(gettext(
                    'aishang_billing.msg_bill_change_below_paid',
                    bill=bill.rec_name))
        delta = amount - bill.amount
        BillChange = Pool().get('property.bill.change')
        BillChange.log(bill, 'amount', bill.amount, amount, reason)
        cls.write([bill], {'amount': amount})
        if bill.move:
            cls.post_amounts(bill.company, bill.project,
                [(bill.fee_item.id, delta)], origin=bill)


class BillLine(ModelSQL, ModelView):
    "An adjustment of a bill shown on its own line: late fee, discount…"
    __name__ = 'property.bill.line'
    bill = fields.Many2One(
        'property.bill', "Bill", required=True, ondelete='CASCADE')
    kind = fields.Selection([
            ('late_fee', "Late Fee"),
            ('discount', "Discount"),
            ], "Kind", required=True)
    kind_string = kind.translated('kind')
    amount = fields.Numeric("Amount", digits=(16, 2), required=True)
    date = fields.Date("Date", required=True)
    description = fields.Char("Description")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.__access__.add('bill')
        t = cls.__table__()
        cls._sql_indexes.add(Index(t, (t.bill, Index.Equality()),
                (t.kind, Index.Equality())))


class BillChange(ModelSQL, ModelView):
    "A change of a bill kept for audit: who, when, before, after, why"
    __name__ = 'property.bill.change'
    bill = fields.Many2One(
        'property.bill', "Bill", required=True, ondelete='CASCADE',
        readonly=True)
    user = fields.Many2One('res.user', "User", readonly=True, required=True)
    date = fields.DateTime("Date", readonly=True, required=True)
    field = fields.Char("Field", readonly=True, required=True)
    old_value = fields.Char("Before", readonly=True)
    new_value = fields.Char("After", readonly=True)
    reason = fields.Text("Reason", readonly=True, required=True)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.__access__.add('bill')
        cls._order = [('date', 'DESC'), ('id', 'DESC')]

    @classmethod
    def log(cls, bill, field, old_value, new_value, reason):
        return cls.create([{
                    'bill': bill.id,
                    'user': Transaction().user,
                    'date': dt.datetime.now(),
                    'field': field,
                    'old_value': str(old_value),
                    'new_value': str(new_value),
                    'reason': reason,
                    }])[0]
