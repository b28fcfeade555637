#!/usr/bin/env node
'use strict';
// npm's install step of the dms package: builds dms.node with CMake from the libdms sources and
// puts it, with libdms.so.0 and libdms_c.so.0, next to index.js (every one with RPATH $ORIGIN),
// so require('dms') works from any project with no environment variable.
//
// The sources: native/ in a packed tarball (npm pack runs scripts/vendor.js), else the checkout
// around bindings/node (`npm install path/to/bindings/node`). Offline: the addon is plain N-API
// against the system's /usr/include/node (TOOLCHAIN: no header download, no cmake-js needed).
// Only the addon's targets are built (Release, -j DMS_JOBS or 2, ccache when found); the build
// directory stays in build/, so a second install rebuilds only what changed.
// DMS_NODE_SKIP_BUILD=1 skips the build (the build tree's addon is then used via DMS_NODE_ADDON).
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const pkg = path.resolve(__dirname, '..');

function sourceRoot() {
  const candidates = [path.join(pkg, 'native'), path.resolve(pkg, '..', '..')];
  for (const dir of candidates) {
    if (fs.existsSync(path.join(dir, 'src', 'CMakeLists.txt'))) return dir;
  }
  throw new Error(`dms: the libdms sources are not in ${candidates.join(' or ')}`);
}

function onPath(program) {
  for (const dir of (process.env.PATH || '').split(path.delimiter)) {
    if (dir && fs.existsSync(path.join(dir, program))) return true;
  }
  return false;
}

function run(args, env) {
  execFileSync('cmake', args, { stdio: ['ignore', 'inherit', 'inherit'], env });
}

// The deepest folder holding both paths (ccache's base: compilations with the same relative
// layout hit each other's cache entries, wherever the package sits).
function commonBase(a, b) {
  const x = a.split(path.sep);
  const y = b.split(path.sep);
  let i = 0;
  while (i < x.length && i < y.length && x[i] === y[i]) ++i;
  return x.slice(0, i).join(path.sep) || path.sep;
}

function main() {
  if (process.env.DMS_NODE_SKIP_BUILD === '1') {
    console.log('dms: DMS_NODE_SKIP_BUILD=1, not building the addon');
    return;
  }
  const root = sourceRoot();
  const build = path.join(pkg, 'build');
  const started = Date.now();
  const configure = [
    '-S', root, '-B', build, '-DCMAKE_BUILD_TYPE=Release',
    '-DDMS_BUILD_NODE=ON', '-DDMS_BUILD_PYTHON=OFF', '-DDMS_BUILD_CLI=OFF',
    '-DDMS_BUILD_TESTS=OFF', '-DDMS_BUILD_BENCHMARKS=OFF', '-DDMS_BUILD_EXAMPLES=OFF',
    '-DDMS_INSTALL=OFF',
    '-DCMAKE_BUILD_WITH_INSTALL_RPATH=ON', '-DCMAKE_INSTALL_RPATH=$ORIGIN',
  ];
  if (onPath('ccache')) {
    configure.push('-DCMAKE_CXX_COMPILER_LAUNCHER=ccache', '-DCMAKE_C_COMPILER_LAUNCHER=ccache');
  }
  const env = { ...process.env };
  if (!env.CCACHE_BASEDIR) env.CCACHE_BASEDIR = commonBase(root, build);
  run(configure, env);
  run(['--build', build, '--target', 'dms_node', '-j', process.env.DMS_JOBS || '2'], env);
  fs.copyFileSync(path.join(build, 'node', 'dms.node'), path.join(pkg, 'dms.node'));
  for (const lib of [path.join(build, 'src', 'libdms.so.0'),
                     path.join(build, 'bindings', 'c', 'libdms_c.so.0')]) {
    fs.copyFileSync(fs.realpathSync(lib), path.join(pkg, path.basename(lib)));
  }
  console.log(`dms: built dms.node in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

main();
