const api = require('../../utils/api');

module.exports = {
  notices: (params) => api.get('owner/notices', params),
  notice: (id) => api.get(`owner/notices/${id}`),
  openAttachment: (path) => api.openFile(path),
};
