const { BASE, fakeUpload, mockWx, loadPage, flush, text, all, tapButton } = require('./helpers');
const { RESOURCE, LOCATIONS, ticket, ticketDetail } = require('./fixtures');

beforeEach(() => {
  jest.resetModules();
});

const MB = 1024 * 1024;
const CATEGORIES = {
  categories: [
    { id: 3, name: '水电维修', kind: 'repair', kind_string: '报事报修', description: null },
    { id: 4, name: '门窗维修', kind: 'repair', kind_string: '报事报修', description: null },
  ],
};
const CREATED = { ticket: ticket(7), actions: ['message', 'photo', 'cancel'] };

const posts = (wx) => wx.request.calls.filter((c) => c.method === 'POST');
const input = (page, selector, value) => page.querySelector(selector).instance.triggerEvent('change', value);

// wx.chooseMedia answering with the given files ({path, size}).
const chooseMedia = (files) => jest.fn((o) => o.success({
  type: 'image',
  tempFiles: files.map((f) => ({ tempFilePath: f.path, size: f.size, fileType: 'image' })),
}));

// Picks photos through van-uploader's own button.
async function pickPhotos(page, selector) {
  page.querySelector(selector).querySelector('.van-uploader__upload').dispatchEvent('tap');
  await flush();
}

