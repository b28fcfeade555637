/* dms.h: the C ABI of libdms (library libdms_c.so, CMake target dms::c).
 *
 * A small, stable surface for hosts that cannot use C++ (the Node addon, other FFIs): open a
 * database, obtain a context (who is acting), and call any service method by name with a request
 * document. Requests and responses are either JSON (seed 002's camelCase documents, which is
 * protobuf's JSON mapping of the dms.v1 schema) or binary protobuf messages of the schema in
 * proto/dms/v1/. Adding a method never changes this header.
 *
 *   dms_database* db = NULL;
 *   dms_error* err = NULL;
 *   if (dms_open("dealer.db", &db, &err) != DMS_OK) { ...dms_error_message(err)... }
 *   dms_context* ctx = NULL;
 *   dms_login(db, "admin@dealer.in", "secret", NULL, &ctx, NULL, &err);
 *   void* out = NULL; size_t out_size = 0;
 *   const char* req = "{\"name\":\"John Doe\",\"phone\":\"+919876543210\"}";
 *   if (dms_call(db, ctx, "customers.Create", DMS_FORMAT_JSON, req, strlen(req), &out, &out_size,
 *                &err) == DMS_OK) { ...use the NUL-terminated JSON in out...; dms_free(out); }
 *   dms_error_destroy(&err); dms_context_destroy(&ctx); dms_close(&db);
 *
 * Conventions (SQLite's and DuckDB's):
 *   - every function returns a dms_status: DMS_OK (0) or an error code number (DMS_ERROR_*), the
 *     same numbers as dms::ErrorCode; results are written to out-parameters;
 *   - on failure, when out_error is not NULL, *out_error receives a new dms_error the caller owns
 *     and releases with dms_error_destroy (pass NULL to get the status alone). On success
 *     *out_error is left untouched;
 *   - every handle is one incomplete struct type; dms_X_destroy(dms_X**) and dms_close accept
 *     NULL and a pointer to NULL, release the handle and set it to NULL;
 *   - buffers returned through out-parameters are owned by the caller and released with dms_free;
 *     strings returned by accessor functions are borrowed (do not free them);
 *   - no C++ exception crosses this boundary; invalid arguments (NULL handles, malformed
 *     requests, unknown methods) are reported as codes, never undefined behaviour, except where a
 *     REQUIRES says otherwise.
 *
 * Thread-safety: a dms_database may be used from many threads at once. A dms_context is
 * immutable and may be shared by threads. A dms_error belongs to the caller that received it.
 * dms_close REQUIRES that no other thread is using the database. Subscription callbacks run on
 * the subscription's own thread (see dms_subscribe).
 */
#ifndef DMS_DMS_H
#define DMS_DMS_H

#include <stddef.h>
#include <stdint.h>

#include "dms/version.h"

#if defined(__GNUC__)
#define DMS_C_API __attribute__((visibility("default")))
#else
#define DMS_C_API
#endif

