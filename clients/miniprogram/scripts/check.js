#!/usr/bin/env node
// Build-clean check of the mini-program, what WeChat DevTools would refuse
// at compile time: every page of app.json and every component they use has
// its .js/.json/.wxml/.wxss, every usingComponents path resolves, tabBar
// pages are pages, pages are written with Component() (testable), and every
// "/pages/…" path in the code is a page of app.json.
const fs = require('fs');
const path = require('path');

const FILES = ['.js', '.json', '.wxml', '.wxss'];

function readJson(file, errors) {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    errors.push(`${file}: ${fs.existsSync(file) ? 'invalid JSON' : 'missing'}`);
    return null;
  }
}

function check(root) {
  const errors = [];
  const rel = (file) => path.relative(root, file) || '.';
  const app = readJson(path.join(root, 'app.json'), errors);
  if (!app) return errors;
  ['app.js', 'app.wxss'].forEach((name) => {
    if (!fs.existsSync(path.join(root, name))) errors.push(`${name}: missing`);
  });
  if (app.sitemapLocation && !fs.existsSync(path.join(root, app.sitemapLocation))) {
    errors.push(`app.json: sitemapLocation ${app.sitemapLocation} missing`);
  }
  const pages = app.pages || [];
  if (!pages.length) errors.push('app.json: no pages');

  const seen = new Set();
  const visit = (base, what, isPage) => {
    if (seen.has(base)) return;
    seen.add(base);
    const missing = FILES.filter((ext) => !fs.existsSync(base + ext));
    if (missing.length) {
      errors.push(`${what} ${rel(base)}: missing ${missing.join(', ')}`);
      if (missing.includes('.json')) return;
    }
    const json = readJson(`${base}.json`, errors);
    if (!json) return;
    if (!isPage && json.component !== true) {
      errors.push(`${what} ${rel(base)}: .json lacks "component": true`);
    }
    if (isPage && fs.existsSync(`${base}.js`)) {
      const js = fs.readFileSync(`${base}.js`, 'utf8');
      if (/\bPage\s*\(/.test(js) || !/\bComponent\s*\(/.test(js)) {
        errors.push(`page ${rel(base)}: must be written with Component(), not Page()`);
      }
    }
    Object.entries(json.usingComponents || {}).forEach(([tag, value]) => {
      const target = value.startsWith('/')
        ? path.join(root, value)
        : path.join(path.dirname(base), value);
      if (!fs.existsSync(`${target}.json`)) {
        errors.push(`${rel(base)}.json: usingComponents "${tag}": ${value} does not resolve`);
        return;
      }
      visit(target, 'component', false);
    });
  };
  pages.forEach((page) => visit(path.join(root, page), 'page', true));

  const tabBar = (app.tabBar && app.tabBar.list) || [];
  tabBar.forEach((item) => {
    if (!pages.includes(item.pagePath)) {
      errors.push(`app.json: tabBar page ${item.pagePath} is not in pages`);
    }
  });

  const walk = (dir) => fs.readdirSync(dir, { withFileTypes: true }).forEach((entry) => {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== 'miniprogram_npm' && entry.name !== 'node_modules') walk(file);
    } else if (entry.name.endsWith('.js')) {
      const text = fs.readFileSync(file, 'utf8');
      const re = /["'`]\/(pages\/[\w-]+\/[\w-]+)/g;
      let m;
      while ((m = re.exec(text))) {
        if (!pages.includes(m[1])) errors.push(`${rel(file)}: /${m[1]} is not a page of app.json`);
      }
    }
  });
  walk(root);
  return errors;
}

if (require.main === module) {
  const root = path.resolve(process.argv[2] || path.join(__dirname, '..', 'miniprogram'));
  const errors = check(root);
  if (errors.length) {
    errors.forEach((e) => console.error(`check: ${e}`));
    process.exit(1);
  }
  console.log('check: app.json pages, components and usingComponents are complete');
}

module.exports = { check };
