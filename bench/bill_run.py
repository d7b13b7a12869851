#!/usr/bin/env python3
# This file is part of Aishang Property. See the LICENSE file at the top level
# of this repository for full copyright notices and license terms.
"""Benchmark one monthly bill run against a raw COPY of the same rows.

    python bench/bill_run.py --resources 100000 \
        --db postgresql://postgres@127.0.0.1:5432/
    python bench/bill_run.py --resources 2000 --db sqlite

It creates a scratch database (PostgreSQL: ``bench_<pid>``, dropped at the
end even on failure; SQLite: a file in a temporary directory), activates
aishang_billing with trytond-admin (in process), then builds untimed a
tenant: a company with accounting, one project, buildings of 2 units, N
resources (homes and ground-floor shops, a few unsold, decorating, handed
over mid-month or next month), owners for most of them (a few change owner
mid-month), 2 periodic fee items (物业费 by area, 垃圾处理费 per household)
with prices at project, building, kind and single-resource scope, and one
monthly bill rule per fee item at project level.

Timed:

* ``seconds``: ``BillRun.start`` in sync mode plus the commit, including
  the restarts of the transaction that Tryton does when a lock is first
  asked for (as its worker does; each restart is printed);
* ``copy_seconds``: PostgreSQL ``COPY`` (psycopg 3 ``cursor.copy``) of the
  bills the run wrote, same columns (``BILL_COLUMNS``) and types, into a
  scratch table without indexes, plus the commit. On SQLite there is no
  COPY: it is an ``executemany`` INSERT of the same rows.

Then the result is checked against an independent computation (count of
bills, amount per resource and fee item, total, posted move), and the last
line printed is::

    bills=<int> seconds=<float> copy_seconds=<float> ratio_vs_copy=<float>

The exit status is 1 when a check fails. Options: ``--phases`` times the
steps of the run (wrappers around the engine's methods), ``--profile FILE``
runs it under cProfile and prints the top functions, ``--keep`` keeps the
database, ``--no-progress`` turns ``BillRun._set_progress`` into a no-op,
without which the run fails on PostgreSQL as long as it commits the
run's progress beside the run's own transaction (see NO_PROGRESS_HINT).
"""
import argparse
import calendar
import cProfile
import datetime as dt
import io
import os
import pstats
import random
import shutil
import signal
import sys
import tempfile
import time
from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal

# bench/_common.py (the script's directory is on sys.path)
from _common import (
    activate, bulk_insert, create_company, database_uri, info, pg_create,
    pg_drop, server_uri, setup_accounting, transact, write_config)

ROOMS_PER_FLOOR = 4
FLOORS = 25
UNITS = 2
PER_BUILDING = ROOMS_PER_FLOOR * FLOORS * UNITS   # 200
CENT = Decimal('0.01')
D = Decimal
NO_PROGRESS_HINT = (
    "BillRun._set_progress commits an UPDATE of the run's row in a new "
    "transaction while the run's own REPEATABLE READ transaction later "
    "writes that row (the final save and the 'done' transition), so "
    "PostgreSQL refuses that write: 'could not serialize access due to "
    "concurrent update'. Rerun with --no-progress to measure the rest.")


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--resources', '-n', type=int, required=True)
    parser.add_argument('--db', default='sqlite',
        help="'sqlite' or a PostgreSQL URI such as "
        "postgresql://postgres@127.0.0.1:5432/ (default: sqlite)")
    parser.add_argument('--seed', type=int, default=20240601)
    parser.add_argument('--phases', action='store_true',
        help="time the steps of the run (adds a few wrapper calls)")
    parser.add_argument('--profile', metavar='FILE',
        help="run the bill run under cProfile, save the stats to FILE")
    parser.add_argument('--no-progress', action='store_true',
        help="work around the PostgreSQL serialization failure of "
        "BillRun._set_progress (see NO_PROGRESS_HINT) by making it a no-op "
        "in this process")
    parser.add_argument('--keep', action='store_true',
        help="do not drop the database at the end")
    return parser.parse_args(argv)


