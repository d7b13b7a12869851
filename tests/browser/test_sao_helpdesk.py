"""A repair ticket's life in Sao, end to end, in Chromium.

"In Sao, customer service receives, classifies and dispatches a repair;
the technician accepts, schedules, completes with photos and a charge; the
bill appears; customer service calls back; statistics show it. Steps
switched off for suggestions are skipped."

Everything a user does goes through the Sao UI in Simplified Chinese;
JSON-RPC (the ``demo`` fixture) only picks the test data beforehand and
checks the database:

1. customer service (陈晓, login ``service``) opens 服务工单 › 工单, enters a
   new 报事报修 ticket for a demo owner's home (project, resource, the
   reporter filled from the owner), classifies it (分类 水电维修, 紧急程度
   紧急), saves it, 受理 (accepts) it and 派单 (dispatches) it to the
   technician of the ``tech`` login (王建军) in the dispatch wizard;
2. the technician logs in: his ticket list shows only his tickets; he
   接单 (takes) it and proposes a visit time (预约上门); the owner agrees
   on the phone with customer service, who 确认预约 (confirms) it in a
   second browser; the technician 开始处理 (starts), adds a labour and a
   material line, attaches a photo with Sao's paper clip and 完工
   (completes);
3. the repair is billed to the owner: a temporary bill of the hand
   computed amount (each line rounded to the fen half up), the photo is a
   completion photo of the ticket;
4. customer service 关单 (closes) and 回访 (calls back, rating 5): the
   ticket is 已回访 and its history lists every step with its user;
5. a suggestion (建议) entered by customer service skips the steps the
   demo company switched off for suggestions: accepted, it goes straight
   to 处理中 with the skipped steps logged as automatic, and the form
   offers no 派单, 接单 or 开始处理;
6. the helpdesk supervisor (张敏) opens 统计 › 工单分类统计: the rows of
   水电维修 and 社区建议 count the two new tickets.

Screenshots (test-artifacts/sao-helpdesk-*.png) are kept for review.
"""
import datetime as dt
import re
from decimal import ROUND_HALF_UP, Decimal

from playwright.sync_api import expect

# the record rows of a list; Sao may add a 更多 (more) row to one2many lists
ROWS = 'table.tree > tbody > tr:not(.more-row)'
REPAIR_CATEGORY = 'SD'      # 水电维修, a private repair of the 工程维修组
SUGGESTION_CATEGORY = 'JY'  # 社区建议
TITLE = '浏览器测试：厨房角阀漏水'
DESCRIPTION = '厨房水槽下角阀漏水，地面有积水，请尽快上门。'
DISPATCH_NOTE = '业主下午在家，请带角阀备件'
APPOINTMENT_NOTE = '业主要求下午上门'
RESULT = '更换角阀一个，试水无渗漏'
# kind (人工/材料), description, quantity, unit, unit price (yuan)
LINES = [
    ('人工', '上门维修', '1', '次', '50.00'),
    ('材料', '角阀 DN15', '1.5', '个', '12.35'),
    ]
PHOTO_NAME = 'sao-helpdesk-completion.png'
PNG = bytes.fromhex(
    '89504e470d0a1a0a0000000d4948445200000001000000010806000000'
    '1f15c4890000000d49444154789c6360f8cfc0f01f0005000201a8'
    '3d7a1a0000000049454e44ae426082')
CALLBACK_COMMENT = '师傅准时上门，处理得很好'
SUGGESTION_TITLE = '浏览器测试：建议增设电动车充电桩'
OPTIONAL_STEPS = ['accept', 'dispatch', 'take', 'start', 'complete', 'close',
    'callback']
STATE_STRINGS = {
    'pending': '待受理', 'accepted': '已受理', 'dispatched': '已派单',
    'taken': '已接单', 'processing': '处理中', 'done': '已完成',
    'closed': '已关单', 'visited': '已回访',
    }
STATISTICS = ['created', 'cancelled', 'open_count', 'completed', 'rated',
    'rating_total']


def _decimal(value):
    "A Decimal from its JSON-RPC form"
    if isinstance(value, dict):
        return Decimal(value['decimal'])
    return Decimal(str(value))


def _selected(select):
    "The text of the selected option of a selection widget"
    return select.locator('option:checked')


