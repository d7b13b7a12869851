# This file is part of Aishang Property. See the LICENSE file at the top level
# of this repository for full copyright notices and license terms.
"""Collection reports (R2, C5): the detail of what receipts took and its
summaries per project, building, fee item, payment method, month and
cashier, summed in SQL"""
from sql import Cast, Literal, Null
from sql.aggregate import Count, Max, Min, Sum
from sql.conditionals import Case, Coalesce
from sql.functions import Round

from trytond.model import ModelSQL, ModelView, fields
from trytond.modules.aishang_property.reporting import (
    PeriodContextMixin, ToChar)
from trytond.pool import Pool
from trytond.pyson import Eval, If
from trytond.transaction import Transaction

NUMERIC = 'NUMERIC'


def num(column):
    "The money column as a number, 0 when empty: SQLite keeps Decimal as bytes"
    return Cast(Coalesce(column, 0), NUMERIC)


def zero():
    "A typed 0, so that the branches of a UNION or CASE agree on PostgreSQL"
    return Cast(Literal(0), NUMERIC)


def total(expression):
    """The sum of expression rounded to the fen: SQLite sums in floats
    (the values are already in fen, so this only removes float noise)"""
    return Round(Sum(expression), 2)


def month_start(date):
    return date.replace(day=1)


class CollectionContext(PeriodContextMixin, ModelView):
    "Collection Report Context"
    __name__ = 'property.collection.context'
    __string__ = "Collection Report Context"
    cashier = fields.Many2One('res.user', "Cashier")
    fee_item = fields.Many2One(
        'property.fee_item', "Fee Item",
        domain=[('company', '=', Eval('company', -1))],
        help="Not applied to the summary per payment method.")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._period_setup(
            "The first day of the receipts counted.",
            "The last day of the receipts counted.")

    @classmethod
    def default_from_date(cls):
        return month_start(Pool().get('ir.date').today())


class CollectionLinesMixin:
    "The receipt lines a collection report reads, filtered by the context"
    __slots__ = ()
    _xlsx_context_model = 'property.collection.context'

    @classmethod
    def _receipt_where(cls, receipt):
        context = Transaction().context
        where = receipt.state.in_(['done', 'void'])
        if context.get('company'):
            where &= receipt.company == context['company']
        if context.get('project'):
            where &= receipt.project == context['project']
        if context.get('from_date'):
            where &= receipt.date >= context['from_date']
        if context.get('to_date'):
            where &= receipt.date <= context['to_date']
        if context.get('cashier'):
            where &= receipt.cashier == context['cashier']
        return where

    @classmethod
    def _lines(cls):
        """One row per line of the received and voided receipts.

        The method is the receipt's when it was paid by one method only;
        mixed tells it was paid by several.
        """
        pool = Pool()
        Receipt = pool.get('property.receipt')
        Line = pool.get('property.receipt.line')
        Payment = pool.get('property.receipt.payment')
        Bill = pool.get('property.bill')
        Account = pool.get('property.owner_account')
        Resource = pool.get('property.resource')
        receipt = Receipt.__table__()
        line = Line.__table__()
        payment = Payment.__table__()
        bill = Bill.__table__()
        account = Account.__table__()
        resource = Resource.__table__()
        context = Transaction().context

        methods = payment.select(
            payment.receipt.as_('receipt'),
            Min(payment.method).as_('first'),
            Max(payment.method).as_('last'),
            group_by=[payment.receipt])
        resource_id = Coalesce(
            line.resource, bill.resource, account.resource, receipt.resource)
        fee_item = Coalesce(line.fee_item, bill.fee_item, account.fee_item)
        where = cls._receipt_where(receipt)
        if context.get('fee_item'):
            where &= fee_item == context['fee_item']
        query = (line
            .join(receipt, condition=line.receipt == receipt.id)
            .join(bill, 'LEFT', condition=line.bill == bill.id)
            .join(account, 'LEFT', condition=line.owner_account == account.id)
            .join(resource, 'LEFT', condition=resource.id == resource_id)
            .join(methods, 'LEFT', condition=methods.receipt == receipt.id))
        return query.select(
            line.id.as_('id'),
            receipt.id.as_('receipt'),
            receipt.number.as_('number'),
            receipt.date.as_('date'),
            ToChar(receipt.date, 'YYYY-MM').as_('period'),
            receipt.project.as_('project'),
            Coalesce(bill.building, resource.building).as_('building'),
            resource_id.as_('resource'),
            receipt.party.as_('party'),
            fee_item.as_('fee_item'),
            line.kind.as_('kind'),
            line.bill.as_('bill'),
            line.period_start.as_('period_start'),
            line.period_end.as_('period_end'),
            Case((methods.first == methods.last, methods.first),
                else_=Null).as_('method'),
            (methods.first != methods.last).as_('mixed'),
            line.amount.as_('amount'),
            Coalesce(line.discount, 0).as_('discount'),
            Coalesce(line.late_fee, 0).as_('late_fee'),
            Coalesce(line.refunded, 0).as_('refunded'),
            Round(num(line.amount) - num(line.refunded), 2).as_('net'),
            receipt.cashier.as_('cashier'),
            receipt.state.as_('state'),
            receipt.void_date.as_('void_date'),
            where=where)


