# This file is part of Aishang Property. See the LICENSE file at the top level
# of this repository for full copyright notices and license terms.
import datetime as dt
from collections import defaultdict
from decimal import Decimal

from sql import Null

from trytond import backend
from trytond.i18n import gettext
from trytond.model import ModelView, fields
from trytond.modules.account.exceptions import PeriodNotFoundError
from trytond.modules.aishang_property import tabular
from trytond.modules.aishang_property.import_wizard import (
    SEARCH_BATCH, ImportResultMixin, ImportStartMixin, Importer,
    ImportWizardMixin)
from trytond.modules.aishang_property.resource import compose_code
from trytond.modules.aishang_property.tabular import Error
from trytond.modules.aishang_property.tools import in_max
from trytond.pool import Pool
from trytond.pyson import Eval
from trytond.tools import grouped_slice
from trytond.transaction import Transaction
from trytond.wizard import Button, StateTransition, StateView, Wizard

from .bill import bill_number_sql
from .bill_import_format import (
    BILL_SHEET, NOTES_SHEET, TEMPLATE_FILENAME, write_template)
from .bill_run import _as_date
from .generation import payer_segments

ZERO = Decimal(0)
# Columns the import writes, in the order of its bulk insert
BILL_COLUMNS = [
    'company', 'project', 'resource', 'building', 'party', 'fee_item',
    'period_start', 'period_end', 'period_key', 'amount', 'late_fee',
    'discount', 'paid', 'balance', 'due_date', 'state', 'origin', 'number',
    'description', 'create_uid', 'create_date']
LINE_COLUMNS = ['bill', 'kind', 'amount', 'date', 'create_uid',
    'create_date']


def bill_state(amount, paid, discount):
    "Return the state of an issued bill from its amounts"
    if paid + discount == amount:
        return 'paid'
    elif paid > 0:
        return 'partial'
    return 'open'


