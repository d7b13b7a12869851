// Home: the owner's resources, the amount due (the server's total), the
// service entries (with the unread messages) and the latest notices.
const ownerApi = require('../../domains/owner/api');
const billingApi = require('../../domains/billing/api');
const noticesApi = require('../../domains/notices/api');
const ticketRoutes = require('../../domains/tickets/routes');
const session = require('../../utils/session');

Component({
  data: {
    loading: false,
    owner: null,
    resources: [],
    balance: '0.00',
    billCount: 0,
    notices: [],
    unread: 0,
    unreadMessages: 0,
  },

  methods: {
    onShow() {
      if (!session.isVerified()) {
        wx.reLaunch({ url: '/pages/login/index' });
        return Promise.resolve();
      }
      return this.load();
    },

    onPullDownRefresh() {
      return this.load().then(() => wx.stopPullDownRefresh());
    },

    load() {
      this.setData({ loading: true });
      return Promise.all([
        ownerApi.me(),
        ownerApi.resources(),
        billingApi.bills({ state: 'open' }),
        noticesApi.notices({ limit: 3 }),
      ]).then(([me, resources, bills, notices]) => {
        this.setData({
          owner: me.owner,
          unreadMessages: me.unread_messages || 0,
          resources: resources.resources,
          balance: bills.totals.balance,
          billCount: bills.total_count,
          notices: notices.notices,
          unread: notices.unread_count,
        });
        if (notices.unread_count > 0) {
          wx.setTabBarBadge && wx.setTabBarBadge({ index: 2, text: String(notices.unread_count) });
        } else if (wx.removeTabBarBadge) {
          wx.removeTabBarBadge({ index: 2 });
        }
      }).catch(() => {}).then(() => this.setData({ loading: false }));
    },

    onGoBills() {
      wx.switchTab({ url: '/pages/bills/index' });
    },

    onMoreNotices() {
      wx.switchTab({ url: '/pages/notices/index' });
    },

    onNewTicket(e) {
      wx.navigateTo({ url: ticketRoutes.newTicket(e.currentTarget.dataset.kind) });
    },

    onTickets() {
      wx.navigateTo({ url: ticketRoutes.list() });
    },

    onMessages() {
      wx.navigateTo({ url: '/pages/messages/index' });
    },

    onNotice(e) {
      wx.navigateTo({ url: `/pages/notice/index?id=${e.currentTarget.dataset.id}` });
    },
  },
});
