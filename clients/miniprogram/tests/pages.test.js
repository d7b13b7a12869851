const { mockWx, loadPage, flush, text, all, tapButton } = require('./helpers');
const { billsAnswer } = require('./fixtures');

beforeEach(() => {
  jest.resetModules();
});

const ME = {
  verified: true, owner: { id: 496, name: '王建国', phone: '138****0301' }, wechat: true,
  phone: '138****0301', verified_at: '2026-11-28T10:02:11Z', verified_with: 'wechat_phone',
  resource_count: 2, unread_notices: 1,
};
const RESOURCES = { resources: [{
  id: 262, code: '2-1-301', name: '翠湖花园 2-1-301', kind: 'residence', kind_string: '住宅',
  project: { id: 358, name: '翠湖花园', phone: '0571-88886666' }, building_area: '100.00',
}] };
const NOTICES = {
  notices: [
    { id: 212, title: '电梯保养', summary: '本周六电梯保养', pinned: true, publish_start: '2026-11-27T02:49:33Z', publish_end: null, read: false },
    { id: 211, title: '停水通知', summary: '明天停水', pinned: false, publish_start: '2026-11-28T02:49:33Z', publish_end: null, read: true },
  ],
  total_count: 2,
  unread_count: 1,
};
const RECEIPT = {
  id: 494, number: 'CH-0000001', date: '2026-11-28', state: 'done', state_string: '已收款',
  project: { id: 358, name: '翠湖花园' }, resource: { id: 262, code: '2-1-301', name: '翠湖花园 2-1-301' },
  total: '205.85', line_count: 1,
};

describe('home page', () => {
  test('shows the owner, resources, the server balance and the latest notices', async () => {
    const wx = mockWx({
      'GET owner/me': ME,
      'GET owner/resources': RESOURCES,
      'GET owner/bills': billsAnswer(),
      'GET owner/notices': NOTICES,
    }, { wx: { setTabBarBadge: jest.fn(), removeTabBarBadge: jest.fn() } });
    const page = loadPage('home');
    await page.instance.onShow();
    await flush();
    expect(text(page, '.owner-name')).toBe('王建国，您好');
    expect(text(page, '.due-balance')).toBe('1232.34');
    expect(text(page, '.due-count')).toContain('共 7 笔');
    expect(all(page, '.resource')).toHaveLength(1);
    expect(page.dom.textContent).toContain('翠湖花园 2-1-301');
    expect(all(page, '.notice')).toHaveLength(2);
    expect(wx.request.last('GET owner/notices').query).toBe('limit=3');
    expect(wx.setTabBarBadge).toHaveBeenCalledWith({ index: 2, text: '1' });

    tapButton(page, '.go-pay');
    await flush();
    expect(wx.switchTab).toHaveBeenCalledWith({ url: '/pages/bills/index' });
    page.querySelector('.notice').dispatchEvent('tap');
    await flush();
    expect(wx.navigateTo).toHaveBeenCalledWith({ url: '/pages/notice/index?id=212' });
  });

  test('an unverified session goes to login', async () => {
    const wx = mockWx({}, { verified: false });
    const page = loadPage('home');
    await page.instance.onShow();
    expect(wx.reLaunch).toHaveBeenCalledWith({ url: '/pages/login/index' });
    expect(wx.request).not.toHaveBeenCalled();
  });
});

