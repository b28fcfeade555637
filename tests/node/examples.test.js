'use strict';
// The Node example and the README's Node section run as written.
const test = require('node:test');
const assert = require('node:assert/strict');
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..', '..');

function runNode(args, cwd) {
  return execFileSync(process.execPath, args, { cwd, encoding: 'utf8', timeout: 300000 });
}

test('the quickstart example', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dms-example-'));
  try {
    const out = runNode([path.join(ROOT, 'examples', 'node', 'quickstart.js'),
                         path.join(dir, 'x.db')], dir);
    assert.match(out, /admin@dealer\.in/);
    assert.match(out, /refused: DUPLICATE on email/);
    assert.match(out, /invoice PAID: 1000\.00 \+ CGST 90\.00 \+ SGST 90\.00 = 1180\.00/);
    assert.match(out, /MH01AB1234: 1 service, 1180\.00 spent/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test("the README's Node section", () => {
  const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  const section = readme.split('## Embedding from Node\n')[1].split('\n## ')[0];
  const code = /```js\n([\s\S]*?)```/.exec(section)[1]
    .replace(/require\('(?:\.\/bindings\/node|dms)'\)/,
             `require(${JSON.stringify(path.join(ROOT, 'bindings', 'node'))})`);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dms-readme-'));
  try {
    fs.writeFileSync(path.join(dir, 'readme.js'), code);
    const lines = runNode([path.join(dir, 'readme.js')], dir).trim().split('\n');
    assert.deepEqual(lines, ['10 2500.00', 'NOT_FOUND 300']);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
