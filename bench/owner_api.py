#!/usr/bin/env python3
# This file is part of Aishang Property. See the LICENSE file at the top level
# of this repository for full copyright notices and license terms.
"""Benchmark the owner API's "my bills" under concurrent load.

    python bench/owner_api.py                        # 100,000 resources
    python bench/owner_api.py --resources 2000 --seconds 10

It creates a scratch PostgreSQL database ``bench_owner_<pid>`` (dropped at
the end even on failure, unless --keep), activates every aishang_* module
with zh_CN (trytond-admin in process, as ``aishang db init``), then seeds,
untimed, a tenant:

* a company with accounting, one project per 20,000 resources, buildings
  of 200 resources (2 units × 25 floors × 4 rooms; ground floor shops),
  2 % unsold; 2 periodic fee items (物业费 by area, 垃圾处理费 per
  household) — all through the ORM except the resources (COPY);
* owners (COPY): 6 % of the sold resources have none on file, 8 % go to
  an owner of an earlier resource (owners of 2–3 resources), 3 % changed
  owner at the start of a month of the window (the former owner keeps the
  bills billed to them, the new one sees the resource's bills from then);
* bills (one set-based ``INSERT … SELECT`` over generate_series, inserted
  month by month as bill runs would, with psycopg's
  ``session_replication_role = replica`` so that foreign keys are not
  checked row by row — the data is consistent by construction):
  --bills-per-resource bills per billed resource, the months of the window
  ending with the current one × the 2 fee items, each with its company,
  project, building, resource, payer (the primary owner of the period),
  period, period key, quantity, unit price, days, amount, paid, balance
  (amount − paid), due date (the 15th) and number (ZD + id + 10,000,000);
  origin "import", without bill run nor account move (the portal reads
  neither), late fee and discount 0.
  States: the current month 30 % paid, the previous 75 %, older ones 96 %;
  2 % partly paid; 3 % of the resources never pay (all open);
* --verified owners with an app account (COPY): a web.user bound to the
  party with its verified phone (70 % through WeChat's phone button with
  an OpenID, 30 % by SMS) and a session (web.user.session, key
  ``secrets.token_hex()`` as web_user's ``default_key``), 10 % with a
  second session (mini-program and H5).

Then ``VACUUM ANALYZE property_bill`` and ``ANALYZE``.

Timed: a real server, gunicorn with trytond's WSGI app
(``trytond.application:app``, --preload, ``TRYTOND_DATABASE_NAMES``: the
way ``aishang serve`` starts it) and a configuration file with
``[cache] clean_timeout = 0`` (as trytond.conf, for several processes) and
``[aishang_portal] database``. 4 sync workers are the default (see
--workers, --worker-class): each answers one request at a time, and 2 per
core let one run Python while another waits for PostgreSQL. The handler
is CPU-bound (about 3.7 ms of Python per request, 0.8 ms in PostgreSQL), so
more processes or gthread's threads (one GIL per process) add no
throughput: 4 gthread workers × 4 threads measured more CPU per request
and a worse p95 than 4 sync workers; 8 sync workers no better.

After a warm-up, one client measures the unloaded latency for
--baseline-seconds, then --clients concurrent clients (one aiohttp event
loop in this process; sync workers close the connection after each
answer, so each request opens a local TCP connection) call
``GET /<db>/aishang/api/v1/owner/bills`` (the default tab: open and
partly paid bills) for --seconds, each request with the bearer token of a
random verified owner. A request's latency is from sending it to
reading the whole answer; errors are non-200 answers and
exceptions. The CPU time of the gunicorn workers, of the PostgreSQL
backends of the database and of the client is read from /proc over the
measured window and printed per request, with the machine's load, so that
a client that shares the cores with the server can be told apart from a
slow server; so is the server-side time per request (gunicorn's access
log, %(D)s: from reading the request to writing the answer).

Checks: for --checks owners (random, plus former owners, owners of
several resources and owners who never pay), the answer for state=open
and for state=all (limit 500) must list exactly the bills a direct SQL
query of the portal's rule finds (ids, count, balance).

The last line printed is::

    requests=<int> p50_ms=<float> p95_ms=<float> p99_ms=<float> errors=<int>

The exit status is 1 when a check fails or errors > 0. --keep keeps the
database; --use-db NAME measures again a database kept earlier (no
seeding).
"""
import argparse
import asyncio
import datetime as dt
import json
import math
import os
import random
import resource as rusage
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections import Counter
from decimal import Decimal

# bench/_common.py (the script's directory is on sys.path)
from _common import (
    activate, bulk_insert, create_company, database_uri, info, pg_create,
    pg_drop, server_uri, setup_accounting, transact, write_config)

