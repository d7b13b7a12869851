# This file is part of Aishang Property. See the LICENSE file at the top level
# of this repository for full copyright notices and license terms.
"""Print layouts (S3), the receipt PDF with its reprint and void marks
(DOMAIN_RULES 11) and the owner statement (C5, R2)"""
import datetime as dt
import os
import subprocess
import tempfile
import unittest
from decimal import Decimal
from unittest.mock import patch

from trytond.exceptions import UserError
from trytond.modules.aishang_cashier.amount_words import amount_in_words
from trytond.modules.aishang_cashier.print_layout import (
    PrintError, PrintLayoutError, TemplateRefused, compile_template,
    helpers)
from trytond.modules.aishang_cashier.statement import (
    LedgerBill, LedgerEvent, ledger)
from trytond.modules.company.tests import create_company, set_company
from trytond.modules.aishang_billing.tests.tools import with_transaction
from trytond.pool import Pool
from trytond.transaction import Transaction

from .tools import (
    CashierTestCase, create_bills, create_household, draft_receipt,
    setup_cashier)

D = Decimal
XHTML = ('<html xmlns="http://www.w3.org/1999/xhtml" '
    'xmlns:py="http://genshi.edgewall.org/"><body>%s</body></html>')


def pdf_text(pdf):
    "The text of a PDF, as pdftotext (poppler-utils) extracts it"
    return subprocess.run(['pdftotext', '-layout', '-', '-'], input=pdf,
        capture_output=True, check=True).stdout.decode('utf-8')


def pdf_fonts(pdf):
    "(name, embedded) of each font of a PDF, as pdffonts lists them"
    with tempfile.NamedTemporaryFile(suffix='.pdf', delete=False) as fp:
        fp.write(pdf)
    try:
        output = subprocess.run(['pdffonts', fp.name], capture_output=True,
            check=True).stdout.decode('utf-8')
    finally:
        os.unlink(fp.name)
    fonts = []
    for line in output.splitlines()[2:]:
        tokens = line.split()
        # name … emb sub uni object-number generation
        fonts.append((tokens[0], tokens[-5] == 'yes'))
    return fonts


class AmountInWordsTestCase(unittest.TestCase):
    "人民币大写 after the PBoC rules for bills and vouchers"

    def test_golden(self):
        for amount, words in [
                ('0.00', '零元整'),
                ('0.05', '伍分'),
                ('0.50', '伍角'),
                ('10.00', '壹拾元整'),
                ('100.10', '壹佰元零壹角'),
                ('1004.00', '壹仟零肆元整'),
                ('10000.00', '壹万元整'),
                ('100000001.23', '壹亿零壹元贰角叁分'),
                ('1234.56', '壹仟贰佰叁拾肆元伍角陆分'),
                # the examples of the rules themselves
                ('1409.50', '壹仟肆佰零玖元伍角'),
                ('6007.14', '陆仟零柒元壹角肆分'),
                ('1680.32', '壹仟陆佰捌拾元零叁角贰分'),
                ('107000.53', '壹拾万柒仟元零伍角叁分'),
                ('16409.02', '壹万陆仟肆佰零玖元零贰分'),
                ('325.04', '叁佰贰拾伍元零肆分'),
                # a group all zeros is one 零, a group's closing zeros none
                ('1000007000.00', '壹拾亿零柒仟元整'),
                ('1010000.00', '壹佰零壹万元整'),
                ('200010000.00', '贰亿零壹万元整'),
                ('1000.01', '壹仟元零壹分'),
                ('110.00', '壹佰壹拾元整'),
                ]:
            with self.subTest(amount=amount):
                self.assertEqual(amount_in_words(D(amount)), words)

    def test_rounding_and_sign(self):
        self.assertEqual(amount_in_words(D('0.005')), '壹分')
        self.assertEqual(amount_in_words(D('-3.20')), '负叁元贰角')
        self.assertEqual(amount_in_words(10), '壹拾元整')
        with self.assertRaises(ValueError):
            amount_in_words(D('1E16'))