def _fen(amount):
    return amount.quantize(Decimal('0.01'), rounding=ROUND_HALF_UP)


def _pick(scope, name, typed, choice):
    """Type typed into the many2one name of scope and pick choice from its
    completion"""
    entry = scope.locator(f'input[name={name}]')
    expect(entry).to_be_editable()
    entry.click()
    entry.press_sequentially(typed, delay=50)
    option = scope.locator('li.completion').filter(
        has_text=re.compile(f'^{re.escape(choice)}$'))
    expect(option).to_have_count(1)
    option.click()
    expect(entry).to_have_value(choice)


def _one2many(form, label):
    "The one2many (or many2many) widget of form labelled label"
    return form.locator('.form-one2many, .form-many2many').filter(
        has=form.page.locator(
            'label.form-one2many-string, label.form-many2many-string',
            has_text=re.compile(f'^{label}$')))


def _notebook_page(page, title):
    page.tab.locator('.nav-tabs a').filter(
        has_text=re.compile(rf'^\s*{title}\s*$')).click()


def _expect_state(page, state):
    expect(_selected(page.tab.locator('select[name=state]'))).to_have_text(
        STATE_STRINGS[state])


def _button(page, name, label):
    button = page.tab.locator(f'button[name={name}]')
    expect(button).to_be_visible()
    expect(button).to_have_text(re.compile(label))
    return button


def _dialog(page, field):
    "The modal dialog holding the field name"
    return page.page.locator('.modal-dialog').filter(
        has=page.page.locator(f'[name={field}]'))


def _rpc_error(response):
    "The error of a JSON-RPC response of Sao, None when it succeeded"
    return response.json().get('error')


def _open_dispatch(page):
    """派单: open the dispatch wizard; the team proposed by default fills the
    workload list (on_change of the team) without an error"""
    with page.page.expect_response(lambda response: '"model.helpdesk.ticket'
            '.dispatch.start.on_change"' in (response.request.post_data
                or '')) as on_change:
        _button(page, 'dispatch_wizard', '派单').click()
    assert _rpc_error(on_change.value) is None, (
        "opening 派单 fails: " + str(_rpc_error(on_change.value)))
    dialog = _dialog(page, 'note')
    expect(dialog).to_be_visible()
    expect(page.page.locator('.error-dialog')).to_have_count(0)
    # Sao displays the wizard again once its list is filled: typing
    # before that would be wiped out
    expect(dialog.locator(ROWS).first).to_be_visible()
    _quiet(page)
    return dialog


def _add_lines(page, form, amounts):
    """Type LINES in the editable list 费用明细 of the ticket form"""
    lines = _one2many(form, '费用明细')
    rows = lines.locator(ROWS)
    for i, (kind, description, quantity, unit, price) in enumerate(
            LINES):
        lines.locator('.form-one2many-toolbar button[title=新建]'
            ).click()
        expect(rows).to_have_count(i + 1)
        row = rows.nth(i)
        cell = row.locator('td[data-title^=类型]')
        cell.click()
        select = cell.locator('select:visible')
        expect(select, "a new line of 费用明细 must be editable"
            ).to_be_enabled()
        select.select_option(label=kind)
        for title, value in [('描述', description), ('数量', quantity),
                ('单位', unit), ('单价', price)]:
            cell = row.locator(f'td[data-title^={title}]')
            cell.click()
            entry = cell.locator('input:visible')
            expect(entry).to_be_editable()
            entry.fill(value)
            entry.press('Tab')
        lines.locator('label.form-one2many-string').click()
        expect(row.locator('td[data-title^=金额]')).to_have_text(
            f'{amounts[i]:,.2f}')
        # a labour or material line of a home is charged to the owner
        expect(row.locator('td[data-title^=向业主收费] input')
            ).to_be_checked()


def _ticket(demo, number, fields):
    ticket, = demo.call('admin', 'model.helpdesk.ticket.search_read',
        [('number', '=', number)], 0, None, None, fields)
    return ticket


def _list_tab(page, title):
    """Show the tab title of the ticket list; waits for its search"""
    link = page.tab.locator('.nav-tabs a').filter(
        has_text=re.compile(rf'^\s*{title}'))
    expect(link).to_have_count(1)
    if page.tab.locator('.nav-tabs li.active').filter(has=link).count():
        return  # shown since the list was opened: no stale rows
    with page.page.expect_response(lambda response: '"model.helpdesk.ticket'
            '.search' in (response.request.post_data or '')):
        link.click()
    expect(page.tab.locator('.nav-tabs li.active')).to_contain_text(title)


