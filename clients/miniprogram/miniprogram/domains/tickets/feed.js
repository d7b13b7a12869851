// Pages through GET owner/tickets, newest reported first, for one kind, all
// kinds, or several kinds (投诉建议 = complaint + suggestion) whose pages
// are merged: the server filters on one kind at a time.

// Newest first as the server orders: reported, then id, descending.
function newer(a, b) {
  const ta = Date.parse(a.reported) || 0;
  const tb = Date.parse(b.reported) || 0;
  return ta !== tb ? ta > tb : a.id > b.id;
}

// fetch(params) answers {tickets, total_count}; kinds: [] for all kinds.
function createFeed(fetch, kinds, size) {
  const streams = (kinds.length ? kinds : [undefined]).map((kind) => ({
    kind, offset: 0, total: Infinity, buffer: [],
  }));
  const pending = (s) => s.offset < s.total;

  function fill(s) {
    return fetch({ limit: size, offset: s.offset, kind: s.kind }).then((answer) => {
      s.buffer = s.buffer.concat(answer.tickets);
      s.offset += answer.tickets.length;
      s.total = answer.tickets.length ? answer.total_count : s.offset;
    });
  }

  // The next `size` tickets: {items, total, more}.
  function next() {
    const short = streams.filter((s) => s.buffer.length < size && pending(s));
    return Promise.all(short.map(fill)).then(() => {
      const items = [];
      while (items.length < size) {
        // a stream with more on the server but nothing here could hold
        // the next newest: stop until it is fetched
        if (streams.some((s) => !s.buffer.length && pending(s))) break;
        const live = streams.filter((s) => s.buffer.length);
        if (!live.length) break;
        const head = live.reduce((best, s) => (newer(s.buffer[0], best.buffer[0]) ? s : best));
        items.push(head.buffer.shift());
      }
      return {
        items,
        total: streams.reduce((sum, s) => sum + (Number.isFinite(s.total) ? s.total : 0), 0),
        more: streams.some((s) => s.buffer.length || pending(s)),
      };
    });
  }

  return { next };
}

module.exports = { createFeed };
