# This file is part of Aishang Property. See the LICENSE file at the top level
# of this repository for full copyright notices and license terms.
from collections import defaultdict
from decimal import Decimal

from sql.aggregate import Sum

from trytond.i18n import gettext
from trytond.modules.aishang_property.tools import in_max, lock_together
from trytond.pool import Pool, PoolMeta
from trytond.tools import grouped_slice
from trytond.transaction import Transaction

from .exceptions import BillingConfigurationError
from .sqltools import invalidate


class Move(metaclass=PoolMeta):
    __name__ = 'account.move'

    @classmethod
    def _get_origin(cls):
        return super()._get_origin() + ['property.bill.run', 'property.bill']


class BillPostingMixin:
    "Posting of issued bills to accounting, mixed into property.bill"
    __slots__ = ()

    @classmethod
    def post_bills(cls, bills, origin=None):
        "Post bills in one move per company and project"
        groups = defaultdict(list)
        for bill in bills:
            if not bill.move:
                groups[(bill.company, bill.project)].append(bill.id)
        moves = [cls.post_group(company, project, bill_ids, origin)
            for (company, project), bill_ids in groups.items()]
        invalidate(bills)
        return [m for m in moves if m]

    @classmethod
    def lock_posting(cls, company):
        """Take now the locks that posting the bills of company will take.

        Tryton restarts a transaction from its start the first time it
        asks for a lock (the journal-period table when the period's first
        move is created, the strict move sequence on each post). Asked
        for after a bill run planned and wrote its bills, they made the
        run do everything 3 times.
        """
        Configuration = Pool().get('property.billing.configuration')
        journal = Configuration(1).get_multivalue(
            'bill_journal', company=company.id)
        lock_together(*cls.posting_locks(company, journal))

    @classmethod
    def posting_locks(cls, company, journal):
        """The locks posting a move of journal for company today takes,
        as requests for lock_together; none without a journal."""
        pool = Pool()
        Period = pool.get('account.period')
        JournalPeriod = pool.get('account.journal.period')
        Sequence = pool.get('ir.sequence.strict')
        Date = pool.get('ir.date')
        if not journal:
            return []
        with Transaction().set_context(company=company.id):
            date = Date.today()
        period = Period(Period.find(company, date=date))
        locks = [(Sequence, [period.move_sequence_used])]
        if not JournalPeriod.search([
                    ('journal', '=', journal.id),
                    ('period', '=', period.id),
                    ], limit=1):
            locks.append((JournalPeriod, None))
        return locks

    @classmethod
    def post_group(cls, company, project, bill_ids, origin=None):
        """Post the bills of one company and project in one move.

        Amounts are summed per fee item in SQL. Return the move, or None
        while no bill journal is configured, that is while accounting is
        not set up.
        """
        if not bill_ids:
            return None
        move = cls.post_amounts(company, project,
            cls._sum_by_fee_item(bill_ids), origin)
        if move:
            table = cls.__table__()
            cursor = Transaction().connection.cursor()
            for sub in grouped_slice(bill_ids, in_max()):
                cursor.execute(*table.update([table.move], [move.id],
                        where=table.id.in_(list(sub))))
        return move

    @classmethod
    def post_amounts(cls, company, project, amounts, origin=None):
        """Post amounts per fee item: Dr receivable control, Cr revenue.

        A negative amount (a reduced bill) reverses the sides.
        """
        pool = Pool()
        Configuration = pool.get('property.billing.configuration')
        Move = pool.get('account.move')
        Period = pool.get('account.period')
        FeeItem = pool.get('property.fee_item')
        Date = pool.get('ir.date')
        journal = Configuration(1).get_multivalue(
            'bill_journal', company=company.id)
        amounts = [(f, a) for f, a in amounts if a]
        if not journal or not amounts:
            return None
        with Transaction().set_context(company=company.id):
            date = Date.today()
        lines = []
        for fee_item_id, amount in amounts:
            fee_item = FeeItem(fee_item_id)
            if not (fee_item.account_receivable and fee_item.account_revenue):
                raise BillingConfigurationError(gettext(
                        'aishang_billing.msg_fee_item_accounts',
                        fee_item=fee_item.rec_name))
            debit, credit = max(amount, 0), max(-amount, 0)
            lines.append({
                    'account': fee_item.account_receivable.id,
                    'debit': debit, 'credit': credit,
                    'description': fee_item.name,
                    })
            lines.append({
                    'account': fee_item.account_revenue.id,
                    'debit': credit, 'credit': debit,
                    'description': fee_item.name,
                    })
        move, = Move.create([{
                    'company': company.id,
                    'journal': journal.id,
                    'period': Period.find(company, date=date),
                    'date': date,
                    'origin': str(origin) if origin else None,
                    'description': project.rec_name,
                    'lines': [('create', lines)],
                    }])
        Move.post([move])
        return move

    @classmethod
    def _sum_by_fee_item(cls, bill_ids):
        table = cls.__table__()
        cursor = Transaction().connection.cursor()
        totals = defaultdict(Decimal)
        for sub in grouped_slice(bill_ids, in_max()):
            cursor.execute(*table.select(table.fee_item, Sum(table.amount),
                    where=table.id.in_(list(sub)),
                    group_by=[table.fee_item]))
            for fee_item, amount in cursor:
                # SQLite sums Numeric columns as floats
                totals[fee_item] += Decimal(str(amount))
        return [(f, a.quantize(Decimal('0.01')))
            for f, a in sorted(totals.items())]