class SandboxTestCase(unittest.TestCase):
    "Staff templates: parsed, refused when unsafe, rendered escaped"

    def render(self, body, **context):
        template = compile_template(XHTML % body)
        return template.generate(**helpers(), **context).render(
            'html', encoding=None)

    def test_refused_on_parse(self):
        for name, body, lineno in [
                ('python block', '<p>\n<?python import os ?></p>', 2),
                ('py:exec', '<p py:exec="x = 1">a</p>', 1),
                ('py:python', '<p>\n\n<py:python>x</py:python></p>', 3),
                ('dunder attribute', '<p>\n${x.__class__}</p>', None),
                ('dunder in attribute', '<p title="${x.__class__}">a</p>',
                    None),
                ('private name', '<p>${_x}</p>', None),
                ('f-string', '<p>${f"{x}"}</p>', None),
                ('walrus', '<p>${(y := 1)}</p>', None),
                ('power', '<p>${9 ** 9 ** 9}</p>', None),
                ('unclosed tag', '<p>\n<b></p>', 2),
                ('include', '<xi:include '
                    'xmlns:xi="http://www.w3.org/2001/XInclude" '
                    'href="/etc/passwd"/>', 1),
                ]:
            with self.subTest(name):
                with self.assertRaises(TemplateRefused) as cm:
                    compile_template(XHTML % body)
                if lineno:
                    self.assertEqual(cm.exception.lineno, lineno)

    def test_escaped(self):
        self.assertIn('&lt;script&gt;',
            self.render('${name}', name='<script>'))

    def test_refused_on_render(self):
        for name, body in [
                ('str.format', '${"{0.__class__}".format(x)}'),
                ('generator frame', '${(a for a in x).gi_frame}'),
                ('function globals', '${(lambda: 1).func_globals}'),
                ('type attribute', '${str.format("{0}", 1)}'),
                ('open', '${open("/etc/passwd")}'),
                ('long range', '${len(range(10 ** 7))}'),
                ('private item', '${x["_y"]}'),
                ]:
            with self.subTest(name):
                with self.assertRaises(Exception):
                    self.render('<p>%s</p>' % body, x=[1])

    def test_helpers(self):
        self.assertEqual(
            self.render('${format_amount(a)} ${amount_in_words(a)}',
                a=D('1234.5')),
            '<html><body>1,234.50 壹仟贰佰叁拾肆元伍角</body></html>')

    def test_ledger_advance_payment(self):
        "A bill paid before its date lowers the closing: a credit"
        jan, feb, mar = (dt.date(2026, m, 1) for m in (1, 2, 3))
        result = ledger(
            [LedgerBill(1, jan, D('100')), LedgerBill(2, mar, D('100'))],
            [LedgerEvent(1, jan, 'paid', D('100')),
                LedgerEvent(2, feb, 'paid', D('100'))],
            jan, feb)
        self.assertEqual(
            (result.opening, result.charges, result.payments,
                result.closing),
            (D(0), D('100'), D('200'), D('-100')))
        self.assertEqual(list(result.bills), [1])


