'use strict';
// The Node binding without business services: loading, calls, errors, handles.
const test = require('node:test');
const assert = require('node:assert/strict');
const { dms, openFresh, cleanup } = require('./helpers');

test.after(cleanup);

test('the package exposes the addon and the schema', () => {
  assert.match(dms.version, /^\d+\.\d+\.\d+$/);
  assert.ok(dms.versionNumber >= 1000);
  assert.ok(dms.methods().includes('system.Ping'));
  assert.deepEqual(dms.schema().methods['system.Ping'],
                   { request: 'dms.v1.PingRequest', response: 'dms.v1.PingResponse' });
});

test('ping and version, by name and through helpers', async () => {
  const db = await openFresh();
  const pong = await db.call(null, 'system.Ping', { echo: 'hello' });
  assert.equal(pong.echo, 'hello');
  assert.match(pong.time, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/);
  assert.deepEqual(await db.system.version(null),
                   { version: dms.version, versionNumber: dms.versionNumber });
  const system = db.systemSession({ requestId: 'req-1' });
  assert.equal(system.context.role, 'system');
  assert.deepEqual(system.context.permissions, ['*']);
  assert.equal((await system.system.ping({ echo: 'x' })).echo, 'x');
  assert.equal((await system.call('system.Ping', { echo: 'y' })).echo, 'y');
  assert.equal(JSON.parse(await db.callText(system, 'system.Ping', '{"echo":"t"}')).echo, 't');
  db.close();
});

test('every method has a helper', async () => {
  const db = await openFresh();
  const session = db.systemSession();
  for (const name of dms.methods()) {
    const [prefix, method] = name.split('.');
    const helperName = method[0].toLowerCase() + method.slice(1);
    assert.equal(typeof db[prefix][helperName], 'function', name);
    assert.equal(typeof session[prefix][helperName], 'function', name);
  }
  db.close();
});

test('binary protobuf calls', async () => {
  const db = await openFresh();
  const request = dms.toBinary('dms.v1.PingRequest', { echo: 'bin' });
  assert.deepEqual([...request], [0x0a, 3, 0x62, 0x69, 0x6e]);
  const response = await db.callBinary(null, 'system.Ping', request);
  assert.ok(Buffer.isBuffer(response));
  assert.equal(dms.fromBinary('dms.v1.PingResponse', response).echo, 'bin');
  await assert.rejects(db.callBinary(null, 'system.Ping', Buffer.from([0x0a, 9, 1])),
                       { code: 'VALIDATION_ERROR', field: 'request' });
  db.close();
});

test('errors are DmsError subclasses with the shared code', async () => {
  const db = await openFresh();
  await assert.rejects(db.call(null, 'no.Such', {}), (e) => {
    assert.ok(e instanceof dms.NotFoundError && e instanceof dms.DmsError && e instanceof Error);
    assert.equal(e.code, 'NOT_FOUND');
    assert.equal(e.codeNumber, 300);
    assert.equal(e.field, 'method');
    assert.equal(e.retryable, false);
    return true;
  });
  await assert.rejects(db.call(null, 'system.Ping', { echo: 5 }),
                       { name: 'ValidationError', code: 'VALIDATION_ERROR', field: 'echo' });
  await assert.rejects(db.call(null, 'system.Ping', { delayMs: 99999 }),
                       { codeNumber: 200, field: 'delayMs' });
  await assert.rejects(db.callText(null, 'system.Ping', '{"echo":'),
                       { code: 'VALIDATION_ERROR', field: 'request' });
  await assert.rejects(db.call(null, 'system.Ping', [1, 2]), { field: 'request' });
  // BigInt is exact: it travels as a decimal string.
  assert.equal((await db.call(null, 'system.Ping', { echo: 10n ** 30n })).echo,
               '1000000000000000000000000000000');
  await assert.rejects(db.call({}, 'system.Ping', {}), { field: 'context' });
  await assert.rejects(db.call(null, 42, {}), { field: 'method' });
  db.close();
  await assert.rejects(db.call(null, 'system.Ping', {}), { field: 'database' });
});

test('the error classes follow the code groups', () => {
  const cases = {
    100: dms.AuthError, 101: dms.AuthError, 103: dms.PermissionDenied, 200: dms.ValidationError,
    201: dms.ValidationError, 300: dms.NotFoundError, 400: dms.DuplicateError,
    401: dms.ConflictError, 500: dms.BusinessRuleError, 501: dms.InvalidTransition,
    502: dms.InsufficientStock, 600: dms.RateLimitedError, 900: dms.StorageError,
    901: dms.StorageError, 999: dms.InternalError,
  };
  for (const [number, Class] of Object.entries(cases)) {
    const e = dms.fromNative(Number(number), 'X', 'message', 'f', '', '', false);
    assert.ok(e instanceof Class, number);
    assert.equal(e.codeNumber, Number(number));
  }
});

test('every business rule has its own code, known to the library', () => {
  const entries = Object.entries(dms.BUSINESS_RULE_CODES);
  assert.ok(entries.length >= 29);
  assert.ok(Object.isFrozen(dms.BUSINESS_RULE_CODES));
  const numbers = new Set();
  for (const [name, number] of entries) {
    assert.ok(number > 502 && number < 600, name);
    assert.ok(!numbers.has(number), name);
    numbers.add(number);
    assert.equal(dms.statusName(number), name);
    assert.ok(dms.fromNative(number, name, 'm', '', '', '', false) instanceof dms.BusinessRuleError);
  }
  // And the library has no rule code this table lacks.
  for (let number = 503; number < 600; ++number) {
    const name = dms.statusName(number);
    if (name !== 'INTERNAL_ERROR') assert.equal(dms.BUSINESS_RULE_CODES[name], number, name);
  }
  assert.equal(dms.BUSINESS_RULE_CODES.VEHICLE_HAS_OPEN_JOB_CARD, 508);
});

test('opening a bad URL rejects with a code', async () => {
  await assert.rejects(dms.open(''), { code: 'VALIDATION_ERROR' });
  await assert.rejects(dms.open(5), { field: 'url' });
  await assert.rejects(dms.open(':memory:', { poolSiz: 1 }), { field: 'poolSiz' });
});
