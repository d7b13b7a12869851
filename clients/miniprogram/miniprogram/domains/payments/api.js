const api = require('../../utils/api');

module.exports = {
  // Silent: the pay page says itself when WeChat Pay is not offered (a 404
  // where online payments are not activated).
  channels: () => api.get('owner/payment-channels', undefined, { silent: true }),
  create: (billIds) => api.post('owner/payments', { bill_ids: billIds, channel: 'wechat' }),
  order: (id, options) => api.get(`owner/payments/${id}`, undefined, options),
};
