# This file is part of Aishang Property. See the LICENSE file at the top level
# of this repository for full copyright notices and license terms.
"""Change log (变更记录, R2): the changes made to bills and the review
requests of risky changes in one list, newest first, for auditors"""
import datetime as dt

from sql import Cast, Column, Literal, Null
from sql.aggregate import Max, Min
from sql.conditionals import Coalesce
from sql.functions import Position, Substring
from sql.operators import Concat

from trytond.model import ModelSQL, ModelView, fields
from trytond.modules.aishang_property.reporting import PeriodContextMixin
from trytond.pool import Pool
from trytond.pyson import Eval, If
from trytond.transaction import Transaction

# The models a review request may target, with the project of each
DOCUMENTS = [
    'property.bill', 'property.receipt', 'property.refund',
    'property.owner_account']


class ChangeLogContext(PeriodContextMixin, ModelView):
    "Change Log Context"
    __name__ = 'property.change_log.context'
    __string__ = "Change Log Context"


class ChangeLog(ModelSQL, ModelView):
    """Change log (变更记录): the changes of bills (who, when, before,
    after, why) and the review requests of voids, waivers, amount changes
    and refunds with their last decision"""
    __name__ = 'property.change_log'
    __string__ = "Change Log"
    _xlsx_context_model = 'property.change_log.context'
    date = fields.DateTime("Date")
    source = fields.Selection([
            ('bill', "Bill Change"),
            ('review', "Review Request"),
            ], "Source")
    project = fields.Many2One('property.project', "Project")
    document = fields.Reference(
        "Document", selection='get_documents',
        help="The bill, receipt, refund or owner account changed.")
    operation = fields.Selection(
        'get_operations', "Operation",
        help="The change a review request asks for.")
    field = fields.Char("Field")
    field_string = fields.Function(fields.Char(
            "Change",
            help="The field of the bill changed, or the change the review "
            "request shows."), 'get_field_string')
    before = fields.Char("Before")
    after = fields.Char("After")
    amount = fields.Numeric(
        "Amount", digits=(16, 2),
        help="The amount at stake in a review request.")
    user = fields.Many2One(
        'res.user', "User",
        help="Who changed the bill or asked for the review.")
    state = fields.Selection([
            ('applied', "Applied"),
            ('pending', "Pending"),
            ('approved', "Approved"),
            ('rejected', "Rejected"),
            ('cancelled', "Cancelled"),
            ], "State")
    decided_by = fields.Many2One(
        'res.user', "Last Reviewer",
        help="Who took the last decision on the review request.")
    decision_date = fields.DateTime("Decision Date")
    reason = fields.Text("Reason")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [('date', 'DESC'), ('id', 'DESC')]

    @classmethod
    def get_documents(cls):
        IrModel = Pool().get('ir.model')
        return [(None, '')] + [(m, IrModel.get_name(m)) for m in DOCUMENTS]

    @classmethod
    def get_operations(cls):
        Request = Pool().get('review.request')
        return [(None, '')] + list(
            Request.fields_get(['operation'])['operation']['selection'])

    @classmethod
    def get_field_string(cls, records, name):
        Bill = Pool().get('property.bill')
        strings = {}
        names = {r.field for r in records
            if r.source == 'bill' and r.field in Bill._fields}
        if names:
            strings = {n: d['string']
                for n, d in Bill.fields_get(list(names)).items()}
        return {r.id: strings.get(r.field, r.field) for r in records}

    @classmethod
    def view_attributes(cls):
        return super().view_attributes() + [
            ('/tree/field[@name="state"]', 'visual',
                If(Eval('state') == 'pending', 'warning',
                    If(Eval('state') == 'rejected', 'danger', ''))),
            ]

    @classmethod
    def _sql_type(cls, name):
        return cls._fields[name].sql_type().base

    @classmethod
    def _columns(cls):
        "The names of the columns, in the order both queries select them"
        return ['id', 'date', 'source', 'company', 'project', 'document',
            'operation', 'field', 'before', 'after', 'amount', 'user',
            'state', 'decided_by', 'decision_date', 'reason']

    @classmethod
    def _bill_changes(cls):
        pool = Pool()
        Change = pool.get('property.bill.change')
        Bill = pool.get('property.bill')
        change = Change.__table__()
        bill = Bill.__table__()
        char = cls._sql_type('field')
        # Ids are doubled so that changes and requests never share one
        return change.join(bill, condition=change.bill == bill.id).select(
            (change.id * 2).as_('id'),
            change.date.as_('date'),
            Cast(Literal('bill'), char).as_('source'),
            bill.company.as_('company'),
            bill.project.as_('project'),
            Concat(Cast(Literal('property.bill,'), char),
                Cast(bill.id, char)).as_('document'),
            Cast(Null, char).as_('operation'),
            Cast(change.field, char).as_('field'),
            Cast(change.old_value, char).as_('before'),
            Cast(change.new_value, char).as_('after'),
            Cast(Null, cls._sql_type('amount')).as_('amount'),
            change.user.as_('user'),
            Cast(Literal('applied'), char).as_('state'),
            Cast(Null, cls._sql_type('decided_by')).as_('decided_by'),
            Cast(Null, cls._sql_type('decision_date')).as_('decision_date'),
            Cast(change.reason, cls._sql_type('reason')).as_('reason'))

    @classmethod
    def _review_requests(cls):
        pool = Pool()
        Request = pool.get('review.request')
        RequestChange = pool.get('review.request.change')
        Decision = pool.get('review.request.decision')
        request = Request.__table__()
        change = RequestChange.__table__()
        first_change = RequestChange.__table__()
        decision = Decision.__table__()
        last_decision = Decision.__table__()
        char = cls._sql_type('field')

        comma = Position(',', request.target)
        target_model = Substring(request.target, 1, comma - 1)
        target_id = Cast(Substring(request.target, comma + 1),
            cls._sql_type('decided_by'))
        query = request
        projects = []
        for name in DOCUMENTS:
            table = pool.get(name).__table__()
            query = query.join(table, 'LEFT', condition=(
                    (target_model == name) & (table.id == target_id)))
            projects.append(table.project)
        # The first change shown to the reviewers and the last decision
        firsts = first_change.select(
            first_change.request.as_('request'),
            Min(first_change.id).as_('id'),
            group_by=[first_change.request])
        lasts = last_decision.select(
            last_decision.request.as_('request'),
            Max(last_decision.id).as_('id'),
            group_by=[last_decision.request])
        query = (query
            .join(firsts, 'LEFT', condition=firsts.request == request.id)
            .join(change, 'LEFT', condition=change.id == firsts.id)
            .join(lasts, 'LEFT', condition=lasts.request == request.id)
            .join(decision, 'LEFT', condition=decision.id == lasts.id))
        return query.select(
            (request.id * 2 + 1).as_('id'),
            request.request_date.as_('date'),
            Cast(Literal('review'), char).as_('source'),
            request.company.as_('company'),
            Coalesce(*projects).as_('project'),
            Cast(request.target, char).as_('document'),
            Cast(request.operation, char).as_('operation'),
            Cast(change.label, char).as_('field'),
            Cast(change.before, char).as_('before'),
            Cast(change.after, char).as_('after'),
            Cast(request.amount, cls._sql_type('amount')).as_('amount'),
            request.requester.as_('user'),
            Cast(request.state, char).as_('state'),
            decision.user.as_('decided_by'),
            Coalesce(decision.date, request.applied_date).as_(
                'decision_date'),
            Cast(request.reason, cls._sql_type('reason')).as_('reason'))

    @classmethod
    def table_query(cls):
        context = Transaction().context
        rows = cls._bill_changes() | cls._review_requests()
        rows.all_ = True
        where = Literal(True)
        if context.get('company'):
            where &= rows.company == context['company']
        if context.get('project'):
            where &= rows.project == context['project']
        if context.get('from_date'):
            where &= rows.date >= dt.datetime.combine(
                context['from_date'], dt.time())
        if context.get('to_date'):
            where &= rows.date < dt.datetime.combine(
                context['to_date'] + dt.timedelta(days=1), dt.time())
        return rows.select(
            *(Column(rows, n).as_(n) for n in cls._columns()), where=where)
