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
    { id: 485, number: 'ZD10000485', project_id: 358, resource_id: 262, fee_item: { id: 181, name: '物业费' }, period_start: '2026-01-01', period_end: '2026-01-31', balance: '205.85' },
    { id: 486, number: 'ZD10000486', project_id: 358, resource_id: 262, fee_item: { id: 181, name: '物业费' }, period_start: '2026-02-01', period_end: '2026-02-28', balance: '205.85' },
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

// The bills are of project 358; 400 is another project of the owner (江南苑).
const channels = (...list) => ({ channels: list });
const WECHAT_358 = { kind: 'wechat', name: '微信支付', project_ids: [358] };
const NO_WECHAT = '本小区暂未开通微信支付，请到物业服务中心缴费';

async function openPage(routes, wxOverrides) {
  const wx = mockWx(Object.assign({
    'POST owner/bills/check': CHECK,
    'GET owner/payment-channels': channels(WECHAT_358),
  }, routes), { wx: wxOverrides });
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
    expect(wx.request.last('GET owner/payment-channels')).toBeTruthy();
    expect(page.data.channel).toBe('ready');
    expect(page.querySelector('.no-wechat')).toBeFalsy();
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

  test('no WeChat Pay for the project of the bills: a clear message and no pay button', async () => {
    const { wx, page } = await openPage({
      'GET owner/payment-channels': channels(
        { kind: 'wechat', name: '微信支付', project_ids: [400] },
        { kind: 'alipay', name: '支付宝', project_ids: [358] },
      ),
    });
    expect(text(page, '.pay-total')).toBe('411.70');
    expect(page.data.channel).toBe('unavailable');
    expect(text(page, '.no-wechat')).toBe(NO_WECHAT);
    expect(page.querySelector('.pay-btn')).toBeFalsy();
    await page.instance.onPay();
    expect(wx.request.last('POST owner/payments')).toBeUndefined();
    expect(wx.requestPayment).not.toHaveBeenCalled();
    // the check itself is silent: only the page's message
    expect(wx.showToast).not.toHaveBeenCalled();
  });

  test('online payment not activated (404): the same message, no pay button', async () => {
    const { page } = await openPage({ 'GET owner/payment-channels': undefined });
    expect(text(page, '.no-wechat')).toBe(NO_WECHAT);
    expect(page.querySelector('.pay-btn')).toBeFalsy();
  });

  test('a charge of another project (no resource): WeChat Pay of that project, from the bill alone', async () => {
    const charge = Object.assign({}, CHECK, {
      bills: [Object.assign({}, CHECK.bills[0], {
        id: 495, project_id: 400, resource_id: null, fee_item: { id: 190, name: '临时费用' },
      })],
      total: '50.00',
    });
    const { wx, page } = await openPage({
      'POST owner/bills/check': charge,
      'GET owner/payment-channels': channels({ kind: 'wechat', name: '微信支付', project_ids: [400] }),
    });
    expect(wx.request.last('GET owner/resources')).toBeUndefined();
    expect(page.data.channel).toBe('ready');
    expect(text(page, '.pay-btn')).toContain('微信支付 ¥50.00');
  });

  test('no WeChat channel in any project (only others): not offered', async () => {
    const { page } = await openPage({
      'GET owner/payment-channels': channels({ kind: 'sandbox', name: '模拟支付', project_ids: [358, 400] }),
    });
    expect(text(page, '.no-wechat')).toBe(NO_WECHAT);
    expect(page.querySelector('.pay-btn')).toBeFalsy();
  });

  test('the channels cannot be read: no pay button until a retry succeeds', async () => {
    const answers = [{ networkError: true }, channels(WECHAT_358)];
    const { wx, page } = await openPage({ 'GET owner/payment-channels': () => answers.shift() });
    expect(page.data.channel).toBe('failed');
    expect(page.querySelector('.pay-btn')).toBeFalsy();
    expect(text(page, '.channel-failed')).toContain('请稍后重试');

    tapButton(page, '.retry-btn');
    await flush(1);
    expect(page.data.channel).toBe('checking');
    await page.instance.onPay();
    expect(wx.request.last('POST owner/payments')).toBeUndefined();
    await flush();
    expect(page.data.channel).toBe('ready');
    expect(text(page, '.pay-btn')).toContain('微信支付 ¥411.70');
    expect(wx.request.calls.filter((c) => c.path === 'owner/payment-channels')).toHaveLength(2);
  });
});

describe('domains/payments/channels', () => {
  const { offers } = require('../miniprogram/domains/payments/channels');
  const list = [{ kind: 'wechat', project_ids: [358] }, { kind: 'alipay', project_ids: [358, 400] }];

  test('every bill\'s project must be listed for the kind', () => {
    expect(offers(list, 'wechat', [{ project_id: 358 }])).toBe(true);
    expect(offers(list, 'wechat', [{ project_id: 358 }, { project_id: 400 }])).toBe(false);
    expect(offers(list, 'alipay', [{ project_id: 358 }, { project_id: 400 }])).toBe(true);
    expect(offers(list, 'unionpay', [{ project_id: 358 }])).toBe(false);
  });

  test('a channel in no project takes nothing', () => {
    expect(offers([{ kind: 'wechat', project_ids: [] }], 'wechat', [{ project_id: 358 }])).toBe(false);
    expect(offers([], 'wechat', [])).toBe(false);
  });
});
