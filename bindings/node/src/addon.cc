// dms.node: the N-API addon over the C ABI (include/dms/dms.h). Thin on purpose: it moves
// strings and buffers between JS and dms_* functions, runs every call that may touch storage on
// libuv's thread pool (napi_create_async_work) and settles a Promise on the main thread. The JS
// wrapper (bindings/node/index.js) turns documents into JSON text and back.
//
// Batching: call() only queues; flush() starts the queued calls as a few async works (as many as
// the pool has threads), each running its share one after another. The wrapper flushes once per
// event-loop turn (setImmediate), so the calls a program makes in one turn pay for the thread
// hand-offs (a condition-variable wake-up each way) once per batch instead of once per call;
// docs/benchmarks.md has the figures. A lone call is a batch of one.
//
// Errors: every failure, including bad arguments, becomes one JS error built by the factory the
// wrapper installs with setErrorFactory (bindings/node/errors.js, the one place Node maps codes).
//
// Handles are externals with type tags and finalizers: a database closes when its JS object is
// collected (or on close(), once the calls in flight have finished); each call holds references
// to its database and context objects, so neither is collected while the call runs.
//
// Thread-safety: JS-facing functions run on the main thread; dms_* calls in Execute run on worker
// threads, which the C ABI allows (a dms_database is thread-safe, a dms_context immutable).
//
// Subscriptions (the committed-event feed): dms_subscribe's callbacks run on the subscription's
// own thread and hand each event to the main thread through a napi threadsafe function; close
// stops the C subscription first (no callback after it), then releases the threadsafe function,
// so nothing keeps the event loop alive afterwards.
#include <node_api.h>

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string>
#include <utility>
#include <vector>

#include "dms/dms.h"

namespace {

// ---- Handles ------------------------------------------------------------------------------------

const napi_type_tag kDatabaseTag = {0x6d0d3c2a41f54a11ull, 0x9e7c1b5f0a2d4e01ull};
const napi_type_tag kContextTag = {0x6d0d3c2a41f54a11ull, 0x9e7c1b5f0a2d4e02ull};
const napi_type_tag kSubscriptionTag = {0x6d0d3c2a41f54a11ull, 0x9e7c1b5f0a2d4e03ull};

struct Work;

// What every handle shares: a reference to its own JS object that is weak while no work uses the
// handle and strong while some does, so the object (and the finalizer that frees the handle) is
// never collected in the middle of a call. Main thread only.
struct Handle {
  napi_ref self = nullptr;
  int users = 0;  // works queued or running that use this handle

  void hold(napi_env env) {
    if (users++ == 0) napi_reference_ref(env, self, nullptr);
  }
  void release(napi_env env) {
    if (--users == 0) napi_reference_unref(env, self, nullptr);
  }
};

struct Database : Handle {
  dms_database* db = nullptr;
  bool closing = false;        // close() was called
  std::vector<Work*> pending;  // calls waiting for flush()

