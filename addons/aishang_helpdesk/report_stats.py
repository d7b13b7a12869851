# This file is part of Aishang Property. See the LICENSE file at the top level
# of this repository for full copyright notices and license terms.
"""Ticket statistics (T5) per category and per month, summed in SQL.

The rows count the tickets reported in the period of the context that the
user may read (the ticket's record rules, through ``Rule.query_get``).
Averages are derived from integer sums and counts so that SQLite and
PostgreSQL give the same figures; docs/helpdesk.md defines each column.
"""
import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

from sql import Literal, Null
from sql.aggregate import Count, Min, Sum
from sql.conditionals import Case, Coalesce

from trytond.model import ModelSQL, ModelView, fields
from trytond.modules.aishang_property.reporting import (
    PeriodContextMixin, ToChar, ratio)
from trytond.pool import Pool
from trytond.pyson import Eval, If
from trytond.transaction import Transaction

from .category import KINDS
from .workflow import DONE_STATES, OPEN_STATES

def average(total, count, divisor=1):
    "total / count / divisor to 2 decimals, None when count is nothing"
    if not count:
        return None
    return (Decimal(total or 0) / Decimal(count) / Decimal(divisor)).quantize(
        Decimal('0.01'), rounding=ROUND_HALF_UP)


class StatisticsContext(PeriodContextMixin, ModelView):
    "Ticket Statistics Context"
    __name__ = 'helpdesk.statistics.context'
    __string__ = "Ticket Statistics Context"
    kind = fields.Selection([(None, "")] + KINDS, "Kind", sort=False)
    category = fields.Many2One(
        'helpdesk.category', "Category",
        domain=[
            ('company', '=', Eval('company', -1)),
            If(Eval('kind'), ('kind', '=', Eval('kind')), ()),
            ])

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._period_setup(
            "The first day of the reports counted.",
            "The last day of the reports counted.", required=True)

    @classmethod
    def default_from_date(cls):
        "The first day of the month two months ago"
        today = Pool().get('ir.date').today()
        first = today.replace(day=1)
        for _ in range(2):
            first = (first - dt.timedelta(days=1)).replace(day=1)
        return first

    @classmethod
    def default_to_date(cls):
        return Pool().get('ir.date').today()


