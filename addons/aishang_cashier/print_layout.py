# This file is part of Aishang Property. See the LICENSE file at the top level
# of this repository for full copyright notices and license terms.
"""Print layouts (单据打印格式, S3): HTML templates staff edit in Sao, per
company or project, rendered to PDF by WeasyPrint.

Staff templates are Genshi markup run in a sandbox: no Python blocks, no
includes, expressions limited to a small set of syntax and builtins, no
attribute whose name starts with "_", records reachable only through
read-only proxies exposing their fields, and no resource fetched from the
network or the disk.
"""
import ast
import functools
import re
import types
from collections import namedtuple
from decimal import Decimal

from genshi.core import END, PI, START
from genshi.template import MarkupTemplate, TemplateError
from genshi.template.base import EXEC, EXPR, INCLUDE, SUB
from genshi.template.eval import UNDEFINED, Code, StrictLookup

from trytond import backend
from trytond.exceptions import UserError
from trytond.i18n import gettext
from trytond.model import (
    DeactivableMixin, Model, ModelSQL, ModelView, fields)
from trytond.model.exceptions import ValidationError
from trytond.pyson import Eval
from trytond.tools import file_open
from trytond.transaction import Transaction

from .amount_words import amount_in_words

DOCUMENTS = [
    ('receipt', "Receipt"),
    ('statement', "Owner Statement"),
    ]
DEFAULT_TEMPLATES = {
    'receipt': 'aishang_cashier/templates/receipt.html',
    'statement': 'aishang_cashier/templates/statement.html',
    }
DEFAULT_PAPERS = {
    'receipt': 'form_241x93',
    'statement': 'a4',
    }
# CSS page size and margins of each paper
PAPERS = {
    'a4': ('210mm 297mm', '12mm 12mm 14mm 12mm'),
    'a5': ('210mm 148mm', '8mm 10mm'),
    'form_241x140': ('241mm 140mm', '6mm 10mm'),
    'form_241x93': ('241mm 93mm', '4mm 8mm'),
    }
FONTS = ('"Noto Sans CJK SC", "Source Han Sans SC", "WenQuanYi Micro Hei", '
    'sans-serif')


class PrintLayoutError(ValidationError):
    pass


class PrintError(UserError):
    pass


class SandboxError(Exception):
    "An expression of a template tried to leave the sandbox"


Layout = namedtuple('Layout', ['name', 'template', 'paper'])


