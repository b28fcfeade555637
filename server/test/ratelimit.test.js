'use strict';
// Seed 002's rate limit: per user once logged in, per IP before; X-RateLimit-* headers; 429 with
// retryAfter. Then two server processes on one PostgreSQL database and one Redis: the limit is
// shared. (The windows are aligned to the clock; a test that would straddle a window's end waits
// for the next one.)
const test = require('node:test');
const assert = require('node:assert/strict');
const { spawn } = require('node:child_process');
const path = require('node:path');
const { startServer, makeUser, freshUrl, http, isErrorBody, cleanup, dms } = require('./helpers');

test.after(cleanup);

async function freshWindow(windowMs, need = 5000) {
  const left = windowMs - (Date.now() % windowMs);
  if (left < need) await new Promise((resolve) => setTimeout(resolve, left + 50));
}

test('rate limit in memory: per user, per IP before login, 429 with retryAfter', async () => {
  const windowMs = 600000;
  await freshWindow(windowMs);
  const server = await startServer({ rateLimit: { max: 6, windowMs } });
  try {
    // makeUser: login (counted for the IP) and change-password (counted for the user).
    const user = await makeUser(server, 'admin');
    const seen = [];
    for (let i = 0; i < 6; i += 1) {
      const res = await server.http('GET', '/api/auth/me', { token: user.token });
      seen.push([res.status, Number(res.headers.get('x-ratelimit-remaining'))]);
      assert.equal(res.headers.get('x-ratelimit-limit'), '6');
      const reset = Number(res.headers.get('x-ratelimit-reset'));
      assert.ok(reset * 1000 > Date.now() && reset * 1000 <= Date.now() + windowMs + 1000);
    }
    assert.deepEqual(seen, [[200, 4], [200, 3], [200, 2], [200, 1], [200, 0], [429, 0]]);
    const limited = await server.http('GET', '/api/customers', { token: user.token });
    assert.equal(limited.status, 429);
    assert.ok(isErrorBody(limited.body, 429));
    assert.equal(limited.body.code, 'RATE_LIMIT_EXCEEDED');
    assert.ok(limited.body.retryAfter > 0 && limited.body.retryAfter <= windowMs / 1000);
    assert.equal(limited.headers.get('retry-after'), String(limited.body.retryAfter));
    // The IP's own budget is separate: anonymous requests still pass (1 used by the login).
    const anonymous = await server.http('POST', '/api/auth/login',
                                        { body: { email: user.email, password: 'wrong' } });
    assert.equal(anonymous.status, 401);
    assert.equal(anonymous.headers.get('x-ratelimit-remaining'), '4');
  } finally {
    await server.close();
  }
});

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

test('two processes, one PostgreSQL, one Redis: the rate limit is shared', async () => {
  const redisUrl = process.env.DMS_TEST_REDIS_URL;
  if (!redisUrl) {
    throw new Error('DMS_TEST_REDIS_URL is not set: source scripts/redis.sh and run dms_redis_start');
  }
  const url = freshUrl('postgresql');
  const windowMs = 600000;
  const env = { DMS_DATABASE_URL: url, REDIS_URL: redisUrl, DMS_TOKEN_SECRET: 'two-process-secret',
                DMS_RATE_LIMIT_MAX: '10', DMS_RATE_LIMIT_WINDOW_MS: String(windowMs) };
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
  } finally {
    for (const p of processes) await stop(p.child);
    db.close();
  }
});
