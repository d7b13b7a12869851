"""The owner portal's done-when (issue 6) in the H5 portal on a phone.

On the demo server (the same `aishang demo` database and configuration as
`make demo`), in Chromium with a phone viewport, an owner of the demo:

1. signs in at /owner/ with the phone on file and the SMS code that the
   console SMS backend printed in the server log;
2. sees the open bills; tapping the newest bill of a fee item selects the
   older ones with it, and a link paying the newest bill alone (a deep
   link, as from a reminder) is refused by the server, naming the older
   bill;
3. pays the two oldest bills of that fee item through the `sandbox`
   channel (signed notification, verified like the real channels): the
   order is paid, a receipt with the project's number is issued, the
   e-receipt PDF downloads and names both bills;
4. reports a repair of their home with a photo;

then customer service, in Sao, finds the repair in the 待受理 worklist
without anything else happening in between. The final state is checked
over JSON-RPC: bills paid, one receipt, one ticket from the owner app with
its photo. Screenshots go to test-artifacts/h5-*.png.
"""
import json
import re
import subprocess
import time
from collections import defaultdict
from decimal import Decimal
from pathlib import Path

import pytest
from playwright.sync_api import expect

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / 'test-artifacts'
H5_INDEX = ROOT / 'clients' / 'h5' / 'dist' / 'index.html'
TIMEOUT = 30_000  # ms, for each UI step: the machine is shared
PHONE = {'viewport': {'width': 390, 'height': 844}, 'device_scale_factor': 2,
    'is_mobile': True, 'has_touch': True, 'locale': 'zh-CN',
    'accept_downloads': True}
REPAIR_TEXT = "浏览器测试：卫生间地漏反水，请尽快上门查看"
COMPLAINT_TEXT = "浏览器测试：楼道堆放杂物，请清理"
def _photo_png():
    "A small photo-like PNG (the server checks the type by its first bytes)"
    import io
    from PIL import Image, ImageDraw
    image = Image.new('RGB', (240, 180), (70, 110, 160))
    draw = ImageDraw.Draw(image)
    draw.rectangle((60, 120, 180, 170), fill=(200, 200, 190))
    draw.ellipse((100, 130, 140, 160), fill=(40, 40, 40))
    output = io.BytesIO()
    image.save(output, format='PNG')
    return output.getvalue()


PNG = _photo_png()


def _decimal(value):
    "A Decimal from JSON-RPC (an object with its digits)"
    return Decimal(value['decimal'] if isinstance(value, dict) else value)


def _date(value):
    "An ISO date from JSON-RPC (an object with year, month and day)"
    if isinstance(value, dict):
        return f"{value['year']:04d}-{value['month']:02d}-{value['day']:02d}"
    return value


def _yuan(amount):
    return f"¥{_decimal(amount):.2f}"


def _owner_with_three_open_bills(demo):
    """(phone, party id, [bills oldest first]) of an owner with at least
    three open bills of one resource and fee item, none in a pending
    payment order"""
    pending = {line['bill'] for line in demo.call('admin',
            'model.property.payment.order.line.search_read',
            [('order.state', '=', 'pending')], 0, None, None, ['bill'])}
    bills = demo.call('admin', 'model.property.bill.search_read',
        [('state', '=', 'open'), ('party.owner_phone', '!=', None)],
        0, None, [('period_start', 'ASC'), ('id', 'ASC')],
        ['number', 'resource', 'fee_item', 'party', 'party.owner_phone',
            'period_start', 'period_end', 'balance', 'amount'])
    groups = defaultdict(list)
    for bill in bills:
        groups[(bill['party'], bill['resource'], bill['fee_item'])].append(
            bill)
    partial = {b['party'] for b in demo.call('admin',
            'model.property.bill.search_read',
            [('state', '=', 'partial')], 0, None, None, ['party'])}
    for (party, _, _), group in sorted(groups.items(),
            key=lambda item: (-len(item[1]), item[1][0]['id'])):
        if (len(group) >= 3 and party not in partial
                and not pending & {b['id'] for b in group}):
            return group[0]['party.']['owner_phone'], party, group
    pytest.fail("the demo has no owner with three open bills of one fee item")


def _sms_code(log, phone, after):
    "The last code the console SMS backend printed for phone after offset"
    pattern = re.compile(
        rf'SMS to {re.escape(phone)}, template [^:]*: (\{{.*\}})')
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        text = Path(log).read_text(encoding='utf-8', errors='replace')[after:]
        codes = [json.loads(m.group(1))['code']
            for m in pattern.finditer(text)]
        if codes:
            return codes[-1]
        time.sleep(0.2)
    pytest.fail(f"no SMS code for {phone} in the server log")


