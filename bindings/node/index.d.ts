/// <reference types="node" />
import { EventEmitter } from 'node:events';
// TypeScript declarations of the dms package (bindings/node/index.js). The request and response
// types of each method are generated from the wire schema into services.d.ts (namespace `types`).
import type { DatabaseServices, MethodMap, SessionServices } from './services';

export * as types from './services';

/** Request metadata recorded in audit rows. */
export interface RequestMeta {
  requestId?: string;
  ip?: string;
  userAgent?: string;
  idempotencyKey?: string;
}

export interface OpenOptions {
  /** SQLite PRAGMA synchronous: "FULL" (default, durable commits) or "NORMAL". */
  sqliteSynchronous?: 'FULL' | 'NORMAL';
  /** PostgreSQL connections kept open (default 8). */
  poolSize?: number;
  /** HS256 key of access tokens; default: random per database (tokens die with the process). */
  tokenSecret?: string;
  /** PostgreSQL: a read replica that reports and dashboards read from (docs/reports.md). */
  readerUrl?: string;
  /** E-mail and SMS delivery (docs/settings.md). Credentials are never printed. */
  delivery?: DeliveryOptions;
  /** Background threads: {dispatcher: true} delivers queued messages without calls. */
  background?: { dispatcher?: boolean; dispatcherIntervalMs?: number };
}

/** docs/settings.md: where queued messages go and how failures are retried. */
export interface DeliveryOptions {
  smtp?: {
    /** "smtp://host:587" or "smtps://host:465" */
    url?: string;
    username?: string;
    password?: string;
    /** "noreply@dealer.in" or "Dealer DMS <noreply@dealer.in>" */
    from?: string;
    starttls?: boolean;
    timeoutSeconds?: number;
  };
  sms?: {
    url?: string;
    method?: 'POST' | 'PUT';
    headers?: Record<string, string>;
    /** JSON with {{to}}, {{body}}, {{messageId}} (JSON-string-escaped values). */
    bodyTemplate?: string;
    timeoutSeconds?: number;
  };
  retry?: { maxAttempts?: number; baseDelaySeconds?: number; factor?: number; maxDelaySeconds?: number };
  batchSize?: number;
  leaseSeconds?: number;
}

/** Who is acting. Made by a Database; immutable. */
export class Context {
  private constructor();
  readonly info: {
    userId: string;
    userName: string;
    role: string;
    permissions: string[];
    serviceCenterId: string | null;
    passwordChangeRequired: boolean;
  };
  readonly userId: string;
  readonly userName: string;
  readonly role: string;
  readonly permissions: string[];
  readonly serviceCenterId: string | null;
  readonly passwordChangeRequired: boolean;
}

/** A Context, or a Session standing for its Context. */
export type ContextLike = Context | Session;

/** A Context bound to its Database, with typed helpers: session.purchaseOrders.create({...}). */
export interface Session extends SessionServices {}
export class Session {
  private constructor();
  readonly db: Database;
  readonly context: Context;
  readonly accessToken: string | null;
  readonly refreshToken: string | null;
  /** The user document of auth.Login (with permissions), or null. */
  readonly user: Record<string, unknown> | null;
  call<M extends keyof MethodMap>(method: M, request?: MethodMap[M][0]): Promise<MethodMap[M][1]>;
  call(method: string, request?: object): Promise<any>;
  /** Methods registered without a schema entry are still reachable as helpers. */
  [service: string]: any;
}

/** One committed event of the feed (db.subscribe, db.eventsSince). */
export interface FeedEvent {
  /** Opaque: pass it back as `cursor` to resume after this event. */
  cursor: string;
  /** The outbox event's id. */
  id: string;
  /** "invoice.generated", "job_card.assigned", ... */
  type: string;
  /** camelCase keys, ids as strings, money as decimal strings; never a secret. */
  payload: Record<string, unknown>;
  serviceCenterId: string | null;
  audienceRole: string | null;
  /** RFC 3339. */
  occurredAt: string;
}

export interface SubscribeOptions {
  /** Resume after this event's cursor; default: the beginning ('' too). */
  cursor?: string;
  /** How often other processes' commits are looked for (default 100 ms). */
  pollIntervalMs?: number;
  /** Events read per query (1-1000, default 100). */
  batch?: number;
}

/** The committed-event feed from a cursor. 'event' (in commit order), 'error' (a read failure,
 *  retried: the subscription goes on), 'close'. An async iterator too (leaving the loop closes
 *  it). Keeps the event loop alive until close(). */
