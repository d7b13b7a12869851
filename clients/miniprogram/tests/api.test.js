const { mockWx, flush } = require('./helpers');

beforeEach(() => {
  jest.resetModules();
});

describe('utils/api', () => {
  test('GET: base URL from config, query string, bearer token, JSON answer', async () => {
    const wx = mockWx({ 'GET owner/bills': { state: 'open', resources: [] } }, { token: 'abc' });
    const api = require('../miniprogram/utils/api');
    const answer = await api.get('owner/bills', { state: 'open', resource: 262, empty: '' });
    expect(answer).toEqual({ state: 'open', resources: [] });
    const req = wx.request.mock.calls[0][0];
    expect(req.url).toBe('https://property.example.com/aishang/api/v1/owner/bills?state=open&resource=262');
    expect(req.method).toBe('GET');
    expect(req.data).toBeUndefined();
    expect(req.header.Authorization).toBe('Bearer abc');
  });

  test('POST sends a JSON body; no token, no Authorization header', async () => {
    const wx = mockWx({ 'POST owner/sms/send': { sent: true } }, { token: null });
    const api = require('../miniprogram/utils/api');
    await api.post('owner/sms/send', { phone: '13800000301' });
    const req = wx.request.mock.calls[0][0];
    expect(req.data).toEqual({ phone: '13800000301' });
    expect(req.header['Content-Type']).toBe('application/json');
    expect(req.header.Authorization).toBeUndefined();
  });

  test('an error answer rejects with its code and shows its message', async () => {
    const error = { code: 'oldest_first', message: '须先缴纳更早的账单。', bill_id: 486, older_bill_id: 485 };
    const wx = mockWx({ 'POST owner/bills/check': { status: 409, data: { error } } });
    const api = require('../miniprogram/utils/api');
    const err = await api.post('owner/bills/check', { bill_ids: [486] }).catch((e) => e);
    expect(err).toBeInstanceOf(api.ApiError);
    expect(err.status).toBe(409);
    expect(err.code).toBe('oldest_first');
    expect(err.message).toBe('须先缴纳更早的账单。');
    expect(err.detail.older_bill_id).toBe(485);
    expect(wx.showToast).toHaveBeenCalledWith(expect.objectContaining({ title: '须先缴纳更早的账单。', icon: 'none' }));
    expect(wx.reLaunch).not.toHaveBeenCalled();
  });

  test('silent: no toast', async () => {
    const wx = mockWx({ 'GET owner/me': { status: 500, data: { error: { code: 'internal', message: '内部错误' } } } });
    const api = require('../miniprogram/utils/api');
    await expect(api.get('owner/me', undefined, { silent: true })).rejects.toMatchObject({ code: 'internal' });
    expect(wx.showToast).not.toHaveBeenCalled();
  });

  test('401 clears the session and relaunches to login', async () => {
    const wx = mockWx({ 'GET owner/me': { status: 401, data: { error: { code: 'unauthorized', message: '请重新登录。' } } } }, { token: 'old' });
    const api = require('../miniprogram/utils/api');
    const session = require('../miniprogram/utils/session');
    await expect(api.get('owner/me')).rejects.toMatchObject({ status: 401 });
    expect(wx.reLaunch).toHaveBeenCalledWith({ url: '/pages/login/index' });
    expect(session.token()).toBeNull();
    expect(wx.store['aishang.session']).toBeUndefined();
  });

  test('403 not_verified goes to login, other 403s do not', async () => {
    const wx = mockWx({
      'GET owner/bills': { status: 403, data: { error: { code: 'not_verified', message: '请先验证业主身份。' } } },
      'GET owner/receipts': { status: 403, data: { error: { code: 'forbidden', message: '无权访问。' } } },
    });
    const api = require('../miniprogram/utils/api');
    await api.get('owner/receipts').catch(() => null);
    expect(wx.reLaunch).not.toHaveBeenCalled();
    await api.get('owner/bills').catch(() => null);
    expect(wx.reLaunch).toHaveBeenCalledWith({ url: '/pages/login/index' });
  });

  test('noRedirect keeps the page on 401', async () => {
    const wx = mockWx({ 'POST owner/logout': { status: 401, data: { error: { code: 'unauthorized', message: 'x' } } } });
    const api = require('../miniprogram/utils/api');
    await api.post('owner/logout', undefined, { silent: true, noRedirect: true }).catch(() => null);
    expect(wx.reLaunch).not.toHaveBeenCalled();
  });

  test('a non-JSON error and a network failure get Chinese messages', async () => {
    const wx = mockWx({
      'GET owner/me': { status: 502, data: '<html>Bad Gateway</html>' },
      'GET owner/resources': { networkError: true },
    });
    const api = require('../miniprogram/utils/api');
    await expect(api.get('owner/me')).rejects.toMatchObject({ code: 'http_502', message: '请求失败（502）' });
    await expect(api.get('owner/resources')).rejects.toMatchObject({ code: 'network', status: 0, message: '网络异常，请稍后重试' });
    expect(wx.showToast).toHaveBeenCalledTimes(2);
  });

  test('openFile downloads with the token and opens the document', async () => {
    const wx = mockWx({}, { token: 'abc' });
    const api = require('../miniprogram/utils/api');
    const file = await api.openFile('owner/receipts/494/pdf', { fileType: 'pdf' });
    expect(file).toBe('wxfile://tmp/1.pdf');
    const dl = wx.downloadFile.mock.calls[0][0];
    expect(dl.url).toBe('https://property.example.com/aishang/api/v1/owner/receipts/494/pdf');
    expect(dl.header.Authorization).toBe('Bearer abc');
    expect(wx.openDocument).toHaveBeenCalledWith(expect.objectContaining({ filePath: 'wxfile://tmp/1.pdf', fileType: 'pdf' }));
  });

  test('openFile: a 404 download shows an error and opens nothing', async () => {
    const wx = mockWx({}, { wx: { downloadFile: jest.fn((o) => o.success({ statusCode: 404, tempFilePath: 'x' })) } });
    const api = require('../miniprogram/utils/api');
    await expect(api.openFile('owner/notices/1/attachments/2')).rejects.toMatchObject({ status: 404 });
    expect(wx.openDocument).not.toHaveBeenCalled();
    expect(wx.showToast).toHaveBeenCalledWith(expect.objectContaining({ title: '文件下载失败' }));
    await flush();
  });
});