class Phone:
    "A phone-sized Chromium page on the H5 portal"

    def __init__(self, browser, url):
        self.context = browser.new_context(**PHONE)
        self.page = self.context.new_page()
        self.page.set_default_timeout(TIMEOUT)
        self.url = url
        self.errors = []
        self.page.on('pageerror', lambda e: self.errors.append(str(e)))

    def screenshot(self, name):
        self.page.wait_for_timeout(400)
        ARTIFACTS.mkdir(exist_ok=True)
        self.page.screenshot(path=str(ARTIFACTS / f'h5-{name}.png'))

    def toast(self):
        return self.page.locator('.van-toast:visible')


@pytest.fixture
def phone(server, browser):
    if not H5_INDEX.exists():
        pytest.fail(f"the H5 portal is not built ({H5_INDEX}): run `make h5`")
    expect.set_options(timeout=TIMEOUT)
    phone = Phone(browser, server + 'owner/')
    try:
        yield phone
    except Exception:
        phone.screenshot('failure')
        raise
    finally:
        phone.context.close()
    assert not phone.errors, phone.errors


def test_owner_verifies_pays_oldest_first_and_reports_a_repair(
        server, server_log, demo, phone, sao):
    mobile, party, group = _owner_with_three_open_bills(demo)
    oldest, second, newest = group[0], group[1], group[-1]
    page = phone.page

    # --- 1. verify with the phone on file and the SMS code ---------------
    page.goto(phone.url)
    expect(page).to_have_url(re.compile(r'/owner/login'))
    page.locator('input[name=phone]').fill(mobile)
    log_size = len(Path(server_log).read_text(
            encoding='utf-8', errors='replace'))
    page.get_by_role('button', name='获取验证码').click()
    expect(page.get_by_role('button', name=re.compile('秒后重发'))
        ).to_be_visible()
    code = _sms_code(server_log, mobile, log_size)
    page.locator('input[name=code]').fill(code)
    phone.screenshot('1-login')
    page.get_by_role('button', name='登录并认证').click()
    expect(page).to_have_url(re.compile(r'/owner/$'))
    verification = demo.call('admin',
        'model.property.owner.verification.search_read',
        [('party', '=', party), ('phone', '=', mobile)], 0, 1,
        [('id', 'DESC')], ['state', 'channel'])
    assert verification and verification[0]['state'] == 'verified', \
        verification
    phone.screenshot('2-home')
    _read_the_reminder(phone, demo, party)

    # --- 2. the bills; the newest alone is refused ------------------------
    page.goto(phone.url + 'bills')
    newest_row = page.locator(f'[data-bill="{newest["id"]}"]')
    expect(newest_row).to_contain_text(newest['number'])
    expect(page.locator(f'[data-bill="{oldest["id"]}"]')).to_contain_text(
        oldest['number'])
    older = len(group) - 1
    expect(newest_row).to_contain_text(f"需先缴更早的 {older} 笔")
    newest_row.click()
    # the older bills of the fee item are selected with it
    for bill in group:
        expect(page.locator(f'[data-bill="{bill["id"]}"] .van-checkbox__icon')
            ).to_have_class(re.compile('van-checkbox__icon--checked'))
    expect(page.locator('.pay-bar .pay')).to_contain_text(f"（{len(group)}）")
    phone.screenshot('3-bills-newest-selects-older')
    newest_row.click()  # unselected again
    page.goto(phone.url + f'pay?bills={newest["id"]}')
    expect(phone.toast()).to_contain_text(oldest['number'])
    expect(page.get_by_text('请先在账单页选择要缴纳的账单')).to_be_visible()
    phone.screenshot('4-newest-refused')
    refused = demo.call('admin', 'model.property.payment.order.search_read',
        [('lines.bill', '=', newest['id'])], 0, None, None, ['id'])
    assert refused == [], refused

    # --- 3. pay the two oldest through the sandbox -----------------------
    page.goto(phone.url + 'bills')
    page.locator(f'[data-bill="{second["id"]}"]').click()
    expect(page.locator('.pay-bar .pay')).to_contain_text("（2）")
    total = _decimal(oldest['balance']) + _decimal(second['balance'])
    expect(page.locator('.pay-bar [data-test=total]')).to_have_text(
        _yuan(total))
    phone.screenshot('5-bills-two-selected')
    page.locator('.pay-bar .pay').click()
    expect(page).to_have_url(re.compile(r'/owner/pay\?bills='))
    expect(page.locator('[data-test=total]')).to_have_text(_yuan(total))
    expect(page.get_by_role('radio', name=re.compile('模拟支付'))
        .or_(page.locator('.van-radio[aria-checked=true]'))).to_have_count(1)
    phone.screenshot('6-pay')
    page.locator('.confirm').click()
    expect(page.get_by_text('支付成功')).to_be_visible()
    receipt_cell = page.locator('.van-cell').filter(has_text='电子收据')
    receipt_number = receipt_cell.locator('.van-cell__value').inner_text()
    assert re.fullmatch(r'[A-Z]+-\d+', receipt_number.strip()), \
        receipt_number
    phone.screenshot('7-paid')
    receipt_cell.click()
    expect(page).to_have_url(re.compile(r'/owner/receipts/\d+'))
    expect(page.get_by_text(receipt_number.strip())).to_be_visible()
    expect(page.locator('.head .amount')).to_have_text(_yuan(total))
    phone.screenshot('8-receipt')
    with page.expect_download() as download:
        page.get_by_role('button', name=re.compile('下载电子收据')).click()
    pdf = ARTIFACTS / 'h5-receipt.pdf'
    download.value.save_as(pdf)
    text = subprocess.run(['pdftotext', '-layout', str(pdf), '-'],
        capture_output=True, text=True, check=True).stdout
    assert receipt_number.strip() in text, text
    assert "线上缴费（" in text, text
    for bill in (oldest, second):
        period = f"{_date(bill['period_start'])} ~ {_date(bill['period_end'])}"
        assert period in text, text
    paid = demo.call('admin', 'model.property.bill.search_read',
        [('id', 'in', [b['id'] for b in group])], 0, None, None,
        ['state', 'balance'])
    states = {b['id']: b['state'] for b in paid}
    assert states[oldest['id']] == states[second['id']] == 'paid', states
    assert states[newest['id']] == 'open', states
    receipts = demo.call('admin', 'model.property.receipt.search_read',
        [('number', '=', receipt_number.strip())], 0, None, None,
        ['state', 'total'])
    assert [(r['state'], _decimal(r['total'])) for r in receipts] == [
        ('done', total)], receipts

    # --- 4. report a repair with a photo ----------------------------------
    ticket_number = _report_repair(phone, demo, party, oldest['resource'])
    _complain_about_a_building(phone, demo, party, oldest['resource'])

    # --- customer service sees it in Sao ----------------------------------
    service = sao('h5-sao-service')
    service.goto()
    service.login('service')
    service.open_menu('服务工单', '待受理工单')
    row = service.tab.locator('.treeview tbody tr').filter(
        has_text=ticket_number)
    expect(row).to_have_count(1)
    expect(row).to_contain_text(REPAIR_TEXT)
    expect(row.get_by_role('button', name='受理')).to_be_visible()
    service.screenshot('pending-worklist')


