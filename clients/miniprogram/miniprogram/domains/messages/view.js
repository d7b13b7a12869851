// What the 消息 page shows of a message: its date in Beijing time and where
// its `topic` links to (a notice, or the bills tab).
const { localDate } = require('../../utils/format');

// {label, url, tab} or null: `tab` pages are opened with wx.switchTab.
function link(message) {
  if (message.topic === 'notice' && message.notice_id) {
    return { label: '查看公告', url: `/pages/notice/index?id=${message.notice_id}`, tab: false };
  }
  if (message.topic === 'bills') {
    return { label: '去缴费', url: '/pages/bills/index', tab: true };
  }
  return null;
}

function summary(message) {
  return Object.assign({}, message, { date: localDate(message.date), link: link(message) });
}

module.exports = { link, summary };