describe('tickets list', () => {
  test('renders the tickets newest first, loads more at the bottom, opens one', async () => {
    const first = Array.from({ length: 20 }, (_, i) => ticket(100 - i));
    first[1] = ticket(99, {
      kind: 'complaint', kind_string: '投诉', title: '夜间装修噪音', state: 'closed', state_string: '已关单',
      category: null, area: 'public', resource: null, location: { id: 459, name: '2号楼' },
    });
    const wx = mockWx({
      'GET owner/tickets': (req) => (req.query.includes('offset=0')
        ? { tickets: first, total_count: 21 }
        : { tickets: [ticket(80)], total_count: 21 }),
    });
    const page = loadPage('tickets');
    page.instance.onLoad({});
    await page.instance.onShow();
    await flush();
    expect(wx.request.last('GET owner/tickets').query).toBe('limit=20&offset=0');
    const rows = all(page, '.ticket');
    expect(rows).toHaveLength(20);
    const firstRow = rows[0].dom.textContent;
    expect(firstRow).toContain('厨房水管漏水');
    expect(firstRow).toContain('待受理');
    expect(firstRow).toContain('报事报修 · 水电维修 · 户内 · 翠湖花园 2-1-301');
    expect(firstRow).toContain('GD000100 · 2026-11-28 09:40');
    expect(rows[1].dom.textContent).toContain('投诉 · 公共区域 · 2号楼');
    expect(rows[1].dom.textContent).toContain('已关单');
    expect(text(page, '.load-more')).toBe('加载更多');

    await page.instance.onReachBottom();
    await flush();
    expect(wx.request.last('GET owner/tickets').query).toBe('limit=20&offset=20');
    expect(all(page, '.ticket')).toHaveLength(21);
    expect(text(page, '.all-loaded')).toBe('共 21 条，已全部加载');
    await page.instance.onReachBottom();
    expect(wx.request.calls).toHaveLength(2);

    rows[0].dispatchEvent('tap');
    await flush();
    expect(wx.navigateTo).toHaveBeenCalledWith({ url: '/pages/ticket/index?id=100' });
  });

  test('投诉建议 is one request for both kinds, in the server order, paged; empty state', async () => {
    const FEEDBACK = 'kind=complaint%2Csuggestion';
    const feedback = Array.from({ length: 20 }, (_, i) => ticket(60 - i, i % 2
      ? { kind: 'suggestion', kind_string: '建议', title: `建议${i}` }
      : { kind: 'complaint', kind_string: '投诉', title: `投诉${i}` }));
    const wx = mockWx({
      'GET owner/tickets': (req) => {
        if (!req.query.includes(FEEDBACK)) return { tickets: [], total_count: 0 };
        return req.query.includes('offset=0')
          ? { tickets: feedback, total_count: 21 }
          : { tickets: [ticket(5, { kind: 'suggestion', kind_string: '建议', title: '最后一条建议' })], total_count: 21 };
      },
    });
    const page = loadPage('tickets');
    page.instance.onLoad({});
    await page.instance.onShow();
    await flush();
    expect(text(page, '.empty')).toContain('暂无工单');
    expect(text(page, '.new-btn')).toBe('我要报修');

    page.querySelector('.tab-feedback').dispatchEvent('tap');
    await flush();
    // exactly one request, naming both kinds
    expect(wx.request.calls.slice(1).map((c) => c.query)).toEqual([`limit=20&offset=0&${FEEDBACK}`]);
    const titles = all(page, '.ticket-title').map((n) => n.dom.textContent);
    expect(titles).toEqual(feedback.map((t) => t.title));
    expect(all(page, '.ticket')[1].dom.textContent).toContain('建议 · 水电维修');
    expect(page.querySelector('.empty')).toBeFalsy();
    expect(text(page, '.load-more')).toBe('加载更多');

    await page.instance.onReachBottom();
    await flush();
    expect(wx.request.calls.slice(2).map((c) => c.query)).toEqual([`limit=20&offset=20&${FEEDBACK}`]);
    expect(all(page, '.ticket')).toHaveLength(21);
    expect(text(page, '.all-loaded')).toBe('共 21 条，已全部加载');
    await page.instance.onReachBottom();
    expect(wx.request.calls).toHaveLength(3);

    tapButton(page, '.new-btn');
    await flush();
    expect(wx.navigateTo).toHaveBeenCalledWith({ url: '/pages/ticket-new/index?kind=complaint' });
  });

  test('an answer for the tab left meanwhile is dropped', async () => {
    const wx = mockWx({
      'GET owner/tickets': (req) => (req.query.includes('kind=repair')
        ? { tickets: [ticket(2, { title: '报修甲' })], total_count: 1 }
        : { tickets: [ticket(1, { kind: 'complaint', kind_string: '投诉', title: '投诉甲' })], total_count: 1 }),
    });
    const answer = wx.request;
    const held = [];
    wx.request = jest.fn((req) => (req.url.includes('kind=complaint') ? held.push(req) : answer(req)));
    const page = loadPage('tickets');
    page.instance.onLoad({ filter: 'feedback' });
    page.instance.onShow();
    page.querySelector('.tab-repair').dispatchEvent('tap');
    await flush();
    expect(all(page, '.ticket-title').map((n) => n.dom.textContent)).toEqual(['报修甲']);
    // the 投诉建议 answer comes last: the 报修 tab keeps its own tickets
    held.forEach((req) => answer(req));
    await flush();
    expect(answer.calls.map((c) => c.query)).toEqual(['limit=20&offset=0&kind=repair', 'limit=20&offset=0&kind=complaint%2Csuggestion']);
    expect(all(page, '.ticket-title').map((n) => n.dom.textContent)).toEqual(['报修甲']);
    expect(page.data.filter).toBe('repair');
  });
});

