'use strict';
// Shared by the server's tests (node --test server/test/, run by scripts/suites/server.sh).
//
// startServer() opens a fresh database (SQLite file, or a new schema on DMS_TEST_PG_URL's server)
// and serves it on a free port over real HTTP. makeDealer() bootstraps a dealer the way a host
// does: the system session creates a service center and a user per role; each user logs in over
// HTTP with the temporary password users.Create queued for delivery, changes it (first login),
// and logs in again; the dealer holds each user's access token.
const { execFileSync } = require('node:child_process');
const crypto = require('node:crypto');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const { io } = require('socket.io-client');
const dms = require('../src/dms');
const { buildApp } = require('../src/app');
const realtime = require('../src/realtime');

const cleanups = [];
const PASSWORD = 'Server-Test-Secret-2025';

function freshUrl(engine = 'sqlite') {
  const suffix = crypto.randomBytes(6).toString('hex');
  if (engine === 'sqlite') {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dms-server-'));
    cleanups.push(() => fs.rmSync(dir, { recursive: true, force: true }));
    return path.join(dir, `test-${suffix}.db`);
  }
  const server = process.env.DMS_TEST_PG_URL;
  if (!server) {
    throw new Error('DMS_TEST_PG_URL is not set: the PostgreSQL tests cannot run ' +
                    '(scripts/test.sh starts one; or source scripts/pg.sh and run dms_pg_start)');
  }
  const schema = `test_server_${suffix}`;
  psql(server, `CREATE SCHEMA ${schema}`);
  cleanups.push(() => psql(server, `SET client_min_messages TO warning; DROP SCHEMA IF EXISTS ${schema} CASCADE`));
  return `${server}${server.includes('?') ? '&' : '?'}options=-csearch_path%3D${schema}`;
}