class CollectionDetail(CollectionLinesMixin, ModelSQL, ModelView):
    """Collection detail (收款明细): one row per line of the received and
    voided receipts"""
    __name__ = 'property.collection.detail'
    __string__ = "Collection Detail"
    _rec_name = 'number'
    receipt = fields.Many2One('property.receipt', "Receipt")
    number = fields.Char("Receipt Number")
    date = fields.Date("Date")
    project = fields.Many2One('property.project', "Project")
    building = fields.Many2One('property.building', "Building")
    resource = fields.Many2One('property.resource', "Resource")
    party = fields.Many2One('party.party', "Payer")
    fee_item = fields.Many2One('property.fee_item', "Fee Item")
    kind = fields.Selection([
            ('bill', "Bill"),
            ('prepayment', "Prepayment"),
            ('deposit', "Deposit"),
            ], "Kind")
    bill = fields.Many2One('property.bill', "Bill")
    period_start = fields.Date("Period Start")
    period_end = fields.Date("Period End")
    method = fields.Many2One(
        'property.payment_method', "Payment Method",
        help="Empty when the receipt was paid by several methods.")
    mixed = fields.Boolean(
        "Mixed Payment", help="The receipt was paid by several methods.")
    amount = fields.Numeric(
        "Amount Received", digits=(16, 2),
        help="The money received for the line.")
    discount = fields.Numeric("Discount", digits=(16, 2))
    late_fee = fields.Numeric("Late Fee", digits=(16, 2))
    refunded = fields.Numeric("Refunded", digits=(16, 2))
    net = fields.Numeric(
        "Net Received", digits=(16, 2),
        help="Received less refunded.")
    cashier = fields.Many2One('res.user', "Cashier")
    state = fields.Selection([
            ('done', "Received"),
            ('void', "Void"),
            ], "State")
    void_date = fields.Date("Void Date")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [('date', 'DESC'), ('number', 'DESC'), ('id', 'ASC')]

    @classmethod
    def table_query(cls):
        return cls._lines()

    @classmethod
    def view_attributes(cls):
        return super().view_attributes() + [
            ('/tree', 'visual', If(Eval('state') == 'void', 'muted', '')),
            ]


class CollectionSummaryMixin(CollectionLinesMixin):
    """The lines summed per project and the dimension of the report.

    Voided receipts are left out of the amounts and shown apart in
    void_amount; refunded is what was refunded since of the receipts
    counted.
    """
    __slots__ = ()
    project = fields.Many2One('property.project', "Project")
    receipt_count = fields.Integer("Receipts")
    amount = fields.Numeric("Amount Received", digits=(16, 2))
    discount = fields.Numeric("Discounts", digits=(16, 2))
    late_fee = fields.Numeric("Late Fees", digits=(16, 2))
    refunded = fields.Numeric("Refunded", digits=(16, 2))
    net = fields.Numeric(
        "Net Received", digits=(16, 2), help="Received less refunded.")
    void_amount = fields.Numeric(
        "Voided", digits=(16, 2),
        help="What the voided receipts had taken; not in the amounts.")

    # The columns rows are summed by, besides project
    _dimension = None

    @classmethod
    def __setup__(cls):
        super().__setup__()
        order = [('project', 'ASC'), ('id', 'ASC')]
        if cls._dimension:
            order.insert(0, (cls._dimension,
                    'DESC' if cls._dimension == 'period' else 'ASC'))
        cls._order = order

    @classmethod
    def table_query(cls):
        lines = cls._lines()
        done = lines.state == 'done'
        dimensions = ['project'] + ([cls._dimension] if cls._dimension else [])
        columns = [getattr(lines, n) for n in dimensions]
        return lines.select(
            Min(lines.id).as_('id'),
            *(c.as_(n) for c, n in zip(columns, dimensions)),
            Count(Case((done, lines.receipt)), distinct=True).as_(
                'receipt_count'),
            total(Case((done, num(lines.amount)), else_=zero())).as_(
                'amount'),
            total(Case((done, num(lines.discount)), else_=zero())).as_(
                'discount'),
            total(Case((done, num(lines.late_fee)), else_=zero())).as_(
                'late_fee'),
            total(Case((done, num(lines.refunded)), else_=zero())).as_(
                'refunded'),
            total(Case((done, num(lines.net)), else_=zero())).as_('net'),
            total(Case((lines.state == 'void', num(lines.amount)),
                    else_=zero())).as_('void_amount'),
            group_by=columns)