  void close_if_idle() {
    if (closing && users == 0) dms_close(&db);
  }
};

struct Context : Handle {
  dms_context* ctx = nullptr;
};

// Per-environment state (each worker thread that loads the addon has its own).
struct AddonData {
  napi_ref error_factory = nullptr;  // set by setErrorFactory
  size_t pool_threads = 4;           // libuv's thread pool (UV_THREADPOOL_SIZE, default 4)
};

AddonData* addon_data(napi_env env) {
  void* data = nullptr;
  napi_get_instance_data(env, &data);
  return static_cast<AddonData*>(data);
}

// ---- Errors -------------------------------------------------------------------------------------

// Builds the JS error for a failure through the wrapper's factory (plain Error as a fallback).
napi_value make_error(napi_env env, dms_status code, const char* name, const char* message,
                      const char* field, const char* from_state, const char* to_state,
                      bool retryable) {
  napi_value args[7];
  napi_create_int32(env, code, &args[0]);
  napi_create_string_utf8(env, name, NAPI_AUTO_LENGTH, &args[1]);
  napi_create_string_utf8(env, message, NAPI_AUTO_LENGTH, &args[2]);
  napi_create_string_utf8(env, field, NAPI_AUTO_LENGTH, &args[3]);
  napi_create_string_utf8(env, from_state, NAPI_AUTO_LENGTH, &args[4]);
  napi_create_string_utf8(env, to_state, NAPI_AUTO_LENGTH, &args[5]);
  napi_get_boolean(env, retryable, &args[6]);
  napi_value factory = nullptr;
  napi_value result = nullptr;
  napi_value global = nullptr;
  napi_get_global(env, &global);
  AddonData* data = addon_data(env);
  if (data != nullptr && data->error_factory != nullptr &&
      napi_get_reference_value(env, data->error_factory, &factory) == napi_ok &&
      factory != nullptr && napi_call_function(env, global, factory, 7, args, &result) == napi_ok) {
    return result;
  }
  bool pending = false;
  napi_is_exception_pending(env, &pending);
  if (pending) {
    napi_value ignored;
    napi_get_and_clear_last_exception(env, &ignored);
  }
  napi_create_error(env, args[1], args[2], &result);
  return result;
}

napi_value make_error(napi_env env, const dms_error* err, dms_status status) {
  return make_error(env, status, dms_status_name(status),
                    err ? dms_error_message(err) : dms_status_name(status), dms_error_field(err),
                    dms_error_from_state(err), dms_error_to_state(err),
                    dms_error_retryable(err) != 0);
}

// A VALIDATION_ERROR about an argument, for calls rejected before reaching the library.
napi_value argument_error(napi_env env, const char* field, const std::string& message) {
  return make_error(env, DMS_ERROR_VALIDATION, dms_status_name(DMS_ERROR_VALIDATION),
                    message.c_str(), field, "", "", false);
}

napi_value undefined(napi_env env) {
  napi_value u;
  napi_get_undefined(env, &u);
  return u;
}

napi_value throw_value(napi_env env, napi_value error) {
  napi_throw(env, error);
  return nullptr;
}

// A Promise rejected with `error`.
napi_value rejected(napi_env env, napi_value error) {
  napi_deferred deferred;
  napi_value promise;
  napi_create_promise(env, &deferred, &promise);
  napi_reject_deferred(env, deferred, error);
  return promise;
}

// ---- Arguments ----------------------------------------------------------------------------------

struct Args {
  size_t count = 8;
  napi_value values[8] = {};
  Args(napi_env env, napi_callback_info info) {
    napi_get_cb_info(env, info, &count, values, nullptr, nullptr);
  }
  napi_value operator[](size_t i) const { return i < count ? values[i] : nullptr; }
};

napi_valuetype type_of(napi_env env, napi_value v) {
  napi_valuetype t = napi_undefined;
  if (v != nullptr) napi_typeof(env, v, &t);
  return t;
}

bool get_string(napi_env env, napi_value v, std::string* out) {
  if (type_of(env, v) != napi_string) return false;
  size_t size = 0;
  if (napi_get_value_string_utf8(env, v, nullptr, 0, &size) != napi_ok) return false;
  out->resize(size);
  return napi_get_value_string_utf8(env, v, out->data(), size + 1, &size) == napi_ok;
}

// An optional string: undefined and null give "" and true.
bool get_optional_string(napi_env env, napi_value v, std::string* out) {
  const napi_valuetype t = type_of(env, v);
  if (t == napi_undefined || t == napi_null) {
    out->clear();
    return true;
  }
  return get_string(env, v, out);
}

bool get_bytes(napi_env env, napi_value v, std::string* out) {
  bool is_buffer = false;
  napi_is_buffer(env, v, &is_buffer);
  if (is_buffer) {
    void* data = nullptr;
    size_t size = 0;
    if (napi_get_buffer_info(env, v, &data, &size) != napi_ok) return false;
    out->assign(static_cast<const char*>(data), size);
    return true;
  }
  bool is_typed = false;
  napi_is_typedarray(env, v, &is_typed);
  if (!is_typed) return false;
  napi_typedarray_type type;
  size_t length = 0;
  void* data = nullptr;
  if (napi_get_typedarray_info(env, v, &type, &length, &data, nullptr, nullptr) != napi_ok ||
      type != napi_uint8_array) {
    return false;
  }
  out->assign(static_cast<const char*>(data), length);
  return true;
}

template <class T>
T* unwrap(napi_env env, napi_value v, const napi_type_tag& tag) {
  if (type_of(env, v) != napi_external) return nullptr;
  bool matches = false;
  if (napi_check_object_type_tag(env, v, &tag, &matches) != napi_ok || !matches) return nullptr;
  void* data = nullptr;
  napi_get_value_external(env, v, &data);
  return static_cast<T*>(data);
}

template <class T>
napi_value wrap(napi_env env, T* handle, const napi_type_tag& tag, napi_finalize finalize) {
  napi_value external;
  if (napi_create_external(env, handle, finalize, nullptr, &external) != napi_ok) return nullptr;
  napi_type_tag_object(env, external, &tag);
  napi_create_reference(env, external, 0, &handle->self);
  return external;
}

// Finalizers run only when no work uses the handle (see Handle).
void finalize_database(napi_env env, void* data, void*) {
  auto* handle = static_cast<Database*>(data);
  dms_close(&handle->db);
  if (handle->self) napi_delete_reference(env, handle->self);
  delete handle;
}

void finalize_context(napi_env env, void* data, void*) {
  auto* handle = static_cast<Context*>(data);
  dms_context_destroy(&handle->ctx);
  if (handle->self) napi_delete_reference(env, handle->self);
  delete handle;
}

napi_value wrap_context(napi_env env, dms_context* ctx) {
  auto* handle = new Context;
  handle->ctx = ctx;
  napi_value external = wrap(env, handle, kContextTag, finalize_context);
  if (external == nullptr) finalize_context(env, handle, nullptr);
  return external;
}

// ---- Async work ---------------------------------------------------------------------------------

// One library call. run() executes it on a thread-pool thread; settle() resolves or rejects its
// Promise on the main thread and releases what it held.
struct Work {
  enum class Kind {
    kOpen,
    kCall,
    kLogin,
    kContextFromToken,
    kContextForUser,
    kEventsSince,
    kEventsHead
  };
  explicit Work(Kind k) : kind(k) {}
  Work(const Work&) = delete;
  Work& operator=(const Work&) = delete;