def _track_rpc(page):
    "Count the JSON-RPC calls of page still running (see _quiet)"
    page.rpc_running = set()
    page.page.on('request', lambda request: page.rpc_running.add(request)
        if '/rpc/' in request.url else None)
    for event in ['requestfinished', 'requestfailed']:
        page.page.on(event, lambda request: page.rpc_running.discard(
                request))


def _quiet(page, calm=400):
    """Wait until no JSON-RPC call of page has run for calm ms: a list that
    Sao loads again (the counted tabs, the search) is complete"""
    page.page.wait_for_timeout(100)
    idle = 0
    for _ in range(300):
        page.page.wait_for_timeout(50)
        idle = 0 if page.rpc_running else idle + 50
        if idle >= calm:
            return
    raise AssertionError(f"Sao calls still running: {page.rpc_running}")


def _new_ticket(page):
    "服务工单 › 工单, 新建: the form of a new ticket"
    page.open_menu('服务工单', '工单')
    expect(page.tab.locator(ROWS).first).to_be_visible()
    _quiet(page)
    page.tab.locator('button#new_').click()
    form = page.tab
    expect(_selected(form.locator('select[name=state]'))).to_have_text(
        '待受理')
    expect(form.locator('input[name=number]')).to_have_value('')
    return form


def _check_skipped_buttons(page, buttons):
    """The buttons {name: label} of steps switched off (and of the
    technician's steps of a ticket dispatched to nobody) are not shown"""
    shown = [label for name, label in buttons.items()
        if page.tab.locator(f'button[name={name}]').is_visible()]
    assert not shown, f"the form shows {shown} for a step switched off"


def _open_ticket(page, number, tab):
    """服务工单 › 工单, tab: open the ticket number"""
    page.open_menu('服务工单', '工单')
    _list_tab(page, tab)
    row = page.tab.locator(ROWS).filter(has_text=number)
    expect(row).to_have_count(1)
    _quiet(page)
    row.locator('td[data-title^=工单号]').dblclick()
    expect(page.tab.locator('input[name=number]')).to_have_value(number)


def _settings(demo, kind):
    "The optional steps switched on for kind in the demo company"
    setting, = demo.call('admin', 'model.helpdesk.kind.setting.search_read',
        [('kind', '=', kind)], 0, None, None,
        [f'step_{s}' for s in OPTIONAL_STEPS])
    enabled = {s for s in OPTIONAL_STEPS if setting[f'step_{s}']}
    if 'dispatch' not in enabled:
        enabled.discard('take')  # nobody takes what was never dispatched
    return enabled


def _statistics(demo, category):
    "The figures of category in 工单分类统计 for the supervisor, default dates"
    context = demo.call('supervisor',
        'model.helpdesk.statistics.context.default_get',
        ['company', 'from_date', 'to_date'], False)
    rows = demo.call('supervisor',
        'model.helpdesk.statistics.category.search_read',
        [('category', '=', category)], 0, None, None, STATISTICS,
        context=context)
    if not rows:
        return dict.fromkeys(STATISTICS, 0)
    row, = rows
    return {k: row[k] or 0 for k in STATISTICS}


