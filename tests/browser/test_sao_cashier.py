"""The cashier's day in Sao, end to end, in Chromium.

"A cashier in Sao finds a household, collects a mixed payment, prints a
Chinese receipt with a strict project number, and a supervisor approves a
void through two review levels; reports and accounting agree with the
bills."

Everything a user does goes through the Sao UI in Simplified Chinese; JSON-RPC
(the ``demo`` fixture) only picks the test data beforehand and checks the
database at the end:

1. the demo cashier (王芳) logs in and opens 收银员 › 收款, finds a home by
   its room code in 资源 and picks it from the completion;
2. 添加欠费账单 fills the lines with the home's open bills, oldest first;
3. two payment rows, 现金 and 微信支付, add up to the amount; 收款 gives
   the receipt the next number of the project's strict sequence
   (``CH-0000154``) and the state 已收款;
4. 打印 › 收据 downloads the PDF: its text has 收据, the number and the
   amount in 人民币大写 (checked with ``pdftotext``);
5. 申请作废 asks for the void with a reason;
6. the supervisor (张敏) approves level 1 from 审核 › 待我审核: the receipt
   is still received;
7. the finance manager (李华) approves level 2 (the amount is above the
   100 yuan of the demo policy) and finds the receipt under 收银员 › 收据
   › 已作废: it keeps its number, its bills are open again with their
   balances back, the collection report shows its lines as void and takes
   its money out of the amounts, and its void move cancels its move
   account by account.

Screenshots (test-artifacts/sao-cashier-*.png) and the receipt PDF
(test-artifacts/sao-cashier-receipt.pdf) are kept for review.
"""
import re
import shutil
import subprocess
from collections import defaultdict
from decimal import Decimal
from pathlib import Path

from playwright.sync_api import expect

ARTIFACTS = Path(__file__).resolve().parents[2] / 'test-artifacts'

CASH, WECHAT = '现金', '微信支付'
# the record rows of a list; Sao may add a 更多 (more) row to one2many lists
ROWS = 'table.tree > tbody > tr:not(.more-row)'
VOID_REASON = '浏览器测试：业主重复缴费，原收据作废'
COMMENTS = {'supervisor': '已核实，同意作废', 'finance': '财务复核通过'}


def _decimal(value):
    "A Decimal from its JSON-RPC form"
    if isinstance(value, dict):
        return Decimal(value['decimal'])
    return Decimal(str(value))


def _date(value):
    return '{year:04d}-{month:02d}-{day:02d}'.format(**value)


def _void_levels(demo):
    "The amount thresholds of the active receipt_void policy, in order"
    policy, = demo.call('admin', 'model.review.policy.search_read',
        [('operation', '=', 'receipt_void')], 0, None, None, ['levels'])
    levels = demo.call('admin', 'model.review.policy.level.search_read',
        [('id', 'in', policy['levels'])], 0, None,
        [('sequence', 'ASC'), ('id', 'ASC')], ['name', 'above_amount'])
    return [(l['name'], _decimal(l['above_amount'])
            if l['above_amount'] is not None else None) for l in levels]


def _pick_home(demo, above):
    """The home of the cashier's projects with the fewest open bills (two
    at least) whose total is above the last review threshold, and its
    bills oldest first"""
    bills = demo.call('cashier', 'model.property.bill.search_read', [
            ('state', 'in', ['open', 'partial']),
            ('resource.kind', '=', 'residence'),
            ('party', '!=', None),
            ], 0, None, [('period_start', 'ASC'), ('id', 'ASC')],
        ['number', 'resource', 'resource.code', 'resource.rec_name',
            'project', 'project.code', 'project.name', 'balance',
            'period_start', 'state'])
    by_resource = defaultdict(list)
    for bill in bills:
        by_resource[bill['resource']].append(bill)
    candidates = sorted((len(b), r) for r, b in by_resource.items()
        if len(b) >= 2 and sum(_decimal(x['balance']) for x in b) > above)
    assert candidates, "no home of the demo has two open bills above " \
        f"{above} yuan"
    return by_resource[candidates[0][1]]


def _methods(demo, project):
    "The payment methods offered in project, by name"
    methods = demo.call('cashier', 'model.property.payment_method.search_read',
        [], 0, None, None, ['name', 'kind', 'projects'])
    return {m['name']: m for m in methods
        if not m['projects'] or project in m['projects']}


