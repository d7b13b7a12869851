# This file is part of Aishang Property. See the LICENSE file at the top level
# of this repository for full copyright notices and license terms.
from trytond.transaction import Transaction


def invalidate(records):
    "Forget cached values of records after they were changed by raw SQL"
    if not records:
        return
    transaction = Transaction()
    transaction.counter += 1
    name = records[0].__name__
    for record in records:
        record._local_cache.pop(record.id, None)
        record._values = None
    for cache in transaction.cache.values():
        if name in cache:
            for record in records:
                cache[name].pop(record.id, None)
