'use strict';
// Socket.IO (seed 000 section 7.4): the library's committed events and in-app notifications,
// pushed to the rooms of the users allowed to see them.
//
// A client connects with its access token (`io(url, {auth: {token}})`, or an
// `Authorization: Bearer` header); the token's context puts the socket in the rooms
//   user:<userId>, role:<role>, and center:<serviceCenterId> (users without a center - admins,
//   the central inventory manager - are in center:* and see every center's events).
// Each committed event (db.subscribe, the feed of SEAMS.md) is emitted under its type
// ("job_card.assigned", "notification.created", ...) with the event object
// {cursor, id, type, payload, serviceCenterId, audienceRole, occurredAt}:
//   notification.created -> user:<payload.userId> only;
//   an event of a center -> center:<id> and center:*;  audienceRole set -> also role:<role>;
//   an event of no center -> center:* (headquarters).
// Several processes: every process reads the feed itself and emits to its own clients, so every
// client receives every event exactly once whichever process caused it (no adapter needed).
const { Server } = require('socket.io');

function roomsOf(event) {
  if (event.type === 'notification.created') {
    const userId = event.payload && event.payload.userId;
    return userId ? [`user:${userId}`] : [];
  }
  const rooms = ['center:*'];
  if (event.serviceCenterId) rooms.push(`center:${event.serviceCenterId}`);
  if (event.audienceRole) rooms.push(`role:${event.audienceRole}`);
  return rooms;
}

function tokenOf(handshake) {
  if (handshake.auth && typeof handshake.auth.token === 'string') {
    return handshake.auth.token.replace(/^Bearer\s+/i, '');
  }
  const header = handshake.headers && handshake.headers.authorization;
  const match = header && /^Bearer\s+(\S+)$/i.exec(header);
  return match ? match[1] : null;
}

// Resolves once the feed is subscribed from `cursor` (default: the newest committed event, so a
// restart does not replay history; pass a saved cursor to resume).
async function attach(app, db, { path = '/socket.io', cursor, subscribe = true,
                                 pollIntervalMs } = {}) {
  const io = new Server(app.server, { path, cors: { origin: true } });
  io.use(async (socket, next) => {
    const token = tokenOf(socket.handshake);
    if (!token) return next(Object.assign(new Error('UNAUTHENTICATED'), { data: { code: 'UNAUTHENTICATED', status: 401 } }));
    try {
      const session = await db.session(token, { ip: socket.handshake.address });
      socket.data.context = session.context.info;
      return next();
    } catch (error) {
      return next(Object.assign(new Error(error.code || 'UNAUTHENTICATED'),
                                { data: { code: error.code || 'UNAUTHENTICATED', status: 401 } }));
    }
  });
  io.on('connection', (socket) => {
    const ctx = socket.data.context;
    socket.join(`user:${ctx.userId}`);
    socket.join(`role:${ctx.role}`);
    socket.join(ctx.serviceCenterId ? `center:${ctx.serviceCenterId}` : 'center:*');
    socket.emit('ready', { userId: ctx.userId, role: ctx.role, serviceCenterId: ctx.serviceCenterId,
                           rooms: [...socket.rooms].filter((r) => r !== socket.id) });
  });

  let subscription = null;
  const deliver = (event) => {
    const rooms = roomsOf(event);
    if (rooms.length) io.to(rooms).emit(event.type, event);
  };
  if (subscribe && typeof db.subscribe === 'function') {
    const from = cursor !== undefined ? cursor : await db.eventsHead();
    subscription = db.subscribe({ cursor: from, ...(pollIntervalMs ? { pollIntervalMs } : {}) });
    subscription.on('event', deliver);
    subscription.on('error', (error) => app.log.error({ err: error }, 'event feed'));
  } else if (subscribe) {
    app.log.warn('this libdms has no event feed (db.subscribe): Socket.IO pushes nothing yet');
  }
  app.addHook('preClose', async () => {
    if (subscription) subscription.close();
    io.close();
  });
  return { io, deliver, roomsOf, get subscription() { return subscription; } };
}

module.exports = { attach, roomsOf };
