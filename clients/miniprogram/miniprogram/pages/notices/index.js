// O5: the notices of the owner's projects, pinned first, with read status.
const noticesApi = require('../../domains/notices/api');
const { localDate } = require('../../utils/format');
const { pagedList } = require('../../behaviors/paged-list');

Component({
  behaviors: [pagedList('notices')],

  data: { unreadOnly: false, unreadCount: 0 },

  methods: {
    // onShow: also back from a notice or another tab, so read marks are fresh
    onShow() {
      return this.reload();
    },

    // reload() drops a page of the other filter still on its way
    onFilter(e) {
      this.setData({ unreadOnly: Boolean(e.currentTarget.dataset.unread) });
      return this.reload();
    },

    fetchPage(params) {
      const query = this.data.unreadOnly ? Object.assign({}, params, { unread: 'true' }) : params;
      return noticesApi.notices(query).then((answer) => ({
        items: answer.notices.map((n) => Object.assign({}, n, { date: localDate(n.publish_start) })),
        totalCount: answer.total_count,
        data: { unreadCount: answer.unread_count },
      }));
    },

    onOpen(e) {
      wx.navigateTo({ url: `/pages/notice/index?id=${e.currentTarget.dataset.id}` });
    },
  },
});
