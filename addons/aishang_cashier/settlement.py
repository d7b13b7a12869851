# This file is part of Aishang Property. See the LICENSE file at the top level
# of this repository for full copyright notices and license terms.
"""Shift close (交班) and daily settlement (日结) of the cashiers (C8).

A shift close counts, for one cashier, what was collected, voided and
refunded up to its day and not yet counted in a closed settlement. Closing
links those receipts and refunds to it and stores the totals by payment
method, so that they never change afterwards: a later void or refund
counts, as a negative amount, in the settlement of the day it is made.

The daily settlement of a company has no cashier: it sums the closed shift
closes of its day, all cashiers together.
"""
import datetime as dt
from collections import defaultdict
from decimal import Decimal

from sql import Null
from sql.aggregate import Count, Sum
from sql.conditionals import Coalesce
from sql.operators import Equal

from trytond.exceptions import UserError, UserWarning
from trytond.i18n import gettext
from trytond.model import (
    Exclude, Index, ModelSQL, ModelView, Workflow, fields)
from trytond.modules.aishang_property.tools import in_max
from trytond.pool import Pool, PoolMeta
from trytond.pyson import Eval
from trytond.tools import grouped_slice
from trytond.transaction import Transaction

ZERO = Decimal(0)
CENT = Decimal('0.01')


class SettlementError(UserError):
    pass


class SettlementPendingWarning(UserWarning):
    pass


def _decimal(value):
    "SQLite sums Numeric columns as floats"
    if value is None:
        return ZERO
    return Decimal(str(value)).quantize(CENT)


def _forget(model_name):
    "Forget what the transaction cached of model_name after raw SQL"
    transaction = Transaction()
    transaction.counter += 1
    for cache in transaction.cache.values():
        cache.pop(model_name, None)