function psql(url, sql) {
  return execFileSync('psql', ['-XAtq', '-v', 'ON_ERROR_STOP=1', url, '-c', sql],
                      { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
}

// The temporary password users.Create queued for `userId` (the outbound message table).
function temporaryPassword(url, userId) {
  const sql = `SELECT body FROM outbound_messages WHERE user_id = '${userId}' AND ` +
    "purpose = 'temporary_password' ORDER BY id DESC LIMIT 1";
  let body;
  if (url.startsWith('postgres')) {
    const schema = /search_path%3D([A-Za-z0-9_]+)/.exec(url)[1];
    const server = url.replace(/[?&]options=.*$/, '');
    body = psql(server, `SET search_path TO ${schema}; ${sql}`);
  } else {
    body = execFileSync('sqlite3', [url, sql], { encoding: 'utf8' });
  }
  return /Temporary password: (\S+)/.exec(body)[1];
}

async function startServer({ engine = 'sqlite', url = freshUrl(engine), rateLimit = { max: 100000 },
                             tokenSecret = 'server-tests-secret', subscribe = true, ...rest } = {}) {
  const db = await dms.open(url, { sqliteSynchronous: 'NORMAL', tokenSecret });
  const app = await buildApp({ db, rateLimit, ...rest });
  const rt = await realtime.attach(app, db, { subscribe, pollIntervalMs: 20 });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const base = `http://127.0.0.1:${app.server.address().port}`;
  const server = {
    url, db, app, rt, base,
    http: (verb, route, options) => http(base, verb, route, options),
    async close() {
      await app.close();
      db.close();
    },
  };
  return server;
}

async function http(base, verb, route, { token, body, headers = {}, form } = {}) {
  const init = { method: verb, headers: { ...headers } };
  if (token) init.headers.authorization = `Bearer ${token}`;
  if (form) {
    init.body = form;
  } else if (body !== undefined) {
    init.headers['content-type'] = 'application/json';
    init.body = typeof body === 'string' ? body : JSON.stringify(body);
  }
  const response = await fetch(`${base}${route}`, init);
  const text = await response.text();
  let json = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    json = null;
  }
  return { status: response.status, headers: response.headers, body: json, text };
}

// Resources seed 002's matrix lacks, granted as docs/decisions/0006 proposes (as tests/node).
const EXTRA_GRANTS = {
  sc_manager: ['service_requests:*', 'invoices:*', 'payments:*'],
  service_advisor: ['invoices:create', 'invoices:read', 'invoices:update', 'payments:create',
                    'payments:read'],
};

let phone = 1000;
// A user of `role`, logged in over HTTP with a changed password: {id, email, token, ...}.
async function makeUser(server, role, centerId, { changePassword = true } = {}) {
  const system = server.db.systemSession();
  phone += 1;
  const email = `${role}${phone}@dealer.in`;
  const user = await system.call('users.Create', {
    email, phone: `+91980000${phone}`, firstName: role, lastName: String(phone), role,
    ...(centerId ? { serviceCenterId: centerId } : {}),
  });
  const temporary = temporaryPassword(server.url, user.id);
  const login = await server.http('POST', '/api/auth/login', { body: { email, password: temporary } });
  if (login.status !== 200) throw new Error(`login ${email}: ${login.text}`);
  if (!changePassword) return { ...user, token: login.body.data.accessToken, password: temporary };
  const changed = await server.http('PUT', '/api/auth/change-password', {
    token: login.body.data.accessToken,
    body: { currentPassword: temporary, newPassword: PASSWORD },
  });
  if (changed.status !== 200) throw new Error(`change password ${email}: ${changed.text}`);
  // The token stays valid; its context no longer requires the change.
  return { ...user, token: login.body.data.accessToken, refreshToken: login.body.data.refreshToken,
           password: PASSWORD };
}

async function makeDealer(server) {
  const system = server.db.systemSession();
  for (const role of (await system.call('roles.List', {})).data) {
    const extra = EXTRA_GRANTS[role.name];
    if (extra) {
      await system.call('roles.SetPermissions',
                        { role: role.name, permissions: [...role.permissions, ...extra] });
    }
  }
  const center = await system.call('serviceCenters.Create', {
    code: 'SC001', name: 'SC001 - Mumbai', address: { city: 'Mumbai', stateCode: '27' },
  });
  const other = await system.call('serviceCenters.Create', {
    code: 'SC002', name: 'SC002 - Pune', address: { city: 'Pune', stateCode: '27' },
  });
  const [admin, centralManager, manager, advisor, engineer, inventoryManager, otherManager] =
    await Promise.all([
      makeUser(server, 'admin'),
      makeUser(server, 'central_inventory_manager'),
      makeUser(server, 'sc_manager', center.id),
      makeUser(server, 'service_advisor', center.id),
      makeUser(server, 'service_engineer', center.id),
      makeUser(server, 'inventory_manager', center.id),
      makeUser(server, 'sc_manager', other.id),
    ]);
  return { center, other, admin, centralManager, manager, advisor, engineer, inventoryManager,
           otherManager };
}

// Seed 002 section 1's shapes.
function isSuccessEnvelope(body) {
  if (!body || body.success !== true) return false;
  if (body.pagination) {
    const p = body.pagination;
    return Array.isArray(body.data) && ['page', 'limit', 'total', 'totalPages'].every(
      (k) => Number.isInteger(p[k])) && typeof p.hasNext === 'boolean' &&
      typeof p.hasPrev === 'boolean';
  }
  return ('data' in body || typeof body.message === 'string') && body.meta &&
    typeof body.meta.timestamp === 'string' && typeof body.meta.requestId === 'string';
}
function isErrorBody(body, status) {
  return !!body && typeof body.message === 'string' && typeof body.code === 'string' &&
    body.status === status && typeof body.timestamp === 'string' &&
    typeof body.path === 'string' && typeof body.requestId === 'string' && !('success' in body &&
    body.success === true);
}

// ---- Socket.IO ----------------------------------------------------------------------------------
function connect(base, token) {
  const socket = io(base, { auth: token ? { token } : {}, transports: ['websocket'],
                            reconnection: false });
  const ready = new Promise((resolve, reject) => {
    socket.once('ready', resolve);
    socket.once('connect_error', reject);
  });
  return { socket, ready };
}

function next(socket, type, ms = 5000) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ${type} within ${ms} ms`)), ms);
    socket.once(type, (event) => {
      clearTimeout(timer);
      resolve(event);
    });
  });
}

// Assigns an engineer to a new job card of center 0 over HTTP; returns the job card.
async function assignedJobCard(srv, token, engineerId, n) {
  const customer = (await srv.http('POST', '/api/customers', { token, body: {
    name: `Socket Customer ${n}`, phone: `+9198765${String(40000 + n)}` } })).body.data;
  const vehicle = (await srv.http('POST', '/api/vehicles', { token, body: {
    customerId: customer.id, registration: `MH04EF${String(1000 + n)}`, vin: `VINWS${n}`,
    vehicleMake: 'Tata', vehicleModel: 'Nexon EV' } })).body.data;
  const job = (await srv.http('POST', '/api/job-cards', { token, body: {
    customerId: customer.id, vehicleId: vehicle.id, serviceType: 'Regular Service' } })).body.data;
  const res = await srv.http('POST', `/api/job-cards/${job.id}/assign-engineer`,
                             { token, body: { engineerId } });
  if (res.status !== 200) throw new Error(`assign-engineer: ${res.text}`);
  return job;
}

function cleanup() {
  while (cleanups.length) cleanups.pop()();
}

module.exports = { dms, freshUrl, startServer, http, makeUser, makeDealer, isSuccessEnvelope,
                   isErrorBody, cleanup, temporaryPassword, psql, PASSWORD, connect, next,
                   assignedJobCard };
