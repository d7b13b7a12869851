const { mockWx, loadPage, flush, text, all, tapButton } = require('./helpers');
const { billsAnswer, RESOURCE } = require('./fixtures');

beforeEach(() => {
  jest.resetModules();
});

// GET owner/messages items, as in docs/owner-api.md (In-app messages).
const REMINDER = {
  id: 9012, subject: '物业费缴费提醒', body: '您有 3 笔物业费共 617.55 元未缴，请及时缴纳。\n逾期将产生滞纳金。',
  date: '2026-11-28T01:00:00Z', read: false, topic: 'bills', notice_id: null,
};
const NOTICE = {
  id: 9007, subject: '停水通知', body: '明天停水', date: '2026-11-27T08:00:00Z', read: true, topic: 'notice', notice_id: 211,
};
const PLAIN = {
  id: 9001, subject: '欢迎使用爱尚物业', body: '您已完成业主认证。', date: '2026-11-20T02:00:00Z', read: false, topic: null, notice_id: null,
};
const LIST = { messages: [REMINDER, NOTICE, PLAIN], total_count: 3, unread_count: 2 };

const message = (id, extra) => Object.assign({
  id, subject: `消息${id}`, body: `正文${id}`, date: '2026-11-01T00:00:00Z', read: true, topic: null, notice_id: null,
}, extra || {});

async function openMessages(routes) {
  const wx = mockWx(Object.assign({ 'GET owner/messages': LIST }, routes));
  const page = loadPage('messages');
  await page.instance.onLoad({});
  await flush();
  return { wx, page };
}

describe('messages page', () => {
  test('lists the messages newest first with the unread ones marked', async () => {
    const { wx, page } = await openMessages();
    expect(wx.request.last('GET owner/messages').query).toBe('limit=20&offset=0');
    expect(all(page, '.message')).toHaveLength(3);
    expect(all(page, '.message-subject').map((n) => n.dom.textContent))
      .toEqual(['物业费缴费提醒', '停水通知', '欢迎使用爱尚物业']);
    expect(all(page, '.unread').map((r) => r.dom.className)).toEqual([
      expect.stringContaining('message-9012'), expect.stringContaining('message-9001'),
    ]);
    expect(all(page, '.dot')).toHaveLength(2);
    expect(text(page, '.message-9012 .message-date')).toBe('2026-11-28 09:00');
    expect(text(page, '.unread-count')).toBe('2 条未读');
    expect(text(page, '.read-all-btn')).toBe('全部已读');
    expect(page.querySelector('.empty')).toBeFalsy();
    expect(page.querySelector('.load-more')).toBeFalsy();
    // nothing is open, so no link yet
    expect(page.querySelector('.message-link')).toBeFalsy();
  });

  test('loads more at the bottom until total_count', async () => {
    const first = Array.from({ length: 20 }, (_, i) => message(500 - i));
    const { wx, page } = await openMessages({
      'GET owner/messages': (req) => (req.query.includes('offset=0')
        ? { messages: first, total_count: 21, unread_count: 0 }
        : { messages: [message(100, { subject: '最早的消息' })], total_count: 21, unread_count: 0 }),
    });
    expect(all(page, '.message')).toHaveLength(20);
    expect(text(page, '.load-more')).toBe('加载更多');
    expect(page.querySelector('.messages-bar')).toBeFalsy();
    await page.instance.onReachBottom();
    await flush();
    expect(wx.request.last('GET owner/messages').query).toBe('limit=20&offset=20');
    const rows = all(page, '.message');
    expect(rows).toHaveLength(21);
    expect(rows[20].dom.textContent).toContain('最早的消息');
    expect(page.querySelector('.load-more')).toBeFalsy();
    await page.instance.onReachBottom();
    expect(wx.request.calls).toHaveLength(2);
  });

  test('tapping an unread message marks it read, shows its text and links to the bills tab', async () => {
    const { wx, page } = await openMessages({
      'POST owner/messages/9012/read': { message: Object.assign({}, REMINDER, { read: true }) },
    });
    page.querySelector('.message-9012 .message-main').dispatchEvent('tap');
    await flush();
    const post = wx.request.last('POST owner/messages/9012/read');
    expect(post.data).toEqual({});
    const row = page.querySelector('.message-9012');
    expect(row.dom.className).toContain('open');
    expect(row.dom.className).toContain('read');
    expect(row.dom.className).not.toContain('unread');
    expect(text(page, '.message-9012 .message-body')).toContain('逾期将产生滞纳金。');
    expect(text(page, '.unread-count')).toBe('1 条未读');
    expect(all(page, '.dot')).toHaveLength(1);

    expect(text(page, '.message-link')).toBe('去缴费 ›');
    page.querySelector('.message-link').dispatchEvent('tap');
    await flush();
    expect(wx.switchTab).toHaveBeenCalledWith({ url: '/pages/bills/index' });
    expect(wx.navigateTo).not.toHaveBeenCalled();

    // tapped again: closes, and is not marked a second time
    page.querySelector('.message-9012 .message-main').dispatchEvent('tap');
    await flush();
    expect(page.querySelector('.message-9012').dom.className).not.toContain('open');
    expect(wx.request.calls.filter((c) => c.method === 'POST')).toHaveLength(1);
  });

  test('a read notice message opens without a request and links to its notice; no topic, no link', async () => {
    const { wx, page } = await openMessages({
      'POST owner/messages/9001/read': { message: Object.assign({}, PLAIN, { read: true }) },
    });
    page.querySelector('.message-9007 .message-main').dispatchEvent('tap');
    await flush();
    expect(wx.request.calls.filter((c) => c.method === 'POST')).toHaveLength(0);
    expect(text(page, '.message-link')).toBe('查看公告 ›');
    page.querySelector('.message-link').dispatchEvent('tap');
    await flush();
    expect(wx.navigateTo).toHaveBeenCalledWith({ url: '/pages/notice/index?id=211' });

    page.querySelector('.message-9001 .message-main').dispatchEvent('tap');
    await flush();
    expect(wx.request.last('POST owner/messages/9001/read').data).toEqual({});
    expect(page.querySelector('.message-9001').dom.className).toContain('open');
    // only one message is open at a time, and this one has no link
    expect(page.querySelector('.message-9007').dom.className).not.toContain('open');
    expect(page.querySelector('.message-link')).toBeFalsy();
  });

  test('a refused mark-read shows the server message and leaves the message unread', async () => {
    const { wx, page } = await openMessages({
      'POST owner/messages/9012/read': { status: 404, data: { error: { code: 'not_found', message: '未找到。' } } },
    });
    await page.instance.onOpen({ currentTarget: { dataset: { id: 9012 } } });
    await flush();
    expect(wx.showToast).toHaveBeenCalledWith(expect.objectContaining({ title: '未找到。' }));
    expect(page.querySelector('.message-9012').dom.className).toContain('unread');
    expect(text(page, '.unread-count')).toBe('2 条未读');
  });

  test('全部已读 marks every message read and hides itself', async () => {
    const { wx, page } = await openMessages({ 'POST owner/messages/read-all': { marked: 2 } });
    tapButton(page, '.read-all-btn');
    await flush();
    expect(wx.request.last('POST owner/messages/read-all').data).toEqual({});
    expect(all(page, '.unread')).toHaveLength(0);
    expect(all(page, '.dot')).toHaveLength(0);
    expect(page.querySelector('.messages-bar')).toBeFalsy();
    expect(page.data.unreadCount).toBe(0);
    expect(wx.showToast).toHaveBeenCalledWith(expect.objectContaining({ title: '已全部标为已读' }));
  });

  test('a refused 全部已读 keeps the unread ones', async () => {
    const { page } = await openMessages({
      'POST owner/messages/read-all': { status: 500, data: { error: { code: 'internal', message: '服务器繁忙，请稍后重试。' } } },
    });
    await page.instance.onReadAll();
    await flush();
    expect(all(page, '.unread')).toHaveLength(2);
    expect(text(page, '.unread-count')).toBe('2 条未读');
  });

  test('empty state: 暂无消息, no 全部已读', async () => {
    const { page } = await openMessages({ 'GET owner/messages': { messages: [], total_count: 0, unread_count: 0 } });
    expect(text(page, '.empty')).toContain('暂无消息');
    expect(page.querySelector('.read-all-btn')).toBeFalsy();
    expect(all(page, '.message')).toHaveLength(0);
  });

  test('pull-down refresh reloads from the first page', async () => {
    const { wx, page } = await openMessages();
    await page.instance.onPullDownRefresh();
    expect(wx.request.calls.map((c) => c.query)).toEqual(['limit=20&offset=0', 'limit=20&offset=0']);
    expect(wx.stopPullDownRefresh).toHaveBeenCalled();
  });
});

