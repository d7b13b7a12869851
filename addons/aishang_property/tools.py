# This file is part of Aishang Property. See the LICENSE file at the top level
# of this repository for full copyright notices and license terms.
from trytond import backend


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
