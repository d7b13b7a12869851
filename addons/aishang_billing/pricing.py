# This file is part of Aishang Property. See the LICENSE file at the top level
# of this repository for full copyright notices and license terms.
"""How a price rule turns a resource and a period into a charge: pure.

The result is the full, unrounded amount; money.prorate rounds it once
after pro-rating (DOMAIN_RULES 3, 6).
"""
from decimal import Decimal

from .formula import compile_formula

# Variables a custom formula may use.
FORMULA_VARIABLES = frozenset({
        'area', 'building_area', 'inner_area', 'occupants', 'usage',
        'months', 'days', 'period_days', 'price'})

# Methods whose price is per month: the amount scales with the months of
# the billing cycle. The others are per period or per unit of usage.
MONTHLY_METHODS = {'area', 'building_area', 'inner_area', 'household',
    'occupant'}

_QUANTITY = {
    'area': 'area',
    'building_area': 'building_area',
    'inner_area': 'inner_area',
    'occupant': 'occupants',
    'usage': 'usage',
    }


class MissingQuantity(ValueError):
    "The resource lacks the figure the method charges on (area, usage…)"

    def __init__(self, name):
        super().__init__(name)
        self.name = name


def charge(method, unit_price, values, formula=None):
    """Return (quantity, months, full_amount) for one resource and period.

    values holds the resource figures (area, building_area, inner_area,
    occupants, usage) and the period's months, days and period_days.
    """
    unit_price = Decimal(unit_price or 0)
    months = Decimal(values['months'])
    if method == 'formula':
        compiled = compile_formula(formula, FORMULA_VARIABLES)
        variables = {n: values.get(n) for n in compiled.names}
        variables['price'] = unit_price
        return Decimal(1), Decimal(1), compiled.evaluate(variables)
    if method in _QUANTITY:
        quantity = values.get(_QUANTITY[method])
        if quantity is None:
            raise MissingQuantity(_QUANTITY[method])
        quantity = Decimal(quantity)
    else:
        quantity = Decimal(1)
    if method not in MONTHLY_METHODS:
        months = Decimal(1)
    return quantity, months, quantity * unit_price * months
