// O5: one notice (the server marks it read when it is fetched). The body is
// HTML sanitized by the server, shown with rich-text.
const noticesApi = require('../../domains/notices/api');
const { localDate, fileSize } = require('../../utils/format');

Component({
  data: { notice: null, body: '', date: '', projects: '', attachments: [] },

  methods: {
    onLoad(options) {
      return noticesApi.notice(options.id).then((answer) => {
        this.setData({
          notice: answer.notice,
          body: answer.body || '',
          date: localDate(answer.notice.publish_start),
          projects: (answer.projects || []).map((p) => p.name).join('、'),
          attachments: (answer.attachments || []).map((a) => Object.assign({}, a, { size_label: fileSize(a.size) })),
        });
      }).catch(() => {});
    },

    onAttachment(e) {
      return noticesApi.openAttachment(e.currentTarget.dataset.url).catch(() => {});
    },
  },
});
