// O3/O4: report a repair, complaint or suggestion. The ticket is created
// first (POST owner/tickets), then its photos are sent one by one
// (wx.uploadFile, field `photo`); a failed photo is reported by name and
// the owner still lands on the ticket.
const ownerApi = require('../../domains/owner/api');
const ticketsApi = require('../../domains/tickets/api');
const form = require('../../domains/tickets/form');
const routes = require('../../domains/tickets/routes');
const wxp = require('../../utils/wx');

Component({
  data: {
    kinds: form.KINDS,
    kind: 'repair',
    categories: [],
    category: 0,
    areas: [],
    area: '',
    placeHint: '',
    place: '',
    description: '',
    descriptionError: '',
    contactPhone: '',
    photos: [],
    maxPhotos: form.MAX_PHOTOS,
    photoMaxBytes: form.PHOTO_MAX_BYTES,
    // compressed pictures: smaller uploads under the 5 MB limit
    sizeType: ['compressed'],
    submitting: false,
    progress: '',
  },

  methods: {
    onLoad(options) {
      this.setData({ kind: form.kindOf(options && options.kind) });
      if (wx.setNavigationBarTitle) {
        wx.setNavigationBarTitle({ title: this.data.kind === 'repair' ? '报事报修' : '投诉建议' });
      }
      return Promise.all([this.loadCategories(), this.loadAreas()]);
    },

    loadAreas() {
      return ownerApi.resources().then((answer) => {
        this.setData({ areas: form.areaOptions(answer.resources) });
        this.selectArea(this.data.areas[0].key);
      }).catch(() => {});
    },

    // An answer for a kind changed meanwhile is dropped.
    loadCategories() {
      const { kind } = this.data;
      return ticketsApi.categories(kind).then((answer) => {
        if (kind === this.data.kind) this.setData({ categories: answer.categories });
      }).catch(() => {});
    },

    onKind(e) {
      const { kind } = e.currentTarget.dataset;
      if (kind === this.data.kind) return Promise.resolve();
      this.setData({ kind, categories: [], category: 0 });
      return this.loadCategories();
    },

    onCategory(e) {
      this.setData({ category: Number(e.currentTarget.dataset.id) || 0 });
    },

    onArea(e) {
      this.selectArea(e.currentTarget.dataset.key);
    },

    selectArea(key) {
      const area = this.data.areas.find((a) => a.key === key);
      if (area) this.setData({ area: key, placeHint: area.placeHint });
    },

    onPlace(e) {
      this.setData({ place: e.detail });
    },

    onDescription(e) {
      this.setData({ description: e.detail, descriptionError: '' });
    },

    onContactPhone(e) {
      this.setData({ contactPhone: e.detail });
    },

    // after-read and oversize (van-uploader refuses a whole selection when
    // one file is too large): both go through the same checks.
    onPhotos(e) {
      const { accepted, refused } = form.checkPhotos(e.detail.file, this.data.photos.length);
      if (refused.length) wxp.toast(refused.join('；'));
      if (accepted.length) this.setData({ photos: form.numbered(this.data.photos.concat(accepted)) });
    },

    onPhotoDelete(e) {
      const photos = this.data.photos.slice();
      photos.splice(e.detail.index, 1);
      this.setData({ photos: form.numbered(photos) });
    },

    onSubmit() {
      if (this.data.submitting) return Promise.resolve();
      const problem = form.validate(this.data);
      if (problem) {
        if (problem.field === 'description') this.setData({ descriptionError: problem.message });
        wxp.toast(problem.message);
        return Promise.resolve();
      }
      const area = this.data.areas.find((a) => a.key === this.data.area);
      this.setData({ submitting: true });
      return ticketsApi.create(form.requestBody(this.data, area))
        .then((answer) => this.uploadPhotos(answer.ticket.id)
          .then((failed) => this.finish(answer.ticket.id, failed)))
        .catch(() => this.setData({ submitting: false, progress: '' }));
    },

    // Resolves with the failures, "照片2：<message>".
    uploadPhotos(ticketId) {
      const { photos } = this.data;
      const failed = [];
      return photos.reduce((chain, photo, i) => chain.then(() => {
        this.setData({ progress: `正在上传照片 ${i + 1}/${photos.length}` });
        return ticketsApi.uploadPhoto(ticketId, photo.url)
          .catch((err) => { failed.push(`${photo.name}：${err.message}`); });
      }), Promise.resolve()).then(() => failed);
    },

    finish(ticketId, failed) {
      const url = routes.ticket(ticketId);
      if (!failed.length) {
        wx.showToast({ title: '提交成功', icon: 'success' });
        wx.redirectTo({ url });
        return Promise.resolve();
      }
      return wxp.modal({
        title: '工单已提交',
        content: `以下照片上传失败：\n${failed.join('\n')}\n可在工单详情中补充照片。`,
        showCancel: false,
        confirmText: '查看工单',
      }).then(() => wx.redirectTo({ url }));
    },
  },
});
