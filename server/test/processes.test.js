'use strict';
// Two server processes (bin/dms-server.js) on one PostgreSQL database and one Redis: the rate
// limit is shared, and a Socket.IO client connected to one process receives, once, an event
// caused through the other (each process reads the committed-event feed itself). SIGTERM shuts
// each down gracefully (exit 0).
const test = require('node:test');
const assert = require('node:assert/strict');
const { spawn } = require('node:child_process');
const path = require('node:path');
const { makeUser, freshUrl, http, cleanup, dms, connect, next, assignedJobCard } =
  require('./helpers');

test.after(cleanup);

async function freshWindow(windowMs, need = 5000) {
  const left = windowMs - (Date.now() % windowMs);
  if (left < need) await new Promise((resolve) => setTimeout(resolve, left + 50));
}

// Starts bin/dms-server.js; resolves with its base URL once it listens.
function spawnServer(env) {
  const child = spawn(process.execPath, [path.join(__dirname, '..', 'bin', 'dms-server.js'),
                                         '--port', '0', '--quiet'], {
    env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  return new Promise((resolve, reject) => {
    const onData = (chunk) => {
      output += chunk;
      const m = /listening on (http:\/\/\S+)/.exec(output);
      if (m) resolve({ child, base: m[1] });
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', (chunk) => { output += chunk; });
    child.on('exit', (code) => reject(new Error(`server exited ${code}: ${output}`)));
  });
}

async function stop(child) {
  if (child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.on('exit', resolve));
  child.kill('SIGTERM');
  const code = await exited;
  assert.equal(code, 0, 'graceful shutdown exits 0');
}

test('two processes, one PostgreSQL, one Redis: shared rate limit, events across processes', async () => {
  const redisUrl = process.env.DMS_TEST_REDIS_URL;
  if (!redisUrl) {
    throw new Error('DMS_TEST_REDIS_URL is not set: source scripts/redis.sh and run dms_redis_start');
  }
  const url = freshUrl('postgresql');
  const windowMs = 600000;
  const env = { DMS_DATABASE_URL: url, REDIS_URL: redisUrl, DMS_TOKEN_SECRET: 'two-process-secret',
                DMS_RATE_LIMIT_MAX: '10', DMS_RATE_LIMIT_WINDOW_MS: String(windowMs),
                DMS_FEED_POLL_MS: '20' };
  // The schema is migrated once before both processes start.
  const db = await dms.open(url, { tokenSecret: env.DMS_TOKEN_SECRET });
  const processes = [];
  try {
    processes.push(await spawnServer(env), await spawnServer(env));
    const [a, b] = processes;
    await freshWindow(windowMs);
    const user = await makeUser({ db, url, http: (...args) => http(a.base, ...args) }, 'admin');
    // change-password (through a) counted 1 for the user; 9 left across both processes.
    const statuses = [];
    for (let i = 0; i < 5; i += 1) {
      for (const server of [a, b]) {
        const res = await http(server.base, 'GET', '/api/auth/me', { token: user.token });
        statuses.push(`${res.status}:${res.headers.get('x-ratelimit-remaining')}`);
      }
    }
    assert.deepEqual(statuses, ['200:8', '200:7', '200:6', '200:5', '200:4', '200:3', '200:2',
                                '200:1', '200:0', '429:0']);
    const onA = await http(a.base, 'GET', '/api/auth/me', { token: user.token });
    assert.equal(onA.status, 429);
    assert.equal(onA.body.code, 'RATE_LIMIT_EXCEEDED');
    const health = await http(b.base, 'GET', '/api/health');
    assert.equal(health.body.data.services.redis, 'connected');

    // An event caused through a reaches a client of b, once. (Other users: the first is limited.)
    const system = db.systemSession();
    const center = await system.call('serviceCenters.Create', {
      code: 'SC009', name: 'SC009 - Nashik', address: { city: 'Nashik', stateCode: '27' } });
    const viaA = { db, url, http: (...args) => http(a.base, ...args) };
    const [manager, engineer] = await Promise.all([
      makeUser(viaA, 'sc_manager', center.id), makeUser(viaA, 'service_engineer', center.id)]);
    const client = connect(b.base, engineer.token);
    try {
      await client.ready;
      const seen = [];
      client.socket.on('job_card.assigned', (event) => seen.push(event));
      const first = next(client.socket, 'job_card.assigned', 10000);
      const job = await assignedJobCard(viaA, manager.token, engineer.id, 7);
      const event = await first;
      assert.equal(event.serviceCenterId, center.id);
      assert.equal(event.payload.jobCardId || event.payload.id, job.id);
      await new Promise((resolve) => setTimeout(resolve, 500));
      assert.equal(seen.length, 1, 'delivered exactly once');
    } finally {
      client.socket.close();
    }
  } finally {
    for (const p of processes) await stop(p.child);
    db.close();
  }
});
