'use strict';
// The libdms REST server: seed 002's contract over the Node addon.
//
//   const app = await buildApp({ db, redisUrl, rateLimit: {max, windowMs}, uploadDir });
//   await app.listen({ port: 3001, host: '0.0.0.0' });
//
// Every route comes from src/routes.js; this file only knows how to turn an HTTP request into a
// library call (request fields from path, query or body; the bearer token's context) and the
// library's answer or error into seed 002's envelope.
const crypto = require('node:crypto');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const Fastify = require('fastify');

const dms = require('./dms');
const { routes } = require('./routes');
const { parseQueryString, coerce } = require('./query');
const { HttpError, errorBody } = require('./errors');
const { RateLimiter, MemoryStore, RedisStore } = require('./ratelimit');
const { buildOpenApi } = require('./openapi');
const uploads = require('./uploads');

const REQUEST_ID = /^[A-Za-z0-9._:\-]{1,128}$/;

function listShape(responseType, schema) {
  const message = schema.messages[responseType];
  if (!message) return 'document';
  const names = new Set(message.fields.map((f) => f.name));
  const data = message.fields.find((f) => f.name === 'data');
  if (data && data.repeated && names.has('pagination')) return 'list';
  if (data && data.repeated) return 'array';
  if (names.has('message') && [...names].every((n) => ['id', 'deleted', 'message'].includes(n))) {
    return 'message';
  }
  return 'document';
}

// Lists also say their page in headers: X-Total-Count, X-Page, X-Limit, X-Total-Pages and a
// Link header (rel="next"/"prev", RFC 8288) with the same query and the neighbouring page.
// The pagination object is flat and printed last (nlohmann orders keys), so it is read from the
// text's tail without parsing the page.
function paginationHeaders(request, reply, text) {
  const at = text.lastIndexOf('"pagination":{');
  if (at < 0) return;
  let p;
  try {
    p = JSON.parse(text.slice(at + 13, text.indexOf('}', at) + 1));
  } catch {
    return;
  }
  if (Number.isInteger(p.total)) reply.header('X-Total-Count', p.total);
  if (Number.isInteger(p.totalPages)) reply.header('X-Total-Pages', p.totalPages);
  if (Number.isInteger(p.page)) reply.header('X-Page', p.page);
  if (Number.isInteger(p.limit)) reply.header('X-Limit', p.limit);
  if (!Number.isInteger(p.page)) return;
  const [route, query = ''] = request.url.split('?');
  const link = (page, rel) => {
    const params = new URLSearchParams(query);
    params.set('page', String(page));
    return `<${route}?${params.toString().replace(/%5B/g, '[').replace(/%5D/g, ']')}>; rel="${rel}"`;
  };
  const links = [];
  if (p.hasNext) links.push(link(p.page + 1, 'next'));
  if (p.hasPrev) links.push(link(p.page - 1, 'prev'));
  if (links.length) reply.header('Link', links.join(', '));
}

function meta(request, extra) {
  return { timestamp: new Date().toISOString(), requestId: request.id, ...extra };
}

// The library's answer -> seed 002 section 1.
function envelope(shape, response, request) {
  if (shape === 'list' || (shape === 'array' && response.pagination)) {
    const { data, pagination, ...rest } = response;
    const out = { data, pagination, success: true };
    if (Object.keys(rest).length) out.meta = meta(request, rest);
    return out;
  }
  if (shape === 'array') {
    const { data, ...rest } = response;
    return { data, success: true, meta: meta(request, rest) };
  }
  if (shape === 'message') {
    const { message, ...rest } = response;
    const out = { message, success: true, meta: meta(request) };
    if (Object.keys(rest).length) out.data = rest;
    return out;
  }
  return { data: response, success: true, meta: meta(request) };
}