class PrintingTestCase(CashierTestCase):
    "Receipts and statements printed through layouts"

    def year(self):
        return Pool().get('ir.date').today().year

    def on(self, month, day):
        "Patch today to month/day of this year (the open fiscal year)"
        Date = Pool().get('ir.date')
        return patch.object(Date, 'today',
            return_value=dt.date(self.year(), month, day))

    def collected(self, home, owner, lines, payments, date=None):
        Receipt = Pool().get('property.receipt')
        receipt = draft_receipt(home, owner, lines, payments)
        Receipt.collect([receipt])
        return Receipt(receipt.id)

    def print_receipts(self, receipts):
        pool = Pool()
        Report = pool.get('property.receipt', type='report')
        ModelData = pool.get('ir.model.data')
        # as Sao calls it, with the action
        ext, content, direct_print, name = Report.execute(
            [r.id for r in receipts], {'action_id': ModelData.get_id(
                    'aishang_cashier', 'report_receipt')})
        self.assertEqual(ext, 'pdf')
        self.assertTrue(content.startswith(b'%PDF'))
        return content

    @with_transaction()
    def test_receipt_pdf_and_reprint(self):
        "收据 with its number, amount in words and embedded CJK fonts"
        pool = Pool()
        Receipt = pool.get('property.receipt')
        company = create_company()
        with set_company(company):
            setup = setup_cashier(company)
            fee_items, methods = setup['fee_items'], setup['methods']
            project, home, owner = create_household(company)
            bills = create_bills(home, owner, fee_items['WYF'],
                ['205.85', '205.85'])
            receipt = self.collected(home, owner,
                [(bills[0], '205.85'), (bills[1], '205.85')],
                [(methods['cash'], '300.00'), (methods['wechat'], '111.70')])
            self.assertEqual(receipt.print_count, 0)

            pdf = self.print_receipts([receipt])
            text = pdf_text(pdf)
            self.assertIn('收据', text)
            self.assertIn(receipt.number, text)
            self.assertIn('肆佰壹拾壹元柒角', text)
            self.assertIn('411.70', text)
            self.assertIn('物业费', text)
            self.assertIn('2-1-301', text)
            self.assertIn(owner.name, text)
            self.assertIn('现金', text)
            self.assertIn('微信支付', text)
            self.assertNotIn('补打', text)
            self.assertNotIn('作废', text)
            fonts = pdf_fonts(pdf)
            self.assertTrue(fonts)
            self.assertTrue(all(embedded for _, embedded in fonts), fonts)
            self.assertTrue(any('CJK' in name or 'MicroHei' in name
                    for name, _ in fonts), fonts)
            self.assertEqual(Receipt(receipt.id).print_count, 1)

            text = pdf_text(self.print_receipts([receipt]))
            self.assertIn('补打', text)
            self.assertIn('第2次打印', text)
            self.assertIn(receipt.number, text)
            self.assertEqual(Receipt(receipt.id).print_count, 2)

    @with_transaction()
    def test_cashier_prints(self):
        "A cashier of the project prints; a user outside the group cannot"
        pool = Pool()
        User = pool.get('res.user')
        ModelData = pool.get('ir.model.data')
        Receipt = pool.get('property.receipt')
        company = create_company()
        with set_company(company):
            setup = setup_cashier(company)
            project, home, owner = create_household(company)
            bill, = create_bills(home, owner, setup['fee_items']['WYF'],
                ['205.85'])
            receipt = self.collected(home, owner, [(bill, '205.85')],
                [(setup['methods']['cash'], '205.85')])
            cashier, outsider = User.create([{
                        'login': login, 'name': login,
                        'companies': [('add', [company.id])],
                        'company': company.id,
                        'projects': [('add', [project.id])],
                        'groups': [('add', [
                                    ModelData.get_id(*g.split('.'))
                                    for g in groups])],
                        } for login, groups in [
                        ('cashier', ['aishang_cashier.group_cashier']),
                        ('outsider', ['aishang_billing.group_billing']),
                        ]])
        for user in [cashier, outsider]:
            with Transaction().set_user(user.id), \
                    Transaction().set_context(
                        User.get_preferences(context_only=True),
                        _check_access=True):
                if user == outsider:
                    with self.assertRaises(UserError):
                        self.print_receipts([receipt])
                else:
                    text = pdf_text(self.print_receipts([receipt]))
                    self.assertIn(receipt.number, text)
        self.assertEqual(Receipt(receipt.id).print_count, 1)

    @with_transaction()
    def test_receipt_draft_refused(self):
        "A draft receipt has no number yet: printing it is refused"
        pool = Pool()
        Receipt = pool.get('property.receipt')
        Report = pool.get('property.receipt', type='report')
        company = create_company()
        with set_company(company):
            setup = setup_cashier(company)
            project, home, owner = create_household(company)
            bill, = create_bills(home, owner, setup['fee_items']['WYF'],
                ['205.85'])
            receipt = draft_receipt(home, owner, [(bill, '205.85')],
                [(setup['methods']['cash'], '205.85')])
            with self.assertRaises(PrintError):
                Report.execute([receipt.id], {})
            self.assertEqual(Receipt(receipt.id).print_count, 0)

    @with_transaction()
    def test_report_writes(self):
        "Printing counts: the RPC call must not be read-only"
        Report = Pool().get('property.receipt', type='report')
        self.assertFalse(Report.__rpc__['execute'].readonly)

    @with_transaction()
    def test_void_receipt_watermark(self):
        "A void receipt keeps its number and prints with 作废"
        pool = Pool()
        Receipt = pool.get('property.receipt')
        company = create_company()
        with set_company(company):
            setup = setup_cashier(company)
            project, home, owner = create_household(company)
            bill, = create_bills(home, owner, setup['fee_items']['WYF'],
                ['205.85'])
            receipt = self.collected(home, owner, [(bill, '205.85')],
                [(setup['methods']['cash'], '205.85')])
            Receipt.void([receipt], "收错房号")
            text = pdf_text(self.print_receipts([Receipt(receipt.id)]))
            self.assertIn('作废', text)
            self.assertIn('收错房号', text)
            self.assertIn(receipt.number, text)

    @with_transaction()
    def test_project_layout_wins(self):
        "Project layout → company layout → the default template"
        pool = Pool()
        Layout = pool.get('property.print_layout')
        company = create_company()
        with set_company(company):
            setup = setup_cashier(company)
            project, home, owner = create_household(company)
            other, other_home, other_owner = create_household(
                company, code='LY', name="绿园", number='502')
            bill, = create_bills(home, owner, setup['fee_items']['WYF'],
                ['205.85'])
            other_bill, = create_bills(other_home, other_owner,
                setup['fee_items']['WYF'], ['99.00'])
            receipt = self.collected(home, owner, [(bill, '205.85')],
                [(setup['methods']['cash'], '205.85')])
            other_receipt = self.collected(other_home, other_owner,
                [(other_bill, '99.00')],
                [(setup['methods']['cash'], '99.00')])

            text = pdf_text(self.print_receipts([receipt]))
            self.assertIn('收款单位（盖章）', text)

            company_layout, project_layout = Layout.create([{
                        'company': company.id, 'document': 'receipt',
                        'name': "公司收据", 'paper': 'a5',
                        'template': XHTML % '<p py:for="r in receipts">'
                        '公司格式 ${r.number} ${r.record.party.name}</p>',
                        }, {
                        'company': company.id, 'project': project.id,
                        'document': 'receipt', 'name': "翠湖收据",
                        'paper': 'form_241x93',
                        'template': XHTML % '<p py:for="r in receipts">'
                        '项目格式 ${r.number} ${r.total_words}</p>',
                        }])
            text = pdf_text(self.print_receipts([receipt]))
            self.assertIn('项目格式', text)
            self.assertIn(receipt.number, text)
            self.assertIn('贰佰零伍元捌角伍分', text)
            text = pdf_text(self.print_receipts([other_receipt]))
            self.assertIn('公司格式', text)
            self.assertIn(other_owner.name, text)

            Layout.write([project_layout], {'active': False})
            text = pdf_text(self.print_receipts([receipt]))
            self.assertIn('公司格式', text)
            self.assertNotIn('项目格式', text)

            # records reach templates read only, without secrets
            Layout.write([company_layout], {
                    'template': XHTML % '<p py:for="r in receipts">'
                    '${r.record.cashier.password_hash}</p>'})
            with self.assertRaises(PrintError):
                self.print_receipts([receipt])
            Layout.write([company_layout], {
                    'template': XHTML % '<p py:for="r in receipts">'
                    '${r.record.write([r.record], {})}</p>'})
            with self.assertRaises(PrintError):
                self.print_receipts([receipt])

    @with_transaction()
    def test_layout_validation(self):
        "Broken or unsafe templates are refused on save, naming the line"
        pool = Pool()
        Layout = pool.get('property.print_layout')
        company = create_company()
        with set_company(company):
            for template, line in [
                    (XHTML % '<p>\n<b>unclosed</p>', 'line 2'),
                    (XHTML % '<p>\n\n<?python import os ?></p>', 'line 3'),
                    (XHTML % '<p py:exec="x = 1">a</p>', 'line 1'),
                    (XHTML % '<p>${record.__class__}</p>', '__class__'),
                    ]:
                with self.subTest(template=template):
                    with self.assertRaises(PrintLayoutError) as cm:
                        # inactive: the failed creations stay in the
                        # transaction but must not clash with each other
                        Layout.create([{
                                    'company': company.id,
                                    'document': 'receipt',
                                    'name': "坏格式",
                                    'active': False,
                                    'template': template}])
                    self.assertIn(line, cm.exception.message)
                    self.assertIn("坏格式", cm.exception.message)

            layout, = Layout.create([{
                        'company': company.id, 'document': 'statement',
                        'name': "对账单", 'template': XHTML % '<p>x</p>'}])
            Layout.reset_template([layout])
            self.assertEqual(
                layout.template, Layout.template_source('statement'))
            self.assertIn('业主对账单', layout.template)
            with self.assertRaises(PrintLayoutError):
                Layout.create([{
                            'company': company.id, 'document': 'statement',
                            'name': "第二个", 'template': XHTML % '<p/>'}])

            new = Layout()
            new.document = 'statement'
            new.template = Layout.template_source('receipt')
            new.on_change_document()
            self.assertEqual(new.template, Layout.template_source('statement'))
            self.assertEqual(new.paper, 'a4')

    def statement_scenario(self, company):
        """Bills, receipts, a void, a refund and a prepayment over March and
        April; see test_statement for the figures"""
        pool = Pool()
        Receipt = pool.get('property.receipt')
        Line = pool.get('property.receipt.line')
        Account = pool.get('property.owner_account')
        Refund = pool.get('property.refund')
        setup = setup_cashier(company)
        fee_items, methods = setup['fee_items'], setup['methods']
        project, home, owner = create_household(company)
        year = self.year()
        wyf = create_bills(home, owner, fee_items['WYF'], ['205.85'] * 4,
            first=dt.date(year, 1, 1))
        cwf = create_bills(home, owner, fee_items['CWF'], ['150.00'] * 2,
            first=dt.date(year, 1, 1))
        account, = Account.create([{
                    'company': company.id, 'project': project.id,
                    'party': owner.id, 'resource': home.id,
                    'kind': 'prepayment', 'fee_item': fee_items['YSK'].id}])
        cash, wechat = methods['cash'], methods['wechat']
        receipts = {}
        with self.on(2, 10):
            receipts[1] = self.collected(home, owner,
                [(wyf[0], '205.85'), (cwf[0], '150.00')],
                [(cash, '355.85')])
        with self.on(3, 5):
            draft = draft_receipt(home, owner, [(wyf[1], '200.00')],
                [(wechat, '200.00')])
            Line.write(list(draft.lines), {'discount': D('5.85')})
            Receipt.collect([draft])
            receipts[2] = Receipt(draft.id)
        with self.on(3, 20):
            receipts[3] = self.collected(home, owner,
                [(cwf[1], '150.00'), (account, '100.00')],
                [(cash, '250.00')])
        with self.on(4, 2):
            Receipt.void([receipts[3]], "收错房号")
        with self.on(4, 10):
            receipts[4] = self.collected(home, owner,
                [(wyf[2], '205.85'), (cwf[1], '150.00')],
                [(cash, '355.85')])
        with self.on(4, 15):
            refund, = Refund.create([{
                        'company': company.id, 'project': project.id,
                        'kind': 'receipt', 'receipt': receipts[4].id,
                        'party': owner.id, 'amount': D('50.00'),
                        'method': cash.id, 'reason': "多收"}])
            Refund.request([refund])
            self.assertEqual(refund.state, 'done')
        with self.on(4, 20):
            receipts[5] = self.collected(home, owner,
                [(account, '300.00')], [(cash, '300.00')])
        return home, owner, wyf, cwf, receipts

    def statement(self, company, from_date, to_date, party=None,
            resource=None):
        Report = Pool().get('property.statement', type='report')
        ext, pdf, _, _ = Report.execute([], {
                'company': company.id,
                'party': party.id if party else None,
                'resource': resource.id if resource else None,
                'from_date': from_date, 'to_date': to_date})
        self.assertEqual(ext, 'pdf')
        return pdf

    def statement_values(self, company, from_date, to_date, party=None,
            resource=None):
        from trytond.modules.aishang_cashier.statement import Statement
        return Statement(company, party, resource, from_date,
            to_date).values()

    @with_transaction()
    def test_statement(self):
        "对账单 figures against hand-computed ones"
        pool = Pool()
        Bill = pool.get('property.bill')
        company = create_company()
        with set_company(company):
            home, owner, wyf, cwf, receipts = self.statement_scenario(
                company)
            year = self.year()
            s = self.statement_values(company, dt.date(year, 3, 1),
                dt.date(year, 4, 30), party=owner)
            # opening: Jan and Feb bills (2 × 205.85 + 2 × 150.00) less the
            # 355.85 received on 02-10
            self.assertEqual(s.opening, D('355.85'))
            # billed: March and April property fees
            self.assertEqual(s.charges, D('411.70'))
            self.assertEqual(s.discounts, D('5.85'))
            # 200.00 (03-05) + 150.00 (03-20, voided 04-02) + 355.85 (04-10)
            self.assertEqual(s.payments, D('705.85'))
            self.assertEqual(s.voided, D('150.00'))
            self.assertEqual(s.refunded, D('50.00'))
            self.assertEqual(s.closing, D('255.85'))
            self.assertEqual(s.closing, sum(
                    (b.balance for b in Bill.browse(wyf + cwf)), D(0)))
            # the 50.00 refunded in proportion: 21.08 to the parking fee,
            # 28.92 to March's property fee
            self.assertEqual(
                [(b.fee_item, b.amount, b.discount, b.paid, b.balance)
                    for b in s.bills],
                [('物业费', D('205.85'), D(0), D('176.93'), D('28.92')),
                    ('物业费', D('205.85'), D(0), D(0), D('205.85'))])
            self.assertEqual(s.bills_total.balance, D('234.77'))
            self.assertEqual(
                [(r.number, r.amount, r.void) for r in s.receipts],
                [(receipts[i].number, amount, i == 3) for i, amount in [
                        (2, D('200.00')), (3, D('250.00')),
                        (4, D('355.85')), (5, D('300.00'))]])
            self.assertEqual(s.receipts_total, D('855.85'))
            self.assertEqual(
                [(r.date, r.origin, r.amount) for r in s.refunds],
                [(dt.date(year, 4, 15), receipts[4].number, D('50.00'))])
            account, = s.accounts
            self.assertEqual(
                (account.opening, account.incoming, account.outgoing,
                    account.closing),
                (D(0), D('400.00'), D('100.00'), D('300.00')))

            # January only: nothing paid yet
            s = self.statement_values(company, dt.date(year, 1, 1),
                dt.date(year, 1, 31), party=owner)
            self.assertEqual((s.opening, s.charges, s.closing),
                (D(0), D('355.85'), D('355.85')))
            self.assertEqual(s.receipts, [])
            # the resource alone gives the same figures
            s = self.statement_values(company, dt.date(year, 5, 1),
                dt.date(year, 5, 31), resource=home)
            self.assertEqual((s.opening, s.closing),
                (D('255.85'), D('255.85')))

            pdf = self.statement(company, dt.date(year, 3, 1),
                dt.date(year, 4, 30), party=owner)
            text = pdf_text(pdf)
            self.assertIn('业主对账单', text)
            self.assertIn(owner.name, text)
            for figure in ['355.85', '411.70', '705.85', '255.85',
                    '234.77', receipts[4].number, '贰佰伍拾伍元捌角伍分']:
                self.assertIn(figure, text)
            self.assertTrue(all(e for _, e in pdf_fonts(pdf)))

    @with_transaction()
    def test_statement_wizard(self):
        "A cashier runs the wizard on a party and prints its statement"
        pool = Pool()
        Wizard = pool.get('property.statement.print', type='wizard')
        Report = pool.get('property.statement', type='report')
        User = pool.get('res.user')
        ModelData = pool.get('ir.model.data')
        company = create_company()
        with set_company(company):
            setup = setup_cashier(company)
            project, home, owner = create_household(company)
            create_bills(home, owner, setup['fee_items']['WYF'], ['99.00'],
                first=dt.date(self.year(), 1, 1))
            cashier, = User.create([{
                        'login': 'cashier', 'name': "收银员",
                        'companies': [('add', [company.id])],
                        'company': company.id,
                        'projects': [('add', [project.id])],
                        'groups': [('add', [ModelData.get_id(
                                        'aishang_cashier', 'group_cashier')])],
                        }])
        with Transaction().set_user(cashier.id), \
                Transaction().set_context(
                    User.get_preferences(context_only=True),
                    _check_access=True, active_model='party.party',
                    active_id=owner.id, active_ids=[owner.id]):
            session_id, _, _ = Wizard.create()
            result = Wizard.execute(session_id, {}, 'start')
            defaults = result['view']['defaults']
            self.assertEqual(defaults['party'], owner.id)
            self.assertEqual(defaults['company'], company.id)
            start = {'company': company.id, 'party': owner.id,
                'resource': None,
                'from_date': dt.date(self.year(), 2, 1),
                'to_date': dt.date(self.year(), 1, 1)}
            with self.assertRaises(UserError):
                Wizard.execute(session_id, {'start': start}, 'print_')
            start['to_date'] = dt.date(self.year(), 12, 31)
            start['from_date'] = dt.date(self.year(), 1, 1)
            result = Wizard.execute(session_id, {'start': start}, 'print_')
            (action, data), = result['actions']
            self.assertEqual(action['report_name'], 'property.statement')
            self.assertEqual(data['party'], owner.id)
            ext, pdf, _, _ = Report.execute(
                [], {**data, 'action_id': action['id']})
        self.assertEqual(ext, 'pdf')
        text = pdf_text(pdf)
        self.assertIn('业主对账单', text)
        self.assertIn('玖拾玖元整', text)
