# This file is part of Aishang Property. See the LICENSE file at the top level
# of this repository for full copyright notices and license terms.
import datetime as dt
from collections import defaultdict
from decimal import Decimal

from sql import Literal, Null
from sql.aggregate import Count

from trytond import backend
from trytond.i18n import gettext
from trytond.model import Index, ModelSQL, ModelView, Workflow, fields
from trytond.pool import Pool
from trytond.pyson import Eval
from trytond.tools import grouped_slice
from trytond.transaction import Transaction

from .bill import bill_number, bill_number_sql
from .generation import plan_bills
from .money import period_containing

# Columns the run writes, in the order of its bulk insert.
BILL_COLUMNS = [
    'company', 'project', 'resource', 'building', 'party', 'fee_item',
    'period_start', 'period_end', 'period_key', 'quantity', 'unit_price',
    'months', 'days', 'period_days', 'amount', 'late_fee', 'discount',
    'paid', 'balance', 'due_date', 'state', 'origin', 'run',
    'create_uid', 'create_date']


class BillRun(Workflow, ModelSQL, ModelView):
    "A generation of the bills of a project for a period (账单批次)"
    __name__ = 'property.bill.run'
    _states = {'readonly': Eval('state') != 'draft'}
    company = fields.Many2One(
        'company.company', "Company", required=True, states=_states)
    project = fields.Many2One(
        'property.project', "Project", required=True, states=_states,
        domain=[('company', '=', Eval('company', -1))])
    date = fields.Date(
        "Period Date", required=True, states=_states,
        help="Any day of the period to bill; each rule bills the period "
        "of its cycle that holds it.")
    bill_rules = fields.Many2Many(
        'property.bill.run-property.bill_rule', 'run', 'rule', "Bill Rules",
        states=_states,
        domain=[('project', '=', Eval('project', -1))],
        help="Leave empty to apply every active rule of the project.")
    origin_cron = fields.Boolean("Scheduled", readonly=True)
    state = fields.Selection([
            ('draft', "Draft"),
            ('queued', "Queued"),
            ('done', "Done"),
            ], "State", readonly=True, required=True, sort=False)
    state_string = state.translated('state')
    progress = fields.Function(
        fields.Integer("Progress (%)"), 'get_progress')
    preview = fields.Text("Preview", readonly=True)
    skipped = fields.Text("Skipped", readonly=True)
    bill_count = fields.Integer("Bills Created", readonly=True)
    total = fields.Numeric("Total", digits=(16, 2), readonly=True)
    moves = fields.One2Many('account.move', 'origin', "Account Moves",
        readonly=True)
    bills = fields.One2Many('property.bill', 'run', "Bills", readonly=True)
    done_at = fields.DateTime("Done At", readonly=True)
    del _states

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_indexes.add(Index(t, (t.project, Index.Equality())))
        cls._order = [('date', 'DESC'), ('id', 'DESC')]
        cls._transitions |= {
            ('draft', 'queued'),
            ('draft', 'done'),
            ('queued', 'done'),
            }
        cls._buttons.update({
                'compute_preview': {
                    'invisible': Eval('state') != 'draft',
                    'depends': ['state'],
                    },
                'start': {
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
    def default_date():
        return Pool().get('ir.date').today()

    @classmethod
    def get_progress(cls, runs, name):
        "Done runs show 100, running ones what _set_progress wrote last"
        pool = Pool()
        Progress = pool.get('property.bill.run.progress')
        progress = Progress.__table__()
        cursor = Transaction().connection.cursor()
        result = {r.id: 100 if r.state == 'done' else 0 for r in runs}
        running = [r.id for r in runs if r.state != 'done']
        if running:
            cursor.execute(*progress.select(
                    progress.run, progress.percent,
                    where=progress.run.in_(running)))
            result.update(cursor)
        return result

    @staticmethod
    def default_origin_cron():
        return False

    def get_rec_name(self, name):
        return f'{self.project.rec_name} {self.date}'

    def active_rules(self):
        BillRule = Pool().get('property.bill_rule')
        if self.bill_rules:
            return [r for r in self.bill_rules if r.active]
        return BillRule.search([('project', '=', self.project.id)])

    @classmethod
    @ModelView.button
    def compute_preview(cls, runs):
        "Compute what the run would bill without writing any bill"
        for run in runs:
            rows, skipped = run._plan()
            run.preview = run._summary(rows)
            run.skipped = run._skipped_text(skipped)
        cls.save(runs)

    @classmethod
    @ModelView.button
    @Workflow.transition('queued')
    def start(cls, runs):
        "Generate the bills: at once for tests and cron, queued otherwise"
        if Transaction().context.get('queue_name') is None \
                and not Transaction().context.get('bill_run_sync'):
            cls.__queue__.process(runs)
        else:
            cls.process(runs)

    @classmethod
    @Workflow.transition('done')
    def process(cls, runs):
        pool = Pool()
        Project = pool.get('property.project')
        Bill = pool.get('property.bill')
        for run in runs:
            # One run at a time per project: the unique key would refuse a
            # concurrent duplicate anyway, this avoids a failed run.
            Project.lock([run.project])
            # Before the work: a lock asked for later restarts it all
            Bill.lock_posting(run.company)
            rows, skipped = run._plan()
            run._set_progress(50)
            existing = run._existing_keys(rows)
            rows = [r for r in rows if (
                    r['resource'], r['fee_item'], r['period_start'])
                not in existing]
            run._insert(rows)
            run.bill_count = len(rows)
            run.total = sum((r['amount'] for r in rows), Decimal(0))
            run.skipped = run._skipped_text(skipped)
            run.done_at = dt.datetime.now()
        cls.save(runs)

    def _plan(self):
        rules = self.active_rules()
        if not rules:
            return [], []
        resources = self._load_resources(rules)
        resource_ids = [r['id'] for r in resources]
        price_rules = self._load_price_rules(rules)
        period_starts = [period_containing(self.date, r.cycle)[0]
            for r in rules]
        self._add_occupants(resources, min(period_starts))
        ownerships = self._load_ownerships(resource_ids)
        fee_items = {r.fee_item.id: {
                'digits': r.fee_item.digits,
                'rounding': r.fee_item.rounding_mode,
                } for r in rules}
        return plan_bills(self.date, resources,
            [dict(r.scope_values(), fee_item=r.fee_item.id, cycle=r.cycle,
                    due_offset=r.due_offset, lease_bound=r.lease_bound)
                for r in rules],
            price_rules, ownerships, fee_items)

    def _load_resources(self, rules):
        Resource = Pool().get('property.resource')
        resource = Resource.__table__()
        cursor = Transaction().connection.cursor()
        last_end = max(period_containing(self.date, r.cycle)[1]
            for r in rules)
        inner = self.project.area_basis == 'inner'
        cursor.execute(*resource.select(
                resource.id, resource.project, resource.building,
                resource.unit, resource.kind, resource.building_area,
                resource.inner_area, resource.handover_date,
                resource.lease_start, resource.lease_end,
                where=(resource.project == self.project.id)
                & (resource.active == Literal(True))
                & resource.status.in_(['handed_over', 'decorating'])
                & (resource.handover_date <= last_end),
                order_by=[resource.id]))
        keys = ['id', 'project', 'building', 'unit', 'kind',
            'building_area', 'inner_area', 'handover_date', 'lease_start',
            'lease_end']
        resources = []
        for row in cursor:
            values = dict(zip(keys, row))
            for key in ['building_area', 'inner_area']:
                if values[key] is not None:
                    # SQLite returns floats for Numeric columns
                    values[key] = Decimal(str(values[key]))
            for key in ['handover_date', 'lease_start', 'lease_end']:
                values[key] = _as_date(values[key])
            values['resource'] = values['id']
            values['area'] = (values['inner_area'] if inner
                else values['building_area'])
            values['usage'] = None
            resources.append(values)
        return resources

    def _add_occupants(self, resources, date):
        Occupant = Pool().get('property.occupant')
        Resource = Pool().get('property.resource')
        occupant = Occupant.__table__()
        resource = Resource.__table__()
        cursor = Transaction().connection.cursor()
        cursor.execute(*occupant.join(resource,
                condition=occupant.resource == resource.id).select(
                occupant.resource, Count(occupant.id),
                where=(resource.project == self.project.id)
                & ((occupant.start_date == Null)
                    | (occupant.start_date <= date))
                & ((occupant.end_date == Null)
                    | (occupant.end_date >= date)),
                group_by=[occupant.resource]))
        counts = dict(cursor)
        for values in resources:
            values['occupants'] = counts.get(values['id'], 0)

    def _load_price_rules(self, rules):
        PriceRule = Pool().get('property.price_rule')
        price_rules = defaultdict(list)
        for rule in PriceRule.search([
                    ('project', '=', self.project.id),
                    ('fee_item', 'in', list({r.fee_item.id for r in rules})),
                    ]):
            price_rules[rule.fee_item.id].append(dict(rule.scope_values(),
                    method=rule.method, unit_price=rule.unit_price,
                    formula=rule.formula))
        return price_rules

    def _load_ownerships(self, resource_ids):
        pool = Pool()
        Ownership = pool.get('property.ownership')
        Resource = pool.get('property.resource')
        ownership = Ownership.__table__()
        resource = Resource.__table__()
        cursor = Transaction().connection.cursor()
        cursor.execute(*ownership.join(resource,
                condition=ownership.resource == resource.id).select(
                ownership.id, ownership.resource, ownership.party,
                ownership.start_date, ownership.end_date, ownership.primary,
                where=resource.project == self.project.id))
        ownerships = defaultdict(list)
        for id_, resource_id, party, start, end, primary in cursor:
            ownerships[resource_id].append({
                    'id': id_, 'party': party, 'start': _as_date(start),
                    'end': _as_date(end), 'primary': bool(primary)})
        return ownerships

    def _existing_keys(self, rows):
        Bill = Pool().get('property.bill')
        bill = Bill.__table__()
        cursor = Transaction().connection.cursor()
        if not rows:
            return set()
        fee_items = list({r['fee_item'] for r in rows})
        first = min(r['period_start'] for r in rows)
        last = max(r['period_start'] for r in rows)
        cursor.execute(*bill.select(
                bill.resource, bill.fee_item, bill.period_key,
                where=(bill.project == self.project.id)
                & bill.fee_item.in_(fee_items)
                & (bill.period_key >= first) & (bill.period_key <= last)))
        return {(r, f, _as_date(p)) for r, f, p in cursor}

    def _insert(self, rows):
        """Write rows in bulk, numbered and posted: return their ids.

        The move is posted first from the rows' sums, so that each row is
        written once with its number and move: on PostgreSQL the ids come
        from the table's sequence and one COPY writes everything (an
        UPDATE of the number then of the move rewrote every row and all
        its index entries twice). Elsewhere, batched INSERT and an UPDATE
        of the number.

        The unique key (resource, fee item, period) still guards against
        a concurrent run: the whole run then fails and can be rerun.
        """
        Bill = Pool().get('property.bill')
        table = Bill.__table__()
        transaction = Transaction()
        cursor = transaction.connection.cursor()
        if not rows:
            return []
        totals = defaultdict(Decimal)
        for r in rows:
            totals[r['fee_item']] += r['amount']
        move = Bill.post_amounts(self.company, self.project,
            sorted(totals.items()), origin=self)
        move_id = move.id if move else None
        now = dt.datetime.now()
        zero = Decimal(0)
        company, user = self.company.id, transaction.user

        def record(r):
            return (
                company, r['project'], r['resource'], r['building'],
                r['party'], r['fee_item'], r['period_start'],
                r['period_end'], r['period_start'], r['quantity'],
                r['unit_price'], r['months'], r['days'], r['period_days'],
                r['amount'], zero, zero, zero, r['amount'], r['due_date'],
                'open', 'run', self.id, user, now)
        if backend.name == 'postgresql':
            cursor.execute(
                'SELECT nextval(pg_get_serial_sequence(%s, %s)) '
                'FROM generate_series(1, %s)',
                (Bill._table, 'id', len(rows)))
            ids = [i for i, in cursor]
            columns = ', '.join(
                f'"{c}"' for c in ['id', 'number', 'move'] + BILL_COLUMNS)
            with cursor.copy(
                    f'COPY "{Bill._table}" ({columns}) FROM STDIN') as copy:
                for i, (id_, r) in enumerate(zip(ids, rows), 1):
                    copy.write_row((id_, bill_number(id_), move_id)
                        + record(r))
                    if i % 20000 == 0:
                        self._set_progress(50 + 40 * i // len(rows))
            return ids
        columns = [getattr(table, c) for c in BILL_COLUMNS + ['move']]
        for sub in grouped_slice(rows, 500):
            cursor.execute(*table.insert(
                    columns, [record(r) + (move_id,) for r in sub]))
        cursor.execute(*table.update(
                [table.number], [bill_number_sql(table)],
                where=(table.run == self.id) & (table.number == Null)))
        cursor.execute(*table.select(table.id, where=table.run == self.id))
        return [i for i, in cursor]

    def _set_progress(self, percent):
        """Show progress to other sessions while a long run goes on.

        Written in its own table: the run's REPEATABLE READ transaction
        writes the run's row at its end, which PostgreSQL refuses if
        another transaction committed a change of that row meanwhile
        ("could not serialize access due to concurrent update").
        """
        if backend.name != 'postgresql' or self.id is None:
            return
        Progress = Pool().get('property.bill.run.progress')
        with Transaction().new_transaction() as transaction:
            table = Progress.__table__()
            cursor = transaction.connection.cursor()
            cursor.execute(*table.delete(where=table.run == self.id))
            cursor.execute(*table.insert(
                    [table.run, table.percent, table.create_uid,
                        table.create_date],
                    [[self.id, percent, transaction.user,
                            dt.datetime.now()]]))
            transaction.commit()

    @staticmethod
    def _summary(rows):
        FeeItem = Pool().get('property.fee_item')
        totals = defaultdict(lambda: [0, Decimal(0)])
        for row in rows:
            totals[row['fee_item']][0] += 1
            totals[row['fee_item']][1] += row['amount']
        lines = []
        for fee_item, (count, total) in sorted(totals.items()):
            lines.append(gettext('aishang_billing.msg_run_preview_line',
                    fee_item=FeeItem(fee_item).rec_name, count=count,
                    total=total))
        lines.append(gettext('aishang_billing.msg_run_preview_total',
                count=len(rows), total=sum(
                    (t for _, t in totals.values()), Decimal(0))))
        return '\n'.join(lines)

    @staticmethod
    def _skipped_text(skipped):
        pool = Pool()
        Resource = pool.get('property.resource')
        FeeItem = pool.get('property.fee_item')
        shown = skipped[:1000]
        # Browsed together so that their names are read in one query
        resources = {r.id: r for r in Resource.browse(
                list({s[0] for s in shown}))}
        lines = []
        for resource, fee_item, reason, detail in shown:
            lines.append(gettext(f'aishang_billing.msg_run_skipped_{reason}',
                    resource=resources[resource].rec_name,
                    fee_item=FeeItem(fee_item).rec_name,
                    detail=detail or ''))
        if len(skipped) > 1000:
            lines.append(gettext('aishang_billing.msg_run_skipped_more',
                    count=len(skipped) - 1000))
        return '\n'.join(lines)


class BillRunProgress(ModelSQL):
    "Bill Run Progress, written outside the run's transaction"
    __name__ = 'property.bill.run.progress'
    # No foreign key: the run may not be committed yet when its progress
    # is written from another transaction.
    run = fields.Integer("Run", required=True)
    percent = fields.Integer("Percent")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_indexes.add(Index(t, (t.run, Index.Equality())))


class BillRunRule(ModelSQL):
    "Bill Run - Bill Rule"
    __name__ = 'property.bill.run-property.bill_rule'
    run = fields.Many2One(
        'property.bill.run', "Run", required=True, ondelete='CASCADE')
    rule = fields.Many2One(
        'property.bill_rule', "Rule", required=True, ondelete='CASCADE')


def _as_date(value):
    "SQLite returns dates as text in raw queries"
    if value is None or isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])