class PrintLayout(DeactivableMixin, ModelSQL, ModelView):
    "A print layout: the HTML template a company or project prints with"
    __name__ = 'property.print_layout'
    company = fields.Many2One('company.company', "Company", required=True)
    project = fields.Many2One(
        'property.project', "Project",
        domain=[('company', '=', Eval('company', -1))],
        help="The project printing with the layout; empty for every project "
        "of the company without a layout of its own.")
    document = fields.Selection(
        DOCUMENTS, "Document", required=True, sort=False)
    document_string = document.translated('document')
    name = fields.Char("Name", required=True)
    paper = fields.Selection([
            ('a4', "A4 (210 × 297 mm)"),
            ('a5', "A5 Landscape (210 × 148 mm)"),
            ('form_241x140', "Continuous Form 241 × 140 mm (Half Sheet)"),
            ('form_241x93', "Continuous Form 241 × 93 mm (Third Sheet)"),
            ], "Paper", required=True, sort=False,
        help="The page size; a template may still set its own with @page.")
    template = fields.Text(
        "Template", required=True,
        help="XHTML with Genshi markup (${...}, py:for, py:if); "
        "see the print layout documentation for the variables.")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [('document', 'ASC'), ('project', 'ASC NULLS FIRST'),
            ('name', 'ASC'), ('id', 'ASC')]
        cls._buttons.update({
                'reset_template': {
                    'icon': 'tryton-refresh',
                    },
                })

    @staticmethod
    def default_company():
        return Transaction().context.get('company')

    @staticmethod
    def default_document():
        return 'receipt'

    @classmethod
    def default_paper(cls):
        return DEFAULT_PAPERS[cls.default_document()]

    @classmethod
    def default_template(cls):
        return cls.template_source(cls.default_document())

    @staticmethod
    def template_source(document):
        "The template file the module ships for document"
        with file_open(DEFAULT_TEMPLATES[document], encoding='utf-8') as fp:
            return fp.read()

    @fields.depends('document', 'template', 'paper')
    def on_change_document(self):
        if not self.document:
            return
        defaults = {self.template_source(d) for d in DEFAULT_TEMPLATES}
        if not self.template or self.template in defaults:
            self.template = self.template_source(self.document)
            self.paper = DEFAULT_PAPERS[self.document]

    @classmethod
    @ModelView.button
    def reset_template(cls, layouts):
        "Load the default template of the document"
        for layout in layouts:
            layout.template = cls.template_source(layout.document)
        cls.save(layouts)

    @classmethod
    def validate_fields(cls, layouts, field_names):
        super().validate_fields(layouts, field_names)
        if field_names and not (field_names & {'template', 'name'}):
            return
        for layout in layouts:
            layout.check_template()

    @classmethod
    def validate(cls, layouts):
        super().validate(layouts)
        cls.check_unique(layouts)

    def check_template(self):
        try:
            compile_template(self.template)
        except TemplateRefused as refused:
            raise PrintLayoutError(gettext(
                    'aishang_cashier.msg_print_layout_template_invalid',
                    layout=self.rec_name, line=refused.lineno or '?',
                    error=refused.message))

    @classmethod
    def check_unique(cls, layouts):
        "One active layout per document and company or project"
        keys = {(l.company.id, l.project.id if l.project else None,
                l.document) for l in layouts if l.active}
        if not keys:
            return
        domain = ['OR'] + [[
                ('company', '=', company), ('project', '=', project),
                ('document', '=', document)]
            for company, project, document in keys]
        found = {}
        for layout in cls.search(domain):
            key = (layout.company.id,
                layout.project.id if layout.project else None,
                layout.document)
            if key in found:
                raise PrintLayoutError(gettext(
                        'aishang_cashier.msg_print_layout_unique',
                        layout=layout.rec_name,
                        other=found[key].rec_name))
            found[key] = layout

    @classmethod
    def get_layout(cls, document, company, project=None):
        """The layout printing document: the project's, else the
        company's, else the default template"""
        domain = [
            ('document', '=', document),
            ('company', '=', company.id),
            ]
        if project:
            domain.append(['OR',
                    ('project', '=', project.id),
                    ('project', '=', None)])
        else:
            domain.append(('project', '=', None))
        layouts = cls.search(domain)
        # a project's layout wins over the company's
        layouts.sort(key=lambda l: l.project is None)
        if layouts:
            layout = layouts[0]
            return Layout(layout.rec_name, layout.template, layout.paper)
        return Layout(None, cls.template_source(document),
            DEFAULT_PAPERS[document])


# Sandbox ---------------------------------------------------------------

class TemplateRefused(Exception):
    "A template that cannot be parsed or leaves the sandbox"

    def __init__(self, message, lineno=None):
        super().__init__(message)
        self.message = message
        self.lineno = lineno


ALLOWED_NODES = (
    ast.Expression, ast.Module, ast.Expr, ast.Constant, ast.Name,
    ast.Load, ast.Store, ast.Attribute, ast.Subscript, ast.Slice,
    ast.Call, ast.keyword, ast.BinOp, ast.UnaryOp, ast.BoolOp, ast.Compare,
    ast.IfExp, ast.List, ast.Tuple, ast.Dict, ast.ListComp,
    ast.GeneratorExp, ast.comprehension, ast.Lambda, ast.arguments, ast.arg,
    ast.Add, ast.Sub, ast.Mult, ast.Div, ast.FloorDiv, ast.Mod,
    ast.USub, ast.UAdd, ast.Not, ast.And, ast.Or,
    ast.Eq, ast.NotEq, ast.Lt, ast.LtE, ast.Gt, ast.GtE,
    ast.In, ast.NotIn, ast.Is, ast.IsNot,
    )
MAX_RANGE = 1000


def _range(*args):
    "range, short enough for the blank rows of a form"
    result = range(*args)
    if len(result) > MAX_RANGE:
        raise SandboxError("range longer than %s" % MAX_RANGE)
    return result


SAFE_BUILTINS = {
    'True': True, 'False': False, 'None': None,
    'abs': abs, 'all': all, 'any': any, 'bool': bool, 'dict': dict,
    'enumerate': enumerate, 'int': int, 'iter': iter, 'len': len,
    'list': list, 'max': max, 'min': min, 'range': _range,
    'reversed': reversed, 'round': round, 'sorted': sorted, 'str': str,
    'sum': sum, 'tuple': tuple, 'zip': zip, 'Decimal': Decimal,
    }
# Objects whose attributes lead to code, frames or globals
BLOCKED_TYPES = (
    type, types.ModuleType, types.FunctionType, types.LambdaType,
    types.MethodType, types.BuiltinFunctionType, types.BuiltinMethodType,
    types.MethodWrapperType, types.WrapperDescriptorType,
    types.MethodDescriptorType, types.ClassMethodDescriptorType,
    types.GeneratorType, types.CoroutineType, types.AsyncGeneratorType,
    types.FrameType, types.CodeType, types.TracebackType,
    functools.partial, Model,
    )
