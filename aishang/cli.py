"""The ``aishang`` command: database set-up, production server and demo.

::

    aishang db init    --config FILE --database NAME [--password-file F]
                       [--email E] [--language zh_CN]
    aishang db upgrade --config FILE --database NAME [--language zh_CN]
    aishang serve      --config FILE --database NAME [--workers N]
                       [--bind HOST:PORT] [--timeout S]
    aishang demo       [--host H] [--port P] [--reset] [--var-dir DIR]
                       [--no-serve]

Nothing here ever prompts: the admin password comes from ``--password-file``
or ``AISHANG_ADMIN_PASSWORD`` and the admin email from ``--email`` (empty
by default).

Each command configures trytond (``trytond.config.update_etc``) *before*
importing anything that reads the configuration (``trytond.backend`` picks
the database driver at import time), so one process serves one
configuration. ``serve`` and ``demo`` replace the process with the server
(``os.execv``); the server therefore starts from a clean interpreter.
"""
import argparse
import configparser
import os
import shutil
import sys
import tempfile
from pathlib import Path

from aishang.project import project_root, schema_hash

__all__ = [
    'main', 'our_modules', 'configure', 'ensure_database', 'init_database',
    'upgrade_database', 'set_default_language', 'write_demo_config',
    'prepare_demo', 'populate_demo', 'demo_logins', 'demo_admin_password',
    'DEMO_DATABASE', 'SAO_VERSION',
    ]

DEFAULT_LANGUAGE = 'zh_CN'
DEMO_DATABASE = 'aishang_demo'
# Used only when aishang.demo_data does not give the admin's password:
# Tryton refuses a password equal to the login, so not 'admin'.
DEMO_ADMIN_PASSWORD = 'admin123'
SAO_VERSION = '8.0.11'
MODULE_PREFIX = 'aishang_'


class CommandError(Exception):
    "An error reported to the user without a traceback."


# ---------------------------------------------------------------------------
# Helpers (usable from Python, e.g. by tests/browser)
# ---------------------------------------------------------------------------

def our_modules():
    """Every ``aishang_*`` Tryton module that is installed (entry points)."""
    from trytond.modules import get_modules
    modules = sorted(m for m in get_modules() if m.startswith(MODULE_PREFIX))
    if not modules:
        raise CommandError(
            "No aishang_* Tryton module is installed; "
            "run `pip install -e .` (or `make demo`) first.")
    return modules


def configure(config_file):
    """Load *config_file* into trytond's global configuration.

    Must run before ``trytond.backend`` or ``trytond.pool`` are imported
    in this process.
    """
    path = Path(config_file).resolve()
    if not path.is_file():
        raise CommandError(f"Configuration file not found: {path}")
    if 'trytond.backend' in sys.modules:
        # The backend was already chosen with another configuration.
        import trytond.config as tconfig
        from trytond import backend
        tconfig.update_etc(str(path))
        scheme = tconfig.get('database', 'uri', default='').split(':', 1)[0]
        if scheme != backend.name:
            raise CommandError(
                f"trytond.backend was imported as {backend.name!r} before "
                f"configuring {path} ({scheme!r}); use a new process.")
    else:
        import trytond.config as tconfig
        tconfig.update_etc(str(path))
    os.environ['TRYTOND_CONFIG'] = str(path)
    return path


def _backend_name():
    from trytond import backend
    return backend.name


def ensure_database(name):
    """Create the database *name* if it does not exist (trytond-admin does
    not). Return True when it was created."""
    from trytond import backend
    from trytond.config import config as tconfig

    if _database_exists(name):
        return False
    if backend.name == 'sqlite':
        Path(tconfig.get('database', 'path')).mkdir(
            parents=True, exist_ok=True)
        backend.Database.create(None, name)  # SQLite: creates an empty file
        return True

    database = backend.Database().connect()
    connection = database.get_connection(autocommit=True)
    try:
        database.create(connection, name)  # TEMPLATE template0, UTF8
        return True
    finally:
        database.put_connection(connection)


def _database_exists(name):
    from trytond import backend
    from trytond.config import config as tconfig

    if backend.name == 'sqlite':
        return Path(tconfig.get('database', 'path'), f'{name}.sqlite').exists()
    database = backend.Database().connect()
    connection = database.get_connection()
    try:
        with connection.cursor() as cursor:
            cursor.execute(
                'SELECT 1 FROM pg_database WHERE datname = %s', (name,))
            return bool(cursor.fetchone())
    finally:
        database.put_connection(connection)


