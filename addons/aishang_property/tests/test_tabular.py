# This file is part of Aishang Property. See the LICENSE file at the top level
# of this repository for full copyright notices and license terms.
"Pure tests of the spreadsheet reader and the cell conversions"
import csv
import datetime as dt
import io
import os
import unittest
from decimal import Decimal

import openpyxl

from ..tabular import (
    DATE, DECIMAL, INTEGER, SELECTION, Column, Row, Sheet, SheetSpec,
    TabularError, normalize_header, parse_sheet, read_file, to_boolean,
    to_date, to_decimal, to_integer, to_selection, to_text, write_template)

XLS_FIXTURE = os.path.join(os.path.dirname(__file__), 'import_resources.xls')
KINDS = [('residence', "住宅"), ('parking', "车位", "车库")]
COLUMNS = [
    Column('number', "房号", required=True, aliases=["Number"]),
    Column('area', "建筑面积", type=DECIMAL, minimum=0),
    Column('floor', "楼层", type=INTEGER),
    Column('kind', "资源类型", type=SELECTION, selection=KINDS),
    Column('date', "交付日期", type=DATE),
    Column('phone', "业主手机"),
    ]


def error_of(function, *args):
    try:
        function(*args)
    except TabularError as error:
        return error.message.split('.')[-1]


def xlsx(rows, title="资源"):
    workbook = openpyxl.Workbook()
    worksheet = workbook.active
    worksheet.title = title
    for row in rows:
        worksheet.append(row)
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


class CellTestCase(unittest.TestCase):
    "Conversion of cell values"

    def test_to_text(self):
        for value, expected in [
                (None, None),
                ('', None),
                ('   ', None),
                (' 0301 ', '0301'),
                (13800138000.0, '13800138000'),
                (13800138000, '13800138000'),
                (301.0, '301'),
                (3.5, '3.5'),
                (dt.datetime(2024, 5, 1), '2024-05-01'),
                (dt.date(2024, 5, 1), '2024-05-01'),
                ("王建国", "王建国"),
                ]:
            with self.subTest(value=value):
                self.assertEqual(to_text(value), expected)

    def test_to_decimal(self):
        for value, expected in [
                (None, None),
                ('', None),
                (125.5, Decimal('125.5')),
                (0.1, Decimal('0.1')),
                (100.10000000000001, Decimal('100.1')),
                (125, Decimal('125')),
                ('125.50', Decimal('125.50')),
                ('125.500', Decimal('125.50')),
                (' 1,234.5 ', Decimal('1234.5')),
                (Decimal('88.88'), Decimal('88.88')),
                ('-3', Decimal('-3')),
                ]:
            with self.subTest(value=value):
                result = to_decimal(value, 2)
                self.assertEqual(result, expected)
                if result is not None:
                    self.assertIsInstance(result, Decimal)
                    self.assertEqual(str(result), str(expected))

    def test_to_decimal_errors(self):
        for value, message in [
                ('abc', 'msg_import_decimal'),
                ('12..5', 'msg_import_decimal'),
                (float('nan'), 'msg_import_decimal'),
                ('inf', 'msg_import_decimal'),
                ('1e400', 'msg_import_decimal'),
                (True, 'msg_import_decimal'),
                ('125.555', 'msg_import_decimal_digits'),
                (125.555, 'msg_import_decimal_digits'),
                ]:
            with self.subTest(value=value):
                self.assertEqual(error_of(to_decimal, value, 2), message)

    def test_to_integer(self):
        for value, expected in [
                (None, None),
                (3, 3),
                (3.0, 3),
                ('-1', -1),
                (' 12 ', 12),
                ('12.0', 12),
                ]:
            with self.subTest(value=value):
                self.assertEqual(to_integer(value), expected)
        for value in ['3.5', 3.5, 'abc', True]:
            with self.subTest(value=value):
                self.assertEqual(
                    error_of(to_integer, value), 'msg_import_integer')

    def test_to_date(self):
        may_1 = dt.date(2024, 5, 1)
        for value, expected in [
                (None, None),
                (dt.datetime(2024, 5, 1, 0, 0), may_1),
                (may_1, may_1),
                (45413, may_1),
                (45413.0, may_1),
                ('2024-05-01', may_1),
                ('2024-5-1', may_1),
                ('2024/5/1', may_1),
                ('2024.05.01', may_1),
                ('2024年5月1日', may_1),
                ('2024 年 5 月 1 日', may_1),
                ('20240501', may_1),
                ('2024-05-01 00:00:00', may_1),
                ]:
            with self.subTest(value=value):
                self.assertEqual(to_date(value), expected)
        for value in [
                '2024-02-30', '05/01/2024', 'tomorrow', -1, '2024-13-01']:
            with self.subTest(value=value):
                self.assertEqual(error_of(to_date, value), 'msg_import_date')

    def test_to_selection(self):
        for value, expected in [
                ("住宅", 'residence'),
                (" 车位 ", 'parking'),
                ("车库", 'parking'),
                ('parking', 'parking'),
                ('Parking', 'parking'),
                (None, None),
                ]:
            with self.subTest(value=value):
                self.assertEqual(to_selection(value, KINDS), expected)
        try:
            to_selection("别墅", KINDS)
        except TabularError as error:
            self.assertEqual(error.params, {'value': "别墅", 'values': "住宅、车位"})
        else:
            self.fail("别墅 is not a kind")

    def test_to_boolean(self):
        for value, expected in [
                ("是", True), ("否", False), ('Y', True), (1, True),
                (0.0, False), (None, None)]:
            with self.subTest(value=value):
                self.assertEqual(to_boolean(value), expected)
        self.assertEqual(error_of(to_boolean, "也许"), 'msg_import_boolean')

    def test_minimum(self):
        column = Column('area', "建筑面积", type=DECIMAL, minimum=0)
        self.assertEqual(error_of(column.coerce, '-1'), 'msg_import_too_small')
        self.assertEqual(column.coerce('0'), Decimal(0))

    def test_normalize_header(self):
        for value, expected in [
                ("建筑面积", "建筑面积"),
                (" 建筑面积* ", "建筑面积"),
                ("建筑面积（㎡）", "建筑面积"),
                ("建筑面积(m²)", "建筑面积"),
                ("Building Area", "buildingarea"),
                (None, ''),
                ]:
            with self.subTest(value=value):
                self.assertEqual(normalize_header(value), expected)


