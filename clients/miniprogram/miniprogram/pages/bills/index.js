// O2: the open bills grouped by resource and fee item, oldest first; several
// are paid together. The selection keeps the oldest-first rule
// (domains/billing/selection.js) and `POST owner/bills/check` says what the
// server accepts and the total it will charge.
const billingApi = require('../../domains/billing/api');
const selection = require('../../domains/billing/selection');
const session = require('../../utils/session');
const wxp = require('../../utils/wx');

function viewGroups(resources) {
  return (resources || []).map((group, i) => ({
    key: group.resource ? `r${group.resource.id}` : `none${i}`,
    title: group.resource ? group.resource.name : '其他费用',
    balance: group.balance,
    fee_items: (group.fee_items || []).map((item) => ({
      key: item.fee_item ? item.fee_item.id : 'none',
      name: item.fee_item ? item.fee_item.name : '费用',
      balance: item.balance,
      bills: (item.bills || []).slice().sort(selection.compareAge).map((bill) => ({
        id: bill.id,
        number: bill.number,
        period: bill.period_start && bill.period_end
          ? `${bill.period_start} 至 ${bill.period_end}` : (bill.period_start || bill.number),
        due_date: bill.due_date || '—',
        balance: bill.balance,
        late_fee: bill.late_fee || '0.00',
        state_string: bill.state_string,
        overdue: Boolean(bill.overdue),
        payable: selection.isPayable(bill),
      })),
    })),
  }));
}

Component({
  data: {
    loaded: false,
    groups: [],
    selected: {},
    selectedIds: [],
    allSelected: false,
    total: '',
    checking: false,
  },

  methods: {
    onShow() {
      if (!session.isVerified()) {
        wx.reLaunch({ url: '/pages/login/index' });
        return Promise.resolve();
      }
      return this.load();
    },

    onPullDownRefresh() {
      return this.load().then(() => wx.stopPullDownRefresh());
    },

    load() {
      return billingApi.bills({ state: 'open' }).then((answer) => {
        this.resources = answer.resources;
        this.setData({ loaded: true, groups: viewGroups(answer.resources) });
        return this.select([]);
      }).catch(() => this.setData({ loaded: true }));
    },

    onToggle(e) {
      const id = Number(e.currentTarget.dataset.id);
      const result = selection.toggle(this.resources, this.data.selectedIds, id);
      if (result.refused) return Promise.resolve();
      if (result.added.length > 1) wxp.toast('已一并勾选同一收费项目更早的账单');
      if (result.removed.length > 1) wxp.toast('已一并取消更晚的账单');
      return this.select(result.selected);
    },

    onSelectAll() {
      return this.select(this.data.allSelected ? [] : selection.selectAll(this.resources));
    },

    // Shows the selection and asks the server for its total; an answer to
    // an older selection is dropped.
    select(ids) {
      const selected = {};
      ids.forEach((id) => { selected[id] = true; });
      const all = selection.selectAll(this.resources);
      this.sequence = (this.sequence || 0) + 1;
      const sequence = this.sequence;
      this.setData({
        selected,
        selectedIds: ids,
        allSelected: ids.length > 0 && ids.length === all.length,
        total: '',
        checking: ids.length > 0,
      });
      if (!ids.length) return Promise.resolve();
      return billingApi.check(ids).then((answer) => {
        if (sequence === this.sequence) this.setData({ total: answer.total, checking: false });
      }).catch(() => {
        if (sequence === this.sequence) this.setData({ checking: false });
      });
    },

    onPay() {
      if (!this.data.total || this.data.checking) return;
      wx.navigateTo({ url: `/pages/pay/index?ids=${this.data.selectedIds.join(',')}` });
    },
  },
});
