'use strict';
// Embedding libdms from Node: bootstrap a fresh database, act as users, take a job from walk-in to
// paid invoice, handle errors.
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

    // A job from walk-in to paid invoice. Money travels as exact decimal strings.
    const customer = await me.customers.create({ name: 'John Doe', phone: '+919876543210' });
    const vehicle = await me.vehicles.create({
      customerId: customer.id, registration: 'MH01AB1234', vin: 'VIN123456789',
      vehicleMake: 'Tata', vehicleModel: 'Nexon EV',
    });
    const job = await me.jobCards.create({
      serviceCenterId: center.id, customerId: customer.id, vehicleId: vehicle.id,
      serviceType: 'Regular Service',
    });
    const engineer = await me.users.create({
      email: 'engineer@dealer.in', phone: '+919800000004', firstName: 'Ravi', lastName: 'Kumar',
      role: 'service_engineer', serviceCenterId: center.id,
    });
    await me.jobCards.assignEngineer({ id: job.id, engineerId: engineer.id });
    const asEngineer = await db.sessionForUser(engineer.id);
    await asEngineer.jobCards.start({ id: job.id });
    await asEngineer.jobCards.addServiceLine({
      id: job.id, serviceType: 'Periodic service', rate: '1000.00', estimatedHours: '1.5',
    });
    await asEngineer.jobCards.complete({ id: job.id });
    let invoice = await me.invoices.createFromJobCard({ jobCardId: job.id });
    invoice = await me.invoices.finalize({ id: invoice.id });
    invoice = await me.invoices.recordPayment({
      id: invoice.id, amount: invoice.grandTotal, paymentMethod: 'cash',
    });
    console.log(`invoice ${invoice.status}: ${invoice.taxable} + CGST ${invoice.cgst} ` +
                `+ SGST ${invoice.sgst} = ${invoice.grandTotal}`);
    const serviced = await me.vehicles.get({ id: vehicle.id });
    console.log(`${serviced.registration}: ${serviced.totalServices} service, ` +
                `${serviced.totalSpent} spent`);

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
