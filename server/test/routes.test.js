'use strict';
// The route table against the library and the OpenAPI document: every library method has a route
// (or a justified exclusion), the document lists every route and validates, Swagger UI serves it,
// every route answers with seed 002's envelope or error body, the HTTP statuses are the library's.
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const SwaggerParser = require('@apidevtools/swagger-parser');
const { dms, startServer, makeUser, isSuccessEnvelope, isErrorBody, cleanup } = require('./helpers');
const { EXCLUDED, routes: allRoutes } = require('../src/routes');
const { activeRoutes } = require('../src/app');

const routes = activeRoutes();
const { httpStatus } = require('../src/errors');

let server;
let admin;
test.before(async () => {
  server = await startServer();
  admin = await makeUser(server, 'admin');
});
test.after(async () => {
  await server.close();
  cleanup();
});

test('every library method has a route, or a justified exclusion', (t) => {
  const routed = new Set(routes.flatMap((r) => r.methods || [r.method]));
  const missing = dms.methods().filter((m) => !routed.has(m) && !EXCLUDED[m]);
  assert.deepEqual(missing, [], `library methods without a route: ${missing.join(', ')}`);
  for (const [method, reason] of Object.entries(EXCLUDED)) {
    assert.ok(dms.methods().includes(method), `excluded ${method} is not a library method`);
    assert.ok(typeof reason === 'string' && reason.length > 10, `${method}: say why`);
  }
  for (const r of routes) {
    for (const m of r.methods || [r.method]) assert.ok(dms.methods().includes(m), `${r.path}: ${m}`);
  }
  const waiting = allRoutes.filter((r) => !routes.includes(r));
  for (const r of waiting) assert.match(r.awaits, /^k\/[a-z]+$/, `${r.verb} ${r.path} names no library method`);
  if (waiting.length) {
    t.diagnostic(`${waiting.length} routes wait for ${[...new Set(waiting.map((r) => r.awaits))].join(', ')}`);
  }
  const keys = allRoutes.map((r) => `${r.verb} ${r.path}`);
  assert.equal(new Set(keys).size, keys.length, 'a route appears twice');
  // Creating routes answer 201 (seed 002), and only they.
  for (const r of routes) {
    if (r.status === 201) assert.ok(r.verb === 'POST' || r.verb === 'PUT', `${r.path}`);
  }
});

test('the OpenAPI document validates and lists every route', async () => {
  const res = await server.http('GET', '/api/docs/json');
  assert.equal(res.status, 200);
  const document = res.body;
  await SwaggerParser.validate(structuredClone(document));
  for (const r of routes) {
    const url = r.path.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
    const operation = document.paths[url] && document.paths[url][r.verb.toLowerCase()];
    assert.ok(operation, `${r.verb} ${url} missing from the OpenAPI document`);
    assert.ok(operation.responses[String(r.status || 200)], `${r.verb} ${url}: success response`);
    assert.ok(operation.responses['401'] && operation.responses['429']);
  }
  for (const url of ['/api/health', '/api/files/upload']) assert.ok(document.paths[url], url);
  const operations = Object.values(document.paths).flatMap((p) => Object.values(p));
  assert.ok(operations.length >= routes.length);
  // Request bodies and list parameters come from the wire schema.
  const create = document.paths['/api/customers'].post;
  assert.equal(create.requestBody.content['application/json'].schema.$ref,
               '#/components/schemas/CreateCustomerRequest');
  assert.ok(document.components.schemas.CreateCustomerRequest.properties.phone);
  const list = document.paths['/api/job-cards'].get.parameters.map((p) => p.name);
  for (const p of ['page', 'limit', 'sort', 'fields', 'expand', 'search', 'searchFields', 'filter']) {
    assert.ok(list.includes(p), p);
  }
});

test('Swagger UI is served at /api/docs', async () => {
  const res = await fetch(`${server.base}/api/docs/`, { redirect: 'follow' });
  assert.equal(res.status, 200);
  const html = await res.text();
  assert.match(html, /<title>Swagger UI<\/title>/);
  assert.match(html, /swagger-ui-bundle\.js/);
  const init = await fetch(`${server.base}/api/docs/static/swagger-initializer.js`);
  assert.equal(init.status, 200);
  const bundle = await fetch(`${server.base}/api/docs/static/swagger-ui-bundle.js`);
  assert.equal(bundle.status, 200);
});

