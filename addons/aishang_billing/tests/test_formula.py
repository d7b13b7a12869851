# This file is part of Aishang Property. See the LICENSE file at the top level
# of this repository for full copyright notices and license terms.
import pickle
import unittest
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from ..formula import (
    MAX_LENGTH, Formula, FormulaError, compile_formula, evaluate,
    validate_formula)
from ..money import round_money

D = Decimal
VARIABLES = frozenset({
        'area', 'inner_area', 'occupants', 'usage', 'months', 'days',
        'period_days', 'price', 'quantity'})
VALUES = {
    'area': D('89.50'), 'inner_area': D('72.35'), 'occupants': 4,
    'usage': D('12.345'), 'months': 3, 'days': 10, 'period_days': 31,
    'price': D('2.30'), 'quantity': D('2'),
    }

# Hand-computed with VALUES.
GOLDEN = [
    ('area * price * months', D('617.55')),
    ('area * price * months + if(occupants > 3, 30, 20)', D('647.55')),
    ('(area - inner_area) * price * months', D('118.335')),
    ('max(area, 50) * price', D('205.85')),
    ('max(inner_area, 80) * price', D('184.00')),
    ('min(area, 50) * price', D('115.00')),
    ('max(area, inner_area, 100)', D('100')),
    ('if(occupants > 3, 30, 20) * months', D('90')),
    ('if(occupants > 4, 30, 20) * months', D('60')),
    ('if (occupants == 4, quantity * 5, 0)', D('10')),
    ('IF(occupants > 3, 30, 20)', D('30')),
    ('iif(occupants != 4, 1, 2)', D('2')),
    ('if(0 < occupants <= 4, 1, 0)', D('1')),
    ('if(0 < occupants < 4, 1, 0)', D('0')),
    ('if(occupants > 3 and usage < 10, 1, 2)', D('2')),
    ('if(occupants > 3 or usage < 10, 1, 2)', D('1')),
    ('if(not occupants, 1, 2)', D('2')),
    ('if(period_days > 0, days / period_days, 0)',
        D('0.3225806451612903225806451613')),
    ('area * price * days / period_days', D('66.40322580645161290322580645')),
    ('round(area * price * days / period_days, 2)', D('66.40')),
    ('round(usage * 1.2, 2)', D('14.81')),
    ('round(usage, 2)', D('12.35')),          # half up, not half even
    ('round(2.5) + round(-2.5)', D('0')),     # 3 + -3
    ('round(617.555, 2)', D('617.56')),
    ('1.1 * 3', D('3.3')),
    ('0.1 + 0.2', D('0.3')),
    ('1_000.5 + 1e2', D('1100.5')),
    ('1 / 3', D('0.3333333333333333333333333333')),
    ('10 / 4', D('2.5')),
    ('7 // 2 + -7 // 2', D('-1')),            # 3 + -4: floor, as Python
    ('-7 % 3 + 7.5 % 2', D('3.5')),           # 2 + 1.5
    ('2 ** 10 + 1.5 ** 2 + area ** 0', D('1027.25')),
    ('-area + 100', D('10.50')),
    ('abs(inner_area - area)', D('17.15')),
    ('ceil(usage) + floor(usage)', D('25')),
    ('ceil(-1.5) + floor(-1.5)', D('-3')),
    ('最大(area，100)×price', D('230.00')),  # alias, full-width punctuation
    ('  area\n * price', D('205.85')),
    ]

