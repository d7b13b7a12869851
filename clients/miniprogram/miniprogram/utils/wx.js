// Promise forms of the few callback wx APIs the pages chain.

function login() {
  return new Promise((resolve, reject) => {
    wx.login({
      success: (res) => (res.code ? resolve(res.code) : reject(new Error(res.errMsg))),
      fail: (err) => reject(new Error((err && err.errMsg) || 'wx.login failed')),
    });
  });
}

// Pays with the parameters of POST owner/payments (docs/payments.md):
// exactly timeStamp, nonceStr, package, signType and paySign.
function requestPayment(parameters) {
  return new Promise((resolve, reject) => {
    wx.requestPayment({
      timeStamp: parameters.timeStamp,
      nonceStr: parameters.nonceStr,
      package: parameters.package,
      signType: parameters.signType,
      paySign: parameters.paySign,
      success: resolve,
      fail: (err) => {
        const errMsg = (err && err.errMsg) || 'requestPayment:fail';
        const error = new Error(errMsg);
        error.cancelled = /cancel/.test(errMsg);
        reject(error);
      },
    });
  });
}

function toast(title) {
  wx.showToast({ title, icon: 'none', duration: 2500 });
}

// wx.showModal as a promise of its answer ({confirm, content}); a modal
// that fails to open counts as cancelled.
function modal(options) {
  return new Promise((resolve) => {
    wx.showModal(Object.assign({}, options, {
      success: resolve,
      fail: () => resolve({ confirm: false, cancel: true }),
    }));
  });
}

module.exports = { login, requestPayment, toast, modal };