def _one2many(page, label):
    "The one2many widget of the current tab labelled label"
    return page.tab.locator('.form-one2many').filter(
        has=page.page.locator('label.form-one2many-string',
            has_text=re.compile(f'^{label}$')))


def _selected(select):
    "The text of the selected option of a selection widget"
    return select.locator('option:checked')


def _add_payment(page, payments, method, amount):
    """Add a row to the editable payment list: the method picked from
    the completion, then the amount; leave the row by clicking the
    list's title"""
    rows = payments.locator(ROWS)
    count = rows.count()
    payments.locator('.form-one2many-toolbar button[title=新建]').click()
    expect(rows).to_have_count(count + 1)
    row = rows.nth(count)
    cell = row.locator('td[data-title^=支付方式]')
    cell.click()
    method_input = cell.locator('input:visible')
    expect(method_input, "the 支付方式 of a new 付款 row must be editable"
        ).to_be_editable()
    method_input.press_sequentially(method, delay=30)
    choice = row.locator('li.completion').filter(
        has_text=re.compile(f'^{method}$'))
    expect(choice).to_have_count(1)
    choice.click()
    expect(method_input).to_have_value(method)
    cell = row.locator('td[data-title^=金额]')
    cell.click()
    amount_input = cell.locator('input:visible')
    expect(amount_input).to_be_editable()
    amount_input.fill(str(amount))
    amount_input.press('Tab')
    payments.locator('label.form-one2many-string').click()
    expect(row.locator('td[data-title^=支付方式]')).to_contain_text(method)
    expect(row.locator('td[data-title^=金额]')).to_contain_text(
        f'{amount:,.2f}')


def _pdf_text(path):
    assert shutil.which('pdftotext'), "pdftotext is missing: " \
        "apt-get install -y poppler-utils"
    return subprocess.run(['pdftotext', '-layout', str(path), '-'],
        check=True, capture_output=True, text=True, timeout=60).stdout


def _approve(page, login, number, level, screenshot):
    """As login: 审核 › 待我审核, open the void request of receipt number
    and approve it with a comment"""
    page.login(login)
    page.open_menu('审核', '待我审核')
    row = page.tab.locator(ROWS).filter(has_text=number)
    expect(row).to_have_count(1)
    expect(row.locator('td[data-title^=当前级别]')).to_have_text(str(level))
    page.screenshot(f'{screenshot}-worklist')
    row.locator('td[data-title^=摘要]').dblclick()
    form = page.tab
    expect(form.locator('input[name=description]')).to_have_value(
        re.compile(re.escape(number)))
    expect(_selected(form.locator('select[name=state]'))).to_have_text(
        '待审核')
    approve = form.locator('button[name=decide_approve]')
    expect(approve).to_have_text(re.compile('通过'))
    approve.click()

    dialog = page.page.locator('.modal-dialog').filter(
        has=page.page.locator('textarea[name=comment]'))
    expect(dialog).to_be_visible()
    expect(_selected(dialog.locator('select[name=decision]'))).to_have_text(
        '通过')
    comment = dialog.locator('textarea[name=comment]')
    comment.fill(COMMENTS[login])
    # Leaving the comment redisplays the dialog and Sao rebuilds the
    # options of 审核结论 (sorted: 驳回 first) before selecting the value
    # again; 确认 clicked in between would send 驳回 (see docs/cashier.md)
    comment.press('Tab')
    expect(_selected(dialog.locator('select[name=decision]'))).to_have_text(
        '通过')
    page.screenshot(f'{screenshot}-approve')
    dialog.locator('.modal-footer button').filter(has_text='确认').click()
    expect(dialog).to_have_count(0)


def _collected_today(demo, project, cashier):
    """(receipts, amount, void amount) of the collection summary per
    project (收款汇总) for today's receipts of cashier"""
    today = demo.call('admin', 'model.ir.date.today')
    rows = demo.call('admin', 'model.property.collection.summary.project'
        '.search_read', [('project', '=', project)], 0, None, None,
        ['receipt_count', 'amount', 'void_amount'],
        context={'project': project, 'cashier': cashier,
            'from_date': today, 'to_date': today})
    if not rows:
        return 0, Decimal(0), Decimal(0)
    row, = rows
    return (row['receipt_count'], _decimal(row['amount']),
        _decimal(row['void_amount']))


