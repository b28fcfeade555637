'use strict';
// Identity through the Node addon, on both storage engines; every response is also checked
// against the wire schema (it must survive a binary protobuf round trip).
const test = require('node:test');
const assert = require('node:assert/strict');
const { execFileSync } = require('node:child_process');
const { dms, freshUrl, cleanup, checked } = require('./helpers');

test.after(cleanup);

async function bootstrap(db) {
  const system = checked(db.systemSession());
  const center = await system.call('serviceCenters.Create', {
    code: 'SC001', name: 'SC001 - Mumbai', address: { city: 'Mumbai', stateCode: '27' },
  });
  const admin = await system.call('users.Create', {
    email: 'admin@dealer.in', phone: '+919800000001', firstName: 'Asha', lastName: 'Rao',
    role: 'admin',
  });
  return { center, admin: await db.sessionForUser(admin.id) };
}

for (const engine of ['sqlite', 'postgresql']) {
  test(`bootstrap, confinement and lists (${engine})`, async () => {
    const db = await dms.open(freshUrl(engine), { sqliteSynchronous: 'NORMAL' });
    try {
      const { center, admin } = await bootstrap(db);
      assert.equal(admin.context.role, 'admin');
      const as = checked(admin);
      const manager = await as.call('users.Create', {
        email: 'manager@dealer.in', phone: '+919800000002', firstName: 'Vikram',
        lastName: 'Shah', role: 'sc_manager', serviceCenterId: center.id,
      });
      assert.equal(manager.isFirstLogin, true);
      const page = await as.call('users.List', { sort: 'email', limit: 1 });
      assert.deepEqual(page.pagination,
                       { page: 1, limit: 1, total: 2, totalPages: 2, hasNext: true, hasPrev: false });
      await as.call('users.Get', { id: manager.id });
      await as.call('serviceCenters.List', {});
      await as.call('roles.List', {});
      await as.call('auditLogs.List', { limit: 5 });
      await as.call('auditLogs.Verify', {});
      await as.call('auth.Me', { expand: 'serviceCenter' });

      const asManager = await db.sessionForUser(manager.id);
      assert.equal(asManager.context.serviceCenterId, center.id);
      await assert.rejects(asManager.users.create({
        email: 'x@dealer.in', phone: '+919800000003', firstName: 'X', lastName: 'Y',
        role: 'admin',
      }), (e) => e instanceof dms.PermissionDenied && e.code === 'FORBIDDEN');
      await assert.rejects(admin.serviceCenters.create({ code: 'SC001', name: 'again' }),
                           (e) => e instanceof dms.DuplicateError && e.field === 'code');
      await assert.rejects(admin.users.get({ id: 'nobody' }), dms.NotFoundError);
    } finally {
      db.close();
    }
  });
}

test('login, first password change, token sessions, binary calls', async () => {
  const file = freshUrl('sqlite');
  const db = await dms.open(file);
  try {
    const { center, admin } = await bootstrap(db);
    const user = await admin.users.create({
      email: 'advisor@dealer.in', phone: '+919800000004', firstName: 'Neha', lastName: 'Iyer',
      role: 'service_advisor', serviceCenterId: center.id,
    });
    // The temporary password users.Create queued for delivery (the outbox table).
    const body = execFileSync('sqlite3', [file, 'SELECT body FROM outbound_messages WHERE ' +
      `user_id = '${user.id}' AND purpose = 'temporary_password' ORDER BY id DESC LIMIT 1`],
    { encoding: 'utf8' });
    const temporary = body.split('Temporary password: ')[1].split(/\s/)[0];

    await assert.rejects(db.login('advisor@dealer.in', 'wrong'),
                         (e) => e instanceof dms.AuthError && e.code === 'INVALID_CREDENTIALS');
    const session = await db.login('advisor@dealer.in', temporary, { requestId: 'req-1' });
    assert.ok(session.accessToken && session.refreshToken);
    assert.equal(session.user.role, 'service_advisor');
    assert.equal(session.context.passwordChangeRequired, true);
    await assert.rejects(session.users.list({}), { code: 'PASSWORD_CHANGE_REQUIRED' });
    await session.auth.changePassword({ currentPassword: temporary,
                                        newPassword: 'Better-Secret-2025' });

    const again = await db.session(session.accessToken, { requestId: 'req-2' });
    assert.equal(again.context.passwordChangeRequired, false);
    const me = await again.auth.me({ expand: 'serviceCenter' });
    assert.equal(me.serviceCenter.code, 'SC001');

    // The same method in binary protobuf.
    const request = dms.toBinary('dms.v1.MeRequest', { expand: 'serviceCenter' });
    const reply = dms.fromBinary('dms.v1.User', await db.callBinary(again, 'auth.Me', request));
    assert.equal(reply.email, 'advisor@dealer.in');
    assert.equal(reply.serviceCenter.code, 'SC001');

    await assert.rejects(db.session('not-a-token'), (e) => e instanceof dms.AuthError);
  } finally {
    db.close();
  }
});