class ParseTestCase(unittest.TestCase):
    "Parsing of sheets with a column specification"

    def parse(self, rows):
        sheet = Sheet("资源", [Row(i, cells) for i, cells in rows])
        return parse_sheet(sheet, COLUMNS)

    def test_parse(self):
        rows, errors = self.parse([
                (1, ["房号*", "建筑面积(㎡)", "业主手机", "其他"]),
                (2, ['0301', 125.5, 13800138000.0, "x"]),
                (5, [302, '98.00', '138 0013 8001']),
                ])
        self.assertEqual(errors, [])
        self.assertEqual(rows, [
                {'_row': 2, 'number': '0301', 'area': Decimal('125.5'),
                    'phone': '13800138000', 'floor': None, 'kind': None,
                    'date': None},
                {'_row': 5, 'number': '302', 'area': Decimal('98.00'),
                    'phone': '138 0013 8001', 'floor': None, 'kind': None,
                    'date': None},
                ])

    def test_title_above_header(self):
        rows, errors = self.parse([
                (1, ["翠湖花园资源清单"]),
                (3, ["Number", "建筑面积"]),
                (4, ['101', 90]),
                ])
        self.assertEqual(errors, [])
        self.assertEqual([(r['_row'], r['number']) for r in rows],
            [(4, '101')])

    def test_errors(self):
        rows, errors = self.parse([
                (1, ["房号", "建筑面积", "资源类型", "楼层"]),
                (2, ['101', 'abc', "住宅", 1]),
                (3, [None, 90, "别墅", 'x']),
                ])
        self.assertEqual(
            [(e.sheet, e.row, e.column, e.message.split('.')[-1])
                for e in errors], [
                ("资源", 2, "建筑面积", 'msg_import_decimal'),
                ("资源", 3, "房号", 'msg_import_required'),
                ("资源", 3, "资源类型", 'msg_import_selection'),
                ("资源", 3, "楼层", 'msg_import_integer'),
                ])
        self.assertEqual(errors[0].params, {'value': 'abc'})

    def test_header_errors(self):
        for rows, expected in [
                ([(1, ["建筑面积"]), (2, [90])],
                    [(1, "房号", 'msg_import_column_missing')]),
                ([(1, ["房号", "Number"]), (2, ['1', '1'])],
                    [(1, "房号", 'msg_import_column_duplicate')]),
                ([], [(None, None, 'msg_import_empty')]),
                ]:
            with self.subTest(rows=rows):
                result, errors = self.parse(rows)
                self.assertEqual(result, [])
                self.assertEqual(
                    [(e.row, e.column, e.message.split('.')[-1])
                        for e in errors], expected)


