'use strict';
// The REST server under load (autocannon, 50 connections): GET /api/customers/:id and a
// filtered, sorted job-card list, against the same server's cheapest route that does not call the
// library (GET /api/live: the framework's ceiling), in the same run. Goal: each library route at
// least half the ceiling's requests per second. Prints req/s, p50 and p99 latency. A fourth
// route answers the list's own bytes from memory (benchmarks/server/server.js), so a run tells
// what the bytes cost from what the library costs.
//
//   DMS_NODE_ADDON=build/dev/node/dms.node node benchmarks/server/bench.js [seconds] [rounds]
//
// Each round runs every route for `seconds`; the figures are the medians over the rounds (the
// machine is shared, so the routes alternate rather than run one after the other).
// The server (benchmarks/server/server.js: bin/dms-server.js's wiring plus that reference route)
// runs in its own process on a fresh SQLite file (synchronous=NORMAL is not used: the
// routes measured only read); the load generator runs here.
const { spawn, execFileSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const autocannon = require('../../server/node_modules/autocannon');
const dms = require('../../server/src/dms');

const seconds = Number(process.argv[2] || 5);
const ROUNDS = Number(process.argv[3] || 3);  // the routes alternate, round after round
const CONNECTIONS = 50;

async function seed(file) {
  const db = await dms.open(file);
  const system = db.systemSession();
  const center = await system.call('serviceCenters.Create', {
    code: 'SC001', name: 'SC001 - Mumbai', address: { city: 'Mumbai', stateCode: '27' } });
  const admin = await system.call('users.Create', {
    email: 'bench@dealer.in', phone: '+919800000001', firstName: 'Bench', lastName: 'Admin',
    role: 'admin' });
  const manager = await system.call('users.Create', {
    email: 'manager@dealer.in', phone: '+919800000002', firstName: 'Bench', lastName: 'Manager',
    role: 'sc_manager', serviceCenterId: center.id });
  const me = await db.sessionForUser(manager.id);
  const customers = [];
  for (let i = 0; i < 200; i += 1) {
    const customer = await me.call('customers.Create', {
      name: `Customer ${i}`, phone: `+9198${String(10000000 + i).padStart(8, '0')}` });
    const vehicle = await me.call('vehicles.Create', {
      customerId: customer.id, registration: `MH01AB${String(1000 + i)}`, vin: `VIN${100000 + i}`,
      vehicleMake: 'Tata', vehicleModel: 'Nexon EV' });
    const job = await me.call('jobCards.Create', {
      customerId: customer.id, vehicleId: vehicle.id, serviceType: 'Regular Service' });
    if (i % 2) await me.call('jobCards.Cancel', { id: job.id, reason: 'bench' });
    customers.push(customer);
  }
  db.close();
  const sql = `SELECT body FROM outbound_messages WHERE user_id = '${manager.id}' AND ` +
    "purpose = 'temporary_password'";
  const password = /Temporary password: (\S+)/.exec(execFileSync('sqlite3', [file, sql],
                                                                 { encoding: 'utf8' }))[1];
  return { customers, password, admin };
}

function startServer(file) {
  const child = spawn(process.execPath, [path.join(__dirname, 'server.js'), file], {
    env: process.env, stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (c) => {
      out += c;
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m) resolve({ child, base: m[1] });
    });
    child.on('exit', (code) => reject(new Error(`server exited ${code}`)));
  });
}

async function json(base, verb, route, token, body) {
  const res = await fetch(base + route, { method: verb, headers: {
    'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
  body: body ? JSON.stringify(body) : undefined });
  return res.json();
}

function run(base, route, token) {
  return new Promise((resolve, reject) => {
    autocannon({ url: base + route, connections: CONNECTIONS, duration: seconds,
                 headers: token ? { authorization: `Bearer ${token}` } : {} }, (error, result) => {
      if (error) reject(error);
      else resolve(result);
    });
  });
}

(async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dms-bench-server-'));
  const file = path.join(dir, 'bench.db');
  try {
    const { customers, password } = await seed(file);
    const { child, base } = await startServer(file);
    try {
      const login = await json(base, 'POST', '/api/auth/login', null,
                             { email: 'manager@dealer.in', password });
      const token = login.data.accessToken;
      await json(base, 'PUT', '/api/auth/change-password', token,
                 { currentPassword: password, newPassword: 'Bench-Secret-2025' });
      const list = '/api/job-cards?filter[status]=CREATED&sort=-createdAt,jobCardNumber&limit=20';
      // The reference: the list's own answer (same bytes, same headers) without the library.
      const page = await (await fetch(base + list, { headers: { authorization: `Bearer ${token}` } })).text();
      await fetch(`${base}/api/bench/reference`, { method: 'PUT', body: page,
                                                    headers: { 'content-type': 'text/plain' } });
      const routes = [
        ['ceiling: GET /api/live', '/api/live', null],
        ['GET /api/customers/:id', `/api/customers/${customers[7].id}`, token],
        ['GET /api/job-cards?filter[status]=CREATED&sort=-createdAt,jobCardNumber&limit=20', list, token],
        [`reference: the list's ${Buffer.byteLength(page)} bytes without the library`,
         '/api/bench/reference', null],
      ];
      // Warm up and check that each route answers 200.
      for (const [, route, t] of routes) {
        const res = await fetch(base + route, { headers: t ? { authorization: `Bearer ${t}` } : {} });
        if (res.status !== 200) throw new Error(`${route}: ${res.status} ${await res.text()}`);
      }
      const samples = routes.map(() => []);
      for (let round = 0; round < ROUNDS; round += 1) {
        for (const [i, [label, route, t]] of routes.entries()) {
          const r = await run(base, route, t);
          if (r.non2xx || r.errors) throw new Error(`${label}: ${r.non2xx} non-2xx, ${r.errors} errors`);
          samples[i].push({ rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99 });
        }
      }
      const median = (values) => values.sort((x, y) => x - y)[Math.floor(values.length / 2)];
      const results = routes.map(([label], i) => ({
        label,
        rps: median(samples[i].map((x) => x.rps)),
        p50: median(samples[i].map((x) => x.p50)),
        p99: median(samples[i].map((x) => x.p99)),
        each: samples[i].map((x) => Math.round(x.rps)).join('/'),
      }));
      const ceiling = results[0].rps;
      console.log(`autocannon ${CONNECTIONS} connections, ${ROUNDS} rounds of ${seconds} s per route, ` +
                  `${os.cpus().length} cores, load average ${os.loadavg()[0].toFixed(1)}`);
      console.log('| route | req/s (median) | each round | share of ceiling | p50 ms | p99 ms |');
      console.log('|---|---|---|---|---|---|');
      for (const r of results) {
        console.log(`| ${r.label} | ${Math.round(r.rps)} | ${r.each} | ` +
                    `${(100 * r.rps / ceiling).toFixed(0)}% | ${r.p50} | ${r.p99} |`);
      }
    } finally {
      child.kill('SIGTERM');
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
})().catch((error) => {
  console.error(error);
  process.exit(1);
});
