// O6: the receipts of the owner, newest first, paged.
const receiptsApi = require('../../domains/receipts/api');

const PAGE = 20;

Component({
  data: { loaded: false, receipts: [], totalCount: 0 },

  methods: {
    onLoad() {
      return this.load(0);
    },

    onPullDownRefresh() {
      return this.load(0).then(() => wx.stopPullDownRefresh());
    },

    onReachBottom() {
      return this.onMore();
    },

    onMore() {
      if (this.data.receipts.length >= this.data.totalCount) return Promise.resolve();
      return this.load(this.data.receipts.length);
    },

    load(offset) {
      return receiptsApi.receipts({ limit: PAGE, offset }).then((answer) => {
        const receipts = offset ? this.data.receipts.concat(answer.receipts) : answer.receipts;
        this.setData({ loaded: true, receipts, totalCount: answer.total_count });
      }).catch(() => this.setData({ loaded: true }));
    },

    onOpen(e) {
      wx.navigateTo({ url: `/pages/receipt/index?id=${e.currentTarget.dataset.id}` });
    },
  },
});
