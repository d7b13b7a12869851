// The ticket pages, opened from home, mine, the list and the form.
module.exports = {
  newTicket: (kind) => `/pages/ticket-new/index?kind=${kind}`,
  list: () => '/pages/tickets/index',
  ticket: (id) => `/pages/ticket/index?id=${id}`,
};
