const fs = require('fs');
const os = require('os');
const path = require('path');
const { check } = require('../scripts/check');
const { closure, usedComponents } = require('../scripts/build-npm');
const { ROOT } = require('./helpers');

function tmpProject(files) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mp-check-'));
  Object.entries(files).forEach(([name, content]) => {
    const file = path.join(dir, name);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
  });
  return dir;
}

function page(name, json, js) {
  return {
    [`${name}.js`]: js || 'Component({})',
    [`${name}.json`]: json || {},
    [`${name}.wxml`]: '<view />',
    [`${name}.wxss`]: '',
  };
}

describe('build-clean check', () => {
  test('the mini-program is complete', () => {
    expect(check(ROOT)).toEqual([]);
  });

  test('every page of app.json exists and the tab bar has 首页/账单/公告/我的', () => {
    const app = JSON.parse(fs.readFileSync(path.join(ROOT, 'app.json'), 'utf8'));
    expect(app.tabBar.list.map((t) => t.text)).toEqual(['首页', '账单', '公告', '我的']);
    expect(app.pages).toHaveLength(13);
    expect(app.pages).toContain('pages/messages/index');
  });

  test('reports missing files, bad usingComponents, Page() and unknown page paths', () => {
    const dir = tmpProject(Object.assign({
      'app.json': { pages: ['pages/a/index', 'pages/b/index'], tabBar: { list: [{ pagePath: 'pages/c/index', text: 'c' }] } },
      'app.js': "App({}); wx.navigateTo({ url: '/pages/nope/index' })",
      'app.wxss': '',
      'pages/b/index.js': 'Component({})',
      'components/x/index.js': 'Component({})',
      'components/x/index.json': {},
      'components/x/index.wxml': '',
      'components/x/index.wxss': '',
    }, page('pages/a/index', { usingComponents: { 'van-foo': '/miniprogram_npm/@vant/weapp/foo/index', 'x-comp': '../../components/x/index' } }, 'Page({})')));
    const errors = check(dir).join('\n');
    expect(errors).toContain('page pages/b/index: missing .json, .wxml, .wxss');
    expect(errors).toContain('usingComponents "van-foo"');
    expect(errors).toContain('component components/x/index: .json lacks "component": true');
    expect(errors).toContain('page pages/a/index: must be written with Component()');
    expect(errors).toContain('tabBar page pages/c/index is not in pages');
    expect(errors).toContain('/pages/nope/index is not a page of app.json');
  });

  test('build:npm copies the used Vant components with what they include', () => {
    const used = usedComponents();
    expect(used).toEqual(expect.arrayContaining(['button/index', 'checkbox/index', 'field/index']));
    const files = closure(used);
    expect(files).toEqual(expect.arrayContaining([
      'button/index.js', 'common/component.js', 'mixins/basic.js', 'wxs/utils.wxs', 'field/input.wxml', 'icon/index.json',
    ]));
    expect(files.some((f) => f.startsWith('calendar/'))).toBe(false);
    files.forEach((f) => expect(fs.existsSync(path.join(ROOT, 'miniprogram_npm/@vant/weapp', f))).toBe(true));
  });
});
