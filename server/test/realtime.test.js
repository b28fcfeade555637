'use strict';
// Socket.IO: an authenticated connection, rooms by service center, role and user, the library's
// committed events pushed to the right rooms only.
const test = require('node:test');
const assert = require('node:assert/strict');
const { startServer, makeUser, cleanup, connect, next, assignedJobCard } = require('./helpers');
const { roomsOf } = require('../src/realtime');

let server;
let users;
let centers;
test.before(async () => {
  server = await startServer();
  const system = server.db.systemSession();
  centers = [
    await system.call('serviceCenters.Create', { code: 'SC001', name: 'SC001 - Mumbai',
                                                 address: { city: 'Mumbai', stateCode: '27' } }),
    await system.call('serviceCenters.Create', { code: 'SC002', name: 'SC002 - Pune',
                                                 address: { city: 'Pune', stateCode: '27' } }),
  ];
  const [manager, engineer, other] = await Promise.all([
    makeUser(server, 'sc_manager', centers[0].id),
    makeUser(server, 'service_engineer', centers[0].id),
    makeUser(server, 'sc_manager', centers[1].id),
  ]);
  users = { manager, engineer, other };
});
test.after(async () => {
  await server.close();
  cleanup();
});

test('a client in the center\'s room gets job_card.assigned; another center\'s does not', async () => {
  const mine = connect(server.base, users.engineer.token);
  const theirs = connect(server.base, users.other.token);
  try {
    const [me, them] = await Promise.all([mine.ready, theirs.ready]);
    assert.deepEqual(me.rooms.sort(), [`center:${centers[0].id}`, 'role:service_engineer',
                                       `user:${users.engineer.id}`].sort());
    assert.equal(them.serviceCenterId, centers[1].id);
    const leaked = [];
    theirs.socket.on('job_card.assigned', (event) => leaked.push(event));
    const received = next(mine.socket, 'job_card.assigned');
    const job = await assignedJobCard(server, users.manager.token, users.engineer.id, 1);
    const event = await received;
    assert.equal(event.type, 'job_card.assigned');
    assert.equal(event.serviceCenterId, centers[0].id);
    assert.equal(event.payload.jobCardId || event.payload.id, job.id);
    assert.ok(event.cursor && event.occurredAt);
    // Nothing of center 0 reaches center 1's client (the feed delivers in commit order, so the
    // assignment was the last event; wait a little for a stray one).
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.deepEqual(leaked, []);
  } finally {
    mine.socket.close();
    theirs.socket.close();
  }
});

test('a connection without a valid token is refused', async () => {
  const none = connect(server.base, null);
  await assert.rejects(none.ready, /UNAUTHENTICATED/);
  none.socket.close();
  const bad = connect(server.base, 'not-a-token');
  await assert.rejects(bad.ready);
  bad.socket.close();
});

test('rooms: notifications to their user only; center events to the center and headquarters', () => {
  assert.deepEqual(roomsOf({ type: 'notification.created', payload: { userId: 'u1' } }), ['user:u1']);
  assert.deepEqual(roomsOf({ type: 'job_card.assigned', serviceCenterId: 'c1', audienceRole: null,
                             payload: {} }), ['center:*', 'center:c1']);
  assert.deepEqual(roomsOf({ type: 'stock.low', serviceCenterId: null,
                             audienceRole: 'central_inventory_manager', payload: {} }),
                   ['center:*', 'role:central_inventory_manager']);
});
