// O3/O4: the owner's tickets, newest first, by kind, paged. 投诉建议 is one
// request for both kinds (`kind=complaint,suggestion`).
const ticketsApi = require('../../domains/tickets/api');
const routes = require('../../domains/tickets/routes');
const { summary } = require('../../domains/tickets/view');

const PAGE = 20;
// kinds: [] is every kind; `create` is the kind a new ticket starts with.
const FILTERS = [
  { key: 'all', label: '全部', kinds: [], create: 'repair' },
  { key: 'repair', label: '报修', kinds: ['repair'], create: 'repair' },
  { key: 'feedback', label: '投诉建议', kinds: ['complaint', 'suggestion'], create: 'complaint' },
];

const filterOf = (key) => FILTERS.find((f) => f.key === key) || FILTERS[0];

Component({
  data: {
    filters: FILTERS.map((f) => ({ key: f.key, label: f.label })),
    filter: 'all',
    loaded: false,
    tickets: [],
    totalCount: 0,
    more: false,
  },

  methods: {
    onLoad(options) {
      this.setData({ filter: filterOf(options && options.filter).key });
    },

    // also after coming back from a new or changed ticket
    onShow() {
      return this.reload();
    },

    onPullDownRefresh() {
      return this.reload().then(() => wx.stopPullDownRefresh());
    },

    onReachBottom() {
      return this.onMore();
    },

    onFilter(e) {
      const key = e.currentTarget.dataset.key;
      if (key === this.data.filter) return Promise.resolve();
      this.setData({ filter: key, tickets: [], totalCount: 0, more: false, loaded: false });
      return this.reload();
    },

    reload() {
      this.generation = (this.generation || 0) + 1;
      return this.load(0);
    },

    onMore() {
      if (!this.data.more || this.loading) return Promise.resolve();
      return this.load(this.data.tickets.length);
    },

    // An answer for a list replaced meanwhile (other filter, reload) is
    // dropped.
    load(offset) {
      const { generation } = this;
      const params = { limit: PAGE, offset, kind: filterOf(this.data.filter).kinds.join(',') };
      this.loading = true;
      return ticketsApi.tickets(params).then((answer) => {
        if (generation !== this.generation) return;
        const tickets = (offset ? this.data.tickets : []).concat(answer.tickets.map(summary));
        this.setData({
          loaded: true,
          tickets,
          totalCount: answer.total_count,
          more: answer.tickets.length > 0 && tickets.length < answer.total_count,
        });
      }).catch(() => {
        if (generation === this.generation) this.setData({ loaded: true });
      }).then(() => {
        if (generation === this.generation) this.loading = false;
      });
    },

    onOpen(e) {
      wx.navigateTo({ url: routes.ticket(e.currentTarget.dataset.id) });
    },

    onNew() {
      wx.navigateTo({ url: routes.newTicket(filterOf(this.data.filter).create) });
    },
  },
});
