// The one wrapper of wx.request for the owner API (docs/owner-api.md).
// Server errors are {"error": {"code", "message", ...}}: the message is
// already translated and is shown as is.
const config = require('../config');
const session = require('./session');

const LOGIN_PAGE = '/pages/login/index';

class ApiError extends Error {
  constructor(status, error) {
    super((error && error.message) || '网络异常，请稍后重试');
    this.name = 'ApiError';
    this.status = status;
    this.code = (error && error.code) || 'network';
    this.detail = error || {};
  }
}

function url(path) {
  return config.baseUrl + String(path).replace(/^\//, '');
}

function query(params) {
  const parts = Object.keys(params || {})
    .filter((k) => params[k] !== undefined && params[k] !== null && params[k] !== '')
    .map((k) => `${encodeURIComponent(k)}=${encodeURIComponent(params[k])}`);
  return parts.length ? `?${parts.join('&')}` : '';
}

function headers() {
  const h = { 'Content-Type': 'application/json', 'Accept-Language': 'zh-CN' };
  const token = session.token();
  if (token) h.Authorization = `Bearer ${token}`;
  return h;
}

function toLogin() {
  session.clear();
  wx.reLaunch({ url: LOGIN_PAGE });
}

function fail(err, options) {
  if (!options.silent) {
    wx.showToast({ title: err.message, icon: 'none', duration: 3000 });
  }
  const toLoginPage = err.status === 401
    || (err.status === 403 && err.code === 'not_verified');
  if (toLoginPage && !options.noRedirect) toLogin();
  return err;
}

// request('GET', 'owner/bills', {state: 'open'}) resolves with the JSON
// answer; it rejects with an ApiError after showing its message, unless
// options.silent. A 401 (or an unverified session) goes back to login.
function request(method, path, data, options = {}) {
  const isGet = method === 'GET';
  return new Promise((resolve, reject) => {
    wx.request({
      url: url(path) + (isGet ? query(data) : ''),
      method,
      data: isGet ? undefined : (data || {}),
      header: headers(),
      timeout: config.timeout,
      dataType: 'json',
      success(res) {
        if (res.statusCode >= 200 && res.statusCode < 300) {
          resolve(res.data);
          return;
        }
        const body = res.data && typeof res.data === 'object' ? res.data : {};
        const error = body.error || {
          code: 'http_' + res.statusCode,
          message: `请求失败（${res.statusCode}）`,
        };
        reject(fail(new ApiError(res.statusCode, error), options));
      },
      fail() {
        reject(fail(new ApiError(0, null), options));
      },
    });
  });
}

// Fails a download or an upload from its HTTP status (the body of a
// download is the file, not a JSON error).
function transferError(statusCode, message) {
  return new ApiError(statusCode, {
    code: 'http_' + statusCode,
    message: statusCode === 401 ? '登录已过期，请重新登录' : message,
  });
}

// Downloads a file of the API (ticket photo, receipt PDF, notice
// attachment) with the session header: <image> and openDocument cannot send
// it. Resolves with the temporary local path. options.loading shows a
// loading toast meanwhile; options.silent as for request().
function download(path, options = {}) {
  return new Promise((resolve, reject) => {
    const done = () => options.loading && wx.hideLoading();
    if (options.loading) wx.showLoading({ title: '下载中' });
    wx.downloadFile({
      url: url(path),
      header: headers(),
      success(res) {
        done();
        if (res.statusCode !== 200) {
          reject(fail(transferError(res.statusCode, '文件下载失败'), options));
          return;
        }
        resolve(res.tempFilePath);
      },
      fail() {
        done();
        reject(fail(new ApiError(0, null), options));
      },
    });
  });
}

// Downloads a file of the API and opens it (PDF, office documents).
function openFile(path, options = {}) {
  return download(path, Object.assign({ loading: true }, options)).then((file) => {
    wx.openDocument({ filePath: file, fileType: options.fileType, showMenu: true });
    return file;
  });
}

// Sends a local file as the multipart field `name` (wx.uploadFile); the
// answer is JSON text. No Content-Type header: wx.uploadFile sets the
// multipart one with its boundary.
function upload(path, filePath, name, options = {}) {
  const header = Object.assign({}, headers());
  delete header['Content-Type'];
  return new Promise((resolve, reject) => {
    wx.uploadFile({
      url: url(path),
      filePath,
      name,
      header,
      timeout: config.uploadTimeout || config.timeout,
      success(res) {
        let body = null;
        try {
          body = typeof res.data === 'string' ? JSON.parse(res.data) : res.data;
        } catch (e) {
          body = null;
        }
        if (res.statusCode >= 200 && res.statusCode < 300 && body) {
          resolve(body);
          return;
        }
        const error = body && body.error
          ? new ApiError(res.statusCode, body.error)
          : transferError(res.statusCode, `上传失败（${res.statusCode}）`);
        reject(fail(error, options));
      },
      fail() {
        reject(fail(new ApiError(0, null), options));
      },
    });
  });
}

module.exports = {
  ApiError,
  LOGIN_PAGE,
  url,
  query,
  headers,
  request,
  get: (path, params, options) => request('GET', path, params, options),
  post: (path, body, options) => request('POST', path, body, options),
  download,
  openFile,
  upload,
};