class Settlement(Workflow, ModelSQL, ModelView):
    """A cashier's shift close (交班), or the daily settlement (日结) of
    every cashier, by payment method"""
    __name__ = 'property.cashier.settlement'
    __string__ = "Cashier Settlement"
    _states = {'readonly': Eval('state') != 'draft'}

    company = fields.Many2One(
        'company.company', "Company", required=True, states=_states)
    kind = fields.Selection([
            ('shift', "Shift Close"),
            ('day', "Daily Settlement"),
            ], "Kind", required=True, states=_states, sort=False,
        help="A shift close counts the money of one cashier; the daily "
        "settlement sums the closed shift closes of its day.")
    kind_string = kind.translated('kind')
    cashier = fields.Many2One(
        'res.user', "Cashier",
        states={
            'readonly': _states['readonly'],
            'invisible': Eval('kind') != 'shift',
            'required': Eval('kind') == 'shift',
            },
        help="The cashier whose shift is closed.")
    date = fields.Date(
        "Date", required=True, states=_states,
        help="The day closed. A shift close counts what the cashier "
        "collected, voided and refunded up to this day and did not count "
        "in a closed settlement yet.")
    state = fields.Selection([
            ('draft', "Draft"),
            ('closed', "Closed"),
            ], "State", readonly=True, required=True, sort=False)
    state_string = state.translated('state')
    closed_by = fields.Many2One('res.user', "Closed By", readonly=True)
    closed_at = fields.DateTime("Closed At", readonly=True)
    lines = fields.One2Many(
        'property.cashier.settlement.line', 'settlement', "Lines",
        readonly=True,
        help="The totals by payment method; a preview while in draft.")
    receipts = fields.One2Many(
        'property.receipt', 'settlement', "Receipts", readonly=True,
        states={'invisible': Eval('kind') != 'shift'},
        help="The receipts whose collection is counted.")
    voided_receipts = fields.One2Many(
        'property.receipt', 'void_settlement', "Voided Receipts",
        readonly=True, states={'invisible': Eval('kind') != 'shift'},
        help="The receipts whose void is counted, as money given back.")
    refunds = fields.One2Many(
        'property.refund', 'settlement', "Refunds", readonly=True,
        states={'invisible': Eval('kind') != 'shift'})
    shifts = fields.One2Many(
        'property.cashier.settlement', 'day_settlement', "Shift Closes",
        readonly=True, states={'invisible': Eval('kind') != 'day'},
        help="The shift closes the daily settlement sums.")
    day_settlement = fields.Many2One(
        'property.cashier.settlement', "Daily Settlement", readonly=True,
        ondelete='RESTRICT')
    receipt_count = fields.Integer("Receipts Collected", readonly=True)
    void_count = fields.Integer("Receipts Voided", readonly=True)
    refund_count = fields.Integer("Refunds Made", readonly=True)
    received = fields.Numeric("Received", digits=(16, 2), readonly=True)
    refunded = fields.Numeric(
        "Given Back", digits=(16, 2), readonly=True,
        help="Voided receipts and refunds.")
    net = fields.Numeric("Net", digits=(16, 2), readonly=True,
        help="Received less given back.")
    note = fields.Text("Note")
    del _states

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_constraints = [
            ('cashier_date_uniq',
                Exclude(t, (t.company, Equal),
                    (Coalesce(t.cashier, -1), Equal), (t.date, Equal)),
                'aishang_cashier.msg_settlement_unique'),
            ]
        cls._sql_indexes.update({
                Index(t, (t.day_settlement, Index.Equality())),
                Index(t, (t.company, Index.Equality()),
                    (t.date, Index.Range())),
                })
        cls._order = [('date', 'DESC'), ('id', 'DESC')]
        cls._transitions |= {('draft', 'closed')}
        cls._buttons.update({
                'compute': {
                    'invisible': Eval('state') != 'draft',
                    'depends': ['state'],
                    },
                'close': {
                    'invisible': Eval('state') != 'draft',
                    'depends': ['state'],
                    },
                })

    @staticmethod
    def default_company():
        return Transaction().context.get('company')

    @staticmethod
    def default_kind():
        return 'shift'

    @staticmethod
    def default_cashier():
        return Transaction().user

    @classmethod
    def default_date(cls):
        return Pool().get('ir.date').today()

    @staticmethod
    def default_state():
        return 'draft'

    @fields.depends('kind', 'cashier')
    def on_change_kind(self):
        if self.kind == 'day':
            self.cashier = None

    def get_rec_name(self, name):
        who = self.cashier.rec_name if self.cashier else self.kind_string
        return f'{who} {self.date}'

    @classmethod
    def search_rec_name(cls, name, clause):
        return [('cashier.rec_name', *clause[1:])]

    @classmethod
    def preprocess_values(cls, mode, values):
        values = super().preprocess_values(mode, values)
        # the cashier defaults to the user, who settles the day for all
        if values.get('kind') == 'day':
            values['cashier'] = None
        return values

    @classmethod
    def validate_fields(cls, settlements, field_names):
        super().validate_fields(settlements, field_names)
        if field_names and not (field_names & {'kind', 'cashier'}):
            return
        for settlement in settlements:
            if (settlement.kind == 'shift') != bool(settlement.cashier):
                raise SettlementError(gettext(
                        'aishang_cashier.msg_settlement_kind_cashier',
                        settlement=settlement.rec_name))

    @classmethod
    def check_modification(
            cls, mode, settlements, values=None, external=False):
        super().check_modification(
            mode, settlements, values=values, external=external)
        if mode == 'delete' or (mode == 'write' and set(values) - {'note'}):
            for settlement in settlements:
                if settlement.state != 'draft':
                    raise SettlementError(gettext(
                            'aishang_cashier.msg_settlement_closed',
                            settlement=settlement.rec_name))

    @classmethod
    def copy(cls, settlements, default=None):
        default = default.copy() if default is not None else {}
        for field in ['closed_by', 'closed_at', 'day_settlement',
                'receipt_count', 'void_count', 'refund_count', 'received',
                'refunded', 'net']:
            default.setdefault(field, None)
        default.setdefault('state', 'draft')
        default.setdefault('date', cls.default_date())
        return super().copy(settlements, default=default)

    @classmethod
    @ModelView.button
    def compute(cls, settlements):
        "Preview the totals of draft settlements without closing them"
        settlements = [s for s in settlements if s.state == 'draft']
        shifts = [s for s in settlements if s.kind == 'shift']
        days = [s for s in settlements if s.kind == 'day']
        for shift in shifts:
            cls._store(
                [shift], *cls._sum_movements(shift._pending), preview=True)
        for day in days:
            cls._store(
                [day], *cls._sum_shifts(day._pending_shifts), preview=True)

    @classmethod
    @ModelView.button
    @Workflow.transition('closed')
    def close(cls, settlements):
        """Count and link what each settlement covers, freeze its totals.

        The table is locked so that a shift close and the daily settlement
        of its day do not pass each other.
        """
        if not settlements:
            return
        cls.lock()
        shifts = [s for s in settlements if s.kind == 'shift']
        days = [s for s in settlements if s.kind == 'day']
        cls.check_close(shifts, days)
        if shifts:
            cls._link_movements(shifts)
            cls._store(shifts, *cls._sum_movements(cls._linked(shifts)))
        if days:
            cls._link_shifts(days, closing=shifts)
            cls._store(days, *cls._sum_shifts(cls._linked_shifts(days)))
        cls.write(settlements, {
                'closed_by': Transaction().user,
                'closed_at': dt.datetime.now(),
                })

    @classmethod
    def check_close(cls, shifts, days):
        pool = Pool()
        Date = pool.get('ir.date')
        Warning = pool.get('res.user.warning')
        for settlement in shifts + days:
            with Transaction().set_context(
                    company=settlement.company.id):
                today = Date.today()
            if settlement.date > today:
                raise SettlementError(gettext(
                        'aishang_cashier.msg_settlement_future',
                        settlement=settlement.rec_name,
                        date=settlement.date))
        for shift in shifts:
            closed = cls.search([
                    ('company', '=', shift.company.id),
                    ('kind', '=', 'day'),
                    ('state', '=', 'closed'),
                    ('date', '>=', shift.date),
                    ], order=[('date', 'DESC')], limit=1)
            if closed:
                raise SettlementError(gettext(
                        'aishang_cashier.msg_settlement_day_closed',
                        settlement=shift.rec_name, date=closed[0].date))
        closing = {(s.company, s.cashier) for s in shifts}
        for day in days:
            cashiers = [c for c in day.pending_cashiers()
                if (day.company, c) not in closing]
            if cashiers:
                key = Warning.format('settlement_pending', [day])
                if Warning.check(key):
                    raise SettlementPendingWarning(key, gettext(
                            'aishang_cashier.msg_settlement_pending',
                            settlement=day.rec_name,
                            cashiers=', '.join(
                                c.rec_name for c in cashiers)))

    def pending_cashiers(self):
        """The cashiers whose money of the day or before is not in a closed
        shift close of the company yet"""
        pool = Pool()
        Receipt = pool.get('property.receipt')
        Refund = pool.get('property.refund')
        User = pool.get('res.user')
        receipt = Receipt.__table__()
        refund = Refund.__table__()
        shift = self.__table__()
        cursor = Transaction().connection.cursor()
        company, date = self.company.id, self.date
        query = receipt.select(receipt.cashier,
            where=(receipt.company == company)
            & receipt.state.in_(['done', 'void'])
            & (receipt.settlement == Null) & (receipt.date <= date))
        query |= receipt.select(receipt.void_cashier,
            where=(receipt.company == company) & (receipt.state == 'void')
            & (receipt.void_settlement == Null)
            & (receipt.void_date <= date))
        query |= refund.select(refund.cashier,
            where=(refund.company == company) & (refund.state == 'done')
            & (refund.settlement == Null) & (refund.date <= date))
        query |= shift.select(shift.cashier,
            where=(shift.company == company) & (shift.kind == 'shift')
            & (shift.state == 'draft') & (shift.date == date))
        cursor.execute(*query)
        return User.browse(sorted({c for c, in cursor if c is not None}))

    # Shift closes -------------------------------------------------------

    def _pending(self, receipt, refund):
        """The collections, voids and refunds of the cashier up to the day
        not counted yet, as (key, condition) on receipt, receipt, refund"""
        company, cashier, date = (
            self.company.id, self.cashier.id, self.date)
        return [
            (None, (receipt.company == company)
                & (receipt.cashier == cashier)
                & receipt.state.in_(['done', 'void'])
                & (receipt.settlement == Null) & (receipt.date <= date)),
            (None, (receipt.company == company)
                & (receipt.void_cashier == cashier)
                & (receipt.state == 'void')
                & (receipt.void_settlement == Null)
                & (receipt.void_date <= date)),
            (None, (refund.company == company) & (refund.cashier == cashier)
                & (refund.state == 'done') & (refund.settlement == Null)
                & (refund.date <= date)),
            ]

    @staticmethod
    def _linked(settlements):
        ids = [s.id for s in settlements]

        def conditions(receipt, refund):
            return [
                (receipt.settlement, receipt.settlement.in_(ids)),
                (receipt.void_settlement, receipt.void_settlement.in_(ids)),
                (refund.settlement, refund.settlement.in_(ids)),
                ]
        conditions.ids = ids
        return conditions

    @classmethod
    def _link_movements(cls, shifts):
        "Link to each shift close what it counts, in SQL"
        pool = Pool()
        Receipt = pool.get('property.receipt')
        Refund = pool.get('property.refund')
        receipt = Receipt.__table__()
        refund = Refund.__table__()
        cursor = Transaction().connection.cursor()
        for shift in shifts:
            (_, collected), (_, voided), (_, refunded) = shift._pending(
                receipt, refund)
            cursor.execute(*receipt.update(
                    [receipt.settlement], [shift.id], where=collected))
            cursor.execute(*receipt.update(
                    [receipt.void_settlement], [shift.id], where=voided))
            cursor.execute(*refund.update(
                    [refund.settlement], [shift.id], where=refunded))
        _forget(Receipt.__name__)
        _forget(Refund.__name__)

    @classmethod
    def _sum_movements(cls, conditions):
        """Sum by payment method, in SQL, the money conditions select.

        conditions(receipt, refund) gives (key, condition) for the
        collected receipts, the voided receipts and the refunds; key is the
        column holding the settlement a row counts for, or None when every
        row counts for the one settlement previewed.
        Return the sums {key: {method: [count, received, given back]}} and
        the counts {key: [receipts, voids, refunds]}.
        """
        pool = Pool()
        Receipt = pool.get('property.receipt')
        Payment = pool.get('property.receipt.payment')
        Refund = pool.get('property.refund')
        cursor = Transaction().connection.cursor()
        sums = defaultdict(lambda: defaultdict(lambda: [0, ZERO, ZERO]))
        counts = defaultdict(lambda: [0, 0, 0])
        for where in cls._slices(conditions):
            receipt = Receipt.__table__()
            payment = Payment.__table__()
            refund = Refund.__table__()
            paid = payment.join(receipt,
                condition=payment.receipt == receipt.id)
            sources = [
                (paid, payment.method, payment.amount, receipt, 1),
                (paid, payment.method, payment.amount, receipt, 2),
                (refund, refund.method, refund.amount, refund, 2),
                ]
            for index, ((key, condition), source) in enumerate(
                    zip(where(receipt, refund), sources)):
                from_, method, amount, document, column = source
                keys = [key] if key is not None else []
                cursor.execute(*from_.select(*keys, method,
                        Count(), Sum(amount),
                        where=condition, group_by=keys + [method]))
                for *key_value, method_id, count, total in cursor:
                    line = sums[key_value[0] if keys else None][method_id]
                    line[0] += count
                    line[column] += _decimal(total)
                cursor.execute(*document.select(*keys, Count(),
                        where=condition, group_by=keys or None))
                for *key_value, count in cursor:
                    counts[key_value[0] if keys else None][index] += count
        return sums, counts

    @staticmethod
    def _slices(conditions):
        """Yield conditions over slices of the settlements they link, so
        that no IN clause passes the backend's limit"""
        ids = getattr(conditions, 'ids', None)
        if ids is None:
            yield conditions
            return
        for sub in grouped_slice(ids, in_max()):
            sub = list(sub)

            def where(receipt, refund, sub=sub):
                return [(key, key.in_(sub)) for key, _ in conditions(
                        receipt, refund)]
            yield where

    # Daily settlements --------------------------------------------------

    def _pending_shifts(self, shift, _=None):
        "The closed shift closes of the day not in a daily settlement yet"
        return [(None, (shift.company == self.company.id)
                & (shift.kind == 'shift') & (shift.state == 'closed')
                & (shift.date == self.date) & (shift.day_settlement == Null))]

    @staticmethod
    def _linked_shifts(days):
        ids = [d.id for d in days]

        def conditions(shift, _=None):
            return [(shift.day_settlement, shift.day_settlement.in_(ids))]
        conditions.ids = ids
        return conditions

    @classmethod
    def _link_shifts(cls, days, closing=()):
        """Link to each daily settlement the shift closes of its day,
        those closed now included"""
        table = cls.__table__()
        cursor = Transaction().connection.cursor()
        closing_ids = [s.id for s in closing]
        for day in days:
            (_, condition), = day._pending_shifts(table)
            if closing_ids:
                condition |= ((table.company == day.company.id)
                    & (table.date == day.date) & table.id.in_(closing_ids))
            cursor.execute(*table.update(
                    [table.day_settlement], [day.id], where=condition))
        _forget(cls.__name__)

    @classmethod
    def _sum_shifts(cls, conditions):
        "Sum the lines and counts of shift closes in SQL, as _sum_movements"
        Line = Pool().get('property.cashier.settlement.line')
        cursor = Transaction().connection.cursor()
        sums = defaultdict(lambda: defaultdict(lambda: [0, ZERO, ZERO]))
        counts = defaultdict(lambda: [0, 0, 0])
        for where in cls._slices(conditions):
            shift = cls.__table__()
            line = Line.__table__()
            (key, condition), = where(shift, None)
            keys = [key] if key is not None else []
            cursor.execute(*line.join(shift,
                    condition=line.settlement == shift.id).select(
                    *keys, line.method, Sum(line.count), Sum(line.received),
                    Sum(line.refunded),
                    where=condition, group_by=keys + [line.method]))
            for *key_value, method_id, count, received, refunded in cursor:
                sum_ = sums[key_value[0] if keys else None][method_id]
                sum_[0] += int(count or 0)
                sum_[1] += _decimal(received)
                sum_[2] += _decimal(refunded)
            cursor.execute(*shift.select(*keys, Sum(shift.receipt_count),
                    Sum(shift.void_count), Sum(shift.refund_count),
                    where=condition, group_by=keys or None))
            for *key_value, receipts, voids, refunds in cursor:
                total = counts[key_value[0] if keys else None]
                for index, count in enumerate([receipts, voids, refunds]):
                    total[index] += int(count or 0)
        return sums, counts

    # Totals -------------------------------------------------------------

    @classmethod
    def _store(cls, settlements, sums, counts, preview=False):
        """Replace the lines and totals of settlements by sums and counts,
        keyed by settlement id, or by None for a preview of one"""
        Line = Pool().get('property.cashier.settlement.line')
        Line.delete([l for s in settlements for l in s.lines])
        to_create, to_write = [], []
        for settlement in settlements:
            key = None if preview else settlement.id
            received = refunded = ZERO
            for method, (count, in_, out) in sorted(
                    sums.get(key, {}).items()):
                to_create.append({
                        'settlement': settlement.id, 'method': method,
                        'count': count, 'received': in_, 'refunded': out,
                        'net': in_ - out,
                        })
                received += in_
                refunded += out
            receipts, voids, refunds = counts.get(key, [0, 0, 0])
            to_write.extend(([settlement], {
                        'received': received,
                        'refunded': refunded,
                        'net': received - refunded,
                        'receipt_count': receipts,
                        'void_count': voids,
                        'refund_count': refunds,
                        }))
        Line.create(to_create)
        if to_write:
            cls.write(*to_write)


