#!/usr/bin/env node
// Copies the Vant Weapp components the pages use (and every file they need:
// requires, usingComponents, wxs, include/import, @import) from node_modules/@vant/weapp/lib
// (CommonJS) into miniprogram/miniprogram_npm/@vant/weapp, as WeChat
// DevTools' "build npm" would. miniprogram_npm is generated, not committed.
const fs = require('fs');
const path = require('path');

const ROOT = path.resolve(__dirname, '..');
const MP = path.join(ROOT, 'miniprogram');
const SRC = path.join(ROOT, 'node_modules', '@vant', 'weapp', 'lib');
const DEST = path.join(MP, 'miniprogram_npm', '@vant', 'weapp');
const PREFIX = '/miniprogram_npm/@vant/weapp/';

// The Vant components named by the usingComponents of our pages/components.
function usedComponents() {
  const used = new Set();
  const walk = (dir) => {
    fs.readdirSync(dir, { withFileTypes: true }).forEach((entry) => {
      const file = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        if (entry.name !== 'miniprogram_npm') walk(file);
      } else if (entry.name.endsWith('.json')) {
        const json = JSON.parse(fs.readFileSync(file, 'utf8'));
        Object.values(json.usingComponents || {}).forEach((value) => {
          if (value.startsWith(PREFIX)) used.add(value.slice(PREFIX.length));
        });
      }
    });
  };
  walk(MP);
  return Array.from(used).sort();
}

const REFERENCES = [
  /require\(["']([^"']+)["']\)/g,
  /<wxs[^>]*src=["']([^"']+)["']/g,
  /<(?:include|import)[^>]*src=["']([^"']+)["']/g,
  /@import\s+["']([^"']+)["']/g,
];

function closure(entries) {
  const files = new Set();
  const queue = [];
  const add = (file) => {
    if (!files.has(file) && fs.existsSync(path.join(SRC, file))) {
      files.add(file);
      queue.push(file);
    }
  };
  const addModule = (from, ref) => {
    if (!ref.startsWith('.')) return;
    const base = path.normalize(path.join(path.dirname(from), ref));
    const ext = path.extname(base);
    if (['.js', '.wxs', '.wxss', '.wxml', '.json'].includes(ext)) add(base);
    else add(`${base}.js`);
  };
  const addComponent = (base) => {
    ['.js', '.json', '.wxml', '.wxss'].forEach((ext) => add(base + ext));
  };
  entries.forEach((name) => addComponent(path.normalize(name)));
  while (queue.length) {
    const file = queue.shift();
    const text = fs.readFileSync(path.join(SRC, file), 'utf8');
    if (file.endsWith('.json')) {
      const json = JSON.parse(text);
      Object.values(json.usingComponents || {}).forEach((ref) => {
        addComponent(path.normalize(path.join(path.dirname(file), ref)));
      });
    } else {
      REFERENCES.forEach((re) => {
        let m;
        re.lastIndex = 0;
        while ((m = re.exec(text))) addModule(file, m[1]);
      });
    }
  }
  return Array.from(files).sort();
}

function build() {
  if (!fs.existsSync(SRC)) {
    throw new Error('node_modules/@vant/weapp is missing: run npm ci first');
  }
  const files = closure(usedComponents());
  fs.rmSync(DEST, { recursive: true, force: true });
  files.forEach((file) => {
    const target = path.join(DEST, file);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.copyFileSync(path.join(SRC, file), target);
  });
  fs.copyFileSync(path.join(SRC, '..', 'LICENSE'), path.join(DEST, 'LICENSE'));
  return files;
}

if (require.main === module) {
  const files = build();
  console.log(`build:npm: ${files.length} files of @vant/weapp copied to miniprogram/miniprogram_npm`);
}

module.exports = { build, closure, usedComponents };
