# This file is part of Aishang Property. See the LICENSE file at the top level
# of this repository for full copyright notices and license terms.
from trytond import backend


def in_max():
    """How many ids to put in one SQL IN clause on this backend.

    trytond 8.0 gives only the backend's parameter limit
    (backend.MAX_QUERY_PARAMS); keep room for the other parameters of the
    query. The same rule as aishang_property.tools.in_max, which this
    addon may not depend on.
    """
    return max(backend.MAX_QUERY_PARAMS - 100, 100)
