# This file is part of Aishang Property. See the LICENSE file at the top level
# of this repository for full copyright notices and license terms.
"""Read and write spreadsheets for imports: no Pool, no Transaction.

Files are read into sheets of numbered rows of raw cell values, then a sheet
is parsed with a list of columns into rows of typed values and a list of
errors. Errors carry an ir.message id and its parameters so that the caller
translates them; row numbers are those Excel shows (1-based).
"""
import csv
import datetime as dt
import io
import os
import re
from collections import namedtuple
from decimal import Decimal, InvalidOperation
from types import MappingProxyType

MODULE = 'aishang_property'

TEXT = 'text'
DECIMAL = 'decimal'
INTEGER = 'integer'
DATE = 'date'
SELECTION = 'selection'
BOOLEAN = 'boolean'
TYPES = {TEXT, DECIMAL, INTEGER, DATE, SELECTION, BOOLEAN}

# What the notes sheet of a template says about each type of column
TYPE_NOTES = {
    TEXT: "文本",
    DECIMAL: "数字",
    INTEGER: "整数",
    DATE: "日期，如 2024-05-01",
    SELECTION: "可选值",
    BOOLEAN: "是 / 否",
    }

_XLSX_MAGIC = b'PK\x03\x04'
_XLS_MAGIC = b'\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1'
# Excel counts days from 1899-12-30 in its 1900 date system
_EXCEL_EPOCH = dt.date(1899, 12, 30)
_EXCEL_MAX_SERIAL = 2958465  # 9999-12-31
_DATE_RE = re.compile(
    r'^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?'
    r'(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$')
_COMPACT_DATE_RE = re.compile(r'^(\d{4})(\d{2})(\d{2})$')
_ZERO_PAD_RE = re.compile(r'^0{2,}$')
_HEADER_NOISE_RE = re.compile(r'[\s*＊]|[(（\[【].*?[)）\]】]')
_TRUE = {'是', 'y', 'yes', 'true', '1', '√', '✓', 't'}
_FALSE = {'否', 'n', 'no', 'false', '0', '×', '✗', 'f'}

Row = namedtuple('Row', ['number', 'cells'])
Sheet = namedtuple('Sheet', ['name', 'rows'])
Error = namedtuple('Error', ['sheet', 'row', 'column', 'message', 'params'],
    defaults=(None, None, None, MappingProxyType({})))


class TabularError(Exception):
    "A file or a cell that cannot be read, with an ir.message id"

    def __init__(self, message, **params):
        super().__init__(message, params)
        self.message = message
        self.params = params


def msg(name):
    return f'{MODULE}.{name}'


class Column:
    """The specification of one column of a sheet

    name is the key in the parsed rows, header the Chinese header of the
    template, aliases other accepted headers (such as English ones).
    selection is a list of (value, label, *other accepted labels).
    """
    __slots__ = ('name', 'header', 'type', 'required', 'aliases',
        'selection', 'digits', 'minimum', 'maximum', 'help')

    def __init__(self, name, header, type=TEXT, required=False, aliases=(),
            selection=None, digits=2, minimum=None, maximum=None, help=''):
        if type not in TYPES:
            raise ValueError(f"Unknown column type {type}")
        if type == SELECTION and not selection:
            raise ValueError(f"Column {name} needs a selection")
        self.name = name
        self.header = header
        self.type = type
        self.required = required
        self.aliases = tuple(aliases)
        self.selection = list(selection or [])
        self.digits = digits
        self.minimum = minimum
        self.maximum = maximum
        self.help = help

    def __repr__(self):
        return f'Column({self.name!r}, {self.header!r})'

    @property
    def labels(self):
        return [label for _, label, *_ in self.selection]

    def coerce(self, value):
        "Return the value converted to the type of the column"
        if self.type == TEXT:
            return to_text(value)
        elif self.type == DATE:
            return to_date(value)
        elif self.type == SELECTION:
            return to_selection(value, self.selection)
        elif self.type == BOOLEAN:
            return to_boolean(value)
        elif self.type == DECIMAL:
            result = to_decimal(value, self.digits)
        else:
            result = to_integer(value)
        if result is not None:
            if self.minimum is not None and result < self.minimum:
                raise TabularError(msg('msg_import_too_small'),
                    value=_show(value), minimum=self.minimum)
            if self.maximum is not None and result > self.maximum:
                raise TabularError(msg('msg_import_too_large'),
                    value=_show(value), maximum=self.maximum)
        return result


class SheetSpec:
    "The specification of a sheet: its name, other accepted names, columns"
    __slots__ = ('name', 'columns', 'aliases', 'help')

    def __init__(self, name, columns, aliases=(), help=''):
        self.name = name
        self.columns = list(columns)
        self.aliases = tuple(aliases)
        self.help = help

    def find(self, sheets):
        "Return the sheet of sheets named by the spec or None"
        names = {normalize_header(n) for n in (self.name, *self.aliases)}
        for sheet in sheets:
            if normalize_header(sheet.name) in names:
                return sheet


