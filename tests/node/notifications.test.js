'use strict';
// Notifications through the Node addon, on both storage engines: a rule's in-app row and the
// user's own methods; every response is checked against the wire schema.
const test = require('node:test');
const assert = require('node:assert/strict');
const { dms, freshUrl, cleanup, checked } = require('./helpers');

test.after(cleanup);

for (const engine of ['sqlite', 'postgresql']) {
  test(`a user-created alert, read and deleted by its user only (${engine})`, async () => {
    const db = await dms.open(freshUrl(engine), { sqliteSynchronous: 'NORMAL' });
    try {
      const system = checked(db.systemSession());
      const center = await system.call('serviceCenters.Create', {
        code: 'SC001', name: 'SC001 - Mumbai', address: { city: 'Mumbai', stateCode: '27' },
      });
      const adminUser = await system.call('users.Create', {
        email: 'admin@dealer.in', phone: '+919800000001', firstName: 'Asha', lastName: 'Rao',
        role: 'admin',
      });
      const admin = checked(await db.sessionForUser(adminUser.id));
      const managerUser = await admin.call('users.Create', {
        email: 'manager@dealer.in', phone: '+919800000002', firstName: 'Vikram',
        lastName: 'Shah', role: 'sc_manager', serviceCenterId: center.id,
      });
      const manager = checked(await db.sessionForUser(managerUser.id));
      const page = await admin.call('notifications.List', {});
      assert.deepEqual(page.data.map((n) => n.notificationType), ['user_created']);
      const [note] = page.data;
      assert.equal((await admin.call('notifications.UnreadCount', {})).count, 1);
      await assert.rejects(manager.call('notifications.MarkRead', { id: note.id }),
                           (e) => e.code === 'NOT_FOUND');
      assert.equal((await admin.call('notifications.MarkRead', { id: note.id })).isRead, true);
      await admin.call('notifications.Delete', { id: note.id });
      assert.deepEqual((await admin.call('notifications.List', {})).data, []);
    } finally {
      db.close();
    }
  });
}