class BillImporter(Importer):
    """Check a file of historical bills, then create and post them

    Nothing is written unless every row is valid; errors are tabular.Error
    tuples that import_wizard.format_errors translates.
    """
    module = 'aishang_billing'
    count_names = ('bills', 'open_bills', 'partial_bills', 'paid_bills',
        'amount', 'received', 'discount', 'outstanding', 'moves')

    def __init__(self, company_id, default_project=None):
        super().__init__(company_id, default_project)
        self.rows = []
        self.sheet = BILL_SHEET.name

    # Reading

    def read(self, data, filename):
        "Read the file into rows; return False if it cannot be read"
        sheets = self.read_sheets(data, filename, BILL_SHEET.name)
        if sheets is None:
            return False
        sheet = BILL_SHEET.find(sheets) or next((s for s in sheets
                if s.rows and s.name != NOTES_SHEET), None)
        if sheet and sheet.rows:
            # The name of the sheet of the file, so that it can be found
            self.sheet = sheet.name or BILL_SHEET.name
            self.rows, errors = tabular.parse_sheet(
                sheet, BILL_SHEET.columns, self.sheet)
            self.errors.extend(errors)
        if not self.rows:
            if not self.errors:
                self.errors.append(Error(None, None, None,
                        tabular.msg('msg_import_empty')))
            return False
        return True

    def _column(self, name):
        return self.column(BILL_SHEET, name)

    def _error(self, row, column, message, /, **params):
        self.error(self.sheet, row, self._column(column), message, **params)

    # Checking

    def check(self):
        "Check the rows against each other and the database"
        self.check_projects([(self.sheet, self.rows, self._column('project'))])
        self._check_resources()
        self._check_fee_items()
        self._check_values()
        self._check_duplicates()
        self._check_existing()
        self._find_payers()
        self._check_accounting()
        headers = [c.header for c in BILL_SHEET.columns]
        self.errors.sort(key=lambda e: (e.sheet is not None, e.row or 0,
                headers.index(e.column) if e.column in headers else -1))
        return not self.errors

    def _check_resources(self):
        "Replace the room codes by the resources of the project"
        Resource = Pool().get('property.resource')
        wanted = defaultdict(set)
        for row in self.rows:
            row['resource'] = None
            if row['room']:
                row['code'] = compose_code(
                    row['building'], row['unit'], row['room'])
                if row['project']:
                    wanted[row['project'].id].add(row['code'])
        found = {}
        # Historical bills may be of resources deactivated since
        with Transaction().set_context(active_test=False):
            for project_id, codes in wanted.items():
                for sub in grouped_slice(sorted(codes), SEARCH_BATCH):
                    for resource in Resource.search([
                                ('project', '=', project_id),
                                ('code', 'in', list(sub)),
                                ]):
                        found[(project_id, resource.code)] = resource
        for row in self.rows:
            if not row['project'] or not row['room']:
                continue
            resource = found.get((row['project'].id, row['code']))
            if resource:
                row['resource'] = resource
            else:
                self._error(row, 'room', 'msg_bill_import_resource_unknown',
                    code=row['code'], project=row['project'].rec_name)

    def _check_fee_items(self):
        "Replace the fee item codes by the fee items of the company"
        FeeItem = Pool().get('property.fee_item')
        codes = sorted({r['fee_item'] for r in self.rows if r['fee_item']})
        found = {}
        with Transaction().set_context(active_test=False):
            for sub in grouped_slice(codes, SEARCH_BATCH):
                for fee_item in FeeItem.search([
                            ('company', '=', self.company_id),
                            ('code', 'in', list(sub)),
                            ]):
                    found[fee_item.code] = fee_item
        for row in self.rows:
            code = row['fee_item']
            if not code:
                continue
            row['fee_item'] = found.get(code)
            if not row['fee_item']:
                self._error(row, 'fee_item',
                    'msg_bill_import_fee_item_unknown', code=code)

    def _check_values(self):
        Date = Pool().get('ir.date')
        with Transaction().set_context(company=self.company_id):
            today = Date.today()
        for row in self.rows:
            if row['paid'] is None:
                row['paid'] = ZERO
            if row['discount'] is None:
                row['discount'] = ZERO
            start, end = row['period_start'], row['period_end']
            if start and end and end < start:
                self._error(row, 'period_end',
                    'msg_bill_import_period_end', start=start, end=end)
            if (row['amount'] is not None
                    and row['paid'] + row['discount'] > row['amount']):
                self._error(row, 'paid', 'msg_bill_import_paid_exceeds',
                    paid=row['paid'], discount=row['discount'],
                    amount=row['amount'])
            if row['paid_date']:
                if not row['paid']:
                    self._error(row, 'paid_date',
                        'msg_bill_import_paid_date_unpaid')
                elif row['paid_date'] > today:
                    self._error(row, 'paid_date',
                        'msg_bill_import_paid_date_future',
                        date=row['paid_date'])

    def _check_duplicates(self):
        "Refuse two rows of one period or with one number"
        keys, numbers = {}, {}
        for row in self.rows:
            key = self._key(row)
            if key:
                if key in keys:
                    self._error(row, 'period_start',
                        'msg_bill_import_duplicate', code=row['code'],
                        fee_item=row['fee_item'].rec_name,
                        start=row['period_start'], row=keys[key]['_row'])
                else:
                    keys[key] = row
            number = row['number']
            if number:
                if number in numbers:
                    self._error(row, 'number',
                        'msg_bill_import_number_duplicate', number=number,
                        row=numbers[number]['_row'])
                else:
                    numbers[number] = row
        self._keys = keys
        self._numbers = numbers

    @staticmethod
    def _key(row):
        if row['resource'] and row['fee_item'] and row['period_start']:
            return (row['resource'].id, row['fee_item'].id,
                row['period_start'])

    def _check_existing(self):
        "Refuse the periods already billed and the numbers already used"
        Bill = Pool().get('property.bill')
        bill = Bill.__table__()
        cursor = Transaction().connection.cursor()
        # In SQL: the unique key counts every bill, whoever may see it
        if self._keys:
            resource_ids = sorted({k[0] for k in self._keys})
            fee_item_ids = sorted({k[1] for k in self._keys})
            first = min(k[2] for k in self._keys)
            last = max(k[2] for k in self._keys)
            for sub in grouped_slice(resource_ids, in_max()):
                cursor.execute(*bill.select(
                        bill.resource, bill.fee_item, bill.period_key,
                        bill.number,
                        where=bill.resource.in_(list(sub))
                        & bill.fee_item.in_(fee_item_ids)
                        & (bill.period_key >= first)
                        & (bill.period_key <= last)))
                for resource, fee_item, start, number in cursor:
                    row = self._keys.get(
                        (resource, fee_item, _as_date(start)))
                    if row:
                        self._error(row, 'period_start',
                            'msg_bill_import_exists', code=row['code'],
                            fee_item=row['fee_item'].rec_name,
                            start=row['period_start'], bill=number or '')
        for sub in grouped_slice(sorted(self._numbers), in_max()):
            cursor.execute(*bill.select(bill.number,
                    where=bill.number.in_(list(sub))))
            for number, in cursor:
                self._error(self._numbers[number], 'number',
                    'msg_bill_import_number_exists', number=number)

    def _find_payers(self):
        """Set the payer of each row: the owner named, else the primary
        owner at the period start as bill runs choose it"""
        Ownership = Pool().get('property.ownership')
        rows = [r for r in self.rows if r['resource']]
        ownerships = defaultdict(list)
        resource_ids = sorted({r['resource'].id for r in rows})
        for sub in grouped_slice(resource_ids, SEARCH_BATCH):
            for ownership in Ownership.search(
                    [('resource', 'in', list(sub))]):
                ownerships[ownership.resource.id].append({
                        'id': ownership.id,
                        'party': ownership.party,
                        'start': ownership.start_date,
                        'end': ownership.end_date,
                        'primary': ownership.primary,
                        })
        for row in rows:
            owners = ownerships[row['resource'].id]
            if row['payer']:
                owners = [o for o in owners
                    if o['party'].name.strip() == row['payer']]
                if not owners:
                    row['party'] = None
                    self._error(row, 'payer', 'msg_bill_import_payer_unknown',
                        name=row['payer'], code=row['code'])
                    continue
            party = None
            if row['period_start']:
                day = row['period_start']
                (_, _, party), = payer_segments((day, day), owners)
            if not party and row['payer']:
                # A past owner whose ownership dates were not kept
                party = owners[0]['party']
            row['party'] = party

    def _check_accounting(self):
        """Check that the outstanding amounts can be posted

        Only while a bill journal is set up, as posting does.
        """
        pool = Pool()
        Configuration = pool.get('property.billing.configuration')
        Period = pool.get('account.period')
        Date = pool.get('ir.date')
        journal = Configuration(1).get_multivalue(
            'bill_journal', company=self.company_id)
        if not journal:
            return
        to_post = [r for r in self.rows if r['fee_item']
            and r['amount'] is not None
            and r['amount'] > r['paid'] + r['discount']]
        if not to_post:
            return
        seen = set()
        for row in to_post:
            fee_item = row['fee_item']
            if fee_item in seen:
                continue
            seen.add(fee_item)
            if not (fee_item.account_receivable
                    and fee_item.account_revenue):
                self._error(row, 'fee_item',
                    'msg_bill_import_fee_item_accounts',
                    fee_item=fee_item.rec_name)
        with Transaction().set_context(company=self.company_id):
            today = Date.today()
        try:
            Period.find(self.company_id, date=today)
        except PeriodNotFoundError:
            self.errors.append(Error(None, None, None,
                    'aishang_billing.msg_bill_import_no_period',
                    {'date': today}))

    # Writing

    def save(self):
        """Write the bills in bulk, then post what is still owed

        As bill runs do, the rows are inserted by SQL: they were checked
        for everything the ORM would check (the domains, the unique key,
        the amounts), and creating 10,000 bills through the ORM takes
        half a minute on PostgreSQL. The unique key still guards against
        a concurrent import or run: the whole import then fails.
        """
        assert not self.errors
        pool = Pool()
        Bill = pool.get('property.bill')
        BillLine = pool.get('property.bill.line')
        transaction = Transaction()
        cursor = transaction.connection.cursor()
        user, now = transaction.user, dt.datetime.now()
        bill_ids = insert(Bill, BILL_COLUMNS,
            [self._bill_record(r, user, now) for r in self.rows])
        table = Bill.__table__()
        for sub in grouped_slice(bill_ids, in_max()):
            cursor.execute(*table.update(
                    [table.number], [bill_number_sql(table)],
                    where=table.id.in_(list(sub)) & (table.number == Null)))
        # The discount shows on its own line, as the cashier's do
        insert(BillLine, LINE_COLUMNS, [
                (bill_id, 'discount', r['discount'],
                    r['paid_date'] or r['due_date'], user, now)
                for r, bill_id in zip(self.rows, bill_ids)
                if r['discount']])

        counts = self.counts
        by_project = defaultdict(list)
        for row, bill_id in zip(self.rows, bill_ids):
            by_project[row['project']].append((row, bill_id))
            counts['bills'] += 1
            counts[f'{self._state(row)}_bills'] += 1
            counts['amount'] += row['amount']
            counts['received'] += row['paid']
            counts['discount'] += row['discount']
            counts['outstanding'] += self._outstanding(row)
        for project, items in by_project.items():
            if self._post(project, items):
                counts['moves'] += 1
        return counts

    def _post(self, project, items):
        """Post the outstanding amounts of the bills of project in one move

        Only what is still owed (amount − paid − discount) is posted, per
        fee item: the money received before the import was booked by the
        old system, so posting the amounts would count it twice. The
        receivable control accounts then equal the balances of the open
        bills. The move is set on every imported bill, paid ones
        included, so that none of them is posted again.
        """
        pool = Pool()
        Bill = pool.get('property.bill')
        Company = pool.get('company.company')
        amounts = defaultdict(Decimal)
        for row, _ in items:
            amounts[row['fee_item'].id] += self._outstanding(row)
        move = Bill.post_amounts(Company(self.company_id), project,
            sorted(amounts.items()))
        if not move:
            return None
        bill = Bill.__table__()
        cursor = Transaction().connection.cursor()
        for sub in grouped_slice([i for _, i in items], in_max()):
            cursor.execute(*bill.update([bill.move], [move.id],
                    where=bill.id.in_(list(sub))))
        return move

    @staticmethod
    def _outstanding(row):
        return row['amount'] - row['paid'] - row['discount']

    @staticmethod
    def _state(row):
        return bill_state(row['amount'], row['paid'], row['discount'])

    def _bill_record(self, row, user, now):
        "Return the values of BILL_COLUMNS for row"
        resource = row['resource']
        description = [row['note']] if row['note'] else []
        if row['paid_date']:
            description.append(gettext(
                    'aishang_billing.msg_bill_import_received',
                    date=row['paid_date']))
        return (
            self.company_id, row['project'].id, resource.id,
            resource.building.id if resource.building else None,
            row['party'].id if row['party'] else None, row['fee_item'].id,
            row['period_start'], row['period_end'], row['period_start'],
            row['amount'], ZERO, row['discount'], row['paid'],
            self._outstanding(row), row['due_date'], self._state(row),
            'import', row['number'], '; '.join(description) or None,
            user, now)