def _show(value):
    "Return a cell value as the user typed it, for error messages"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (dt.datetime, dt.date)):
        return value.isoformat()
    return str(value).strip()


def is_blank(value):
    return value is None or (isinstance(value, str) and not value.strip())


def normalize_header(value):
    "Return a header without spaces, required marks and units in brackets"
    if value is None:
        return ''
    return _HEADER_NOISE_RE.sub('', str(value)).casefold()


def to_text(value):
    """Return the cell value as text

    Numbers typed in Excel cells come as floats: 13800138000.0 is returned
    as '13800138000'. Text cells are kept as they are, with leading zeros.
    """
    if is_blank(value):
        return None
    if isinstance(value, bool):
        return '1' if value else '0'
    if isinstance(value, float):
        if value.is_integer():
            return str(int(value))
        return repr(value)
    if isinstance(value, dt.datetime):
        if value.time() == dt.time():
            return value.date().isoformat()
        return value.isoformat(' ')
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value).strip()


def to_decimal(value, digits=None):
    "Return the cell value as a Decimal with at most digits decimal places"
    if is_blank(value):
        return None
    if isinstance(value, bool):
        raise TabularError(msg('msg_import_decimal'), value=_show(value))
    if isinstance(value, float):
        # repr gives the shortest text that reads back as the same float,
        # so 125.5 becomes Decimal('125.5') and not 125.4999…
        result = Decimal(repr(value))
        if not result.is_finite():
            raise TabularError(msg('msg_import_decimal'), value=_show(value))
        if digits is not None and -result.as_tuple().exponent > digits:
            # Formulas leave float noise such as 100.10000000000001
            rounded = round(value, digits)
            if abs(rounded - value) < 1e-9:
                result = Decimal(repr(rounded))
    elif isinstance(value, (int, Decimal)):
        result = Decimal(value)
    else:
        text = re.sub(r'[\s,，]', '', str(value))
        try:
            result = Decimal(text)
        except InvalidOperation:
            raise TabularError(msg('msg_import_decimal'), value=_show(value))
    # Numeric fields hold 16 digits
    if not result.is_finite() or result.adjusted() >= 16 - (digits or 0):
        raise TabularError(msg('msg_import_decimal'), value=_show(value))
    if digits is not None and -result.as_tuple().exponent > digits:
        # Trailing zeros such as 125.500 are fine, 125.555 is not
        quantized = result.quantize(Decimal(1).scaleb(-digits))
        if quantized != result:
            raise TabularError(msg('msg_import_decimal_digits'),
                value=_show(value), digits=digits)
        result = quantized
    return result


def to_integer(value):
    "Return the cell value as an int"
    if is_blank(value):
        return None
    if isinstance(value, bool):
        raise TabularError(msg('msg_import_integer'), value=_show(value))
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        if value.is_integer():
            return int(value)
        raise TabularError(msg('msg_import_integer'), value=_show(value))
    text = re.sub(r'[\s,，]', '', str(value))
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise TabularError(msg('msg_import_integer'), value=_show(value))
    if not number.is_finite() or number != number.to_integral_value():
        raise TabularError(msg('msg_import_integer'), value=_show(value))
    return int(number)


def to_date(value):
    """Return the cell value as a date

    Accepts date cells, Excel serial numbers and texts such as 2024-05-01,
    2024/5/1, 2024.5.1, 2024年5月1日 and 20240501.
    """
    if is_blank(value):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, bool):
        raise TabularError(msg('msg_import_date'), value=_show(value))
    if isinstance(value, (int, float, Decimal)):
        # A serial number; a fraction is the time of day
        if not 1 <= value <= _EXCEL_MAX_SERIAL:
            raise TabularError(msg('msg_import_date'), value=_show(value))
        return _EXCEL_EPOCH + dt.timedelta(days=int(value))
    text = str(value).strip()
    match = _DATE_RE.match(text) or _COMPACT_DATE_RE.match(text)
    if not match:
        raise TabularError(msg('msg_import_date'), value=_show(value))
    try:
        return dt.date(*map(int, match.groups()))
    except ValueError:
        raise TabularError(msg('msg_import_date'), value=_show(value))


def to_selection(value, selection):
    "Return the value of selection whose label, other label or value matches"
    if is_blank(value):
        return None
    text = normalize_header(to_text(value))
    for key, *labels in selection:
        if text in {normalize_header(str(key)),
                *(normalize_header(label) for label in labels)}:
            return key
    raise TabularError(msg('msg_import_selection'), value=_show(value),
        values='、'.join(label for _, label, *_ in selection))


