# This file is part of Aishang Property. See the LICENSE file at the top level
# of this repository for full copyright notices and license terms.
"""Export of the rows of a list to an .xlsx spreadsheet.

The same approach as the cashier's report export, kept here so that the
helpdesk does not depend on the cashier: the columns are the fields of the
model's list view, the title row names the model and the filters of its
context model (``_xlsx_context_model``). A model takes the export with an
``ir.action.keyword`` ``form_action`` of ``wizard_export_xlsx``.
"""
import datetime as dt
import io
from decimal import Decimal
from xml.etree import ElementTree

from trytond.model import ModelView, fields
from trytond.modules.aishang_property.tools import in_max
from trytond.pool import Pool
from trytond.tools import grouped_slice
from trytond.transaction import Transaction, check_access
from trytond.wizard import Button, StateView, Wizard

RELATIONS = {'many2one', 'one2one', 'reference'}


def columns_of(Model):
    "(name, header, type, selection, percent) of the list view's fields"
    view = Model.fields_view_get(view_type='tree')
    attributes = {}
    for element in ElementTree.fromstring(view['arch']).iter('field'):
        attributes.setdefault(element.get('name'), element.attrib)
    names = [n for n, a in attributes.items()
        if a.get('tree_invisible', '0') in {'0', ''}]
    definitions = Model.fields_get(names)
    return [(name, definitions[name]['string'], definitions[name]['type'],
            dict(definitions[name].get('selection') or [])
            if isinstance(definitions[name].get('selection'), list) else {},
            attributes[name].get('factor') == '100')
        for name in names]


def read_rows(Model, ids, columns):
    "The cell values of the records ids of Model, in the order of ids"
    names = [n + '.rec_name' if t in RELATIONS else n
        for n, _, t, _, _ in columns]
    values = {}
    for sub in grouped_slice(ids, in_max()):
        for row in Model.read(list(sub), names):
            values[row['id']] = row
    rows = []
    for id_ in ids:
        row = values.get(id_)
        if row is None:
            continue
        cells = []
        for name, _, type_, selection, _ in columns:
            if type_ in RELATIONS:
                value = (row.get(name + '.') or {}).get('rec_name')
            else:
                value = row.get(name)
            if type_ == 'selection':
                value = selection.get(value, value)
            elif type_ in {'numeric', 'float'} and value is not None:
                value = Decimal(str(value))
            cells.append(value)
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
    filters = []
    for name, definition in ContextModel.fields_get().items():
        if name in {'id', 'rec_name'} or context.get(name) in (None, ''):
            continue
        value = context[name]
        if definition['type'] == 'many2one':
            value = pool.get(definition['relation'])(value).rec_name
        elif definition['type'] == 'selection':
            value = dict(definition.get('selection') or []).get(value, value)
        elif isinstance(value, (dt.date, dt.datetime)):
            value = value.isoformat()
        filters.append((definition['string'], str(value)))
    return filters


def write_workbook(title, filters, columns, rows):
    """The bytes of an .xlsx: the title and the filters on the first two
    rows, then the headers and the rows"""
    import openpyxl
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    # Excel refuses these characters and more than 31 in a sheet name
    sheet.title = ''.join(c for c in title if c not in '[]:*?/\\')[:31]
    sheet.cell(row=1, column=1, value=title).font = Font(bold=True, size=14)
    sheet.cell(row=2, column=1,
        value='；'.join(f'{label}：{value}' for label, value in filters))
    for index, (_, header, _, _, _) in enumerate(columns, 1):
        sheet.cell(row=3, column=index, value=header).font = Font(bold=True)
        sheet.column_dimensions[get_column_letter(index)].width = max(
            10, 2 * len(header) + 4)
    sheet.freeze_panes = sheet.cell(row=4, column=1)
    for offset, cells in enumerate(rows, 4):
        for index, (column, value) in enumerate(zip(columns, cells), 1):
            cell = sheet.cell(row=offset, column=index, value=value)
            if value is not None and column[4]:
                cell.number_format = '0.00%'
            elif isinstance(value, Decimal):
                cell.number_format = '#,##0.00'
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


class ExportXlsxResult(ModelView):
    "Export to Spreadsheet"
    __name__ = 'helpdesk.export_xlsx.result'
    __string__ = "Export to Spreadsheet"
    file = fields.Binary(
        "File", readonly=True, filename='filename',
        help="The .xlsx file of the rows: download it.")
    filename = fields.Char("File Name", readonly=True)
    count = fields.Integer("Rows", readonly=True)


class ExportXlsx(Wizard):
    """Export the selected rows, or all the rows for the filters of the
    context, to an .xlsx spreadsheet"""
    __name__ = 'helpdesk.export_xlsx'
    start = StateView('helpdesk.export_xlsx.result',
        'aishang_helpdesk.export_xlsx_result_view_form', [
            Button("Close", 'end', 'tryton-close', default=True),
            ])

    def default_start(self, field_names):
        pool = Pool()
        IrModel = pool.get('ir.model')
        Date = pool.get('ir.date')
        Model = self.model
        context_model = (Transaction().context.get('context_model')
            or getattr(Model, '_xlsx_context_model', None))
        # Wizards run without access checks: read the rows as the user
        # reads them, record rules included
        with check_access():
            ids = [r.id for r in self.records] or [
                r.id for r in Model.search([])]
            columns = columns_of(Model)
            rows = read_rows(Model, ids, columns)
        filters = context_filters(context_model) if context_model else []
        title = IrModel.get_name(Model.__name__)
        return {
            'file': fields.Binary.cast(write_workbook(
                    title, filters, columns, rows)),
            'filename': f'{title}-{Date.today().isoformat()}.xlsx',
            'count': len(rows),
            }