def _read_the_reminder(phone, demo, party):
    """The overdue reminder the demo's reminder run sent in-app: the Me
    tab counts it, the inbox shows it unread, opening it marks it read on
    the server and its link leads to the bills"""
    page = phone.page
    unread = demo.call('admin', 'model.message.outbox.search_read',
        [('party', '=', party), ('channel', '=', 'in_app'),
            ('state', '=', 'sent'), ('read_date', '=', None)],
        0, None, [('sent_date', 'DESC'), ('id', 'DESC')], ['subject'])
    assert unread, "the demo sent the owner of overdue bills no reminder"
    page.goto(phone.url + 'me')
    expect(page.locator('[data-test=messages-badge]')).to_contain_text(
        str(len(unread)))
    page.locator('[data-test=messages-entry]').click()
    expect(page).to_have_url(re.compile(r'/owner/messages$'))
    newest = page.locator(f'[data-message="{unread[0]["id"]}"]')
    expect(newest).to_have_attribute('data-read', 'false')
    expect(newest).to_contain_text(unread[0]['subject'])
    newest.locator('.head').click()
    expect(newest).to_have_attribute('data-read', 'true')
    phone.screenshot('2b-reminder')
    read, = demo.call('admin', 'model.message.outbox.read',
        [unread[0]['id']], ['read_date'])
    assert read['read_date'], read
    newest.locator('[data-test=message-link]').click()
    expect(page).to_have_url(re.compile(r'/owner/bills$'))