describe('utils/session', () => {
  test('save, reload from storage, clear', () => {
    const wx = mockWx({}, { token: null });
    let session = require('../miniprogram/utils/session');
    expect(session.token()).toBeNull();
    session.save({ token: 't1', verified: false, expires_at: '2026-12-28T02:49:34Z', owner: null });
    expect(session.isVerified()).toBe(false);
    session.update({ verified: true });
    jest.resetModules();
    session = require('../miniprogram/utils/session');
    expect(session.token()).toBe('t1');
    expect(session.isVerified()).toBe(true);
    session.clear();
    expect(session.token()).toBeNull();
    expect(wx.removeStorageSync).toHaveBeenCalledWith('aishang.session');
  });
});

describe('utils/format', () => {
  test('UTC date-times are shown in Beijing time', () => {
    const { localDate } = require('../miniprogram/utils/format');
    expect(localDate('2026-11-28T01:30:00Z')).toBe('2026-11-28 09:30');
    expect(localDate('2026-11-28T20:00:00Z')).toBe('2026-11-29 04:00');
    expect(localDate(null)).toBe('');
    expect(localDate('not a date')).toBe('not a date');
  });
});

describe('domains/payments/poll', () => {
  const { pollOrder } = require('../miniprogram/domains/payments/poll');
  const sleep = jest.fn(() => Promise.resolve());

  test('asks until the order leaves pending', async () => {
    const states = ['pending', 'pending', 'paid'];
    const fetch = jest.fn(() => Promise.resolve({ order: { id: 12, state: states.shift() } }));
    const order = await pollOrder(fetch, { attempts: 10, intervalMs: 5, sleep });
    expect(order.state).toBe('paid');
    expect(fetch).toHaveBeenCalledTimes(3);
    expect(sleep).toHaveBeenCalledWith(5);
  });

  test('gives up after the attempts with the last pending order', async () => {
    const fetch = jest.fn(() => Promise.resolve({ order: { id: 12, state: 'pending' } }));
    const order = await pollOrder(fetch, { attempts: 3, sleep });
    expect(order.state).toBe('pending');
    expect(fetch).toHaveBeenCalledTimes(3);
  });

  test('a network error is retried, a 401 is not', async () => {
    const fetch = jest.fn()
      .mockRejectedValueOnce({ status: 0 })
      .mockResolvedValueOnce({ order: { state: 'failed' } });
    expect((await pollOrder(fetch, { attempts: 3, sleep })).state).toBe('failed');
    const denied = jest.fn().mockRejectedValue({ status: 401 });
    await expect(pollOrder(denied, { attempts: 3, sleep })).rejects.toEqual({ status: 401 });
    expect(denied).toHaveBeenCalledTimes(1);
  });
});
