#!/usr/bin/env node
'use strict';
// Starts the libdms REST server.
//
//   dms-server [--db URL] [--port N] [--host H] [--redis URL] [--token-secret S]
//              [--rate-limit N] [--rate-window-ms MS] [--upload-dir DIR]
//              [--bootstrap-admin EMAIL] [--quiet]
//
// Environment equivalents: DMS_DATABASE_URL (default ./dms-server.db: an embedded SQLite file;
// or postgresql://...), PORT (3001), HOST (127.0.0.1), REDIS_URL, DMS_TOKEN_SECRET (the HS256
// key of access tokens: several processes on one database need the same one), DMS_RATE_LIMIT_MAX
// (100) and DMS_RATE_LIMIT_WINDOW_MS (60000), DMS_UPLOAD_DIR. With --bootstrap-admin, an empty database gets a first service
// center and admin, whose temporary password is printed once. Prints "listening on <url>" when
// ready; SIGINT/SIGTERM close it gracefully (in-flight requests finish, then the database).
const { execFileSync } = require('node:child_process');
const dms = require('../src/dms');
const { buildApp } = require('../src/app');
const realtime = require('../src/realtime');

function args(argv) {
  const out = {};
  for (let i = 0; i < argv.length; i += 1) {
    const a = argv[i];
    if (!a.startsWith('--')) throw new Error(`unexpected argument ${a}`);
    const key = a.slice(2);
    if (key === 'quiet') out.quiet = true;
    else out[key] = argv[++i];
  }
  return out;
}

// The temporary password users.Create queued for the new user (the outbound message table):
// the one moment a host may read it, to hand it to the first admin.
function temporaryPassword(url, userId) {
  const sql = `SELECT body FROM outbound_messages WHERE user_id = '${userId}' AND ` +
    "purpose = 'temporary_password' ORDER BY id DESC LIMIT 1";
  let body;
  if (url.startsWith('postgres')) {
    // psql takes the URL without libpq's options=-csearch_path (set it in the session instead).
    const schema = /search_path%3D([A-Za-z0-9_]+)/.exec(url);
    const server = url.replace(/[?&]options=[^&]*/, '');
    body = execFileSync('psql', ['-XAtq', server, '-c',
      `${schema ? `SET search_path TO ${schema[1]}; ` : ''}${sql}`], { encoding: 'utf8' });
  } else {
    body = execFileSync('sqlite3', [url, sql], { encoding: 'utf8' });
  }
  const found = /Temporary password: (\S+)/.exec(body);
  if (!found) throw new Error('no temporary password found for the bootstrap admin');
  return found[1];
}

async function bootstrap(db, url, email) {
  const system = db.systemSession({ requestId: 'bootstrap' });
  const users = await system.call('users.List', { limit: 1 });
  if (users.pagination.total > 0) return null;
  const center = await system.call('serviceCenters.Create', {
    code: 'SC001', name: 'SC001 - Main', address: { city: 'Mumbai', stateCode: '27' },
  });
  const admin = await system.call('users.Create', {
    email, phone: '+919800000001', firstName: 'Admin', lastName: 'User', role: 'admin',
  });
  return { center, admin, password: temporaryPassword(url, admin.id) };
}

async function main() {
  const a = args(process.argv.slice(2));
  const url = a.db || process.env.DMS_DATABASE_URL || 'dms-server.db';
  const port = Number(a.port ?? process.env.PORT ?? 3001);
  const host = a.host || process.env.HOST || '127.0.0.1';
  const redisUrl = a.redis || process.env.REDIS_URL || null;
  const tokenSecret = a['token-secret'] || process.env.DMS_TOKEN_SECRET;
  const max = Number(a['rate-limit'] || process.env.DMS_RATE_LIMIT_MAX || 100);
  const windowMs = Number(a['rate-window-ms'] || process.env.DMS_RATE_LIMIT_WINDOW_MS || 60000);
  const db = await dms.open(url, tokenSecret ? { tokenSecret } : undefined);
  const boot = a['bootstrap-admin'] ? await bootstrap(db, url, a['bootstrap-admin']) : null;
  const app = await buildApp({
    db, redisUrl, rateLimit: { max, windowMs },
    uploadDir: a['upload-dir'] || process.env.DMS_UPLOAD_DIR,
    logger: a.quiet ? false : { level: process.env.LOG_LEVEL || 'info' },
  });
  await realtime.attach(app, db, {
    pollIntervalMs: Number(process.env.DMS_FEED_POLL_MS) || undefined,
  });
  const address = await app.listen({ port, host });
  if (boot) {
    console.log(`bootstrap: service center ${boot.center.code}, admin ${boot.admin.email}, ` +
                `temporary password: ${boot.password} (shown once; change it at first login)`);
  }
  console.log(`listening on ${address} (database ${url.replace(/\/\/[^@]*@/, '//***@')}` +
              `${redisUrl ? ', redis' : ''}; docs ${address}/api/docs)`);
  let closing = false;
  const shutdown = async (signal) => {
    if (closing) return;
    closing = true;
    console.log(`${signal}: closing`);
    try {
      await app.close();
    } finally {
      db.close();
    }
    process.exit(0);
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
}

main().catch((error) => {
  console.error(error.stack || String(error));
  process.exit(1);
});
