const { mockWx, loadPage, flush, text, all, tapButton } = require('./helpers');
const { billsAnswer } = require('./fixtures');

beforeEach(() => {
  jest.resetModules();
});

function checkRoute(totals) {
  return (req) => ({ bills: req.data.bill_ids.map((id) => ({ id })), total: totals[req.data.bill_ids.join(',')] || '999.99', currency: 'CNY' });
}

describe('bills page', () => {
  test('renders groups by resource and fee item, oldest first', async () => {
    mockWx({ 'GET owner/bills': billsAnswer() });
    const page = loadPage('bills');
    await page.instance.onShow();
    await flush();
    const groups = all(page, '.group');
    expect(groups).toHaveLength(3);
    expect(text(page, '.group-title')).toBe('翠湖花园 2-1-301');
    expect(page.dom.textContent).toContain('其他费用');
    const rows = all(page, '.bill-row').map((r) => Number(r.dom.getAttribute('data-id') || r.dom.className.match(/bill-(\d+)/)[1]));
    expect(rows.slice(0, 3)).toEqual([485, 486, 487]);
    expect(text(page, '.bill-485')).toContain('2026-01-01 至 2026-01-28');
    expect(text(page, '.bill-485')).toContain('已逾期');
    expect(text(page, '.bill-485')).toContain('含滞纳金 ¥3.09');
    expect(text(page, '.bill-485')).toContain('¥208.94');
  });

  test('ticking a newer bill ticks the older ones and shows the server total', async () => {
    const wx = mockWx({
      'GET owner/bills': billsAnswer(),
      'POST owner/bills/check': checkRoute({ '485,486': '414.79' }),
    });
    const page = loadPage('bills');
    await page.instance.onShow();
    await flush();
    page.querySelector('.bill-486').dispatchEvent('tap');
    await flush(1);
    expect(text(page, '.footer-total')).toContain('计算中');
    await flush();
    expect(wx.request.last('POST owner/bills/check').data).toEqual({ bill_ids: [485, 486] });
    expect(page.data.selectedIds).toEqual([485, 486]);
    expect(text(page, '.total')).toBe('¥414.79');
    expect(page.querySelector('.bill-485').dom.className).toContain('checked');
    expect(page.querySelector('.bill-487').dom.className).not.toContain('checked');
    expect(wx.showToast.mock.calls[0][0].title).toContain('更早的账单');

    tapButton(page, '.pay-btn');
    await flush();
    expect(wx.navigateTo).toHaveBeenCalledWith({ url: '/pages/pay/index?ids=485,486' });
  });

  test('unticking an older bill unticks the newer ones', async () => {
    mockWx({ 'GET owner/bills': billsAnswer(), 'POST owner/bills/check': checkRoute({}) });
    const page = loadPage('bills');
    await page.instance.onShow();
    await flush();
    page.querySelector('.bill-487').dispatchEvent('tap');
    await flush();
    page.querySelector('.bill-485').dispatchEvent('tap');
    await flush();
    expect(page.data.selectedIds).toEqual([]);
    expect(text(page, '.total')).toBe('¥0.00');
  });

  test('the server refusal is shown and no total is offered', async () => {
    const wx = mockWx({
      'GET owner/bills': billsAnswer(),
      'POST owner/bills/check': { status: 409, data: { error: { code: 'bill_not_payable', message: '账单“ZD10000485”已缴清。', bill_id: 485 } } },
    });
    const page = loadPage('bills');
    await page.instance.onShow();
    await flush();
    page.querySelector('.bill-485').dispatchEvent('tap');
    await flush();
    expect(wx.showToast).toHaveBeenCalledWith(expect.objectContaining({ title: '账单“ZD10000485”已缴清。' }));
    expect(page.data.total).toBe('');
    tapButton(page, '.pay-btn');
    await flush();
    expect(wx.navigateTo).not.toHaveBeenCalled();
  });

  test('an answer for an older selection is ignored', async () => {
    mockWx({ 'GET owner/bills': billsAnswer(), 'POST owner/bills/check': checkRoute({ 485: '208.94', 488: '150.00', '485,488': '358.94' }) });
    const page = loadPage('bills');
    await page.instance.onShow();
    await flush();
    page.querySelector('.bill-485').dispatchEvent('tap');
    page.querySelector('.bill-488').dispatchEvent('tap');
    await flush();
    expect(page.data.total).toBe('358.94');
  });

  test('select all', async () => {
    const wx = mockWx({ 'GET owner/bills': billsAnswer(), 'POST owner/bills/check': checkRoute({}) });
    const page = loadPage('bills');
    await page.instance.onShow();
    await flush();
    page.querySelector('.select-all').dispatchEvent('tap');
    await flush();
    expect(wx.request.last('POST owner/bills/check').data.bill_ids.sort()).toEqual([485, 486, 487, 488, 490, 491, 495]);
    expect(text(page, '.select-all')).toBe('取消全选');
  });

  test('no open bills: an empty state', async () => {
    mockWx({ 'GET owner/bills': { state: 'open', resources: [], totals: { balance: '0.00' }, total_count: 0 } });
    const page = loadPage('bills');
    await page.instance.onShow();
    await flush();
    expect(page.querySelector('.empty')).toBeTruthy();
    expect(page.querySelector('.footer-bar')).toBeFalsy();
  });

  test('without a verified session: to login', async () => {
    const wx = mockWx({}, { token: null });
    const page = loadPage('bills');
    await page.instance.onShow();
    expect(wx.reLaunch).toHaveBeenCalledWith({ url: '/pages/login/index' });
    expect(wx.request).not.toHaveBeenCalled();
  });
});