class ReadTestCase(unittest.TestCase):
    "Reading .xlsx, .xls and .csv files"

    def test_xlsx(self):
        workbook = openpyxl.Workbook()
        worksheet = workbook.active
        worksheet.title = "资源"
        worksheet.append(["房号", "建筑面积", "业主手机", "交付日期"])
        worksheet.append(['0301', 125.5, 13800138000, dt.date(2024, 5, 1)])
        worksheet.append([])
        worksheet.append([None, '  '])
        worksheet.append([301, 98, 13900139000, '2024/5/1'])
        # A room number kept by a 0000 format and a phone formatted as text
        worksheet['A5'].number_format = '0000'
        worksheet['C5'].number_format = '@'
        workbook.create_sheet("空")
        output = io.BytesIO()
        workbook.save(output)

        sheets = read_file(output.getvalue(), 'r.xlsx')
        self.assertEqual([s.name for s in sheets], ["资源", "空"])
        self.assertEqual([r.number for r in sheets[0].rows], [1, 2, 5])
        self.assertEqual(
            sheets[0].rows[2].cells[:3], ['0301', 98, '13900139000'])
        rows, errors = parse_sheet(sheets[0], COLUMNS)
        self.assertEqual(errors, [])
        self.assertEqual([(r['number'], r['area'], r['phone'], r['date'])
                for r in rows], [
                ('0301', Decimal('125.5'), '13800138000', dt.date(2024, 5, 1)),
                ('0301', Decimal('98'), '13900139000', dt.date(2024, 5, 1)),
                ])

    def test_csv_encodings(self):
        lines = [["房号", "建筑面积", "业主手机"], ['0301', '125.50', '13800138000'],
            ['', '', ''], ['302', '98', '13900139000']]
        text = io.StringIO()
        csv.writer(text).writerows(lines)
        for encoding in ['utf-8-sig', 'utf-8', 'gb18030']:
            with self.subTest(encoding=encoding):
                sheet, = read_file(
                    text.getvalue().encode(encoding), 'r.csv', "资源")
                self.assertEqual(sheet.name, "资源")
                self.assertEqual([r.number for r in sheet.rows], [1, 2, 4])
                rows, errors = parse_sheet(sheet, COLUMNS)
                self.assertEqual(errors, [])
                self.assertEqual([r['number'] for r in rows], ['0301', '302'])
                self.assertEqual(rows[0]['area'], Decimal('125.50'))

    def test_csv_semicolon(self):
        sheet, = read_file("房号;建筑面积\n101;90\n".encode(), 'r.csv', "资源")
        self.assertEqual(sheet.rows[1].cells, ['101', '90'])

    def test_xls(self):
        "The fixture was written once with xlwt (not a dependency)"
        with open(XLS_FIXTURE, 'rb') as file:
            sheets = read_file(file.read(), 'import_resources.xls')
        sheet = SheetSpec("资源", COLUMNS).find(sheets)
        rows, errors = parse_sheet(sheet, COLUMNS)
        self.assertEqual(errors, [])
        row = rows[0]
        self.assertEqual(row['number'], '0301')
        self.assertEqual(row['area'], Decimal('125.5'))
        self.assertEqual(row['phone'], '13800138000')
        self.assertEqual(row['date'], dt.date(2024, 5, 1))

    def test_bad_files(self):
        for data, filename, message in [
                (b'PK\x03\x04garbage', 'r.xlsx', 'msg_import_file_unreadable'),
                (b'\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1garbage', 'r.xls',
                    'msg_import_file_unreadable'),
                (b'not a workbook', 'r.xlsx', 'msg_import_file_unreadable'),
                (b'%PDF-1.4', 'r.pdf', 'msg_import_file_format'),
                (b'\xff\xfe\x00\xd8\x00', 'r.csv', 'msg_import_file_encoding'),
                ]:
            with self.subTest(filename=filename, data=data):
                try:
                    read_file(data, filename)
                except TabularError as error:
                    self.assertEqual(error.message.split('.')[-1], message)
                    self.assertEqual(error.params['file'], filename)
                else:
                    self.fail(f"{filename} was read")


class TemplateTestCase(unittest.TestCase):
    "Writing templates"

    def test_template_round_trip(self):
        spec = SheetSpec("资源", COLUMNS, help="每行一个资源")
        data = write_template([spec], {"资源": [{
                        'number': '0301', 'area': Decimal('125.50'),
                        'kind': "住宅", 'date': dt.date(2024, 5, 1),
                        'phone': '13800138000'}]})
        sheets = read_file(data, 'template.xlsx')
        self.assertEqual([s.name for s in sheets], ["资源", "填写说明"])
        self.assertEqual(sheets[0].rows[0].cells[0], "房号*")
        rows, errors = parse_sheet(sheets[0], COLUMNS)
        self.assertEqual(errors, [])
        self.assertEqual(rows, [{
                    '_row': 2, 'number': '0301', 'area': Decimal('125.5'),
                    'floor': None, 'kind': 'residence',
                    'date': dt.date(2024, 5, 1), 'phone': '13800138000'}])
        notes = sheets[1].rows
        self.assertEqual(notes[0].cells, ["工作表", "列名", "必填", "格式", "说明"])
        self.assertIn(["资源", "资源类型", None, "可选值：住宅、车位", None],
            [r.cells for r in notes])