DEFAULT_DB = 'postgresql://postgres@127.0.0.1:5432/'
PREFIX = '/aishang/api/v1/'
PER_PROJECT = 20000
ROOMS_PER_FLOOR = 4
FLOORS = 25
UNITS = 2
PER_BUILDING = ROOMS_PER_FLOOR * FLOORS * UNITS   # 200
D = Decimal
# Prices of the seeded bills: (fee 0 = 物业费 per ㎡, fee 1 = 垃圾处理费)
PRICES = {(0, 'residence'): D('2.30'), (0, 'shop'): D('6.50'),
    (1, 'residence'): D('15.00'), (1, 'shop'): D('40.00')}
CHRONIC_PERCENT = 3
TARGET_P95_MS = 30


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--resources', '-n', type=int, default=100000)
    parser.add_argument('--bills-per-resource', type=int, default=12,
        help="bills of each billed resource: months of the window × 2 "
        "fee items (default 12: 6 months)")
    parser.add_argument('--verified', type=int, default=5000,
        help="owners with a verified app account and a session")
    parser.add_argument('--seconds', type=float, default=30)
    parser.add_argument('--clients', type=int, default=50)
    parser.add_argument('--workers', type=int, default=4,
        help="gunicorn worker processes")
    parser.add_argument('--worker-class', default='sync',
        choices=['sync', 'gthread'])
    parser.add_argument('--threads', type=int, default=4,
        help="threads per gthread worker")
    parser.add_argument('--warmup', type=float, default=3,
        help="seconds of load before measuring")
    parser.add_argument('--baseline-seconds', type=float, default=5,
        help="seconds of one client alone before the run (0: skip)")
    parser.add_argument('--checks', type=int, default=20,
        help="owners whose answers are checked against SQL")
    parser.add_argument('--db', default=DEFAULT_DB,
        help=f"PostgreSQL server URI (default: {DEFAULT_DB})")
    parser.add_argument('--seed', type=int, default=20240601)
    parser.add_argument('--keep', action='store_true',
        help="do not drop the database at the end")
    parser.add_argument('--use-db', metavar='NAME',
        help="measure a database seeded and kept earlier (no seeding; "
        "it is kept)")
    args = parser.parse_args(argv)
    if args.bills_per_resource < 1 or args.resources < 1:
        parser.error("--resources and --bills-per-resource must be >= 1")
    return args


# Plan (plain data, no database) -------------------------------------------

def month_starts(today, months):
    "The first days of the months of the window, oldest first"
    starts = []
    year, month = today.year, today.month
    for _ in range(months):
        starts.append(dt.date(year, month, 1))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return starts[::-1]


def plan_tenant(n, starts, seed):
    """Return (resources, ownerships, party count).

    resources: (project index, building code, unit code, kind, number,
    code, floor, status, building area); ownerships: (resource index,
    party number from 1, start, end).
    """
    rng = random.Random(seed)
    resources = []
    for i in range(n):
        project, rest = divmod(i, PER_PROJECT)
        b, rest = divmod(rest, PER_BUILDING)
        u, rest = divmod(rest, FLOORS * ROOMS_PER_FLOOR)
        floor, room = divmod(rest, ROOMS_PER_FLOOR)
        floor += 1
        kind = 'shop' if floor == 1 else 'residence'
        number = f'{floor}{room + 1:02d}'
        area = D(rng.randint(3000, 30000) if kind == 'shop'
            else rng.randint(6000, 18000)) / 100
        status = 'unsold' if rng.random() < 0.02 else 'handed_over'
        resources.append((project, str(b + 1), str(u + 1), kind, number,
                f'{b + 1}-{u + 1}-{number}', floor, status, area))
    ownerships, parties = [], 0
    for i, r in enumerate(resources):
        if r[7] == 'unsold':
            continue
        draw = rng.random()
        if draw < 0.06:
            continue  # no owner on file: billed without payer
        if parties and draw < 0.14:
            party = rng.randint(1, parties)  # an owner of several
        else:
            parties += 1
            party = parties
        if len(starts) > 1 and rng.random() < 0.03:
            cut = starts[rng.randrange(1, len(starts))]
            parties += 1
            ownerships.append((i, party, None, cut - dt.timedelta(days=1)))
            ownerships.append((i, parties, cut, None))
        else:
            ownerships.append((i, party, None, None))
    return resources, ownerships, parties


# Seeding ------------------------------------------------------------------