describe('receipts pages', () => {
  test('the list pages with load more and opens a receipt', async () => {
    const wx = mockWx({
      'GET owner/receipts': (req) => (req.query.includes('offset=0')
        ? { receipts: [RECEIPT], total_count: 2 }
        : { receipts: [Object.assign({}, RECEIPT, { id: 493, number: 'CH-0000000' })], total_count: 2 }),
    });
    const page = loadPage('receipts');
    await page.instance.onLoad();
    await flush();
    expect(all(page, '.receipt')).toHaveLength(1);
    expect(page.dom.textContent).toContain('CH-0000001 · 已收款');
    expect(page.dom.textContent).toContain('¥205.85');
    page.querySelector('.load-more').dispatchEvent('tap');
    await flush();
    expect(wx.request.last('GET owner/receipts').query).toBe('limit=20&offset=1');
    expect(all(page, '.receipt')).toHaveLength(2);
    expect(page.querySelector('.load-more')).toBeFalsy();
    page.querySelector('.receipt').dispatchEvent('tap');
    await flush();
    expect(wx.navigateTo).toHaveBeenCalledWith({ url: '/pages/receipt/index?id=494' });
  });

  test('two quick reach-bottoms load the next page once', async () => {
    const first = Array.from({ length: 20 }, (_, i) => Object.assign({}, RECEIPT, { id: 600 - i, number: `CH-${600 - i}` }));
    const wx = mockWx({
      'GET owner/receipts': (req) => (req.query.includes('offset=0')
        ? { receipts: first, total_count: 21 }
        : { receipts: [Object.assign({}, RECEIPT, { id: 493, number: 'CH-0000000' })], total_count: 21 }),
    });
    const page = loadPage('receipts');
    await page.instance.onLoad();
    await flush();
    page.instance.onReachBottom();
    page.instance.onReachBottom();
    await flush();
    expect(wx.request.calls.map((c) => c.query)).toEqual(['limit=20&offset=0', 'limit=20&offset=20']);
    expect(all(page, '.receipt')).toHaveLength(21);
    expect(page.querySelector('.load-more')).toBeFalsy();
  });

  test('the detail shows lines and payments and opens the PDF', async () => {
    const wx = mockWx({
      'GET owner/receipts/494': {
        receipt: RECEIPT, payer: '王建国', void_date: null,
        lines: [{
          kind: 'bill', kind_string: '账单', fee_item: { id: 181, name: '物业费' }, bill_id: 484, bill_number: 'ZD10000484',
          period_start: '2025-12-01', period_end: '2025-12-31', principal: '205.85', late_fee: '0.00', discount: '0.00',
          amount: '205.85', refunded: '0.00',
        }],
        payments: [{ method: '微信支付', amount: '205.85' }],
        pdf: 'owner/receipts/494/pdf',
      },
    });
    const page = loadPage('receipt');
    await page.instance.onLoad({ id: '494' });
    await flush();
    expect(text(page, '.receipt-total')).toBe('¥205.85');
    expect(text(page, '.line')).toContain('物业费 2025-12-01 至 2025-12-31');
    expect(text(page, '.payment')).toContain('微信支付');
    expect(page.dom.textContent).toContain('交款人 王建国');
    tapButton(page, '.pdf-btn');
    await flush();
    expect(wx.downloadFile.mock.calls[0][0].url).toBe('https://property.example.com/aishang/api/v1/owner/receipts/494/pdf');
    expect(wx.openDocument).toHaveBeenCalled();
  });

  test('an unknown receipt shows the server message', async () => {
    const wx = mockWx({});
    const page = loadPage('receipt');
    await page.instance.onLoad({ id: '1' });
    await flush();
    expect(wx.showToast).toHaveBeenCalledWith(expect.objectContaining({ title: '未找到。' }));
    expect(page.dom.textContent.trim()).toBe('');
  });
});