class StatisticsMixin:
    "The figures of the tickets of the context, per dimension"
    __slots__ = ()
    _xlsx_context_model = 'helpdesk.statistics.context'
    created = fields.Integer("Created", help="Tickets reported.")
    cancelled = fields.Integer("Cancelled")
    completed = fields.Integer(
        "Completed", help="Tickets completed, closed or called back.")
    open_count = fields.Integer("Open", help="Tickets still waiting.")
    completion_rate = fields.Function(fields.Numeric(
            "Completion Rate", digits=(16, 4),
            help="Completed divided by created less cancelled."),
        'get_figures')
    response_total = fields.Integer("Response Minutes")
    response_count = fields.Integer("Responded")
    response_hours = fields.Function(fields.Numeric(
            "Average Response (h)", digits=(16, 2),
            help="From the report to the first action, in hours."),
        'get_figures')
    resolution_total = fields.Integer("Resolution Minutes")
    resolution_count = fields.Integer("Resolved")
    resolution_hours = fields.Function(fields.Numeric(
            "Average Resolution (h)", digits=(16, 2),
            help="From the report to the completion, in hours."),
        'get_figures')
    breaches = fields.Integer(
        "SLA Breaches",
        help="Tickets responded to or completed after their deadline, or "
        "still open past it.")
    rating_total = fields.Integer("Rating Points")
    rated = fields.Integer("Rated")
    rating = fields.Function(fields.Numeric(
            "Average Rating", digits=(16, 2)), 'get_figures')

    # The column rows are grouped by
    _dimension = None

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [(cls._dimension, 'ASC'), ('id', 'ASC')]

    @classmethod
    def _tickets(cls):
        "The tickets of the context that the user may read"
        pool = Pool()
        Ticket = pool.get('helpdesk.ticket')
        Rule = pool.get('ir.rule')
        ticket = Ticket.__table__()
        context = Transaction().context
        today = pool.get('ir.date').today()
        from_date = context.get('from_date') or today.replace(day=1)
        to_date = context.get('to_date') or today
        where = ((ticket.reported_date >= from_date)
            & (ticket.reported_date <= to_date))
        for name in ['company', 'project', 'category', 'kind']:
            if context.get(name):
                where &= getattr(ticket, name) == context[name]
        if not context.get('company'):
            where &= Literal(False)
        if Rule.domain_get('helpdesk.ticket', mode='read'):
            where &= ticket.id.in_(Rule.query_get('helpdesk.ticket'))
        return ticket, where

    @classmethod
    def _breach(cls, ticket):
        "The SQL condition of a ticket that missed a deadline"
        now = Pool().get('helpdesk.ticket').now()
        late_response = ((ticket.response_deadline != Null)
            & (Coalesce(ticket.responded, now) > ticket.response_deadline))
        late_resolution = ((ticket.resolution_deadline != Null)
            & (Coalesce(ticket.completed, now)
                > ticket.resolution_deadline))
        return (ticket.state != 'cancelled') & (
            late_response | late_resolution)

    @classmethod
    def _dimension_column(cls, ticket):
        return getattr(ticket, cls._dimension)

    @classmethod
    def table_query(cls):
        ticket, where = cls._tickets()

        def flag(condition):
            return Case((condition, 1), else_=0)
        # One row per ticket first: PostgreSQL does not see that the
        # dimension expression of the select and of the grouping are equal
        rows = ticket.select(
            ticket.id.as_('id'),
            cls._dimension_column(ticket).as_('dimension'),
            flag(ticket.state == 'cancelled').as_('cancelled'),
            flag(ticket.state.in_(DONE_STATES)).as_('completed'),
            flag(ticket.state.in_(OPEN_STATES)).as_('open_count'),
            ticket.response_minutes.as_('response_minutes'),
            Case((ticket.state.in_(DONE_STATES),
                    ticket.resolution_minutes)).as_('resolution_minutes'),
            flag(cls._breach(ticket)).as_('breach'),
            ticket.rating.as_('rating'),
            where=where)
        return rows.select(
            Min(rows.id).as_('id'),
            rows.dimension.as_(cls._dimension),
            Count(rows.id).as_('created'),
            Sum(rows.cancelled).as_('cancelled'),
            Sum(rows.completed).as_('completed'),
            Sum(rows.open_count).as_('open_count'),
            Sum(rows.response_minutes).as_('response_total'),
            Count(rows.response_minutes).as_('response_count'),
            Sum(rows.resolution_minutes).as_('resolution_total'),
            Count(rows.resolution_minutes).as_('resolution_count'),
            Sum(rows.breach).as_('breaches'),
            Sum(rows.rating).as_('rating_total'),
            Count(rows.rating).as_('rated'),
            group_by=[rows.dimension])

    @classmethod
    def get_figures(cls, records, names):
        result = {n: {} for n in names}
        for record in records:
            values = {
                'completion_rate': ratio(record.completed,
                    (record.created or 0) - (record.cancelled or 0)),
                'response_hours': average(
                    record.response_total, record.response_count, 60),
                'resolution_hours': average(
                    record.resolution_total, record.resolution_count, 60),
                'rating': average(record.rating_total, record.rated),
                }
            for name in names:
                result[name][record.id] = values[name]
        return result


class StatisticsCategory(StatisticsMixin, ModelSQL, ModelView):
    "Ticket statistics per category"
    __name__ = 'helpdesk.statistics.category'
    __string__ = "Ticket Statistics per Category"
    category = fields.Many2One('helpdesk.category', "Category")
    _dimension = 'category'


class StatisticsMonth(StatisticsMixin, ModelSQL, ModelView):
    "Ticket statistics per month of the report"
    __name__ = 'helpdesk.statistics.month'
    __string__ = "Ticket Statistics per Month"
    month = fields.Char("Month")
    _dimension = 'month'

    @classmethod
    def _dimension_column(cls, ticket):
        return ToChar(ticket.reported_date, 'YYYY-MM')