def build_tenant(args, dbname, today, starts):
    """Company, projects, buildings, resources, owners and fee items"""
    from trytond.pool import Pool
    from trytond.transaction import Transaction

    resources, ownerships, n_parties = plan_tenant(
        args.resources, starts, args.seed)
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
    result = {'admin': admin_id, 'company': company_id}

    def populate():
        pool = Pool()
        Company = pool.get('company.company')
        Project = pool.get('property.project')
        Building = pool.get('property.building')
        FeeItem = pool.get('property.fee_item')
        cursor = Transaction().connection.cursor()
        company = Company(company_id)

        t0 = time.perf_counter()
        control, revenue = setup_accounting(company, today)
        info(f"seed: accounting {time.perf_counter() - t0:.1f}s")

        t0 = time.perf_counter()
        n_projects = -(-len(resources) // PER_PROJECT)
        projects = Project.create([{'company': company_id,
                    'code': f'AS{p + 1}', 'name': f"爱尚花园{p + 1}期",
                    'phone': '0571-8888000%d' % (p % 10),
                    'area_basis': 'building'} for p in range(n_projects)])
        building_ids, unit_ids = {}, {}
        for p, project in enumerate(projects):
            codes = sorted({r[1] for r in resources if r[0] == p}, key=int)
            for i in range(0, len(codes), 100):
                created = Building.create([{
                            'project': project.id, 'code': code,
                            'name': f'{code}号楼', 'floors': FLOORS,
                            'units': [('create', [{'code': str(u + 1),
                                            'name': f'{u + 1}单元'}
                                        for u in range(UNITS)])],
                            } for code in codes[i:i + 100]])
                for building in created:
                    building_ids[(p, building.code)] = building.id
                    for unit in building.units:
                        unit_ids[(p, building.code, unit.code)] = unit.id
        info(f"seed: {n_projects} projects, {len(building_ids)} buildings "
            f"{time.perf_counter() - t0:.1f}s")

        t0 = time.perf_counter()
        bulk_insert('property_resource', [
                'project', 'building', 'unit', 'kind', 'number', 'code',
                'floor', 'status', 'handover_date', 'occupancy',
                'building_area', 'inner_area', 'active',
                'create_uid', 'create_date'], [(
                    projects[r[0]].id, building_ids[(r[0], r[1])],
                    unit_ids[(r[0], r[1], r[2])], r[3], r[4], r[5], r[6],
                    r[7], None if r[7] == 'unsold' else dt.date(2020, 1, 1),
                    'vacant' if r[7] == 'unsold' else 'self_occupied',
                    r[8], (r[8] * D('0.8')).quantize(D('0.01')), True,
                    admin_id, now) for r in resources])
        cursor.execute('SELECT project, code, id FROM property_resource')
        ids = {(p, c): i for p, c, i in cursor}
        resource_ids = [ids[(projects[r[0]].id, r[5])] for r in resources]
        info(f"seed: {len(resources)} resources "
            f"{time.perf_counter() - t0:.1f}s")

        t0 = time.perf_counter()
        bulk_insert('party_party', [
                'name', 'code', 'code_alnum', 'code_digit', 'owner',
                'owner_phone', 'active', 'create_uid', 'create_date'], [(
                    f'业主{k:07d}', f'BO{k:07d}', f'BO{k:07d}', k, True,
                    f'139{k:08d}', True, admin_id, now)
                for k in range(1, n_parties + 1)])
        cursor.execute("SELECT code, id FROM party_party "
            "WHERE code LIKE 'BO%'")
        party_ids = dict(cursor)
        bulk_insert('property_ownership', [
                'resource', 'party', 'share', 'primary', 'start_date',
                'end_date', 'create_uid', 'create_date'], [(
                    resource_ids[i], party_ids[f'BO{k:07d}'], D(100), True,
                    s, e, admin_id, now) for i, k, s, e in ownerships])
        info(f"seed: {n_parties} owners, {len(ownerships)} ownerships "
            f"{time.perf_counter() - t0:.1f}s")

        fee_items = []
        for code, name in [('WYF', "物业费"), ('LJF', "垃圾处理费")]:
            fee_item, = FeeItem.create([{'company': company_id,
                        'code': code, 'name': name, 'category': 'periodic',
                        'account_receivable': control.id,
                        'account_revenue': revenue.id}])
            fee_items.append(fee_item.id)
        result.update(projects=[p.id for p in projects],
            fee_items=fee_items, parties=sorted(party_ids.values()))

    transact(dbname, admin_id, context, populate)
    return result


BILLS_SQL = """
INSERT INTO property_bill (id, number, company, project, resource,
    building, party, fee_item, period_start, period_end, period_key,
    quantity, unit_price, months, days, period_days, amount, late_fee,
    discount, paid, balance, due_date, state, origin, create_uid,
    create_date)
SELECT id, 'ZD' || (id + 10000000)::text, %(company)s, project, resource,
    building, party, fee_item, ps, pe, ps, qty, price, 1, days, days,
    amount, 0, 0, paid, amount - paid, ps + 14, state, 'import',
    %(uid)s, %(now)s
FROM (
    SELECT nextval(%(sequence)s) AS id, s.*,
        CASE s.state WHEN 'paid' THEN s.amount
            WHEN 'partial' THEN round(s.amount / 2, 2) ELSE 0 END AS paid
    FROM (
        SELECT a.*, round(a.qty * a.price, 2) AS amount,
            CASE WHEN a.chronic THEN 'open'
                WHEN a.age = 0 THEN CASE WHEN a.h < 300 THEN 'paid'
                    WHEN a.h < 320 THEN 'partial' ELSE 'open' END
                WHEN a.age = 1 THEN CASE WHEN a.h < 750 THEN 'paid'
                    WHEN a.h < 770 THEN 'partial' ELSE 'open' END
                ELSE CASE WHEN a.h < 960 THEN 'paid'
                    WHEN a.h < 980 THEN 'partial' ELSE 'open' END
                END AS state
        FROM (
            SELECT r.id AS resource, r.project, r.building, k.fee, m.ps,
                (m.ps + interval '1 month' - interval '1 day')::date AS pe,
                extract(day FROM m.ps + interval '1 month'
                    - interval '1 day')::int AS days,
                %(months)s - m.n AS age,
                CASE k.fee WHEN 0 THEN %(wyf)s ELSE %(ljf)s END AS fee_item,
                CASE k.fee WHEN 0 THEN r.building_area ELSE 1 END AS qty,
                CASE WHEN k.fee = 0 AND r.kind = 'shop' THEN %(p0s)s
                    WHEN k.fee = 0 THEN %(p0r)s
                    WHEN r.kind = 'shop' THEN %(p1s)s
                    ELSE %(p1r)s END AS price,
                abs(hashtext(r.id || ':' || k.k)) %% 1000 AS h,
                abs(hashtext('r' || r.id)) %% 100 < %(chronic)s AS chronic,
                o.party
            FROM property_resource r
            CROSS JOIN (SELECT g AS k, g / 2 AS mi, g %% 2 AS fee
                FROM generate_series(0, %(bills)s - 1) AS g) AS k
            JOIN unnest(%(starts)s::date[]) WITH ORDINALITY AS m(ps, n)
                ON m.n = k.mi + 1
            LEFT JOIN property_ownership o ON o.resource = r.id
                AND o."primary"
                AND (o.start_date IS NULL OR o.start_date <= m.ps)
                AND (o.end_date IS NULL OR o.end_date >= m.ps)
            WHERE r.status IN ('handed_over', 'decorating')
                AND r.project = ANY(%(projects)s)
            ) AS a
        ) AS s
    ORDER BY s.ps, s.fee, s.project, s.resource
    ) AS t
"""


def seed_bills(uri, dbname, tenant, args, starts):
    """Insert the bills in one statement; return their count"""
    import psycopg
    with psycopg.connect(database_uri(uri, dbname)) as conn:
        conn.execute("SET session_replication_role = replica")
        conn.execute("SET work_mem = '256MB'")
        conn.execute("SET synchronous_commit = off")
        sequence, = conn.execute(
            "SELECT pg_get_serial_sequence('property_bill', 'id')"
            ).fetchone()
        wyf, ljf = tenant['fee_items']
        cursor = conn.execute(BILLS_SQL, {
                'company': tenant['company'], 'uid': tenant['admin'],
                'now': dt.datetime.now(), 'sequence': sequence,
                'months': len(starts), 'bills': args.bills_per_resource,
                'wyf': wyf, 'ljf': ljf,
                'p0s': PRICES[0, 'shop'], 'p0r': PRICES[0, 'residence'],
                'p1s': PRICES[1, 'shop'], 'p1r': PRICES[1, 'residence'],
                'chronic': CHRONIC_PERCENT, 'starts': starts,
                'projects': tenant['projects']})
        count = cursor.rowcount
        conn.commit()
    return count


def seed_portal_users(uri, dbname, tenant, args):
    """Web users bound to verified owners, with their sessions"""
    import psycopg
    rng = random.Random(args.seed + 2)
    parties = tenant['parties']
    chosen = rng.sample(parties, min(args.verified, len(parties)))
    now = dt.datetime.now().replace(microsecond=0)
    with psycopg.connect(database_uri(uri, dbname)) as conn:
        phones = dict(conn.execute(
                "SELECT id, owner_phone FROM party_party WHERE id = ANY(%s)",
                (chosen,)).fetchall())
        with conn.cursor() as cursor:
            with cursor.copy('COPY web_user (party, phone, verified_at, '
                    'verification_channel, wechat_openid, active, '
                    'email_valid, create_uid, create_date) '
                    'FROM STDIN') as copy:
                for party in chosen:
                    wechat = rng.random() < 0.7
                    verified_at = now - dt.timedelta(
                        minutes=rng.randint(1, 60 * 24 * 90))
                    copy.write_row((party, phones[party], verified_at,
                            'wechat_phone' if wechat else 'sms',
                            'oBench' + secrets.token_hex(12) if wechat
                            else None, True, False, 0, verified_at))
        users = conn.execute("SELECT id FROM web_user "
            "WHERE party IS NOT NULL ORDER BY id").fetchall()
        with conn.cursor() as cursor:
            with cursor.copy('COPY web_user_session (key, "user", '
                    'create_uid, create_date) FROM STDIN') as copy:
                for user, in users:
                    for _ in range(2 if rng.random() < 0.1 else 1):
                        copy.write_row((secrets.token_hex(), user, 0,
                                now - dt.timedelta(
                                    minutes=rng.randint(0, 60 * 24 * 7))))
        conn.commit()


def vacuum_analyze(uri, dbname):
    import psycopg
    with psycopg.connect(database_uri(uri, dbname), autocommit=True) as conn:
        conn.execute('VACUUM ANALYZE property_bill')
        conn.execute('ANALYZE')


def load_sessions(uri, dbname):
    "[(token, party id)] of the verified owners' sessions"
    import psycopg
    with psycopg.connect(database_uri(uri, dbname)) as conn:
        return conn.execute('SELECT s.key, u.party FROM web_user_session s '
            'JOIN web_user u ON u.id = s."user" '
            'WHERE u.party IS NOT NULL AND u.active ORDER BY s.id'
            ).fetchall()


def table_sizes(uri, dbname):
    import psycopg
    with psycopg.connect(database_uri(uri, dbname)) as conn:
        return conn.execute("""
            SELECT (SELECT count(*) FROM property_bill),
                (SELECT count(*) FROM property_resource),
                (SELECT count(*) FROM party_party WHERE owner),
                (SELECT count(*) FROM web_user WHERE party IS NOT NULL),
                (SELECT count(*) FROM web_user_session),
                pg_size_pretty(pg_total_relation_size('property_bill'))
            """).fetchone()


# The server ---------------------------------------------------------------

def free_port():
    with socket.socket() as sock:
        sock.bind(('127.0.0.1', 0))
        return sock.getsockname()[1]


def server_config(directory, uri, dbname):
    """The server's configuration, in directory/server/ (this process
    keeps its own: with clean_timeout = 0 its cache listener thread would
    die noisily when the database is dropped)"""
    directory = os.path.join(directory, 'server')
    os.mkdir(directory)
    return write_config(directory, uri, extra=(
            '[cache]\n'
            '# several processes on PostgreSQL: LISTEN/NOTIFY invalidation\n'
            'clean_timeout = 0\n'
            '[aishang_portal]\n'
            f'database = {dbname}\n'
            'sms_backend = console\n'))


def start_server(args, directory, config_file, dbname, port):
    access_log = os.path.join(directory, 'access.log')
    error_log = os.path.join(directory, 'gunicorn.log')
    env = dict(os.environ, TRYTOND_CONFIG=config_file,
        TRYTOND_DATABASE_NAMES=dbname)
    argv = [sys.executable, '-m', 'gunicorn',
        '--workers', str(args.workers),
        '--worker-class', args.worker_class,
        '--bind', f'127.0.0.1:{port}',
        '--timeout', '120',
        '--backlog', '2048',
        '--preload',
        '--access-logfile', access_log,
        '--access-logformat', '%(s)s %(D)s',
        '--error-logfile', error_log,
        '--log-level', 'warning']
    if args.worker_class == 'gthread':
        argv += ['--threads', str(args.threads), '--keep-alive', '5']
    argv.append('trytond.application:app')
    process = subprocess.Popen(argv, env=env, start_new_session=True,
        stdin=subprocess.DEVNULL)
    return process, access_log, error_log


def stop_server(process):
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def wait_ready(base, process, timeout=180):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {process.returncode}")
        try:
            with urllib.request.urlopen(
                    base + PREFIX + 'openapi.json', timeout=5) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise RuntimeError("the server did not answer in time")


def worker_pids(master):
    pids = []
    for name in os.listdir('/proc'):
        if not name.isdigit():
            continue
        try:
            with open(f'/proc/{name}/stat') as fp:
                fields = fp.read().rsplit(')', 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == master:
            pids.append(int(name))
    return pids


TICK = os.sysconf('SC_CLK_TCK')


def cpu_seconds(pids):
    total = 0
    for pid in pids:
        try:
            with open(f'/proc/{pid}/stat') as fp:
                fields = fp.read().rsplit(')', 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / TICK


def machine_busy():
    "(busy, total) seconds of all CPUs since boot"
    with open('/proc/stat') as fp:
        values = [int(v) for v in fp.readline().split()[1:]]
    idle = values[3] + values[4]
    return (sum(values) - idle) / TICK, sum(values) / TICK


def backend_pids(uri, dbname):
    import psycopg
    with psycopg.connect(database_uri(uri, 'postgres'),
            autocommit=True) as conn:
        return [p for p, in conn.execute(
                'SELECT pid FROM pg_stat_activity WHERE datname = %s',
                (dbname,))]


# The load -----------------------------------------------------------------

async def load(url, tokens, clients, seconds, seed, query=''):
    """Run clients for seconds; return (latencies in s, statuses)"""
    import aiohttp
    latencies, statuses = [], Counter()
    connector = aiohttp.TCPConnector(limit=clients, limit_per_host=clients)
    timeout = aiohttp.ClientTimeout(total=120)
    async with aiohttp.ClientSession(connector=connector,
            timeout=timeout) as session:
        deadline = time.perf_counter() + seconds

        async def client(i):
            rng = random.Random(seed * 1000 + i)
            while time.perf_counter() < deadline:
                token = rng.choice(tokens)
                t0 = time.perf_counter()
                try:
                    async with session.get(url + query, headers={
                                'Authorization': f'Bearer {token}'}
                            ) as response:
                        await response.read()
                        status = response.status
                except Exception as error:  # counted as an error
                    status = type(error).__name__
                latencies.append(time.perf_counter() - t0)
                statuses[status] += 1
        await asyncio.gather(*(client(i) for i in range(clients)))
    return latencies, statuses


def percentile(ordered, q):
    if not ordered:
        return float('nan')
    return ordered[max(0, math.ceil(q * len(ordered)) - 1)]


def read_access_log(path, offset):
    "(new offset, [server times in ms]) of the log lines after offset"
    with open(path) as fp:
        fp.seek(offset)
        data = fp.read()
        offset = fp.tell()
    times = []
    for line in data.splitlines():
        parts = line.split()
        if len(parts) == 2 and parts[1].isdigit():
            times.append(int(parts[1]) / 1000)
    return offset, sorted(times)


# Checks -------------------------------------------------------------------

EXPECTED_SQL = """
SELECT b.id, b.balance FROM property_bill b
WHERE b.state = ANY(%(states)s)
    AND (b.party = %(party)s OR EXISTS (
        SELECT 1 FROM property_ownership o
        JOIN property_resource r ON r.id = o.resource
        WHERE o.party = %(party)s AND r.active AND o.resource = b.resource
            AND (o.start_date IS NULL OR o.start_date <= CURRENT_DATE)
            AND (o.end_date IS NULL OR o.end_date >= CURRENT_DATE)
            AND (o.start_date IS NULL OR b.period_end IS NULL
                OR b.period_end >= o.start_date)))
"""


def check_sample(uri, dbname, sessions, n, seed):
    """Tokens of owners to check: random ones and, when there are, former
    owners, owners of several resources and owners who never pay"""
    import psycopg
    rng = random.Random(seed + 3)
    by_party = {}
    for token, party in sessions:
        by_party.setdefault(party, token)
    picked = rng.sample(sorted(by_party), min(n, len(by_party)))
    with psycopg.connect(database_uri(uri, dbname)) as conn:
        special = {
            'former owner': "SELECT o.party FROM property_ownership o "
            "WHERE o.end_date IS NOT NULL",
            'owner since a change': "SELECT o.party FROM property_ownership "
            "o WHERE o.start_date IS NOT NULL",
            'owner of several': "SELECT party FROM property_ownership "
            "GROUP BY party HAVING count(*) > 1",
            'never pays': "SELECT b.party FROM property_bill b "
            "WHERE b.party IS NOT NULL GROUP BY b.party "
            "HAVING bool_and(b.state = 'open') AND count(*) > 4",
            }
        for label, sql in special.items():
            parties = [p for p, in conn.execute(sql) if p in by_party]
            for party in rng.sample(parties, min(2, len(parties))):
                picked.append(party)
    return [(by_party[p], p) for p in dict.fromkeys(picked)]


def check_answers(base_path, uri, dbname, sample):
    """Compare the API's answers with SQL; return the problems found"""
    import psycopg
    problems, checked, bills = [], 0, 0
    with psycopg.connect(database_uri(uri, dbname)) as conn:
        for token, party in sample:
            for state, states in [('open', ['open', 'partial']),
                    ('all', ['open', 'partial', 'paid'])]:
                expected = {i: D(str(b)) for i, b in conn.execute(
                        EXPECTED_SQL, {'states': states, 'party': party})}
                request = urllib.request.Request(
                    f'{base_path}?state={state}&limit=500',
                    headers={'Authorization': f'Bearer {token}'})
                with urllib.request.urlopen(request, timeout=60) as response:
                    data = json.load(response)
                got = {b['id']: D(b['balance'])
                    for group in data['resources']
                    for item in group['fee_items'] for b in item['bills']}
                checked += 1
                bills += len(got)
                total = sum(expected.values(), D(0))
                if (set(got) != set(expected)
                        or data['total_count'] != len(expected)
                        or got != expected
                        or D(data['totals']['balance']) != total):
                    problems.append(f"party {party} state={state}: "
                        f"{len(got)} bills (total_count "
                        f"{data['total_count']}, balance "
                        f"{data['totals']['balance']}), SQL {len(expected)} "
                        f"(balance {total}); missing "
                        f"{sorted(set(expected) - set(got))[:5]}, extra "
                        f"{sorted(set(got) - set(expected))[:5]}")
    return checked, bills, problems


# Main ---------------------------------------------------------------------

def measure(args, uri, dbname, directory, config_file):
    """Start the server, warm up, check, measure; return (summary, ok)"""
    sessions = load_sessions(uri, dbname)
    if not sessions:
        raise RuntimeError("no verified owner with a session")
    tokens = [t for t, _ in sessions]
    port = free_port()
    base = f'http://127.0.0.1:{port}'
    url = f'{base}/{dbname}{PREFIX}owner/bills'
    process, access_log, error_log = start_server(
        args, directory, config_file, dbname, port)
    try:
        t0 = time.perf_counter()
        wait_ready(base, process)
        info(f"server: gunicorn {args.workers} {args.worker_class} workers"
            + (f" × {args.threads} threads" if args.worker_class == 'gthread'
                else '') + f" on {base}, ready in "
            f"{time.perf_counter() - t0:.1f}s")
        latencies, statuses = asyncio.run(load(url, tokens,
                max(args.clients, args.workers * 2), args.warmup,
                args.seed + 10))
        info(f"warm-up: {len(latencies)} requests in {args.warmup:g}s, "
            f"statuses {dict(statuses)}")

        sample = check_sample(uri, dbname, sessions, args.checks, args.seed)
        checked, n_bills, problems = check_answers(url, uri, dbname, sample)
        info(f"check: {checked} answers of {len(sample)} owners "
            f"({n_bills} bills) against SQL: "
            f"{'OK' if not problems else 'FAILED'}")
        for problem in problems[:10]:
            info(f"check: FAILED {problem}")

        offset, _ = read_access_log(access_log, 0)
        if args.baseline_seconds > 0:
            latencies, statuses = asyncio.run(load(url, tokens, 1,
                    args.baseline_seconds, args.seed + 20))
            latencies.sort()
            offset, server = read_access_log(access_log, offset)
            info(f"baseline: 1 client, {len(latencies)} requests in "
                f"{args.baseline_seconds:g}s: p50 "
                f"{percentile(latencies, .5) * 1000:.1f} ms, p95 "
                f"{percentile(latencies, .95) * 1000:.1f} ms; server-side "
                f"p50 {percentile(server, .5):.1f} ms, p95 "
                f"{percentile(server, .95):.1f} ms; statuses "
                f"{dict(statuses)}")

        workers = worker_pids(process.pid)
        backends = backend_pids(uri, dbname)
        cpu0 = (cpu_seconds(workers), cpu_seconds(backends),
            rusage.getrusage(rusage.RUSAGE_SELF), machine_busy())
        t0 = time.perf_counter()
        latencies, statuses = asyncio.run(load(url, tokens, args.clients,
                args.seconds, args.seed + 30))
        elapsed = time.perf_counter() - t0
        cpu1 = (cpu_seconds(workers), cpu_seconds(backends),
            rusage.getrusage(rusage.RUSAGE_SELF), machine_busy())
        offset, server = read_access_log(access_log, offset)
    finally:
        stop_server(process)
    with open(error_log) as fp:
        log = fp.read().strip()
    if log:
        info("server log (last lines):\n" + '\n'.join(
                log.splitlines()[-15:]))

    latencies.sort()
    n = len(latencies)
    errors = sum(c for s, c in statuses.items() if s != 200)
    server_cpu = cpu1[0] - cpu0[0]
    pg_cpu = cpu1[1] - cpu0[1]
    client_cpu = (cpu1[2].ru_utime + cpu1[2].ru_stime
        - cpu0[2].ru_utime - cpu0[2].ru_stime)
    busy = cpu1[3][0] - cpu0[3][0]
    capacity = cpu1[3][1] - cpu0[3][1]
    other = busy - server_cpu - pg_cpu - client_cpu
    per = (lambda seconds: seconds / n * 1000) if n else (lambda s: 0)
    info(f"load: {args.clients} clients, {n} requests in {elapsed:.1f}s = "
        f"{n / elapsed:.1f} requests/s; statuses {dict(statuses)}")
    info(f"load: latency p50 {percentile(latencies, .5) * 1000:.1f} ms, "
        f"p95 {percentile(latencies, .95) * 1000:.1f} ms, p99 "
        f"{percentile(latencies, .99) * 1000:.1f} ms, max "
        f"{(latencies[-1] if latencies else 0) * 1000:.1f} ms "
        f"(target p95 <= {TARGET_P95_MS} ms)")
    info(f"load: server-side (gunicorn %(D)s) p50 "
        f"{percentile(server, .5):.1f} ms, p95 {percentile(server, .95):.1f}"
        f" ms over {len(server)} requests")
    info(f"cpu: per request: gunicorn workers {per(server_cpu):.2f} ms, "
        f"PostgreSQL backends {per(pg_cpu):.2f} ms, client "
        f"{per(client_cpu):.2f} ms; machine {busy / elapsed:.2f} of "
        f"{capacity / elapsed:.2f} CPUs busy, of which "
        f"{max(other, 0) / elapsed:.2f} by other processes")
    if n and server_cpu + pg_cpu:
        info(f"cpu: the {os.cpu_count()} cores can serve at most "
            f"~{os.cpu_count() / ((server_cpu + pg_cpu + client_cpu) / n):.0f}"
            f" requests/s with this client (~"
            f"{os.cpu_count() / ((server_cpu + pg_cpu) / n):.0f} without "
            f"it); with {args.clients} clients always waiting, Little's law "
            f"gives a mean latency of {args.clients} / throughput")
    line = (f"requests={n} p50_ms={percentile(latencies, .5) * 1000:.2f} "
        f"p95_ms={percentile(latencies, .95) * 1000:.2f} "
        f"p99_ms={percentile(latencies, .99) * 1000:.2f} errors={errors}")
    return line, not problems and errors == 0


def main(argv=None):
    args = parse_args(argv)
    if not args.db.startswith(('postgresql:', 'postgres:')):
        sys.exit("--db must be a postgresql:// URI")
    directory = tempfile.mkdtemp(prefix='bench_owner_api_')
    dbname = args.use_db or f'bench_owner_{os.getpid()}'
    keep = args.keep  # --use-db: the database is not ours to drop
    uri = server_uri(args.db)
    config_file = server_config(directory, uri, dbname)
    seed_config = write_config(directory, uri)
    # Before anything imports trytond.backend
    from trytond import config
    config.update_etc(seed_config)
    os.environ['TRYTOND_CONFIG'] = seed_config

    # Drop the database on SIGTERM too (the finally clause below)
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(143))
    created = False
    ok = False
    line = None
    try:
        if not args.use_db:
            from aishang.cli import our_modules
            t_seed = t0 = time.perf_counter()
            pg_create(uri, dbname)
            created = True
            activate(dbname, directory, modules=our_modules(),
                languages=['zh_CN'])
            info(f"seed: database {dbname} ({uri}) with "
                f"{', '.join(our_modules())} and zh_CN activated in "
                f"{time.perf_counter() - t0:.1f}s")
            from trytond.pool import Pool
            Pool(dbname)  # initialised by activate()
            today = dt.date.today()
            months = -(-args.bills_per_resource // 2)
            starts = month_starts(today, months)
            t0 = time.perf_counter()
            tenant = build_tenant(args, dbname, today, starts)
            info(f"seed: tenant built in {time.perf_counter() - t0:.1f}s")
            # The server's processes open their own connections
            from trytond import backend
            Pool.stop(dbname)
            backend.Database(dbname).close()

            t0 = time.perf_counter()
            count = seed_bills(uri, dbname, tenant, args, starts)
            info(f"seed: {count} bills over {months} months "
                f"({starts[0]} to {starts[-1]}) inserted in "
                f"{time.perf_counter() - t0:.1f}s")
            t0 = time.perf_counter()
            seed_portal_users(uri, dbname, tenant, args)
            info(f"seed: verified owners' web users and sessions "
                f"{time.perf_counter() - t0:.1f}s")
            t0 = time.perf_counter()
            vacuum_analyze(uri, dbname)
            info(f"seed: VACUUM ANALYZE property_bill, ANALYZE "
                f"{time.perf_counter() - t0:.1f}s")
            info(f"seed: total {time.perf_counter() - t_seed:.1f}s")
        bills, resources, owners, users, sessions, size = table_sizes(
            uri, dbname)
        info(f"data: {bills} bills ({size} with indexes), {resources} "
            f"resources, {owners} owners, {users} verified web users, "
            f"{sessions} sessions")
        line, ok = measure(args, uri, dbname, directory, config_file)
    finally:
        if created and not keep:
            try:
                from trytond import backend
                from trytond.pool import Pool
                if dbname in Pool.database_list():
                    Pool.stop(dbname)
                backend.Database(dbname).close()
            except Exception as error:  # the drop below still runs
                print(f"close: {error!r}", file=sys.stderr)
            pg_drop(uri, dbname)
        if keep:
            print(f"kept database {dbname} and {directory}", file=sys.stderr)
        else:
            shutil.rmtree(directory, ignore_errors=True)
    if line:
        info(line)
    return 0 if ok else 1


if __name__ == '__main__':
    sys.exit(main())