def _is_tryton_database(name):
    from trytond import backend
    database = backend.Database(name).connect()
    try:
        return bool(database.test())
    finally:
        database.close()


def _run_admin(database, update, languages, email=None, password=None,
        activate_dependencies=True):
    """trytond-admin, in process and without prompts."""
    import trytond.commandline as commandline

    args = ['-d', database, '-u', *update]
    if activate_dependencies:
        args.append('--activate-dependencies')
    if languages:
        args += ['-l', *languages]
    options = commandline.get_parser_admin().parse_args(args)
    options.configfile = None  # already loaded by configure()
    options.email = email
    if options.indexes is None:
        options.indexes = bool(options.update)

    passfile = None
    saved = os.environ.get('TRYTONPASSFILE')
    if password is not None:
        fd, passfile = tempfile.mkstemp(prefix='aishang-pass-')
        with os.fdopen(fd, 'w') as fp:
            fp.write(password + '\n')
        os.environ['TRYTONPASSFILE'] = passfile
    else:
        os.environ.pop('TRYTONPASSFILE', None)
    try:
        import trytond.admin as admin
        admin.run(options)
    finally:
        if passfile:
            os.unlink(passfile)
        if saved is None:
            os.environ.pop('TRYTONPASSFILE', None)
        else:
            os.environ['TRYTONPASSFILE'] = saved


def _init_pool(database):
    from trytond.pool import Pool
    if database not in Pool.database_list():
        Pool(database).init()


def set_default_language(database, language=DEFAULT_LANGUAGE):
    """Make *language* the default of the database (ir.configuration, used
    for new users and the login page) and the admin's language."""
    from trytond.transaction import inactive_records

    def set_language(pool):
        Lang = pool.get('ir.lang')
        User = pool.get('res.user')
        Configuration = pool.get('ir.configuration')
        lang, = Lang.search([('code', '=', language)])
        if not lang.translatable:
            lang.translatable = True
            lang.save()
        configuration = Configuration(1)
        configuration.language = language
        configuration.save()
        with inactive_records():
            users = User.search([('login', '!=', 'root')])
        users = [u for u in users if u.login == 'admin' or not u.language]
        if users:
            User.write(users, {'language': lang.id})

    _run_in_transaction(database, set_language)


def _read_password(password_file=None):
    if password_file:
        lines = Path(password_file).read_text(encoding='utf-8').splitlines()
        password = lines[0].strip() if lines else ''
        if not password:
            raise CommandError(f"Empty password file: {password_file}")
        return password
    password = os.environ.get('AISHANG_ADMIN_PASSWORD')
    if not password:
        raise CommandError(
            "The admin password is needed to initialise a database: "
            "give --password-file FILE or set AISHANG_ADMIN_PASSWORD.")
    return password


def init_database(database, password=None, email=None,
        language=DEFAULT_LANGUAGE, password_file=None):
    """Create (if missing) and initialise *database*, activate every
    aishang_* module with its dependencies, load *language* and make it the
    default. Call :func:`configure` first. Return True when the database
    was initialised now, False when it already was a Tryton database (it is
    then upgraded like ``db upgrade``)."""
    fresh = not _database_exists(database) or not _is_tryton_database(
        database)
    if fresh and password is None:
        password = _read_password(password_file)  # before creating anything
    ensure_database(database)
    modules = our_modules()
    languages = [language] if language else []
    _run_admin(database, ['ir', 'res', *modules], languages,
        email=(email or '') if fresh else email,
        password=password if fresh else None)
    if fresh and language:
        set_default_language(database, language)
    return fresh


def upgrade_database(database, language=DEFAULT_LANGUAGE):
    """``trytond-admin -u <all aishang_* modules> --activate-dependencies
    -l zh_CN``: updates the schema and data of our modules (and activates
    modules added since) and reloads the translations."""
    if not _is_tryton_database(database):
        raise CommandError(
            f'"{database}" is not a Tryton database; run `aishang db init`.')
    _run_admin(database, our_modules(), [language] if language else [])


# ---------------------------------------------------------------------------
# Demo
# ---------------------------------------------------------------------------

def _demo_var_dir(var_dir=None):
    return Path(var_dir or project_root() / 'var' / 'demo').resolve()


def _sao_root():
    return project_root() / 'build' / 'sao' / 'package'