  Kind kind;
  napi_deferred deferred = nullptr;
  Database* database = nullptr;  // held (see Handle) from queue() to settle()
  Context* context = nullptr;    // held likewise; null: anonymous

  // Inputs.
  std::string name;     // url, method, login, access token or user id
  std::string payload;  // options, request or password
  std::string meta;     // request metadata (JSON text; empty for none)
  dms_format format = DMS_FORMAT_JSON;
  int32_t limit = 100;  // kEventsSince

  // Outputs.
  dms_status status = DMS_OK;
  dms_error* error = nullptr;
  dms_database* opened = nullptr;
  dms_context* made_context = nullptr;
  void* response = nullptr;
  size_t response_size = 0;
  char* session = nullptr;

  ~Work() {
    dms_error_destroy(&error);
    dms_close(&opened);
    dms_context_destroy(&made_context);
    dms_free(response);
    dms_free(session);
  }

  void run();
  napi_value result(napi_env env);
  void settle(napi_env env, bool cancelled);
};

void Work::run() {
  dms_database* db = database ? database->db : nullptr;
  const char* meta_json = meta.empty() ? nullptr : meta.c_str();
  switch (kind) {
    case Kind::kOpen:
      status =
          dms_open_ext(name.c_str(), payload.empty() ? nullptr : payload.c_str(), &opened, &error);
      break;
    case Kind::kCall:
      status = dms_call(db, context ? context->ctx : nullptr, name.c_str(), format, payload.data(),
                        payload.size(), &response, &response_size, &error);
      break;
    case Kind::kLogin:
      status =
          dms_login(db, name.c_str(), payload.c_str(), meta_json, &made_context, &session, &error);
      break;
    case Kind::kContextFromToken:
      status = dms_context_from_token(db, name.c_str(), meta_json, &made_context, &error);
      break;
    case Kind::kContextForUser:
      status = dms_context_for_user(db, name.c_str(), meta_json, &made_context, &error);
      break;
    case Kind::kEventsSince:
      status = dms_events_since(db, name.c_str(), limit, &session, &error);
      break;
    case Kind::kEventsHead:
      status = dms_events_head(db, &session, &error);
      break;
  }
}

// The value a successful Work resolves with.
napi_value Work::result(napi_env env) {
  napi_value value = nullptr;
  switch (kind) {
    case Kind::kOpen: {
      auto* handle = new Database;
      handle->db = opened;
      opened = nullptr;
      value = wrap(env, handle, kDatabaseTag, finalize_database);
      if (value == nullptr) finalize_database(env, handle, nullptr);
      break;
    }
    case Kind::kCall:
      if (format == DMS_FORMAT_JSON) {
        napi_create_string_utf8(env, static_cast<const char*>(response), response_size, &value);
      } else {
        napi_create_buffer_copy(env, response_size, response, nullptr, &value);
      }
      break;
    case Kind::kLogin: {
      napi_create_object(env, &value);
      napi_value ctx = wrap_context(env, made_context);
      made_context = nullptr;
      napi_value text;
      napi_create_string_utf8(env, session, NAPI_AUTO_LENGTH, &text);
      napi_set_named_property(env, value, "context", ctx);
      napi_set_named_property(env, value, "session", text);
      break;
    }
    case Kind::kContextFromToken:
    case Kind::kContextForUser:
      value = wrap_context(env, made_context);
      made_context = nullptr;
      break;
    case Kind::kEventsSince:
    case Kind::kEventsHead:
      napi_create_string_utf8(env, session, NAPI_AUTO_LENGTH, &value);
      break;
  }
  return value;
}

void Work::settle(napi_env env, bool cancelled) {
  if (cancelled) status = DMS_ERROR_INTERNAL;  // the environment is shutting down
  napi_value value = status == DMS_OK ? result(env) : nullptr;
  if (value != nullptr) {
    napi_resolve_deferred(env, deferred, value);
  } else {
    const dms_status code = status == DMS_OK ? DMS_ERROR_INTERNAL : status;
    napi_reject_deferred(env, deferred, make_error(env, error, code));
  }
  if (context != nullptr) context->release(env);
  if (database != nullptr) {
    database->release(env);
    database->close_if_idle();
  }
}

// Works that share one napi async work: they run one after another on one pool thread and are
// settled together, so a burst of calls pays for the thread hand-offs once per batch.
struct Batch {
  std::vector<Work*> works;
  napi_async_work async = nullptr;
};

void execute_batch(napi_env, void* data) {
  for (Work* w : static_cast<Batch*>(data)->works) w->run();
}

void complete_batch(napi_env env, napi_status status, void* data) {
  auto* batch = static_cast<Batch*>(data);
  for (Work* w : batch->works) {
    napi_handle_scope scope;
    napi_open_handle_scope(env, &scope);
    w->settle(env, status != napi_ok);
    napi_close_handle_scope(env, scope);
    delete w;
  }
  napi_delete_async_work(env, batch->async);
  delete batch;
}

void dispatch(napi_env env, std::vector<Work*> works) {
  auto* batch = new Batch{std::move(works)};
  napi_value name;
  napi_create_string_utf8(env, "dms", NAPI_AUTO_LENGTH, &name);
  napi_create_async_work(env, nullptr, name, execute_batch, complete_batch, batch, &batch->async);
  napi_queue_async_work(env, batch->async);
}

// Prepares `w`'s Promise and holds its database and context until it settles. Calls wait in
// their database's queue for flush(); everything else starts now.
napi_value queue(napi_env env, Work* w) {
  napi_value promise;
  napi_create_promise(env, &w->deferred, &promise);
  if (w->database) w->database->hold(env);
  if (w->context) w->context->hold(env);
  if (w->kind == Work::Kind::kCall) {
    w->database->pending.push_back(w);
  } else {
    dispatch(env, {w});
  }
  return promise;
}

// The open database of argument `v`, or nullptr after rejecting through *error.
Database* open_database(napi_env env, napi_value v, napi_value* error) {
  auto* db = unwrap<Database>(env, v, kDatabaseTag);
  if (db == nullptr) {
    *error = argument_error(env, "database", "database must be a database handle");
  } else if (db->closing || db->db == nullptr) {
    *error = argument_error(env, "database", "the database is closed");
    db = nullptr;
  }
  return db;
}

// ---- Functions ----------------------------------------------------------------------------------

// setErrorFactory(fn(codeNumber, code, message, field, fromState, toState, retryable) -> Error)
napi_value SetErrorFactory(napi_env env, napi_callback_info info) {
  Args args(env, info);
  if (type_of(env, args[0]) != napi_function) {
    return throw_value(env, argument_error(env, "factory", "factory must be a function"));
  }
  AddonData* data = addon_data(env);
  if (data->error_factory) napi_delete_reference(env, data->error_factory);
  napi_create_reference(env, args[0], 1, &data->error_factory);
  return undefined(env);
}

// version() -> {version, versionNumber}: of the loaded libdms_c.
napi_value Version(napi_env env, napi_callback_info) {
  napi_value out, version, number;
  napi_create_object(env, &out);
  napi_create_string_utf8(env, dms_libversion(), NAPI_AUTO_LENGTH, &version);
  napi_create_int32(env, dms_libversion_number(), &number);
  napi_set_named_property(env, out, "version", version);
  napi_set_named_property(env, out, "versionNumber", number);
  return out;
}

// statusName(codeNumber) -> the stable name of a code ("INTERNAL_ERROR" for an unknown one).
napi_value StatusName(napi_env env, napi_callback_info info) {
  Args args(env, info);
  int32_t number = 0;
  if (type_of(env, args[0]) != napi_number ||
      napi_get_value_int32(env, args[0], &number) != napi_ok) {
    return throw_value(env, argument_error(env, "codeNumber", "codeNumber must be a number"));
  }
  napi_value name;
  napi_create_string_utf8(env, dms_status_name(number), NAPI_AUTO_LENGTH, &name);
  return name;
}

napi_value json_of(napi_env env, dms_status (*fn)(char**, dms_error**)) {
  char* json = nullptr;
  dms_error* err = nullptr;
  const dms_status status = fn(&json, &err);
  if (status != DMS_OK) {
    napi_value error = make_error(env, err, status);
    dms_error_destroy(&err);
    return throw_value(env, error);
  }
  napi_value out;
  napi_create_string_utf8(env, json, NAPI_AUTO_LENGTH, &out);
  dms_free(json);
  return out;
}

// methods() -> JSON text of the sorted method names.
napi_value Methods(napi_env env, napi_callback_info) {
  return json_of(env, &dms_methods);
}
// schema() -> JSON text of the wire schema.
napi_value Schema(napi_env env, napi_callback_info) {
  return json_of(env, &dms_schema);
}

// open(url, optionsJson?) -> Promise<database>
napi_value Open(napi_env env, napi_callback_info info) {
  Args args(env, info);
  auto* w = new Work(Work::Kind::kOpen);
  if (!get_string(env, args[0], &w->name)) {
    delete w;
    return rejected(env, argument_error(env, "url", "url must be a string"));
  }
  if (!get_optional_string(env, args[1], &w->payload)) {
    delete w;
    return rejected(env, argument_error(env, "options", "options must be JSON text"));
  }
  return queue(env, w);
}

// close(database): later calls are rejected; the database closes once idle.
napi_value Close(napi_env env, napi_callback_info info) {
  Args args(env, info);
  auto* db = unwrap<Database>(env, args[0], kDatabaseTag);
  if (db == nullptr) {
    return throw_value(env, argument_error(env, "database", "database must be a database handle"));
  }
  db->closing = true;
  db->close_if_idle();
  return undefined(env);
}

// startDispatcher(database) / stopDispatcher(database): the message dispatcher on the database's
// background thread (docs/settings.md). stop waits for the batch in progress.
napi_value DispatcherSwitch(napi_env env, napi_callback_info info, bool start) {
  Args args(env, info);
  napi_value error = nullptr;
  Database* db = open_database(env, args[0], &error);
  if (db == nullptr) return throw_value(env, error);
  dms_error* err = nullptr;
  const dms_status status =
      start ? dms_start_dispatcher(db->db, &err) : dms_stop_dispatcher(db->db, &err);
  if (status != DMS_OK) {
    napi_value e = make_error(env, err, status);
    dms_error_destroy(&err);
    return throw_value(env, e);
  }
  return undefined(env);
}
napi_value StartDispatcher(napi_env env, napi_callback_info info) {
  return DispatcherSwitch(env, info, true);
}
napi_value StopDispatcher(napi_env env, napi_callback_info info) {
  return DispatcherSwitch(env, info, false);
}

// A context argument that may be null or undefined (the anonymous caller): false when it is
// something else than a context handle.
bool optional_context(napi_env env, napi_value value, Context** out) {
  const napi_valuetype type = type_of(env, value);
  *out = nullptr;
  if (type == napi_null || type == napi_undefined) return true;
  *out = unwrap<Context>(env, value, kContextTag);
  return *out != nullptr;
}

// call(database, context|null, method, request: string | Uint8Array) -> Promise<string | Buffer>.
// The call waits in the database's queue until flush(database).
napi_value Call(napi_env env, napi_callback_info info) {
  Args args(env, info);
  napi_value error = nullptr;
  Database* db = open_database(env, args[0], &error);
  if (db == nullptr) return rejected(env, error);
  Context* context = nullptr;
  if (!optional_context(env, args[1], &context)) {
    return rejected(env, argument_error(env, "context", "context must be a context handle"));
  }
  auto* w = new Work(Work::Kind::kCall);
  w->database = db;
  w->context = context;
  if (!get_string(env, args[2], &w->name)) {
    delete w;
    return rejected(env, argument_error(env, "method", "method must be a string"));
  }
  if (type_of(env, args[3]) == napi_string) {
    get_string(env, args[3], &w->payload);
    w->format = DMS_FORMAT_JSON;
  } else if (get_bytes(env, args[3], &w->payload)) {
    w->format = DMS_FORMAT_PROTOBUF;
  } else {
    delete w;
    return rejected(env, argument_error(env, "request",
                                        "request must be JSON text or a Uint8Array of protobuf"));
  }
  return queue(env, w);
}

// flush(database): starts the queued calls, in up to `pool_threads` batches of about equal size
// (the wrapper calls it once per event-loop turn, so the calls of one turn share the hand-offs).
napi_value Flush(napi_env env, napi_callback_info info) {
  Args args(env, info);
  auto* db = unwrap<Database>(env, args[0], kDatabaseTag);
  if (db == nullptr) {
    return throw_value(env, argument_error(env, "database", "database must be a database handle"));
  }
  std::vector<Work*> pending;
  pending.swap(db->pending);
  const size_t batches = std::min(pending.size(), addon_data(env)->pool_threads);
  for (size_t b = 0, start = 0; b < batches; ++b) {
    const size_t end = start + (pending.size() - start) / (batches - b);
    dispatch(env, std::vector<Work*>(pending.begin() + static_cast<std::ptrdiff_t>(start),
                                     pending.begin() + static_cast<std::ptrdiff_t>(end)));
    start = end;
  }
  return undefined(env);
}

// login(database, login, password, metaJson?) -> Promise<{context, session: string}>
napi_value Login(napi_env env, napi_callback_info info) {
  Args args(env, info);
  napi_value error = nullptr;
  Database* db = open_database(env, args[0], &error);
  if (db == nullptr) return rejected(env, error);
  auto* w = new Work(Work::Kind::kLogin);
  w->database = db;
  if (!get_string(env, args[1], &w->name) || !get_string(env, args[2], &w->payload) ||
      !get_optional_string(env, args[3], &w->meta)) {
    delete w;
    return rejected(env, argument_error(env, "login", "login and password must be strings"));
  }
  return queue(env, w);
}

napi_value context_work(napi_env env, napi_callback_info info, Work::Kind kind, const char* field) {
  Args args(env, info);
  napi_value error = nullptr;
  Database* db = open_database(env, args[0], &error);
  if (db == nullptr) return rejected(env, error);
  auto* w = new Work(kind);
  w->database = db;
  if (!get_string(env, args[1], &w->name) || !get_optional_string(env, args[2], &w->meta)) {
    delete w;
    return rejected(env, argument_error(env, field, std::string(field) + " must be a string"));
  }
  return queue(env, w);
}

// contextFromToken(database, accessToken, metaJson?) -> Promise<context>
napi_value ContextFromToken(napi_env env, napi_callback_info info) {
  return context_work(env, info, Work::Kind::kContextFromToken, "accessToken");
}

// contextForUser(database, userId, metaJson?) -> Promise<context>  (trusted hosts only)
napi_value ContextForUser(napi_env env, napi_callback_info info) {
  return context_work(env, info, Work::Kind::kContextForUser, "userId");
}

// contextSystem(database, metaJson?) -> context  (trusted hosts only; no storage work)
napi_value ContextSystem(napi_env env, napi_callback_info info) {
  Args args(env, info);
  napi_value error = nullptr;
  Database* db = open_database(env, args[0], &error);
  if (db == nullptr) return throw_value(env, error);
  std::string meta;
  if (!get_optional_string(env, args[1], &meta)) {
    return throw_value(env, argument_error(env, "meta", "meta must be JSON text"));
  }
  dms_context* ctx = nullptr;
  dms_error* err = nullptr;
  const dms_status status =
      dms_context_system(db->db, meta.empty() ? nullptr : meta.c_str(), &ctx, &err);
  if (status != DMS_OK) {
    napi_value e = make_error(env, err, status);
    dms_error_destroy(&err);
    return throw_value(env, e);
  }
  return wrap_context(env, ctx);
}

// describeContext(context) -> JSON text {userId, userName, role, permissions, ...}
napi_value DescribeContext(napi_env env, napi_callback_info info) {
  Args args(env, info);
  auto* context = unwrap<Context>(env, args[0], kContextTag);
  if (context == nullptr) {
    return throw_value(env, argument_error(env, "context", "context must be a context handle"));
  }
  char* json = nullptr;
  dms_error* err = nullptr;
  const dms_status status = dms_context_describe(context->ctx, &json, &err);
  if (status != DMS_OK) {
    napi_value e = make_error(env, err, status);
    dms_error_destroy(&err);
    return throw_value(env, e);
  }
  napi_value out;
  napi_create_string_utf8(env, json, NAPI_AUTO_LENGTH, &out);
  dms_free(json);
  return out;
}

// exportReport(database, context, requestJson, path, progress?) -> JSON text: dms_export on the
// main thread (the progress callback is JavaScript, called synchronously with (done, total); a
// falsy return or a thrown exception cancels). Throws the library's error.
struct ExportProgressCall {
  napi_env env;
  napi_value callback;
  bool threw = false;
};

int export_progress(int64_t done, int64_t total, void* user_data) {
  auto* p = static_cast<ExportProgressCall*>(user_data);
  napi_value argv[2];
  napi_create_int64(p->env, done, &argv[0]);
  napi_create_int64(p->env, total, &argv[1]);
  napi_value global;
  napi_get_global(p->env, &global);
  napi_value result;
  if (napi_call_function(p->env, global, p->callback, 2, argv, &result) != napi_ok) {
    p->threw = true;
    return 0;
  }
  bool go_on = false;
  napi_value as_bool;
  napi_coerce_to_bool(p->env, result, &as_bool);
  napi_get_value_bool(p->env, as_bool, &go_on);
  return go_on ? 1 : 0;
}

napi_value ExportReport(napi_env env, napi_callback_info info) {
  Args args(env, info);
  napi_value error = nullptr;
  Database* db = open_database(env, args[0], &error);
  if (db == nullptr) return throw_value(env, error);
  Context* context = nullptr;
  if (!optional_context(env, args[1], &context)) {
    return throw_value(env, argument_error(env, "context", "context must be a context handle"));
  }
  std::string request;
  std::string path;
  if (!get_string(env, args[2], &request)) {
    return throw_value(env, argument_error(env, "request", "request must be JSON text"));
  }
  if (!get_string(env, args[3], &path)) {
    return throw_value(env, argument_error(env, "path", "path must be a string"));
  }
  ExportProgressCall progress{env, args[4]};
  const bool with_progress = type_of(env, args[4]) == napi_function;
  char* json = nullptr;
  dms_error* err = nullptr;
  const dms_status status =
      dms_export(db->db, context ? context->ctx : nullptr, request.c_str(), path.c_str(),
                 with_progress ? export_progress : nullptr, &progress, &json, &err);
  if (status != DMS_OK) {
    if (progress.threw) {  // the callback's own exception is pending: let it propagate
      dms_error_destroy(&err);
      return nullptr;
    }
    napi_value e = make_error(env, err, status);
    dms_error_destroy(&err);
    return throw_value(env, e);
  }
  napi_value out;
  napi_create_string_utf8(env, json, NAPI_AUTO_LENGTH, &out);
  dms_free(json);
  return out;
}

// convert(messageType, input: string | Uint8Array, to: "json" | "binary") -> string | Buffer
napi_value Convert(napi_env env, napi_callback_info info) {
  Args args(env, info);
  std::string type, input, to;
  if (!get_string(env, args[0], &type) || !get_string(env, args[2], &to) ||
      (to != "json" && to != "binary")) {
    return throw_value(
        env, argument_error(env, "messageType", "convert(messageType, input, 'json' | 'binary')"));
  }
  dms_format from = DMS_FORMAT_JSON;
  if (type_of(env, args[1]) == napi_string) {
    get_string(env, args[1], &input);
  } else if (get_bytes(env, args[1], &input)) {
    from = DMS_FORMAT_PROTOBUF;
  } else {
    return throw_value(env, argument_error(env, "input", "input must be a string or Uint8Array"));
  }
  const dms_format to_format = to == "json" ? DMS_FORMAT_JSON : DMS_FORMAT_PROTOBUF;
  void* out = nullptr;
  size_t size = 0;
  dms_error* err = nullptr;
  const dms_status status =
      dms_convert(type.c_str(), from, input.data(), input.size(), to_format, &out, &size, &err);
  if (status != DMS_OK) {
    napi_value e = make_error(env, err, status);
    dms_error_destroy(&err);
    return throw_value(env, e);
  }
  napi_value value;
  if (to_format == DMS_FORMAT_JSON) {
    napi_create_string_utf8(env, static_cast<const char*>(out), size, &value);
  } else {
    napi_create_buffer_copy(env, size, out, nullptr, &value);
  }
  dms_free(out);
  return value;
}

// ---- Committed-event feed -----------------------------------------------------------------------

// eventsSince(database, cursor, limit) -> Promise<string>: JSON text {events, cursor}.
napi_value EventsSince(napi_env env, napi_callback_info info) {
  Args args(env, info);
  napi_value error = nullptr;
  Database* db = open_database(env, args[0], &error);
  if (db == nullptr) return rejected(env, error);
  auto* w = new Work(Work::Kind::kEventsSince);
  w->database = db;
  if (!get_optional_string(env, args[1], &w->name)) {
    delete w;
    return rejected(env, argument_error(env, "cursor", "cursor must be a string"));
  }
  if (type_of(env, args[2]) != napi_undefined &&
      (type_of(env, args[2]) != napi_number ||
       napi_get_value_int32(env, args[2], &w->limit) != napi_ok)) {
    delete w;
    return rejected(env, argument_error(env, "limit", "limit must be a number"));
  }
  return queue(env, w);
}

// eventsHead(database) -> Promise<string>: the cursor after the newest committed event.
napi_value EventsHead(napi_env env, napi_callback_info info) {
  Args args(env, info);
  napi_value error = nullptr;
  Database* db = open_database(env, args[0], &error);
  if (db == nullptr) return rejected(env, error);
  auto* w = new Work(Work::Kind::kEventsHead);
  w->database = db;
  return queue(env, w);
}

// One subscription. Owned by its JS external; the threadsafe function's finalizer (which runs
// after close) releases the database, and whichever of the two finalizers runs last frees it.
struct Subscription {
  napi_env env = nullptr;
  dms_subscription* sub = nullptr;
  napi_threadsafe_function tsfn = nullptr;
  Database* database = nullptr;  // held while the threadsafe function lives
  bool closed = false;           // main thread only
  bool tsfn_finalized = false;   // main thread only
  bool external_finalized = false;
};

// What the subscription's thread hands to the main thread.
struct FeedItem {
  bool is_error = false;
  std::string text;  // event JSON, or the error message
  dms_status code = DMS_OK;
  std::string field;
};

void feed_on_event(void* user_data, const char* event_json, size_t size) {
  auto* s = static_cast<Subscription*>(user_data);
  auto* item = new FeedItem{false, std::string(event_json, size), DMS_OK, {}};
  if (napi_call_threadsafe_function(s->tsfn, item, napi_tsfn_nonblocking) != napi_ok) delete item;
}

void feed_on_error(void* user_data, const dms_error* error) {
  auto* s = static_cast<Subscription*>(user_data);
  auto* item =
      new FeedItem{true, dms_error_message(error), dms_error_code(error), dms_error_field(error)};
  if (napi_call_threadsafe_function(s->tsfn, item, napi_tsfn_nonblocking) != napi_ok) delete item;
}

// On the main thread: calls the JS callback (kind: 'event' | 'error', value), unless closed.
void feed_call_js(napi_env env, napi_value callback, void* context, void* data) {
  auto* s = static_cast<Subscription*>(context);
  auto* item = static_cast<FeedItem*>(data);
  if (env != nullptr && callback != nullptr && !s->closed) {
    napi_value args[2];
    napi_value global;
    napi_get_global(env, &global);
    if (item->is_error) {
      napi_create_string_utf8(env, "error", NAPI_AUTO_LENGTH, &args[0]);
      args[1] = make_error(env, item->code, dms_status_name(item->code), item->text.c_str(),
                           item->field.c_str(), "", "", true);
    } else {
      napi_create_string_utf8(env, "event", NAPI_AUTO_LENGTH, &args[0]);
      napi_create_string_utf8(env, item->text.data(), item->text.size(), &args[1]);
    }
    napi_value ignored;
    napi_call_function(env, global, callback, 2, args, &ignored);  // a throw surfaces as uncaught
  }
  delete item;
}

void stop_subscription(napi_env env, Subscription* s);

void feed_cleanup_hook(void* data) {
  auto* s = static_cast<Subscription*>(data);
  dms_subscription_close(&s->sub);  // the environment is going away: stop the thread
}

void stop_subscription(napi_env env, Subscription* s) {
  if (s->closed) return;
  s->closed = true;
  napi_remove_env_cleanup_hook(env, feed_cleanup_hook, s);
  dms_subscription_close(&s->sub);  // no C callback after this returns
  napi_release_threadsafe_function(s->tsfn, napi_tsfn_release);
}

void feed_tsfn_finalize(napi_env env, void* data, void*) {
  auto* s = static_cast<Subscription*>(data);
  s->tsfn_finalized = true;
  if (s->database != nullptr) {
    s->database->release(env);
    s->database->close_if_idle();
    s->database = nullptr;
  }
  if (s->external_finalized) delete s;
}

void finalize_subscription(napi_env env, void* data, void*) {
  auto* s = static_cast<Subscription*>(data);
  s->external_finalized = true;
  stop_subscription(env, s);
  if (s->tsfn_finalized) delete s;
}

// subscribe(database, cursor, optionsJson?, callback(kind, value)) -> subscription handle.
// Events arrive as callback('event', jsonText), read failures (retried) as callback('error', e).
napi_value Subscribe(napi_env env, napi_callback_info info) {
  Args args(env, info);
  napi_value error = nullptr;
  Database* db = open_database(env, args[0], &error);
  if (db == nullptr) return throw_value(env, error);
  std::string cursor, options;
  if (!get_optional_string(env, args[1], &cursor)) {
    return throw_value(env, argument_error(env, "cursor", "cursor must be a string"));
  }
  if (!get_optional_string(env, args[2], &options)) {
    return throw_value(env, argument_error(env, "options", "options must be JSON text"));
  }
  if (type_of(env, args[3]) != napi_function) {
    return throw_value(env, argument_error(env, "callback", "callback must be a function"));
  }
  auto* s = new Subscription;
  s->env = env;
  napi_value name;
  napi_create_string_utf8(env, "dms.subscription", NAPI_AUTO_LENGTH, &name);
  if (napi_create_threadsafe_function(env, args[3], nullptr, name, 0, 1, s, feed_tsfn_finalize, s,
                                      feed_call_js, &s->tsfn) != napi_ok) {
    delete s;
    return throw_value(env, argument_error(env, "callback", "cannot create the event channel"));
  }
  db->hold(env);
  s->database = db;
  dms_error* err = nullptr;
  const dms_status status =
      dms_subscribe_ext(db->db, cursor.c_str(), options.empty() ? nullptr : options.c_str(),
                        feed_on_event, feed_on_error, s, &s->sub, &err);
  if (status != DMS_OK) {
    napi_value e = make_error(env, err, status);
    dms_error_destroy(&err);
    s->closed = true;
    s->external_finalized = true;  // no external: the tsfn finalizer frees it
    napi_release_threadsafe_function(s->tsfn, napi_tsfn_release);
    return throw_value(env, e);
  }
  napi_add_env_cleanup_hook(env, feed_cleanup_hook, s);
  napi_value external;
  if (napi_create_external(env, s, finalize_subscription, nullptr, &external) != napi_ok) {
    stop_subscription(env, s);
    s->external_finalized = true;
    return nullptr;
  }
  napi_type_tag_object(env, external, &kSubscriptionTag);
  return external;
}

// unsubscribe(subscription): no event is delivered after it returns. Idempotent.
napi_value Unsubscribe(napi_env env, napi_callback_info info) {
  Args args(env, info);
  auto* s = unwrap<Subscription>(env, args[0], kSubscriptionTag);
  if (s == nullptr) {
    return throw_value(env, argument_error(env, "subscription", "subscription must be a handle"));
  }
  stop_subscription(env, s);
  return undefined(env);
}

void finalize_addon_data(napi_env env, void* data, void*) {
  auto* addon = static_cast<AddonData*>(data);
  if (addon->error_factory) napi_delete_reference(env, addon->error_factory);
  delete addon;
}

napi_value Init(napi_env env, napi_value exports) {
  auto* data = new AddonData;
  if (const char* size = std::getenv("UV_THREADPOOL_SIZE")) {
    const long threads = std::strtol(size, nullptr, 10);
    if (threads > 0 && threads <= 1024) data->pool_threads = static_cast<size_t>(threads);
  }
  napi_set_instance_data(env, data, finalize_addon_data, nullptr);
  const napi_property_descriptor functions[] = {
      {"setErrorFactory", nullptr, SetErrorFactory, nullptr, nullptr, nullptr, napi_default,
       nullptr},
      {"version", nullptr, Version, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"statusName", nullptr, StatusName, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"methods", nullptr, Methods, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"schema", nullptr, Schema, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"open", nullptr, Open, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"close", nullptr, Close, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"startDispatcher", nullptr, StartDispatcher, nullptr, nullptr, nullptr, napi_default,
       nullptr},
      {"stopDispatcher", nullptr, StopDispatcher, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"flush", nullptr, Flush, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"call", nullptr, Call, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"exportReport", nullptr, ExportReport, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"login", nullptr, Login, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"contextFromToken", nullptr, ContextFromToken, nullptr, nullptr, nullptr, napi_default,
       nullptr},
      {"contextForUser", nullptr, ContextForUser, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"contextSystem", nullptr, ContextSystem, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"describeContext", nullptr, DescribeContext, nullptr, nullptr, nullptr, napi_default,
       nullptr},
      {"convert", nullptr, Convert, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"eventsSince", nullptr, EventsSince, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"eventsHead", nullptr, EventsHead, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"subscribe", nullptr, Subscribe, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"unsubscribe", nullptr, Unsubscribe, nullptr, nullptr, nullptr, napi_default, nullptr},
  };
  napi_define_properties(env, exports, sizeof functions / sizeof functions[0], functions);
  return exports;
}

}  // namespace

NAPI_MODULE(NODE_GYP_MODULE_NAME, Init)
