# This file is part of Aishang Property. See the LICENSE file at the top level
# of this repository for full copyright notices and license terms.
"""Owner statements (对账单, C5, R2): what an owner or a resource owed at
the start of a period, was billed, paid and refunded in it, and owes at
its end, with the balances of its prepayment and deposit accounts"""
import datetime as dt
from collections import defaultdict, namedtuple
from decimal import Decimal

from trytond.i18n import gettext
from trytond.model import ModelView, fields
from trytond.modules.aishang_property.tools import in_max
from trytond.pool import Pool
from trytond.pyson import Eval
from trytond.report import Report
from trytond.tools import grouped_slice
from trytond.transaction import Transaction
from trytond.wizard import Button, StateReport, StateView, Wizard

from .amount_words import amount_in_words
from .print_layout import Data, LayoutReportMixin, PrintError, safe

ZERO = Decimal(0)
RECEIVABLE_STATES = ['open', 'partial', 'paid']

# A bill charged on date; events change what it owes:
# kind 'discount' and 'paid' lower it, 'void' (a voided payment) and
# 'refund' raise it again.
LedgerBill = namedtuple('LedgerBill', ['id', 'date', 'charge'])
LedgerEvent = namedtuple('LedgerEvent', ['bill', 'date', 'kind', 'amount'])
Ledger = namedtuple('Ledger', [
        'opening', 'charges', 'discounts', 'payments', 'voided', 'refunded',
        'closing', 'bills'])
BillBalance = namedtuple('BillBalance', ['discount', 'paid', 'balance'])


def ledger(bills, events, from_date, to_date):
    """The statement of bills and events over from_date to to_date.

    Opening is what was owed before from_date, closing what is owed at the
    end of to_date; a payment in advance of a bill dated later lowers it
    (a negative closing is a credit). bills maps the id of each bill
    dated up to to_date to its discount, paid and balance at to_date.
    """
    def sign(kind):
        return 1 if kind in {'void', 'refund'} else -1

    opening = sum((b.charge for b in bills if b.date < from_date), ZERO)
    charges = sum((b.charge for b in bills
            if from_date <= b.date <= to_date), ZERO)
    period = defaultdict(lambda: ZERO)
    for event in events:
        if event.date < from_date:
            opening += sign(event.kind) * event.amount
        elif event.date <= to_date:
            period[event.kind] += event.amount
    closing = (opening + charges - period['discount'] - period['paid']
        + period['void'] + period['refund'])
    discount, paid = defaultdict(lambda: ZERO), defaultdict(lambda: ZERO)
    for event in events:
        if event.date > to_date:
            continue
        if event.kind == 'discount':
            discount[event.bill] += event.amount
        else:
            paid[event.bill] -= sign(event.kind) * event.amount
    balances = {b.id: BillBalance(discount[b.id], paid[b.id],
            b.charge - discount[b.id] - paid[b.id])
        for b in bills if b.date <= to_date}
    return Ledger(opening, charges, period['discount'], period['paid'],
        period['void'], period['refund'], closing, balances)


def _date(value):
    "A date from what the backend or a client sends"
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, str):
        return dt.date.fromisoformat(value[:10])
    return value


def _decimal(value):
    # SQLite may give floats for Numeric columns
    if value is None:
        return ZERO
    if isinstance(value, float):
        return Decimal(str(value)).quantize(Decimal('0.01'))
    return Decimal(value)


class StatementStart(ModelView):
    "Owner Statement"
    __name__ = 'property.statement.start'
    company = fields.Many2One(
        'company.company', "Company", required=True, readonly=True)
    party = fields.Many2One(
        'party.party', "Owner",
        context={'company': Eval('company', -1)}, depends={'company'},
        states={'required': ~Eval('resource')},
        help="The owner whose bills, receipts and accounts are listed.")
    resource = fields.Many2One(
        'property.resource', "Resource",
        states={'required': ~Eval('party')},
        help="Only what concerns this resource; everything of the owner "
        "when empty.")
    from_date = fields.Date("From Date", required=True)
    to_date = fields.Date("To Date", required=True)


