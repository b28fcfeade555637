'use strict';
// Seed 002's rate limit: per user once logged in, per IP before; X-RateLimit-* headers; 429 with
// retryAfter. (The windows are aligned to the clock; a test that would straddle a window's end
// waits for the next one.)
const test = require('node:test');
const assert = require('node:assert/strict');
const { startServer, makeUser, isErrorBody, cleanup } = require('./helpers');

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
