// After wx.requestPayment the order is paid only once the channel has
// notified the server (docs/payments.md): ask for the order until it leaves
// `pending`, or give up after `attempts` and let the owner look later.
function wait(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

async function pollOrder(fetchOrder, options = {}) {
  const attempts = options.attempts || 15;
  const intervalMs = options.intervalMs === undefined ? 2000 : options.intervalMs;
  const sleep = options.sleep || wait;
  let order = null;
  for (let i = 0; i < attempts; i += 1) {
    if (i > 0) await sleep(intervalMs);
    try {
      const answer = await fetchOrder();
      order = answer.order || answer;
    } catch (e) {
      if (e && e.status === 401) throw e;
      // a network hiccup: ask again
    }
    if (order && order.state !== 'pending') return order;
  }
  return order;
}

module.exports = { pollOrder };
