// Pays the chosen bills with WeChat Pay: the server checks them, computes
// the amount and creates the order (POST owner/payments, channel wechat);
// wx.requestPayment takes the parameters it returns; the order is paid
// once WeChat notifies the server, so the page polls the order.
// WeChat Pay is offered only when GET owner/payment-channels lists `wechat`
// for the projects of the bills (domains/payments/channels.js).
const billingApi = require('../../domains/billing/api');
const paymentsApi = require('../../domains/payments/api');
const { offers } = require('../../domains/payments/channels');
const { pollOrder } = require('../../domains/payments/poll');
const config = require('../../config');
const wxp = require('../../utils/wx');

// The owner's channels: {channels}, or {error} when they cannot be read
function channelInfo() {
  return paymentsApi.channels().then(
    (answer) => ({ channels: answer.channels }),
    (error) => ({ error }),
  );
}

Component({
  data: {
    billIds: [],
    bills: [],
    total: '',
    order: null,
    // idle → paying → confirming → done
    status: 'idle',
    // WeChat Pay for these bills: checking → ready | unavailable (not set
    // up for their project, or online payment not activated: 404) | failed
    channel: 'checking',
  },

  methods: {
    onLoad(options) {
      const billIds = String((options && options.ids) || '')
        .split(',').map(Number).filter((id) => id > 0);
      this.setData({ billIds });
      const checked = billIds.length
        ? billingApi.check(billIds).then((answer) => {
          this.setData({ bills: answer.bills, total: answer.total });
          return answer.bills;
        }).catch(() => [])
        : Promise.resolve([]);
      return Promise.all([checked, channelInfo()])
        .then(([bills, info]) => this.applyChannel(bills, info));
    },

    applyChannel(bills, info) {
      let channel;
      if (info.error) channel = info.error.status === 404 ? 'unavailable' : 'failed';
      else channel = offers(info.channels, 'wechat', bills) ? 'ready' : 'unavailable';
      this.setData({ channel });
    },

    onRetryChannel() {
      if (this.data.channel === 'checking') return Promise.resolve();
      this.setData({ channel: 'checking' });
      return channelInfo().then((info) => this.applyChannel(this.data.bills, info));
    },

    onPay() {
      if (!this.data.total || this.data.status !== 'idle' || this.data.channel !== 'ready') {
        return Promise.resolve();
      }
      this.setData({ status: 'paying' });
      return paymentsApi.create(this.data.billIds)
        .then((answer) => {
          this.setData({ order: answer.order, total: answer.order.amount });
          return wxp.requestPayment(answer.parameters)
            .then(() => this.confirm(answer.order.id), (err) => {
              wxp.toast(err.cancelled ? '已取消支付' : '支付未完成');
              this.setData({ status: 'idle' });
            });
        })
        .catch(() => this.setData({ status: 'idle' }));
    },

    confirm(orderId) {
      this.setData({ status: 'confirming' });
      return pollOrder(() => paymentsApi.order(orderId, { silent: true }), {
        attempts: config.payPollAttempts,
        intervalMs: config.payPollIntervalMs,
      }).then((order) => {
        this.setData({ status: 'done', order: order || this.data.order });
      });
    },

    onReceipt() {
      wx.redirectTo({ url: `/pages/receipt/index?id=${this.data.order.receipt_id}` });
    },

    onBack() {
      wx.navigateBack({ delta: 1 });
    },
  },
});
