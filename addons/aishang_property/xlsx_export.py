# This file is part of Aishang Property. See the LICENSE file at the top level
# of this repository for full copyright notices and license terms.
"""Export of list rows to an .xlsx spreadsheet (R3, T5), for any model.

A model takes the export with an ``ir.action.keyword`` ``form_action`` on
``<model>,-1`` whose action is ``aishang_property.wizard_export_xlsx``.
The columns are the fields of the report's list view, or its
``_xlsx_fields`` when it has them; the title row names the report and the
filters of its context model (``context_model`` of the context, else the
report's ``_xlsx_context_model``).
"""
import datetime as dt
import io
from decimal import Decimal
from xml.etree import ElementTree
from zoneinfo import ZoneInfo

from trytond.i18n import gettext
from trytond.model import ModelView, fields
from trytond.modules.aishang_property.tools import in_max
from trytond.pool import Pool
from trytond.tools import grouped_slice
from trytond.transaction import Transaction, check_access
from trytond.wizard import Button, StateView, Wizard

MONEY_FORMAT = '#,##0.00'
PERCENT_FORMAT = '0.00%'
DATE_FORMAT = 'yyyy-mm-dd'
DATETIME_FORMAT = 'yyyy-mm-dd hh:mm'
RELATIONS = {'many2one', 'one2one', 'reference'}


class Column:
    "A column of the spreadsheet: a field, its header and its cell format"
    __slots__ = ('name', 'header', 'type', 'selection', 'number_format',
        'sum')

    def __init__(self, name, header, type_, selection=None,
            number_format=None, sum_=False):
        self.name = name
        self.header = header
        self.type = type_
        self.selection = dict(selection or [])
        self.number_format = number_format
        self.sum = sum_

    def cell(self, value):
        "The value as the spreadsheet holds it"
        if value is None:
            return None
        if self.type == 'selection':
            return self.selection.get(value, value)
        if self.type == 'boolean':
            return bool(value)
        if self.type in {'numeric', 'float'}:
            return Decimal(str(value))
        return value


def _decimals(definition, default=2):
    digits = definition.get('digits')
    if isinstance(digits, (list, tuple)) and len(digits) == 2:
        if isinstance(digits[1], int):
            return digits[1]
    return default


def number_format(definition, attributes):
    "The cell format of a field from its definition and view attributes"
    type_ = definition['type']
    if type_ in {'numeric', 'float'}:
        if attributes.get('factor') == '100':
            return PERCENT_FORMAT
        decimals = _decimals(definition)
        return '#,##0' + ('.' + '0' * decimals if decimals else '')
    if type_ == 'integer':
        return '0'
    if type_ == 'date':
        return DATE_FORMAT
    if type_ == 'datetime':
        return DATETIME_FORMAT


def columns_of(Model):
    """The columns of Model: its _xlsx_fields, else the fields its list
    view shows, with their translated strings as headers"""
    view = Model.fields_view_get(view_type='tree')
    attributes = {}
    for element in ElementTree.fromstring(view['arch']).iter('field'):
        attributes.setdefault(element.get('name'), element.attrib)
    names = getattr(Model, '_xlsx_fields', None)
    if names is None:
        names = [n for n, a in attributes.items()
            if a.get('tree_invisible', '0') in {'0', ''}]
    definitions = Model.fields_get(list(names))
    columns = []
    for name in names:
        definition = definitions[name]
        attrs = attributes.get(name, {})
        selection = definition.get('selection')
        columns.append(Column(
                name, definition['string'], definition['type'],
                selection if isinstance(selection, list) else None,
                number_format(definition, attrs),
                attrs.get('sum') in {'1', 'True', 'true'}))
    return columns


def read_rows(Model, ids, columns):
    "The cell values of the records ids of Model, in the order of ids"
    names = []
    for column in columns:
        if column.type in RELATIONS:
            names.append(column.name + '.rec_name')
        else:
            names.append(column.name)
    timezone = Transaction().context.get('timezone')
    zone = ZoneInfo(timezone) if timezone else None
    values = {}
    for sub in grouped_slice(ids, in_max()):
        for row in Model.read(list(sub), names):
            values[row['id']] = row
    rows = []
    for id_ in ids:
        row = values.get(id_)
        if row is None:
            # a row the filters of the context no longer give
            continue
        cells = []
        for column in columns:
            if column.type in RELATIONS:
                related = row.get(column.name + '.') or {}
                value = related.get('rec_name')
            else:
                value = row.get(column.name)
            if column.type == 'datetime' and value and zone:
                value = value.replace(tzinfo=dt.timezone.utc).astimezone(
                    zone).replace(tzinfo=None)
            cells.append(column.cell(value))
        rows.append(cells)
    return rows