describe('new ticket', () => {
  async function openForm(query, routes, wxOverrides) {
    const wx = mockWx(Object.assign({
      'GET owner/resources': { resources: [RESOURCE] },
      'GET owner/ticket-categories': CATEGORIES,
      'POST owner/tickets': { status: 201, data: CREATED },
    }, routes), { wx: wxOverrides });
    const page = loadPage('ticket-new');
    await page.instance.onLoad(query);
    await flush();
    return { wx, page };
  }

  test('refuses an empty description without any request', async () => {
    const { wx, page } = await openForm({ kind: 'repair' });
    input(page, '.description-field', '   ');
    tapButton(page, '.submit-btn');
    await flush();
    expect(posts(wx)).toHaveLength(0);
    expect(wx.showToast).toHaveBeenCalledWith(expect.objectContaining({ title: '请填写问题描述' }));
    expect(page.querySelector('.description-field').dom.textContent).toContain('请填写问题描述');
  });

  test('a private repair: kind, category, resource, place, phone; then the detail', async () => {
    const { wx, page } = await openForm({ kind: 'repair' });
    expect(wx.request.last('GET owner/ticket-categories').query).toBe('kind=repair');
    expect(wx.setNavigationBarTitle).toHaveBeenCalledWith({ title: '报事报修' });
    expect(all(page, '.area-option').map((n) => n.dom.textContent)).toEqual(['户内 · 翠湖花园 2-1-301', '公共区域']);
    expect(page.querySelector('.area-r262.active')).toBeTruthy();
    page.querySelector('.category-3').dispatchEvent('tap');
    input(page, '.place-field', ' 厨房 ');
    input(page, '.description-field', '厨房水管漏水');
    input(page, '.phone-field', '13800138000');
    await flush();
    tapButton(page, '.submit-btn');
    await flush();
    expect(wx.request.last('POST owner/tickets').data).toEqual({
      kind: 'repair', category: 3, resource: 262, description: '厨房水管漏水', place: '厨房', contact_phone: '13800138000',
    });
    expect(wx.uploadFile).not.toHaveBeenCalled();
    expect(wx.redirectTo).toHaveBeenCalledWith({ url: '/pages/ticket/index?id=7' });
  });

  test('a public complaint: project and place, no resource, no category', async () => {
    const { wx, page } = await openForm({ kind: 'complaint' });
    expect(wx.request.last('GET owner/ticket-categories').query).toBe('kind=complaint');
    expect(page.querySelector('.kind-complaint.active')).toBeTruthy();
    page.querySelector('.area-p358').dispatchEvent('tap');
    input(page, '.place-field', '2号楼电梯间');
    input(page, '.description-field', '电梯间夜里常有人吸烟');
    await flush();
    tapButton(page, '.submit-btn');
    await flush();
    expect(wx.request.last('POST owner/tickets').data).toEqual({
      kind: 'complaint', project: 358, description: '电梯间夜里常有人吸烟', place: '2号楼电梯间',
    });
  });

  test('switching to 建议 reloads its categories and drops the chosen one', async () => {
    const { wx, page } = await openForm({});
    page.querySelector('.category-3').dispatchEvent('tap');
    await flush();
    page.querySelector('.kind-suggestion').dispatchEvent('tap');
    await flush();
    expect(wx.request.last('GET owner/ticket-categories').query).toBe('kind=suggestion');
    input(page, '.description-field', '希望增加快递柜');
    tapButton(page, '.submit-btn');
    await flush();
    expect(wx.request.last('POST owner/tickets').data).toEqual({
      kind: 'suggestion', resource: 262, description: '希望增加快递柜',
    });
  });

  test('uploads the photo after the ticket is created, as field photo with the bearer header', async () => {
    const { wx, page } = await openForm({ kind: 'repair' }, {}, {
      chooseMedia: chooseMedia([{ path: 'wxfile://tmp/leak.jpg', size: 1.5 * MB }]),
    });
    await pickPhotos(page, '.photos');
    expect(page.data.photos).toEqual([expect.objectContaining({ url: 'wxfile://tmp/leak.jpg', name: '照片1' })]);
    input(page, '.description-field', '厨房水管漏水');
    tapButton(page, '.submit-btn');
    await flush(10);
    expect(wx.uploadFile).toHaveBeenCalledTimes(1);
    const up = wx.uploadFile.mock.calls[0][0];
    expect(up.url).toBe(`${BASE}owner/tickets/7/photos`);
    expect(up.name).toBe('photo');
    expect(up.filePath).toBe('wxfile://tmp/leak.jpg');
    expect(up.header.Authorization).toBe('Bearer tok-1');
    expect(up.header['Content-Type']).toBeUndefined();
    // created first: the upload needs the ticket id
    expect(wx.request.mock.invocationCallOrder[wx.request.mock.calls.length - 1])
      .toBeLessThan(wx.uploadFile.mock.invocationCallOrder[0]);
    expect(wx.redirectTo).toHaveBeenCalledWith({ url: '/pages/ticket/index?id=7' });
  });

  test('refuses a photo over 5 MB before anything is sent', async () => {
    const { wx, page } = await openForm({ kind: 'repair' }, {}, {
      chooseMedia: chooseMedia([{ path: 'wxfile://tmp/big.jpg', size: 6 * MB }]),
    });
    await pickPhotos(page, '.photos');
    expect(wx.showToast).toHaveBeenCalledWith(expect.objectContaining({
      title: '照片不能超过 5 MB（所选照片 6.0 MB），请压缩后重新选择',
    }));
    expect(page.data.photos).toEqual([]);
    input(page, '.description-field', '厨房水管漏水');
    tapButton(page, '.submit-btn');
    await flush(10);
    expect(wx.request.last('POST owner/tickets')).toBeTruthy();
    expect(wx.uploadFile).not.toHaveBeenCalled();
  });

  test('a failed upload is reported by name and the owner still lands on the ticket', async () => {
    const { wx, page } = await openForm({ kind: 'repair' }, {}, {
      chooseMedia: chooseMedia([
        { path: 'wxfile://tmp/a.jpg', size: MB }, { path: 'wxfile://tmp/b.png', size: MB },
      ]),
      uploadFile: fakeUpload((req) => (req.filePath.endsWith('b.png')
        ? { status: 400, data: { error: { code: 'invalid_field', message: '照片必须是 PNG、JPEG 或 WebP 格式的图片。', field: 'photo' } } }
        : { status: 201, data: { photo: { id: 41 } } })),
    });
    await pickPhotos(page, '.photos');
    expect(page.data.photos.map((p) => p.name)).toEqual(['照片1', '照片2']);
    input(page, '.description-field', '厨房水管漏水');
    tapButton(page, '.submit-btn');
    await flush(10);
    expect(wx.uploadFile).toHaveBeenCalledTimes(2);
    const modal = wx.showModal.mock.calls[0][0];
    expect(modal.title).toBe('工单已提交');
    expect(modal.content).toContain('照片2：照片必须是 PNG、JPEG 或 WebP 格式的图片。');
    expect(modal.content).not.toContain('照片1');
    expect(wx.redirectTo).toHaveBeenCalledWith({ url: '/pages/ticket/index?id=7' });
  });

  test('a refused ticket stays on the form with the server message', async () => {
    const { wx, page } = await openForm({ kind: 'repair' }, {
      'POST owner/tickets': { status: 400, data: { error: { code: 'invalid_field', message: '请选择公共区域所在的项目：您在多个项目中有房产。', field: 'project' } } },
    });
    input(page, '.description-field', '厨房水管漏水');
    tapButton(page, '.submit-btn');
    await flush();
    expect(wx.showToast).toHaveBeenCalledWith(expect.objectContaining({ title: '请选择公共区域所在的项目：您在多个项目中有房产。' }));
    expect(wx.redirectTo).not.toHaveBeenCalled();
    expect(page.data.submitting).toBe(false);
  });
});

