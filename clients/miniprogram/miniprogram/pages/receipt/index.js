// O6: one receipt with its lines and payments, and its PDF.
const receiptsApi = require('../../domains/receipts/api');

Component({
  data: { receipt: null, payer: '', voidDate: '', lines: [], payments: [], pdf: '' },

  methods: {
    onLoad(options) {
      return receiptsApi.receipt(options.id).then((answer) => {
        this.setData({
          receipt: answer.receipt,
          payer: answer.payer || '',
          voidDate: answer.void_date || '',
          lines: answer.lines,
          payments: answer.payments,
          pdf: answer.pdf,
        });
      }).catch(() => {});
    },

    onPdf() {
      if (!this.data.pdf) return Promise.resolve();
      return receiptsApi.openPdf(this.data.pdf).catch(() => {});
    },
  },
});
