# This file is part of Aishang Property. See the LICENSE file at the top level
# of this repository for full copyright notices and license terms.
"""Run Tryton's doctest scenarios under pytest as unittest would.

pytest collects the scenario_*.rst files itself (it ignores the load_tests
protocol), so Tryton's doctest tear-down never runs: the database a
scenario filled would be reused by the next test class. Drop it after each
scenario, as trytond.tests.test_tryton.doctest_teardown does.
"""
import os

import pytest
from _pytest.doctest import DoctestItem


@pytest.fixture(autouse=True)
def tryton_doctest_teardown(request):
    yield
    if isinstance(request.node, DoctestItem):
        from trytond.tests.test_tryton import drop_db
        drop_db()

# Tests of concurrent transactions need a server database: SQLite locks the
# whole file and an in-memory database is private to its connection.
# They are collected only when the suite runs on PostgreSQL.
collect_ignore_glob = []
if not os.environ.get('TRYTOND_DATABASE_URI', '').startswith('postgresql'):
    collect_ignore_glob.append('addons/*/tests/test_concurrency*.py')