describe('new ticket: where in the community (位置)', () => {
  const OTHER = Object.assign({}, RESOURCE, { id: 300, name: '江南苑 1-101', project: { id: 400, name: '江南苑' } });

  async function openForm(routes, resources) {
    const wx = mockWx(Object.assign({
      'GET owner/resources': { resources: resources || [RESOURCE] },
      'GET owner/ticket-categories': { categories: [] },
      'GET owner/locations': LOCATIONS,
      'POST owner/tickets': { status: 201, data: CREATED },
    }, routes));
    const page = loadPage('ticket-new');
    await page.instance.onLoad({ kind: 'complaint' });
    await flush();
    return { wx, page };
  }
  const locationGets = (wx) => wx.request.calls.filter((c) => c.path === 'owner/locations');
  // the text the 位置 field shows
  const shown = (page) => page.querySelector('.location-field').instance.data.value;
  const options = (page) => all(page.querySelector('.location-cascader'), '.van-cascader__option');

  // Opens the picker and taps the options named, one tab after another.
  async function pick(page, ...names) {
    page.querySelector('.location-field').dispatchEvent('tap');
    await flush();
    for (const name of names) {
      const option = options(page).filter((o) => o.dom.textContent.trim() === name).pop();
      if (!option) throw new Error(`no option ${name}`);
      option.dispatchEvent('tap');
      await flush();
    }
  }

  test('a building in the public area: loaded when chosen, from its buildings, sent as location alone', async () => {
    const { wx, page } = await openForm();
    // 户内 first: nothing asked yet, no 位置
    expect(locationGets(wx)).toHaveLength(0);
    expect(page.querySelector('.location-field')).toBeFalsy();
    page.querySelector('.area-p358').dispatchEvent('tap');
    await flush();
    expect(locationGets(wx)).toHaveLength(1);
    expect(locationGets(wx)[0].query).toBe('');
    expect(page.querySelector('.location-field').dom.textContent).toContain('位置');

    await pick(page, '2号楼', '1单元');
    expect(page.data.locationOpen).toBe(false);
    expect(shown(page)).toBe('2号楼 / 1单元');
    // reopened at the choice; the whole building this time
    page.querySelector('.location-field').dispatchEvent('tap');
    await flush();
    expect(options(page).map((o) => o.dom.textContent.trim())).toEqual(['2号楼', '10号楼', '整栋', '1单元', '2单元']);
    await pick(page, '整栋');
    expect(shown(page)).toBe('2号楼');
    expect(locationGets(wx)).toHaveLength(1);

    input(page, '.place-field', '电梯间');
    input(page, '.description-field', '电梯间夜里常有人吸烟');
    tapButton(page, '.submit-btn');
    await flush();
    expect(wx.request.last('POST owner/tickets').data).toEqual({
      kind: 'complaint', location: 1378, description: '电梯间夜里常有人吸烟', place: '电梯间',
    });
  });

  test('clearing it or choosing 户内 drops the location; a private ticket never sends it', async () => {
    const { wx, page } = await openForm();
    page.querySelector('.area-p358').dispatchEvent('tap');
    await flush();
    await pick(page, '10号楼');
    expect(shown(page)).toBe('10号楼');
    page.querySelector('.location-clear').dispatchEvent('tap');
    await flush();
    expect(page.data.location).toBeNull();
    expect(page.data.locationOpen).toBe(false);

    await pick(page, '10号楼');
    page.querySelector('.area-r262').dispatchEvent('tap');
    await flush();
    expect(page.querySelector('.location-field')).toBeFalsy();
    input(page, '.description-field', '门口漏水');
    tapButton(page, '.submit-btn');
    await flush();
    expect(wx.request.last('POST owner/tickets').data).toEqual({ kind: 'complaint', resource: 262, description: '门口漏水' });
  });

  test('several projects: the picker offers the buildings of the chosen public area only', async () => {
    const { wx, page } = await openForm({}, [RESOURCE, OTHER]);
    page.querySelector('.area-p400').dispatchEvent('tap');
    await flush();
    page.querySelector('.location-field').dispatchEvent('tap');
    await flush();
    expect(options(page).map((o) => o.dom.textContent.trim())).toEqual(['1幢']);
    await pick(page, '1幢');
    // another project's public area: the location was of 江南苑
    page.querySelector('.area-p358').dispatchEvent('tap');
    await flush();
    expect(page.data.location).toBeNull();
    page.querySelector('.area-p400').dispatchEvent('tap');
    await flush();
    await pick(page, '1幢');
    input(page, '.description-field', '路灯不亮');
    tapButton(page, '.submit-btn');
    await flush();
    expect(wx.request.last('POST owner/tickets').data).toEqual({ kind: 'complaint', location: 2001, description: '路灯不亮' });
    expect(locationGets(wx)).toHaveLength(1);
  });

  test('locations that cannot be loaded: said once, the ticket goes without; a tap asks again', async () => {
    let fail = true;
    const { wx, page } = await openForm({
      'GET owner/locations': () => (fail ? { networkError: true } : LOCATIONS),
    });
    page.querySelector('.area-p358').dispatchEvent('tap');
    await flush();
    expect(wx.showToast).toHaveBeenCalledWith(expect.objectContaining({ title: '楼栋信息加载失败，可不选位置直接提交' }));
    expect(wx.showToast).toHaveBeenCalledTimes(1);
    input(page, '.description-field', '路灯不亮');
    tapButton(page, '.submit-btn');
    await flush();
    expect(wx.request.last('POST owner/tickets').data).toEqual({ kind: 'complaint', project: 358, description: '路灯不亮' });

    fail = false;
    await pick(page, '2号楼', '2单元');
    expect(locationGets(wx)).toHaveLength(2);
    expect(shown(page)).toBe('2号楼 / 2单元');
  });

  test('a refused location is shown on its field, and the picker asks again', async () => {
    const message = '您不能选择此位置。';
    const { wx, page } = await openForm({
      'POST owner/tickets': { status: 400, data: { error: { code: 'invalid_field', message, field: 'location' } } },
    });
    page.querySelector('.area-p358').dispatchEvent('tap');
    await flush();
    await pick(page, '10号楼');
    input(page, '.description-field', '路灯不亮');
    tapButton(page, '.submit-btn');
    await flush();
    expect(wx.request.last('POST owner/tickets').data).toEqual({ kind: 'complaint', location: 1380, description: '路灯不亮' });
    expect(wx.showToast).toHaveBeenCalledWith(expect.objectContaining({ title: message }));
    expect(page.querySelector('.location-field').dom.textContent).toContain(message);
    expect(page.data.submitting).toBe(false);
    await pick(page, '2号楼', '整栋');
    expect(locationGets(wx)).toHaveLength(2);
    expect(page.querySelector('.location-field').dom.textContent).not.toContain(message);
  });
});

