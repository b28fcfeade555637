'use strict';
// Random malformed requests through the Node addon: every one settles with a response or a
// DmsError carrying a defined, classified code (never INTERNAL_ERROR or STORAGE_ERROR), and the
// process survives. DMS_NODE_FUZZ_COUNT sets the number per generator (default 400, so 2,000 in
// all); CTest runs this file under AddressSanitizer in the asan preset (docs/bindings.md).
const test = require('node:test');
const assert = require('node:assert/strict');
const { dms, openFresh, cleanup } = require('./helpers');

test.after(cleanup);

const COUNT = Number(process.env.DMS_NODE_FUZZ_COUNT || 400);

// A small deterministic generator (xorshift32), so a failure can be replayed.
let state = 20251220;
function rnd() {
  state ^= state << 13; state >>>= 0;
  state ^= state >>> 17;
  state ^= state << 5; state >>>= 0;
  return state;
}
const below = (n) => rnd() % n;
const pick = (items) => items[below(items.length)];

const FIELDS = [...new Set(Object.values(dms.schema().messages)
  .flatMap((m) => m.fields.map((f) => f.name)))].filter((name) => name !== 'delayMs');
const WEIRD = ['', 'x', '-1', '1e400', '12.345', '2025-13-45', 'NaN', '\u0000', '\ud800', '₹',
               'DRAFT', "'; DROP TABLE users; --", 'a'.repeat(20000)];

function randomValue(depth) {
  switch (below(depth > 3 ? 5 : 7)) {
    case 0: return pick(WEIRD);
    case 1: return pick([0, -1, 2 ** 31, -(2 ** 63), 1e308, 0.5, -0, Number.MAX_SAFE_INTEGER + 2]);
    case 2: return below(2) === 0;
    case 3: return null;
    case 4: return pick(WEIRD);
    case 5: return Array.from({ length: below(4) }, () => randomValue(depth + 1));
    default: return randomObject(depth + 1);
  }
}
function randomObject(depth = 0) {
  const out = {};
  for (let i = below(6); i > 0; i -= 1) out[below(8) ? pick(FIELDS) : 'k'] = randomValue(depth);
  return out;
}
function mutate(text) {
  const chars = [...text];
  for (let r = 1 + below(4); r > 0 && chars.length; r -= 1) {
    const at = below(chars.length);
    const c = pick(['{', '}', '[', ']', '"', ':', ',', '\\', '0', '-', 'e', ' ', '\u00ff']);
    switch (below(4)) {
      case 0: chars[at] = c; break;
      case 1: chars.splice(at); break;
      case 2: chars.splice(at, 1); break;
      default: chars.splice(at, 0, c);
    }
  }
  return chars.join('');
}
function randomBytes(max) {
  return Buffer.from(Array.from({ length: below(max) }, () => below(256)));
}

const outcomes = {};
async function settle(promise) {
  try {
    await promise;
    outcomes.OK = (outcomes.OK || 0) + 1;
  } catch (e) {
    assert.ok(e instanceof dms.DmsError, `not a DmsError: ${e && e.stack}`);
    assert.notEqual(e.code, 'INTERNAL_ERROR', e.message);
    assert.notEqual(e.code, 'STORAGE_ERROR', e.message);
    assert.ok(e.codeNumber > 0 && e.message.length > 0);
    outcomes[e.code] = (outcomes[e.code] || 0) + 1;
  }
}

test(`${COUNT * 5} malformed requests give only coded errors`, async (t) => {
  const db = await openFresh();
  const system = db.systemSession();
  const methods = dms.methods();
  const seeds = ['{"echo":"hello"}', '{"name":"John","phone":"+919876543210"}',
                 '{"items":[{"quantity":"1","unitPrice":"10.00"}]}', '{}'];
  const ctx = () => (below(4) === 0 ? null : system);
  for (let i = 0; i < COUNT; i += 1) {
    await settle(db.callText(ctx(), pick(methods), randomBytes(48).toString('latin1')));
    await settle(db.callText(ctx(), pick(methods), mutate(pick(seeds))));
    await settle(db.call(ctx(), pick(methods), randomObject()));
    await settle(db.callBinary(ctx(), pick(methods), randomBytes(40)));
    await settle(db.call(ctx(), below(2) ? mutate(pick(methods)) : randomBytes(12).toString(), {}));
  }
  // Wrong argument types straight into the addon's wrapper.
  for (const bad of [undefined, 42, 'text', [1], Buffer.from('x')]) {
    await settle(db.call(system, 'system.Ping', bad));
    await settle(db.callBinary(system, 'system.Ping', bad));
    await settle(db.call(bad, 'system.Ping', {}));
  }
  db.close();
  const total = Object.values(outcomes).reduce((a, b) => a + b, 0);
  assert.ok(total >= COUNT * 5);
  assert.ok((outcomes.VALIDATION_ERROR || 0) > total / 10, JSON.stringify(outcomes));
  t.diagnostic(`outcomes: ${JSON.stringify(outcomes)}`);
});