def _move_amounts(demo, move_id):
    "{account id: debit - credit} of a move"
    lines = demo.call('admin', 'model.account.move.line.search_read',
        [('move', '=', move_id)], 0, None, None,
        ['account', 'debit', 'credit'])
    assert lines, f"move {move_id} has no line"
    amounts = defaultdict(Decimal)
    for line in lines:
        amounts[line['account']] += (
            _decimal(line['debit']) - _decimal(line['credit']))
    return amounts


def test_cashier_collects_prints_and_voids_through_two_reviews(demo, sao):
    # --- test data, looked up by RPC --------------------------------------
    levels = _void_levels(demo)
    assert len(levels) == 2, levels
    threshold = levels[-1][1]
    assert threshold is not None, levels
    bills = _pick_home(demo, threshold)
    home = bills[0]['resource.']
    project = bills[0]['project.']
    total = sum(_decimal(b['balance']) for b in bills)
    balances = {b['id']: _decimal(b['balance']) for b in bills}
    methods = _methods(demo, bills[0]['project'])
    assert {CASH, WECHAT} <= set(methods), methods
    cash = Decimal(int(total / 2))
    wechat = total - cash
    cashier_id, = demo.call('admin', 'model.res.user.search',
        [('login', '=', 'cashier')], 0, None, None)
    summary_before = _collected_today(demo, bills[0]['project'], cashier_id)
    receipts_before = demo.call('admin', 'model.property.receipt.search',
        [('project', '=', bills[0]['project']), ('number', '!=', None)],
        0, None, None)

    page = sao('sao-cashier')
    try:
        # --- 1. the cashier logs in ---------------------------------------
        page.goto()
        page.login('cashier', screenshot='login')
        assert '王芳' in page.user_name()

        # --- 2. 收银员 › 收款: a new receipt; find the home ------------------
        page.open_menu('收银员', '收款')
        form = page.tab
        expect(form.locator('input[name=date][type=text]')).not_to_have_value(
            '')
        expect(_selected(form.locator('select[name=state]'))).to_have_text(
            '草稿')
        # Sao displays the record again once the lists of the form have
        # their views: typing before that would be wiped out
        for label, column in [('明细', '账单'), ('付款', '支付方式')]:
            expect(_one2many(page, label).locator('th').filter(
                    has_text=re.compile(f'^{column}$'))).to_be_visible()
        resource = form.locator('input[name=resource]')
        expect(resource).to_be_editable()
        resource.click()
        resource.press_sequentially(home['code'], delay=50)
        expect(resource).to_have_value(home['code'])
        choice = form.locator('.form-many2one li.completion').filter(
            has_text=re.compile(f"^{re.escape(home['rec_name'])}$"))
        expect(choice).to_have_count(1)
        page.screenshot('1-find-home')
        choice.click()
        expect(resource).to_have_value(home['rec_name'])
        expect(form.locator('input[name=project]')).to_have_value(
            project['name'])
        expect(form.locator('input[name=party]')).not_to_have_value('')

        # --- 3. 添加欠费账单: the open bills, oldest first -------------------
        add_bills = form.locator('button[name=add_open_bills]')
        expect(add_bills).to_have_text(re.compile('添加欠费账单'))
        expect(add_bills).to_be_enabled()
        add_bills.click()
        lines = _one2many(page, '明细').locator(ROWS)
        expect(lines).to_have_count(len(bills))
        numbers = lines.locator('td[data-title^=账单]').all_inner_texts()
        starts = lines.locator('td[data-title^=计费起]').all_inner_texts()
        assert sorted(n.strip() for n in numbers) == sorted(
            b['number'] for b in bills)
        assert [s.strip() for s in starts] == sorted(
            _date(b['period_start']) for b in bills)
        expect(form.locator('input[name=amount][type=text]')).to_have_value(
            f'{total:,.2f}')
        page.screenshot('2-open-bills')

        # --- 4. mixed payment, then 收款 ------------------------------------
        payments = _one2many(page, '付款')
        _add_payment(page, payments, CASH, cash)
        _add_payment(page, payments, WECHAT, wechat)
        page.screenshot('3-payments')
        collect = form.locator('button[name=collect]')
        expect(collect).to_have_text(re.compile('收款'))
        collect.click()
        number_input = form.locator('input[name=number]')
        expect(number_input).to_have_value(
            re.compile(rf"^{re.escape(project['code'])}-\d{{7}}$"))
        number = number_input.input_value()
        expect(_selected(form.locator('select[name=state]'))).to_have_text(
            '已收款')
        expect(form.locator('input[name=paid][type=text]')).to_have_value(
            f'{total:,.2f}')
        expect(form.locator('button[name=collect]')).to_be_hidden()
        page.screenshot('4-collected')

        receipt, = demo.call('cashier', 'model.property.receipt.search_read',
            [('number', '=', number)], 0, None, None,
            ['state', 'total', 'paid', 'payments', 'move', 'project',
                'cashier.login'])
        assert receipt['state'] == 'done'
        assert _decimal(receipt['total']) == total
        assert receipt['cashier.']['login'] == 'cashier'
        # strict sequence: the number follows the last one of the project
        previous = demo.call('admin', 'model.property.receipt.read',
            receipts_before, ['number'])
        last = max(int(r['number'].rsplit('-', 1)[1]) for r in previous)
        assert number == f"{project['code']}-{last + 1:07d}"
        paid = demo.call('cashier', 'model.property.receipt.payment.read',
            receipt['payments'], ['method.name', 'amount'])
        assert sorted((p['method.']['name'], _decimal(p['amount']))
            for p in paid) == sorted([(CASH, cash), (WECHAT, wechat)])
        for bill in demo.call('cashier', 'model.property.bill.read',
                list(balances), ['state', 'balance']):
            assert bill['state'] == 'paid', bill
            assert _decimal(bill['balance']) == 0, bill
        count, amount, voided = _collected_today(
            demo, bills[0]['project'], cashier_id)
        assert (count, amount, voided) == (summary_before[0] + 1,
            summary_before[1] + total, summary_before[2])

        # --- 5. 打印 › 收据: the PDF ----------------------------------------
        form.locator('button#print').click()
        report = form.locator('ul.dropdown-menu[aria-labelledby=print] '
            'a[role=menuitem]').filter(has_text=re.compile('^收据$'))
        expect(report).to_be_visible()
        page.screenshot('5-print-menu')
        # Sao shows a 下载 dialog whose link it clicks itself
        with page.page.expect_download() as download_info:
            report.click()
        download = download_info.value
        assert download.suggested_filename.endswith('.pdf'), \
            download.suggested_filename
        pdf = ARTIFACTS / 'sao-cashier-receipt.pdf'
        download.save_as(str(pdf))
        assert pdf.read_bytes().startswith(b'%PDF-')
        text = _pdf_text(pdf)
        from trytond.modules.aishang_cashier.amount_words import (
            amount_in_words)
        words = amount_in_words(total)
        assert '收据' in text
        assert number in text
        assert words in re.sub(r'\s+', '', text), (words, text)
        assert project['name'] in text
        assert f'¥{total:,.2f}' in text, text
        assert f'{CASH} ¥{cash:,.2f}' in text, text
        assert f'{WECHAT} ¥{wechat:,.2f}' in text, text
        assert home['code'] in text

        # --- 6. 申请作废 ----------------------------------------------------
        request_void = form.locator('button[name=request_void]')
        expect(request_void).to_have_text(re.compile('申请作废'))
        request_void.click()
        dialog = page.page.locator('.modal-dialog').filter(
            has=page.page.locator('textarea[name=reason]'))
        expect(dialog).to_be_visible()
        dialog.locator('textarea[name=reason]').fill(VOID_REASON)
        page.screenshot('6-request-void')
        dialog.locator('.modal-footer button').filter(
            has_text='申请作废').click()
        expect(dialog).to_have_count(0)
        target = f"property.receipt,{receipt['id']}"
        request, = demo.call('admin', 'model.review.request.search_read',
            [('target', '=', target)], 0, None, None,
            ['state', 'current_level', 'levels_required', 'amount',
                'reason', 'requester.login'])
        assert request['state'] == 'pending', request
        assert request['levels_required'] == 2, request
        assert request['current_level'] == 1, request
        assert request['reason'] == VOID_REASON
        assert request['requester.']['login'] == 'cashier'
        assert _decimal(request['amount']) == total
        page.logout()

        # --- 7. level 1: the supervisor -----------------------------------
        _approve(page, 'supervisor', number, 1, '7-supervisor')
        request, = demo.call('admin', 'model.review.request.read',
            [request['id']], ['state', 'current_level'])
        assert (request['state'], request['current_level']) == (
            'pending', 2), request
        expect(_selected(page.tab.locator('select[name=state]'))
            ).to_have_text('待审核')
        expect(page.tab.locator('input[name=current_level][type=text]')
            ).to_have_value('2')
        page.screenshot('7-supervisor-approved')
        state, = demo.call('admin', 'model.property.receipt.read',
            [receipt['id']], ['state'])
        assert state['state'] == 'done', "one level must not void"
        page.logout()

        # --- 8. level 2: the finance manager ------------------------------
        _approve(page, 'finance', number, 2, '8-finance')
        expect(_selected(page.tab.locator('select[name=state]'))
            ).to_have_text('已通过')
        page.screenshot('8-finance-approved')

        # the receipt as Sao shows it now: under 收银员 › 收据 › 已作废
        page.open_menu('收银员', '收据')
        page.tab.locator('.nav-tabs a').filter(
            has_text=re.compile(r'^\s*已作废')).click()
        row = page.tab.locator(ROWS).filter(has_text=number)
        expect(row).to_have_count(1)
        expect(row).to_contain_text('已作废')
        page.screenshot('9-void-list')
        row.locator('td[data-title^=编号]').dblclick()
        expect(page.tab.locator('input[name=number]')).to_have_value(number)
        state = page.tab.locator('select[name=state]')
        expect(_selected(state)).to_have_text('已作废')
        state.scroll_into_view_if_needed()
        page.screenshot('9-void-receipt')
        page.tab.locator('.nav-tabs a').filter(
            has_text=re.compile(r'^\s*其他\s*$')).click()
        expect(page.tab.locator('textarea[name=void_reason]')).to_have_value(
            VOID_REASON)
        expect(page.tab.locator('input[name=void_date][type=text]')
            ).not_to_have_value('')
        # printed once: a later print would say 补打
        expect(page.tab.locator('input[name=print_count][type=text]')
            ).to_have_value('1')
        page.screenshot('9-void-other')
        assert not page.errors, page.errors
    except Exception as error:
        page.screenshot('failure', settle=0)
        if page.errors:
            raise AssertionError(
                f"JavaScript errors in Sao: {page.errors}") from error
        raise

    # --- final assertions by RPC --------------------------------------------
    request, = demo.call('admin', 'model.review.request.read',
        [request['id']], ['state', 'current_level'])
    assert request['state'] == 'approved', request
    receipt, = demo.call('admin', 'model.property.receipt.read',
        [receipt['id']], ['state', 'number', 'move', 'void_move',
            'void_reason', 'total', 'print_count'])
    assert receipt['state'] == 'void', receipt
    assert receipt['number'] == number, "a void receipt keeps its number"
    assert receipt['void_reason'] == VOID_REASON
    assert receipt['print_count'] == 1
    # the bills are open again with their balances back
    for bill in demo.call('admin', 'model.property.bill.read',
            list(balances), ['number', 'state', 'balance']):
        assert bill['state'] in {'open', 'partial'}, bill
        assert _decimal(bill['balance']) == balances[bill['id']], bill
    # reports: the collection detail keeps the lines as void, the summary
    # takes the money out of the amounts and shows it as voided
    details = demo.call('admin', 'model.property.collection.detail'
        '.search_read', [('receipt', '=', receipt['id'])], 0, None, None,
        ['bill', 'amount', 'state', 'mixed', 'method'])
    assert sorted(d['bill'] for d in details) == sorted(balances)
    assert {(d['state'], d['mixed'], d['method']) for d in details} == {
        ('void', True, None)}, details
    assert sum(_decimal(d['amount']) for d in details) == total
    assert _collected_today(demo, bills[0]['project'], cashier_id) == (
        summary_before[0], summary_before[1], summary_before[2] + total)
    # accounting: the void move cancels the receipt move account by account
    assert receipt['move'] and receipt['void_move'], receipt
    assert receipt['move'] != receipt['void_move']
    moved = _move_amounts(demo, receipt['move'])
    voided = _move_amounts(demo, receipt['void_move'])
    assert sum(moved.values()) == 0 and sum(voided.values()) == 0
    assert sum(v for v in moved.values() if v > 0) == total
    assert set(moved) == set(voided)
    for account, amount in moved.items():
        assert voided[account] == -amount, (account, amount, voided)