def insert(Model, names, records):
    "Insert records of values of the columns names; return their ids"
    transaction = Transaction()
    database = transaction.database
    connection = transaction.connection
    cursor = connection.cursor()
    table = Model.__table__()
    columns = [getattr(table, n) for n in names]
    ids = []
    # As many rows per statement as ModelSQL.create puts
    size = backend.MAX_QUERY_PARAMS // (len(columns) + 1)
    for sub in grouped_slice(records, size):
        sub = list(sub)
        # PostgreSQL gives the ids of a batch at once
        new_ids = database.nextid(connection, Model._table, count=len(sub))
        if new_ids is None:
            for values in sub:
                cursor.execute(*table.insert(columns, [list(values)]))
                ids.append(database.lastid(cursor))
            continue
        if len(sub) == 1:
            new_ids = [new_ids]
        cursor.execute(*table.insert(columns + [table.id],
                [list(v) + [i] for v, i in zip(sub, new_ids)]))
        ids.extend(new_ids)
    return ids


class BillImportStart(ImportStartMixin, ModelView):
    "Import bills: template and file"
    __name__ = 'property.bill.import.start'


class BillImportResult(ImportResultMixin, ModelView):
    "Import bills: what was created or what is wrong"
    __name__ = 'property.bill.import.result'

    bills = fields.Integer("Bills Created", readonly=True)
    open_bills = fields.Integer("Open", readonly=True)
    partial_bills = fields.Integer("Partially Paid", readonly=True)
    paid_bills = fields.Integer("Paid", readonly=True)
    amount = fields.Numeric("Amount", digits=(16, 2), readonly=True)
    received = fields.Numeric("Received", digits=(16, 2), readonly=True)
    discount = fields.Numeric("Discount", digits=(16, 2), readonly=True)
    outstanding = fields.Numeric(
        "Outstanding", digits=(16, 2), readonly=True,
        help="Amount less received and discount: what was posted to the "
        "receivable accounts.")
    moves = fields.Integer("Account Moves", readonly=True)


