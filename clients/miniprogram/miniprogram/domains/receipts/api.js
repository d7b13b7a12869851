const api = require('../../utils/api');

module.exports = {
  receipts: (params) => api.get('owner/receipts', params),
  receipt: (id) => api.get(`owner/receipts/${id}`),
  openPdf: (path) => api.openFile(path, { fileType: 'pdf' }),
};