describe('ticket detail', () => {
  async function openTicket(answer, routes, wxOverrides) {
    const wx = mockWx(Object.assign({ 'GET owner/tickets/7': answer }, routes), {
      wx: Object.assign({
        downloadFile: jest.fn((o) => setTimeout(() => o.success({ statusCode: 200, tempFilePath: `wxfile://tmp/${o.url.split('/').pop()}.jpg` }), 0)),
      }, wxOverrides),
    });
    const page = loadPage('ticket');
    await page.instance.onLoad({ id: '7' });
    await flush();
    return { wx, page };
  }
  const gets = (wx) => wx.request.calls.filter((c) => c.method === 'GET' && c.path === 'owner/tickets/7');

  test('a pending ticket: details, photos with the token, thread, reply and cancel only', async () => {
    const { wx, page } = await openTicket(ticketDetail(), { 'POST owner/tickets/7/messages': { status: 201, data: { message: {} } } });
    expect(text(page, '.ticket-number')).toBe('GD000007 · 报事报修');
    expect(text(page, '.ticket-state')).toBe('待受理');
    expect(text(page, '.ticket-category')).toContain('水电维修');
    expect(text(page, '.ticket-where')).toContain('户内 · 翠湖花园 2-1-301 · 厨房');
    expect(text(page, '.ticket-reported')).toContain('2026-11-28 08:07');
    expect(text(page, '.ticket-description')).toBe('厨房水管漏水，水槽下面一直滴水');
    expect(all(page, '.message-meta').map((m) => m.dom.textContent)).toEqual(['我 · 2026-11-28 09:00', '客服 · 2026-11-28 09:30']);
    expect(all(page, '.message-body').map((m) => m.dom.textContent)).toEqual(['请尽快处理', '已安排师傅']);
    expect(all(page, '.message.mine')).toHaveLength(1);
    const dl = wx.downloadFile.mock.calls[0][0];
    expect(dl.url).toBe(`${BASE}owner/tickets/7/photos/41`);
    expect(dl.header.Authorization).toBe('Bearer tok-1');
    expect(text(page, '.photo-group-report')).toContain('报修照片');
    expect(page.querySelector('.photo').dom.getAttribute('data-src')).toBe('wxfile://tmp/41.jpg');
    expect(page.data.photoGroups[0].photos[0].src).toBe('wxfile://tmp/41.jpg');
    page.querySelector('.photo').dispatchEvent('tap');
    await flush();
    expect(wx.previewImage).toHaveBeenCalledWith({ current: 'wxfile://tmp/41.jpg', urls: ['wxfile://tmp/41.jpg'] });

    expect(page.querySelector('.reply-field')).toBeTruthy();
    expect(page.querySelector('.cancel-btn')).toBeTruthy();
    expect(page.querySelector('.add-photos')).toBeTruthy();
    expect(page.querySelector('.confirm-btn')).toBeFalsy();
    expect(page.querySelector('.rate-box')).toBeFalsy();
    expect(page.querySelector('.ticket-result')).toBeFalsy();

    tapButton(page, '.send-btn');
    await flush();
    expect(wx.request.last('POST owner/tickets/7/messages')).toBeUndefined();
    expect(wx.showToast).toHaveBeenCalledWith(expect.objectContaining({ title: '请输入留言内容' }));

    input(page, '.reply-field', ' 请明早九点后上门 ');
    tapButton(page, '.send-btn');
    await flush();
    expect(wx.request.last('POST owner/tickets/7/messages').data).toEqual({ body: '请明早九点后上门' });
    expect(gets(wx)).toHaveLength(2);
    expect(page.data.reply).toBe('');
    // a photo already downloaded is not downloaded again on reload
    expect(wx.downloadFile).toHaveBeenCalledTimes(1);
  });

  test('a closed ticket with a proposed visit: confirm, rate and reply; no cancel', async () => {
    const answer = ticketDetail({
      appointment: '2026-11-29T02:00:00Z', appointment_state: 'proposed', appointment_state_string: '待确认', appointment_by: 'technician',
      technician: '李师傅', result: '已更换水管接头', completed: '2026-11-28T06:00:00Z',
      photos: [], actions: ['message', 'appointment_confirm', 'rate'],
    }, { state: 'closed', state_string: '已关单' });
    const action = { ticket: ticket(7, { state: 'visited', state_string: '已回访', rating: 4 }), actions: ['message'] };
    const { wx, page } = await openTicket(answer, {
      'POST owner/tickets/7/rate': action,
      'POST owner/tickets/7/appointment/confirm': action,
    });
    expect(text(page, '.ticket-technician')).toContain('李师傅');
    expect(text(page, '.ticket-appointment')).toBe('上门时间：2026-11-29 10:00（待确认）');
    expect(text(page, '.ticket-result')).toContain('已更换水管接头');
    expect(text(page, '.ticket-result')).toContain('完成时间 2026-11-28 14:00');
    expect(page.querySelector('.cancel-btn')).toBeFalsy();
    expect(page.querySelector('.add-photos')).toBeFalsy();
    expect(page.querySelector('.reply-field')).toBeTruthy();

    tapButton(page, '.confirm-btn');
    await flush();
    expect(wx.request.last('POST owner/tickets/7/appointment/confirm').data).toEqual({});

    tapButton(page, '.rate-btn');
    await flush();
    expect(wx.request.last('POST owner/tickets/7/rate')).toBeUndefined();
    expect(wx.showToast).toHaveBeenCalledWith(expect.objectContaining({ title: '请选择评分' }));

    page.querySelector('.rate').instance.triggerEvent('change', 4);
    input(page, '.rate-comment', '师傅很专业');
    tapButton(page, '.rate-btn');
    await flush();
    expect(wx.request.last('POST owner/tickets/7/rate').data).toEqual({ rating: 4, comment: '师傅很专业' });
    expect(wx.showToast).toHaveBeenCalledWith(expect.objectContaining({ title: '感谢您的评价' }));
    expect(gets(wx)).toHaveLength(3);
  });

  test('without actions there is no confirm, rate, cancel or reply', async () => {
    const { page } = await openTicket(ticketDetail({
      appointment: '2026-11-29T02:00:00Z', appointment_state: 'confirmed', appointment_state_string: '已确认',
      actions: [], rating_comment: '很满意', photos: [],
    }, { state: 'visited', state_string: '已回访', rating: 5 }));
    expect(text(page, '.ticket-appointment')).toBe('上门时间：2026-11-29 10:00（已确认）');
    ['.confirm-btn', '.rate-box', '.cancel-btn', '.reply-field', '.add-photos'].forEach((s) => {
      expect(page.querySelector(s)).toBeFalsy();
    });
    expect(text(page, '.rated')).toContain('很满意');
  });

  test('cancel asks for a reason and posts it; an empty reason sends nothing', async () => {
    const { wx, page } = await openTicket(ticketDetail(), {
      'POST owner/tickets/7/cancel': { ticket: ticket(7, { state: 'cancelled', state_string: '已取消' }), actions: ['message'] },
    });
    wx.showModal.mockImplementationOnce((o) => o.success({ confirm: true, content: '  ' }));
    await page.instance.onCancel();
    expect(wx.request.last('POST owner/tickets/7/cancel')).toBeUndefined();
    expect(wx.showToast).toHaveBeenCalledWith(expect.objectContaining({ title: '请填写撤回原因' }));

    wx.showModal.mockImplementationOnce((o) => o.success({ confirm: true, content: '已自行解决' }));
    tapButton(page, '.cancel-btn');
    await flush();
    expect(wx.showModal.mock.calls[1][0]).toMatchObject({ title: '撤回工单', editable: true });
    expect(wx.request.last('POST owner/tickets/7/cancel').data).toEqual({ reason: '已自行解决' });
    expect(gets(wx)).toHaveLength(2);
  });

  test('a refused step shows the server message', async () => {
    const { wx, page } = await openTicket(ticketDetail(), {
      'POST owner/tickets/7/cancel': { status: 409, data: { error: { code: 'ticket_action_refused', message: '工单“GD000007”当前状态为“已派单”，现在不能执行此操作。' } } },
    });
    wx.showModal.mockImplementationOnce((o) => o.success({ confirm: true, content: '不需要了' }));
    await page.instance.onCancel();
    expect(wx.showToast).toHaveBeenCalledWith(expect.objectContaining({ title: '工单“GD000007”当前状态为“已派单”，现在不能执行此操作。' }));
    expect(gets(wx)).toHaveLength(1);
    expect(page.data.acting).toBe('');
  });

  test('adds photos while allowed, checked and uploaded one by one', async () => {
    const { wx, page } = await openTicket(ticketDetail(), {}, {
      chooseMedia: chooseMedia([{ path: 'wxfile://tmp/more.webp', size: MB }, { path: 'wxfile://tmp/huge.jpg', size: 8 * MB }]),
    });
    await pickPhotos(page, '.photo-uploader');
    await flush(10);
    expect(wx.showToast).toHaveBeenCalledWith(expect.objectContaining({ title: expect.stringContaining('照片不能超过 5 MB') }));
    expect(wx.uploadFile).toHaveBeenCalledTimes(1);
    expect(wx.uploadFile.mock.calls[0][0]).toMatchObject({ url: `${BASE}owner/tickets/7/photos`, name: 'photo', filePath: 'wxfile://tmp/more.webp' });
    expect(gets(wx)).toHaveLength(2);
  });
});

