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

// Strips what protobuf's JSON mapping cannot keep (nulls, defaults, empty containers) and
// writes leaves as text, so a document and its schema round trip compare equal.
function canonical(value) {
  if (value === null || value === undefined || value === '' || value === 0 || value === false) {
    return undefined;
  }
  if (Array.isArray(value)) {
    const items = value.map((v) => (canonical(v) === undefined ? null : canonical(v)));
    return items.length ? items : undefined;
  }
  if (typeof value === 'object') {
    const out = {};
    for (const key of Object.keys(value).sort()) {
      const v = canonical(value[key]);
      if (v !== undefined) out[key] = v;
    }
    return Object.keys(out).length ? out : undefined;
  }
  return String(value);
}

// Checks that the wire schema describes every field of `response`: the response of `method`
// survives JSON -> binary protobuf -> JSON. Returns the response for chaining.
function conforms(method, response) {
  const types = dms.schema().methods[method];
  if (!types) throw new Error(`${method} has no schema entry`);
  const back = dms.fromBinary(types.response, dms.toBinary(types.response, response));
  const expected = canonical(response);
  const actual = canonical(back);
  if (JSON.stringify(expected) !== JSON.stringify(actual)) {
    throw new Error(`the schema of ${method} (${types.response}) loses fields:\n` +
                    `  service: ${JSON.stringify(expected)}\n  schema:  ${JSON.stringify(actual)}`);
  }
  return response;
}

// Checks that the request message of `method` holds every field of `request`, so the call
// could be made in binary protobuf too.
function requestConforms(method, request) {
  const types = dms.schema().methods[method];
  if (!types) throw new Error(`${method} has no schema entry`);
  const back = dms.fromBinary(types.request, dms.toBinary(types.request, request));
  if (JSON.stringify(canonical(request)) !== JSON.stringify(canonical(back))) {
    throw new Error(`the schema of ${method} (${types.request}) loses request fields:\n` +
                    `  request: ${JSON.stringify(canonical(request))}\n` +
                    `  schema:  ${JSON.stringify(canonical(back))}`);
  }
}

// A Session whose every call also checks its request and response against the schema.
function checked(session) {
  return {
    session,
    async call(method, request = {}) {
      requestConforms(method, request);
      return conforms(method, await session.call(method, request));
    },
  };
}

function cleanup() {
  while (cleanups.length) cleanups.pop()();
}

module.exports = { dms, freshUrl, openFresh, cleanup, conforms, checked };
