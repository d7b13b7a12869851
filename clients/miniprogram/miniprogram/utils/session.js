// The owner's session token (docs/owner-api.md, Sessions), kept in memory
// and in storage so that it survives a restart of the mini-program.
const KEY = 'aishang.session';

let current = null;

function load() {
  if (current === null) {
    let stored = null;
    try {
      stored = wx.getStorageSync(KEY) || null;
    } catch (e) {
      stored = null;
    }
    current = stored && stored.token ? stored : {};
  }
  return current;
}

function save(answer) {
  current = {
    token: answer.token,
    expires_at: answer.expires_at || null,
    verified: Boolean(answer.verified),
    owner: answer.owner || null,
  };
  wx.setStorageSync(KEY, current);
  return current;
}

function update(values) {
  current = Object.assign({}, load(), values);
  wx.setStorageSync(KEY, current);
  return current;
}

function clear() {
  current = {};
  try {
    wx.removeStorageSync(KEY);
  } catch (e) {
    // nothing stored: nothing to remove
  }
}

function token() {
  return load().token || null;
}

function isVerified() {
  const s = load();
  return Boolean(s.token && s.verified);
}

module.exports = { KEY, load, save, update, clear, token, isVerified };