def _complain_about_a_building(phone, demo, party, resource):
    """A complaint about the public area of the owner's building, its
    place picked in the cascader of buildings (整栋)"""
    page = phone.page
    home, = demo.call('admin', 'model.property.resource.read', [resource],
        ['building.name', 'project.name'])
    building = home['building.']['name']
    page.goto(phone.url + 'tickets/new?kind=complaint')
    expect(page.get_by_role('radiogroup', name='报事区域').get_by_role(
            'radio', name='公共区域')).to_be_checked()
    page.locator('input[name=location]').click()
    popup = page.locator('.location-popup')
    expect(popup.locator('.van-cascader')).to_be_visible()

    def option(text):
        return popup.locator('.van-cascader__options:visible '
            '.van-cascader__option').filter(
            has_text=re.compile(rf'^\s*{re.escape(text)}\s*$'))
    # an owner in one project starts at its buildings
    if option(home['project.']['name']).count():
        option(home['project.']['name']).click()
    option(building).click()
    option('整栋').click()
    expect(popup).to_be_hidden()
    expect(page.locator('input[name=location]')).to_have_value(building)
    page.locator('textarea[name=description]').fill(COMPLAINT_TEXT)
    phone.screenshot('11-complaint-form')
    page.get_by_role('button', name='提交').click()
    expect(page).to_have_url(re.compile(r'/owner/tickets/\d+$'))
    ticket_id = int(page.url.rsplit('/', 1)[1])
    ticket, = demo.call('admin', 'model.helpdesk.ticket.read', [ticket_id],
        ['kind', 'area', 'reporter', 'resource', 'location.name',
            'location.kind', 'description'])
    assert (ticket['kind'], ticket['area'], ticket['reporter'],
        ticket['resource'], ticket['location.']['kind'],
        ticket['location.']['name'], ticket['description']) == (
        'complaint', 'public', party, None, 'building', building,
        COMPLAINT_TEXT), ticket


def _report_repair(phone, demo, party, resource):
    """Report a repair of the owner's home with a photo in the H5 portal;
    checks it over JSON-RPC and answers its number"""
    page = phone.page
    photo = ARTIFACTS / 'h5-leak.png'
    photo.write_bytes(PNG)
    home = demo.call('admin', 'model.property.resource.read', [resource],
        ['code', 'rec_name'])[0]
    page.goto(phone.url + 'tickets/new?kind=repair')
    kind = page.get_by_role('radiogroup', name='类型')
    expect(kind.get_by_role('radio', name='报修')).to_be_checked()
    page.get_by_role('radiogroup', name='报事区域').get_by_role(
        'radio', name='户内').click()
    homes = page.get_by_role('radiogroup', name='房产').get_by_role('radio')
    mine = homes.filter(has_text=home['code'])
    expect(mine).to_have_count(1)
    mine.click()
    expect(mine).to_be_checked()
    # a category of the kind, from the action sheet
    page.locator('input[name=category]').click()
    choice = page.locator('.van-action-sheet__item:visible').filter(
        has_text='水电')
    expect(choice.first).to_be_visible()
    category = choice.first.inner_text().strip()
    choice.first.click()
    expect(page.locator('input[name=category]')).to_have_value(category)
    page.locator('textarea[name=description]').fill(REPAIR_TEXT)
    page.locator('input[type=file]').set_input_files(str(photo))
    expect(page.locator('.van-uploader__preview')).to_have_count(1)
    phone.screenshot('9-repair-form')
    page.get_by_role('button', name='提交').click()
    expect(page).to_have_url(re.compile(r'/owner/tickets/\d+$'))
    ticket_id = int(page.url.rsplit('/', 1)[1])
    expect(page.get_by_text('待受理').first).to_be_visible()
    expect(page.locator('[data-photo] img')).to_have_count(1)
    phone.screenshot('10-repair-reported')

    ticket, = demo.call('admin', 'model.helpdesk.ticket.read', [ticket_id],
        ['number', 'state', 'source', 'reporter', 'resource', 'area',
            'kind', 'description', 'category.name'])
    assert (ticket['state'], ticket['source'], ticket['reporter'],
        ticket['resource'], ticket['area'], ticket['kind'],
        ticket['description'], ticket['category.']['name']) == (
        'pending', 'owner_app', party, resource, 'private', 'repair',
        REPAIR_TEXT, category), ticket
    photos = demo.call('admin', 'model.ir.attachment.search_read',
        [('resource', '=', f'helpdesk.ticket,{ticket_id}')], 0, None, None,
        ['helpdesk_stage', 'data_size'])
    assert [(p['helpdesk_stage'], p['data_size']) for p in photos] == [
        ('report', len(PNG))], photos
    return ticket['number']
