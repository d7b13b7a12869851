# This file is part of Aishang Property. See the LICENSE file at the top level
# of this repository for full copyright notices and license terms.
"""Custom billing formulas: a small, safe expression language. Pure.

Staff type formulas such as ``area * price * months`` or
``if(occupants > 3, 30, 20) * months`` on price rules and allocation keys.
The text is parsed with the ast module and only a whitelist of nodes is
turned into closures over Decimal arithmetic: nothing reaches eval, exec or
compile, so a formula reads the variables it is given and nothing else.

Errors are FormulaError with a machine code and params; the Tryton side
translates them with its own messages (msg_formula_<code>).
"""
import ast
import decimal
import functools
import io
import operator
import tokenize
from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_UP, Decimal

MAX_LENGTH = 500
MAX_DEPTH = 50
MAX_EXPONENT = 10   # x ** n: n an integer literal 0..10, so no 9**9**9
MAX_DIGITS = 10     # round(x, n): n an integer literal 0..10

_CONTEXT = decimal.Context(
    prec=28, rounding=ROUND_HALF_UP, Emax=999999, Emin=-999999,
    traps=[decimal.DivisionByZero, decimal.InvalidOperation,
        decimal.Overflow])

# Chinese input methods type full-width punctuation (（）， ＊) and pasted
# text brings tabs and newlines; map them one to one, so that positions
# stay those of the text the user typed, and the text stays on one line.
_NORMALIZE = str.maketrans({
        **{c: c - 0xFEE0 for c in range(0xFF01, 0xFF5F)},
        **dict.fromkeys(map(ord, '\t\n\r\f\v\xa0\u3000'), ' '),
        '×': '*', '÷': '/'})

# Function name → (minimum, maximum) number of arguments.
_FUNCTIONS = {'min': (1, None), 'max': (1, None), 'abs': (1, 1),
    'round': (1, 2), 'ceil': (1, 1), 'floor': (1, 1), 'iif': (3, 3)}
_ALIASES = {'if': 'iif', '如果': 'iif', '最小': 'min', '最大': 'max',
    '绝对值': 'abs', '四舍五入': 'round', '向上取整': 'ceil',
    '向下取整': 'floor'}

_MESSAGES = {
    'syntax': "invalid syntax",
    'too_long': "formula longer than {limit} characters",
    'too_deep': "formula nested deeper than {limit} levels",
    'forbidden': "{element} is not allowed",
    'unknown_name': "unknown name {name!r}",
    'bad_call': "wrong arguments for {function}()",
    'bad_exponent': "exponent must be an integer from 0 to {limit}",
    'not_a_number': "a number is needed",
    'missing_value': "no value for {name!r}",
    'division_by_zero': "division by zero",
    'overflow': "number out of range",
    }


class FormulaError(ValueError):
    "Why a formula is refused; code and params are for translation"

    def __init__(self, code, params=None):
        self.code = code
        self.params = dict(params or {})
        super().__init__(code, self.params)  # args kept so it pickles

    def __str__(self):
        text = _MESSAGES.get(self.code, self.code)
        try:
            text = text.format(**self.params)
        except (KeyError, IndexError, ValueError):
            pass
        if 'position' in self.params:
            text += f" at position {self.params['position']}"
        return text


def _floordiv(a, b):
    # Decimal // and % truncate toward zero; use Python's floor semantics
    # so that a // b == floor(a / b) for negative amounts too.
    q, r = divmod(a, b)
    return q - 1 if r and (r < 0) != (b < 0) else q


def _mod(a, b):
    return a - b * _floordiv(a, b)


_ARITHMETIC = {ast.Add: operator.add, ast.Sub: operator.sub,
    ast.Mult: operator.mul, ast.Div: operator.truediv,
    ast.FloorDiv: _floordiv, ast.Mod: _mod}
_COMPARE = {ast.Lt: operator.lt, ast.LtE: operator.le, ast.Gt: operator.gt,
    ast.GtE: operator.ge, ast.Eq: operator.eq, ast.NotEq: operator.ne}
NUMBER, BOOLEAN = 'number', 'boolean'


class Formula:
    "A validated formula, to evaluate many times"
    __slots__ = ('text', 'names', '_function')

    def __init__(self, text, names, function):
        self.text = text
        self.names = frozenset(names)
        self._function = function

    def __repr__(self):
        return f'Formula({self.text!r})'

    def evaluate(self, values):
        "Return the Decimal value of the formula for values (name → number)"
        with decimal.localcontext(_CONTEXT):
            try:
                return self._function(values)
            except decimal.DivisionByZero as error:
                raise FormulaError('division_by_zero') from error
            except (decimal.Overflow, decimal.InvalidOperation) as error:
                raise FormulaError('overflow') from error


def compile_formula(text, variables):
    "Return the Formula of text that may use the variables named"
    if not isinstance(text, str):
        raise TypeError("formula must be a str")
    return _compile(text, frozenset(variables))