test('every GET route without path parameters answers 200 for an admin', async () => {
  // These two need a query parameter (the search text; the center whose engineers are listed).
  const needQuery = { '/api/customers/search': '?query=98765', '/api/workshop/engineers': null };
  const failures = [];
  for (const r of routes) {
    if (r.verb !== 'GET' || r.path.includes(':')) continue;
    if (needQuery[r.path] === null) continue;
    const res = await server.http('GET', r.path + (needQuery[r.path] || ''), { token: admin.token });
    if (res.status !== 200 || !isSuccessEnvelope(res.body)) failures.push(`${r.path} ${res.status} ${res.text.slice(0, 200)}`);
  }
  assert.deepEqual(failures, []);
});

test('every route answers with seed 002\'s envelope or error body', async () => {
  const failures = [];
  // The auth routes last: logout ends the admin's session.
  const ordered = [...routes.filter((r) => !r.method.startsWith('auth.')),
                   ...routes.filter((r) => r.method.startsWith('auth.'))];
  const statuses = {};
  for (const r of ordered) {
    const url = r.path.replace(/:([A-Za-z0-9_]+)/g, 'no-such-$1');
    const withBody = r.verb !== 'GET' && r.verb !== 'DELETE';
    const res = await server.http(r.verb, url, { token: r.auth === false ? undefined : admin.token,
                                                 body: withBody ? {} : undefined });
    const okShape = res.status < 400 ? isSuccessEnvelope(res.body) : isErrorBody(res.body, res.status);
    if (!okShape || res.status >= 500) failures.push(`${r.verb} ${url} ${res.status} ${res.text.slice(0, 200)}`);
    if (!res.headers.get('x-request-id')) failures.push(`${r.verb} ${url}: no X-Request-Id`);
    if (!r.method.startsWith('auth.')) statuses[res.status] = (statuses[res.status] || 0) + 1;
  }
  assert.deepEqual(failures, []);
  // The admin reached the library on every route (no 401/403 before the auth routes).
  assert.equal(statuses[401] || 0, 0, JSON.stringify(statuses));
  assert.equal(statuses[403] || 0, 0, JSON.stringify(statuses));
  assert.ok(statuses[200] > 30 && statuses[404] > 50, JSON.stringify(statuses));
});

test('HTTP statuses are the library\'s hints (src/core/error.cpp)', () => {
  const root = path.join(__dirname, '..', '..');
  const header = fs.readFileSync(path.join(root, 'include/dms/error.hpp'), 'utf8');
  const numbers = {};
  for (const m of header.matchAll(/\b(k[A-Z][A-Za-z]+)\s*=\s*(\d+)/g)) numbers[m[1]] = Number(m[2]);
  const table = fs.readFileSync(path.join(root, 'src/core/error.cpp'), 'utf8').replace(/\s+/g, ' ');
  let rows = 0;
  for (const m of table.matchAll(/\{ErrorCode::(k[A-Za-z]+), "([A-Z_]+)", "[A-Z_0-9]+", (\d+), (?:true|false)\}/g)) {
    const [, constant, name, status] = m;
    if (constant === 'kOk') continue;
    rows += 1;
    assert.equal(httpStatus(numbers[constant]), Number(status), `${name} (${numbers[constant]})`);
  }
  assert.ok(rows > 50, `parsed ${rows} rows`);
});

test('health answers 503 when the database is unreachable', async () => {
  const { buildApp } = require('../src/app');
  const db = await dms.open(':memory:');
  const app = await buildApp({ db });
  try {
    assert.equal((await app.inject({ method: 'GET', url: '/api/health' })).statusCode, 200);
    db.close();
    const res = await app.inject({ method: 'GET', url: '/api/health' });
    assert.equal(res.statusCode, 503);
    const body = res.json();
    assert.ok(isErrorBody(body, 503));
    assert.equal(body.data.services.database, 'disconnected');
  } finally {
    await app.close();
  }
});
