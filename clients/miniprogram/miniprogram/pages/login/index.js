// O1: sign in with wx.login, then verify the phone on file with the
// phone-number button or an SMS code (docs/owner-api.md, Login).
const ownerApi = require('../../domains/owner/api');
const session = require('../../utils/session');
const wxp = require('../../utils/wx');

const HOME = '/pages/home/index';

Component({
  data: {
    loading: true,
    wechat: false,
    wechatError: '',
    phone: '',
    code: '',
    sending: false,
    countdown: 0,
    verifying: false,
  },

  lifetimes: {
    detached() {
      this.stopCountdown();
    },
  },

  methods: {
    onLoad() {
      return this.start();
    },

    start() {
      if (session.isVerified()) {
        this.enter();
        return Promise.resolve();
      }
      this.setData({ loading: true });
      return wxp.login()
        .then((code) => ownerApi.loginWechat(code))
        .then((answer) => {
          session.save(answer);
          if (answer.verified) {
            this.enter();
            return;
          }
          this.setData({ loading: false, wechat: true, wechatError: '' });
        })
        .catch((err) => {
          // WeChat sign-in failed: the SMS code still opens a session.
          session.clear();
          this.setData({
            loading: false,
            wechat: false,
            wechatError: err && err.code ? `${err.message}请使用短信验证码登录。` : '微信登录失败，请使用短信验证码登录。',
          });
        });
    },

    enter() {
      wx.switchTab({ url: HOME });
    },

    verified(answer) {
      session.save(answer);
      wx.showToast({ title: '验证成功', icon: 'success' });
      this.enter();
    },

    onPhoneInput(e) {
      this.setData({ phone: String(e.detail).trim() });
    },

    onCodeInput(e) {
      this.setData({ code: String(e.detail).trim() });
    },

    onPhoneNumber(e) {
      const code = e.detail && e.detail.code;
      if (!code) {
        wxp.toast('未获取到手机号，可使用短信验证码验证');
        return Promise.resolve();
      }
      this.setData({ verifying: true });
      return ownerApi.verifyWechatPhone(code)
        .then((answer) => this.verified(answer))
        .catch(() => {})
        .then(() => this.setData({ verifying: false }));
    },

    onSendSms() {
      if (!this.data.phone) {
        wxp.toast('请输入手机号');
        return Promise.resolve();
      }
      if (this.data.sending || this.data.countdown > 0) return Promise.resolve();
      this.setData({ sending: true });
      return ownerApi.sendSms(this.data.phone)
        .then((answer) => {
          wxp.toast('验证码已发送');
          this.startCountdown(answer.resend_after || 60);
        })
        .catch(() => {})
        .then(() => this.setData({ sending: false }));
    },

    startCountdown(seconds) {
      this.stopCountdown();
      this.setData({ countdown: seconds });
      this.timer = setInterval(() => {
        const next = this.data.countdown - 1;
        this.setData({ countdown: next > 0 ? next : 0 });
        if (next <= 0) this.stopCountdown();
      }, 1000);
    },

    stopCountdown() {
      if (this.timer) clearInterval(this.timer);
      this.timer = null;
    },

    onVerifySms() {
      const { phone, code } = this.data;
      if (!phone || !code) {
        wxp.toast(phone ? '请输入验证码' : '请输入手机号');
        return Promise.resolve();
      }
      this.setData({ verifying: true });
      return ownerApi.verifySms(phone, code)
        .then((answer) => this.verified(answer))
        .catch(() => {})
        .then(() => this.setData({ verifying: false }));
    },
  },
});
