# This file is part of Aishang Property. See the LICENSE file at the top level
# of this repository for full copyright notices and license terms.
"""The values of a review request as JSON text: pure functions.

Decimal becomes its string ('12.30'), date, datetime and time their ISO
format, so that the stored JSON reads plainly in the request form; the
target converts them back in review_apply.
"""
import datetime as dt
import json
from decimal import Decimal


class _ValuesEncoder(json.JSONEncoder):
    # Plain strings rather than Tryton's {"__class__": ...} objects
    def default(self, o):
        if isinstance(o, Decimal):
            return str(o)
        if isinstance(o, (dt.date, dt.time)):  # datetime is a date
            return o.isoformat()
        return super().default(o)


def dumps_values(values):
    "Return values as JSON text, None when empty"
    if not values:
        return None
    return json.dumps(
        values, cls=_ValuesEncoder, sort_keys=True, ensure_ascii=False)


def loads_values(text):
    "Return the dict that dumps_values encoded as text"
    return json.loads(text) if text else {}
