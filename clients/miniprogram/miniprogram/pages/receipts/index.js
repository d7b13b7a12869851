// O6: the receipts of the owner, newest first, paged.
const receiptsApi = require('../../domains/receipts/api');
const { pagedList } = require('../../behaviors/paged-list');

Component({
  behaviors: [pagedList('receipts')],

  methods: {
    onLoad() {
      return this.reload();
    },

    fetchPage(params) {
      return receiptsApi.receipts(params).then((answer) => ({
        items: answer.receipts,
        totalCount: answer.total_count,
      }));
    },

    onOpen(e) {
      wx.navigateTo({ url: `/pages/receipt/index?id=${e.currentTarget.dataset.id}` });
    },
  },
});