class PrintStatement(Wizard):
    "Print Owner Statement"
    __name__ = 'property.statement.print'
    start = StateView('property.statement.start',
        'aishang_cashier.print_statement_start_view_form', [
            Button("Cancel", 'end', 'tryton-cancel'),
            Button("Print", 'print_', 'tryton-print', default=True),
            ])
    print_ = StateReport('property.statement')

    def default_start(self, fields):
        today = Pool().get('ir.date').today()
        values = {
            'company': Transaction().context.get('company'),
            'from_date': today.replace(month=1, day=1),
            'to_date': today,
            }
        if self.model and self.records:
            record = self.records[0]
            if self.model.__name__ == 'party.party':
                values['party'] = record.id
            elif self.model.__name__ == 'property.resource':
                values['resource'] = record.id
        return values

    def do_print_(self, action):
        start = self.start
        if start.from_date > start.to_date:
            raise PrintError(gettext(
                    'aishang_cashier.msg_statement_dates',
                    from_date=start.from_date, to_date=start.to_date))
        return action, {
            'company': start.company.id,
            'party': start.party.id if start.party else None,
            'resource': start.resource.id if start.resource else None,
            'from_date': start.from_date,
            'to_date': start.to_date,
            }


class StatementReport(LayoutReportMixin, Report):
    __name__ = 'property.statement'
    _document = 'statement'

    @classmethod
    def _execute(cls, records, header, data, action):
        pool = Pool()
        Company = pool.get('company.company')
        Party = pool.get('party.party')
        Resource = pool.get('property.resource')
        Layout = pool.get('property.print_layout')
        company = Company(data['company'])
        party = Party(data['party']) if data.get('party') else None
        resource = (Resource(data['resource'])
            if data.get('resource') else None)
        if not (party or resource):
            raise PrintError(gettext('aishang_cashier.msg_statement_whom'))
        from_date, to_date = _date(data['from_date']), _date(data['to_date'])
        if from_date > to_date:
            raise PrintError(gettext(
                    'aishang_cashier.msg_statement_dates',
                    from_date=from_date, to_date=to_date))
        statement = Statement(company, party, resource, from_date, to_date)
        values = statement.values()
        layout = Layout.get_layout(
            cls._document, company, statement.project)
        return cls.render_layout(action, layout, {
                'statement': values,
                'printed_at': dt.datetime.now().replace(microsecond=0),
                })


