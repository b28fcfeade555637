'use strict';
// The committed TypeScript types (bindings/node/services.d.ts) match the wire schema.
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const { generate, TARGET } = require('../../bindings/node/scripts/gen-types');
const { dms } = require('./helpers');

test('services.d.ts is generated from the current schema', () => {
  const expected = generate(dms.schema());
  const actual = fs.readFileSync(TARGET, 'utf8');
  assert.ok(actual === expected,
            'bindings/node/services.d.ts is stale: run ' +
            'DMS_NODE_ADDON=build/dev/node/dms.node node bindings/node/scripts/gen-types.js');
});

test('every described method has a typed helper', () => {
  const text = fs.readFileSync(TARGET, 'utf8');
  for (const method of Object.keys(dms.schema().methods)) {
    assert.ok(text.includes(`'${method}': [`), method);
  }
});
