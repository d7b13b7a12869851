// Tickets of the owner: repairs, complaints, suggestions (O3, O4;
// docs/owner-api.md, Tickets).
const api = require('../../utils/api');

const base = (id) => `owner/tickets/${id}`;

module.exports = {
  // Optional on the form: a failure only leaves the choice out.
  categories: (kind) => api.get('owner/ticket-categories', { kind }, { silent: true }),
  // Silent: the form says itself that the location may be left out.
  locations: () => api.get('owner/locations', {}, { silent: true }),
  tickets: (params) => api.get('owner/tickets', params),
  ticket: (id) => api.get(base(id)),
  create: (body) => api.post('owner/tickets', body),
  // Silent: the caller reports failed photos by name.
  uploadPhoto: (id, filePath) => api.upload(`${base(id)}/photos`, filePath, 'photo', { silent: true }),
  // A photo's `url` needs the session header: downloaded, then shown from
  // the temporary file.
  photoFile: (url) => api.download(url, { silent: true }),
  message: (id, body) => api.post(`${base(id)}/messages`, { body }),
  confirmAppointment: (id) => api.post(`${base(id)}/appointment/confirm`, {}),
  rate: (id, rating, comment) => api.post(`${base(id)}/rate`, comment ? { rating, comment } : { rating }),
  cancel: (id, reason) => api.post(`${base(id)}/cancel`, { reason }),
};