def context_filters(model_name):
    "The (label, value) of the fields of model_name set in the context"
    pool = Pool()
    context = Transaction().context
    try:
        ContextModel = pool.get(model_name)
    except KeyError:
        return []
    definitions = ContextModel.fields_get()
    filters = []
    for name, definition in definitions.items():
        if name in {'id', 'rec_name'} or context.get(name) in (None, ''):
            continue
        value = context[name]
        if definition['type'] == 'many2one':
            Target = pool.get(definition['relation'])
            value = Target(value).rec_name
        elif definition['type'] == 'selection':
            value = dict(definition.get('selection') or []).get(value, value)
        elif isinstance(value, (dt.date, dt.datetime)):
            value = value.isoformat()
        filters.append((definition['string'], str(value)))
    return filters


def write_workbook(title, filters, columns, rows, total_label):
    """Return the bytes of an .xlsx with the title and filters on the first
    two rows, the headers, the rows and a total row for summed columns"""
    import openpyxl
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    # Excel refuses these characters and more than 31 in a sheet name
    sheet.title = ''.join(c for c in title if c not in '[]:*?/\\')[:31]
    bold = Font(bold=True)
    sheet.cell(row=1, column=1, value=title).font = Font(bold=True, size=14)
    sheet.cell(row=2, column=1,
        value='；'.join(f'{label}：{value}' for label, value in filters))
    header_row = 3
    for index, column in enumerate(columns, 1):
        cell = sheet.cell(row=header_row, column=index, value=column.header)
        cell.font = bold
        sheet.column_dimensions[get_column_letter(index)].width = max(
            10, 2 * len(column.header) + 4)
    sheet.freeze_panes = sheet.cell(row=header_row + 1, column=1)
    for offset, cells in enumerate(rows, header_row + 1):
        for index, (column, value) in enumerate(zip(columns, cells), 1):
            cell = sheet.cell(row=offset, column=index, value=value)
            if column.number_format and value is not None:
                cell.number_format = column.number_format
    if rows and any(c.sum for c in columns):
        total_row = header_row + len(rows) + 1
        sheet.cell(row=total_row, column=1, value=total_label).font = bold
        for index, column in enumerate(columns, 1):
            if not column.sum or index == 1:
                continue
            value = sum((r[index - 1] or 0 for r in rows), Decimal(0))
            cell = sheet.cell(row=total_row, column=index, value=value)
            cell.font = bold
            cell.number_format = column.number_format
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


class ExportXlsxResult(ModelView):
    "Export to Spreadsheet"
    __name__ = 'property.report.export_xlsx.result'
    __string__ = "Export to Spreadsheet"
    file = fields.Binary(
        "File", readonly=True, filename='filename',
        help="The .xlsx file of the rows: download it.")
    filename = fields.Char("File Name", readonly=True)
    count = fields.Integer("Rows", readonly=True)


class ExportXlsx(Wizard):
    """Export the selected rows of a list, or all its rows for the filters
    of its context, to an .xlsx spreadsheet"""
    __name__ = 'property.report.export_xlsx'
    start = StateView('property.report.export_xlsx.result',
        'aishang_property.xlsx_export_result_view_form', [
            Button("Close", 'end', 'tryton-close', default=True),
            ])

    def default_start(self, field_names):
        pool = Pool()
        IrModel = pool.get('ir.model')
        Date = pool.get('ir.date')
        Model = self.model
        context_model = (Transaction().context.get('context_model')
            or getattr(Model, '_xlsx_context_model', None))
        # Wizards run without access checks: the rows are read as the user
        # reads them, record rules included
        with check_access():
            ids = [r.id for r in self.records]
            if not ids:
                ids = [r.id for r in Model.search([])]
            columns = columns_of(Model)
            rows = read_rows(Model, ids, columns)
        filters = context_filters(context_model) if context_model else []
        title = IrModel.get_name(Model.__name__)
        data = write_workbook(title, filters, columns, rows,
            gettext('aishang_property.msg_xlsx_export_total'))
        return {
            'file': fields.Binary.cast(data),
            'filename': f'{title}-{Date.today().isoformat()}.xlsx',
            'count': len(rows),
            }