def to_boolean(value):
    if is_blank(value):
        return None
    if isinstance(value, bool):
        return value
    text = to_text(value).casefold()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise TabularError(msg('msg_import_boolean'), value=_show(value))


def read_file(data, filename='', default_sheet=''):
    """Return the list of sheets of an .xlsx, .xls or .csv file

    The sheet of a .csv file is named default_sheet.
    """
    if isinstance(data, str):
        data = data.encode('utf-8')
    data = bytes(data or b'')
    extension = os.path.splitext(filename or '')[1].lower()
    try:
        if data.startswith(_XLSX_MAGIC):
            return read_xlsx(data)
        elif data.startswith(_XLS_MAGIC):
            return read_xls(data)
        elif extension in {'.xlsx', '.xlsm', '.xls'}:
            raise TabularError(msg('msg_import_file_unreadable'))
        elif extension in {'', '.csv', '.txt'}:
            return [read_csv(data, default_sheet)]
        raise TabularError(msg('msg_import_file_format'))
    except TabularError as error:
        error.params.setdefault('file', filename or '')
        raise


def _xlsx_value(cell):
    value = cell.value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        number_format = getattr(cell, 'number_format', None) or ''
        if number_format == '@':
            return to_text(value)
        if _ZERO_PAD_RE.match(number_format) and float(value).is_integer():
            # Room numbers shown as 0301 through a 0000 number format
            return str(int(value)).zfill(len(number_format))
    return value


def read_xlsx(data):
    import openpyxl
    try:
        workbook = openpyxl.load_workbook(
            io.BytesIO(data), read_only=True, data_only=True)
    except Exception:
        raise TabularError(msg('msg_import_file_unreadable'))
    sheets = []
    try:
        for worksheet in workbook.worksheets:
            # Files written by other programs may declare wrong dimensions
            worksheet.reset_dimensions()
            rows = []
            for number, cells in enumerate(worksheet.iter_rows(), 1):
                values = [_xlsx_value(c) for c in cells]
                if not all(is_blank(v) for v in values):
                    rows.append(Row(number, values))
            sheets.append(Sheet(worksheet.title, rows))
    finally:
        workbook.close()
    return sheets


def read_xls(data):
    import xlrd
    try:
        workbook = xlrd.open_workbook(file_contents=data)
    except Exception:
        raise TabularError(msg('msg_import_file_unreadable'))
    sheets = []
    for worksheet in workbook.sheets():
        rows = []
        for index in range(worksheet.nrows):
            values = []
            for cell in worksheet.row(index):
                if cell.ctype == xlrd.XL_CELL_DATE:
                    value = xlrd.xldate.xldate_as_datetime(
                        cell.value, workbook.datemode)
                elif cell.ctype == xlrd.XL_CELL_BOOLEAN:
                    value = bool(cell.value)
                elif cell.ctype in {xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK,
                        xlrd.XL_CELL_ERROR}:
                    value = None
                else:
                    value = cell.value
                values.append(value)
            if not all(is_blank(v) for v in values):
                rows.append(Row(index + 1, values))
        sheets.append(Sheet(worksheet.name, rows))
    return sheets


def decode_text(data):
    "Decode CSV bytes: UTF-8 (with or without BOM), else GB18030"
    for encoding in ['utf-8-sig', 'gb18030']:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise TabularError(msg('msg_import_file_encoding'))


def read_csv(data, name=''):
    text = decode_text(data)
    # The delimiter is the one the header line uses most
    first = next((line for line in text.splitlines() if line.strip()), '')
    delimiter = max(',\t;', key=first.count)
    rows = []
    reader = csv.reader(io.StringIO(text, newline=''), delimiter=delimiter)
    try:
        # Excel shows a record with quoted line breaks on one row
        for number, cells in enumerate(reader, 1):
            values = [c if c.strip() else None for c in cells]
            if not all(v is None for v in values):
                rows.append(Row(number, values))
    except csv.Error:
        raise TabularError(msg('msg_import_file_unreadable'))
    return Sheet(name, rows)


def find_header(sheet, columns, lookahead=10):
    """Return the index in sheet.rows of the header row

    It is the first row that names a column among the first rows, so that
    titles above the header are skipped; else the first row.
    """
    headers = {normalize_header(h) for c in columns
        for h in (c.header, c.name, *c.aliases)}
    for index, row in enumerate(sheet.rows[:lookahead]):
        if any(normalize_header(v) in headers for v in row.cells
                if not is_blank(v)):
            return index
    return 0


