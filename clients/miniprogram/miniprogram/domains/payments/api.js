const api = require('../../utils/api');

module.exports = {
  create: (billIds) => api.post('owner/payments', { bill_ids: billIds, channel: 'wechat' }),
  order: (id, options) => api.get(`owner/payments/${id}`, undefined, options),
};
