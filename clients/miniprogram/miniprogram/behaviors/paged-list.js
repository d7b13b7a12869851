// The paged list of messages, tickets, notices and receipts: PAGE items a
// request, each next page appended, until the server's total_count.
// Pull-down refresh starts the list over; reaching the bottom loads more.
//
// pagedList(key) keeps the list in data[key], so each page keeps the name its
// template uses, next to loaded, totalCount and more. The page says how to
// fetch and map one page:
//
//   fetchPage({ limit, offset }) → Promise<{ items, totalCount, data }>
//
// where data (optional) is more of the same answer to show (unreadCount).
// The page calls reload() when it first shows and when a filter changes.
const PAGE = 20;

function pagedList(key) {
  return Behavior({
    data: { loaded: false, [key]: [], totalCount: 0, more: false },

    methods: {
      onPullDownRefresh() {
        // loadPage never rejects, so the spinner stops even on a failure
        return this.reload().then(() => wx.stopPullDownRefresh());
      },

      onReachBottom() {
        return this.onMore();
      },

      // A new list (first show, refresh, other filter): answers still on
      // their way for the list before are dropped, or a late answer of the
      // old filter would replace the new one.
      reload() {
        this.listGeneration = (this.listGeneration || 0) + 1;
        return this.loadPage(0);
      },

      // One page at a time: a second reach-bottom while one loads would ask
      // the same offset again and show its items twice.
      onMore() {
        if (this.listLoading || !this.data.more) return Promise.resolve();
        return this.loadPage(this.data[key].length);
      },

      loadPage(offset) {
        const generation = this.listGeneration;
        const current = () => generation === this.listGeneration;
        this.listLoading = true;
        // the executor runs at once: the request leaves now, and a mapping
        // error ends up in catch like a refused request
        return new Promise((resolve) => resolve(this.fetchPage({ limit: PAGE, offset })))
          .then((page) => {
            if (!current()) return;
            const list = (offset ? this.data[key] : []).concat(page.items);
            this.setData(Object.assign({}, page.data, {
              loaded: true,
              [key]: list,
              totalCount: page.totalCount,
              // an empty page ends the list even if the count says otherwise
              more: page.items.length > 0 && list.length < page.totalCount,
            }));
          })
          // utils/api has shown a refusal; the list stays as it was
          .catch(() => {
            if (current()) this.setData({ loaded: true });
          })
          // a dropped answer leaves the flag to the load that replaced it
          .then(() => {
            if (current()) this.listLoading = false;
          });
      },
    },
  });
}

module.exports = { pagedList, PAGE };
