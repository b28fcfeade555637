'use strict';
// libdms for Node.js: a thin wrapper over the N-API addon (src/addon.cc), which sits on the C ABI.
//
//   const dms = require('dms');
//   const db = await dms.open('dealer.db');            // or ':memory:', or 'postgresql://...'
//   const me = await db.login('admin@dealer.in', 'secret');
//   const jc = await me.call('workshop.CreateJobCard', { vehicleId, ... });
//   const same = await me.workshop.createJobCard({ vehicleId, ... });   // typed helper
//   await db.call(me, 'workshop.CreateJobCard', {...});                  // or with a context
//   db.close();
//
// Every call runs on libuv's thread pool and returns a Promise; the event loop stays free.
// Requests and responses are seed 002's JSON documents: money, quantities and rates are decimal
// strings ("4720000.00": keep them strings, or use a decimal library, never Number arithmetic);
// dates "YYYY-MM-DD", timestamps RFC 3339 (Date objects are sent as such). Failures reject with
// DmsError subclasses (errors.js).
const fs = require('node:fs');
const path = require('node:path');
const errors = require('./errors');

function loadAddon() {
  const candidates = [
    process.env.DMS_NODE_ADDON,
    path.join(__dirname, 'dms.node'),
    path.join(__dirname, '..', '..', 'build', 'dev', 'node', 'dms.node'),
  ].filter(Boolean);
  for (const file of candidates) {
    if (fs.existsSync(file)) return require(path.resolve(file));
  }
  throw new Error(`dms.node not found (looked at ${candidates.join(', ')}): build it ` +
                  '(cmake --build --preset dev) or set DMS_NODE_ADDON');
}

const native = loadAddon();
native.setErrorFactory(errors.fromNative);

const HANDLE = Symbol('dms.handle');
const METHOD_NAMES = Object.freeze(JSON.parse(native.methods()));
let schemaDocument = null;

function validationError(field, message) {
  return errors.fromNative(200, 'VALIDATION_ERROR', message, field, '', '', false);
}

// BigInt values (exact integers) travel as decimal strings, like money.
function replacer(_key, value) {
  return typeof value === 'bigint' ? value.toString() : value;
}

function encodeRequest(request) {
  if (request === undefined || request === null) return '{}';
  if (typeof request !== 'object' || Array.isArray(request) || Buffer.isBuffer(request)) {
    throw validationError('request', 'request must be a plain object');
  }
  try {
    return JSON.stringify(request);
  } catch (first) {
    // A replacer function slows every stringify down, so it only runs when BigInt needs it.
    try {
      return JSON.stringify(request, replacer);
    } catch (e) {
      throw validationError('request', `request cannot be encoded as JSON: ${e.message}`);
    }
  }
}

function encodeMeta(meta) {
  return meta ? JSON.stringify(meta) : undefined;
}

// 'CreateJobCard' -> 'createJobCard'
function lowerFirst(name) {
  return name.charAt(0).toLowerCase() + name.slice(1);
}

// {prefix: {helper: fn}} for every registered method; `invoke(method, request)` does the call.
function buildServices(target, invoke) {
  for (const name of METHOD_NAMES) {
    const [prefix, method] = name.split('.', 2);
    if (!Object.prototype.hasOwnProperty.call(target, prefix)) {
      if (prefix in target) throw new Error(`service ${prefix} collides with a property`);
      Object.defineProperty(target, prefix, { value: {}, enumerable: true });
    }
    const helper = (...args) => invoke(name, ...args);
    Object.defineProperty(helper, 'name', { value: lowerFirst(method) });
    target[prefix][lowerFirst(method)] = helper;
  }
}

/** Who is acting. Made by Database (login, session, sessionForUser, systemSession). */
class Context {
  constructor(handle) {
    this[HANDLE] = handle;
    this.info = JSON.parse(native.describeContext(handle));
  }
  get userId() { return this.info.userId; }
  get userName() { return this.info.userName; }
  get role() { return this.info.role; }
  get permissions() { return this.info.permissions; }
  get serviceCenterId() { return this.info.serviceCenterId; }
  get passwordChangeRequired() { return this.info.passwordChangeRequired; }
}

function contextHandle(ctx) {
  if (ctx === null || ctx === undefined) return null;
  const context = ctx instanceof Session ? ctx.context : ctx;
  if (!(context instanceof Context)) {
    throw validationError('context', 'context must be a dms Context, a Session or null');
  }
  return context[HANDLE];
}

/** A Context bound to its Database: `session.call(method, request)` and typed helpers
 *  (`session.purchaseOrders.create({...})`). Pass it wherever a Context is expected. */
