# This file is part of Aishang Property. See the LICENSE file at the top level
# of this repository for full copyright notices and license terms.
from trytond.i18n import gettext
from trytond.model import Index, ModelSQL, ModelView, fields
from trytond.pyson import Eval

from .exceptions import PriceRuleValidationError
from .formula import FormulaError, compile_formula
from .money import find_overlap
from .pricing import FORMULA_VARIABLES
from .scope import ScopeMixin

METHODS = [
    ('area', "By Billing Area"),
    ('building_area', "By Building Area"),
    ('inner_area', "By Inner Area"),
    ('household', "Per Household"),
    ('occupant', "Per Occupant"),
    ('usage', "By Usage"),
    ('fixed', "Fixed Amount"),
    ('formula', "Custom Formula"),
    ]


class PriceRule(ScopeMixin, ModelSQL, ModelView):
    "The price of a fee item for a scope and dates (收费标准)"
    __name__ = 'property.price_rule'
    fee_item = fields.Many2One(
        'property.fee_item', "Fee Item", required=True, ondelete='CASCADE')
    method = fields.Selection(
        METHODS, "Billing Method", required=True, sort=False,
        help="Area, household and occupant prices are per month; a fixed "
        "amount is per billing period; usage is per unit consumed.")
    method_string = method.translated('method')
    unit_price = fields.Numeric(
        "Unit Price", digits=(16, 4),
        states={'required': Eval('method') != 'formula'})
    formula = fields.Char(
        "Formula",
        states={
            'invisible': Eval('method') != 'formula',
            'required': Eval('method') == 'formula',
            },
        help="An expression over area, building_area, inner_area, "
        "occupants, usage, months, days, period_days and price, with "
        "+ - * / ( ), min, max, round, ceil, floor and if(cond, a, b).")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_indexes.add(Index(t,
                (t.fee_item, Index.Equality()),
                (t.project, Index.Equality())))
        cls._order = [('fee_item', 'ASC'), ('project', 'ASC'),
            ('start_date', 'DESC NULLS FIRST'), ('id', 'ASC')]

    @staticmethod
    def default_method():
        return 'area'

    def get_rec_name(self, name):
        return f'{self.fee_item.rec_name} - {self.scope}'

    @classmethod
    def validate_fields(cls, rules, field_names):
        super().validate_fields(rules, field_names)
        cls.check_formula(rules, field_names)

    @classmethod
    def check_formula(cls, rules, field_names=None):
        if field_names and not (field_names & {'formula', 'method'}):
            return
        for rule in rules:
            if rule.method != 'formula':
                continue
            try:
                compile_formula(rule.formula or '', FORMULA_VARIABLES)
            except FormulaError as error:
                raise PriceRuleValidationError(gettext(
                        'aishang_billing.msg_price_rule_formula',
                        rule=rule.rec_name,
                        reason=formula_reason(error))) from error

    @classmethod
    def validate(cls, rules):
        super().validate(rules)
        cls.check_scope(rules)
        cls.check_overlap(rules)

    @classmethod
    def check_overlap(cls, rules):
        "Two rules of one fee item with the same scope may not overlap"
        keys = {(r.fee_item.id, r.project.id) for r in rules}
        for fee_item, project in keys:
            others = cls.search([
                    ('fee_item', '=', fee_item),
                    ('project', '=', project),
                    ])
            overlap = find_overlap([r.scope_values() for r in others])
            if overlap:
                first, second = (cls(v['rule']) for v in overlap)
                raise PriceRuleValidationError(gettext(
                        'aishang_billing.msg_price_rule_overlap',
                        first=first.rec_name, second=second.rec_name))


def formula_reason(error):
    "Translate a FormulaError into the user's language"
    return gettext(
        f'aishang_billing.msg_formula_{error.code}', **error.params)
