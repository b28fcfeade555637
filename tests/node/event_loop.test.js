'use strict';
// Storage calls run off the event loop: while a long call runs, timers keep firing.
const test = require('node:test');
const assert = require('node:assert/strict');
const { openFresh, cleanup } = require('./helpers');

test.after(cleanup);

test('a timer keeps firing while a long call runs', async () => {
  const db = await openFresh();
  let ticks = 0;
  const timer = setInterval(() => { ticks += 1; }, 10);
  const started = Date.now();
  const pong = await db.call(null, 'system.Ping', { echo: 'slow', delayMs: 500 });
  const elapsed = Date.now() - started;
  clearInterval(timer);
  assert.equal(pong.echo, 'slow');
  assert.ok(elapsed >= 490, `the call took ${elapsed} ms`);
  // A blocked loop would see at most one tick; a free one about 50.
  assert.ok(ticks >= 20, `only ${ticks} timer ticks during a ${elapsed} ms call`);
  db.close();
});

test('calls run in parallel on the thread pool', async () => {
  const db = await openFresh();
  const started = Date.now();
  await Promise.all([1, 2, 3].map(() => db.call(null, 'system.Ping', { delayMs: 300 })));
  const elapsed = Date.now() - started;
  assert.ok(elapsed < 800, `three 300 ms calls took ${elapsed} ms`);
  db.close();
});

test('close() waits for the calls in flight', async () => {
  const db = await openFresh();
  const running = db.call(null, 'system.Ping', { echo: 'still here', delayMs: 200 });
  db.close();
  assert.equal((await running).echo, 'still here');
  await assert.rejects(db.call(null, 'system.Ping', {}), { field: 'database' });
});

test('handles stay alive while their calls run, whatever the garbage collector does', async () => {
  require('node:v8').setFlagsFromString('--expose-gc');
  const gc = require('node:vm').runInNewContext('gc');
  // Neither the database nor the session is referenced by anything but the calls in flight.
  const calls = [];
  for (let i = 0; i < 4; i += 1) {
    calls.push((async () => {
      const db = await openFresh();
      return db.call(db.systemSession(), 'system.Ping', { echo: `call ${i}`, delayMs: 100 });
    })());
  }
  for (let i = 0; i < 10; i += 1) {
    gc();
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  const replies = await Promise.all(calls);
  assert.deepEqual(replies.map((r) => r.echo), ['call 0', 'call 1', 'call 2', 'call 3']);
  gc();  // and the handles are freed afterwards (ASan builds would report a misuse)
});