// Seed 002 workflow 4's PATCH /api/invoices/{id}/status: the status asked for -> the library's
// invoice steps. PAID finalizes a draft first and pays the balance (amount and paymentMethod may
// be given; the library checks them like any payment).
async function invoiceStatus(call, request) {
  const { id, status } = request;
  if (status === 'FINALIZED') return call('invoices.Finalize', { id });
  if (status === 'CANCELLED') {
    return call('invoices.Cancel', request.reason ? { id, reason: request.reason } : { id });
  }
  if (status !== 'PAID') {
    throw new HttpError(400, 'VALIDATION_ERROR', 'status must be FINALIZED, PAID or CANCELLED',
                        { field: 'status', errors: { status: ['must be FINALIZED, PAID or CANCELLED'] } });
  }
  let invoice = await call('invoices.Get', { id });
  if (invoice.status === 'DRAFT') invoice = await call('invoices.Finalize', { id });
  if (invoice.status === 'PAID') return invoice;
  const payment = { id, amount: request.amount ?? invoice.balanceAmount,
                    paymentMethod: request.paymentMethod ?? 'cash' };
  for (const key of ['transactionId', 'referenceNumber', 'notes', 'receivedAt']) {
    if (request[key] !== undefined) payment[key] = request[key];
  }
  return call('invoices.RecordPayment', payment);
}
const COMPOSITES = { invoiceStatus };