class SettlementLine(ModelSQL, ModelView):
    "The money of a settlement taken or given back by one payment method"
    __name__ = 'property.cashier.settlement.line'
    __string__ = "Cashier Settlement Line"
    settlement = fields.Many2One(
        'property.cashier.settlement', "Settlement", required=True,
        ondelete='CASCADE', readonly=True)
    method = fields.Many2One(
        'property.payment_method', "Method", required=True, readonly=True,
        ondelete='RESTRICT')
    count = fields.Integer(
        "Count", readonly=True,
        help="The payments, voided payments and refunds of the method.")
    received = fields.Numeric("Received", digits=(16, 2), readonly=True)
    refunded = fields.Numeric(
        "Given Back", digits=(16, 2), readonly=True,
        help="Voided receipts and refunds.")
    net = fields.Numeric("Net", digits=(16, 2), readonly=True)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.__access__.add('settlement')
        t = cls.__table__()
        cls._sql_indexes.add(Index(t, (t.settlement, Index.Equality())))
        cls._order = [('method', 'ASC'), ('id', 'ASC')]

    @classmethod
    def check_modification(cls, mode, lines, values=None, external=False):
        super().check_modification(
            mode, lines, values=values, external=external)
        for line in lines:
            if line.settlement.state != 'draft':
                raise SettlementError(gettext(
                        'aishang_cashier.msg_settlement_closed',
                        settlement=line.settlement.rec_name))