# Refused when compiled (validate_formula), with the expected code.
INVALID = [
    ("__import__('os').system('x')", 'forbidden'),
    ('__import__(1).system(2)', 'forbidden'),
    ('().__class__.__bases__', 'forbidden'),
    ('area.real', 'forbidden'),
    ('[1][0]', 'forbidden'),
    ('area[0]', 'forbidden'),
    ('lambda: 1', 'forbidden'),
    ("open('x')", 'forbidden'),
    ('open(1)', 'unknown_name'),
    ('9**9**9', 'bad_exponent'),
    ('area ** 11', 'bad_exponent'),
    ('area ** 0.5', 'bad_exponent'),
    ('area ** price', 'bad_exponent'),
    ('area ** -1', 'bad_exponent'),
    ('area if 1 else 2', 'forbidden'),      # the ternary: use if()
    ("'abc'", 'forbidden'),
    ('b"abc"', 'forbidden'),
    ("f'{area}'", 'forbidden'),
    ('True', 'forbidden'),
    ('None', 'forbidden'),
    ('...', 'forbidden'),
    ('1j', 'forbidden'),
    ('(x := 1)', 'forbidden'),
    ('[a for a in area]', 'forbidden'),
    ('{1: 2}', 'forbidden'),
    ('(area, price)', 'forbidden'),
    ('(yield area)', 'forbidden'),
    ('max(*area)', 'forbidden'),
    ('area @ price', 'forbidden'),
    ('area | 1', 'forbidden'),
    ('area << 1', 'forbidden'),
    ('~area', 'forbidden'),
    ('area in price', 'forbidden'),
    ('area is price', 'forbidden'),
    ('area ==', 'syntax'),
    ('area price', 'syntax'),
    ('area; 1', 'syntax'),
    ('', 'syntax'),
    ('   ', 'syntax'),
    ('$', 'syntax'),
    ('\x00', 'syntax'),
    ('a\ud800', 'syntax'),
    ('if(area > 1, 2, 3', 'syntax'),
    ('unknown * 2', 'unknown_name'),
    ('__builtins__', 'unknown_name'),
    ('sum(area)', 'unknown_name'),
    ('exec(1)', 'unknown_name'),
    ('area(2)', 'unknown_name'),
    ('max()', 'bad_call'),
    ('round(area, 2, 3)', 'bad_call'),
    ('round(area, ndigits=2)', 'bad_call'),
    ('max(area, key=price)', 'bad_call'),
    ('round(area, price)', 'bad_call'),
    ('round(area, 11)', 'bad_call'),
    ('round(area, 1.5)', 'bad_call'),
    ('if(area, 1)', 'bad_call'),
    ('area > 1', 'not_a_number'),
    ('(area > 1) * 2', 'not_a_number'),
    ('if(area, area > 1, 2)', 'not_a_number'),
    ('area ' * 200, 'too_long'),
    ('x' * (MAX_LENGTH + 1), 'too_long'),
    ('(' * 100 + 'area' + ')' * 100, 'too_deep'),
    ('-' * 60 + 'area', 'too_deep'),
    ('1e999999999', 'overflow'),
    ]

# Valid formulas refused when evaluated: (formula, values, code).
EVALUATION_ERRORS = [
    ('1/0', {}, 'division_by_zero'),
    ('5 // 0', {}, 'division_by_zero'),
    ('5 % 0', {}, 'division_by_zero'),
    ('days / period_days', dict(VALUES, period_days=0), 'division_by_zero'),
    ('area * 2', {}, 'missing_value'),
    ('area * 2', {'area': None}, 'missing_value'),
    ('area', {'area': 1.5}, 'not_a_number'),      # float: Decimal only
    ('area', {'area': True}, 'not_a_number'),
    ('area', {'area': '1'}, 'not_a_number'),
    ('area', {'area': D('NaN')}, 'not_a_number'),
    ('area', {'area': D('Infinity')}, 'not_a_number'),
    ('area ** 10', {'area': D('1e100000')}, 'overflow'),
    ('round(area, 2)', {'area': D('1e30')}, 'overflow'),
    ]


