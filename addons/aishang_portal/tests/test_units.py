# This file is part of Aishang Property. See the LICENSE file at the top level
# of this repository for full copyright notices and license terms.
"Pure functions of the portal: no database"
import datetime as dt
import json
import unittest
from decimal import Decimal

from trytond.modules.aishang_portal.api import dumps, openapi_path
from trytond.modules.aishang_portal.sanitize import html_to_text, sanitize_html
from trytond.modules.aishang_portal.sms_code import (
    hash_code, new_code, normalize_mobile)


class PortalUnitTestCase(unittest.TestCase):
    "Portal pure functions"

    def test_normalize_mobile(self):
        for value, expected in [
                ('13800138000', '13800138000'),
                ('+86 138-0013-8000', '13800138000'),
                ('008613800138000', '13800138000'),
                ('8613800138000', '13800138000'),
                (13800138000.0, '13800138000'),
                ('138 0013 800', None),
                ('12800138000', None),
                ('010-88886666', None),
                ('', None),
                (None, None),
                ]:
            with self.subTest(value=value):
                self.assertEqual(normalize_mobile(value), expected)

    def test_codes(self):
        codes = {new_code() for _ in range(200)}
        self.assertTrue(all(len(c) == 6 and c.isdigit() for c in codes))
        self.assertGreater(len(codes), 150)
        digest = hash_code('13800138000', '123456', 'salt', 'pepper')
        self.assertEqual(len(digest), 64)
        self.assertNotIn('123456', digest)
        for other in [('13800138001', '123456', 'salt', 'pepper'),
                ('13800138000', '123457', 'salt', 'pepper'),
                ('13800138000', '123456', 'tlas', 'pepper'),
                ('13800138000', '123456', 'salt', '')]:
            self.assertNotEqual(hash_code(*other), digest)

    def test_sanitize_html(self):
        for html, expected in [
                ('<p onclick="x()">Hi</p>', '<p>Hi</p>'),
                ('<script>alert(1)</script><b>b</b>', '<b>b</b>'),
                ('<a href="javascript:alert(1)">x</a>',
                    '<a rel="noopener noreferrer">x</a>'),
                ('<a href="https://e.cn/a">x</a>',
                    '<a href="https://e.cn/a" rel="noopener noreferrer">'
                    'x</a>'),
                ('<img src="x" onerror="y()">', '<img src="x">'),
                ('<iframe src="https://e.cn"></iframe>t', 't'),
                ('<span style="color:red;position:fixed">r</span>',
                    '<span style="color:red">r</span>'),
                ('<font color="#f00">红</font>', '<font color="#f00">红</font>'),
                ('1 < 2', '1 &lt; 2'),
                ]:
            with self.subTest(html=html):
                self.assertEqual(sanitize_html(html), expected)
        self.assertEqual(
            html_to_text('<p>停水&amp;停电</p><p>明天</p>'), "停水&停电 明天")
        self.assertEqual(html_to_text('<p>' + '字' * 50 + '</p>', 10),
            '字' * 9 + '…')

    def test_json(self):
        self.assertEqual(json.loads(dumps({
                        'a': Decimal('205.85'), 'b': Decimal('1E+2'),
                        'd': dt.date(2026, 1, 31),
                        't': dt.datetime(2026, 1, 31, 9, 30, 0, 123),
                        'z': "中文"})),
            {'a': '205.85', 'b': '100', 'd': '2026-01-31',
                't': '2026-01-31T09:30:00Z', 'z': "中文"})
        self.assertIn("中文", dumps("中文"))

    def test_openapi_path(self):
        self.assertEqual(openapi_path('owner/bills/<int:bill_id>'),
            '/owner/bills/{bill_id}')
        self.assertEqual(openapi_path(
                'owner/notices/<int:notice_id>/attachments/<int:id>'),
            '/owner/notices/{notice_id}/attachments/{id}')
