"""Run the whole test suite with pytest, on SQLite or on PostgreSQL.

    python -m aishang.testrun [PYTEST ARGS...]          (what `make test` runs)

* SQLite (default): an in-memory database per test class. Tryton's DB_CACHE
  keeps each activated module set in ``.cache/dbcache-sqlite-<hash>/``.
* PostgreSQL: set ``AISHANG_TEST_DB=postgresql://user@host:port/``. It is
  passed to Tryton as ``TRYTOND_DATABASE_URI``, the test database is
  ``test_aishang_<run id>`` (dropped at the end) and ``DB_CACHE`` keeps the
  activated module sets as template databases named ``test-<hash>``.

``<hash>`` is :func:`aishang.project.schema_hash` (addons/**/*.py, *.xml,
*.cfg, *.po and pyproject.toml): Tryton keys its cache by module names
only, so a schema change must invalidate it. For SQLite the hash is part
of the cache directory name; for PostgreSQL it is kept in
``.cache/dbcache-postgresql-<server>.hash`` and, when it differs, every
``test-*`` database of the server is dropped before the run.

The exit status is pytest's, so "no tests collected" (5) is a failure too.
"""
import hashlib
import os
import shutil
import subprocess
import sys
import time

from aishang.project import project_root, schema_hash

__all__ = ['main']

SQLITE_CACHE_PREFIX = 'dbcache-sqlite-'
STALE_AFTER = 3600  # seconds; old SQLite caches are removed after this


def log(message):
    print(f"[aishang.testrun] {message}", file=sys.stderr, flush=True)


def _pg_connect(uri):
    import psycopg
    from psycopg.conninfo import make_conninfo
    return psycopg.connect(
        make_conninfo(uri, dbname='postgres'), autocommit=True)


def _pg_databases(uri, pattern):
    with _pg_connect(uri) as conn:
        return [name for name, in conn.execute(
                "SELECT datname FROM pg_database WHERE datname LIKE %s "
                "ORDER BY datname", (pattern,))]


def _pg_drop(uri, names):
    from psycopg import sql
    failed = []
    with _pg_connect(uri) as conn:
        for name in names:
            try:
                conn.execute(sql.SQL('DROP DATABASE IF EXISTS {}').format(
                        sql.Identifier(name)))
            except Exception as exc:  # e.g. still in use by another run
                failed.append(name)
                log(f"could not drop {name}: {exc}")
    return failed


def _prepare_sqlite(env, root, current):
    cache_dir = root / '.cache'
    cache = cache_dir / f'{SQLITE_CACHE_PREFIX}{current}'
    cache.mkdir(parents=True, exist_ok=True)
    now = time.time()
    for old in cache_dir.glob(f'{SQLITE_CACHE_PREFIX}*'):
        if old != cache and now - old.stat().st_mtime > STALE_AFTER:
            shutil.rmtree(old, ignore_errors=True)
    env['TRYTOND_DATABASE_URI'] = 'sqlite://'
    env['DB_NAME'] = ':memory:'
    env['DB_CACHE'] = str(cache)
    log(f"SQLite (in memory), DB_CACHE={cache.relative_to(root)}")


def _prepare_postgresql(env, root, current, uri):
    run_id = env.get('AISHANG_TEST_RUN_ID') or (
        f'{int(time.time())}_{os.getpid()}')
    db_name = f'test_aishang_{run_id}'
    server = hashlib.sha256(uri.encode()).hexdigest()[:8]
    stamp = root / '.cache' / f'dbcache-postgresql-{server}.hash'
    stamp.parent.mkdir(parents=True, exist_ok=True)
    previous = stamp.read_text().strip() if stamp.exists() else None
    if previous != current:
        templates = _pg_databases(uri, 'test-%')
        if templates:
            log(f"schema changed ({previous} -> {current}): dropping "
                f"{len(templates)} cached template database(s)")
            if _pg_drop(uri, templates):
                raise SystemExit(
                    "Stale test-* template databases could not be dropped "
                    "(in use?); a run would test an old schema.")
        stamp.write_text(current + '\n')
    env['TRYTOND_DATABASE_URI'] = uri
    env['DB_NAME'] = db_name
    env['DB_CACHE'] = uri.rstrip('/')  # => template databases "test-<hash>"
    log(f"PostgreSQL {uri} database {db_name}, DB_CACHE=template databases")
    return db_name


def main(argv=None):
    args = list(sys.argv[1:] if argv is None else argv)
    root = project_root()
    current = schema_hash(root)
    env = os.environ.copy()
    for name in ('TRYTOND_CONFIG', 'DB_NAME', 'DB_CACHE'):
        env.pop(name, None)
    uri = env.get('AISHANG_TEST_DB', '').strip()
    db_name = None
    if uri:
        if not uri.startswith(('postgresql://', 'postgres://')):
            raise SystemExit(
                f"AISHANG_TEST_DB must be a postgresql:// URI, not {uri!r}")
        uri = 'postgresql://' + uri.split('://', 1)[1]
        db_name = _prepare_postgresql(env, root, current, uri)
    else:
        _prepare_sqlite(env, root, current)

    cmd = [sys.executable, '-m', 'pytest', *args]
    log(' '.join(cmd))
    start = time.monotonic()
    process = subprocess.Popen(cmd, cwd=root, env=env)
    try:
        while True:
            try:
                returncode = process.wait()
                break
            except KeyboardInterrupt:
                continue  # pytest got the SIGINT too; wait for its report
    finally:
        if db_name:
            try:
                _pg_drop(uri, [d for d in _pg_databases(uri, db_name)
                        if d == db_name])
            except Exception as exc:
                log(f"could not drop {db_name}: {exc}")
    elapsed = time.monotonic() - start
    backend = 'PostgreSQL' if uri else 'SQLite'
    log(f"{backend}: pytest exited with {returncode} after {elapsed:.1f} s")
    if returncode == 5:
        log("no tests were collected: that is a failure")
    return returncode


if __name__ == '__main__':
    sys.exit(main())
