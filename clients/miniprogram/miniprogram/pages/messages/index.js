// S6: the owner's in-app messages (overdue reminders, pushed notices),
// newest first, paged. Tapping one shows its whole text and marks it read;
// its topic links to the notice or to the bills tab.
const messagesApi = require('../../domains/messages/api');
const { summary } = require('../../domains/messages/view');
const { pagedList } = require('../../behaviors/paged-list');

Component({
  behaviors: [pagedList('messages')],

  data: { unreadCount: 0, openId: 0 },

  methods: {
    // onLoad, not onShow: coming back from a notice keeps the list as it was
    onLoad() {
      return this.reload();
    },

    fetchPage(params) {
      return messagesApi.messages(params).then((answer) => ({
        items: answer.messages.map(summary),
        totalCount: answer.total_count,
        data: { unreadCount: answer.unread_count },
      }));
    },

    replace(id, changes) {
      const messages = this.data.messages.map((m) => (m.id === id ? Object.assign({}, m, changes) : m));
      this.setData({ messages });
    },

    // Shows (or hides) the whole text; an unread message is marked read.
    onOpen(e) {
      const id = Number(e.currentTarget.dataset.id);
      const message = this.data.messages.find((m) => m.id === id);
      if (!message) return Promise.resolve();
      this.setData({ openId: this.data.openId === id ? 0 : id });
      if (message.read) return Promise.resolve();
      this.marking = this.marking || {};
      if (this.marking[id]) return Promise.resolve();
      this.marking[id] = true;
      return messagesApi.read(id).then((answer) => {
        const read = answer && answer.message ? summary(answer.message) : { read: true };
        this.replace(id, Object.assign({}, read, { read: true }));
        this.setData({ unreadCount: Math.max(0, this.data.unreadCount - 1) });
      }).catch(() => {}).then(() => {
        delete this.marking[id];
      });
    },

    onLink(e) {
      const id = Number(e.currentTarget.dataset.id);
      const message = this.data.messages.find((m) => m.id === id);
      if (!message || !message.link) return;
      if (message.link.tab) wx.switchTab({ url: message.link.url });
      else wx.navigateTo({ url: message.link.url });
    },

    onReadAll() {
      if (!this.data.unreadCount || this.readingAll) return Promise.resolve();
      this.readingAll = true;
      return messagesApi.readAll().then(() => {
        this.setData({
          messages: this.data.messages.map((m) => Object.assign({}, m, { read: true })),
          unreadCount: 0,
        });
        wx.showToast({ title: '已全部标为已读', icon: 'none' });
      }).catch(() => {}).then(() => {
        this.readingAll = false;
      });
    },
  },
});