class CollectionSummaryProject(CollectionSummaryMixin, ModelSQL, ModelView):
    "Collection summary per project (收款汇总)"
    __name__ = 'property.collection.summary.project'
    __string__ = "Collection Summary per Project"


class CollectionSummaryBuilding(CollectionSummaryMixin, ModelSQL, ModelView):
    "Collection summary per building"
    __name__ = 'property.collection.summary.building'
    __string__ = "Collection Summary per Building"
    building = fields.Many2One('property.building', "Building")
    _dimension = 'building'


class CollectionSummaryFeeItem(CollectionSummaryMixin, ModelSQL, ModelView):
    "Collection summary per fee item"
    __name__ = 'property.collection.summary.fee_item'
    __string__ = "Collection Summary per Fee Item"
    fee_item = fields.Many2One('property.fee_item', "Fee Item")
    _dimension = 'fee_item'


class CollectionSummaryMonth(CollectionSummaryMixin, ModelSQL, ModelView):
    "Collection summary per month of the receipts"
    __name__ = 'property.collection.summary.month'
    __string__ = "Collection Summary per Month"
    period = fields.Char("Month", help="The month the money was received.")
    _dimension = 'period'


class CollectionSummaryCashier(CollectionSummaryMixin, ModelSQL, ModelView):
    "Collection summary per cashier"
    __name__ = 'property.collection.summary.cashier'
    __string__ = "Collection Summary per Cashier"
    cashier = fields.Many2One('res.user', "Cashier")
    _dimension = 'cashier'


class CollectionSummaryMethod(CollectionLinesMixin, ModelSQL, ModelView):
    """Collection summary per payment method: what each method took on the
    received receipts and what was refunded through it"""
    __name__ = 'property.collection.summary.method'
    __string__ = "Collection Summary per Payment Method"
    project = fields.Many2One('property.project', "Project")
    method = fields.Many2One('property.payment_method', "Payment Method")
    receipt_count = fields.Integer("Receipts")
    amount = fields.Numeric("Amount Received", digits=(16, 2))
    refunded = fields.Numeric("Refunded", digits=(16, 2))
    net = fields.Numeric(
        "Net Received", digits=(16, 2), help="Received less refunded.")
    void_amount = fields.Numeric(
        "Voided", digits=(16, 2),
        help="What the voided receipts had taken; not in the amounts.")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [('method', 'ASC'), ('project', 'ASC'), ('id', 'ASC')]

    @classmethod
    def table_query(cls):
        pool = Pool()
        Receipt = pool.get('property.receipt')
        Payment = pool.get('property.receipt.payment')
        Refund = pool.get('property.refund')
        receipt = Receipt.__table__()
        payment = Payment.__table__()
        refund_receipt = Receipt.__table__()
        refund = Refund.__table__()

        # Ids are doubled so that payments and refunds never share one
        payments = payment.join(
            receipt, condition=payment.receipt == receipt.id).select(
            (payment.id * 2).as_('id'),
            receipt.project.as_('project'),
            payment.method.as_('method'),
            receipt.id.as_('receipt'),
            receipt.state.as_('state'),
            num(payment.amount).as_('amount'),
            zero().as_('refunded'),
            where=cls._receipt_where(receipt))
        refunds = refund.join(refund_receipt,
            condition=refund.receipt == refund_receipt.id).select(
            (refund.id * 2 + 1).as_('id'),
            refund_receipt.project.as_('project'),
            refund.method.as_('method'),
            refund_receipt.id.as_('receipt'),
            refund_receipt.state.as_('state'),
            zero().as_('amount'),
            num(refund.amount).as_('refunded'),
            where=cls._receipt_where(refund_receipt)
            & (refund.kind == 'receipt') & (refund.state == 'done'))
        rows = payments | refunds
        rows.all_ = True
        done = rows.state == 'done'
        return rows.select(
            Min(rows.id).as_('id'),
            rows.project.as_('project'),
            rows.method.as_('method'),
            Count(Case((done & (rows.amount > 0), rows.receipt)),
                distinct=True).as_('receipt_count'),
            total(Case((done, rows.amount), else_=zero())).as_('amount'),
            total(Case((done, rows.refunded), else_=zero())).as_('refunded'),
            total(Case((done, rows.amount - rows.refunded),
                    else_=zero())).as_('net'),
            total(Case((rows.state == 'void', rows.amount),
                    else_=zero())).as_('void_amount'),
            group_by=[rows.project, rows.method])

