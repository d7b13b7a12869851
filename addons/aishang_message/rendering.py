# This file is part of Aishang Property. See the LICENSE file at the top level
# of this repository for full copyright notices and license terms.
"""Strict ${name} placeholders for message templates: no Pool, no Transaction.

The syntax is Python's string.Template (``${name}`` or ``$name``, ``$$`` for
a dollar sign) but nothing is left unrendered: a template may only use the
variables it declares, and rendering without one of their values fails
instead of leaving ``${name}`` in a message sent to an owner.
"""
import re
import string
from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal('0.01')
_NAME = re.compile(r'^[_a-z][_a-z0-9]*$', re.IGNORECASE)


class InvalidPlaceholder(ValueError):
    "A $ that starts no valid placeholder, at line and column (from 1)"

    def __init__(self, line, column):
        super().__init__(line, column)
        self.line = line
        self.column = column


class UnknownPlaceholders(ValueError):
    "Placeholders that are not among the declared variables"

    def __init__(self, names):
        super().__init__(names)
        self.names = names


class MissingValues(KeyError):
    "Placeholders used by a text that were given no value"

    def __init__(self, names):
        super().__init__(names)
        self.names = names


class InvalidVariable(ValueError):
    "A declared variable that is not a valid placeholder name"

    def __init__(self, name):
        super().__init__(name)
        self.name = name


def parse_variables(text):
    "The names of a comma separated list, in order, without duplicates"
    names = []
    for name in (text or '').split(','):
        name = name.strip()
        if not name or name in names:
            continue
        if not _NAME.match(name):
            raise InvalidVariable(name)
        names.append(name)
    return names


def placeholders(text):
    "The placeholder names used in text, in order of first use"
    template = string.Template(text or '')
    for match in template.pattern.finditer(template.template):
        if match.group('invalid') is not None:
            lines = template.template[:match.start()].splitlines(
                keepends=True) or ['']
            if lines[-1].endswith(('\n', '\r')):
                lines.append('')
            raise InvalidPlaceholder(len(lines), len(lines[-1]) + 1)
    return template.get_identifiers()


def check(text, variables):
    "Raise if text has a bad placeholder or one not in variables"
    unknown = [n for n in placeholders(text) if n not in variables]
    if unknown:
        raise UnknownPlaceholders(unknown)


def format_value(value):
    """The text of a value in a message.

    Decimals are money here: two decimals rounded half up, as bills are.
    """
    if value is None:
        return ''
    if isinstance(value, Decimal):
        return str(value.quantize(CENT, rounding=ROUND_HALF_UP))
    if hasattr(value, 'rec_name'):
        return value.rec_name
    return str(value)


def render(text, values):
    "text with its placeholders replaced by values; every one is required"
    names = placeholders(text)
    missing = [n for n in names if n not in values]
    if missing:
        raise MissingValues(missing)
    return string.Template(text or '').substitute(
        {n: format_value(values[n]) for n in names})