class BillImport(ImportWizardMixin, Wizard):
    "Import historical received and outstanding bills from a file"
    __name__ = 'property.bill.import'
    template_filename = TEMPLATE_FILENAME

    start = StateView('property.bill.import.start',
        'aishang_billing.bill_import_start_view_form', [
            Button("Cancel", 'end', 'tryton-cancel'),
            Button("Import", 'import_', 'tryton-ok', default=True),
            ])
    import_ = StateTransition()
    result = StateView('property.bill.import.result',
        'aishang_billing.bill_import_result_view_form', [
            Button("Back", 'start', 'tryton-back',
                states={'invisible': ~Eval('error_count')}),
            Button("Close", 'end', 'tryton-close', default=True),
            ])

    def get_importer(self, company_id):
        return BillImporter(company_id, self.start.project)

    def get_template(self, project):
        "The template, with a resource and a fee item of the database"
        pool = Pool()
        Resource = pool.get('property.resource')
        FeeItem = pool.get('property.fee_item')
        company = Transaction().context.get('company')
        resources = Resource.search(
            [('project', '=', project.id)], order=[('code', 'ASC')],
            limit=1) if project else []
        fee_items = FeeItem.search(
            [('company', '=', company)], limit=1) if company else []
        return write_template(
            project.code if project else None,
            resources[0].code if resources else None,
            fee_items[0].code if fee_items else None)