export class Subscription extends EventEmitter implements AsyncIterable<FeedEvent> {
  private constructor();
  /** The cursor after the last event delivered. */
  readonly cursor: string;
  readonly closed: boolean;
  /** No event is delivered after it returns. Idempotent. */
  close(): void;
  on(event: 'event', listener: (event: FeedEvent) => void): this;
  on(event: 'error', listener: (error: DmsError) => void): this;
  on(event: 'close', listener: () => void): this;
  once(event: 'event', listener: (event: FeedEvent) => void): this;
  once(event: 'error', listener: (error: DmsError) => void): this;
  once(event: 'close', listener: () => void): this;
  [Symbol.asyncIterator](): AsyncIterableIterator<FeedEvent>;
}

/** An open database. Every call runs on libuv's thread pool and returns a Promise. */
export interface Database extends DatabaseServices {}
export class Database {
  private constructor();
  static open(url: string, options?: OpenOptions): Promise<Database>;
  call<M extends keyof MethodMap>(
    ctx: ContextLike | null, method: M, request?: MethodMap[M][0]): Promise<MethodMap[M][1]>;
  call(ctx: ContextLike | null, method: string, request?: object): Promise<any>;
  /** The request and response as JSON text (no parse or stringify in JS). */
  callText(ctx: ContextLike | null, method: string, requestText: string): Promise<string>;
  /** Writes report request.name as csv, xlsx or pdf to `path`; onProgress(done, total) returning
   *  false, or an aborted signal, cancels (EXPORT_CANCELLED, no file left). */
  exportReport(
    ctx: ContextLike | null,
    request: { name: string; params?: object; format: 'csv' | 'xlsx' | 'pdf' },
    path: string,
    options?: { onProgress?: (done: number, total: number) => boolean | void; signal?: AbortSignal },
  ): Promise<{ filename: string; contentType: string; sizeBytes: number }>;
  /** Binary protobuf: the method's dms.v1 request message in, its response message out. */
  callBinary(ctx: ContextLike | null, method: string, request: Uint8Array): Promise<Buffer>;
  login(login: string, password: string, meta?: RequestMeta): Promise<Session>;
  session(accessToken: string, meta?: RequestMeta): Promise<Session>;
  /** TRUSTED HOSTS ONLY: a user's Session without credentials. */
  sessionForUser(userId: string, meta?: RequestMeta): Promise<Session>;
  /** TRUSTED HOSTS ONLY: the all-permission Session that bootstraps a new database. */
  systemSession(meta?: RequestMeta): Session;
  /** Runs the message dispatcher on the database's background thread until stopped or closed. */
  startDispatcher(): void;
  /** Stops the background dispatcher (waits for the batch in progress). */
  stopDispatcher(): void;
  /** HOST-LEVEL: up to `limit` (1-1000, default 100) events committed after `cursor`. */
  eventsSince(cursor?: string, limit?: number): Promise<{ events: FeedEvent[]; cursor: string }>;
  /** The cursor after the newest committed event (follow the feed from now on). */
  eventsHead(): Promise<string>;
  /** HOST-LEVEL: events committed after `options.cursor`, in commit order. Filter them per user
   *  (serviceCenterId, audienceRole) before showing them to anyone. */
  subscribe(options?: SubscribeOptions): Subscription;
  /** Rejects later calls and closes the subscriptions; closes once the calls in flight have
   *  finished. */
  close(): void;
  [service: string]: any;
}

export function open(url: string, options?: OpenOptions): Promise<Database>;
/** Every registered method, sorted ("inventory.AdjustStock", ...). */
export function methods(): string[];
/** The wire schema: {methods: {name: {request, response}}, messages: {...}}. */
export function schema(): {
  methods: Record<string, { request: string; response: string }>;
  messages: Record<string, { fields: Array<{
    name: string; protoName: string; type: string; kind: 'text' | 'decimal' | 'date' | 'timestamp';
    repeated: boolean; optional: boolean; message: string | null; mapValue?: string;
  }> }>;
};
/** A dms.v1 message ("dms.v1.PingRequest") from a JSON object or text to binary protobuf. */
export function toBinary(messageType: string, document: object | string): Buffer;
/** A dms.v1 message from binary protobuf to a JSON object. */
export function fromBinary(messageType: string, bytes: Uint8Array): any;
export const version: string;
export const versionNumber: number;

