# This file is part of Aishang Property. See the LICENSE file at the top level
# of this repository for full copyright notices and license terms.
"""Helpers shared by the benchmarks of bench/: scratch databases, module
activation with trytond-admin in process, bulk inserts, transactions and
the company with its accounting.

Import it from a benchmark run as a script (``python bench/<name>.py``):
the script's directory is on sys.path.
"""
import datetime as dt
import os
import urllib.parse
from decimal import Decimal

ADMIN_PASSWORD = 'Bench-Admin-Secret-1'
D = Decimal


def info(*args):
    print(*args, flush=True)


# Database creation and initialisation -----------------------------------

def server_uri(uri):
    "The URI of the server without a database name, ending with /"
    parts = urllib.parse.urlsplit(uri)
    return urllib.parse.urlunsplit(parts._replace(path='/'))


def database_uri(uri, name):
    parts = urllib.parse.urlsplit(uri)
    return urllib.parse.urlunsplit(parts._replace(path='/' + name))


def pg_create(uri, name):
    import psycopg
    with psycopg.connect(database_uri(uri, 'postgres'),
            autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}" TEMPLATE template0 '
            "ENCODING 'UTF8'")


def pg_drop(uri, name):
    import psycopg
    with psycopg.connect(database_uri(uri, 'postgres'),
            autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def write_config(directory, uri, extra=''):
    "Write directory/trytond.conf; extra: more sections, as text"
    path = os.path.join(directory, 'trytond.conf')
    with open(path, 'w') as fp:
        fp.write('[database]\n')
        fp.write(f'uri = {uri}\n')
        fp.write(f'path = {directory}\n')
        fp.write('[queue]\nworker = False\n')
        fp.write(extra)
    return path


def activate(dbname, directory, modules=('aishang_billing',), languages=()):
    """trytond-admin -d dbname -u ir res <modules> --activate-dependencies
    [-l <languages>]"""
    import trytond.admin as admin
    import trytond.commandline as commandline
    passfile = os.path.join(directory, 'admin.pass')
    with open(passfile, 'w') as fp:
        fp.write(ADMIN_PASSWORD + '\n')
    options = commandline.get_parser_admin().parse_args([
            '-d', dbname, '-u', 'ir', 'res', *modules,
            '--activate-dependencies',
            *(['-l', *languages] if languages else [])])
    options.configfile = None
    options.email = ''
    if options.indexes is None:
        options.indexes = True
    saved = os.environ.get('TRYTONPASSFILE')
    os.environ['TRYTONPASSFILE'] = passfile
    try:
        admin.run(options)
    finally:
        if saved is None:
            os.environ.pop('TRYTONPASSFILE', None)
        else:
            os.environ['TRYTONPASSFILE'] = saved


# Tenant -------------------------------------------------------------------

def bulk_insert(table, columns, rows):
    """Insert rows fast: COPY on PostgreSQL, executemany on SQLite.

    Only for the untimed setup of plain data tables; every required column
    is given by the caller.
    """
    from trytond import backend
    from trytond.transaction import Transaction
    cursor = Transaction().connection.cursor()
    names = ', '.join(f'"{c}"' for c in columns)
    if backend.name == 'postgresql':
        with cursor.copy(f'COPY "{table}" ({names}) FROM STDIN') as copy:
            for row in rows:
                copy.write_row(row)
    else:
        marks = ', '.join('?' for _ in columns)
        cursor.executemany(
            f'INSERT INTO "{table}" ({names}) VALUES ({marks})', rows)


def transact(dbname, user, context, func):
    """Run func() in a transaction and commit it, restarting it when Tryton
    asks for table or record locks first (as its dispatcher does)."""
    from trytond.transaction import Transaction, TransactionError
    extras = {}
    transact.attempts = 0
    while True:
        transact.attempts += 1
        with Transaction().start(dbname, user, context=context,
                **extras) as transaction:
            try:
                result = func()
            except TransactionError as error:
                transaction.rollback()
                error.fix(extras)
                info(f"transaction: restarted with locks {extras}")
                continue
            transaction.commit()
            return result


def create_company():
    from trytond.pool import Pool
    pool = Pool()
    Currency = pool.get('currency.currency')
    Rate = pool.get('currency.currency.rate')
    Party = pool.get('party.party')
    Company = pool.get('company.company')
    currency, = Currency.create([{
                'name': "人民币", 'symbol': '¥', 'code': 'CNY',
                'rounding': D('0.01'), 'digits': 2}])
    Rate.create([{'currency': currency.id, 'rate': D(1),
                'date': dt.date(2000, 1, 1)}])
    party, = Party.create([{'name': "爱尚物业服务有限公司",
                'addresses': [('create', [{}])]}])
    company, = Company.create([{'party': party.id,
                'currency': currency.id, 'timezone': 'Asia/Shanghai'}])
    return company


def create_chart(company):
    "What account's tests create_chart does, without importing the tests"
    from trytond.pool import Pool
    pool = Pool()
    AccountTemplate = pool.get('account.account.template')
    ModelData = pool.get('ir.model.data')
    CreateChart = pool.get('account.create_chart', type='wizard')
    Account = pool.get('account.account')
    template = AccountTemplate(
        ModelData.get_id('account', 'account_template_root_en'))
    session_id, _, _ = CreateChart.create()
    wizard = CreateChart(session_id)
    wizard.account.account_template = template
    wizard.account.company = company
    wizard.transition_create_account()
    state = wizard.states['properties']
    for name, value in state.get_defaults(wizard, 'properties',
            list(wizard.properties._fields.keys())).items():
        if name in wizard.properties._fields:
            setattr(wizard.properties, name, value)
    for field, kind in [('account_receivable', 'receivable'),
            ('account_payable', 'payable')]:
        if not getattr(wizard.properties, field):
            account, = Account.search([
                    (f'type.{kind}', '=', True),
                    ('party_required', '=', True),
                    ('company', '=', company.id),
                    ], limit=1)
            setattr(wizard.properties, field, account)
    wizard.transition_create_properties()


def setup_accounting(company, today):
    "Same steps as addons/aishang_billing/tests/tools.py setup_accounting"
    from trytond.pool import Pool
    pool = Pool()
    Account = pool.get('account.account')
    Journal = pool.get('account.journal')
    Configuration = pool.get('property.billing.configuration')
    FiscalYear = pool.get('account.fiscalyear')
    Sequence = pool.get('ir.sequence.strict')
    SequenceType = pool.get('ir.sequence.type')
    create_chart(company)
    sequence_type, = SequenceType.search(
        [('name', '=', "Account Move")], limit=1)
    sequence, = Sequence.create([{'name': str(today.year),
                'sequence_type': sequence_type.id, 'company': company.id}])
    fiscalyear, = FiscalYear.create([{'name': str(today.year),
                'company': company.id,
                'start_date': today.replace(month=1, day=1),
                'end_date': today.replace(month=12, day=31),
                'move_sequence': sequence.id}])
    FiscalYear.create_period([fiscalyear])
    receivable_type = Account.search([('type.receivable', '=', True),
            ('company', '=', company.id)], limit=1)[0].type
    revenue_type = Account.search([('type.revenue', '=', True),
            ('company', '=', company.id)], limit=1)[0].type
    control, revenue = Account.create([{
                'name': "应收物业费", 'code': '1122.01',
                'type': receivable_type.id, 'company': company.id,
                'party_required': False, 'reconcile': False,
                }, {
                'name': "物业服务收入", 'code': '6001.01',
                'type': revenue_type.id, 'company': company.id,
                }])
    journal, = Journal.search([('type', '=', 'revenue')], limit=1)
    config = Configuration(1)
    config.bill_journal = journal
    config.save()
    return control, revenue