def parse_sheet(sheet, columns, sheet_name=None):
    """Return (rows, errors) of a sheet parsed with columns

    Rows are dicts of column name to typed value, with the row number under
    '_row'; errors are Error tuples. Blank rows are skipped when the file is
    read.
    """
    sheet_name = sheet_name or sheet.name
    rows, errors = [], []
    if not sheet.rows:
        errors.append(Error(sheet_name, None, None, msg('msg_import_empty')))
        return rows, errors
    start = find_header(sheet, columns)
    header_row = sheet.rows[start]
    data_rows = sheet.rows[start + 1:]
    by_header = {}
    for column in columns:
        for header in (column.header, column.name, *column.aliases):
            by_header.setdefault(normalize_header(header), column)
    positions = {}
    for index, header in enumerate(header_row.cells):
        column = by_header.get(normalize_header(header))
        if not column:
            continue
        if column.name in positions:
            errors.append(Error(sheet_name, header_row.number, column.header,
                    msg('msg_import_column_duplicate'),
                    {'column': column.header}))
            continue
        positions[column.name] = index
    for column in columns:
        if column.required and column.name not in positions:
            errors.append(Error(sheet_name, header_row.number, column.header,
                    msg('msg_import_column_missing'),
                    {'column': column.header}))
    if errors:
        return rows, errors
    # In the order of the file so that errors read left to right
    present = sorted(((c, positions[c.name]) for c in columns
            if c.name in positions), key=lambda p: p[1])
    absent = [c.name for c in columns if c.name not in positions]
    for row in data_rows:
        cells = row.cells
        values = dict.fromkeys(absent)
        values['_row'] = row.number
        for column, index in present:
            value = cells[index] if index < len(cells) else None
            try:
                values[column.name] = column.coerce(value)
            except TabularError as error:
                values[column.name] = None
                errors.append(Error(sheet_name, row.number, column.header,
                        error.message, error.params))
                continue
            if column.required and values[column.name] is None:
                errors.append(Error(sheet_name, row.number, column.header,
                        msg('msg_import_required')))
        rows.append(values)
    return rows, errors


def describe(column):
    "Return the Chinese note on the format of a column for templates"
    note = TYPE_NOTES[column.type]
    if column.type == SELECTION:
        note += "：" + "、".join(column.labels)
    elif column.type == DECIMAL and column.digits is not None:
        note += f"，最多 {column.digits} 位小数"
    return note


def write_template(specs, examples=None):
    """Return the bytes of an .xlsx template for the sheet specs

    Each sheet has the header row (required columns marked with *) and the
    example rows of examples[spec.name]; a last sheet describes each column.
    """
    import openpyxl
    from openpyxl.comments import Comment
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    examples = examples or {}
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    bold = Font(bold=True)
    required_fill = PatternFill('solid', fgColor='FFF2CC')
    for spec in specs:
        worksheet = workbook.create_sheet(spec.name)
        worksheet.freeze_panes = 'A2'
        for index, column in enumerate(spec.columns, 1):
            letter = get_column_letter(index)
            cell = worksheet.cell(row=1, column=index,
                value=column.header + ('*' if column.required else ''))
            cell.font = bold
            if column.required:
                cell.fill = required_fill
            if column.help:
                cell.comment = Comment(column.help, 'Aishang')
            dimension = worksheet.column_dimensions[letter]
            dimension.width = max(10, 2 * len(column.header) + 4)
            if column.type == TEXT:
                # So that 0301 and phone numbers typed later stay text
                dimension.number_format = '@'
            elif column.type == DATE:
                dimension.number_format = 'yyyy-mm-dd'
            if column.type == SELECTION:
                validation = DataValidation(type='list',
                    formula1='"' + ','.join(column.labels) + '"',
                    allow_blank=not column.required)
                validation.add(f'{letter}2:{letter}10000')
                worksheet.add_data_validation(validation)
        for example in examples.get(spec.name, []):
            worksheet.append([example.get(c.name) for c in spec.columns])
            for index, column in enumerate(spec.columns, 1):
                cell = worksheet.cell(row=worksheet.max_row, column=index)
                if column.type == TEXT:
                    cell.number_format = '@'
                elif column.type == DATE:
                    cell.number_format = 'yyyy-mm-dd'
    notes = workbook.create_sheet("填写说明")
    notes.append(["工作表", "列名", "必填", "格式", "说明"])
    for cell in notes[1]:
        cell.font = bold
    for spec in specs:
        if spec.help:
            notes.append([spec.name, None, None, None, spec.help])
        for column in spec.columns:
            notes.append([spec.name, column.header,
                    "是" if column.required else None, describe(column),
                    column.help or None])
    for letter, width in zip('ABCDE', [10, 14, 6, 36, 80]):
        notes.column_dimensions[letter].width = width
    for row in notes.iter_rows(min_row=2):
        row[4].alignment = Alignment(wrap_text=True, vertical='top')
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()