# str.format reaches attributes by name inside the format string
BLOCKED_STR_ATTRIBUTES = {'format', 'format_map'}


def _check_attribute(obj, name):
    if not isinstance(name, str):
        return
    if name.startswith('_'):
        raise SandboxError("access to %r is not allowed" % name)
    if isinstance(obj, BLOCKED_TYPES):
        raise SandboxError(
            "access to attributes of %s is not allowed" % type(obj).__name__)
    if isinstance(obj, str) and name in BLOCKED_STR_ATTRIBUTES:
        raise SandboxError("str.%s is not allowed" % name)


class SandboxLookup(StrictLookup):
    "Variables from the context and a few builtins; no private attributes"

    @classmethod
    def lookup_name(cls, data, name):
        if name.startswith('_'):
            raise SandboxError("access to %r is not allowed" % name)
        value = data.get(name, UNDEFINED)
        if value is UNDEFINED:
            value = SAFE_BUILTINS.get(name, UNDEFINED)
        if value is UNDEFINED:
            return cls.undefined(name)
        return value

    @classmethod
    def lookup_attr(cls, obj, key):
        _check_attribute(obj, key)
        return super().lookup_attr(obj, key)

    @classmethod
    def lookup_item(cls, obj, key):
        _check_attribute(obj, key[0] if len(key) == 1 else key)
        return super().lookup_item(obj, key)


def _check_code(code, lineno):
    for node in ast.walk(code.ast):
        if not isinstance(node, ALLOWED_NODES):
            raise TemplateRefused(
                "%s is not allowed in expression %r"
                % (type(node).__name__, code.source), lineno)
        if isinstance(node, ast.Name) and node.id.startswith('_'):
            raise TemplateRefused(
                "name %r is not allowed" % node.id, lineno)
        if isinstance(node, ast.Attribute) and node.attr.startswith('_'):
            raise TemplateRefused(
                "attribute %r is not allowed" % node.attr, lineno)


def _codes(value):
    "The Code objects inside a directive's slots"
    if isinstance(value, Code):
        yield value
    elif isinstance(value, (list, tuple, set)):
        for item in value:
            yield from _codes(item)
    elif isinstance(value, dict):
        for item in value.values():
            yield from _codes(item)


def _check_stream(stream):
    for kind, data, pos in stream:
        lineno = pos[1] if pos else None
        if kind == EXPR:
            _check_code(data, lineno)
        elif kind in {EXEC, PI} and (kind == EXEC or data[0] == 'python'):
            raise TemplateRefused("Python code blocks are not allowed",
                lineno)
        elif kind == INCLUDE:
            raise TemplateRefused("includes are not allowed", lineno)
        elif kind == SUB:
            directives, substream = data
            for directive in directives:
                for slot in _slots(directive):
                    for code in _codes(getattr(directive, slot, None)):
                        _check_code(code, lineno)
            _check_stream(substream)
        elif kind == START:
            _tag, attrs = data
            for _name, value in attrs:
                if isinstance(value, list):
                    _check_stream(value)
        elif kind == END:
            continue


def _slots(obj):
    for klass in type(obj).__mro__:
        yield from getattr(klass, '__slots__', ())


FORBIDDEN_SOURCE = re.compile(
    r'<\?python|\bpy:(exec|python)\b|http://www\.w3\.org/2001/XInclude')


class _NoLoader:
    "Refuse includes; auto_reload keeps Genshi from inlining them"
    auto_reload = True

    def load(self, *args, **kwargs):
        raise SandboxError("includes are not allowed")


@functools.lru_cache(maxsize=64)
def compile_template(source):
    """Parse source as a sandboxed Genshi template.

    Raise TemplateRefused, with the line, for a syntax error or what the
    sandbox refuses."""
    for lineno, line in enumerate(source.splitlines(), 1):
        match = FORBIDDEN_SOURCE.search(line)
        if match:
            raise TemplateRefused(
                "%s is not allowed" % match.group(0), lineno)
    try:
        template = MarkupTemplate(source, loader=_NoLoader(),
            lookup=SandboxLookup, allow_exec=False)
        _check_stream(template.stream)
    except TemplateError as error:
        raise TemplateRefused(error.msg, error.lineno)
    except Exception as error:
        # SyntaxError of an expression, what trytond's own Genshi patch
        # refuses (ValueError), node types Genshi cannot compile
        raise TemplateRefused(
            getattr(error, 'msg', None) or str(error),
            getattr(error, 'lineno', None))
    return template


