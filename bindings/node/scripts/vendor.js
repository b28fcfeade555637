#!/usr/bin/env node
'use strict';
// npm pack's prepack step: copies the libdms sources the addon's build needs into native/, so
// the tarball builds on install (scripts/install.js). `--clean` (postpack) removes them again.
const fs = require('node:fs');
const path = require('node:path');

const pkg = path.resolve(__dirname, '..');
const root = path.resolve(pkg, '..', '..');
const target = path.join(pkg, 'native');
// What the top-level CMakeLists.txt reads with tests, examples, the CLI and Python off.
const parts = ['CMakeLists.txt', 'cmake', 'include', 'src', 'proto', 'bindings/CMakeLists.txt',
               'bindings/c', 'bindings/node/CMakeLists.txt', 'bindings/node/src'];

fs.rmSync(target, { recursive: true, force: true });
if (process.argv.includes('--clean')) process.exit(0);
if (!fs.existsSync(path.join(root, 'src', 'CMakeLists.txt'))) {
  throw new Error(`dms: npm pack needs the libdms checkout around ${pkg}`);
}
for (const part of parts) {
  fs.cpSync(path.join(root, part), path.join(target, part), { recursive: true });
}