#ifdef __cplusplus
extern "C" {
#endif

/* ---- Status codes ---------------------------------------------------------------------------
 * The numbers of dms::ErrorCode (include/dms/error.hpp, docs/decisions/0001-error-model.md):
 * never changed nor reused. Groups: 1xx auth, 2xx validation, 3xx not found, 4xx duplicate and
 * conflict, 5xx business rules, 6xx throttling, 9xx storage and internal. */
typedef int32_t dms_status;

#define DMS_OK 0
#define DMS_ERROR_UNAUTHENTICATED 100
#define DMS_ERROR_INVALID_CREDENTIALS 101
#define DMS_ERROR_TOKEN_EXPIRED 102
#define DMS_ERROR_FORBIDDEN 103
#define DMS_ERROR_PASSWORD_CHANGE_REQUIRED 104
#define DMS_ERROR_ACCOUNT_LOCKED 105
#define DMS_ERROR_ACCOUNT_INACTIVE 106
#define DMS_ERROR_INVALID_TOKEN 107
#define DMS_ERROR_VALIDATION 200
#define DMS_ERROR_OUT_OF_RANGE 201
#define DMS_ERROR_NOT_FOUND 300
#define DMS_ERROR_DUPLICATE 400
#define DMS_ERROR_CONFLICT 401
#define DMS_ERROR_BUSINESS_RULE 500
#define DMS_ERROR_INVALID_STATUS_TRANSITION 501
#define DMS_ERROR_INSUFFICIENT_STOCK 502
/* One code per business rule (503-559); DMS_ERROR_BUSINESS_RULE is no longer reported. */
#define DMS_ERROR_SERVICE_CENTER_INACTIVE 503
#define DMS_ERROR_CANNOT_DEACTIVATE_SELF 504
#define DMS_ERROR_ADMIN_ROLE_FIXED 505
#define DMS_ERROR_RELEASE_EXCEEDS_ALLOCATED 506
#define DMS_ERROR_RELEASE_EXCEEDS_RESERVATION 507
#define DMS_ERROR_VEHICLE_HAS_OPEN_JOB_CARD 508
#define DMS_ERROR_CUSTOMER_HAS_OPEN_JOB_CARD 509
#define DMS_ERROR_PARTS_REQUEST_PENDING 510
#define DMS_ERROR_CUSTOMER_ANSWER_PENDING 511
#define DMS_ERROR_SERVICE_LINE_DECLINED 512
#define DMS_ERROR_SERVICE_LINE_NOT_APPROVED 513
#define DMS_ERROR_NO_ADDITIONAL_SERVICE_PENDING 514
#define DMS_ERROR_SERVICE_LINES_CLOSED 515
#define DMS_ERROR_PRE_INSPECTION_CLOSED 516
#define DMS_ERROR_JOB_CARD_CLOSED_FOR_PARTS 517
#define DMS_ERROR_PARTS_RETURN_CLOSED 518
#define DMS_ERROR_INVOICE_NOT_PAID 519
#define DMS_ERROR_CUSTOMER_APPROVAL_REQUIRED 520
#define DMS_ERROR_INVOICED_BY_INVOICE 521
#define DMS_ERROR_INVOICE_NOT_FINALIZED 522
#define DMS_ERROR_JOB_CARD_ALREADY_INVOICED 523
#define DMS_ERROR_JOB_CARD_NOT_COMPLETED 524
#define DMS_ERROR_NOTHING_TO_INVOICE 525
#define DMS_ERROR_INVOICE_NOT_DRAFT 526
#define DMS_ERROR_JOB_CARD_ITEMS_FIXED 527
#define DMS_ERROR_CREDIT_NOTE_REQUIRED 528
#define DMS_ERROR_SERVICE_CENTER_NO_GST_STATE 529
#define DMS_ERROR_DOCUMENT_IS_CREDIT_NOTE 530
#define DMS_ERROR_INVOICE_IS_DRAFT 531
#define DMS_ERROR_PART_HSN_MISSING 532
#define DMS_ERROR_LEAD_CLOSED 540
#define DMS_ERROR_QUOTATION_NOT_DRAFT 541
#define DMS_ERROR_QUOTATION_EXPIRED 542
#define DMS_ERROR_COUNTER_ORDER_NO_VEHICLES 543
#define DMS_ERROR_COUNTER_ORDER_NOT_RESERVED 544
#define DMS_ERROR_COUNTER_ORDER_INVOICED 545
#define DMS_ERROR_DELIVERY_METHOD_MISMATCH 546
#define DMS_ERROR_COUNTER_ORDER_ITEMS_FIXED 547
#define DMS_ERROR_MESSAGE_BODY_ERASED 555
#define DMS_ERROR_PURCHASE_REQUEST_LOCATIONS_DIFFER 560
#define DMS_ERROR_JOB_KIND_NOT_REGISTERED 561
#define DMS_ERROR_EXPORT_CANCELLED 580
#define DMS_ERROR_EXPORT_FORMAT_UNSUPPORTED 581
#define DMS_ERROR_INVOICE_HAS_NO_NUMBER 582
#define DMS_ERROR_CUSTOMER_NO_EMAIL 583
#define DMS_ERROR_RATE_LIMITED 600
#define DMS_ERROR_STORAGE 900
#define DMS_ERROR_UNAVAILABLE 901
#define DMS_ERROR_INTERNAL 999

/* ---- Limits --------------------------------------------------------------------------------- */
/* Requests larger than this are rejected with DMS_ERROR_VALIDATION on field "request". */
#define DMS_MAX_REQUEST_BYTES (64u * 1024u * 1024u)
/* JSON requests nested deeper than this (objects and arrays) are rejected the same way. */
#define DMS_MAX_JSON_DEPTH 64

/* ---- Handles -------------------------------------------------------------------------------- */
typedef struct dms_database dms_database;         /* an open database; see dms_open */
typedef struct dms_context dms_context;           /* who is acting, and the request metadata */
typedef struct dms_error dms_error;               /* a failure: code, stable name, message, field */
typedef struct dms_subscription dms_subscription; /* a committed-event feed; see dms_subscribe */

/* The encoding of a request or response: one of the DMS_FORMAT_* constants. (An int32_t rather
 * than an enum type, so that any value a caller passes is defined behaviour: unknown ones are
 * DMS_ERROR_VALIDATION.) */
typedef int32_t dms_format;
enum {
  DMS_FORMAT_JSON = 0,    /* UTF-8 JSON text; responses are NUL-terminated */
  DMS_FORMAT_PROTOBUF = 1 /* binary protobuf of the method's dms.v1 request/response message */
};

/* ---- Version and memory --------------------------------------------------------------------- */
/* The version of the loaded library, to compare with DMS_VERSION_NUMBER / DMS_VERSION_STRING. */
DMS_C_API int32_t dms_libversion_number(void);
DMS_C_API const char* dms_libversion(void); /* borrowed, static */

/* Releases a buffer this library returned through an out-parameter. NULL is ignored. */
DMS_C_API void dms_free(void* buffer);

/* ---- Errors --------------------------------------------------------------------------------- */
/* The code number (DMS_ERROR_*); DMS_OK for NULL. */
DMS_C_API dms_status dms_error_code(const dms_error* error);
/* The stable string code ("INVALID_STATUS_TRANSITION"); "OK" for NULL. Borrowed. */
DMS_C_API const char* dms_error_name(const dms_error* error);
/* A readable message; "" for NULL. Borrowed, valid until the error is destroyed. */
DMS_C_API const char* dms_error_message(const dms_error* error);
/* The input field at fault ("items[2].quantity"), or "". Borrowed. */
DMS_C_API const char* dms_error_field(const dms_error* error);
/* For DMS_ERROR_INVALID_STATUS_TRANSITION, the two states; "" otherwise. Borrowed. */
DMS_C_API const char* dms_error_from_state(const dms_error* error);
DMS_C_API const char* dms_error_to_state(const dms_error* error);
/* 1 when repeating the same call may succeed (CONFLICT, RATE_LIMITED, UNAVAILABLE), else 0. */
DMS_C_API int dms_error_retryable(const dms_error* error);
DMS_C_API void dms_error_destroy(dms_error** error);
/* The stable string code of a code number ("NOT_FOUND"); "INTERNAL_ERROR" for an unknown one.
 * Static storage. */
DMS_C_API const char* dms_status_name(dms_status status);

/* ---- Database ------------------------------------------------------------------------------- */
/* Opens (creating and migrating as needed) a database: a SQLite file path, ":memory:", or a
 * "postgresql://user@host:port/db" URL. */
DMS_C_API dms_status dms_open(const char* url, dms_database** out_database, dms_error** out_error);
/* The same with options, a JSON object (NULL or "" for none):
 *   {"sqliteSynchronous": "FULL" | "NORMAL", "poolSize": 8, "tokenSecret": "...",
 *    "delivery": {"smtp": {...}, "sms": {...}, "retry": {...}, "batchSize": 50,
 *                 "leaseSeconds": 120},
 *    "background": {"dispatcher": true, "dispatcherIntervalMs": 1000},
 *    "readerUrl": "postgresql://..." (a read replica for reports and dashboards)}
 * (docs/settings.md). Unknown keys are DMS_ERROR_VALIDATION naming the key ("delivery.smtp.x");
 * setting values (credentials) never appear in an error. */
DMS_C_API dms_status dms_open_ext(const char* url, const char* options_json,
                                  dms_database** out_database, dms_error** out_error);
/* Closes the database. REQUIRES: no call on it is running or will start. */
DMS_C_API void dms_close(dms_database** database);
/* The message dispatcher on the database's background thread (docs/settings.md): delivers queued
 * e-mail and SMS until stopped. start is idempotent; stop waits for the batch in progress;
 * dms_close stops it too. */
DMS_C_API dms_status dms_start_dispatcher(dms_database* database, dms_error** out_error);
DMS_C_API dms_status dms_stop_dispatcher(dms_database* database, dms_error** out_error);

/* ---- Contexts ------------------------------------------------------------------------------- *
 * Every constructor takes optional request metadata as a JSON object (NULL for none), recorded in
 * audit rows: {"requestId": "...", "ip": "...", "userAgent": "...", "idempotencyKey": "..."}. */

/* Logs in (auth.Login). On success *out_context acts as the user and, when out_session_json is
 * not NULL, *out_session_json receives the session document (NUL-terminated JSON: accessToken,
 * refreshToken, user); free it with dms_free. */
DMS_C_API dms_status dms_login(dms_database* database, const char* login, const char* password,
                               const char* meta_json, dms_context** out_context,
                               char** out_session_json, dms_error** out_error);
/* The context of a valid access token (DMS_ERROR_INVALID_TOKEN, _TOKEN_EXPIRED, ...). */
DMS_C_API dms_status dms_context_from_token(dms_database* database, const char* access_token,
                                            const char* meta_json, dms_context** out_context,
                                            dms_error** out_error);
/* TRUSTED HOSTS ONLY: the context of an existing user without credentials. */
DMS_C_API dms_status dms_context_for_user(dms_database* database, const char* user_id,
                                          const char* meta_json, dms_context** out_context,
                                          dms_error** out_error);
/* TRUSTED HOSTS ONLY: the system context, which holds every permission. It exists to bootstrap a
 * new database (create the first service center and admin user); never hand it to a request from
 * outside the process. */
DMS_C_API dms_status dms_context_system(dms_database* database, const char* meta_json,
                                        dms_context** out_context, dms_error** out_error);
/* Describes a context as NUL-terminated JSON (free with dms_free): {userId, userName, role,
 * permissions, serviceCenterId, passwordChangeRequired}. */
DMS_C_API dms_status dms_context_describe(const dms_context* context, char** out_json,
                                          dms_error** out_error);
DMS_C_API void dms_context_destroy(dms_context** context);

/* ---- Calls ---------------------------------------------------------------------------------- */
/* Runs service method `method` ("jobCards.Create") as `context` (NULL: an anonymous caller,
 * which may only use methods that need no login, such as auth.Login and system.Ping).
 *
 * The request is `request_size` bytes in `format`; NULL with size 0 is an empty request. JSON is
 * passed to the method as it is (protobuf's JSON mapping of the request message); binary
 * protobuf is decoded as the method's request message, and the response encoded as its response
 * message (see dms_schema; fields the schema does not name are dropped). On success
 * *out_response holds the response (JSON: NUL-terminated, the terminator not counted in
 * *out_response_size); free it with dms_free. On failure *out_response is NULL and
 * *out_response_size 0. An unknown method is DMS_ERROR_NOT_FOUND on field "method"; a malformed
 * request DMS_ERROR_VALIDATION on field "request" (or the field at fault). */
DMS_C_API dms_status dms_call(dms_database* database, const dms_context* context,
                              const char* method, dms_format format, const void* request,
                              size_t request_size, void** out_response, size_t* out_response_size,
                              dms_error** out_error);

/* ---- Exports -------------------------------------------------------------------------------- */
/* Progress of an export: rows written so far and rows in all. Return nonzero to go on, 0 to
 * cancel (the export then fails with DMS_ERROR_EXPORT_CANCELLED and leaves no file). Called on the
 * thread that called dms_export. */
typedef int (*dms_export_progress)(int64_t done, int64_t total, void* user_data);

/* Runs a report and writes it to the file `path` (created or replaced; never left half-written).
 * `request_json` is reports.Export's request: {"name": "financial.revenue_by_period",
 * "params": {...}, "format": "csv" | "xlsx" | "pdf"}. `progress` may be NULL. On success, when
 * out_json is not NULL, *out_json receives {filename, contentType, sizeBytes} (free with
 * dms_free). */
DMS_C_API dms_status dms_export(dms_database* database, const dms_context* context,
                                const char* request_json, const char* path,
                                dms_export_progress progress, void* user_data, char** out_json,
                                dms_error** out_error);

/* ---- Schema --------------------------------------------------------------------------------- */
/* The registered method names as a sorted JSON array (NUL-terminated; free with dms_free). */
DMS_C_API dms_status dms_methods(char** out_json, dms_error** out_error);
/* The wire schema as JSON (free with dms_free), for bindings that build typed helpers:
 *   {"methods": {"system.Ping": {"request": "dms.v1.PingRequest",
 *                                "response": "dms.v1.PingResponse"}, ...},
 *    "messages": {"dms.v1.PingResponse": {"fields": [{"name": "time", "protoName": "time",
 *                 "type": "string", "kind": "timestamp", "repeated": false,
 *                 "optional": false, "message": null}, ...]}, ...}}
 * "type" is the protobuf type (string, int32, bool, message, ...), "kind" one of text, decimal,
 * date, timestamp, and "message" the full name of a message-typed field's message. */
DMS_C_API dms_status dms_schema(char** out_json, dms_error** out_error);
/* Converts a message of the schema ("dms.v1.PingRequest") between JSON and binary protobuf (or
 * re-encodes it in the same format). The output is owned by the caller (dms_free); JSON output is
 * NUL-terminated. */
DMS_C_API dms_status dms_convert(const char* message_type, dms_format from_format,
                                 const void* input, size_t input_size, dms_format to_format,
                                 void** out_output, size_t* out_output_size, dms_error** out_error);

/* ---- Committed-event feed ------------------------------------------------------------------ *
 * Every outbox event, in commit order, each once its transaction has committed, as JSON:
 *   {"cursor": "...", "id": "...", "type": "invoice.generated", "payload": {...},
 *    "serviceCenterId": "..." | null, "audienceRole": "..." | null, "occurredAt": RFC 3339}
 * A cursor is an opaque string: NULL or "" is the beginning; resume with the "cursor" of the last
 * event handled and nothing committed after it is missed (at-least-once across restarts).
 * HOST-LEVEL: no context and no permission check. The host holds the database and must filter
 * events per user (serviceCenterId, audienceRole) before showing them to anyone. Payloads never
 * carry secrets. */

/* Reads up to `limit` (1-1000) events committed after `cursor`, without waiting:
 *   {"events": [...], "cursor": "..."}   (cursor: after the last event; the given one when none)
 * NUL-terminated; free with dms_free. A malformed cursor is DMS_ERROR_VALIDATION on "cursor". */
DMS_C_API dms_status dms_events_since(dms_database* database, const char* cursor, int32_t limit,
                                      char** out_json, dms_error** out_error);
/* The cursor after the newest committed event (to follow the feed from now on); free it with
 * dms_free. */
DMS_C_API dms_status dms_events_head(dms_database* database, char** out_cursor,
                                     dms_error** out_error);

/* Receives one event: `event_json` (NUL-terminated, `event_json_size` bytes without the NUL) is
 * borrowed for the duration of the call. */
typedef void (*dms_event_callback)(void* user_data, const char* event_json, size_t event_json_size);
/* Receives a failure while reading the feed (the subscription tries again after a pause).
 * `error` is borrowed for the duration of the call. */
typedef void (*dms_subscription_error_callback)(void* user_data, const dms_error* error);

/* Calls `on_event` with each event committed after `cursor`, in commit order, until closed.
 * Callbacks run on the subscription's own thread (one at a time, never concurrently, never on
 * the caller's thread); commits made through this dms_database wake it at once, other processes'
 * are found by polling (every 100 ms). On success *out_subscription receives the handle, which
 * the caller closes with dms_subscription_close. */
DMS_C_API dms_status dms_subscribe(dms_database* database, const char* cursor,
                                   dms_event_callback on_event, void* user_data,
                                   dms_subscription** out_subscription, dms_error** out_error);
/* The same with options, a JSON object (NULL or "" for none): {"pollIntervalMs": 100,
 * "batch": 100}, and `on_error` (may be NULL), called on the subscription's thread when reading
 * the feed failed (storage unavailable: it is retried after a growing pause). */
DMS_C_API dms_status dms_subscribe_ext(dms_database* database, const char* cursor,
                                       const char* options_json, dms_event_callback on_event,
                                       dms_subscription_error_callback on_error, void* user_data,
                                       dms_subscription** out_subscription, dms_error** out_error);
/* Writes the cursor after the last event delivered to `on_event` (free with dms_free). */
DMS_C_API dms_status dms_subscription_cursor(const dms_subscription* subscription,
                                             char** out_cursor, dms_error** out_error);
/* Stops the subscription, waits for a callback in flight to return (called from inside a
 * callback it only stops it: no callback follows), releases the handle and sets it to NULL. After
 * it returns, no callback runs and user_data may be freed. Fine before or after dms_close of its
 * database (dms_close stops the database's subscriptions; REQUIRES: dms_close is not called from
 * inside a callback). */
DMS_C_API void dms_subscription_close(dms_subscription** subscription);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* DMS_DMS_H */