describe('notices pages', () => {
  test('the list shows pinned and unread, filters unread, opens a notice', async () => {
    const wx = mockWx({ 'GET owner/notices': NOTICES });
    const page = loadPage('notices');
    await page.instance.onShow();
    await flush();
    expect(all(page, '.notice')).toHaveLength(2);
    expect(all(page, '.unread')).toHaveLength(1);
    expect(text(page, '.unread')).toContain('置顶');
    expect(text(page, '.unread')).toContain('2026-11-27 10:49');
    expect(text(page, '.tab-unread')).toBe('未读（1）');
    page.querySelector('.tab-unread').dispatchEvent('tap');
    await flush();
    expect(wx.request.last('GET owner/notices').query).toBe('limit=20&offset=0&unread=true');
    page.querySelector('.notice').dispatchEvent('tap');
    await flush();
    expect(wx.navigateTo).toHaveBeenCalledWith({ url: '/pages/notice/index?id=212' });
  });

  test('a page of 全部 answering after the switch to 未读 is dropped', async () => {
    const wx = mockWx({
      'GET owner/notices': (req) => (req.query.includes('unread=true')
        ? { notices: [NOTICES.notices[0]], total_count: 1, unread_count: 1 }
        : NOTICES),
    });
    const answer = wx.request;
    const held = [];
    wx.request = jest.fn((req) => (req.url.includes('unread') ? answer(req) : held.push(req)));
    const page = loadPage('notices');
    page.instance.onShow();
    page.querySelector('.tab-unread').dispatchEvent('tap');
    await flush();
    expect(all(page, '.notice-title').map((n) => n.dom.textContent)).toEqual(['电梯保养']);
    // the 全部 answer comes last: 未读 keeps its own notices
    held.forEach((req) => answer(req));
    await flush();
    expect(answer.calls.map((c) => c.query)).toEqual(['limit=20&offset=0&unread=true', 'limit=20&offset=0']);
    expect(all(page, '.notice-title').map((n) => n.dom.textContent)).toEqual(['电梯保养']);
    expect(page.querySelector('.tab-unread').dom.className).toContain('active');
    expect(page.querySelector('.load-more')).toBeFalsy();
  });

  test('the detail renders the body with rich-text and opens attachments', async () => {
    const wx = mockWx({
      'GET owner/notices/211': {
        notice: Object.assign({}, NOTICES.notices[1], { read: true }),
        body: '<p>明天<b>停水</b></p>',
        projects: [{ id: 358, name: '翠湖花园' }],
        attachments: [{ id: 137, name: '停水范围.pdf', size: 48213, url: 'owner/notices/211/attachments/137' }],
      },
    });
    const page = loadPage('notice');
    await page.instance.onLoad({ id: '211' });
    await flush();
    expect(text(page, '.notice-title')).toBe('停水通知');
    expect(text(page, '.notice-meta')).toBe('2026-11-28 10:49 · 翠湖花园');
    expect(page.data.body).toBe('<p>明天<b>停水</b></p>');
    expect(text(page, '.attachment')).toContain('停水范围.pdf');
    expect(text(page, '.attachment')).toContain('47 KB');
    page.querySelector('.attachment').dispatchEvent('tap');
    await flush();
    expect(wx.downloadFile.mock.calls[0][0].url).toBe('https://property.example.com/aishang/api/v1/owner/notices/211/attachments/137');
  });
});

describe('mine page', () => {
  test('shows the owner and logs out', async () => {
    const wx = mockWx({ 'GET owner/me': ME, 'POST owner/logout': { logged_out: true } });
    const page = loadPage('mine');
    await page.instance.onShow();
    await flush();
    expect(text(page, '.owner-name')).toBe('王建国');
    expect(text(page, '.verified')).toBe('已认证（微信手机号）');
    page.querySelector('.to-receipts').dispatchEvent('tap');
    await flush();
    expect(wx.navigateTo).toHaveBeenCalledWith({ url: '/pages/receipts/index' });

    await page.instance.onLogout();
    expect(wx.request.last('POST owner/logout').header.Authorization).toBe('Bearer tok-1');
    expect(wx.store['aishang.session']).toBeUndefined();
    expect(wx.reLaunch).toHaveBeenCalledWith({ url: '/pages/login/index' });
  });

  test('logout ends the session here even when the server is unreachable; cancel keeps it', async () => {
    const wx = mockWx({ 'GET owner/me': ME, 'POST owner/logout': { networkError: true } });
    const page = loadPage('mine');
    wx.showModal.mockImplementationOnce((o) => o.success({ confirm: false, cancel: true }));
    await page.instance.onLogout();
    expect(wx.reLaunch).not.toHaveBeenCalled();
    await page.instance.onLogout();
    expect(wx.reLaunch).toHaveBeenCalledWith({ url: '/pages/login/index' });
    expect(wx.showToast).not.toHaveBeenCalled();
  });
});
