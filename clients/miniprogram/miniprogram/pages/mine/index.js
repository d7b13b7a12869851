// The owner's profile, the service entries (报修, 投诉建议, 我的工单), the
// messages with their unread count, and logout.
const ownerApi = require('../../domains/owner/api');
const ticketRoutes = require('../../domains/tickets/routes');
const session = require('../../utils/session');

const VERIFIED_WITH = { sms: '（短信验证码）', wechat_phone: '（微信手机号）' };

Component({
  data: { me: {}, verifiedWith: '' },

  methods: {
    onShow() {
      if (!session.token()) {
        wx.reLaunch({ url: '/pages/login/index' });
        return Promise.resolve();
      }
      return ownerApi.me().then((me) => {
        this.setData({ me, verifiedWith: VERIFIED_WITH[me.verified_with] || '' });
      }).catch(() => {});
    },

    onMessages() {
      wx.navigateTo({ url: '/pages/messages/index' });
    },

    onReceipts() {
      wx.navigateTo({ url: '/pages/receipts/index' });
    },

    onNewTicket(e) {
      wx.navigateTo({ url: ticketRoutes.newTicket(e.currentTarget.dataset.kind) });
    },

    onTickets() {
      wx.navigateTo({ url: ticketRoutes.list() });
    },

    onLogout() {
      return new Promise((resolve) => {
        wx.showModal({
          title: '退出登录',
          content: '确定退出当前账号吗？',
          confirmText: '退出',
          success: (res) => resolve(res.confirm),
          fail: () => resolve(false),
        });
      }).then((confirmed) => {
        if (!confirmed) return null;
        // the session ends on this device even when the server is unreachable
        return ownerApi.logout().catch(() => null).then(() => {
          session.clear();
          wx.reLaunch({ url: '/pages/login/index' });
        });
      });
    },
  },
});
