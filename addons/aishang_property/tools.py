# This file is part of Aishang Property. See the LICENSE file at the top level
# of this repository for full copyright notices and license terms.
import re

from trytond import backend
from trytond.transaction import Transaction, TransactionError


def in_max():
    """How many ids to put in one SQL IN clause on this backend.

    Keeps room for the other parameters of the query.
    """
    return max(backend.MAX_QUERY_PARAMS - 100, 100)


def search_any(clause, names):
    "Domain of clause on any of names, or on all of them for a negation"
    _, operator, operand, *extra = clause
    negative = operator.startswith('!') or operator.startswith('not ')
    return ['AND' if negative else 'OR'] + [
        (name, operator, operand, *extra) for name in names]


class _LocksMissing(TransactionError):
    "Restart the transaction holding every lock asked for at once"

    def __init__(self, tables, records):
        super().__init__()
        self._tables = tables
        self._records = records

    def fix(self, extras):
        super().fix(extras)
        extras.setdefault('_lock_tables', []).extend(self._tables)
        locked = extras.setdefault('_lock_records', {})
        for table, ids in self._records.items():
            locked.setdefault(table, []).extend(ids)


def lock_together(*requests):
    """Lock tables and records at once: (Model, None) for a whole table,
    (Model, records) for rows.

    Tryton takes locks only when a transaction starts: asking for one it
    does not hold restarts the transaction from the beginning. Locking
    one model after another restarts the work once per model; asking for
    them together restarts it once. Records created in this transaction
    need no lock.
    """
    transaction = Transaction()
    # The bookkeeping of Transaction.lock_table/lock_records, for all of
    # them before raising
    locked_tables = transaction._locked_tables
    locked_records = transaction._locked_records
    tables, records = [], {}
    for Model, instances in requests:
        table = Model._table
        if table in locked_tables:
            continue
        if instances is None:
            if table not in tables:
                tables.append(table)
            continue
        created = set(transaction.create_records[Model.__name__])
        missing = {int(r) for r in instances if int(r) not in created
            } - locked_records[table]
        if missing:
            records.setdefault(table, set()).update(missing)
    if tables or records:
        raise _LocksMissing(tables,
            {t: sorted(ids) for t, ids in records.items()})


def natural_key(code):
    """Sort key of a code by its numbers' values: 2号楼 before 10号楼, as
    people count buildings, units and rooms"""
    return [(0, int(part), '') if part.isdecimal() else (1, 0, part)
        for part in re.split(r'(\d+)', code or '') if part]
