# This file is part of Aishang Property. See the LICENSE file at the top level
# of this repository for full copyright notices and license terms.
from sql import Literal
from sql.aggregate import Count, Min, Sum

from trytond.model import ModelSQL, ModelView, fields
from trytond.modules.aishang_property.reporting import ToChar
from trytond.pool import Pool
from trytond.pyson import Eval
from trytond.transaction import Transaction

from .bill import RECEIVABLE_STATES


class ReceivableLedger(ModelSQL, ModelView):
    """Receivable, received, discounted and outstanding amounts per project,
    building, fee item and fee period (应收台账), summed in SQL"""
    __name__ = 'property.receivable.ledger'
    project = fields.Many2One('property.project', "Project")
    building = fields.Many2One('property.building', "Building")
    fee_item = fields.Many2One('property.fee_item', "Fee Item")
    period = fields.Char("Fee Period", help="The month the fee is for.")
    bill_count = fields.Integer("Bills")
    amount = fields.Numeric("Receivable", digits=(16, 2))
    late_fee = fields.Numeric("Late Fees", digits=(16, 2))
    discount = fields.Numeric("Discounts", digits=(16, 2))
    paid = fields.Numeric("Received", digits=(16, 2))
    balance = fields.Numeric("Outstanding", digits=(16, 2))

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [('period', 'DESC'), ('project', 'ASC'),
            ('fee_item', 'ASC'), ('id', 'ASC')]

    # The columns rows are summed by; the summary drops the building.
    _group_by = ('project', 'building', 'fee_item', 'period')

    @classmethod
    def table_query(cls):
        pool = Pool()
        Bill = pool.get('property.bill')
        bill = Bill.__table__()
        context = Transaction().context
        where = bill.state.in_(RECEIVABLE_STATES)
        if context.get('company'):
            where &= bill.company == context['company']
        if context.get('project'):
            where &= bill.project == context['project']
        if context.get('from_date'):
            where &= bill.period_start >= context['from_date']
        if context.get('to_date'):
            where &= bill.period_start <= context['to_date']
        amounts = ['amount', 'late_fee', 'discount', 'paid', 'balance']
        # The month is computed in a subquery: PostgreSQL only groups by an
        # expression that is the same, parameters included, as selected.
        bills = bill.select(
            bill.id, bill.create_date, bill.project, bill.building,
            bill.fee_item, ToChar(bill.period_start, 'YYYY-MM').as_('period'),
            *(getattr(bill, n) for n in amounts),
            where=where)
        selected = [
            Min(bills.id).as_('id'),
            Literal(0).as_('create_uid'),
            Min(bills.create_date).as_('create_date'),
            Literal(None).as_('write_uid'),
            Literal(None).as_('write_date'),
            Count(bills.id).as_('bill_count'),
            ]
        for name in ['project', 'building', 'fee_item', 'period']:
            if name in cls._group_by:
                selected.append(getattr(bills, name).as_(name))
            else:
                selected.append(Literal(None).as_(name))
        for name in amounts:
            selected.append(Sum(getattr(bills, name)).as_(name))
        return bills.select(*selected,
            group_by=[getattr(bills, n) for n in cls._group_by])


class ReceivableSummary(ReceivableLedger):
    "Receivable summary per project, fee item and fee period"
    __name__ = 'property.receivable.summary'

    _group_by = ('project', 'fee_item', 'period')


class LedgerContext(ModelView):
    "Receivable Ledger Context"
    __name__ = 'property.receivable.ledger.context'
    company = fields.Many2One('company.company', "Company", required=True)
    project = fields.Many2One(
        'property.project', "Project",
        domain=[('company', '=', Eval('company', -1))])
    from_date = fields.Date("From Fee Period")
    to_date = fields.Date("To Fee Period")

    @staticmethod
    def default_company():
        return Transaction().context.get('company')