class Session {
  constructor(db, context, tokens = {}) {
    Object.defineProperty(this, 'db', { value: db });
    this.context = context;
    this.accessToken = tokens.accessToken ?? null;
    this.refreshToken = tokens.refreshToken ?? null;
    this.user = tokens.user ?? null;
    buildServices(this, (method, request) => db.call(this, method, request));
  }
  call(method, request) {
    return this.db.call(this, method, request);
  }
}

/** An open database. Thread-safe underneath; every call returns a Promise. */
class Database {
  constructor(handle) {
    this[HANDLE] = handle;
    buildServices(this, (method, ctx, request) => this.call(ctx, method, request));
  }

  /** Opens (creating and migrating) a SQLite path, ':memory:' or a 'postgresql://' URL.
   *  options: {sqliteSynchronous, poolSize, tokenSecret}. */
  static async open(url, options) {
    if (typeof url !== 'string') throw validationError('url', 'url must be a string');
    return new Database(await native.open(url, options ? JSON.stringify(options) : undefined));
  }

  /** Runs `method` as `ctx` (a Context, a Session, or null for anonymous) with a request object;
   *  resolves with the response object. */
  async call(ctx, method, request) {
    const text = await this.#queue(contextHandle(ctx), method, encodeRequest(request));
    return JSON.parse(text);
  }

  // Queues a call in the addon and makes sure the queue is flushed at the end of this
  // event-loop turn: the calls of one turn travel to the thread pool together.
  #flushScheduled = false;
  #queue(context, method, request) {
    const promise = native.call(this[HANDLE], context, method, request);
    if (!this.#flushScheduled) {
      this.#flushScheduled = true;
      setImmediate(() => {
        this.#flushScheduled = false;
        native.flush(this[HANDLE]);
      });
    }
    return promise;
  }

  /** The same with the request and response as JSON text: for hosts that already hold the
   *  text (a REST server forwarding a request body) and want to skip a parse and a stringify. */
  async callText(ctx, method, requestText) {
    if (typeof requestText !== 'string') {
      throw validationError('request', 'request must be JSON text');
    }
    return this.#queue(contextHandle(ctx), method, requestText);
  }

  /** The same with binary protobuf: `request` is the method's dms.v1 request message
   *  (Uint8Array); resolves with its response message (Buffer). */
  async callBinary(ctx, method, request) {
    return this.#queue(contextHandle(ctx), method, request);
  }

  /** auth.Login: a Session with the user's context, tokens and user document. */
  async login(login, password, meta) {
    const { context, session } = await native.login(this[HANDLE], login, password, encodeMeta(meta));
    return new Session(this, new Context(context), JSON.parse(session));
  }

  /** The Session of an access token (meta: {requestId, ip, userAgent, idempotencyKey}). */
  async session(accessToken, meta) {
    const context = await native.contextFromToken(this[HANDLE], accessToken, encodeMeta(meta));
    return new Session(this, new Context(context), { accessToken });
  }

  /** TRUSTED HOSTS ONLY: the Session of an existing user, without credentials. */
  async sessionForUser(userId, meta) {
    const context = await native.contextForUser(this[HANDLE], userId, encodeMeta(meta));
    return new Session(this, new Context(context));
  }

  /** TRUSTED HOSTS ONLY: the all-permission system Session, to bootstrap a new database
   *  (the first service center and admin). Never hand it to an outside request. */
  systemSession(meta) {
    return new Session(this, new Context(native.contextSystem(this[HANDLE], encodeMeta(meta))));
  }

  /** Runs the message dispatcher on the database's background thread (docs/settings.md):
   *  queued e-mail and SMS go out until stopDispatcher() or close(). Idempotent. */
  startDispatcher() {
    native.startDispatcher(this[HANDLE]);
  }

  /** Stops the background dispatcher (waits for the batch in progress). */
  stopDispatcher() {
    native.stopDispatcher(this[HANDLE]);
  }

  /** Rejects later calls; the database closes once the calls in flight have finished. */
  close() {
    native.close(this[HANDLE]);
  }
}

/** The wire schema: {methods: {name: {request, response}}, messages: {...}}. */
function schema() {
  if (schemaDocument === null) schemaDocument = JSON.parse(native.schema());
  return schemaDocument;
}

/** Converts a dms.v1 message between JSON (object or text) and binary protobuf (Buffer). */
function toBinary(messageType, document) {
  const text = typeof document === 'string' ? document : encodeRequest(document);
  return native.convert(messageType, text, 'binary');
}
function fromBinary(messageType, bytes) {
  return JSON.parse(native.convert(messageType, bytes, 'json'));
}

module.exports = {
  open: (url, options) => Database.open(url, options),
  Database,
  Session,
  Context,
  methods: () => [...METHOD_NAMES],
  schema,
  toBinary,
  fromBinary,
  version: native.version().version,
  versionNumber: native.version().versionNumber,
  statusName: (codeNumber) => native.statusName(codeNumber),
  ...errors,
};