# Records in templates --------------------------------------------------

SENSITIVE_PARTS = {
    'password', 'secret', 'token', 'key', 'hash', 'salt', 'session'}
# Models a template never reaches, and what it sees of users
HIDDEN_MODELS = re.compile(r'^(ir\.|res\.user\.|res\.group)')
USER_FIELDS = {'id', 'name', 'login', 'rec_name'}


def _readable(model_name, field_name):
    if field_name in {'id', 'rec_name'}:
        return True
    if SENSITIVE_PARTS & set(field_name.split('_')):
        return False
    if model_name == 'res.user':
        return field_name in USER_FIELDS
    return True


def safe(value):
    "value with its records wrapped in read-only proxies"
    if isinstance(value, Model):
        if HIDDEN_MODELS.match(value.__name__):
            return None
        return SafeRecord(value)
    if isinstance(value, (list, tuple)):
        return tuple(safe(v) for v in value)
    return value


class SafeRecord:
    "A record seen from a template: its fields, read only"
    __slots__ = ('_record',)

    def __init__(self, record):
        object.__setattr__(self, '_record', record)

    def __getattr__(self, name):
        record = object.__getattribute__(self, '_record')
        if (name.startswith('_')
                or (name not in record._fields and name != 'rec_name')
                or not _readable(record.__name__, name)):
            raise AttributeError(name)
        return safe(getattr(record, name))

    def __setattr__(self, name, value):
        raise AttributeError(name)

    def __eq__(self, other):
        if isinstance(other, SafeRecord):
            other = object.__getattribute__(other, '_record')
        return object.__getattribute__(self, '_record') == other

    def __hash__(self):
        return hash(object.__getattribute__(self, '_record'))

    def __str__(self):
        return object.__getattribute__(self, '_record').rec_name

    def __bool__(self):
        return True


class Data(types.SimpleNamespace):
    "Plain values given to a template"

    def __getitem__(self, name):
        return getattr(self, name)


# Rendering -------------------------------------------------------------

def format_amount(value, digits=2):
    "1234.5 as 1,234.50; empty for None"
    if value is None or value == '':
        return ''
    quantum = Decimal(1).scaleb(-digits)
    return '{:,}'.format(Decimal(value).quantize(quantum))


def format_date(value):
    return value.isoformat() if value else ''


def format_period(start, end):
    if start and end:
        return '%s ~ %s' % (start.isoformat(), end.isoformat())
    return format_date(start or end)


def helpers():
    "The functions every template may call"
    return {
        'format_amount': format_amount,
        'format_date': format_date,
        'format_period': format_period,
        'amount_in_words': amount_in_words,
        }


def render_html(layout, context):
    "layout's template rendered with context, as HTML text"
    try:
        template = compile_template(layout.template)
        return template.generate(**context).render(
            'html', doctype='html5', encoding=None)
    except TemplateRefused as refused:
        raise PrintError(gettext(
                'aishang_cashier.msg_print_layout_template_invalid',
                layout=layout.name or '-', line=refused.lineno or '?',
                error=refused.message))
    except (UserError, backend.DatabaseOperationalError):
        raise
    except Exception as error:
        # whatever a staff template does wrong: an undefined name, a
        # refused attribute, a failing expression
        raise PrintError(gettext(
                'aishang_cashier.msg_print_layout_render',
                layout=layout.name or '-', error=str(error)))


def page_css(paper):
    size, margin = PAPERS.get(paper, PAPERS['a4'])
    return ('@page { size: %s; margin: %s; }\n'
        'html { font-family: %s; }\n' % (size, margin, FONTS))


def render_pdf(layout, context):
    "layout's template rendered with context, as PDF bytes"
    import weasyprint
    html = render_html(layout, context)
    # Staff templates may embed images as data: URIs only: nothing is
    # fetched from the network or the server's disk.
    fetcher = weasyprint.URLFetcher(allowed_protocols={'data'})
    # A user stylesheet sets the paper; the template's @page overrides it
    return weasyprint.HTML(string=html, url_fetcher=fetcher).write_pdf(
        stylesheets=[weasyprint.CSS(string=page_css(layout.paper))])


class LayoutReportMixin:
    "A report printed through the layout of its document"
    __slots__ = ()
    _document = None

    @classmethod
    def render_layout(cls, action, layout, context):
        context = {**helpers(), **context}
        if (action.extension or 'pdf') == 'html':
            return 'html', render_html(layout, context)
        return 'pdf', render_pdf(layout, context)