# Fields of a receipt that its closed settlement counted
RECEIPT_FROZEN = {
    'company', 'project', 'resource', 'party', 'date', 'cashier', 'lines',
    'payments', 'total', 'number', 'settlement'}
VOID_FROZEN = {'state', 'void_date', 'void_cashier', 'void_settlement'}


class Receipt(metaclass=PoolMeta):
    __name__ = 'property.receipt'
    settlement = fields.Many2One(
        'property.cashier.settlement', "Settlement", readonly=True,
        ondelete='RESTRICT',
        help="The shift close that counted the collection.")
    void_cashier = fields.Many2One(
        'res.user', "Voided By", readonly=True,
        help="The cashier who asked for the void and gives the money back.")
    void_settlement = fields.Many2One(
        'property.cashier.settlement', "Void Settlement", readonly=True,
        ondelete='RESTRICT',
        help="The shift close that counted the void.")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_indexes.update({
                Index(t, (t.settlement, Index.Equality())),
                Index(t, (t.void_settlement, Index.Equality())),
                })

    @classmethod
    def copy(cls, receipts, default=None):
        default = default.copy() if default is not None else {}
        for field in ['settlement', 'void_cashier', 'void_settlement']:
            default.setdefault(field, None)
        return super().copy(receipts, default=default)

    @classmethod
    def check_modification(cls, mode, receipts, values=None, external=False):
        super().check_modification(
            mode, receipts, values=values, external=external)
        if mode != 'write':
            return
        for receipt in receipts:
            frozen = set()
            if receipt.settlement:
                frozen |= RECEIPT_FROZEN
            if receipt.void_settlement:
                frozen |= VOID_FROZEN
            if frozen & set(values):
                raise SettlementError(gettext(
                        'aishang_cashier.msg_settlement_receipt_settled',
                        receipt=receipt.rec_name,
                        settlement=(receipt.void_settlement
                            or receipt.settlement).rec_name))

    @classmethod
    def review_apply(cls, request):
        # The void counts for the cashier who asked for it, not the
        # reviewer who approved it: that cashier gives the money back.
        with Transaction().set_context(
                receipt_void_cashier=request.requester.id):
            super().review_apply(request)

    @classmethod
    def void(cls, receipts, reason=None):
        received = [r for r in receipts if r.state == 'done']
        super().void(receipts, reason=reason)
        if received:
            cashier = (Transaction().context.get('receipt_void_cashier')
                or Transaction().user)
            cls.write(received, {'void_cashier': cashier})