def test_repair_from_report_to_callback_and_statistics(demo, sao, tmp_path):
    # --- test data, looked up by RPC --------------------------------------
    employee = demo.preferences('tech')['employee']
    assert employee, "the tech login must have a current employee"
    technician, = demo.call('admin', 'model.company.employee.read',
        [employee], ['rec_name'])
    workload, = demo.call('service',
        'model.helpdesk.technician.workload.search_read',
        [('employee', '=', employee)], 0, None, None, ['rec_name'])
    repair, = demo.call('admin', 'model.helpdesk.category.search_read',
        [('code', '=', REPAIR_CATEGORY)], 0, None, None,
        ['rec_name', 'name', 'team.name'])
    suggestion, = demo.call('admin', 'model.helpdesk.category.search_read',
        [('code', '=', SUGGESTION_CATEGORY)], 0, None, None,
        ['rec_name', 'name'])
    home = demo.call('service', 'model.property.resource.search_read', [
            ('kind', '=', 'residence'), ('ownerships', '!=', None)],
        0, 1, [('id', 'ASC')], ['code', 'rec_name', 'owners', 'project',
            'project.rec_name'])[0]
    owner, = demo.call('admin', 'model.party.party.read', [home['owners'][0]],
        ['rec_name'])
    repair_before = _statistics(demo, repair['id'])
    suggestion_before = _statistics(demo, suggestion['id'])
    bills_before = demo.call('admin', 'model.property.bill.search',
        [('party', '=', owner['id'])], 0, None, None)
    amounts = [_fen(Decimal(q) * Decimal(p)) for _, _, q, _, p in LINES]
    total = sum(amounts)
    assert total == Decimal('68.53')  # 1.5 × 12.35 = 18.525 → 18.53
    photo = tmp_path / PHOTO_NAME
    photo.write_bytes(PNG)

    page = sao('sao-helpdesk')
    _track_rpc(page)
    other = None
    try:
        # --- 1. customer service enters, classifies, accepts, dispatches --
        page.goto()
        page.login('service')
        form = _new_ticket(page)
        expect(_selected(form.locator('select[name=kind]'))).to_have_text(
            '报事报修')
        expect(_selected(form.locator('select[name=area]'))).to_have_text(
            '户内')
        _pick(form, 'project', home['project.']['rec_name'],
            home['project.']['rec_name'])
        _pick(form, 'resource', home['code'], home['rec_name'])
        # the reporter and the contact come from the owner of the home
        expect(form.locator('input[name=reporter]')).to_have_value(
            owner['rec_name'])
        expect(form.locator('input[name=contact_name]')).to_have_value(
            owner['rec_name'])
        form.locator('input[name=title]').fill(TITLE)
        form.locator('textarea[name=description]').fill(DESCRIPTION)
        # classify: the category gives the urgency, raised by hand
        _pick(form, 'category', repair['name'], repair['rec_name'])
        expect(_selected(form.locator('select[name=urgency]'))).to_have_text(
            '普通')
        form.locator('select[name=urgency]').select_option(label='紧急')
        page.screenshot('1-new-ticket')
        form.locator('button#save').click()
        number_input = form.locator('input[name=number]')
        expect(number_input).to_have_value(re.compile(r'^GD-\d{6}$'))
        number = number_input.input_value()
        _expect_state(page, 'pending')
        # 受理
        _button(page, 'accept', '受理').click()
        _expect_state(page, 'accepted')
        expect(form.locator('button[name=accept]')).to_be_hidden()
        # 派单: the wizard proposes the team of the category
        dialog = _open_dispatch(page)
        expect(dialog.locator('input[name=team]')).to_have_value(
            repair['team.']['name'])
        _pick(dialog, 'technician', technician['rec_name'],
            workload['rec_name'])
        dialog.locator('textarea[name=note]').fill(DISPATCH_NOTE)
        page.screenshot('2-dispatch')
        dialog.locator('.modal-footer button').filter(
            has_text='派单').click()
        expect(dialog).to_have_count(0)
        _expect_state(page, 'dispatched')
        _notebook_page(page, '处理')
        expect(form.locator('input[name=technician]')).to_have_value(
            technician['rec_name'])
        page.screenshot('3-dispatched')
        ticket = _ticket(demo, number, ['state', 'category', 'urgency',
                'technician', 'reporter', 'resource', 'team'])
        assert (ticket['state'], ticket['category'], ticket['urgency'],
            ticket['technician'], ticket['reporter'], ticket['resource']) \
            == ('dispatched', repair['id'], 'high', employee, owner['id'],
                home['id']), ticket
        page.logout()

        # --- 2. the technician: take, appointment, start, lines, photo ----
        page.login('tech')
        assert technician['rec_name'] in page.user_name()
        page.open_menu('服务工单', '工单')
        _list_tab(page, '全部')
        _list_tab(page, '未完成')
        rows = page.tab.locator(ROWS)
        expect(rows.filter(has_text=number)).to_have_count(1)
        # only his own open tickets
        own = demo.call('admin', 'model.helpdesk.ticket.search_count', [
                ('technician', '=', employee),
                ('state', 'in', ['pending', 'accepted', 'dispatched',
                        'taken', 'processing', 'reopened']),
                ])
        expect(rows).to_have_count(own)
        technicians = rows.locator('td[data-title^=维修人员]')
        expect(technicians).to_have_text([technician['rec_name']] * own)
        page.screenshot('4-tech-list')
        _quiet(page)
        rows.filter(has_text=number).locator(
            'td[data-title^=工单号]').dblclick()
        form = page.tab
        expect(form.locator('input[name=number]')).to_have_value(number)
        _expect_state(page, 'dispatched')
        # 接单
        _button(page, 'take', '接单').click()
        _expect_state(page, 'taken')
        # 预约上门: proposed by the technician, to be agreed by the owner
        visit = (dt.datetime.now() + dt.timedelta(days=1)).replace(
            hour=14, minute=30, second=0, microsecond=0)
        visit_text = visit.strftime('%Y-%m-%d %H:%M:%S')
        _button(page, 'appointment_wizard', '预约上门').click()
        dialog = _dialog(page, 'confirmed')
        expect(dialog).to_be_visible()
        when = dialog.locator('input[name=appointment][type=text]')
        when.fill(visit_text)
        when.press('Tab')
        dialog.locator('input[name=note]').fill(APPOINTMENT_NOTE)
        page.screenshot('5-appointment')
        dialog.locator('.modal-footer button').filter(
            has_text='保存').click()
        expect(dialog).to_have_count(0)
        _notebook_page(page, '处理')
        expect(_selected(form.locator('select[name=appointment_state]'))
            ).to_have_text('待确认')
        expect(_selected(form.locator('select[name=appointment_by]'))
            ).to_have_text('维修人员')
        expect(form.locator('input[name=appointment][type=text]')
            ).to_have_value(visit_text)

        # the owner agrees on the phone: customer service confirms
        other = sao('sao-helpdesk-service')
        _track_rpc(other)
        other.goto()
        other.login('service')
        _open_ticket(other, number, '未完成')
        _notebook_page(other, '处理')
        expect(_selected(other.tab.locator('select[name=appointment_state]'))
            ).to_have_text('待确认')
        _button(other, 'confirm_appointment', '确认预约').click()
        expect(_selected(other.tab.locator('select[name=appointment_state]'))
            ).to_have_text('已确认')
        other.screenshot('6-appointment-confirmed')
        other.close()
        other = None

        # back to the technician: he sees the confirmation and starts
        form.locator('button#reload').click()
        expect(_selected(form.locator('select[name=appointment_state]'))
            ).to_have_text('已确认')
        expect(form.locator('button[name=confirm_appointment]')
            ).to_be_hidden()
        _button(page, 'start', '开始处理').click()
        _expect_state(page, 'processing')

        # the lines: labour and material, charged to the owner
        _add_lines(page, form, amounts)
        result = form.locator('textarea[name=result]')
        result.fill(RESULT)
        result.press('Tab')
        form.locator('button#save').click()
        expect(form.locator('input[name=charge_total][type=text]')
            ).to_have_value(f'{total:,.2f}')
        page.screenshot('7-lines')

        # the photo, with Sao's paper clip › 添加...
        attach = form.locator('button#attach')
        attach.click()
        file_input = form.locator('li.input-file input[type=file]')
        expect(file_input).to_have_count(1)
        file_input.set_input_files(str(photo))
        dialog = page.page.locator('.modal-dialog').filter(
            has_text='附件')
        expect(dialog).to_be_visible()
        expect(dialog.locator(ROWS).filter(has_text=PHOTO_NAME)
            ).to_have_count(1)
        page.screenshot('8-attachment')
        dialog.locator('.modal-footer button').filter(
            has_text=re.compile('确定|关闭')).first.click()
        expect(dialog).to_have_count(0)
        expect(attach.locator('.badge')).to_have_text('1')

        # 完工, confirmed: the repair is billed
        _button(page, 'complete', '完工').click()
        confirm = page.page.locator('.modal-dialog').filter(
            has_text='确认完工')
        expect(confirm).to_be_visible()
        confirm.locator('.modal-footer button').filter(
            has_text='确定').click()
        _expect_state(page, 'done')
        expect(form.locator('input[name=bill_number]')).not_to_have_value('')
        expect(_one2many(form, '完工照片').locator(ROWS).filter(
                has_text=PHOTO_NAME)).to_have_count(1)
        page.screenshot('9-completed')
        bill_number = form.locator('input[name=bill_number]').input_value()

        # --- 3. the bill and the photo, by RPC ------------------------------
        ticket = _ticket(demo, number, ['id', 'state', 'bill',
                'charge_total', 'completion_photos', 'appointment_state',
                'appointment_by', 'appointment'])
        assert ticket['state'] == 'done'
        assert _decimal(ticket['charge_total']) == total
        assert (ticket['appointment_state'], ticket['appointment_by']) == (
            'confirmed', 'technician'), ticket
        bill, = demo.call('admin', 'model.property.bill.read',
            [ticket['bill']], ['number', 'party', 'resource', 'amount',
                'state', 'origin', 'balance'])
        assert bill['id'] not in bills_before
        assert bill['number'] == bill_number
        assert (bill['party'], bill['resource']) == (owner['id'],
            home['id']), bill
        assert _decimal(bill['amount']) == total, bill
        assert _decimal(bill['balance']) == total, bill
        assert bill['origin'] == 'ticket', bill
        assert bill['state'] in {'open', 'issued'}, bill
        attachments = demo.call('admin', 'model.ir.attachment.search_read',
            [('resource', '=', f"helpdesk.ticket,{ticket['id']}")],
            0, None, None, ['name', 'helpdesk_stage', 'data'])
        assert [(a['name'], a['helpdesk_stage']) for a in attachments] == [
            (PHOTO_NAME, 'completion')], attachments
        assert ticket['completion_photos'] == [attachments[0]['id']]
        page.logout()

        # --- 4. customer service closes and calls back ----------------------
        page.login('service')
        _open_ticket(page, number, '待关单')
        form = page.tab
        _expect_state(page, 'done')
        _button(page, 'close', '关单').click()
        _expect_state(page, 'closed')
        _button(page, 'callback_wizard', '回访').click()
        dialog = _dialog(page, 'comment')
        expect(dialog).to_be_visible()
        dialog.locator('select[name=rating]').select_option(
            label='5 - 非常满意')
        comment = dialog.locator('textarea[name=comment]')
        comment.fill(CALLBACK_COMMENT)
        comment.press('Tab')
        expect(_selected(dialog.locator('select[name=rating]'))).to_have_text(
            '5 - 非常满意')
        page.screenshot('10-callback')
        dialog.locator('.modal-footer button').filter(
            has_text='保存').click()
        expect(dialog).to_have_count(0)
        _expect_state(page, 'visited')
        expect(form.locator('button[name=callback_wizard]')).to_be_hidden()
        # the history: every step with its user
        _notebook_page(page, '处理记录')
        logs = _one2many(form, '处理记录').locator(ROWS)
        expected = [
            ('报事', '陈晓（客服）'), ('受理', '陈晓（客服）'),
            ('派单', '陈晓（客服）'), ('接单', '王建军（维修技工）'),
            ('预约上门', '王建军（维修技工）'), ('确认预约', '陈晓（客服）'),
            ('开始处理', '王建军（维修技工）'), ('完工', '王建军（维修技工）'),
            ('关单', '陈晓（客服）'), ('回访', '陈晓（客服）'),
            ]
        expect(logs).to_have_count(len(expected))
        shown = sorted(zip(
                [s.strip() for s in logs.locator(
                        'td[data-title^=环节]').all_inner_texts()],
                [u.strip() for u in logs.locator(
                        'td[data-title^=用户]').all_inner_texts()]))
        assert shown == sorted(expected), shown
        page.screenshot('11-history')
        logged = demo.call('admin', 'model.helpdesk.ticket.log.search_read',
            [('ticket.number', '=', number)], 0, None,
            [('date', 'ASC'), ('id', 'ASC')],
            ['step', 'from_state', 'to_state', 'user.login', 'automatic'])
        assert [(l['step'], l['from_state'], l['to_state'],
                l['user.']['login'], l['automatic']) for l in logged] == [
            ('report', None, 'pending', 'service', False),
            ('accept', 'pending', 'accepted', 'service', False),
            ('dispatch', 'accepted', 'dispatched', 'service', False),
            ('take', 'dispatched', 'taken', 'tech', False),
            ('appointment', 'taken', 'taken', 'tech', False),
            ('appointment_confirm', 'taken', 'taken', 'service', False),
            ('start', 'taken', 'processing', 'tech', False),
            ('complete', 'processing', 'done', 'tech', False),
            ('close', 'done', 'closed', 'service', False),
            ('callback', 'closed', 'visited', 'service', False),
            ], logged
        ticket = _ticket(demo, number, ['state', 'rating', 'rating_comment'])
        assert (ticket['state'], ticket['rating'], ticket['rating_comment']
            ) == ('visited', 5, CALLBACK_COMMENT), ticket

        # --- 5. a suggestion skips the steps switched off -------------------
        enabled = _settings(demo, 'suggestion')
        assert {'dispatch', 'take', 'start'}.isdisjoint(enabled), enabled
        assert {'accept', 'complete'} <= enabled, enabled
        form = _new_ticket(page)
        form.locator('select[name=kind]').select_option(label='建议')
        form.locator('select[name=area]').select_option(label='公共区域')
        _pick(form, 'project', home['project.']['rec_name'],
            home['project.']['rec_name'])
        _pick(form, 'category', suggestion['name'], suggestion['rec_name'])
        form.locator('input[name=title]').fill(SUGGESTION_TITLE)
        form.locator('input[name=place]').fill('地下车库B1')
        form.locator('button#save').click()
        expect(form.locator('input[name=number]')).to_have_value(
            re.compile(r'^GD-\d{6}$'))
        suggestion_number = form.locator('input[name=number]').input_value()
        _expect_state(page, 'pending')
        _button(page, 'accept', '受理').click()
        # dispatch, take and start are off: accepted goes on to 处理中
        _expect_state(page, 'processing')
        _button(page, 'complete', '完工')
        page.screenshot('12-suggestion')
        _check_skipped_buttons(page, {
                'dispatch_wizard': '派单', 'take': '接单', 'start': '开始处理',
                'decline_wizard': '拒单', 'appointment_wizard': '预约上门'})
        logged = demo.call('admin', 'model.helpdesk.ticket.log.search_read',
            [('ticket.number', '=', suggestion_number)], 0, None,
            [('date', 'ASC'), ('id', 'ASC')],
            ['step', 'from_state', 'to_state', 'automatic'])
        assert [(l['step'], l['from_state'], l['to_state'], l['automatic'])
            for l in logged] == [
            ('report', None, 'pending', False),
            ('accept', 'pending', 'accepted', False),
            ('dispatch', 'accepted', 'dispatched', True),
            ('take', 'dispatched', 'taken', True),
            ('start', 'taken', 'processing', True),
            ], logged
        page.logout()

        # --- 6. the supervisor's statistics per category --------------------
        repair_after = _statistics(demo, repair['id'])
        suggestion_after = _statistics(demo, suggestion['id'])
        assert repair_after == {**repair_before,
            'created': repair_before['created'] + 1,
            'completed': repair_before['completed'] + 1,
            'rated': repair_before['rated'] + 1,
            'rating_total': repair_before['rating_total'] + 5,
            }, (repair_before, repair_after)
        assert suggestion_after == {**suggestion_before,
            'created': suggestion_before['created'] + 1,
            'open_count': suggestion_before['open_count'] + 1,
            }, (suggestion_before, suggestion_after)
        page.login('supervisor')
        page.open_menu('服务工单', '统计', '工单分类统计')
        stats = page.tab
        for category, figures in [(repair, repair_after),
                (suggestion, suggestion_after)]:
            row = stats.locator(ROWS).filter(has=page.page.locator(
                    'td[data-title^=分类]', has_text=re.compile(
                        f"^\\s*{re.escape(category['rec_name'])}\\s*$")))
            expect(row).to_have_count(1)
            expect(row.locator('td[data-title^=报事数]')).to_have_text(
                str(figures['created']))
            expect(row.locator('td[data-title^=已完成]')).to_have_text(
                str(figures['completed']))
        page.screenshot('13-statistics')
        assert not page.errors, page.errors
    except Exception as error:
        page.screenshot('failure', settle=0)
        if other is not None:
            other.screenshot('failure', settle=0)
        if page.errors:
            raise AssertionError(
                f"JavaScript errors in Sao: {page.errors}") from error
        raise