class FormulaTestCase(unittest.TestCase):

    def test_golden(self):
        for text, expected in GOLDEN:
            with self.subTest(formula=text):
                result = evaluate(text, VALUES)
                self.assertIsInstance(result, Decimal)
                self.assertEqual(result, expected)

    def test_literals_exact(self):
        "Float literals are read from their text, not through float"
        for text, expected in [
                ('1.1', '1.1'), ('0.10', '0.10'), ('1e-2', '0.01'),
                ('area * price', '205.8500')]:
            with self.subTest(formula=text):
                self.assertEqual(str(evaluate(text, VALUES)), expected)

    def test_invalid(self):
        for text, code in INVALID:
            with self.subTest(formula=text[:60]):
                with self.assertRaises(FormulaError) as context:
                    validate_formula(text, VARIABLES)
                self.assertEqual(context.exception.code, code)

    def test_evaluation_errors(self):
        for text, values, code in EVALUATION_ERRORS:
            with self.subTest(formula=text, values=values):
                formula = compile_formula(text, VARIABLES)
                with self.assertRaises(FormulaError) as context:
                    formula.evaluate(values)
                self.assertEqual(context.exception.code, code)

    def test_if_evaluates_chosen_branch_only(self):
        values = dict(VALUES, period_days=0)
        self.assertEqual(
            evaluate('if(period_days > 0, days / period_days, 0)', values),
            D(0))
        self.assertEqual(evaluate('if(1, 2, missing)', {'missing': None}), 2)

    def test_positions(self):
        "params locate the error, as a 1-based column of the typed text"
        for text, variables, code, params in [
                ('area * foo', VARIABLES, 'unknown_name',
                    {'name': 'foo', 'position': 8}),
                ('if(area > 1, foo, 2)', VARIABLES, 'unknown_name',
                    {'name': 'foo', 'position': 14}),
                ('if(if(area, 1, 2), foo, 2)', VARIABLES, 'unknown_name',
                    {'name': 'foo', 'position': 20}),
                ('最大(面积, foo)', {'面积'}, 'unknown_name',
                    {'name': 'foo', 'position': 8}),
                ('  area +* 2', VARIABLES, 'syntax', {'position': 9}),
                ('area ==', VARIABLES, 'syntax', {'position': 8}),
                ('area + "x"', VARIABLES, 'forbidden',
                    {'element': 'str', 'position': 8}),
                ('area.real', VARIABLES, 'forbidden',
                    {'element': 'Attribute', 'position': 1}),
                ('if(area, 1)', VARIABLES, 'bad_call',
                    {'function': 'if', 'position': 1}),
                ('area ** 11', VARIABLES, 'bad_exponent',
                    {'limit': 10, 'position': 9}),
                ]:
            with self.subTest(formula=text):
                with self.assertRaises(FormulaError) as context:
                    compile_formula(text, variables)
                self.assertEqual(context.exception.code, code)
                self.assertEqual(context.exception.params, params)
        with self.assertRaises(FormulaError) as context:
            evaluate('area / (days - 10)', VALUES)
        self.assertEqual(context.exception.params, {'position': 9})

    def test_names(self):
        formula = compile_formula(
            'if(occupants > 3, area, 0) * price + max(1, 2)', VARIABLES)
        self.assertIsInstance(formula, Formula)
        self.assertEqual(formula.names, {'occupants', 'area', 'price'})
        self.assertEqual(compile_formula('1 + 2', VARIABLES).names, set())

    def test_validate_formula(self):
        self.assertIsNone(validate_formula('area * price', VARIABLES))
        self.assertRaises(
            FormulaError, validate_formula, 'area * price', {'area'})

    def test_not_a_str(self):
        self.assertRaises(TypeError, compile_formula, None, VARIABLES)

    def test_error(self):
        error = FormulaError('unknown_name', {'name': 'foo', 'position': 3})
        self.assertIsInstance(error, ValueError)
        self.assertEqual(str(error), "unknown name 'foo' at position 3")
        copy = pickle.loads(pickle.dumps(error))
        self.assertEqual((copy.code, copy.params), (error.code, error.params))
        self.assertEqual(str(FormulaError('new_code')), 'new_code')


decimals = st.decimals(min_value=D('0'), max_value=D('10000'), places=2)
# Pieces of the language, so random texts often parse and get evaluated.
PIECES = ['area', 'price', 'days', 'period_days', '0', '2', '1.5', '10',
    '(', ')', ',', '+', '-', '*', '/', '//', '%', '**', '>', '==', '<=',
    ' and ', ' or ', 'not ', 'if(', 'IF(', 'max(', 'min(', 'round(', 'abs(',
    'ceil(', 'floor(', ' ', '.', '_', '"', 'lambda', '[', ']', ':=']


class FormulaPropertyTestCase(unittest.TestCase):

    @given(decimals, decimals)
    def test_product_exact(self, area, price):
        result = evaluate('area * price', {'area': area, 'price': price})
        self.assertEqual(result, area * price)
        self.assertEqual(str(result), str(area * price))

    @given(st.decimals(
            min_value=D('-1000000'), max_value=D('1000000'), places=4))
    def test_round_as_money(self, value):
        "round(x, 2) is the rounding of money.round_money (DOMAIN_RULES 6)"
        self.assertEqual(
            evaluate('round(x, 2)', {'x': value}), round_money(value))

    def assert_only_formula_error(self, text):
        try:
            formula = compile_formula(text, VARIABLES)
        except FormulaError:
            return
        for values in [VALUES, dict(VALUES, period_days=0, area=D(0))]:
            try:
                self.assertIsInstance(formula.evaluate(values), Decimal)
            except FormulaError:
                pass

    @settings(max_examples=300)
    @given(st.text(max_size=MAX_LENGTH + 20))
    def test_random_text(self, text):
        self.assert_only_formula_error(text)

    @settings(max_examples=500)
    @given(st.lists(st.sampled_from(PIECES), max_size=40).map(''.join))
    def test_random_pieces(self, text):
        self.assert_only_formula_error(text)
