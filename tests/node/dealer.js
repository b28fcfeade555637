'use strict';
// A dealer for the workflow tests: one service center (SC001, Maharashtra) and a session per
// role, made through the services exactly as a host would. Every call of a `checked` session also
// verifies its response against the wire schema (helpers.conforms).
const { checked } = require('./helpers');

// Resources seed 002's matrix lacks, granted as docs/decisions/0006 proposes.
const EXTRA_GRANTS = {
  sc_manager: ['service_requests:*', 'invoices:*', 'payments:*'],
  service_advisor: ['invoices:create', 'invoices:read', 'invoices:update', 'payments:create',
                    'payments:read'],
};

async function makeDealer(db) {
  const system = checked(db.systemSession());
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
  let n = 1000;
  const user = async (role, centerId) => {
    n += 1;
    const created = await system.call('users.Create', {
      email: `${role}${n}@dealer.in`, phone: `+91980000${n}`, firstName: role, lastName: `${n}`,
      role, serviceCenterId: centerId,
    });
    const session = await db.sessionForUser(created.id);
    const c = checked(session);
    c.userId = created.id;
    return c;
  };
  return {
    db,
    system,
    center,
    admin: await user('admin'),
    centralManager: await user('central_inventory_manager'),
    manager: await user('sc_manager', center.id),
    advisor: await user('service_advisor', center.id),
    engineer: await user('service_engineer', center.id),
    inventoryManager: await user('inventory_manager', center.id),
  };
}

module.exports = { makeDealer };