class SettledChildMixin:
    "Lines and payments of a receipt whose collection is settled are frozen"
    __slots__ = ()
    # Fields still written once the receipt is settled
    _settled_writable = set()

    @classmethod
    def check_modification(cls, mode, records, values=None, external=False):
        super().check_modification(
            mode, records, values=values, external=external)
        if mode == 'write' and not (set(values) - cls._settled_writable):
            return
        for record in records:
            receipt = record.receipt
            if receipt.settlement:
                raise SettlementError(gettext(
                        'aishang_cashier.msg_settlement_receipt_settled',
                        receipt=receipt.rec_name,
                        settlement=receipt.settlement.rec_name))


class ReceiptLine(SettledChildMixin, metaclass=PoolMeta):
    __name__ = 'property.receipt.line'
    # a refund counts what it gives back on the line
    _settled_writable = {'refunded'}


class ReceiptPayment(SettledChildMixin, metaclass=PoolMeta):
    __name__ = 'property.receipt.payment'


class Refund(metaclass=PoolMeta):
    __name__ = 'property.refund'
    cashier = fields.Many2One(
        'res.user', "Cashier", readonly=True,
        help="The cashier who asked for the refund and gives the money "
        "back.")
    settlement = fields.Many2One(
        'property.cashier.settlement', "Settlement", readonly=True,
        ondelete='RESTRICT',
        help="The shift close that counted the refund.")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_indexes.add(Index(t, (t.settlement, Index.Equality())))

    @staticmethod
    def default_cashier():
        return Transaction().user

    @classmethod
    def copy(cls, refunds, default=None):
        default = default.copy() if default is not None else {}
        default.setdefault('settlement', None)
        default.setdefault('cashier', cls.default_cashier())
        return super().copy(refunds, default=default)

    @classmethod
    def check_modification(cls, mode, refunds, values=None, external=False):
        super().check_modification(
            mode, refunds, values=values, external=external)
        if mode == 'create':
            return
        for refund in refunds:
            if refund.settlement:
                raise SettlementError(gettext(
                        'aishang_cashier.msg_settlement_refund_settled',
                        refund=refund.rec_name,
                        settlement=refund.settlement.rec_name))

    @classmethod
    @ModelView.button
    def request(cls, refunds):
        drafts = [r for r in refunds if r.state == 'draft']
        if drafts:
            cls.write(drafts, {'cashier': Transaction().user})
        super().request(refunds)


class Rule(metaclass=PoolMeta):
    __name__ = 'ir.rule'

    @classmethod
    def _get_context(cls, model_name):
        context = super()._get_context(model_name)
        if model_name == 'property.cashier.settlement':
            context['user_id'] = Transaction().user
        return context

    @classmethod
    def _get_cache_key(cls, model_names):
        key = super()._get_cache_key(model_names)
        if 'property.cashier.settlement' in model_names:
            key = (*key, Transaction().user)
        return key
