// O3/O4: one ticket: state, appointment, result, photos, the message
// thread, and what the owner may do now (`actions`): reply, add photos,
// confirm the visit time, rate, withdraw. Reloaded after each action.
const ticketsApi = require('../../domains/tickets/api');
const form = require('../../domains/tickets/form');
const view = require('../../domains/tickets/view');
const wxp = require('../../utils/wx');

const STAGES = { report: '报修照片', completion: '完工照片' };

Component({
  data: {
    loaded: false,
    ticket: null,
    can: {},
    messages: [],
    photoGroups: [],
    reply: '',
    rateValue: 0,
    rateComment: '',
    acting: '',
    sizeType: ['compressed'],
    photoMaxBytes: form.PHOTO_MAX_BYTES,
  },

  lifetimes: {
    created() {
      // photo id → temporary file, kept across reloads
      this.files = {};
    },
  },

  methods: {
    onLoad(options) {
      this.ticketId = Number(options && options.id);
      return this.load();
    },

    onPullDownRefresh() {
      return this.load().then(() => wx.stopPullDownRefresh());
    },

    load() {
      return ticketsApi.ticket(this.ticketId).then((answer) => {
        this.photos = answer.photos || [];
        this.setData(Object.assign({ loaded: true }, view.detail(answer)));
        this.showPhotos();
        return this.downloadPhotos();
      }).catch(() => {});
    },

    // The photo URLs need the session header: each one is downloaded once.
    downloadPhotos() {
      const missing = this.photos.filter((p) => !this.files[p.id]);
      return Promise.all(missing.map((p) => ticketsApi.photoFile(p.url)
        .then((file) => { this.files[p.id] = file; })
        .catch(() => { this.files[p.id] = null; })))
        .then(() => this.showPhotos());
    },

    showPhotos() {
      const groups = Object.keys(STAGES).map((stage) => ({
        stage,
        title: STAGES[stage],
        photos: this.photos.filter((p) => p.stage === stage).map((p) => ({
          id: p.id,
          name: p.name,
          src: this.files[p.id] || '',
          failed: this.files[p.id] === null,
        })),
      })).filter((g) => g.photos.length);
      this.setData({ photoGroups: groups });
    },

    onPreview(e) {
      const urls = this.photos.map((p) => this.files[p.id]).filter(Boolean);
      wx.previewImage({ current: e.currentTarget.dataset.src, urls });
    },

    // Runs one action at a time, then reloads; `name` drives its button.
    act(name, call, done) {
      if (this.data.acting) return Promise.resolve();
      this.setData({ acting: name });
      return call()
        .then(() => {
          if (done) wxp.toast(done);
          return this.load();
        })
        .catch(() => {})
        .then(() => this.setData({ acting: '' }));
    },

    onReplyInput(e) {
      this.setData({ reply: e.detail });
    },

    onSend() {
      const body = String(this.data.reply).trim();
      if (!body) {
        wxp.toast('请输入留言内容');
        return Promise.resolve();
      }
      return this.act('message', () => ticketsApi.message(this.ticketId, body)
        .then(() => this.setData({ reply: '' })));
    },

    onConfirmAppointment() {
      return this.act('confirm', () => ticketsApi.confirmAppointment(this.ticketId), '已确认上门时间');
    },

    onRateChange(e) {
      this.setData({ rateValue: Number(e.detail) || 0 });
    },

    onRateComment(e) {
      this.setData({ rateComment: e.detail });
    },

    onRate() {
      const rating = this.data.rateValue;
      if (!rating) {
        wxp.toast('请选择评分');
        return Promise.resolve();
      }
      const comment = String(this.data.rateComment).trim();
      return this.act('rate', () => ticketsApi.rate(this.ticketId, rating, comment), '感谢您的评价');
    },

    onCancel() {
      return wxp.modal({
        title: '撤回工单',
        editable: true,
        placeholderText: '请填写撤回原因',
        confirmText: '撤回',
        cancelText: '再想想',
      }).then((res) => {
        if (!res.confirm) return null;
        const reason = String(res.content || '').trim();
        if (!reason) {
          wxp.toast('请填写撤回原因');
          return null;
        }
        return this.act('cancel', () => ticketsApi.cancel(this.ticketId, reason), '工单已撤回');
      });
    },

    // 补充照片 while the ticket is pending or accepted (`photo` action).
    onAddPhotos(e) {
      const count = this.photos.filter((p) => p.stage === 'report').length;
      const { accepted, refused } = form.checkPhotos(e.detail.file, count);
      if (refused.length) wxp.toast(refused.join('；'));
      if (!accepted.length) return Promise.resolve();
      const failed = [];
      return this.act('photo', () => accepted.reduce((chain, photo, i) => chain
        .then(() => ticketsApi.uploadPhoto(this.ticketId, photo.url))
        .catch((err) => { failed.push(`照片${i + 1}：${err.message}`); }), Promise.resolve())
        .then(() => {
          if (failed.length) {
            wxp.modal({ title: '照片上传失败', content: failed.join('\n'), showCancel: false });
          } else {
            wxp.toast('照片已上传');
          }
        }));
    },
  },
});
