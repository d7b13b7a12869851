const { mockWx, loadPage, flush, text, tapButton } = require('./helpers');

const VERIFIED = {
  token: 'tok-verified',
  expires_at: '2026-12-28T02:49:34Z',
  verified: true,
  owner: { id: 507, name: '王建国', phone: '138****0311' },
  linked_resources: [{ id: 273, code: '2-1-311', name: '翠湖花园 2-1-311' }],
};
const UNVERIFIED = Object.assign({}, VERIFIED, { token: 'tok-wx', verified: false, owner: null, linked_resources: [] });

beforeEach(() => {
  jest.resetModules();
});

describe('login page', () => {
  test('a new WeChat account sees the phone button and the SMS form', async () => {
    const wx = mockWx({ 'POST owner/login/wechat': UNVERIFIED }, { token: null });
    const page = loadPage('login');
    await page.instance.onLoad();
    await flush();
    expect(wx.request.last('POST owner/login/wechat').data).toEqual({ code: 'wx-code-1' });
    expect(page.querySelector('.phone-btn')).toBeTruthy();
    expect(page.querySelector('.verify-btn')).toBeTruthy();
    expect(page.dom.textContent).toContain('微信手机号一键验证');
    expect(wx.store['aishang.session'].token).toBe('tok-wx');
    expect(wx.switchTab).not.toHaveBeenCalled();
  });

  test('a returning owner goes straight home', async () => {
    const wx = mockWx({ 'POST owner/login/wechat': VERIFIED }, { token: null });
    const page = loadPage('login');
    await page.instance.onLoad();
    expect(wx.switchTab).toHaveBeenCalledWith({ url: '/pages/home/index' });
  });

  test('the phone-number button verifies with its code and the session token', async () => {
    const wx = mockWx({
      'POST owner/login/wechat': UNVERIFIED,
      'POST owner/verify/wechat-phone': Object.assign({}, VERIFIED, { token: 'tok-wx' }),
    }, { token: null });
    const page = loadPage('login');
    await page.instance.onLoad();
    await flush();
    page.querySelector('.phone-btn').instance.triggerEvent('getphonenumber', { code: 'phone-code-9' });
    await flush();
    const call = wx.request.last('POST owner/verify/wechat-phone');
    expect(call.data).toEqual({ code: 'phone-code-9' });
    expect(call.header.Authorization).toBe('Bearer tok-wx');
    expect(wx.switchTab).toHaveBeenCalledWith({ url: '/pages/home/index' });
    expect(wx.store['aishang.session'].verified).toBe(true);
  });

  test('refusing the phone number suggests the SMS code', async () => {
    const wx = mockWx({ 'POST owner/login/wechat': UNVERIFIED }, { token: null });
    const page = loadPage('login');
    await page.instance.onLoad();
    await flush();
    await page.instance.onPhoneNumber({ detail: { errMsg: 'getPhoneNumber:fail user deny' } });
    expect(wx.request.last('POST owner/verify/wechat-phone')).toBeUndefined();
    expect(wx.showToast.mock.calls[0][0].title).toContain('短信验证码');
  });

  test('SMS: send a code, count down, verify, go home', async () => {
    jest.useFakeTimers({ doNotFake: ['setTimeout'] });
    const wx = mockWx({
      'POST owner/login/wechat': { status: 502, data: { error: { code: 'upstream_failed', message: '微信服务暂不可用。' } } },
      'POST owner/sms/send': { sent: true, expires_in: 300, resend_after: 60 },
      'POST owner/verify/sms': VERIFIED,
    }, { token: null });
    const page = loadPage('login');
    await page.instance.onLoad();
    await flush();
    expect(page.querySelector('.phone-btn')).toBeFalsy();
    expect(text(page, '.wechat-error')).toContain('微信服务暂不可用');

    page.querySelector('.phone-field').instance.triggerEvent('change', ' 13800000311 ');
    page.querySelector('.code-field').instance.triggerEvent('change', '482913');
    tapButton(page, '.sms-btn');
    await flush();
    expect(wx.request.last('POST owner/sms/send').data).toEqual({ phone: '13800000311' });
    expect(wx.request.last('POST owner/sms/send').header.Authorization).toBeUndefined();
    expect(page.data.countdown).toBe(60);
    jest.advanceTimersByTime(3000);
    expect(page.data.countdown).toBe(57);
    expect(text(page, '.sms-btn')).toContain('57秒后重发');

    tapButton(page, '.verify-btn');
    await flush();
    expect(wx.request.last('POST owner/verify/sms').data).toEqual({ phone: '13800000311', code: '482913' });
    expect(wx.store['aishang.session'].token).toBe('tok-verified');
    expect(wx.switchTab).toHaveBeenCalledWith({ url: '/pages/home/index' });
    page.detach();
    jest.useRealTimers();
  });

  test('a wrong code shows the server message and stays', async () => {
    const wx = mockWx({
      'POST owner/login/wechat': UNVERIFIED,
      'POST owner/verify/sms': { status: 400, data: { error: { code: 'code_wrong', message: '验证码错误，还可尝试4次。', attempts_left: 4 } } },
    }, { token: null });
    const page = loadPage('login');
    await page.instance.onLoad();
    await flush();
    page.setData({ phone: '13800000311', code: '000000' });
    await page.instance.onVerifySms();
    expect(wx.showToast).toHaveBeenCalledWith(expect.objectContaining({ title: '验证码错误，还可尝试4次。' }));
    expect(wx.switchTab).not.toHaveBeenCalled();
    expect(wx.reLaunch).not.toHaveBeenCalled();
    expect(page.data.verifying).toBe(false);
  });
});
