// behaviors/paged-list.js on its own: a bare component with the behavior and
// a fetchPage whose answers the test hands out one by one, in any order.
const { mockWx, flush } = require('./helpers');

beforeEach(() => {
  jest.resetModules();
});

const items = (from, count) => Array.from({ length: count }, (_, i) => ({ id: from + i }));

// fetchPage's requests wait in `pending` until answered or refused.
function listPage() {
  mockWx({});
  const simulate = require('miniprogram-simulate');
  const { pagedList } = require('../miniprogram/behaviors/paged-list');
  const pending = [];
  const fetchPage = jest.fn((params) => new Promise((resolve, reject) => {
    pending.push({ params, resolve, reject });
  }));
  const id = simulate.load({
    template: '<view class="row" wx:for="{{rows}}" wx:key="id">{{item.id}}</view>',
    behaviors: [pagedList('rows')],
    data: { unreadCount: 0 },
    methods: { fetchPage },
  });
  const comp = simulate.render(id);
  comp.attach(document.createElement('parent-wrapper'));
  const answer = async (request, rows, totalCount, data) => {
    request.resolve({ items: rows, totalCount, data });
    await flush();
  };
  return { comp, page: comp.instance, pending, fetchPage, answer };
}

describe('paged-list behavior', () => {
  test('starts empty, keeps the list under its data key with the extra data of the answer', async () => {
    const { comp, page, pending, answer } = listPage();
    expect(comp.data).toEqual(expect.objectContaining({ loaded: false, rows: [], totalCount: 0, more: false }));
    page.reload();
    expect(pending.map((r) => r.params)).toEqual([{ limit: 20, offset: 0 }]);
    await answer(pending[0], items(1, 20), 45, { unreadCount: 3 });
    expect(comp.data).toEqual(expect.objectContaining({ loaded: true, totalCount: 45, more: true, unreadCount: 3 }));
    expect(comp.data.rows).toEqual(items(1, 20));
    expect(comp.querySelectorAll('.row')).toHaveLength(20);
  });

  test('drops a stale answer after reload', async () => {
    const { comp, page, pending, answer } = listPage();
    page.reload();
    page.reload();
    await answer(pending[1], items(100, 2), 2);
    // the first request answers last: too late, the list is the second one
    await answer(pending[0], items(1, 20), 40);
    expect(comp.data.rows).toEqual(items(100, 2));
    expect(comp.data).toEqual(expect.objectContaining({ totalCount: 2, more: false }));
  });

  test('drops a page of more that comes after a reload, and the reload frees the next more', async () => {
    const { comp, page, pending, fetchPage, answer } = listPage();
    page.reload();
    await answer(pending[0], items(1, 20), 60);
    page.onMore();
    page.reload();
    await answer(pending[2], items(500, 20), 60);
    await answer(pending[1], items(21, 20), 60);
    expect(comp.data.rows).toEqual(items(500, 20));
    page.onMore();
    expect(fetchPage).toHaveBeenCalledTimes(4);
    expect(pending[3].params).toEqual({ limit: 20, offset: 20 });
  });

  test('one more at a time, also while a reload runs', async () => {
    const { comp, page, pending, fetchPage, answer } = listPage();
    page.reload();
    page.onReachBottom();
    expect(fetchPage).toHaveBeenCalledTimes(1);
    await answer(pending[0], items(1, 20), 60);
    page.onReachBottom();
    page.onReachBottom();
    page.onMore();
    expect(fetchPage).toHaveBeenCalledTimes(2);
    expect(pending[1].params).toEqual({ limit: 20, offset: 20 });
    await answer(pending[1], items(21, 20), 60);
    expect(comp.data.rows).toEqual(items(1, 40));
    page.onReachBottom();
    expect(pending.map((r) => r.params.offset)).toEqual([0, 20, 40]);
  });

  test('stops at totalCount, and at an empty page', async () => {
    const { comp, page, pending, fetchPage, answer } = listPage();
    page.reload();
    await answer(pending[0], items(1, 20), 21);
    page.onReachBottom();
    await answer(pending[1], items(21, 1), 21);
    expect(comp.data.rows).toHaveLength(21);
    expect(comp.data.more).toBe(false);
    await page.onReachBottom();
    expect(fetchPage).toHaveBeenCalledTimes(2);

    // a count that promises more than the server gives does not loop
    page.reload();
    await answer(pending[2], items(1, 20), 50);
    page.onReachBottom();
    await answer(pending[3], [], 50);
    expect(comp.data.rows).toHaveLength(20);
    expect(comp.data.more).toBe(false);
    page.onReachBottom();
    expect(fetchPage).toHaveBeenCalledTimes(4);
  });

  test('a failed page keeps the list, shows loaded and lets more try again', async () => {
    const { comp, page, pending, fetchPage, answer } = listPage();
    page.reload();
    await answer(pending[0], items(1, 20), 30);
    page.onMore();
    pending[1].reject(new Error('network'));
    await flush();
    expect(comp.data.rows).toEqual(items(1, 20));
    expect(comp.data.loaded).toBe(true);
    page.onMore();
    expect(fetchPage).toHaveBeenCalledTimes(3);
    expect(pending[2].params).toEqual({ limit: 20, offset: 20 });
  });

  test('pull-down refresh reloads from the first page and stops the spinner, also on failure', async () => {
    const { comp, page, pending, answer } = listPage();
    page.reload();
    await answer(pending[0], items(1, 20), 30);
    const refreshed = page.onPullDownRefresh();
    expect(pending[1].params).toEqual({ limit: 20, offset: 0 });
    expect(wx.stopPullDownRefresh).not.toHaveBeenCalled();
    await answer(pending[1], items(200, 5), 5);
    await refreshed;
    expect(wx.stopPullDownRefresh).toHaveBeenCalledTimes(1);
    expect(comp.data.rows).toEqual(items(200, 5));

    const failed = page.onPullDownRefresh();
    pending[2].reject(new Error('network'));
    await failed;
    expect(wx.stopPullDownRefresh).toHaveBeenCalledTimes(2);
    expect(comp.data.rows).toEqual(items(200, 5));
  });
});