describe('messages entry points', () => {
  const ME = { verified: true, owner: { id: 496, name: '王建国' }, resource_count: 1, unread_notices: 0, unread_messages: 2 };

  test('mine: 我的消息 with the unread count of owner/me', async () => {
    const wx = mockWx({ 'GET owner/me': ME });
    const page = loadPage('mine');
    await page.instance.onShow();
    await flush();
    expect(text(page, '.to-messages')).toBe('我的消息2 条未读');
    page.querySelector('.to-messages').dispatchEvent('tap');
    await flush();
    expect(wx.navigateTo).toHaveBeenCalledWith({ url: '/pages/messages/index' });
  });

  test('mine: no count when everything is read', async () => {
    mockWx({ 'GET owner/me': Object.assign({}, ME, { unread_messages: 0 }) });
    const page = loadPage('mine');
    await page.instance.onShow();
    await flush();
    expect(text(page, '.to-messages')).toBe('我的消息');
  });

  test('home: 消息 with a badge of the unread count', async () => {
    const wx = mockWx({
      'GET owner/me': ME,
      'GET owner/resources': { resources: [RESOURCE] },
      'GET owner/bills': billsAnswer(),
      'GET owner/notices': { notices: [], total_count: 0, unread_count: 0 },
    }, { wx: { setTabBarBadge: jest.fn(), removeTabBarBadge: jest.fn() } });
    const page = loadPage('home');
    await page.instance.onShow();
    await flush();
    expect(text(page, '.to-messages')).toBe('2消息');
    page.querySelector('.to-messages').dispatchEvent('tap');
    await flush();
    expect(wx.navigateTo).toHaveBeenCalledWith({ url: '/pages/messages/index' });
  });
});