/** Every rejection: the shared error code set (docs/decisions/0001-error-model.md). */
export class DmsError extends Error {
  constructor(message: string, details?: Partial<Pick<DmsError,
    'code' | 'codeNumber' | 'field' | 'fromState' | 'toState' | 'retryable'>>);
  /** Stable string code, e.g. "INSUFFICIENT_STOCK". */
  readonly code: string;
  /** Its number, e.g. 502. */
  readonly codeNumber: number;
  /** The input field at fault ("items[2].quantity"), or "". */
  readonly field: string;
  readonly fromState: string;
  readonly toState: string;
  /** True when repeating the same call may succeed. */
  readonly retryable: boolean;
}
export class AuthError extends DmsError {}
export class PermissionDenied extends AuthError {}
export class ValidationError extends DmsError {}
export class NotFoundError extends DmsError {}
export class ConflictError extends DmsError {}
export class DuplicateError extends ConflictError {}
export class BusinessRuleError extends DmsError {}
export class InvalidTransition extends BusinessRuleError {}
export class InsufficientStock extends BusinessRuleError {}
export class RateLimitedError extends DmsError {}
export class StorageError extends DmsError {}
export class InternalError extends DmsError {}
/** The stable name of each business rule's code (503 and up): compare with `DmsError.code`. */
export type BusinessRuleCode =
  | 'SERVICE_CENTER_INACTIVE'
  | 'CANNOT_DEACTIVATE_SELF'
  | 'ADMIN_ROLE_FIXED'
  | 'RELEASE_EXCEEDS_ALLOCATED'
  | 'RELEASE_EXCEEDS_RESERVATION'
  | 'VEHICLE_HAS_OPEN_JOB_CARD'
  | 'CUSTOMER_HAS_OPEN_JOB_CARD'
  | 'PARTS_REQUEST_PENDING'
  | 'CUSTOMER_ANSWER_PENDING'
  | 'SERVICE_LINE_DECLINED'
  | 'SERVICE_LINE_NOT_APPROVED'
  | 'NO_ADDITIONAL_SERVICE_PENDING'
  | 'SERVICE_LINES_CLOSED'
  | 'PRE_INSPECTION_CLOSED'
  | 'JOB_CARD_CLOSED_FOR_PARTS'
  | 'PARTS_RETURN_CLOSED'
  | 'INVOICE_NOT_PAID'
  | 'CUSTOMER_APPROVAL_REQUIRED'
  | 'INVOICED_BY_INVOICE'
  | 'INVOICE_NOT_FINALIZED'
  | 'JOB_CARD_ALREADY_INVOICED'
  | 'JOB_CARD_NOT_COMPLETED'
  | 'NOTHING_TO_INVOICE'
  | 'INVOICE_NOT_DRAFT'
  | 'JOB_CARD_ITEMS_FIXED'
  | 'CREDIT_NOTE_REQUIRED'
  | 'SERVICE_CENTER_NO_GST_STATE'
  | 'DOCUMENT_IS_CREDIT_NOTE'
  | 'INVOICE_IS_DRAFT'
  | 'PART_HSN_MISSING'
  | 'LEAD_CLOSED'
  | 'QUOTATION_NOT_DRAFT'
  | 'QUOTATION_EXPIRED'
  | 'COUNTER_ORDER_NO_VEHICLES'
  | 'COUNTER_ORDER_NOT_RESERVED'
  | 'COUNTER_ORDER_INVOICED'
  | 'DELIVERY_METHOD_MISMATCH'
  | 'COUNTER_ORDER_ITEMS_FIXED'
  | 'MESSAGE_BODY_ERASED'
  | 'PURCHASE_REQUEST_LOCATIONS_DIFFER'
  | 'JOB_KIND_NOT_REGISTERED'
  | 'EXPORT_CANCELLED'
  | 'EXPORT_FORMAT_UNSUPPORTED'
  | 'INVOICE_HAS_NO_NUMBER'
  | 'CUSTOMER_NO_EMAIL';
/** Each business rule's code number, by name. */
export const BUSINESS_RULE_CODES: Readonly<Record<BusinessRuleCode, number>>;
export function errorClass(codeNumber: number): typeof DmsError;
/** The library's stable name of a code number ("INTERNAL_ERROR" for an unknown one). */
export function statusName(codeNumber: number): string;
export function fromNative(codeNumber: number, code: string, message: string, field: string,
                           fromState: string, toState: string, retryable: boolean): DmsError;
