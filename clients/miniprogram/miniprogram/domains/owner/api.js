const api = require('../../utils/api');

module.exports = {
  loginWechat: (code) => api.post('owner/login/wechat', { code }, { silent: true, noRedirect: true }),
  verifyWechatPhone: (code) => api.post('owner/verify/wechat-phone', { code }, { noRedirect: true }),
  sendSms: (phone) => api.post('owner/sms/send', { phone }, { noRedirect: true }),
  verifySms: (phone, code) => api.post('owner/verify/sms', { phone, code }, { noRedirect: true }),
  logout: () => api.post('owner/logout', undefined, { silent: true, noRedirect: true }),
  me: () => api.get('owner/me'),
  resources: () => api.get('owner/resources'),
};