def write_demo_config(var_dir, host='127.0.0.1', port=8000, web_root=None):
    """Write ``<var_dir>/trytond.conf`` for the embedded SQLite demo and
    return its path."""
    var_dir = Path(var_dir).resolve()
    var_dir.mkdir(parents=True, exist_ok=True)
    web_root = Path(web_root or _sao_root()).resolve()
    conf = var_dir / 'trytond.conf'
    conf.write_text(f"""\
# Generated by `aishang demo` on every start: edit the generator
# (aishang/cli.py), not this file. Demo only; see trytond.conf at the
# repository root for production.
[database]
uri = sqlite://
path = {var_dir}
language = en

[web]
listen = {host}:{port}
# Sao (Tryton's web client), installed by `make sao`
root = {web_root}
# The owners' H5 portal (clients/h5/dist, built by `make demo`) is served
# by aishang_portal under /owner/

[session]
# seconds of inactivity before sao asks for the password again
timeout = 3600
max_age = 86400

[password]
# Tryton's defaults; the demo passwords (aishang.demo_data.DEMO_LOGINS)
# follow them
length = 8

[cache]
# one process only: the default invalidation is fine for the demo
clean_timeout = 300

[queue]
# no trytond-worker in the demo: queued tasks run at the end of the request
worker = False

[aishang_portal]
# the owner API without database in its path (/aishang/api/v1/…) and the
# H5 portal use the demo database; SMS codes are printed in the log
database = {DEMO_DATABASE}
sms_backend = console
""", encoding='utf-8')
    _append_payment_options(conf, var_dir)
    _write_demo_logging(var_dir)
    return conf


def _write_demo_logging(var_dir):
    """Warnings, the requests, and the SMS codes of the console backend:
    a demo owner signs in to the H5 portal with the code printed here."""
    (var_dir / 'logging.conf').write_text("""\
[formatters]
keys=simple

[handlers]
keys=console

[loggers]
keys=root,sms,werkzeug

[formatter_simple]
format=[%(asctime)s] %(levelname)s %(name)s %(message)s

[handler_console]
class=StreamHandler
formatter=simple
args=(sys.stderr,)

[logger_root]
level=WARNING
handlers=console

[logger_sms]
level=INFO
handlers=
qualname=trytond.modules.aishang_portal.sms

[logger_werkzeug]
level=INFO
handlers=
qualname=werkzeug
""", encoding='utf-8')


def _append_payment_options(conf, var_dir):
    """The demo pays through the sandbox channel (docs/payments.md); never
    enable it in production."""
    from aishang.demo_payment import sandbox_options
    options = ''.join(f'{k} = {v}\n'
        for k, v in sandbox_options(var_dir).items())
    with conf.open('a', encoding='utf-8') as file:
        file.write(f"\n[aishang_payment]\n# demo only: pretend payments\n"
            f"{options}")


def _load_demo_data():
    try:
        from aishang import demo_data
    except ModuleNotFoundError as exc:
        if exc.name != 'aishang.demo_data':
            raise
        raise CommandError(
            "The demo data loader aishang/demo_data.py (populate(pool), "
            "DEMO_LOGINS) is not there yet: the database was created and "
            "the modules activated, but no demo data can be loaded.") from exc
    return demo_data


def _run_in_transaction(database, func, context=None):
    """Run ``func(pool)`` as root in one committed transaction, following
    Tryton's protocol: a TransactionError (e.g. ``Model.lock`` on SQLite,
    which needs the tables locked from the start) is fixed by restarting
    the transaction with the extras it asks for."""
    from trytond.pool import Pool
    from trytond.transaction import Transaction, TransactionError

    _init_pool(database)
    extras = {}
    while True:
        with Transaction().start(database, 0, context=context,
                **extras) as transaction:
            try:
                result = func(Pool())
            except TransactionError as exception:
                transaction.rollback()
                exception.fix(extras)
                continue
            transaction.commit()
            return result


def populate_demo(database):
    """Run ``aishang.demo_data.populate(pool)`` in one transaction (it is
    idempotent and returns quickly when the data is already there)."""
    demo_data = _load_demo_data()

    def populate(pool):
        demo_data.populate(pool)
        # The demo data configures the company etc.: do not greet the
        # admin with Tryton's module configuration wizard at first login.
        Item = pool.get('ir.module.config_wizard.item')
        if items := Item.search([('state', '=', 'open')]):
            Item.write(items, {'state': 'done'})

    _run_in_transaction(database, populate,
        context={'language': DEFAULT_LANGUAGE})
    # In a transaction of its own: collecting locks tables and Tryton
    # restarts the transaction it asks for the locks in.
    for step in getattr(demo_data, 'LATER_STEPS', []):
        _run_in_transaction(database, step,
            context={'language': DEFAULT_LANGUAGE})
    return demo_data


