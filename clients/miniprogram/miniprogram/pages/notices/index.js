// O5: the notices of the owner's projects, pinned first, with read status.
const noticesApi = require('../../domains/notices/api');
const { localDate } = require('../../utils/format');

const PAGE = 20;

Component({
  data: { loaded: false, unreadOnly: false, notices: [], totalCount: 0, unreadCount: 0 },

  methods: {
    onShow() {
      return this.load(0);
    },

    onPullDownRefresh() {
      return this.load(0).then(() => wx.stopPullDownRefresh());
    },

    onReachBottom() {
      return this.onMore();
    },

    onMore() {
      if (this.data.notices.length >= this.data.totalCount) return Promise.resolve();
      return this.load(this.data.notices.length);
    },

    onFilter(e) {
      this.setData({ unreadOnly: Boolean(e.currentTarget.dataset.unread) });
      return this.load(0);
    },

    load(offset) {
      const params = { limit: PAGE, offset };
      if (this.data.unreadOnly) params.unread = 'true';
      return noticesApi.notices(params).then((answer) => {
        const page = answer.notices.map((n) => Object.assign({}, n, { date: localDate(n.publish_start) }));
        this.setData({
          loaded: true,
          notices: offset ? this.data.notices.concat(page) : page,
          totalCount: answer.total_count,
          unreadCount: answer.unread_count,
        });
      }).catch(() => this.setData({ loaded: true }));
    },

    onOpen(e) {
      wx.navigateTo({ url: `/pages/notice/index?id=${e.currentTarget.dataset.id}` });
    },
  },
});
