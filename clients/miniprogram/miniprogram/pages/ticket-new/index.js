// O3/O4: report a repair, complaint or suggestion. The ticket is created
// first (POST owner/tickets), then its photos are sent one by one
// (wx.uploadFile, field `photo`); a failed photo is reported by name and
// the owner still lands on the ticket. A public area may name where in the
// community (位置: building or unit of GET owner/locations, loaded when first
// needed); the form works without it.
const ownerApi = require('../../domains/owner/api');
const ticketsApi = require('../../domains/tickets/api');
const form = require('../../domains/tickets/form');
const places = require('../../domains/tickets/locations');
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
    isPublic: false,
    // '' (not asked yet), loading, loaded, failed
    locationState: '',
    locationOptions: [],
    locationOpen: false,
    // {id, project, label} and its cascader value (a string)
    location: null,
    locationValue: '',
    locationError: '',
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
      if (!area) return;
      const isPublic = !area.resource;
      const { location } = this.data;
      // a location belongs to one project: kept only in its public area
      const keep = isPublic && location && (!area.project || location.project === area.project);
      this.setData(Object.assign({ area: key, placeHint: area.placeHint, isPublic }, keep ? {} : this.noLocation()));
      this.updateLocationOptions();
      if (isPublic) this.loadLocations();
    },

    noLocation() {
      return { location: null, locationValue: '', locationError: '' };
    },

    // The options of the chosen public area's project (its buildings).
    updateLocationOptions() {
      const area = this.data.areas.find((a) => a.key === this.data.area);
      const options = area && !area.resource && this.locations
        ? places.locationOptions(this.locations, area.project) : [];
      this.setData({ locationOptions: options });
    },

    // Once per page; after a failure the next tap asks again. Resolves
    // with whether the locations are there.
    loadLocations() {
      if (!this.locationsRequest) {
        this.setData({ locationState: 'loading' });
        this.locationsRequest = ticketsApi.locations().then((answer) => {
          this.locations = answer.locations || [];
          this.setData({ locationState: 'loaded' });
          this.updateLocationOptions();
          return true;
        }).catch(() => {
          this.locationsRequest = null;
          this.setData({ locationState: 'failed' });
          wxp.toast('楼栋信息加载失败，可不选位置直接提交');
          return false;
        });
      }
      return this.locationsRequest;
    },

    onLocationTap() {
      return this.loadLocations().then((ok) => {
        if (ok && this.data.locationOptions.length) this.setData({ locationOpen: true });
      });
    },

    onLocationClose() {
      this.setData({ locationOpen: false });
    },

    onLocationFinish(e) {
      const location = places.chosenLocation(this.locations, Number(e.detail.value));
      this.setData({ location, locationValue: location ? e.detail.value : '', locationError: '', locationOpen: false });
    },

    onLocationClear() {
      this.setData(this.noLocation());
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
        .catch((err) => this.refused(err));
    },

    // The server's message was shown as a toast; a refused location is
    // also shown on its field, and the tree is asked again on the next tap
    // (it may have changed).
    refused(err) {
      const update = { submitting: false, progress: '' };
      if (err && err.detail && err.detail.field === 'location') {
        update.locationError = err.message;
        this.locationsRequest = null;
      }
      this.setData(update);
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
