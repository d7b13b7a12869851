# This file is part of Aishang Property. See the LICENSE file at the top level
# of this repository for full copyright notices and license terms.
import datetime as dt
import unittest
from decimal import Decimal

from trytond.model.exceptions import SQLConstraintError
# Absolute imports: pytest imports this package under a second name, whose
# exception classes would not be the ones the models raise.
from trytond.modules.aishang_message import rendering
from trytond.modules.aishang_message.exceptions import (
    TemplateRenderError, TemplateValidationError)
from trytond.modules.company.tests import create_company, set_company
from trytond.pool import Pool
from trytond.tests.test_tryton import with_transaction

from .tools import MessageDBTestCase

REMINDER = {
    'code': 'bill_reminder',
    'name': "缴费提醒",
    'variables': 'owner, amount, due_date',
    'subject': "${owner}，您有待缴费用",
    'body': "尊敬的${owner}：您有物业费¥${amount}，请于${due_date}前缴纳"
    "（$$ 为美元符号）。",
    }


class RenderingTestCase(unittest.TestCase):
    "The pure placeholder functions"

    def test_format_value(self):
        for value, text in [
                (Decimal('1234.5'), '1234.50'),
                (Decimal('0.125'), '0.13'),
                (Decimal('-0.125'), '-0.13'),
                (Decimal('7'), '7.00'),
                (Decimal('1E+2'), '100.00'),
                (3, '3'),
                (dt.date(2025, 1, 31), '2025-01-31'),
                (None, ''),
                ("张三", "张三"),
                ]:
            with self.subTest(value=value):
                self.assertEqual(rendering.format_value(value), text)

    def test_placeholders(self):
        self.assertEqual(
            rendering.placeholders("${a} $b ${a} $$c"), ['a', 'b'])
        for text, line, column in [
                ("¥$5", 1, 2),
                ("ok\nbad ${x", 2, 5),
                ("$", 1, 1),
                ]:
            with self.subTest(text=text):
                with self.assertRaises(rendering.InvalidPlaceholder) as cm:
                    rendering.placeholders(text)
                self.assertEqual(
                    (cm.exception.line, cm.exception.column), (line, column))

    def test_parse_variables(self):
        self.assertEqual(
            rendering.parse_variables(" a, b_1 ,,a,"), ['a', 'b_1'])
        self.assertEqual(rendering.parse_variables(None), [])
        with self.assertRaises(rendering.InvalidVariable):
            rendering.parse_variables("due-date")


class TemplateTestCase(MessageDBTestCase):
    "Templates refuse what they cannot render"

    @with_transaction()
    def test_render(self):
        "Rendering fills every placeholder, money with two decimals"
        Template = Pool().get('message.template')
        template, = Template.create([REMINDER])
        subject, body = template.render({
                'owner': "张三",
                'amount': Decimal('1234.5'),
                'due_date': dt.date(2025, 1, 31),
                'unused': "ignored",
                })
        self.assertEqual(subject, "张三，您有待缴费用")
        self.assertEqual(body, "尊敬的张三：您有物业费¥1234.50，"
            "请于2025-01-31前缴纳（$ 为美元符号）。")

    @with_transaction()
    def test_render_missing_value(self):
        "Rendering without the value of a placeholder is refused"
        Template = Pool().get('message.template')
        template, = Template.create([REMINDER])
        with self.assertRaises(TemplateRenderError) as cm:
            template.render({'owner': "张三"})
        self.assertIn('amount, due_date', cm.exception.message)

    @with_transaction()
    def test_unknown_placeholder(self):
        "Saving a placeholder that is not a declared variable is refused"
        Template = Pool().get('message.template')
        with self.assertRaises(TemplateValidationError) as cm:
            Template.create([{**REMINDER, 'variables': 'owner, amount'}])
        self.assertIn('due_date', cm.exception.message)
        # A new code: on SQLite the refused row stays until the rollback
        template, = Template.create([{**REMINDER, 'code': 'other'}])
        with self.assertRaises(TemplateValidationError):
            Template.write([template], {'subject': "${phone}"})
        with self.assertRaises(TemplateValidationError):
            Template.write([template], {'variables': 'owner'})

    @with_transaction()
    def test_invalid_syntax(self):
        "A stray $ or a bad variable name is refused on save"
        Template = Pool().get('message.template')
        with self.assertRaises(TemplateValidationError) as cm:
            Template.create([{**REMINDER, 'body': "共¥$5元"}])
        self.assertIn('line 1, column 3', cm.exception.message)
        with self.assertRaises(TemplateValidationError):
            Template.create([{**REMINDER, 'code': 'other',
                        'variables': 'owner, due-date'}])

    @with_transaction()
    def test_code_unique_per_company(self):
        "A code is unique among a company's templates and the shared ones"
        Template = Pool().get('message.template')
        company = create_company()
        other = create_company("Other Company", currency=company.currency)
        shared, own, others = Template.create([
                {**REMINDER, 'company': None},
                {**REMINDER, 'company': company.id, 'name': "Own"},
                {**REMINDER, 'company': other.id},
                ])
        with set_company(company):
            self.assertEqual(Template.get_template('bill_reminder'), own)
        self.assertEqual(
            Template.get_template('bill_reminder', company=other), others)
        Template.delete([others])
        self.assertEqual(
            Template.get_template('bill_reminder', company=other), shared)
        with self.assertRaises(TemplateRenderError):
            Template.get_template('missing', company=other)

        # Last: PostgreSQL aborts the transaction on a constraint error
        with self.assertRaises(SQLConstraintError):
            Template.create([{**REMINDER, 'company': company.id}])

    @with_transaction()
    def test_code_unique_shared(self):
        "A code is unique among the templates without company"
        Template = Pool().get('message.template')
        Template.create([{**REMINDER, 'company': None}])
        with self.assertRaises(SQLConstraintError):
            Template.create([{**REMINDER, 'company': None}])