def prepare_demo(var_dir=None, host='127.0.0.1', port=8000, reset=False,
        web_root=None, populate=True, log=print):
    """Write the config, create or upgrade the demo database and load the
    demo data. Return the configuration path."""
    var_dir = _demo_var_dir(var_dir)
    # fail before building anything when the loader is missing
    demo_data = _load_demo_data() if populate else None
    if reset and var_dir.exists():
        log(f"Removing {var_dir}")
        shutil.rmtree(var_dir)
    conf = write_demo_config(var_dir, host, port, web_root)
    configure(conf)
    stamp = var_dir / '.schema-hash'
    current = schema_hash()
    db_file = var_dir / f'{DEMO_DATABASE}.sqlite'
    if not db_file.exists() or not _is_tryton_database(DEMO_DATABASE):
        log(f"Creating the demo database {db_file} (about a minute)...")
        init_database(DEMO_DATABASE, password=demo_admin_password(demo_data),
            email='admin@example.com')
        stamp.write_text(current + '\n')
    elif not stamp.exists() or stamp.read_text().strip() != current:
        log("The addons changed since the demo database was built: "
            "upgrading it...")
        upgrade_database(DEMO_DATABASE)
        stamp.write_text(current + '\n')
    if populate:
        log("Loading the demo data (skipped quickly when present)...")
        populate_demo(DEMO_DATABASE)
    return conf


def demo_logins(demo_data=None):
    """[(login, password, description), ...] of the demo, admin first."""
    if demo_data is None:
        try:
            from aishang import demo_data
        except ModuleNotFoundError:
            demo_data = None
    logins = [tuple(entry) for entry in getattr(demo_data, 'DEMO_LOGINS', [])]
    if not any(entry[0] == 'admin' for entry in logins):
        logins.insert(0, ('admin', DEMO_ADMIN_PASSWORD, '系统管理员'))
    return logins


def demo_admin_password(demo_data=None):
    return next(e[1] for e in demo_logins(demo_data) if e[0] == 'admin')


def _url(host, port):
    shown = '127.0.0.1' if host in {'0.0.0.0', '::', ''} else host
    return f'http://{shown}:{port}/'


# ---------------------------------------------------------------------------
# Commands
# ---------------------------------------------------------------------------

def cmd_db_init(args):
    configure(args.config)
    password = None
    if args.password_file or os.environ.get('AISHANG_ADMIN_PASSWORD'):
        password = _read_password(args.password_file)
    fresh = init_database(args.database, password=password,
        email=args.email, language=args.language,
        password_file=args.password_file)
    if fresh:
        print(f'Database "{args.database}" initialised with '
            f'{", ".join(our_modules())}; default language {args.language}.')
    else:
        print(f'Database "{args.database}" already initialised: upgraded.')
    return 0


def cmd_db_upgrade(args):
    configure(args.config)
    upgrade_database(args.database, language=args.language)
    print(f'Database "{args.database}" upgraded: {", ".join(our_modules())}.')
    return 0


def cmd_serve(args):
    conf = Path(args.config).resolve()
    if not conf.is_file():
        raise CommandError(f"Configuration file not found: {conf}")
    parser = configparser.ConfigParser(interpolation=None)
    parser.read(conf, encoding='utf-8')
    bind = args.bind or parser.get('web', 'listen', fallback='127.0.0.1:8000')
    workers = args.workers or (2 * (os.cpu_count() or 1) + 1)
    if (parser.getboolean('queue', 'worker', fallback=False)):
        print("[queue] worker = True: run `trytond-worker -c "
            f"{conf} -d {args.database}` too, or queued tasks never run.",
            file=sys.stderr)
    env = dict(os.environ,
        TRYTOND_CONFIG=str(conf),
        TRYTOND_DATABASE_NAMES=args.database)
    argv = [sys.executable, '-m', 'gunicorn',
        '--workers', str(workers),
        '--bind', bind,
        '--timeout', str(args.timeout),
        '--preload',  # load the pool once, then fork (trytond checks threads)
        *args.gunicorn_args,
        'trytond.application:app']
    print(f"Serving {args.database} with {workers} gunicorn workers on "
        f"{bind}", flush=True)
    os.execve(sys.executable, argv, env)


