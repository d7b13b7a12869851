const api = require('../../utils/api');

module.exports = {
  bills: (params) => api.get('owner/bills', params || { state: 'open' }),
  bill: (id) => api.get(`owner/bills/${id}`),
  // The server is the authority on what can be paid together and computes
  // the total (DOMAIN_RULES 16).
  check: (billIds) => api.post('owner/bills/check', { bill_ids: billIds }),
};
