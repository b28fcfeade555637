'use strict';
// Shared by the Node binding's tests (run by scripts/suites/node.sh with DMS_NODE_ADDON set).
//
// freshUrl('sqlite') is a new SQLite file; freshUrl('postgresql') a new schema on the server of
// DMS_TEST_PG_URL (scripts/test.sh starts one). Without that variable the PostgreSQL runs FAIL.
const { execFileSync } = require('node:child_process');
const crypto = require('node:crypto');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const dms = require('../../bindings/node');

const cleanups = [];

function freshUrl(engine = 'sqlite') {
  const suffix = crypto.randomBytes(6).toString('hex');
  if (engine === 'sqlite') {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dms-node-'));
    cleanups.push(() => fs.rmSync(dir, { recursive: true, force: true }));
    return path.join(dir, `test-${suffix}.db`);
  }
  const server = process.env.DMS_TEST_PG_URL;
  if (!server) {
    throw new Error('DMS_TEST_PG_URL is not set: the PostgreSQL runs cannot happen ' +
                    '(use scripts/test.sh, or source scripts/pg.sh and run dms_pg_start)');
  }
  const schema = `test_node_${suffix}`;
  const psql = (sql) => execFileSync('psql', ['-q', '-v', 'ON_ERROR_STOP=1', server, '-c', sql],
                                     { stdio: ['ignore', 'ignore', 'inherit'] });
  psql(`CREATE SCHEMA ${schema}`);
  cleanups.push(() => psql(`DROP SCHEMA IF EXISTS ${schema} CASCADE`));
  return `${server}${server.includes('?') ? '&' : '?'}options=-csearch_path%3D${schema}`;
}

async function openFresh(engine = 'sqlite') {
  return dms.open(freshUrl(engine), { sqliteSynchronous: 'NORMAL' });
}

function cleanup() {
  while (cleanups.length) cleanups.pop()();
}

module.exports = { dms, freshUrl, openFresh, cleanup };