async function buildApp(options) {
  const {
    db,
    logger = false,
    redisUrl = null,
    redisClient = null,
    rateLimit = {},
    uploadDir = path.join(os.tmpdir(), 'dms-uploads'),
    cors = true,
    trustProxy = false,
    sessionCacheMs = 1000,
  } = options;
  const schema = dms.schema();
  const started = Date.now();

  const app = Fastify({
    logger,
    trustProxy,
    bodyLimit: 16 * 1024 * 1024,
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && REQUEST_ID.test(given) ? given : crypto.randomUUID();
    },
    routerOptions: {
      ignoreTrailingSlash: true,
      querystringParser: (text) => {
        try {
          return parseQueryString(text);
        } catch (error) {
          return { [MALFORMED]: error.message };
        }
      },
    },
  });

  // Redis: one client for the rate limit (and the caller may pass its own).
  let redis = redisClient;
  let ownRedis = false;
  if (!redis && redisUrl) {
    const { createClient } = require('redis');
    redis = createClient({ url: redisUrl });
    redis.on('error', (error) => app.log.warn({ err: error }, 'redis'));
    await redis.connect();
    ownRedis = true;
  }
  const limiter = new RateLimiter({
    max: rateLimit.max ?? 100,
    windowMs: rateLimit.windowMs ?? 60000,
    store: redis ? new RedisStore(redis) : new MemoryStore(),
    log: app.log,
  });
  app.decorate('dms', { db, limiter, redis });
  app.addHook('onClose', async () => {
    if (ownRedis) await redis.quit().catch(() => {});
  });

  if (cors) await app.register(require('@fastify/cors'), { origin: true, exposedHeaders: [
    'X-Request-Id', 'X-RateLimit-Limit', 'X-RateLimit-Remaining', 'X-RateLimit-Reset',
    'Retry-After', 'X-Total-Count', 'X-Total-Pages', 'X-Page', 'X-Limit', 'Link'] });
  await app.register(require('@fastify/multipart'), {
    limits: { fileSize: uploads.MAX_FILE_SIZE, files: 1, fields: 10, fieldSize: 1000 },
  });

  app.addHook('onRequest', async (request, reply) => {
    reply.header('X-Request-Id', request.id);
  });

  app.setErrorHandler((error, request, reply) => {
    const { status, body } = errorBody(error, request);
    if (status >= 500) request.log.error({ err: error }, 'request failed');
    reply.code(status).send(body);
  });
  app.setNotFoundHandler((request, reply) => {
    const { body } = errorBody(new HttpError(404, 'NOT_FOUND',
                                             `no route ${request.method} ${request.url.split('?')[0]}`), request);
    reply.code(404).send(body);
  });

  // Who is asking: the bearer token's Session (null for anonymous routes without a token).
  async function authenticate(request, required) {
    const header = request.headers.authorization;
    const metaOf = () => ({
      requestId: request.id,
      ip: request.ip,
      userAgent: String(request.headers['user-agent'] || '').slice(0, 500),
      ...(typeof request.headers['idempotency-key'] === 'string'
        ? { idempotencyKey: request.headers['idempotency-key'].slice(0, 200) } : {}),
    });
    if (!header) {
      if (required) throw new HttpError(401, 'UNAUTHENTICATED', 'Authorization: Bearer <token> is required');
      return null;
    }
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match) throw new HttpError(401, 'UNAUTHENTICATED', 'Authorization must be "Bearer <token>"');
    const token = match[1];
    request.token = token;
    // Reads may reuse the token's Session for sessionCacheMs (the audit metadata of a Session is
    // its first request's, and reads are not audited); every mutation verifies the token afresh,
    // with its own request's metadata. A logout or a permission change reaches cached reads
    // within sessionCacheMs (0 turns the cache off).
    const cacheable = sessionCacheMs > 0 && (request.method === 'GET' || request.method === 'HEAD');
    if (cacheable) {
      const hit = sessionCache.get(token);
      if (hit && hit.until > Date.now()) return hit.session;
    }
    const session = await db.session(token, metaOf());
    if (cacheable) {
      if (sessionCache.size >= 10000) sessionCache.clear();
      sessionCache.set(token, { session, until: Date.now() + sessionCacheMs });
    }
    return session;
  }
  const sessionCache = new Map();

  async function guard(request, reply, authRequired) {
    let session = null;
    let authError = null;
    try {
      session = await authenticate(request, authRequired);
    } catch (error) {
      authError = error;
    }
    // Counted per user once the token is known, per IP before (or without) it.
    const key = session ? `user:${session.context.userId}` : `ip:${request.ip}`;
    const limited = await limiter.check(key, reply);
    if (limited) {
      throw new HttpError(429, 'RATE_LIMIT_EXCEEDED', 'Rate limit exceeded',
                          { retryAfter: limited.retryAfter });
    }
    if (authError) throw authError;
    request.session = session;
    return session;
  }
  app.decorate('guard', guard);

  // ---- the table's routes ----------------------------------------------------------------------
  for (const route of activeRoutes()) {
    const types = schema.methods[route.method];
    if (!types) throw new Error(`route ${route.verb} ${route.path}: no library method ${route.method}`);
    const shapes = {};
    for (const m of route.methods || [route.method]) shapes[m] = listShape(schema.methods[m].response, schema);
    const from = route.from || (route.verb === 'GET' || route.verb === 'DELETE' ? 'query' : 'body');
    const auth = route.auth !== false;
    app.route({
      method: route.verb,
      url: route.path,
      handler: async (request, reply) => {
        const session = await guard(request, reply, auth);
        let fields;
        if (from === 'query') {
          if (request.query[MALFORMED]) {
            throw new HttpError(400, 'VALIDATION_ERROR', request.query[MALFORMED], { field: 'query' });
          }
          fields = { ...request.query };
        } else {
          const body = request.body;
          if (body !== undefined && body !== null &&
              (typeof body !== 'object' || Array.isArray(body))) {
            throw new HttpError(400, 'VALIDATION_ERROR', 'the body must be a JSON object',
                                { field: 'body' });
          }
          fields = { ...(body || {}) };
        }
        if (route.rename) {
          for (const [given, wanted] of Object.entries(route.rename)) {
            if (given in fields) {
              fields[wanted] = fields[given];
              delete fields[given];
            }
          }
        }
        if (route.into) {
          const kept = {};
          for (const name of route.keep || []) {
            if (name in fields) { kept[name] = fields[name]; delete fields[name]; }
          }
          fields = { [route.into]: fields, ...kept };
        }
        for (const [name, value] of Object.entries(request.params || {})) {
          fields[(route.params && route.params[name]) || name] = value;
        }
        if (route.fixed) Object.assign(fields, route.fixed);
        if (route.fromToken) for (const name of route.fromToken) delete fields[name];
        const call = (method, request_) => db.call(session, method, request_);
        let method = route.method;
        reply.code(route.status || 200);
        // A logout or password change ends or changes what this token's cached Session says.
        if (route.method.startsWith('auth.') && request.token) sessionCache.delete(request.token);
        if (route.composite) {
          return envelope('document', await COMPOSITES[route.composite](call, fields), request);
        }
        if (route.download) {
          // A file (FileContent {filename, contentType, content: base64}) goes out as its bytes.
          const file = await call(method, fields);
          reply.type(file.contentType);
          reply.header('Content-Disposition', `attachment; filename="${file.filename.replace(/["\\\r\n]/g, '_')}"`);
          return Buffer.from(file.content, 'base64');
        }
        if (route.select) method = route.select(fields);
        if (from === 'query') coerce(fields, schema.messages[schema.methods[method].request]);
        const shape = shapes[method];
        if (shape === 'list' || shape === 'document') {
          // The library's JSON text goes into the envelope as it is: no parse, no stringify.
          const text = (await db.callText(session, method, JSON.stringify(fields))).trimEnd();
          reply.type('application/json; charset=utf-8');
          if (shape === 'list' && text.endsWith('}')) {
            paginationHeaders(request, reply, text);
            return `${text.slice(0, -1)},"success":true}`;
          }
          return `{"data":${text},"success":true,"meta":${JSON.stringify(meta(request))}}`;
        }
        return envelope(shape, await call(method, fields), request);
      },
    });
  }

  // ---- routes that do not come from a library method -------------------------------------------
  // Liveness: answers without touching the library (the benchmarks' framework ceiling).
  app.get('/api/live', async (request) => ({ data: { status: 'ok' }, success: true, meta: meta(request) }));

  // Health: the database answers (system.Ping), the library's version, uptime; 503 when not.
  app.get('/api/health', async (request, reply) => {
    const services = { database: 'connected' };
    let healthy = true;
    try {
      await db.call(db.systemSession({ requestId: request.id }), 'system.Ping', {});
    } catch (error) {
      healthy = false;
      services.database = 'disconnected';
      request.log.warn({ err: error }, 'health: database unreachable');
    }
    if (redis) {
      try {
        await redis.ping();
        services.redis = 'connected';
      } catch {
        services.redis = 'disconnected';
      }
    }
    const data = {
      status: healthy ? 'healthy' : 'unhealthy',
      timestamp: new Date().toISOString(),
      services,
      version: require('../package.json').version,
      libraryVersion: dms.version,
      uptime: Math.round((Date.now() - started) / 1000),
    };
    if (!healthy) {
      reply.code(503);
      return { ...errorBody(new HttpError(503, 'SERVICE_UNAVAILABLE', 'the database is unreachable'),
                            request).body, data };
    }
    return { data, success: true, meta: meta(request) };
  });

  uploads.register(app, { uploadDir, guard });

  // ---- OpenAPI and Swagger UI ------------------------------------------------------------------
  const document = buildOpenApi(schema, activeRoutes(), uploads.OPENAPI_PATHS);
  app.decorate('openapi', document);
  await app.register(require('@fastify/swagger'), { mode: 'static', specification: { document } });
  await app.register(require('@fastify/swagger-ui'), { routePrefix: '/api/docs' });

  return app;
}

const MALFORMED = Symbol('malformed query');

// The table's rows this library serves: a row that `awaits` another module's branch is skipped
// while its method is missing (a row without `awaits` naming a missing method is an error).
function activeRoutes(methods = new Set(dms.methods())) {
  return routes.filter((route) => !route.awaits ||
    (route.methods || [route.method]).every((m) => methods.has(m)));
}

module.exports = { buildApp, envelope, invoiceStatus, activeRoutes };
