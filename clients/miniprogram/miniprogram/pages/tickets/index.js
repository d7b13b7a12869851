// O3/O4: the owner's tickets, newest first, by kind, paged.
const ticketsApi = require('../../domains/tickets/api');
const routes = require('../../domains/tickets/routes');
const { createFeed } = require('../../domains/tickets/feed');
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
      const { kinds } = filterOf(this.data.filter);
      this.feed = createFeed((params) => ticketsApi.tickets(params), kinds, PAGE);
      return this.load(true);
    },

    onMore() {
      if (!this.data.more || this.loading) return Promise.resolve();
      return this.load(false);
    },

    // An answer for a feed replaced meanwhile (other filter) is dropped.
    load(first) {
      const { feed } = this;
      this.loading = true;
      return feed.next().then((page) => {
        if (feed !== this.feed) return;
        this.setData({
          loaded: true,
          tickets: (first ? [] : this.data.tickets).concat(page.items.map(summary)),
          totalCount: page.total,
          more: page.more,
        });
      }).catch(() => {
        if (feed === this.feed) this.setData({ loaded: true });
      }).then(() => {
        if (feed === this.feed) this.loading = false;
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
