// O3/O4: the owner's tickets, newest first, by kind, paged. 投诉建议 is one
// request for both kinds (`kind=complaint,suggestion`).
const ticketsApi = require('../../domains/tickets/api');
const routes = require('../../domains/tickets/routes');
const { summary } = require('../../domains/tickets/view');
const { pagedList } = require('../../behaviors/paged-list');

// kinds: [] is every kind; `create` is the kind a new ticket starts with.
const FILTERS = [
  { key: 'all', label: '全部', kinds: [], create: 'repair' },
  { key: 'repair', label: '报修', kinds: ['repair'], create: 'repair' },
  { key: 'feedback', label: '投诉建议', kinds: ['complaint', 'suggestion'], create: 'complaint' },
];

const filterOf = (key) => FILTERS.find((f) => f.key === key) || FILTERS[0];

Component({
  behaviors: [pagedList('tickets')],

  data: {
    filters: FILTERS.map((f) => ({ key: f.key, label: f.label })),
    filter: 'all',
  },

  methods: {
    onLoad(options) {
      this.setData({ filter: filterOf(options && options.filter).key });
    },

    // also after coming back from a new or changed ticket
    onShow() {
      return this.reload();
    },

    // reload() drops a page of the tab left still on its way
    onFilter(e) {
      const key = e.currentTarget.dataset.key;
      if (key === this.data.filter) return Promise.resolve();
      this.setData({ filter: key, tickets: [], totalCount: 0, more: false, loaded: false });
      return this.reload();
    },

    fetchPage(params) {
      const kind = filterOf(this.data.filter).kinds.join(',');
      return ticketsApi.tickets(Object.assign({}, params, { kind })).then((answer) => ({
        items: answer.tickets.map(summary),
        totalCount: answer.total_count,
      }));
    },

    onOpen(e) {
      wx.navigateTo({ url: routes.ticket(e.currentTarget.dataset.id) });
    },

    onNew() {
      wx.navigateTo({ url: routes.newTicket(filterOf(this.data.filter).create) });
    },
  },
});