def cmd_demo(args):
    conf = prepare_demo(args.var_dir, args.host, args.port, reset=args.reset)
    if not _sao_root().joinpath('index.html').exists():
        print(f"Warning: Sao is not installed in {_sao_root()}; run "
            "`make sao` (the JSON-RPC server works without it).",
            file=sys.stderr)
    url = _url(args.host, args.port)
    lines = ['', f"爱尚物业 Aishang Property demo: {url}  "
        f"(database {DEMO_DATABASE})", "Demo logins:"]
    for login, password, *rest in demo_logins():
        description = rest[0] if rest else ''
        lines.append(f"  {login:<16} {password:<16} {description}")
    if args.no_serve:
        print('\n'.join(lines), flush=True)
        return 0
    lines.append("Press Ctrl-C to stop.")
    print('\n'.join(lines), flush=True)
    argv = [sys.executable, '-m', 'trytond.cli', '-c', str(conf),
        '-d', DEMO_DATABASE, '--logconf', str(conf.parent / 'logging.conf')]
    if args.verbose:
        argv.append('-' + 'v' * args.verbose)
    os.execv(sys.executable, argv)


def build_parser():
    parser = argparse.ArgumentParser(prog='aishang',
        description="Aishang Property (爱尚物业) on Tryton 8.0")
    sub = parser.add_subparsers(dest='command', required=True)

    db = sub.add_parser('db', help="create, initialise, upgrade databases")
    dbsub = db.add_subparsers(dest='db_command', required=True)

    def db_common(p):
        p.add_argument('--config', '-c', required=not os.environ.get(
                'TRYTOND_CONFIG'), default=os.environ.get('TRYTOND_CONFIG'),
            metavar='FILE', help="trytond configuration file")
        p.add_argument('--database', '-d', required=True, metavar='NAME')
        p.add_argument('--language', default=DEFAULT_LANGUAGE,
            help="language to load and make the default (default: zh_CN)")

    init = dbsub.add_parser('init', help="create the database if missing, "
        "initialise it, activate every aishang_* module, load zh_CN")
    db_common(init)
    init.add_argument('--password-file', metavar='FILE',
        help="file whose first line is the admin password "
        "(default: $AISHANG_ADMIN_PASSWORD)")
    init.add_argument('--email', default=None, help="admin email")
    init.set_defaults(func=cmd_db_init)

    upgrade = dbsub.add_parser('upgrade', help="update every aishang_* "
        "module (schema, data, translations)")
    db_common(upgrade)
    upgrade.set_defaults(func=cmd_db_upgrade)

    serve = sub.add_parser('serve', help="production server: gunicorn "
        "workers on trytond.application:app")
    serve.add_argument('--config', '-c', required=not os.environ.get(
            'TRYTOND_CONFIG'), default=os.environ.get('TRYTOND_CONFIG'),
        metavar='FILE')
    serve.add_argument('--database', '-d', required=True, metavar='NAME',
        help="database name(s), comma separated, loaded at start")
    serve.add_argument('--workers', '-w', type=int, default=None,
        help="gunicorn worker processes (default: 2 x CPUs + 1)")
    serve.add_argument('--bind', '-b', default=None, metavar='HOST:PORT',
        help="default: [web] listen of the configuration")
    serve.add_argument('--timeout', type=int, default=300,
        help="seconds before gunicorn restarts a silent worker")
    serve.add_argument('gunicorn_args', nargs='*', metavar='-- GUNICORN_ARG',
        help="extra gunicorn arguments after --")
    serve.set_defaults(func=cmd_serve)

    demo = sub.add_parser('demo', help="embedded SQLite demo with sample "
        "data, served by the trytond development server")
    demo.add_argument('--host', default='127.0.0.1')
    demo.add_argument('--port', type=int, default=8000)
    demo.add_argument('--reset', action='store_true',
        help="delete the demo database (var/demo) first")
    demo.add_argument('--var-dir', default=None, metavar='DIR',
        help="where the config and database live (default: var/demo)")
    demo.add_argument('--no-serve', action='store_true',
        help="prepare the database and exit")
    demo.add_argument('--verbose', '-v', action='count', default=0,
        help="server log verbosity")
    demo.set_defaults(func=cmd_demo)
    return parser


def main(argv=None):
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return args.func(args) or 0
    except CommandError as exc:
        print(f"aishang: error: {exc}", file=sys.stderr)
        return 2


if __name__ == '__main__':
    sys.exit(main())