describe('entry points', () => {
  test('mine: 报修, 投诉建议 and 我的工单', async () => {
    const wx = mockWx({ 'GET owner/me': { verified: true, owner: { id: 496, name: '王建国' } } });
    const page = loadPage('mine');
    await page.instance.onShow();
    await flush();
    page.querySelector('.to-repair').dispatchEvent('tap');
    page.querySelector('.to-feedback').dispatchEvent('tap');
    page.querySelector('.to-tickets').dispatchEvent('tap');
    await flush();
    expect(wx.navigateTo.mock.calls.map((c) => c[0].url)).toEqual([
      '/pages/ticket-new/index?kind=repair', '/pages/ticket-new/index?kind=complaint', '/pages/tickets/index',
    ]);
  });

  test('home: the service entries', async () => {
    const wx = mockWx({}, { wx: { setTabBarBadge: jest.fn(), removeTabBarBadge: jest.fn() } });
    const page = loadPage('home');
    page.querySelector('.to-feedback').dispatchEvent('tap');
    page.querySelector('.to-tickets').dispatchEvent('tap');
    await flush();
    expect(text(page, '.services')).toBe('报修投诉建议我的工单消息');
    expect(wx.navigateTo.mock.calls.map((c) => c[0].url)).toEqual([
      '/pages/ticket-new/index?kind=complaint', '/pages/tickets/index',
    ]);
  });
});
