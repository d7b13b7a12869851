// In-app messages of the owner (S6; docs/owner-api.md, In-app messages):
// overdue reminders and notices pushed by the message outbox.
const api = require('../../utils/api');

module.exports = {
  messages: (params) => api.get('owner/messages', params),
  read: (id) => api.post(`owner/messages/${id}/read`, {}),
  readAll: () => api.post('owner/messages/read-all', {}),
};
