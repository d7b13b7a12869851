// Test helpers: a fake owner API behind wx.request, wx API mocks, and a
// page loader for miniprogram-simulate. Call jest.resetModules() in
// beforeEach (a second load() of a component breaks otherwise).
const path = require('path');

const ROOT = path.resolve(__dirname, '..', 'miniprogram');
const BASE = 'https://property.example.com/aishang/api/v1/';

// routes: {'GET owner/bills': answer | (req) => answer}; an answer is
// {status, data} or plain data (status 200). Unknown routes answer 404.
function fakeServer(routes) {
  const calls = [];
  const request = jest.fn((req) => {
    const url = req.url.slice(BASE.length);
    const [pathPart, queryPart] = url.split('?');
    const key = `${req.method} ${pathPart}`;
    const call = Object.assign({ path: pathPart, query: queryPart || '' }, req);
    calls.push(call);
    let answer = routes[key];
    if (typeof answer === 'function') answer = answer(call);
    if (answer === undefined) {
      answer = { status: 404, data: { error: { code: 'not_found', message: '未找到。' } } };
    }
    if (answer && answer.networkError) {
      setTimeout(() => req.fail({ errMsg: 'request:fail' }), 0);
      return;
    }
    const res = answer && answer.status !== undefined
      ? { statusCode: answer.status, data: answer.data }
      : { statusCode: 200, data: answer };
    setTimeout(() => req.success(res), 0);
  });
  request.calls = calls;
  request.last = (key) => calls.filter((c) => `${c.method} ${c.path}` === key).pop();
  return request;
}

// wx.uploadFile answering answer(call) = {status, data} (data sent as JSON
// text, as WeChat hands the body to the mini-program) or {networkError}.
function fakeUpload(answer) {
  return jest.fn((req) => {
    const res = answer(req);
    setTimeout(() => {
      if (res.networkError) req.fail({ errMsg: 'uploadFile:fail' });
      else req.success({ statusCode: res.status, data: JSON.stringify(res.data) });
    }, 0);
  });
}

function storage(initial) {
  const store = Object.assign({}, initial);
  return {
    store,
    getStorageSync: jest.fn((k) => (k in store ? store[k] : '')),
    setStorageSync: jest.fn((k, v) => { store[k] = v; }),
    removeStorageSync: jest.fn((k) => { delete store[k]; }),
  };
}

// Installs wx mocks on the global wx (after miniprogram-simulate set it up).
function mockWx(routes, options = {}) {
  require('miniprogram-simulate');
  const token = options.token === undefined ? 'tok-1' : options.token;
  const initial = token
    ? { 'aishang.session': { token, verified: options.verified !== false, owner: null } }
    : {};
  const mocks = Object.assign(storage(initial), {
    request: fakeServer(routes || {}),
    showToast: jest.fn(),
    showLoading: jest.fn(),
    hideLoading: jest.fn(),
    showModal: jest.fn((o) => o.success && o.success({ confirm: true, cancel: false })),
    reLaunch: jest.fn(),
    switchTab: jest.fn(),
    navigateTo: jest.fn(),
    redirectTo: jest.fn(),
    login: jest.fn((o) => o.success({ code: 'wx-code-1', errMsg: 'login:ok' })),
    requestPayment: jest.fn((o) => o.success({ errMsg: 'requestPayment:ok' })),
    downloadFile: jest.fn((o) => o.success({ statusCode: 200, tempFilePath: 'wxfile://tmp/1.pdf' })),
    uploadFile: fakeUpload(() => ({ status: 201, data: { photo: { id: 1 } } })),
    openDocument: jest.fn(),
    previewImage: jest.fn(),
    setNavigationBarTitle: jest.fn(),
    stopPullDownRefresh: jest.fn(),
  }, options.wx || {});
  Object.assign(global.wx, mocks);
  return global.wx;
}

// What WeChat has and the simulator lacks, for Vant's tabs (inside
// van-cascader): getCurrentPages (its sticky header) and a component's
// groupSetData (here: apply at once).
function shimWeChat() {
  global.getCurrentPages = () => [];
  const exparser = require('miniprogram-exparser');
  const setMethodCaller = exparser.Element.setMethodCaller;
  if (setMethodCaller.shimmed) return;
  exparser.Element.setMethodCaller = function withGroupSetData(node, caller) {
    if (caller && !caller.groupSetData) Object.assign(caller, { groupSetData: (update) => update() });
    return setMethodCaller.call(this, node, caller);
  };
  exparser.Element.setMethodCaller.shimmed = true;
}

function loadPage(name) {
  const simulate = require('miniprogram-simulate');
  shimWeChat();
  const id = simulate.load(path.join(ROOT, 'pages', name, 'index'), { rootPath: ROOT });
  const comp = simulate.render(id);
  comp.attach(document.createElement('parent-wrapper'));
  return comp;
}

// Lets the fake server answer and the page render.
async function flush(times = 5) {
  for (let i = 0; i < times; i += 1) {
    await new Promise((resolve) => setTimeout(resolve, 0));
  }
}

function text(comp, selector) {
  const node = comp.querySelector(selector);
  if (!node) throw new Error(`no ${selector}`);
  return node.dom.textContent.replace(/\s+/g, ' ').trim();
}

function all(comp, selector) {
  return comp.querySelectorAll(selector);
}

// Taps a van-button found by class: its inner .van-button emits "click".
function tapButton(comp, selector) {
  const button = comp.querySelector(selector);
  if (!button) throw new Error(`no ${selector}`);
  button.querySelector('.van-button').dispatchEvent('tap');
}

module.exports = { ROOT, BASE, fakeServer, fakeUpload, mockWx, loadPage, flush, text, all, tapButton };
