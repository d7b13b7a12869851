// Pays the chosen bills with WeChat Pay: the server checks them, computes
// the amount and creates the order (POST owner/payments, channel wechat);
// wx.requestPayment takes the parameters it returns; the order is paid
// once WeChat notifies the server, so the page polls the order.
const billingApi = require('../../domains/billing/api');
const paymentsApi = require('../../domains/payments/api');
const { pollOrder } = require('../../domains/payments/poll');
const config = require('../../config');
const wxp = require('../../utils/wx');

Component({
  data: {
    billIds: [],
    bills: [],
    total: '',
    order: null,
    // idle → paying → confirming → done
    status: 'idle',
  },

  methods: {
    onLoad(options) {
      const billIds = String((options && options.ids) || '')
        .split(',').map(Number).filter((id) => id > 0);
      this.setData({ billIds });
      if (!billIds.length) return Promise.resolve();
      return billingApi.check(billIds)
        .then((answer) => this.setData({ bills: answer.bills, total: answer.total }))
        .catch(() => {});
    },

    onPay() {
      if (!this.data.total || this.data.status !== 'idle') return Promise.resolve();
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
