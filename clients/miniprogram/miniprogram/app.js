// The session (token) is kept by utils/session.js; globalData mirrors it
// for code that prefers getApp().
const session = require('./utils/session');

App({
  globalData: { session: null },

  onLaunch() {
    this.globalData.session = session.load();
  },

  session,
});