# Tenant -------------------------------------------------------------------

def plan_tenant(n, seed, period):
    """The resources and owners of the tenant as plain data (no database).

    Return (buildings, resources, owners): buildings is a list of codes;
    resources a list of mappings; owners maps a resource index to a list
    of (start, end) of its successive owners.
    """
    rng = random.Random(seed)
    start, end = period
    n_buildings = -(-n // PER_BUILDING)
    buildings = [str(b + 1) for b in range(n_buildings)]
    resources = []
    for i in range(n):
        b, rest = divmod(i, PER_BUILDING)
        u, rest = divmod(rest, FLOORS * ROOMS_PER_FLOOR)
        floor, room = divmod(rest, ROOMS_PER_FLOOR)
        floor += 1
        room += 1
        kind = 'shop' if floor == 1 else 'residence'
        number = f'{floor}{room:02d}'
        if kind == 'shop':
            area = D(rng.randint(3000, 30000)) / 100
        else:
            area = D(rng.randint(6000, 18000)) / 100
        draw = rng.random()
        status, handover = 'handed_over', dt.date(2020, 1, 1)
        if draw < 0.02:
            status, handover = 'unsold', None
        elif draw < 0.05:
            status = 'decorating'
        elif draw < 0.06:
            # handed over mid-month: pro-rated
            handover = start + dt.timedelta(days=15)
        elif draw < 0.065:
            # handed over next month: not billed yet
            handover = end + dt.timedelta(days=3)
        resources.append({
                'index': i, 'building': buildings[b], 'unit': str(u + 1),
                'number': number, 'floor': floor, 'kind': kind,
                'code': f'{buildings[b]}-{u + 1}-{number}',
                'building_area': area,
                'inner_area': (area * D('0.8')).quantize(CENT),
                'status': status, 'handover_date': handover,
                })
    owners = {}
    for r in resources:
        draw = rng.random()
        if draw < 0.08:
            continue  # no owner on file: billed without payer
        if draw < 0.085:
            # sold on the 10th: two owners share the month
            cut = start + dt.timedelta(days=9)
            owners[r['index']] = [(None, cut), (cut + dt.timedelta(days=1),
                    None)]
        else:
            owners[r['index']] = [(None, None)]
    return buildings, resources, owners


def price_plan(buildings, resources, rng):
    """Prices per fee item: project, building, kind and resource scopes.

    Return {fee code: {'method', 'project', 'building': {code: price},
    'kind': {kind: price}, 'resource': {index: price}}}.
    """
    billable = [r['index'] for r in resources if r['status'] != 'unsold']
    picks = rng.sample(billable, min(10, len(billable)))
    return {
        'WYF': {
            'method': 'area',
            'project': D('2.30'),
            'building': {b: D('3.20') for b in buildings[::10]},
            'kind': {'shop': D('6.50')},
            'resource': {i: D('1.50') for i in picks[:5]},
            },
        'LJF': {
            'method': 'household',
            'project': D('15.00'),
            'building': {b: D('12.00') for b in buildings[3::7]},
            'kind': {'shop': D('40.00')},
            'resource': {i: D('8.00') for i in picks[5:]},
            },
        }


def build_tenant(args, dbname, today):
    """Create the tenant; return a mapping of what the checks need"""
    from trytond import backend
    from trytond.pool import Pool
    from trytond.transaction import Transaction

    period = (today.replace(day=1), today.replace(
            day=calendar.monthrange(today.year, today.month)[1]))
    rng = random.Random(args.seed + 1)
    buildings, resources, owners = plan_tenant(
        args.resources, args.seed, period)
    prices = price_plan(buildings, resources, rng)
    now = dt.datetime.now()

    def first():
        User = Pool().get('res.user')
        company = create_company()
        admin, = User.search([('login', '=', 'admin')])
        User.write([admin], {'companies': [('add', [company.id])],
                'company': company.id})
        return admin.id, company.id
    admin_id, company_id = transact(dbname, 0, {}, first)

    with Transaction().start(dbname, admin_id, context={}):
        User = Pool().get('res.user')
        context = User.get_preferences(context_only=True)
    context = dict(context, company=company_id)
    result = {}

    def populate():
        pool = Pool()
        Company = pool.get('company.company')
        Project = pool.get('property.project')
        Building = pool.get('property.building')
        FeeItem = pool.get('property.fee_item')
        PriceRule = pool.get('property.price_rule')
        BillRule = pool.get('property.bill_rule')
        cursor = Transaction().connection.cursor()
        company = Company(company_id)

        t0 = time.perf_counter()
        control, revenue = setup_accounting(company, today)
        info(f"setup: accounting {time.perf_counter() - t0:.1f}s")

        t0 = time.perf_counter()
        project, = Project.create([{'company': company.id, 'code': 'AS',
                    'name': "爱尚花园", 'area_basis': 'building'}])
        building_ids, unit_ids = {}, {}
        for i in range(0, len(buildings), 100):
            created = Building.create([{
                        'project': project.id, 'code': code,
                        'name': f'{code}号楼', 'floors': FLOORS,
                        'units': [('create', [{'code': str(u + 1),
                                        'name': f'{u + 1}单元'}
                                    for u in range(UNITS)])],
                        } for code in buildings[i:i + 100]])
            for building in created:
                building_ids[building.code] = building.id
                for unit in building.units:
                    unit_ids[(building.code, unit.code)] = unit.id
        info(f"setup: project and {len(buildings)} buildings "
            f"{time.perf_counter() - t0:.1f}s")

        t0 = time.perf_counter()
        bulk_insert('property_resource', [
                'project', 'building', 'unit', 'kind', 'number', 'code',
                'floor', 'status', 'handover_date', 'occupancy',
                'building_area', 'inner_area', 'active',
                'create_uid', 'create_date'], [(
                    project.id, building_ids[r['building']],
                    unit_ids[(r['building'], r['unit'])], r['kind'],
                    r['number'], r['code'], r['floor'], r['status'],
                    r['handover_date'],
                    'vacant' if r['status'] == 'unsold' else 'self_occupied',
                    r['building_area'], r['inner_area'], True,
                    admin_id, now) for r in resources])
        cursor.execute('SELECT code, id FROM property_resource '
            'WHERE project = %s' % project.id)
        ids = dict(cursor)
        for r in resources:
            r['id'] = ids[r['code']]
        info(f"setup: {len(resources)} resources "
            f"{time.perf_counter() - t0:.1f}s")

        t0 = time.perf_counter()
        ownerships = [(r['index'], s, e) for r in resources
            for s, e in owners.get(r['index'], [])]
        bulk_insert('party_party', [
                'name', 'code', 'code_alnum', 'code_digit', 'owner',
                'owner_phone', 'active', 'create_uid', 'create_date'], [(
                    f'业主{k:07d}', f'BO{k:07d}', f'BO{k:07d}', k, True,
                    f'139{k:08d}', True, admin_id, now)
                for k in range(1, len(ownerships) + 1)])
        cursor.execute("SELECT code, id FROM party_party "
            "WHERE code LIKE 'BO%'")
        party_ids = dict(cursor)
        bulk_insert('property_ownership', [
                'resource', 'party', 'share', 'primary', 'start_date',
                'end_date', 'create_uid', 'create_date'], [(
                    resources[index]['id'], party_ids[f'BO{k:07d}'],
                    D(100), True, s, e, admin_id, now)
                for k, (index, s, e) in enumerate(ownerships, 1)])
        info(f"setup: {len(ownerships)} owners and ownerships "
            f"{time.perf_counter() - t0:.1f}s")

        t0 = time.perf_counter()
        fee_items = {}
        for code, name in [('WYF', "物业费"), ('LJF', "垃圾处理费")]:
            fee_item, = FeeItem.create([{'company': company.id,
                        'code': code, 'name': name, 'category': 'periodic',
                        'account_receivable': control.id,
                        'account_revenue': revenue.id}])
            fee_items[code] = fee_item.id
            plan = prices[code]
            base = {'fee_item': fee_item.id, 'project': project.id,
                'method': plan['method']}
            PriceRule.create([dict(base, unit_price=plan['project'])]
                + [dict(base, building=building_ids[b], unit_price=p)
                    for b, p in plan['building'].items()]
                + [dict(base, kind=k, unit_price=p)
                    for k, p in plan['kind'].items()]
                + [dict(base, resource=resources[i]['id'], unit_price=p)
                    for i, p in plan['resource'].items()])
            BillRule.create([{'fee_item': fee_item.id,
                        'project': project.id, 'cycle': 'monthly',
                        'due_offset': 15}])
        n_prices = PriceRule.search([], count=True)
        info(f"setup: 2 fee items, {n_prices} price rules, 2 bill rules "
            f"{time.perf_counter() - t0:.1f}s")
        result.update(project=project.id, fee_items=fee_items,
            building_ids=building_ids, control=control.id)

    transact(dbname, admin_id, context, populate)

    if backend.name == 'postgresql':
        with Transaction().start(dbname, 0) as transaction:
            transaction.connection.cursor().execute('ANALYZE')
            transaction.commit()
    return dict(result, admin=admin_id, context=context,
        company=company_id, period=period, resources=resources,
        owners=owners, prices=prices)


# Expected result, computed independently of aishang_billing.generation -----

def expected_bills(tenant):
    """(count, {(resource id, fee item id): amount}) the run should give.

    Its own simple rules: billable when handed over or decorating on or
    before the period end; price by precedence resource > building > kind
    > project (every price rule here sets one scope field); area or 1 ×
    price, pro-rated by days from the handover, rounded half up once; one
    bill per owner sharing the month.
    """
    start, end = tenant['period']
    period_days = (end - start).days + 1
    amounts, count = {}, 0
    for code, fee_item in tenant['fee_items'].items():
        plan = tenant['prices'][code]
        for r in tenant['resources']:
            if r['status'] not in ('handed_over', 'decorating'):
                continue
            if r['handover_date'] > end:
                continue
            price = plan['resource'].get(r['index'])
            if price is None:
                price = plan['building'].get(r['building'])
            if price is None:
                price = plan['kind'].get(r['kind'])
            if price is None:
                price = plan['project']
            full = r['building_area'] * price \
                if plan['method'] == 'area' else price
            days = (end - max(start, r['handover_date'])).days + 1
            if days < period_days:
                full = full * days / period_days
            amount = full.quantize(CENT, rounding=ROUND_HALF_UP)
            if amount <= 0:
                continue
            amounts[(r['id'], fee_item)] = amount
            # one bill per owner in force during the billed days (the
            # owners here cover the whole month), one without payer if none
            first = max(start, r['handover_date'])
            count += max(1, sum(1 for s, e in tenant['owners'].get(
                            r['index'], [])
                    if (s is None or s <= end) and (e is None or e >= first)))
    return count, amounts


# The run ------------------------------------------------------------------

class Phases:
    "Wall time of the steps of a run, measured by wrapping its methods"

    def __init__(self):
        self.times = defaultdict(float)
        self.calls = defaultdict(int)

    def wrap(self, owner, name, label, classmethod_=False):
        original = getattr(owner, name)
        phases = self

        def timed(*args, **kwargs):
            t0 = time.perf_counter()
            try:
                return original(*args, **kwargs)
            finally:
                phases.times[label] += time.perf_counter() - t0
                phases.calls[label] += 1
        if classmethod_:
            setattr(owner, name, classmethod(
                    lambda cls, *a, **k: timed(*a, **k)))
        else:
            setattr(owner, name, timed)

    def install(self, dbname):
        from trytond.modules.aishang_billing import bill_run
        from trytond.pool import Pool
        pool = Pool(dbname)
        Run = pool.get('property.bill.run')
        Bill = pool.get('property.bill')
        self.wrap(Run, '_plan', 'plan (load + plan_bills)')
        self.wrap(bill_run, 'plan_bills', '  plan_bills (pure Python)')
        self.wrap(Run, '_load_resources', '  load resources')
        self.wrap(Run, '_load_ownerships', '  load ownerships')
        self.wrap(Run, '_existing_keys', 'existing keys')
        self.wrap(Run, '_insert', 'insert (COPY + number + ids)')
        self.wrap(Bill, 'post_group', 'post_group', classmethod_=True)
        self.wrap(Bill, '_sum_by_fee_item', '  sum by fee item',
            classmethod_=True)
        self.wrap(Bill, 'post_amounts', '  create + post move',
            classmethod_=True)

    def report(self, total):
        for label, seconds in self.times.items():
            info(f"phase: {label:32} {seconds:8.2f}s "
                f"({self.calls[label]} call(s))")
        info(f"phase: {'(all of Run.start + commit)':32} {total:8.2f}s")


def run_bills(dbname, tenant, today, args):
    from trytond.pool import Pool
    from trytond.transaction import Transaction

    def create():
        Run = Pool().get('property.bill.run')
        run, = Run.create([{'project': tenant['project'], 'date': today}])
        return run.id
    run_id = transact(dbname, tenant['admin'], tenant['context'], create)

    if args.no_progress:
        Run = Pool(dbname).get('property.bill.run')
        Run._set_progress = lambda self, percent: None
        info("workaround: BillRun._set_progress is a no-op in this run "
            "(--no-progress)")

    phases = None
    if args.phases:
        phases = Phases()
        phases.install(dbname)
    profiler = cProfile.Profile() if args.profile else None

    def start():
        Run = Pool().get('property.bill.run')
        with Transaction().set_context(bill_run_sync=True):
            Run.start([Run(run_id)])
    t0 = time.perf_counter()
    if profiler:
        profiler.enable()
    # Project.lock in BillRun.process restarts the transaction once with
    # the lock, as the worker does: that is part of the time.
    transact(dbname, tenant['admin'], tenant['context'], start)
    if profiler:
        profiler.disable()
    seconds = time.perf_counter() - t0
    info(f"run: {transact.attempts} attempt(s) of the transaction (Tryton "
        "restarts it from the start each time a lock is first asked for, "
        "see the 'transaction:' lines)")
    if phases:
        phases.report(seconds)
    if profiler:
        profiler.dump_stats(args.profile)
        out = io.StringIO()
        stats = pstats.Stats(profiler, stream=out)
        stats.sort_stats('cumulative').print_stats(35)
        stats.sort_stats('tottime').print_stats(25)
        for line in out.getvalue().splitlines():
            info('profile: ' + line)
    return run_id, seconds


# The COPY baseline --------------------------------------------------------

def fetch_bill_rows(dbname, run_id):
    from trytond.modules.aishang_billing.bill_run import BILL_COLUMNS
    from trytond.transaction import Transaction
    with Transaction().start(dbname, 0) as transaction:
        cursor = transaction.connection.cursor()
        columns = ', '.join(f'"{c}"' for c in BILL_COLUMNS)
        cursor.execute(f'SELECT {columns} FROM property_bill '
            f'WHERE run = {int(run_id)} ORDER BY id')
        return list(cursor)


def copy_baseline_pg(uri, dbname, rows):
    """Seconds to COPY rows into a table with property_bill's columns.

    Also measure, for information, a copy into a table with property_bill's
    identity id, indexes, unique key and foreign keys: the floor of any
    bulk write into property_bill itself.
    """
    import psycopg
    from trytond.modules.aishang_billing.bill_run import BILL_COLUMNS
    names = ', '.join(f'"{c}"' for c in BILL_COLUMNS)
    with psycopg.connect(database_uri(uri, dbname)) as conn:
        types = dict(conn.execute(
                "SELECT attname, format_type(atttypid, atttypmod) "
                "FROM pg_attribute WHERE attrelid = 'property_bill'::regclass "
                "AND attnum > 0 AND NOT attisdropped").fetchall())
        conn.execute('CREATE TABLE bench_copy (%s)' % ', '.join(
                f'"{c}" {types[c]}' for c in BILL_COLUMNS))
        conn.execute('CREATE TABLE bench_copy_idx '
            '(LIKE property_bill INCLUDING ALL)')
        for name, definition in conn.execute(
                "SELECT conname, pg_get_constraintdef(oid) "
                "FROM pg_constraint WHERE contype = 'f' "
                "AND conrelid = 'property_bill'::regclass").fetchall():
            conn.execute(f'ALTER TABLE bench_copy_idx ADD CONSTRAINT '
                f'"bench_{name}" {definition}')
        conn.commit()

        def timed_copy(table):
            t0 = time.perf_counter()
            with conn.cursor() as cursor:
                with cursor.copy(
                        f'COPY {table} ({names}) FROM STDIN') as copy:
                    for row in rows:
                        copy.write_row(row)
            conn.commit()
            return time.perf_counter() - t0
        seconds = timed_copy('bench_copy')
        with_indexes = timed_copy('bench_copy_idx')
        count, = conn.execute('SELECT count(*) FROM bench_copy').fetchone()
        assert count == len(rows), (count, len(rows))
        conn.execute('DROP TABLE bench_copy')
        conn.execute('DROP TABLE bench_copy_idx')
        conn.commit()
    info(f"copy: {len(rows)} rows into bench_copy (no index) "
        f"{seconds:.2f}s; for information, into a copy of property_bill "
        f"with its indexes and foreign keys {with_indexes:.2f}s "
        f"(psycopg {psycopg.__version__}, {psycopg.pq.__impl__} "
        "implementation)")
    return seconds


def copy_baseline_sqlite(dbname, rows):
    "SQLite has no COPY: executemany INSERT of rows into a scratch table"
    from trytond.modules.aishang_billing.bill_run import BILL_COLUMNS
    from trytond.transaction import Transaction
    with Transaction().start(dbname, 0) as transaction:
        cursor = transaction.connection.cursor()
        cursor.execute("SELECT name, type FROM pragma_table_info("
            "'property_bill')")
        types = dict(cursor)
        cursor.execute('CREATE TABLE bench_copy (%s)' % ', '.join(
                f'"{c}" {types[c]}' for c in BILL_COLUMNS))
        transaction.commit()
        names = ', '.join(f'"{c}"' for c in BILL_COLUMNS)
        marks = ', '.join('?' for _ in BILL_COLUMNS)
        t0 = time.perf_counter()
        cursor.executemany(
            f'INSERT INTO bench_copy ({names}) VALUES ({marks})', rows)
        transaction.commit()
        seconds = time.perf_counter() - t0
        cursor.execute('DROP TABLE bench_copy')
        transaction.commit()
    info(f"copy: SQLite has no COPY; copy_seconds is an executemany INSERT "
        f"of the {len(rows)} bill rows into a scratch table: {seconds:.2f}s")
    return seconds


# Checks -------------------------------------------------------------------

def verify(dbname, tenant, run_id):
    from trytond.pool import Pool
    from trytond.transaction import Transaction
    count, amounts = expected_bills(tenant)
    total = sum(amounts.values(), D(0))
    with Transaction().start(dbname, tenant['admin'],
            context=tenant['context']) as transaction:
        pool = Pool()
        Run = pool.get('property.bill.run')
        Account = pool.get('account.account')
        cursor = transaction.connection.cursor()
        run = Run(run_id)
        cursor.execute('SELECT resource, fee_item, amount, number, move, '
            'state FROM property_bill WHERE run = %s' % int(run_id))
        got = defaultdict(D)
        numbers, moves, states, n = set(), set(), set(), 0
        for resource, fee_item, amount, number, move, state in cursor:
            got[(resource, fee_item)] += D(str(amount))
            numbers.add(number)
            moves.add(move)
            states.add(state)
            n += 1
        bad = [k for k in set(got) | set(amounts)
            if got.get(k) != amounts.get(k)]
        move, = run.moves
        cursor.execute('SELECT SUM(debit), SUM(credit) FROM '
            'account_move_line WHERE move = %s' % move.id)
        debit, credit = (D(str(v)) for v in cursor.fetchone())
        receivable = Account(tenant['control']).balance
        bill_total = sum(got.values(), D(0))
        problems = []
        if n != count:
            problems.append(f"{n} bills, expected {count}")
        if bad:
            problems.append(f"{len(bad)} resource/fee amounts differ, "
                f"e.g. {bad[0]}: {got.get(bad[0])} != {amounts.get(bad[0])}")
        if bill_total != total:
            problems.append(f"bill total {bill_total} != expected {total}")
        if run.bill_count != n or run.total != bill_total:
            problems.append(f"run says {run.bill_count} bills, {run.total}")
        if move.state != 'posted' or debit != bill_total \
                or credit != bill_total or receivable != bill_total:
            problems.append(f"move {move.state} {debit}/{credit}, "
                f"receivable {receivable} != {bill_total}")
        if moves != {move.id} or states != {'open'} or None in numbers \
                or len(numbers) != n:
            problems.append("bills not all numbered, open and in the move")
    info(f"check: {n} bills (expected {count}), total {bill_total} "
        f"(expected {total}), move {move.state} debit {debit}, "
        f"receivable {receivable}: {'OK' if not problems else 'FAILED'}")
    for problem in problems:
        info(f"check: FAILED {problem}")
    return n, not problems


# Main ---------------------------------------------------------------------

def main(argv=None):
    args = parse_args(argv)
    sqlite = args.db == 'sqlite'
    if not sqlite and not args.db.startswith(('postgresql:', 'postgres:')):
        sys.exit("--db must be 'sqlite' or a postgresql:// URI")
    directory = tempfile.mkdtemp(prefix='bench_bill_run_')
    dbname = f'bench_{os.getpid()}'
    uri = 'sqlite://' if sqlite else server_uri(args.db)
    config_file = write_config(directory, uri)
    # Before anything imports trytond.backend
    from trytond import config
    config.update_etc(config_file)
    os.environ['TRYTOND_CONFIG'] = config_file

    # Drop the database on SIGTERM too (the finally clause below)
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(143))
    created = False
    ok = False
    try:
        t0 = time.perf_counter()
        if sqlite:
            from trytond import backend
            backend.Database.create(None, dbname)
        else:
            pg_create(uri, dbname)
        created = True
        activate(dbname, directory)
        info(f"setup: database {dbname} ({'sqlite' if sqlite else uri}) "
            f"activated in {time.perf_counter() - t0:.1f}s")

        from trytond.pool import Pool
        Pool(dbname)  # initialised by activate()
        today = dt.date.today()
        t0 = time.perf_counter()
        tenant = build_tenant(args, dbname, today)
        info(f"setup: tenant with {args.resources} resources built in "
            f"{time.perf_counter() - t0:.1f}s (not timed)")

        try:
            run_id, seconds = run_bills(dbname, tenant, today, args)
        except Exception as error:
            if 'could not serialize' in str(error):
                info(f"run: FAILED {error}")
                info("run: " + NO_PROGRESS_HINT)
            raise
        info(f"run: Run.start (sync) + commit {seconds:.2f}s")
        rows = fetch_bill_rows(dbname, run_id)
        if sqlite:
            copy_seconds = copy_baseline_sqlite(dbname, rows)
        else:
            copy_seconds = copy_baseline_pg(uri, dbname, rows)
        bills, ok = verify(dbname, tenant, run_id)
        info(f"bills={bills} seconds={seconds:.3f} "
            f"copy_seconds={copy_seconds:.3f} "
            f"ratio_vs_copy={seconds / copy_seconds:.2f}")
    finally:
        if created and not args.keep:
            try:
                from trytond import backend
                from trytond.pool import Pool
                if dbname in Pool.database_list():
                    Pool.stop(dbname)
                backend.Database(dbname).close()
            except Exception as error:  # the drop below still runs
                print(f"close: {error!r}", file=sys.stderr)
            if not sqlite:
                pg_drop(uri, dbname)
        if args.keep:
            print(f"kept database {dbname} and {directory}", file=sys.stderr)
        else:
            shutil.rmtree(directory, ignore_errors=True)
    return 0 if ok else 1


if __name__ == '__main__':
    sys.exit(main())
