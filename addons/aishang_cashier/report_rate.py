# This file is part of Aishang Property. See the LICENSE file at the top level
# of this repository for full copyright notices and license terms.
"""Collection rate (收费率, R2): how much of the bills of a period and of
the arrears at its start was collected; docs/cashier-reports.md defines
each column"""
import datetime as dt

from sql import Null
from sql.aggregate import Count, Min, Sum
from sql.conditionals import Case, Coalesce

from trytond.model import ModelSQL, ModelView, fields
from trytond.modules.aishang_property.reporting import (
    PeriodContextMixin, ratio)
from trytond.modules.aishang_billing.bill import RECEIVABLE_STATES
from trytond.pool import Pool
from trytond.transaction import Transaction

from .report_collection import num, total, zero

def last_day_of_month(date):
    next_month = (date.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return next_month - dt.timedelta(days=1)


def smaller(a, b):
    "The smaller of a and b, as LEAST is not standard SQL"
    return Case((a < b, a), else_=b)


class RateContext(PeriodContextMixin, ModelView):
    "Collection Rate Context"
    __name__ = 'property.collection.rate.context'
    __string__ = "Collection Rate Context"

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._period_setup(
            "The first day of the period: bills whose fee period starts "
            "before it are arrears.",
            "The last day of the period.", required=True)

    @classmethod
    def default_from_date(cls):
        return Pool().get('ir.date').today().replace(day=1)

    @classmethod
    def default_to_date(cls):
        return last_day_of_month(Pool().get('ir.date').today())


class CollectionRateMixin:
    """The bills of the period and the arrears at its start, summed per
    project and the dimension of the report"""
    __slots__ = ()
    _xlsx_context_model = 'property.collection.rate.context'
    project = fields.Many2One('property.project', "Project")
    bill_count = fields.Integer(
        "Bills", help="The bills whose fee period starts in the period.")
    receivable = fields.Numeric(
        "Receivable", digits=(16, 2),
        help="The bills of the period: amount less discount.")
    collected = fields.Numeric(
        "Collected", digits=(16, 2),
        help="What was paid of the receivable until now.")
    rate = fields.Function(fields.Numeric(
            "Collection Rate", digits=(16, 4),
            help="Collected divided by receivable."), 'get_rates')
    arrears_count = fields.Integer(
        "Bills in Arrears",
        help="The bills of earlier periods still owed at the start.")
    arrears = fields.Numeric(
        "Arrears", digits=(16, 2),
        help="What the bills of earlier periods still owed at the start of "
        "the period.")
    arrears_collected = fields.Numeric(
        "Arrears Collected", digits=(16, 2),
        help="What receipts of the period took of the arrears.")
    arrears_rate = fields.Function(fields.Numeric(
            "Arrears Rate", digits=(16, 4),
            help="Arrears collected divided by arrears."), 'get_rates')
    total_rate = fields.Function(fields.Numeric(
            "Overall Rate", digits=(16, 4),
            help="Collected and arrears collected divided by receivable "
            "and arrears."), 'get_rates')

    # The column rows are summed by, besides project
    _dimension = None

    @classmethod
    def __setup__(cls):
        super().__setup__()
        order = [('project', 'ASC'), ('id', 'ASC')]
        if cls._dimension:
            order.insert(1, (cls._dimension, 'ASC'))
        cls._order = order

    @classmethod
    def period(cls):
        "The (first, last) day of the period: the context's or this month"
        context = Transaction().context
        today = Pool().get('ir.date').today()
        from_date = context.get('from_date') or today.replace(day=1)
        to_date = context.get('to_date') or last_day_of_month(from_date)
        return from_date, to_date

    @classmethod
    def _paid_since(cls, from_date):
        """Per bill, what its paid grew by since from_date: receipts
        collected, less receipts voided and refunds made since"""
        pool = Pool()
        Receipt = pool.get('property.receipt')
        Line = pool.get('property.receipt.line')
        Refund = pool.get('property.refund')
        RefundLine = pool.get('property.refund.line')
        collected_line, collected = Line.__table__(), Receipt.__table__()
        voided_line, voided = Line.__table__(), Receipt.__table__()
        refund_line, refund = RefundLine.__table__(), Refund.__table__()
        refunded_line = Line.__table__()

        collections = collected_line.join(collected,
            condition=collected_line.receipt == collected.id).select(
            collected_line.bill.as_('bill'),
            num(collected_line.amount).as_('amount'),
            where=(collected_line.bill != Null)
            & collected.state.in_(['done', 'void'])
            & (collected.date >= from_date))
        voids = voided_line.join(voided,
            condition=voided_line.receipt == voided.id).select(
            voided_line.bill.as_('bill'),
            (zero() - num(voided_line.amount)).as_('amount'),
            where=(voided_line.bill != Null)
            & (voided.state == 'void')
            & (voided.void_date >= from_date))
        refunds = refund_line.join(refund,
            condition=refund_line.refund == refund.id).join(refunded_line,
            condition=refund_line.receipt_line == refunded_line.id).select(
            refunded_line.bill.as_('bill'),
            (zero() - num(refund_line.amount)).as_('amount'),
            where=(refunded_line.bill != Null)
            & (refund.state == 'done')
            & (refund.date >= from_date))
        events = collections | voids | refunds
        events.all_ = True
        return events.select(
            events.bill.as_('bill'),
            Sum(events.amount).as_('amount'),
            group_by=[events.bill])

    @classmethod
    def _discount_since(cls, from_date):
        "Per bill, what its discount grew by since from_date"
        BillLine = Pool().get('property.bill.line')
        line = BillLine.__table__()
        return line.select(
            line.bill.as_('bill'),
            Sum(num(line.amount)).as_('amount'),
            where=(line.kind == 'discount') & (line.date >= from_date),
            group_by=[line.bill])

    @classmethod
    def _collected_within(cls, from_date, to_date):
        """Per bill, the principal the received receipts of the period
        took, less what was refunded of it since (late fees first)"""
        pool = Pool()
        Receipt = pool.get('property.receipt')
        Line = pool.get('property.receipt.line')
        line = Line.__table__()
        receipt = Receipt.__table__()
        principal = num(Coalesce(line.principal, line.amount))
        kept = num(line.amount) - num(line.refunded)
        return line.join(receipt,
            condition=line.receipt == receipt.id).select(
            line.bill.as_('bill'),
            Sum(smaller(principal, kept)).as_('amount'),
            where=(line.bill != Null)
            & (receipt.state == 'done')
            & (receipt.date >= from_date) & (receipt.date <= to_date),
            group_by=[line.bill])

    @classmethod
    def _bills(cls):
        "One row per bill of the period or owing at its start"
        pool = Pool()
        Bill = pool.get('property.bill')
        bill = Bill.__table__()
        context = Transaction().context
        from_date, to_date = cls.period()
        since = cls._paid_since(from_date)
        discounted = cls._discount_since(from_date)
        within = cls._collected_within(from_date, to_date)

        owed = num(bill.amount) - num(bill.discount)
        paid = num(bill.paid)
        current = bill.period_start >= from_date
        # Discounts and payments made since the start are taken back to
        # give what the bill owed then
        owed_start = (owed + num(discounted.amount)
            - (paid - num(since.amount)))
        in_arrears = ~current & (owed_start > 0)
        where = (bill.state.in_(RECEIVABLE_STATES)
            & (bill.period_start != Null)
            & (bill.period_start <= to_date)
            & (current | (owed_start > 0)))
        if context.get('company'):
            where &= bill.company == context['company']
        if context.get('project'):
            where &= bill.project == context['project']
        query = (bill
            .join(since, 'LEFT', condition=since.bill == bill.id)
            .join(discounted, 'LEFT', condition=discounted.bill == bill.id)
            .join(within, 'LEFT', condition=within.bill == bill.id))
        return query.select(
            bill.id.as_('id'),
            bill.project.as_('project'),
            bill.building.as_('building'),
            bill.fee_item.as_('fee_item'),
            Case((current, bill.id), else_=Null).as_('current_bill'),
            Case((current, owed), else_=zero()).as_('receivable'),
            Case((current, smaller(paid, owed)), else_=zero()).as_(
                'collected'),
            Case((in_arrears, bill.id), else_=Null).as_('arrears_bill'),
            Case((in_arrears, owed_start), else_=zero()).as_('arrears'),
            Case((in_arrears, smaller(num(within.amount), owed_start)),
                else_=zero()).as_('arrears_collected'),
            where=where)

    @classmethod
    def table_query(cls):
        bills = cls._bills()
        dimensions = ['project'] + ([cls._dimension] if cls._dimension else [])
        columns = [getattr(bills, n) for n in dimensions]
        return bills.select(
            Min(bills.id).as_('id'),
            *(c.as_(n) for c, n in zip(columns, dimensions)),
            Count(bills.current_bill).as_('bill_count'),
            total(bills.receivable).as_('receivable'),
            total(bills.collected).as_('collected'),
            Count(bills.arrears_bill).as_('arrears_count'),
            total(bills.arrears).as_('arrears'),
            total(bills.arrears_collected).as_('arrears_collected'),
            group_by=columns)

    @classmethod
    def get_rates(cls, records, names):
        result = {n: {} for n in names}
        for record in records:
            values = {
                'rate': ratio(record.collected, record.receivable),
                'arrears_rate': ratio(
                    record.arrears_collected, record.arrears),
                'total_rate': ratio(
                    (record.collected or 0) + (record.arrears_collected or 0),
                    (record.receivable or 0) + (record.arrears or 0)),
                }
            for name in names:
                result[name][record.id] = values[name]
        return result


class CollectionRateProject(CollectionRateMixin, ModelSQL, ModelView):
    """Collection rate per project: the bills of a period and the arrears
    at its start, and how much of each was collected"""
    __name__ = 'property.collection.rate.project'
    __string__ = "Collection Rate per Project"


class CollectionRateBuilding(CollectionRateMixin, ModelSQL, ModelView):
    "Collection rate per building"
    __name__ = 'property.collection.rate.building'
    __string__ = "Collection Rate per Building"
    building = fields.Many2One('property.building', "Building")
    _dimension = 'building'


class CollectionRateFeeItem(CollectionRateMixin, ModelSQL, ModelView):
    "Collection rate per fee item"
    __name__ = 'property.collection.rate.fee_item'
    __string__ = "Collection Rate per Fee Item"
    fee_item = fields.Many2One('property.fee_item', "Fee Item")
    _dimension = 'fee_item'
