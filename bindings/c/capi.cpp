// The C ABI (include/dms/dms.h) over dms::Database. Every entry point runs its body inside
// guarded(), which turns any exception into a status and, when asked for, a dms_error: nothing
// thrown in C++ crosses into C.
#include <google/protobuf/message.h>
#include <google/protobuf/stubs/logging.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <memory>
#include <new>
#include <string>
#include <utility>
#include <vector>

#include "dms/database.hpp"
#include "dms/dms.h"
#include "dms/error.hpp"
#include "dms/export.hpp"
#include "dms/version.hpp"
#include "wire.hpp"

struct dms_database {
  std::unique_ptr<dms::Database> db;
};

struct dms_context {
  dms::Context ctx;
};

struct dms_subscription {
  std::unique_ptr<dms::EventSubscription> subscription;
};

struct dms_error {
  dms_status code = DMS_OK;
  std::string message;
  std::string field;
  std::string from_state;
  std::string to_state;
};

namespace {

using dms::Error;
using dms::ErrorCode;
using dms::Json;
namespace pb = google::protobuf;

#define DMS_CHECK_CODE(macro, code) \
  static_assert((macro) == static_cast<int32_t>(ErrorCode::code), #macro " differs from " #code)
DMS_CHECK_CODE(DMS_OK, kOk);
DMS_CHECK_CODE(DMS_ERROR_UNAUTHENTICATED, kUnauthenticated);
DMS_CHECK_CODE(DMS_ERROR_INVALID_CREDENTIALS, kInvalidCredentials);
DMS_CHECK_CODE(DMS_ERROR_TOKEN_EXPIRED, kTokenExpired);
DMS_CHECK_CODE(DMS_ERROR_FORBIDDEN, kForbidden);
DMS_CHECK_CODE(DMS_ERROR_PASSWORD_CHANGE_REQUIRED, kPasswordChangeRequired);
DMS_CHECK_CODE(DMS_ERROR_ACCOUNT_LOCKED, kAccountLocked);
DMS_CHECK_CODE(DMS_ERROR_ACCOUNT_INACTIVE, kAccountInactive);
DMS_CHECK_CODE(DMS_ERROR_INVALID_TOKEN, kInvalidToken);
DMS_CHECK_CODE(DMS_ERROR_VALIDATION, kValidation);
DMS_CHECK_CODE(DMS_ERROR_OUT_OF_RANGE, kOutOfRange);
DMS_CHECK_CODE(DMS_ERROR_NOT_FOUND, kNotFound);
DMS_CHECK_CODE(DMS_ERROR_DUPLICATE, kDuplicate);
DMS_CHECK_CODE(DMS_ERROR_CONFLICT, kConflict);
DMS_CHECK_CODE(DMS_ERROR_BUSINESS_RULE, kBusinessRule);
DMS_CHECK_CODE(DMS_ERROR_INVALID_STATUS_TRANSITION, kInvalidStatusTransition);
DMS_CHECK_CODE(DMS_ERROR_INSUFFICIENT_STOCK, kInsufficientStock);
DMS_CHECK_CODE(DMS_ERROR_SERVICE_CENTER_INACTIVE, kServiceCenterInactive);
DMS_CHECK_CODE(DMS_ERROR_CANNOT_DEACTIVATE_SELF, kCannotDeactivateSelf);
DMS_CHECK_CODE(DMS_ERROR_ADMIN_ROLE_FIXED, kAdminRoleFixed);
DMS_CHECK_CODE(DMS_ERROR_RELEASE_EXCEEDS_ALLOCATED, kReleaseExceedsAllocated);
DMS_CHECK_CODE(DMS_ERROR_RELEASE_EXCEEDS_RESERVATION, kReleaseExceedsReservation);
DMS_CHECK_CODE(DMS_ERROR_VEHICLE_HAS_OPEN_JOB_CARD, kVehicleHasOpenJobCard);
DMS_CHECK_CODE(DMS_ERROR_CUSTOMER_HAS_OPEN_JOB_CARD, kCustomerHasOpenJobCard);
DMS_CHECK_CODE(DMS_ERROR_PARTS_REQUEST_PENDING, kPartsRequestPending);
DMS_CHECK_CODE(DMS_ERROR_CUSTOMER_ANSWER_PENDING, kCustomerAnswerPending);
DMS_CHECK_CODE(DMS_ERROR_SERVICE_LINE_DECLINED, kServiceLineDeclined);
DMS_CHECK_CODE(DMS_ERROR_SERVICE_LINE_NOT_APPROVED, kServiceLineNotApproved);
DMS_CHECK_CODE(DMS_ERROR_NO_ADDITIONAL_SERVICE_PENDING, kNoAdditionalServicePending);
DMS_CHECK_CODE(DMS_ERROR_SERVICE_LINES_CLOSED, kServiceLinesClosed);
DMS_CHECK_CODE(DMS_ERROR_PRE_INSPECTION_CLOSED, kPreInspectionClosed);
DMS_CHECK_CODE(DMS_ERROR_JOB_CARD_CLOSED_FOR_PARTS, kJobCardClosedForParts);
DMS_CHECK_CODE(DMS_ERROR_PARTS_RETURN_CLOSED, kPartsReturnClosed);
DMS_CHECK_CODE(DMS_ERROR_INVOICE_NOT_PAID, kInvoiceNotPaid);
DMS_CHECK_CODE(DMS_ERROR_CUSTOMER_APPROVAL_REQUIRED, kCustomerApprovalRequired);
DMS_CHECK_CODE(DMS_ERROR_INVOICED_BY_INVOICE, kInvoicedByInvoice);
DMS_CHECK_CODE(DMS_ERROR_INVOICE_NOT_FINALIZED, kInvoiceNotFinalized);
DMS_CHECK_CODE(DMS_ERROR_JOB_CARD_ALREADY_INVOICED, kJobCardAlreadyInvoiced);
DMS_CHECK_CODE(DMS_ERROR_JOB_CARD_NOT_COMPLETED, kJobCardNotCompleted);
DMS_CHECK_CODE(DMS_ERROR_NOTHING_TO_INVOICE, kNothingToInvoice);
DMS_CHECK_CODE(DMS_ERROR_INVOICE_NOT_DRAFT, kInvoiceNotDraft);
DMS_CHECK_CODE(DMS_ERROR_JOB_CARD_ITEMS_FIXED, kJobCardItemsFixed);
DMS_CHECK_CODE(DMS_ERROR_CREDIT_NOTE_REQUIRED, kCreditNoteRequired);
DMS_CHECK_CODE(DMS_ERROR_SERVICE_CENTER_NO_GST_STATE, kServiceCenterNoGstState);
DMS_CHECK_CODE(DMS_ERROR_DOCUMENT_IS_CREDIT_NOTE, kDocumentIsCreditNote);
DMS_CHECK_CODE(DMS_ERROR_INVOICE_IS_DRAFT, kInvoiceIsDraft);
DMS_CHECK_CODE(DMS_ERROR_PART_HSN_MISSING, kPartHsnMissing);
DMS_CHECK_CODE(DMS_ERROR_LEAD_CLOSED, kLeadClosed);
DMS_CHECK_CODE(DMS_ERROR_QUOTATION_NOT_DRAFT, kQuotationNotDraft);
DMS_CHECK_CODE(DMS_ERROR_QUOTATION_EXPIRED, kQuotationExpired);
DMS_CHECK_CODE(DMS_ERROR_COUNTER_ORDER_NO_VEHICLES, kCounterOrderNoVehicles);
DMS_CHECK_CODE(DMS_ERROR_COUNTER_ORDER_NOT_RESERVED, kCounterOrderNotReserved);
DMS_CHECK_CODE(DMS_ERROR_COUNTER_ORDER_INVOICED, kCounterOrderInvoiced);
DMS_CHECK_CODE(DMS_ERROR_DELIVERY_METHOD_MISMATCH, kDeliveryMethodMismatch);
DMS_CHECK_CODE(DMS_ERROR_COUNTER_ORDER_ITEMS_FIXED, kCounterOrderItemsFixed);
DMS_CHECK_CODE(DMS_ERROR_MESSAGE_BODY_ERASED, kMessageBodyErased);
DMS_CHECK_CODE(DMS_ERROR_PURCHASE_REQUEST_LOCATIONS_DIFFER, kPurchaseRequestLocationsDiffer);
DMS_CHECK_CODE(DMS_ERROR_JOB_KIND_NOT_REGISTERED, kJobKindNotRegistered);
DMS_CHECK_CODE(DMS_ERROR_EXPORT_CANCELLED, kExportCancelled);
DMS_CHECK_CODE(DMS_ERROR_EXPORT_FORMAT_UNSUPPORTED, kExportFormatUnsupported);
DMS_CHECK_CODE(DMS_ERROR_INVOICE_HAS_NO_NUMBER, kInvoiceHasNoNumber);
DMS_CHECK_CODE(DMS_ERROR_CUSTOMER_NO_EMAIL, kCustomerNoEmail);
DMS_CHECK_CODE(DMS_ERROR_RATE_LIMITED, kRateLimited);
DMS_CHECK_CODE(DMS_ERROR_STORAGE, kStorage);
DMS_CHECK_CODE(DMS_ERROR_UNAVAILABLE, kUnavailable);
DMS_CHECK_CODE(DMS_ERROR_INTERNAL, kInternal);
#undef DMS_CHECK_CODE
static_assert(DMS_VERSION_NUMBER > 0, "dms/version.h is generated by CMake");

// ---- Errors -------------------------------------------------------------------------------------

dms_status report(dms_error** out_error, ErrorCode code, const std::string& message,
                  const std::string& field = {}, const std::string& from_state = {},
                  const std::string& to_state = {}) noexcept {
  const auto status = static_cast<dms_status>(code);
  if (out_error == nullptr) return status;
  try {
    auto* error = new dms_error;
    error->code = status;
    error->message = message;
    error->field = field;
    error->from_state = from_state;
    error->to_state = to_state;
    *out_error = error;
  } catch (...) {
    *out_error = nullptr;  // out of memory: the status alone must do
  }
  return status;
}

// Runs `body` and maps every exception to a status: the one place C++ errors become C errors.
template <class Body>
dms_status guarded(dms_error** out_error, Body&& body) noexcept {
  try {
    body();
    return DMS_OK;
  } catch (const Error& e) {
    return report(out_error, e.code(), e.message(), e.field(), e.from_state(), e.to_state());
  } catch (const std::bad_alloc&) {
    return report(out_error, ErrorCode::kInternal, "out of memory");
  } catch (const std::exception& e) {
    return report(out_error, ErrorCode::kInternal, e.what());
  } catch (...) {
    return report(out_error, ErrorCode::kInternal, "unknown exception");
  }
}

template <class T>
void require_out(T** out, const char* name) {
  if (out == nullptr) throw Error::Validation(name, std::string(name) + " must not be NULL");
  *out = nullptr;
}

template <class T>
T& require_handle(T* handle, const char* name) {
  if (handle == nullptr) throw Error::Validation(name, std::string(name) + " must not be NULL");
  return *handle;
}

std::string require_text(const char* text, const char* name) {
  if (text == nullptr) throw Error::Validation(name, std::string(name) + " must not be NULL");
  return text;
}

// ---- Buffers ------------------------------------------------------------------------------------

// A malloc'd copy of `bytes` for dms_free, always NUL-terminated (JSON is text; for binary the
// extra byte also keeps an empty response a valid non-NULL buffer).
void* copy_out(const std::string& bytes) {
  void* buffer = std::malloc(bytes.size() + 1);
  if (buffer == nullptr) throw std::bad_alloc();
  std::memcpy(buffer, bytes.data(), bytes.size());
  static_cast<char*>(buffer)[bytes.size()] = '\0';
  return buffer;
}

char* json_out(const Json& document) {
  return static_cast<char*>(copy_out(dms::json_text(document)));
}

// ---- Reading requests ---------------------------------------------------------------------------

void check_size(size_t size, const void* data, const char* field) {
  if (size > DMS_MAX_REQUEST_BYTES) {
    throw Error::Validation(field, std::string(field) + " is larger than " +
                                       std::to_string(DMS_MAX_REQUEST_BYTES) + " bytes");
  }
  if (size > 0 && data == nullptr) {
    throw Error::Validation(field, std::string(field) + " is NULL but its size is not 0");
  }
}

// One pass over JSON text before parsing. Later stages (printing, the services) recurse over the
// document, so depth is bounded first: counting brackets outside strings gives the depth of any
// text the parser accepts. A NUL byte is rejected because the parser would take it for the end.
void check_text(const char* text, size_t size, const char* field) {
  int depth = 0;
  bool in_string = false;
  for (size_t i = 0; i < size; ++i) {
    const char c = text[i];
    if (c == '\0') throw Error::Validation(field, std::string(field) + " contains a NUL byte");
    if (in_string) {
      if (c == '\\')
        ++i;
      else if (c == '"')
        in_string = false;
    } else if (c == '"') {
      in_string = true;
    } else if (c == '{' || c == '[') {
      if (++depth > DMS_MAX_JSON_DEPTH) {
        throw Error::Validation(field, std::string(field) + " is nested deeper than " +
                                           std::to_string(DMS_MAX_JSON_DEPTH) + " levels");
      }
    } else if (c == '}' || c == ']') {
      --depth;
    }
  }
}

// A JSON object from text; empty text is an empty object.
Json parse_object(const void* data, size_t size, const char* field) {
  check_size(size, data, field);
  if (size == 0) return Json::object();
  const char* text = static_cast<const char*>(data);
  check_text(text, size, field);
  Json document = Json::parse(text, text + size, nullptr, /*allow_exceptions=*/false);
  if (document.is_discarded()) {
    throw Error::Validation(field, std::string(field) + " is not valid JSON");
  }
  if (!document.is_object()) {
    throw Error::Validation(field, std::string(field) + " must be a JSON object");
  }
  return document;
}

Json parse_object(const char* text, const char* field) {
  return text == nullptr ? Json::object() : parse_object(text, std::strlen(text), field);
}

std::string meta_string(const Json& meta, const char* key) {
  auto it = meta.find(key);
  if (it == meta.end() || it->is_null()) return {};
  if (!it->is_string()) throw Error::Validation(key, std::string(key) + " must be a string");
  return it->get<std::string>();
}

dms::RequestMeta parse_meta(const char* meta_json) {
  const Json meta = parse_object(meta_json, "meta_json");
  for (const auto& [key, value] : meta.items()) {
    if (key != "requestId" && key != "ip" && key != "userAgent" && key != "idempotencyKey") {
      throw Error::Validation(key, "unknown request metadata '" + key.substr(0, 100) + "'");
    }
  }
  dms::RequestMeta out;
  out.request_id = meta_string(meta, "requestId");
  out.ip = meta_string(meta, "ip");
  out.user_agent = meta_string(meta, "userAgent");
  out.idempotency_key = meta_string(meta, "idempotencyKey");
  return out;
}

dms::DatabaseOptions parse_options(const char* url, const char* options_json) {
  dms::DatabaseOptions options;
  options.url = require_text(url, "url");
  const Json json = parse_object(options_json, "options_json");
  for (const auto& [key, value] : json.items()) {
    if (key == "sqliteSynchronous" && value.is_string()) {
      options.sqlite_synchronous = value.get<std::string>();
    } else if (key == "poolSize" && value.is_number_integer() && value.get<int64_t>() > 0 &&
               value.get<int64_t>() <= 1000) {
      options.pool_size = value.get<int>();
    } else if (key == "tokenSecret" && value.is_string()) {
      options.token_secret = value.get<std::string>();
    } else if (key == "delivery") {
      options.delivery = dms::DeliverySettings::from_json(value);
    } else if (key == "background") {
      options.background = dms::BackgroundSettings::from_json(value);
    } else if (key == "readerUrl" && value.is_string()) {
      options.reader_url = value.get<std::string>();
    } else {
      throw Error::Validation(key, "unknown or invalid option '" + key.substr(0, 100) + "'");
    }
  }
  return options;
}

// ---- Binary protobuf ----------------------------------------------------------------------------

std::unique_ptr<pb::Message> new_message(const pb::Descriptor* type) {
  const pb::Message* prototype = pb::MessageFactory::generated_factory()->GetPrototype(type);
  if (prototype == nullptr) throw Error::Internal("no message class for " + type->full_name());
  return std::unique_ptr<pb::Message>(prototype->New());
}

// Parses binary protobuf. The parser's log line about invalid UTF-8 is silenced: the caller gets
// the error as a code, and a library must not write to the host's stderr.
void parse_binary(pb::Message& message, const void* data, size_t size, const char* field) {
  check_size(size, data, field);
  if (size == 0) return;
  const pb::LogSilencer quiet;
  if (!message.ParseFromArray(data, static_cast<int>(size))) {
    throw Error::Validation(field, std::string(field) + " is not a valid " +
                                       message.GetDescriptor()->full_name() + " message");
  }
}

Json decode_binary(const pb::Descriptor* type, const void* data, size_t size, const char* field) {
  auto message = new_message(type);
  parse_binary(*message, data, size, field);
  return dms::wire::to_json(*message);
}

std::string encode_binary(const pb::Descriptor* type, const Json& document, const char* field) {
  auto message = new_message(type);
  dms::wire::from_json(document, *message, field);
  std::string bytes;
  if (!message->SerializeToString(&bytes)) {
    throw Error::Internal("cannot serialize " + type->full_name());
  }
  return bytes;
}

// The request and response messages of a method, for the binary format.
const dms::wire::MethodTypes& require_schema(const std::string& method) {
  const dms::wire::MethodTypes* types = dms::wire::find_method(method);
  if (types != nullptr) return *types;
  const std::vector<std::string> registered = dms::Database::methods();
  const std::string shown = method.substr(0, 100);
  if (!std::binary_search(registered.begin(), registered.end(), method)) {
    throw Error(ErrorCode::kNotFound, "unknown method '" + shown + "'", "method");
  }
  throw Error(ErrorCode::kNotFound,
              "method '" + shown + "' has no protobuf schema; call it in the JSON format",
              "method");
}

void check_format(dms_format format, const char* field) {
  if (format != DMS_FORMAT_JSON && format != DMS_FORMAT_PROTOBUF) {
    throw Error::Validation(field,
                            std::string(field) + " must be DMS_FORMAT_JSON or DMS_FORMAT_PROTOBUF");
  }
}

dms_context* new_context(dms::Context ctx) {
  return new dms_context{std::move(ctx)};
}

}  // namespace

// ---- Version and memory -------------------------------------------------------------------------

extern "C" int32_t dms_libversion_number(void) {
  return dms::version_number();
}
extern "C" const char* dms_libversion(void) {
  return dms::version_string();
}
extern "C" void dms_free(void* buffer) {
  std::free(buffer);
}

// ---- Errors -------------------------------------------------------------------------------------

extern "C" dms_status dms_error_code(const dms_error* error) {
  return error == nullptr ? DMS_OK : error->code;
}
extern "C" const char* dms_error_name(const dms_error* error) {
  return dms_status_name(dms_error_code(error));
}
extern "C" const char* dms_error_message(const dms_error* error) {
  return error == nullptr ? "" : error->message.c_str();
}
extern "C" const char* dms_error_field(const dms_error* error) {
  return error == nullptr ? "" : error->field.c_str();
}
extern "C" const char* dms_error_from_state(const dms_error* error) {
  return error == nullptr ? "" : error->from_state.c_str();
}
extern "C" const char* dms_error_to_state(const dms_error* error) {
  return error == nullptr ? "" : error->to_state.c_str();
}
extern "C" int dms_error_retryable(const dms_error* error) {
  return error != nullptr && dms::error_info(static_cast<ErrorCode>(error->code)).retryable ? 1 : 0;
}
extern "C" void dms_error_destroy(dms_error** error) {
  if (error == nullptr) return;
  delete *error;
  *error = nullptr;
}
extern "C" const char* dms_status_name(dms_status status) {
  return dms::error_info(static_cast<ErrorCode>(status)).name;
}

// ---- Database -----------------------------------------------------------------------------------

extern "C" dms_status dms_open(const char* url, dms_database** out_database,
                               dms_error** out_error) {
  return dms_open_ext(url, nullptr, out_database, out_error);
}

extern "C" dms_status dms_open_ext(const char* url, const char* options_json,
                                   dms_database** out_database, dms_error** out_error) {
  return guarded(out_error, [&] {
    require_out(out_database, "out_database");
    auto handle = std::make_unique<dms_database>();
    handle->db = dms::Database::open(parse_options(url, options_json));
    *out_database = handle.release();
  });
}

extern "C" void dms_close(dms_database** database) {
  if (database == nullptr) return;
  delete *database;  // ~Database does not throw
  *database = nullptr;
}

extern "C" dms_status dms_start_dispatcher(dms_database* database, dms_error** out_error) {
  return guarded(out_error, [&] { require_handle(database, "database").db->start_dispatcher(); });
}

extern "C" dms_status dms_stop_dispatcher(dms_database* database, dms_error** out_error) {
  return guarded(out_error, [&] { require_handle(database, "database").db->stop_dispatcher(); });
}

// ---- Contexts -----------------------------------------------------------------------------------

extern "C" dms_status dms_login(dms_database* database, const char* login, const char* password,
                                const char* meta_json, dms_context** out_context,
                                char** out_session_json, dms_error** out_error) {
  if (out_session_json != nullptr) *out_session_json = nullptr;
  return guarded(out_error, [&] {
    require_out(out_context, "out_context");
    dms::Database& db = *require_handle(database, "database").db;
    const dms::RequestMeta meta = parse_meta(meta_json);
    const Json session =
        db.login(require_text(login, "login"), require_text(password, "password"), meta);
    auto it = session.find("accessToken");
    if (it == session.end() || !it->is_string()) {
      throw Error::Internal("auth.Login returned no accessToken");
    }
    auto context = std::unique_ptr<dms_context>(
        new_context(db.context_from_token(it->get<std::string>(), meta)));
    if (out_session_json != nullptr) *out_session_json = json_out(session);
    *out_context = context.release();
  });
}

extern "C" dms_status dms_context_from_token(dms_database* database, const char* access_token,
                                             const char* meta_json, dms_context** out_context,
                                             dms_error** out_error) {
  return guarded(out_error, [&] {
    require_out(out_context, "out_context");
    dms::Database& db = *require_handle(database, "database").db;
    *out_context = new_context(
        db.context_from_token(require_text(access_token, "access_token"), parse_meta(meta_json)));
  });
}

extern "C" dms_status dms_context_for_user(dms_database* database, const char* user_id,
                                           const char* meta_json, dms_context** out_context,
                                           dms_error** out_error) {
  return guarded(out_error, [&] {
    require_out(out_context, "out_context");
    dms::Database& db = *require_handle(database, "database").db;
    *out_context =
        new_context(db.context_for_user(require_text(user_id, "user_id"), parse_meta(meta_json)));
  });
}

extern "C" dms_status dms_context_system(dms_database* database, const char* meta_json,
                                         dms_context** out_context, dms_error** out_error) {
  return guarded(out_error, [&] {
    require_out(out_context, "out_context");
    dms::Database& db = *require_handle(database, "database").db;
    dms::Context ctx = db.system_context();
    ctx.meta = parse_meta(meta_json);
    *out_context = new_context(std::move(ctx));
  });
}

extern "C" dms_status dms_context_describe(const dms_context* context, char** out_json,
                                           dms_error** out_error) {
  return guarded(out_error, [&] {
    require_out(out_json, "out_json");
    const dms::Context& ctx = require_handle(context, "context").ctx;
    Json described = {
        {"userId", ctx.user_id},      {"userName", ctx.user_name},
        {"role", ctx.role},           {"permissions", ctx.permissions},
        {"serviceCenterId", nullptr}, {"passwordChangeRequired", ctx.password_change_required}};
    if (ctx.service_center_id) described["serviceCenterId"] = *ctx.service_center_id;
    *out_json = json_out(described);
  });
}

extern "C" void dms_context_destroy(dms_context** context) {
  if (context == nullptr) return;
  delete *context;
  *context = nullptr;
}

// ---- Calls --------------------------------------------------------------------------------------

extern "C" dms_status dms_call(dms_database* database, const dms_context* context,
                               const char* method, dms_format format, const void* request,
                               size_t request_size, void** out_response, size_t* out_response_size,
                               dms_error** out_error) {
  if (out_response_size != nullptr) *out_response_size = 0;
  return guarded(out_error, [&] {
    require_out(out_response, "out_response");
    if (out_response_size == nullptr) {
      throw Error::Validation("out_response_size", "out_response_size must not be NULL");
    }
    dms::Database& db = *require_handle(database, "database").db;
    const std::string name = require_text(method, "method");
    check_format(format, "format");

    dms::Context anonymous;
    anonymous.clock = &db.clock();
    const dms::Context& ctx = context != nullptr ? context->ctx : anonymous;

    std::string response;
    if (format == DMS_FORMAT_JSON) {
      const Json result = db.call(ctx, name, parse_object(request, request_size, "request"));
      response = dms::json_text(result);
    } else {
      const dms::wire::MethodTypes& types = require_schema(name);
      const Json result =
          db.call(ctx, name, decode_binary(types.request, request, request_size, "request"));
      try {
        response = encode_binary(types.response, result, "response");
      } catch (const Error& e) {
        throw Error::Internal("the response of " + name + " does not match " +
                              types.response->full_name() + ": " + e.message());
      }
    }
    *out_response = copy_out(response);
    *out_response_size = response.size();
  });
}

// ---- Exports ------------------------------------------------------------------------------------

extern "C" dms_status dms_export(dms_database* database, const dms_context* context,
                                 const char* request_json, const char* path,
                                 dms_export_progress progress, void* user_data, char** out_json,
                                 dms_error** out_error) {
  return guarded(out_error, [&] {
    dms::Database& db = *require_handle(database, "database").db;
    const std::string request = require_text(request_json, "request_json");
    const std::string file = require_text(path, "path");
    dms::Context anonymous;
    anonymous.clock = &db.clock();
    const dms::Context& ctx = context != nullptr ? context->ctx : anonymous;
    dms::ExportProgress on_progress;
    if (progress != nullptr) {
      on_progress = [&](int64_t done, int64_t total) {
        return progress(done, total, user_data) != 0;
      };
    }
    const Json result = dms::export_report(
        db, ctx, parse_object(request.data(), request.size(), "request_json"), file, on_progress);
    if (out_json != nullptr) *out_json = static_cast<char*>(copy_out(dms::json_text(result)));
  });
}

// ---- Schema -------------------------------------------------------------------------------------

extern "C" dms_status dms_methods(char** out_json, dms_error** out_error) {
  return guarded(out_error, [&] {
    require_out(out_json, "out_json");
    *out_json = json_out(dms::Database::methods());
  });
}

extern "C" dms_status dms_schema(char** out_json, dms_error** out_error) {
  return guarded(out_error, [&] {
    require_out(out_json, "out_json");
    *out_json = json_out(dms::wire::describe_schema());
  });
}

extern "C" dms_status dms_convert(const char* message_type, dms_format from_format,
                                  const void* input, size_t input_size, dms_format to_format,
                                  void** out_output, size_t* out_output_size,
                                  dms_error** out_error) {
  if (out_output_size != nullptr) *out_output_size = 0;
  return guarded(out_error, [&] {
    require_out(out_output, "out_output");
    if (out_output_size == nullptr) {
      throw Error::Validation("out_output_size", "out_output_size must not be NULL");
    }
    const std::string name = require_text(message_type, "message_type");
    check_format(from_format, "from_format");
    check_format(to_format, "to_format");
    const pb::Descriptor* type = dms::wire::find_message(name);
    if (type == nullptr) {
      throw Error(ErrorCode::kNotFound, "no message '" + name.substr(0, 100) + "' in the schema",
                  "message_type");
    }
    std::string output;
    auto message = new_message(type);
    if (from_format == DMS_FORMAT_JSON) {
      dms::wire::from_json(parse_object(input, input_size, "input"), *message, "input");
    } else {
      parse_binary(*message, input, input_size, "input");
    }
    if (to_format == DMS_FORMAT_JSON) {
      output = dms::json_text(dms::wire::to_json(*message));
    } else if (!message->SerializeToString(&output)) {
      throw Error::Internal("cannot serialize " + name);
    }
    *out_output = copy_out(output);
    *out_output_size = output.size();
  });
}

// ---- Committed-event feed -----------------------------------------------------------------------

namespace {

dms::Database::SubscribeOptions parse_subscribe_options(const char* options_json) {
  dms::Database::SubscribeOptions options;
  const Json json = parse_object(options_json, "options_json");
  for (const auto& [key, value] : json.items()) {
    if (key == "pollIntervalMs" && value.is_number_integer() && value.get<int64_t>() >= 1 &&
        value.get<int64_t>() <= 600000) {
      options.poll_interval = std::chrono::milliseconds(value.get<int64_t>());
    } else if (key == "batch" && value.is_number_integer() && value.get<int64_t>() >= 1 &&
               value.get<int64_t>() <= 1000) {
      options.batch = value.get<int>();
    } else {
      throw Error::Validation(key, "unknown or invalid option '" + key.substr(0, 100) + "'");
    }
  }
  return options;
}

}  // namespace

extern "C" dms_status dms_events_since(dms_database* database, const char* cursor, int32_t limit,
                                       char** out_json, dms_error** out_error) {
  return guarded(out_error, [&] {
    require_out(out_json, "out_json");
    dms::Database& db = *require_handle(database, "database").db;
    const dms::Database::EventPage page = db.events_since(cursor == nullptr ? "" : cursor, limit);
    *out_json = json_out(Json{{"events", page.events}, {"cursor", page.cursor}});
  });
}

extern "C" dms_status dms_events_head(dms_database* database, char** out_cursor,
                                      dms_error** out_error) {
  return guarded(out_error, [&] {
    require_out(out_cursor, "out_cursor");
    dms::Database& db = *require_handle(database, "database").db;
    *out_cursor = static_cast<char*>(copy_out(db.events_head()));
  });
}

extern "C" dms_status dms_subscribe(dms_database* database, const char* cursor,
                                    dms_event_callback on_event, void* user_data,
                                    dms_subscription** out_subscription, dms_error** out_error) {
  return dms_subscribe_ext(database, cursor, nullptr, on_event, nullptr, user_data,
                           out_subscription, out_error);
}

extern "C" dms_status dms_subscribe_ext(dms_database* database, const char* cursor,
                                        const char* options_json, dms_event_callback on_event,
                                        dms_subscription_error_callback on_error, void* user_data,
                                        dms_subscription** out_subscription,
                                        dms_error** out_error) {
  return guarded(out_error, [&] {
    require_out(out_subscription, "out_subscription");
    dms::Database& db = *require_handle(database, "database").db;
    if (on_event == nullptr) throw Error::Validation("on_event", "on_event must not be NULL");
    const dms::Database::SubscribeOptions options = parse_subscribe_options(options_json);
    auto deliver = [on_event, user_data](const Json& event) {
      const std::string text = dms::json_text(event);
      on_event(user_data, text.c_str(), text.size());
    };
    std::function<void(const Error&)> failed;
    if (on_error != nullptr) {
      failed = [on_error, user_data](const Error& e) {
        dms_error error;
        error.code = static_cast<dms_status>(e.code());
        error.message = e.message();
        error.field = e.field();
        on_error(user_data, &error);
      };
    }
    auto handle = std::make_unique<dms_subscription>();
    handle->subscription =
        db.subscribe(cursor == nullptr ? "" : cursor, deliver, std::move(failed), options);
    *out_subscription = handle.release();
  });
}

extern "C" dms_status dms_subscription_cursor(const dms_subscription* subscription,
                                              char** out_cursor, dms_error** out_error) {
  return guarded(out_error, [&] {
    require_out(out_cursor, "out_cursor");
    const dms_subscription& handle = require_handle(subscription, "subscription");
    *out_cursor = static_cast<char*>(copy_out(handle.subscription->cursor()));
  });
}

extern "C" void dms_subscription_close(dms_subscription** subscription) {
  if (subscription == nullptr || *subscription == nullptr) return;
  (*subscription)->subscription->close();  // waits for a callback in flight; does not throw
  delete *subscription;
  *subscription = nullptr;
}