@functools.lru_cache(maxsize=256)  # a bill run evaluates a rule many times
def _compile(text, variables):
    if len(text) > MAX_LENGTH:
        raise FormulaError('too_long', {'limit': MAX_LENGTH})
    compiler = _Compiler(text, variables)
    function = compiler.number(compiler.parse(), 0)
    return Formula(text, compiler.names, function)


def validate_formula(text, variables):
    "Raise FormulaError unless text is a valid formula over variables"
    compile_formula(text, variables)


def evaluate(text, values):
    "Evaluate text with values, whose keys are the only variables allowed"
    return compile_formula(text, values.keys()).evaluate(values)


def _value(values, name):
    value = values.get(name)
    if value is None:
        raise FormulaError('missing_value', {'name': name})
    # float is refused on purpose: money must come in as Decimal.
    if isinstance(value, bool) or not isinstance(value, (int, Decimal)):
        raise FormulaError('not_a_number', {'name': name})
    value = Decimal(value)
    if not value.is_finite():
        raise FormulaError('not_a_number', {'name': name})
    return value


class _Compiler:
    "Check the ast of one formula and turn it into closures"

    def __init__(self, text, variables):
        normalized = text.translate(_NORMALIZE)
        # eval mode refuses leading spaces as an indent: strip, remember.
        self.source = normalized.lstrip(' ')
        self.lead = len(normalized) - len(self.source)
        self.length = len(text)
        self.variables = variables
        self.names = set()
        self.inserts = []   # indexes in self.source where 'if(' got an 'i'

    def parse(self):
        self.rewrite()
        try:
            tree = ast.parse(self.source, mode='eval')
        except SyntaxError as error:
            # offset 0 means the text ended too early
            index = (error.offset - 1 if error.offset
                else len(self.source.rstrip()))
            raise FormulaError(
                'syntax', {'position': self.original(index)}) from None
        except ValueError:  # null bytes, lone surrogates
            raise FormulaError('syntax', {'position': 1}) from None
        self.data = self.source.encode()
        return tree.body

    def rewrite(self):
        """Turn the surface word if( into iif( (if is a Python keyword),
        refuse strings and measure bracket depth, all on tokens so that
        nothing inside other tokens is touched."""
        tokens = []
        try:
            for token in tokenize.generate_tokens(
                    io.StringIO(self.source).readline):
                tokens.append(token)
        except (tokenize.TokenError, SyntaxError):
            pass  # ast.parse reports it with a better position
        depth, source, shift = 0, self.source, 0
        for index, token in enumerate(tokens):
            column = token.start[1] + shift   # index in the new source
            if token.type == tokenize.STRING:
                raise FormulaError('forbidden', {
                        'element': 'str', 'position': self.original(column)})
            if token.type == tokenize.OP and token.string in '([{':
                depth += 1
                if depth > MAX_DEPTH:
                    raise FormulaError('too_deep', {'limit': MAX_DEPTH,
                            'position': self.original(column)})
            elif token.type == tokenize.OP and token.string in ')]}':
                depth -= 1
            elif (token.type == tokenize.NAME and token.string == 'if'
                    and tokens[index + 1:index + 2]
                    and tokens[index + 1].string == '('):
                self.inserts.append(column)
                source = source[:column] + 'i' + source[column:]
                shift += 1
        self.source = source

    def original(self, index):
        "1-based position in the typed text of index in self.source"
        index -= sum(1 for i in self.inserts if i < index)
        return min(max(index, 0) + self.lead, self.length) + 1

    def position(self, node):
        # col_offset counts UTF-8 bytes: Chinese names take 3 each.
        return self.original(len(self.data[:node.col_offset].decode()))

    def error(self, code, node, **params):
        return FormulaError(code, dict(params, position=self.position(node)))

    def visit(self, node, depth):
        if depth > MAX_DEPTH:
            raise self.error('too_deep', node, limit=MAX_DEPTH)
        # The whitelist: only node types with a _Type method below.
        method = getattr(self, '_' + type(node).__name__, None)
        if method is None:
            raise self.error('forbidden', node, element=type(node).__name__)
        return method(node, depth + 1)

    def number(self, node, depth):
        function, kind = self.visit(node, depth)
        if kind is not NUMBER:
            raise self.error('not_a_number', node)
        return function

    def condition(self, node, depth):
        function, kind = self.visit(node, depth)
        if kind is NUMBER:  # as in spreadsheets: non-zero is true
            return lambda values: function(values) != 0
        return function

    def _Constant(self, node, depth):
        value = node.value
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise self.error('forbidden', node, element=type(value).__name__)
        if isinstance(value, float):
            # From the source text, so that 1.1 is exactly Decimal('1.1').
            value = self.data[node.col_offset:node.end_col_offset].decode()
            value = value.replace('_', '')
        try:
            number = _CONTEXT.create_decimal(value)
        except decimal.Overflow:
            raise self.error('overflow', node) from None
        return (lambda values: number), NUMBER

    def _Name(self, node, depth):
        name = node.id
        if name not in self.variables:
            raise self.error('unknown_name', node, name=name)
        self.names.add(name)
        return (lambda values: _value(values, name)), NUMBER

    def _UnaryOp(self, node, depth):
        if isinstance(node.op, ast.Not):
            operand = self.condition(node.operand, depth)
            return (lambda values: not operand(values)), BOOLEAN
        if not isinstance(node.op, (ast.UAdd, ast.USub)):
            raise self.error('forbidden', node, element=type(node.op).__name__)
        operand = self.number(node.operand, depth)
        if isinstance(node.op, ast.USub):
            return (lambda values: -operand(values)), NUMBER
        return (lambda values: +operand(values)), NUMBER

    def _BinOp(self, node, depth):
        op = type(node.op)
        if op is ast.Pow:
            return self._power(node, depth)
        if op not in _ARITHMETIC:
            raise self.error('forbidden', node, element=op.__name__)
        function = _ARITHMETIC[op]
        left = self.number(node.left, depth)
        right = self.number(node.right, depth)
        if op not in {ast.Div, ast.FloorDiv, ast.Mod}:
            return (lambda values: function(left(values), right(values)),
                NUMBER)
        position = self.position(node.right)

        def divide(values):
            dividend, divisor = left(values), right(values)
            if not divisor:
                raise FormulaError('division_by_zero', {'position': position})
            return function(dividend, divisor)
        return divide, NUMBER

    def _power(self, node, depth):
        exponent = node.right
        if (not isinstance(exponent, ast.Constant)
                or type(exponent.value) is not int
                or not 0 <= exponent.value <= MAX_EXPONENT):
            raise self.error('bad_exponent', exponent, limit=MAX_EXPONENT)
        base, exponent = self.number(node.left, depth), exponent.value

        def power(values):
            value = base(values)
            return value ** exponent if exponent else Decimal(1)  # 0 ** 0
        return power, NUMBER

    def _Compare(self, node, depth):
        functions = []
        for op in node.ops:
            if type(op) not in _COMPARE:
                raise self.error('forbidden', node, element=type(op).__name__)
            functions.append(_COMPARE[type(op)])
        operands = [self.number(n, depth)
            for n in [node.left, *node.comparators]]

        def compare(values):  # chained: each operand evaluated once
            left = operands[0](values)
            for function, operand in zip(functions, operands[1:]):
                right = operand(values)
                if not function(left, right):
                    return False
                left = right
            return True
        return compare, BOOLEAN

    def _BoolOp(self, node, depth):
        conditions = [self.condition(n, depth) for n in node.values]
        combine = all if isinstance(node.op, ast.And) else any
        return (lambda values: combine(c(values) for c in conditions)), BOOLEAN

    def _Call(self, node, depth):
        if not isinstance(node.func, ast.Name):
            raise self.error(
                'forbidden', node, element=type(node.func).__name__)
        typed = node.func.id
        if len(self.data[:node.col_offset].decode()) in self.inserts:
            typed = 'if'  # rewritten by self.rewrite: report what was typed
        name = typed.lower()  # staff used to spreadsheets type IF, MAX
        name = _ALIASES.get(name, name)
        if name not in _FUNCTIONS:
            raise self.error('unknown_name', node, name=typed)
        least, most = _FUNCTIONS[name]
        args = node.args
        if (node.keywords or len(args) < least
                or (most is not None and len(args) > most)):
            raise self.error('bad_call', node, function=typed)
        if name == 'iif':  # only the branch chosen is evaluated
            test = self.condition(args[0], depth)
            yes, no = (self.number(a, depth) for a in args[1:])
            return (lambda values: yes(values) if test(values)
                else no(values)), NUMBER
        if name == 'round':
            digits = 0
            if len(args) == 2:
                digits = getattr(args[1], 'value', None)
                if (not isinstance(args[1], ast.Constant)
                        or type(digits) is not int
                        or not 0 <= digits <= MAX_DIGITS):
                    raise self.error('bad_call', args[1], function=typed)
            unit = Decimal(1).scaleb(-digits)
            value = self.number(args[0], depth)
            return (lambda values: value(values).quantize(
                    unit, rounding=ROUND_HALF_UP)), NUMBER
        functions = [self.number(a, depth) for a in args]
        if name in {'min', 'max'}:
            choose = min if name == 'min' else max
            return (lambda values: choose(f(values) for f in functions),
                NUMBER)
        value, = functions
        if name == 'abs':
            return (lambda values: abs(value(values))), NUMBER
        rounding = ROUND_CEILING if name == 'ceil' else ROUND_FLOOR
        return (lambda values: value(values).to_integral_value(
                rounding=rounding)), NUMBER
