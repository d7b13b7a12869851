const { BASE, fakeUpload, mockWx } = require('./helpers');
const { RESOURCE, ticket } = require('./fixtures');

beforeEach(() => {
  jest.resetModules();
});

const MB = 1024 * 1024;

describe('domains/tickets/form', () => {
  const form = require('../miniprogram/domains/tickets/form');

  test('area choices: each resource, then the public area of each project', () => {
    const other = Object.assign({}, RESOURCE, { id: 300, name: '江南苑 1-101', project: { id: 400, name: '江南苑' } });
    expect(form.areaOptions([RESOURCE]).map((a) => [a.key, a.label])).toEqual([
      ['r262', '户内 · 翠湖花园 2-1-301'], ['p358', '公共区域'],
    ]);
    expect(form.areaOptions([RESOURCE, other]).map((a) => a.label)).toEqual([
      '户内 · 翠湖花园 2-1-301', '户内 · 江南苑 1-101', '公共区域 · 翠湖花园', '公共区域 · 江南苑',
    ]);
    expect(form.areaOptions([]).map((a) => a.key)).toEqual(['public']);
  });

  test('validation messages and the request body', () => {
    expect(form.validate({ description: ' ', area: 'r262' })).toEqual({ field: 'description', message: '请填写问题描述' });
    expect(form.validate({ description: '漏水', area: '' })).toEqual({ field: 'area', message: '请选择报事区域' });
    expect(form.validate({ description: '漏水', area: 'r262', contactPhone: '12a' })).toEqual({ field: 'contactPhone', message: '联系电话格式不正确' });
    expect(form.validate({ description: '漏水', area: 'r262', contactPhone: '0571-88886666' })).toBeNull();
    expect(form.requestBody({ kind: 'repair', description: ' 漏水 ', category: 0, place: '', contactPhone: '' }, { resource: 262 }))
      .toEqual({ kind: 'repair', description: '漏水', resource: 262 });
    expect(form.kindOf('suggestion')).toBe('suggestion');
    expect(form.kindOf('inquiry')).toBe('repair');
  });

  test('a public area at a location sends it instead of the project; a private one never', () => {
    const base = { kind: 'complaint', description: '楼道灯不亮' };
    const location = { id: 1378, project: 358, label: '2号楼' };
    expect(form.requestBody(Object.assign({ location }, base), { project: 358 }))
      .toEqual({ kind: 'complaint', description: '楼道灯不亮', location: 1378 });
    expect(form.requestBody(base, { project: 358 }))
      .toEqual({ kind: 'complaint', description: '楼道灯不亮', project: 358 });
    expect(form.requestBody(Object.assign({ location }, base), { resource: 262 }))
      .toEqual({ kind: 'complaint', description: '楼道灯不亮', resource: 262 });
  });

  test('photos: images only, at most 5 MB each, at most 4', () => {
    const files = [
      { url: 'wxfile://tmp/a.jpg', size: MB, type: 'image' },
      { url: 'wxfile://tmp/b.heic', size: MB, type: 'image' },
      { url: 'wxfile://tmp/c.mp4', size: MB, type: 'video' },
      { url: 'wxfile://tmp/d.png', size: 5 * MB + 1 },
      { url: 'wxfile://tmp/e.webp', size: 5 * MB },
      { url: 'wxfile://tmp/f', size: MB },
    ];
    const { accepted, refused } = form.checkPhotos(files, 1);
    expect(accepted.map((f) => f.url)).toEqual(['wxfile://tmp/a.jpg', 'wxfile://tmp/e.webp', 'wxfile://tmp/f']);
    expect(refused).toEqual(['仅支持 JPG、PNG、WebP 格式的图片', '照片不能超过 5 MB（所选照片 5.0 MB），请压缩后重新选择']);
    expect(form.checkPhotos([{ url: 'x.jpg', size: 1 }], 4).refused).toEqual(['最多上传 4 张照片']);
    expect(form.numbered([{ url: 'a' }, { url: 'b' }]).map((p) => p.name)).toEqual(['照片1', '照片2']);
  });
});

describe('domains/tickets/view', () => {
  const view = require('../miniprogram/domains/tickets/view');

  test('where: private with resource and place, public with location', () => {
    expect(view.where(ticket(1), '厨房')).toBe('户内 · 翠湖花园 2-1-301 · 厨房');
    expect(view.where(ticket(1, { area: 'public', resource: null, location: { id: 459, name: '2号楼' } }))).toBe('公共区域 · 2号楼');
    expect(view.where(ticket(1, { area: 'public', resource: null }), '')).toBe('公共区域');
  });
});

describe('utils/api upload and download', () => {
  test('upload: a JSON error text rejects with its code, silent keeps quiet', async () => {
    const wx = mockWx({}, {
      wx: { uploadFile: fakeUpload(() => ({ status: 413, data: { error: { code: 'too_large', message: '请求过大：最多接受 5242880 字节。' } } })) },
    });
    const api = require('../miniprogram/utils/api');
    const err = await api.upload('owner/tickets/7/photos', 'wxfile://tmp/a.jpg', 'photo', { silent: true }).catch((e) => e);
    expect(err).toMatchObject({ status: 413, code: 'too_large', message: '请求过大：最多接受 5242880 字节。' });
    expect(wx.showToast).not.toHaveBeenCalled();
    expect(wx.uploadFile.mock.calls[0][0]).toMatchObject({ url: `${BASE}owner/tickets/7/photos`, name: 'photo' });
  });

  test('upload: the answer is parsed; a 401 goes to login; a non-JSON error gets a Chinese text', async () => {
    const answers = [
      { status: 201, data: { photo: { id: 41 } } },
      { status: 401, data: { error: { code: 'unauthorized', message: '请重新登录。' } } },
    ];
    const wx = mockWx({}, { wx: { uploadFile: fakeUpload(() => answers.shift()) } });
    const api = require('../miniprogram/utils/api');
    await expect(api.upload('owner/tickets/7/photos', 'a.jpg', 'photo')).resolves.toEqual({ photo: { id: 41 } });
    await expect(api.upload('owner/tickets/7/photos', 'a.jpg', 'photo')).rejects.toMatchObject({ status: 401 });
    expect(wx.reLaunch).toHaveBeenCalledWith({ url: '/pages/login/index' });

    wx.uploadFile = jest.fn((o) => o.success({ statusCode: 502, data: '<html>Bad Gateway</html>' }));
    await expect(api.upload('owner/tickets/7/photos', 'a.jpg', 'photo')).rejects.toMatchObject({ code: 'http_502', message: '上传失败（502）' });
  });

  test('download resolves with the temporary file, without opening it', async () => {
    const wx = mockWx({}, { token: 'abc' });
    const api = require('../miniprogram/utils/api');
    await expect(api.download('owner/tickets/7/photos/41')).resolves.toBe('wxfile://tmp/1.pdf');
    expect(wx.downloadFile.mock.calls[0][0].header.Authorization).toBe('Bearer abc');
    expect(wx.openDocument).not.toHaveBeenCalled();
    expect(wx.showLoading).not.toHaveBeenCalled();
  });
});
