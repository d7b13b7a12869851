const { mockWx, loadPage, flush, text, tapButton } = require('./helpers');

const ORDER = {
  id: 12, out_trade_no: 'PAY000000012', state: 'pending', state_string: '待支付', channel: 'wechat',
  amount: '411.70', expires_at: '2026-11-28T03:30:00+00:00', paid_at: null, receipt: null, receipt_id: null,
  bills: [{ id: 485, number: 'ZD10000485', amount: '205.85' }, { id: 486, number: 'ZD10000486', amount: '205.85' }],
};
const PARAMETERS = {
  appId: 'wx123', timeStamp: '1795830000', nonceStr: 'n0nce', package: 'prepay_id=wx2026', signType: 'RSA', paySign: 'sig==',
};
const CHECK = {
  bills: [
    { id: 485, number: 'ZD10000485', fee_item: { id: 181, name: '物业费' }, period_start: '2026-01-01', period_end: '2026-01-31', balance: '205.85' },
    { id: 486, number: 'ZD10000486', fee_item: { id: 181, name: '物业费' }, period_start: '2026-02-01', period_end: '2026-02-28', balance: '205.85' },
  ],
  total: '411.70',
  currency: 'CNY',
};

beforeEach(() => {
  jest.resetModules();
  const config = require('../miniprogram/config');
  config.payPollIntervalMs = 0;
  config.payPollAttempts = 5;
});

async function openPage(routes, wxOverrides) {
  const wx = mockWx(Object.assign({ 'POST owner/bills/check': CHECK }, routes), { wx: wxOverrides });
  const page = loadPage('pay');
  await page.instance.onLoad({ ids: '485,486' });
  await flush();
  return { wx, page };
}

describe('pay page', () => {
  test('shows the bills and the server total', async () => {
    const { wx, page } = await openPage({});
    expect(wx.request.last('POST owner/bills/check').data).toEqual({ bill_ids: [485, 486] });
    expect(text(page, '.pay-total')).toBe('411.70');
    expect(page.dom.textContent).toContain('物业费 2026-01-01 至 2026-01-31');
    expect(text(page, '.pay-btn')).toContain('微信支付 ¥411.70');
  });

  test('creates the order, pays with its parameters, polls until paid, opens the receipt', async () => {
    let polls = 0;
    const { wx, page } = await openPage({
      'POST owner/payments': { order: ORDER, parameters: PARAMETERS, reused: false },
      'GET owner/payments/12': () => {
        polls += 1;
        return { order: polls < 3 ? ORDER : Object.assign({}, ORDER, { state: 'paid', state_string: '已支付', receipt: 'CH-0000001', receipt_id: 494 }) };
      },
    });
    tapButton(page, '.pay-btn');
    await flush(20);
    expect(wx.request.last('POST owner/payments').data).toEqual({ bill_ids: [485, 486], channel: 'wechat' });
    const pay = wx.requestPayment.mock.calls[0][0];
    expect(pay).toMatchObject({ timeStamp: '1795830000', nonceStr: 'n0nce', package: 'prepay_id=wx2026', signType: 'RSA', paySign: 'sig==' });
    expect(polls).toBe(3);
    expect(page.data.status).toBe('done');
    expect(text(page, '.result-state')).toBe('已支付');
    expect(text(page, '.order-no')).toContain('PAY000000012');
    tapButton(page, '.receipt-btn');
    await flush();
    expect(wx.redirectTo).toHaveBeenCalledWith({ url: '/pages/receipt/index?id=494' });
  });

  test('cancelling the payment keeps the page ready to pay again', async () => {
    const { wx, page } = await openPage(
      { 'POST owner/payments': { order: ORDER, parameters: PARAMETERS, reused: false } },
      { requestPayment: jest.fn((o) => o.fail({ errMsg: 'requestPayment:fail cancel' })) },
    );
    await page.instance.onPay();
    expect(wx.showToast).toHaveBeenCalledWith(expect.objectContaining({ title: '已取消支付' }));
    expect(wx.request.last('GET owner/payments/12')).toBeUndefined();
    expect(page.data.status).toBe('idle');
    expect(page.querySelector('.pay-btn')).toBeTruthy();
  });

  test('a refused order shows the server message', async () => {
    const { wx, page } = await openPage({
      'POST owner/payments': { status: 409, data: { error: { code: 'payment_refused', message: '账单已在另一笔待支付订单中。' } } },
    });
    await page.instance.onPay();
    expect(wx.showToast).toHaveBeenCalledWith(expect.objectContaining({ title: '账单已在另一笔待支付订单中。' }));
    expect(wx.requestPayment).not.toHaveBeenCalled();
    expect(page.data.status).toBe('idle');
  });

  test('still pending after polling: tells the owner to look later', async () => {
    const { page } = await openPage({
      'POST owner/payments': { order: ORDER, parameters: PARAMETERS, reused: true },
      'GET owner/payments/12': { order: ORDER },
    });
    await page.instance.onPay();
    await flush();
    expect(page.data.status).toBe('done');
    expect(page.dom.textContent).toContain('支付结果确认中');
    expect(page.querySelector('.back-btn')).toBeTruthy();
  });
});
