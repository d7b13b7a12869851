# This file is part of Aishang Property. See the LICENSE file at the top level
# of this repository for full copyright notices and license terms.
"""What the reports of every addon share: the context of a period in a
company and project, ratios, and the SQL month of a date."""
from decimal import ROUND_HALF_UP, Decimal

from sql.functions import Function

from trytond.model import fields
from trytond.pyson import Eval, If
from trytond.transaction import Transaction

RATE_UNIT = Decimal('0.0001')


class ToChar(Function):
    "TO_CHAR(date, format): SQLite gets it from trytond's SQLite functions"
    __slots__ = ()
    _function = 'TO_CHAR'


def ratio(part, whole):
    "part / whole to the hundredth of a percent, None when whole is nothing"
    if not whole:
        return None
    return (Decimal(part or 0) / Decimal(whole)).quantize(
        RATE_UNIT, rounding=ROUND_HALF_UP)


class PeriodContextMixin:
    """The company, project and days a report counts.

    A report states what its days mean with the help of from_date and
    to_date, and makes them required in its __setup__ when it needs both.
    """
    __slots__ = ()
    company = fields.Many2One('company.company', "Company", required=True)
    project = fields.Many2One(
        'property.project', "Project",
        domain=[('company', '=', Eval('company', -1))])
    from_date = fields.Date(
        "From Date",
        domain=[If(Eval('from_date') & Eval('to_date'),
                ('from_date', '<=', Eval('to_date')), ())])
    to_date = fields.Date(
        "To Date",
        domain=[If(Eval('from_date') & Eval('to_date'),
                ('to_date', '>=', Eval('from_date')), ())])

    @classmethod
    def _period_setup(cls, from_help=None, to_help=None, required=False):
        "Set the help of the days and whether both are required"
        for field, help_ in [(cls.from_date, from_help), (cls.to_date, to_help)]:
            field.help = help_
            field.required = required

    @staticmethod
    def default_company():
        return Transaction().context.get('company')
