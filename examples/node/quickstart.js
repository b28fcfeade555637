'use strict';
// Embedding libdms from Node: bootstrap a fresh database, act as a user, handle errors.
//
//   DMS_NODE_ADDON=build/dev/node/dms.node node examples/node/quickstart.js [db]
//
// Without an argument it works in a temporary SQLite file. tests/node/examples.test.js runs it.
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const dms = require('../../bindings/node');

async function run(file) {
  const db = await dms.open(file);
  try {
    // A fresh database has no users: the trusted host bootstraps it with the system session.
    const system = db.systemSession();
    const center = await system.serviceCenters.create({
      code: 'SC001', name: 'SC001 - Mumbai', address: { city: 'Mumbai', stateCode: '27' },
    });
    const admin = await system.users.create({
      email: 'admin@dealer.in', phone: '+919800000001', firstName: 'Asha', lastName: 'Rao',
      role: 'admin',
    });

    // From here on, act as people. (A real host logs them in: await db.login(email, password).)
    const me = await db.sessionForUser(admin.id);
    await me.users.create({
      email: 'manager@dealer.in', phone: '+919800000002', firstName: 'Vikram', lastName: 'Shah',
      role: 'sc_manager', serviceCenterId: center.id,
    });

    const page = await me.call('users.List', { sort: 'email', limit: 10 });
    for (const user of page.data) {
      console.log(`${user.email.padEnd(20)} ${user.role.padEnd(12)} since ${user.createdAt.slice(0, 10)}`);
    }
    console.log(`${page.pagination.total} users`);

    // Every failure rejects with a DmsError subclass carrying the shared code and the field.
    try {
      await me.users.create({
        email: 'admin@dealer.in', phone: '+919800000003', firstName: 'Dup', lastName: 'Licate',
        role: 'admin',
      });
    } catch (e) {
      if (!(e instanceof dms.DuplicateError)) throw e;
      console.log(`refused: ${e.code} on ${e.field}`);
    }
  } finally {
    db.close();
  }
}

async function main() {
  if (process.argv[2]) return run(process.argv[2]);
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'dms-example-'));
  try {
    await run(path.join(folder, 'dealer.db'));
  } finally {
    fs.rmSync(folder, { recursive: true, force: true });
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