class Statement:
    "The figures of a statement, read in a few queries"

    def __init__(self, company, party, resource, from_date, to_date):
        self.company = company
        self.party = party
        self.resource = resource
        self.from_date = from_date
        self.to_date = to_date
        self.projects = self._visible_projects()

    @staticmethod
    def _visible_projects():
        "The ids of the projects the user sees; None for everything"
        if Transaction().user == 0:
            return None
        return list(Pool().get('res.user').get_projects())

    @property
    def project(self):
        "The project whose layout prints the statement, if only one"
        if self.resource:
            return self.resource.project
        projects = {b['project'] for b in self.bills}
        if len(projects) == 1:
            return Pool().get('property.project')(projects.pop())
        return None

    def _scope(self, table):
        where = table.company == self.company.id
        if self.party:
            where &= table.party == self.party.id
        if self.resource:
            where &= table.resource == self.resource.id
        if self.projects is not None:
            where &= table.project.in_(self.projects or [-1])
        return where

    def _fetch(self, query):
        cursor = Transaction().connection.cursor()
        cursor.execute(*query)
        names = [d[0] for d in cursor.description]
        return [dict(zip(names, row)) for row in cursor]

    def values(self):
        "The statement as the variables of a layout"
        self.bills = self.read_bills()
        bill_ids = [b['id'] for b in self.bills]
        receipt_lines = self.read_receipt_lines(bill_ids)
        refund_lines = self.read_refund_lines(bill_ids)
        discount_lines = self.read_discount_lines(bill_ids)
        bills, events = self.ledger_input(
            receipt_lines, refund_lines, discount_lines)
        result = ledger(bills, events, self.from_date, self.to_date)
        accounts = self.read_accounts()
        receipts = self.read_receipts(receipt_lines, accounts)
        bill_rows = self.bill_rows(result)
        return Data(
            company=self.company.rec_name,
            party=self.party.rec_name if self.party else '',
            party_phone=(getattr(self.party, 'owner_phone', None) or ''
                if self.party else ''),
            resource=self.resource.code if self.resource else '',
            resources=', '.join(sorted({b['resource_code']
                        for b in self.bills if b['resource_code']})),
            projects=', '.join(sorted({b['project_name']
                        for b in self.bills})),
            from_date=self.from_date,
            to_date=self.to_date,
            opening=result.opening,
            charges=result.charges,
            discounts=result.discounts,
            payments=result.payments,
            voided=result.voided,
            refunded=result.refunded,
            closing=result.closing,
            closing_words=amount_in_words(abs(result.closing)),
            bills=bill_rows,
            bills_total=Data(**{name: sum(
                        (getattr(r, name) for r in bill_rows), ZERO)
                    for name in ['amount', 'late_fee', 'discount', 'paid',
                        'balance']}),
            receipts=receipts,
            receipts_total=sum((r.amount for r in receipts if not r.void),
                ZERO),
            refunds=self.read_refunds(
                [r.id for r in receipts] + [
                    l['receipt'] for l in receipt_lines],
                [a.id for a in accounts]),
            accounts=self.account_rows(accounts),
            record=safe(self.party) if self.party else None,
            resource_record=safe(self.resource) if self.resource else None)

    def read_bills(self):
        "The receivable bills of the statement, with their names"
        pool = Pool()
        Bill = pool.get('property.bill')
        FeeItem = pool.get('property.fee_item')
        Resource = pool.get('property.resource')
        Project = pool.get('property.project')
        bill = Bill.__table__()
        rows = self._fetch(bill.select(
                bill.id, bill.number, bill.project, bill.resource,
                bill.fee_item, bill.period_start, bill.period_end,
                bill.due_date, bill.create_date, bill.amount,
                bill.late_fee, bill.discount, bill.paid,
                where=self._scope(bill)
                & bill.state.in_(RECEIVABLE_STATES)))
        fee_items = {f.id: f.name for f in FeeItem.browse(
                list({r['fee_item'] for r in rows}))}
        resources = {r.id: r.code for r in Resource.browse(
                list({r['resource'] for r in rows if r['resource']}))}
        projects = {p.id: p.name for p in Project.browse(
                list({r['project'] for r in rows}))}
        for row in rows:
            for name in ['period_start', 'period_end', 'due_date',
                    'create_date']:
                row[name] = _date(row[name])
            for name in ['amount', 'late_fee', 'discount', 'paid']:
                row[name] = _decimal(row[name])
            row['date'] = (row['period_start'] or row['due_date']
                or row['create_date'])
            row['fee_item_name'] = fee_items[row['fee_item']]
            row['resource_code'] = resources.get(row['resource'], '')
            row['project_name'] = projects[row['project']]
        rows.sort(key=lambda r: (r['date'], r['resource_code'],
                r['fee_item_name'], r['id']))
        return rows

    def read_receipt_lines(self, bill_ids):
        "What receipts, received or voided since, paid on the bills"
        pool = Pool()
        line = pool.get('property.receipt.line').__table__()
        receipt = pool.get('property.receipt').__table__()
        rows = []
        for sub in grouped_slice(bill_ids, in_max()):
            rows.extend(self._fetch(line.join(receipt,
                        condition=line.receipt == receipt.id).select(
                        line.bill, line.amount, receipt.id.as_('receipt'),
                        receipt.date, receipt.state, receipt.void_date,
                        where=line.bill.in_(list(sub))
                        & receipt.state.in_(['done', 'void']))))
        for row in rows:
            row['amount'] = _decimal(row['amount'])
            row['date'] = _date(row['date'])
            row['void_date'] = _date(row['void_date'])
        return rows

    def read_refund_lines(self, bill_ids):
        "What refunds gave back of the payments on the bills"
        pool = Pool()
        fline = pool.get('property.refund.line').__table__()
        refund = pool.get('property.refund').__table__()
        line = pool.get('property.receipt.line').__table__()
        rows = []
        for sub in grouped_slice(bill_ids, in_max()):
            rows.extend(self._fetch(fline
                    .join(refund, condition=fline.refund == refund.id)
                    .join(line, condition=fline.receipt_line == line.id)
                    .select(line.bill, fline.amount, refund.date,
                        where=line.bill.in_(list(sub))
                        & (refund.state == 'done'))))
        for row in rows:
            row['amount'] = _decimal(row['amount'])
            row['date'] = _date(row['date'])
        return rows

    def read_discount_lines(self, bill_ids):
        "The dated discounts of the bills, negative when taken back"
        line = Pool().get('property.bill.line').__table__()
        rows = []
        for sub in grouped_slice(bill_ids, in_max()):
            rows.extend(self._fetch(line.select(
                        line.bill, line.date, line.amount,
                        where=line.bill.in_(list(sub))
                        & (line.kind == 'discount'))))
        for row in rows:
            row['amount'] = _decimal(row['amount'])
            row['date'] = _date(row['date'])
        return rows

    def ledger_input(self, receipt_lines, refund_lines, discount_lines):
        """The bills and their dated events.

        What a bill records as paid or discounted beyond its receipts and
        discount lines (bills imported with their history) counts at the
        bill's date."""
        events = []
        explained = defaultdict(lambda: [ZERO, ZERO])
        for row in receipt_lines:
            events.append(LedgerEvent(
                    row['bill'], row['date'], 'paid', row['amount']))
            explained[row['bill']][0] += row['amount']
            if row['state'] == 'void':
                events.append(LedgerEvent(row['bill'],
                        row['void_date'] or row['date'], 'void',
                        row['amount']))
                explained[row['bill']][0] -= row['amount']
        for row in refund_lines:
            events.append(LedgerEvent(
                    row['bill'], row['date'], 'refund', row['amount']))
            explained[row['bill']][0] -= row['amount']
        for row in discount_lines:
            events.append(LedgerEvent(
                    row['bill'], row['date'], 'discount', row['amount']))
            explained[row['bill']][1] += row['amount']
        bills = []
        for row in self.bills:
            bills.append(LedgerBill(
                    row['id'], row['date'], row['amount'] + row['late_fee']))
            paid, discount = explained[row['id']]
            if row['paid'] != paid:
                events.append(LedgerEvent(
                        row['id'], row['date'], 'paid', row['paid'] - paid))
            if row['discount'] != discount:
                events.append(LedgerEvent(row['id'], row['date'],
                        'discount', row['discount'] - discount))
        return bills, events

    def bill_rows(self, result):
        rows = []
        for row in self.bills:
            if not (self.from_date <= row['date'] <= self.to_date):
                continue
            balance = result.bills[row['id']]
            rows.append(Data(
                    number=row['number'],
                    date=row['date'],
                    period_start=row['period_start'],
                    period_end=row['period_end'],
                    due_date=row['due_date'],
                    project=row['project_name'],
                    resource=row['resource_code'],
                    fee_item=row['fee_item_name'],
                    amount=row['amount'],
                    late_fee=row['late_fee'],
                    discount=balance.discount,
                    paid=balance.paid,
                    balance=balance.balance))
        return rows

    def read_accounts(self):
        "The prepayment and deposit accounts of the statement"
        Account = Pool().get('property.owner_account')
        domain = [('company', '=', self.company.id)]
        if self.party:
            domain.append(('party', '=', self.party.id))
            if self.resource:
                domain.append(['OR',
                        ('resource', '=', self.resource.id),
                        ('resource', '=', None)])
        else:
            domain.append(('resource', '=', self.resource.id))
        if self.projects is not None:
            domain.append(('project', 'in', self.projects))
        return Account.search(domain, order=[('kind', 'ASC'), ('id', 'ASC')])

    def account_rows(self, accounts):
        "Each account's balance before from_date and at the end of to_date"
        move = Pool().get('property.owner_account.move').__table__()
        moves = []
        for sub in grouped_slice([a.id for a in accounts], in_max()):
            moves.extend(self._fetch(move.select(
                        move.account, move.date, move.amount,
                        where=move.account.in_(list(sub)))))
        opening, closing = defaultdict(lambda: ZERO), defaultdict(
            lambda: ZERO)
        incoming, outgoing = defaultdict(lambda: ZERO), defaultdict(
            lambda: ZERO)
        for row in moves:
            date, amount = _date(row['date']), _decimal(row['amount'])
            account = row['account']
            if date < self.from_date:
                opening[account] += amount
            elif date <= self.to_date:
                if amount > 0:
                    incoming[account] += amount
                else:
                    outgoing[account] -= amount
            if date <= self.to_date:
                closing[account] += amount
        return [Data(
                kind=a.kind,
                kind_string=a.kind_string,
                fee_item=a.fee_item.name,
                resource=a.resource.code if a.resource else '',
                project=a.project.name,
                opening=opening[a.id],
                incoming=incoming[a.id],
                outgoing=outgoing[a.id],
                closing=closing[a.id])
            for a in accounts]

    def read_receipts(self, receipt_lines, accounts):
        """The receipts dated or voided in the period: those paying the
        bills or filling the accounts, and those of the payer"""
        pool = Pool()
        Receipt = pool.get('property.receipt')
        line = pool.get('property.receipt.line').__table__()
        receipt = Receipt.__table__()
        ids = {r['receipt'] for r in receipt_lines}
        for sub in grouped_slice([a.id for a in accounts], in_max()):
            ids.update(r['receipt'] for r in self._fetch(line.select(
                        line.receipt,
                        where=line.owner_account.in_(list(sub)))))
        in_period = (
            ((receipt.date >= self.from_date)
                & (receipt.date <= self.to_date))
            | ((receipt.void_date >= self.from_date)
                & (receipt.void_date <= self.to_date)))
        ids.update(r['id'] for r in self._fetch(receipt.select(receipt.id,
                    where=self._scope(receipt) & in_period
                    & receipt.state.in_(['done', 'void']))))
        receipts = [r for r in Receipt.browse(sorted(ids))
            if r.state in {'done', 'void'}
            and ((self.from_date <= r.date <= self.to_date)
                or (r.void_date
                    and self.from_date <= r.void_date <= self.to_date))]
        receipts.sort(key=lambda r: (r.date, r.number or ''))
        return [Data(
                date=r.date,
                number=r.number or '',
                resource=r.resource.code if r.resource else '',
                amount=r.total or ZERO,
                methods='；'.join(
                    '%s %s' % (p.method.name, p.amount)
                    for p in r.payments),
                payments=[Data(method=p.method.name, amount=p.amount)
                    for p in r.payments],
                void=r.state == 'void',
                void_date=r.void_date,
                state_string=r.state_string,
                id=r.id)
            for r in receipts]

    def read_refunds(self, receipt_ids, account_ids):
        "The refunds made in the period of those receipts and accounts"
        Refund = Pool().get('property.refund')
        refunds = set()
        base = [
            ('company', '=', self.company.id),
            ('state', '=', 'done'),
            ('date', '>=', self.from_date),
            ('date', '<=', self.to_date),
            ]
        for field, ids in [('receipt', receipt_ids),
                ('owner_account', account_ids)]:
            for sub in grouped_slice(sorted(set(ids)), in_max()):
                refunds.update(Refund.search(
                        base + [(field, 'in', list(sub))]))
        refunds = sorted(refunds, key=lambda r: (r.date, r.id))
        return [Data(
                date=r.date,
                origin=(r.receipt.number if r.receipt
                    else r.owner_account.fee_item.name),
                kind=r.kind,
                amount=r.amount,
                method=r.method.name,
                reason=r.reason or '')
            for r in refunds]
