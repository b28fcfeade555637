'use strict';
// The committed-event feed through the Node addon, on both engines: a subscription receives the
// events in commit order, is closed, reopened from its saved cursor, and misses none and repeats
// none (issue 13 item 4). Events come from serviceCenters.Create (service_center.created).
const test = require('node:test');
const assert = require('node:assert/strict');
const { execFileSync } = require('node:child_process');
const path = require('node:path');
const { dms, freshUrl, cleanup } = require('./helpers');

test.after(cleanup);

function createCenter(system, code) {
  return system.call('serviceCenters.Create', { code, name: `${code} - Pune` });
}

// Resolves with the next `count` events of an async iterator (rejects after `ms`).
async function take(iterator, count, ms = 10000) {
  const out = [];
  const deadline = Date.now() + ms;
  while (out.length < count) {
    const left = deadline - Date.now();
    if (left <= 0) throw new Error(`only ${out.length} of ${count} events arrived`);
    const next = await Promise.race([
      iterator.next(),
      new Promise((_, reject) => setTimeout(() => reject(
        new Error(`only ${out.length} of ${count} events arrived`)), left).unref()),
    ]);
    if (next.done) throw new Error('the subscription ended');
    out.push(next.value);
  }
  return out;
}

for (const engine of ['sqlite', 'postgresql']) {
  test(`subscribe, commit order, close, resume from the cursor (${engine})`, async () => {
    const db = await dms.open(freshUrl(engine), { sqliteSynchronous: 'NORMAL' });
    try {
      const system = db.systemSession();
      const first = db.subscribe({});
      const events = first[Symbol.asyncIterator]();
      const codes = ['FA01', 'FA02', 'FA03', 'FA04', 'FA05'];
      const ids = [];
      for (const code of codes) ids.push((await createCenter(system, code)).id);
      const got = await take(events, codes.length);
      assert.deepEqual(got.map((e) => e.payload.code), codes);
      for (const [i, e] of got.entries()) {
        assert.equal(e.type, 'service_center.created');
        assert.equal(e.serviceCenterId, ids[i]);
        assert.equal(e.audienceRole, null);
        assert.equal(typeof e.id, 'string');
        assert.match(e.occurredAt, /^\d{4}-\d\d-\d\dT/);
        assert.deepEqual(Object.keys(e).sort(),
                         ['audienceRole', 'cursor', 'id', 'occurredAt', 'payload',
                          'serviceCenterId', 'type']);
      }
      const saved = got[got.length - 1].cursor;
      assert.equal(first.cursor, saved);
      first.close();
      assert.equal(first.closed, true);
      assert.deepEqual(await events.next(), { value: undefined, done: true });

      // Commits while nobody listens, then a new subscription from the saved cursor.
      for (const code of ['FB01', 'FB02', 'FB03']) await createCenter(system, code);
      const second = db.subscribe({ cursor: saved });
      const seen = [];
      second.on('event', (e) => seen.push(e));
      // Concurrent commits: one event-loop turn, spread over the thread pool.
      const burst = Array.from({ length: 12 }, (_, i) => `FC${String(i).padStart(2, '0')}`);
      await Promise.all(burst.map((code) => createCenter(system, code)));
      const deadline = Date.now() + 10000;
      while (seen.length < 15 && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      second.close();
      const codesSeen = seen.map((e) => e.payload.code);
      assert.deepEqual(codesSeen.slice(0, 3), ['FB01', 'FB02', 'FB03']);
      assert.deepEqual([...codesSeen.slice(3)].sort(), burst);  // every one, exactly once
      assert.equal(new Set(seen.map((e) => e.id)).size, seen.length);
      // Commit order is the feed's order: what eventsSince reads from the same cursor.
      const page = await db.eventsSince(saved, 1000);
      assert.deepEqual(page.events.map((e) => e.id), seen.map((e) => e.id));
      assert.equal(page.cursor, seen[seen.length - 1].cursor);
      assert.equal(await db.eventsHead(), page.cursor);
      // Nothing after close.
      const before = seen.length;
      await createCenter(system, 'FD01');
      await new Promise((resolve) => setTimeout(resolve, 150));
      assert.equal(seen.length, before);
      await assert.rejects(db.eventsSince('not a cursor'), (e) => e.code === 'VALIDATION_ERROR' &&
                                                              e.field === 'cursor');
    } finally {
      db.close();
    }
  });
}

test('the process exits after close()', () => {
  const url = freshUrl('sqlite');
  const script = `
    const dms = require(${JSON.stringify(path.join(__dirname, '..', '..', 'bindings', 'node'))});
    (async () => {
      const db = await dms.open(${JSON.stringify(url)});
      const sub = db.subscribe();
      sub.on('event', (e) => { console.log(e.type); sub.close(); db.close(); });
      await db.systemSession().call('serviceCenters.Create', { code: 'EX01', name: 'Exit' });
    })();`;
  const out = execFileSync(process.execPath, ['-e', script], { timeout: 15000, encoding: 'utf8' });
  assert.equal(out.trim(), 'service_center.created');
});

test('subscribe rejects a bad cursor and a closed database', async () => {
  const db = await dms.open(freshUrl('sqlite'));
  assert.throws(() => db.subscribe({ cursor: 'x' }), (e) => e.field === 'cursor');
  assert.throws(() => db.subscribe({ cursor: 5 }), (e) => e.field === 'cursor');
  db.close();
  assert.throws(() => db.subscribe({}), (e) => e.field === 'database');
});
