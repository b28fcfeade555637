/* The C ABI (include/dms/dms.h) from C: handles, errors, calls in both formats, and the clean
 * rejection of bad input (malformed JSON, unknown methods, wrong types, huge and deep inputs). */
#include <stdlib.h>

#include "check.h"

static dms_database* open_memory(void) {
  dms_database* db = NULL;
  dms_error* err = NULL;
  CHECK_STATUS(dms_open(":memory:", &db, &err), DMS_OK, err);
  dms_error_destroy(&err);
  return db;
}

/* Calls `method` with a JSON request; returns the status and leaves the response (or NULL) in
 * *out and the error (or NULL) in *err. */
static dms_status call_json(dms_database* db, const dms_context* ctx, const char* method,
                            const char* request, char** out, dms_error** err) {
  size_t size = 0;
  void* response = NULL;
  *err = NULL;
  dms_status status = dms_call(db, ctx, method, DMS_FORMAT_JSON, request,
                               request ? strlen(request) : 0, &response, &size, err);
  *out = (char*)response;
  if (status == DMS_OK) {
    CHECK(response != NULL);
    CHECK(strlen((char*)response) == size);
    CHECK(*err == NULL);
  } else {
    CHECK(response == NULL);
    CHECK(size == 0);
    CHECK(*err != NULL);
    CHECK(dms_error_code(*err) == status);
    CHECK(strlen(dms_error_message(*err)) > 0);
  }
  return status;
}

/* Expects `method` with `request` to fail with `code` on `field`. */
static void expect_error(dms_database* db, const dms_context* ctx, const char* method,
                         const char* request, dms_status code, const char* field) {
  char* out = NULL;
  dms_error* err = NULL;
  dms_status status = call_json(db, ctx, method, request, &out, &err);
  CHECK(status == code);
  if (status != code || strcmp(dms_error_field(err), field) != 0) {
    fprintf(stderr, "  %s %s -> %d %s (%s) field '%s'; expected %d field '%s'\n", method,
            request ? request : "(null)", (int)status, dms_error_name(err), dms_error_message(err),
            dms_error_field(err), (int)code, field);
  }
  CHECK_STR(dms_error_field(err), field);
  dms_free(out);
  dms_error_destroy(&err);
}

TEST(version_macros_match_the_library) {
  CHECK(dms_libversion_number() == DMS_VERSION_NUMBER);
  CHECK_STR(dms_libversion(), DMS_VERSION_STRING);
  CHECK(DMS_VERSION_NUMBER ==
        DMS_VERSION_MAJOR * 1000000 + DMS_VERSION_MINOR * 1000 + DMS_VERSION_PATCH);
}

TEST(destroy_functions_accept_null_and_null_the_handle) {
  dms_database* db = NULL;
  dms_context* ctx = NULL;
  dms_error* err = NULL;
  dms_close(NULL);
  dms_close(&db);
  dms_context_destroy(NULL);
  dms_context_destroy(&ctx);
  dms_error_destroy(NULL);
  dms_error_destroy(&err);
  dms_free(NULL);
  CHECK(db == NULL && ctx == NULL && err == NULL);

  db = open_memory();
  CHECK(db != NULL);
  CHECK_STATUS(dms_context_system(db, NULL, &ctx, &err), DMS_OK, err);
  CHECK(ctx != NULL);
  dms_context_destroy(&ctx);
  CHECK(ctx == NULL);
  dms_close(&db);
  CHECK(db == NULL);
}

TEST(error_accessors_are_null_safe) {
  CHECK(dms_error_code(NULL) == DMS_OK);
  CHECK_STR(dms_error_name(NULL), "OK");
  CHECK_STR(dms_error_message(NULL), "");
  CHECK_STR(dms_error_field(NULL), "");
  CHECK_STR(dms_error_from_state(NULL), "");
  CHECK_STR(dms_error_to_state(NULL), "");
  CHECK(dms_error_retryable(NULL) == 0);
}

TEST(every_status_has_its_stable_name) {
  struct {
    dms_status code;
    const char* name;
    int retryable;
  } codes[] = {
      {DMS_OK, "OK", 0},
      {DMS_ERROR_UNAUTHENTICATED, "UNAUTHENTICATED", 0},
      {DMS_ERROR_INVALID_CREDENTIALS, "INVALID_CREDENTIALS", 0},
      {DMS_ERROR_TOKEN_EXPIRED, "TOKEN_EXPIRED", 0},
      {DMS_ERROR_FORBIDDEN, "FORBIDDEN", 0},
      {DMS_ERROR_PASSWORD_CHANGE_REQUIRED, "PASSWORD_CHANGE_REQUIRED", 0},
      {DMS_ERROR_ACCOUNT_LOCKED, "ACCOUNT_LOCKED", 0},
      {DMS_ERROR_ACCOUNT_INACTIVE, "ACCOUNT_INACTIVE", 0},
      {DMS_ERROR_INVALID_TOKEN, "INVALID_TOKEN", 0},
      {DMS_ERROR_VALIDATION, "VALIDATION_ERROR", 0},
      {DMS_ERROR_OUT_OF_RANGE, "OUT_OF_RANGE", 0},
      {DMS_ERROR_NOT_FOUND, "NOT_FOUND", 0},
      {DMS_ERROR_DUPLICATE, "DUPLICATE", 0},
      {DMS_ERROR_CONFLICT, "CONFLICT", 1},
      {DMS_ERROR_BUSINESS_RULE, "BUSINESS_RULE", 0},
      {DMS_ERROR_INVALID_STATUS_TRANSITION, "INVALID_STATUS_TRANSITION", 0},
      {DMS_ERROR_INSUFFICIENT_STOCK, "INSUFFICIENT_STOCK", 0},
      {DMS_ERROR_SERVICE_CENTER_INACTIVE, "SERVICE_CENTER_INACTIVE", 0},
      {DMS_ERROR_CANNOT_DEACTIVATE_SELF, "CANNOT_DEACTIVATE_SELF", 0},
      {DMS_ERROR_ADMIN_ROLE_FIXED, "ADMIN_ROLE_FIXED", 0},
      {DMS_ERROR_RELEASE_EXCEEDS_ALLOCATED, "RELEASE_EXCEEDS_ALLOCATED", 0},
      {DMS_ERROR_RELEASE_EXCEEDS_RESERVATION, "RELEASE_EXCEEDS_RESERVATION", 0},
      {DMS_ERROR_VEHICLE_HAS_OPEN_JOB_CARD, "VEHICLE_HAS_OPEN_JOB_CARD", 0},
      {DMS_ERROR_CUSTOMER_HAS_OPEN_JOB_CARD, "CUSTOMER_HAS_OPEN_JOB_CARD", 0},
      {DMS_ERROR_PARTS_REQUEST_PENDING, "PARTS_REQUEST_PENDING", 0},
      {DMS_ERROR_CUSTOMER_ANSWER_PENDING, "CUSTOMER_ANSWER_PENDING", 0},
      {DMS_ERROR_SERVICE_LINE_DECLINED, "SERVICE_LINE_DECLINED", 0},
      {DMS_ERROR_SERVICE_LINE_NOT_APPROVED, "SERVICE_LINE_NOT_APPROVED", 0},
      {DMS_ERROR_NO_ADDITIONAL_SERVICE_PENDING, "NO_ADDITIONAL_SERVICE_PENDING", 0},
      {DMS_ERROR_SERVICE_LINES_CLOSED, "SERVICE_LINES_CLOSED", 0},
      {DMS_ERROR_PRE_INSPECTION_CLOSED, "PRE_INSPECTION_CLOSED", 0},
      {DMS_ERROR_JOB_CARD_CLOSED_FOR_PARTS, "JOB_CARD_CLOSED_FOR_PARTS", 0},
      {DMS_ERROR_PARTS_RETURN_CLOSED, "PARTS_RETURN_CLOSED", 0},
      {DMS_ERROR_INVOICE_NOT_PAID, "INVOICE_NOT_PAID", 0},
      {DMS_ERROR_CUSTOMER_APPROVAL_REQUIRED, "CUSTOMER_APPROVAL_REQUIRED", 0},
      {DMS_ERROR_INVOICED_BY_INVOICE, "INVOICED_BY_INVOICE", 0},
      {DMS_ERROR_INVOICE_NOT_FINALIZED, "INVOICE_NOT_FINALIZED", 0},
      {DMS_ERROR_JOB_CARD_ALREADY_INVOICED, "JOB_CARD_ALREADY_INVOICED", 0},
      {DMS_ERROR_JOB_CARD_NOT_COMPLETED, "JOB_CARD_NOT_COMPLETED", 0},
      {DMS_ERROR_NOTHING_TO_INVOICE, "NOTHING_TO_INVOICE", 0},
      {DMS_ERROR_INVOICE_NOT_DRAFT, "INVOICE_NOT_DRAFT", 0},
      {DMS_ERROR_JOB_CARD_ITEMS_FIXED, "JOB_CARD_ITEMS_FIXED", 0},
      {DMS_ERROR_CREDIT_NOTE_REQUIRED, "CREDIT_NOTE_REQUIRED", 0},
      {DMS_ERROR_SERVICE_CENTER_NO_GST_STATE, "SERVICE_CENTER_NO_GST_STATE", 0},
      {DMS_ERROR_DOCUMENT_IS_CREDIT_NOTE, "DOCUMENT_IS_CREDIT_NOTE", 0},
      {DMS_ERROR_INVOICE_IS_DRAFT, "INVOICE_IS_DRAFT", 0},
      {DMS_ERROR_LEAD_CLOSED, "LEAD_CLOSED", 0},
      {DMS_ERROR_QUOTATION_NOT_DRAFT, "QUOTATION_NOT_DRAFT", 0},
      {DMS_ERROR_QUOTATION_EXPIRED, "QUOTATION_EXPIRED", 0},
      {DMS_ERROR_COUNTER_ORDER_NO_VEHICLES, "COUNTER_ORDER_NO_VEHICLES", 0},
      {DMS_ERROR_COUNTER_ORDER_NOT_RESERVED, "COUNTER_ORDER_NOT_RESERVED", 0},
      {DMS_ERROR_COUNTER_ORDER_INVOICED, "COUNTER_ORDER_INVOICED", 0},
      {DMS_ERROR_DELIVERY_METHOD_MISMATCH, "DELIVERY_METHOD_MISMATCH", 0},
      {DMS_ERROR_COUNTER_ORDER_ITEMS_FIXED, "COUNTER_ORDER_ITEMS_FIXED", 0},
      {DMS_ERROR_RATE_LIMITED, "RATE_LIMIT_EXCEEDED", 1},
      {DMS_ERROR_STORAGE, "STORAGE_ERROR", 0},
      {DMS_ERROR_UNAVAILABLE, "UNAVAILABLE", 1},
      {DMS_ERROR_INTERNAL, "INTERNAL_ERROR", 0},
  };
  for (size_t i = 0; i < sizeof codes / sizeof codes[0]; ++i) {
    CHECK_STR(dms_status_name(codes[i].code), codes[i].name);
  }
  CHECK_STR(dms_status_name(12345), "INTERNAL_ERROR");
  CHECK_STR(dms_status_name(-1), "INTERNAL_ERROR");
}

TEST(open_rejects_bad_arguments_with_codes) {
  dms_database* db = NULL;
  dms_error* err = NULL;
  CHECK_STATUS(dms_open(NULL, &db, &err), DMS_ERROR_VALIDATION, err);
  CHECK_STR(dms_error_field(err), "url");
  CHECK(db == NULL);
  dms_error_destroy(&err);

  CHECK_STATUS(dms_open(":memory:", NULL, &err), DMS_ERROR_VALIDATION, err);
  CHECK_STR(dms_error_field(err), "out_database");
  dms_error_destroy(&err);

  CHECK(dms_open(NULL, &db, NULL) == DMS_ERROR_VALIDATION); /* the status alone */

  CHECK_STATUS(dms_open_ext(":memory:", "{not json", &db, &err), DMS_ERROR_VALIDATION, err);
  CHECK_STR(dms_error_field(err), "options_json");
  dms_error_destroy(&err);

  CHECK_STATUS(dms_open_ext(":memory:", "{\"poolSiz\": 3}", &db, &err), DMS_ERROR_VALIDATION, err);
  CHECK_STR(dms_error_field(err), "poolSiz");
  dms_error_destroy(&err);

  CHECK_STATUS(dms_open_ext(":memory:", "{\"poolSize\": -3}", &db, &err), DMS_ERROR_VALIDATION,
               err);
  dms_error_destroy(&err);

  CHECK_STATUS(
      dms_open_ext(":memory:", "{\"sqliteSynchronous\": \"NORMAL\", \"tokenSecret\": \"s\"}", &db,
                   &err),
      DMS_OK, err);
  CHECK(db != NULL);
  dms_close(&db);

  /* Delivery settings: a bad key is named, its value (a credential) never repeated. */
  CHECK_STATUS(dms_open_ext(":memory:",
                            "{\"delivery\": {\"smtp\": {\"url\": \"smtp://127.0.0.1:1\", "
                            "\"from\": \"a@b.test\", \"pasword\": \"hunter2-secret\"}}}",
                            &db, &err),
               DMS_ERROR_VALIDATION, err);
  CHECK_STR(dms_error_field(err), "delivery.smtp.pasword");
  CHECK(strstr(dms_error_message(err), "hunter2-secret") == NULL);
  dms_error_destroy(&err);

  /* The background dispatcher starts and stops (nothing configured: nothing is claimed). */
  CHECK_STATUS(dms_open_ext(":memory:",
                            "{\"background\": {\"dispatcher\": true, "
                            "\"dispatcherIntervalMs\": 10}}",
                            &db, &err),
               DMS_OK, err);
  CHECK_STATUS(dms_stop_dispatcher(db, &err), DMS_OK, err);
  CHECK_STATUS(dms_start_dispatcher(db, &err), DMS_OK, err);
  CHECK_STATUS(dms_start_dispatcher(db, &err), DMS_OK, err); /* idempotent */
  dms_close(&db);                                            /* stops it */
  CHECK(dms_start_dispatcher(NULL, NULL) == DMS_ERROR_VALIDATION);
}

TEST(ping_and_version_in_json) {
  dms_database* db = open_memory();
  char* out = NULL;
  dms_error* err = NULL;
  CHECK_STATUS(call_json(db, NULL, "system.Ping", "{\"echo\":\"hello\"}", &out, &err), DMS_OK, err);
  CHECK(out != NULL && strstr(out, "\"echo\":\"hello\"") != NULL);
  CHECK(out != NULL && strstr(out, "\"time\":\"") != NULL);
  dms_free(out);

  CHECK_STATUS(call_json(db, NULL, "system.Ping", NULL, &out, &err), DMS_OK, err);
  dms_free(out);

  CHECK_STATUS(call_json(db, NULL, "system.Version", "{}", &out, &err), DMS_OK, err);
  char expected[64];
  snprintf(expected, sizeof expected, "\"versionNumber\":%d", DMS_VERSION_NUMBER);
  CHECK(out != NULL && strstr(out, expected) != NULL);
  CHECK(out != NULL && strstr(out, "\"version\":\"" DMS_VERSION_STRING "\"") != NULL);
  dms_free(out);
  dms_close(&db);
}

/* Converts a JSON document of `type` to binary protobuf through the C ABI. */
static void* to_binary(const char* type, const char* json, size_t* size) {
  void* out = NULL;
  dms_error* err = NULL;
  CHECK_STATUS(
      dms_convert(type, DMS_FORMAT_JSON, json, strlen(json), DMS_FORMAT_PROTOBUF, &out, size, &err),
      DMS_OK, err);
  dms_error_destroy(&err);
  return out;
}

TEST(ping_in_binary_protobuf) {
  dms_database* db = open_memory();
  size_t request_size = 0;
  void* request = to_binary("dms.v1.PingRequest", "{\"echo\":\"bin\"}", &request_size);
  CHECK(request_size == 5); /* field 1, length 3, "bin" */

  void* response = NULL;
  size_t response_size = 0;
  dms_error* err = NULL;
  CHECK_STATUS(dms_call(db, NULL, "system.Ping", DMS_FORMAT_PROTOBUF, request, request_size,
                        &response, &response_size, &err),
               DMS_OK, err);
  CHECK(response_size > 5);

  void* json = NULL;
  size_t json_size = 0;
  CHECK_STATUS(dms_convert("dms.v1.PingResponse", DMS_FORMAT_PROTOBUF, response, response_size,
                           DMS_FORMAT_JSON, &json, &json_size, &err),
               DMS_OK, err);
  CHECK(json != NULL && strstr((char*)json, "\"echo\":\"bin\"") != NULL);
  CHECK(json != NULL && strstr((char*)json, "\"time\":\"") != NULL);
  dms_free(json);
  dms_free(response);

  /* An empty binary request is the empty message. */
  CHECK_STATUS(dms_call(db, NULL, "system.Version", DMS_FORMAT_PROTOBUF, NULL, 0, &response,
                        &response_size, &err),
               DMS_OK, err);
  CHECK(response != NULL && response_size > 0);
  dms_free(response);

  /* Garbage bytes are not a message. */
  const unsigned char garbage[] = {0xff, 0xff, 0xff, 0xff, 0x0f};
  CHECK_STATUS(dms_call(db, NULL, "system.Ping", DMS_FORMAT_PROTOBUF, garbage, sizeof garbage,
                        &response, &response_size, &err),
               DMS_ERROR_VALIDATION, err);
  CHECK_STR(dms_error_field(err), "request");
  CHECK(response == NULL);
  dms_error_destroy(&err);

  /* A string field whose length runs past the end of the input. */
  const unsigned char truncated[] = {0x0a, 0x05, 'a'};
  CHECK_STATUS(dms_call(db, NULL, "system.Ping", DMS_FORMAT_PROTOBUF, truncated, sizeof truncated,
                        &response, &response_size, &err),
               DMS_ERROR_VALIDATION, err);
  dms_error_destroy(&err);

  /* A string field that is not UTF-8. */
  const unsigned char latin1[] = {0x0a, 0x01, 0xe9};
  CHECK_STATUS(dms_call(db, NULL, "system.Ping", DMS_FORMAT_PROTOBUF, latin1, sizeof latin1,
                        &response, &response_size, &err),
               DMS_ERROR_VALIDATION, err);
  dms_error_destroy(&err);
  dms_free(request);
  dms_close(&db);
}

TEST(unknown_methods_are_not_found) {
  dms_database* db = open_memory();
  expect_error(db, NULL, "no.Such", "{}", DMS_ERROR_NOT_FOUND, "method");
  expect_error(db, NULL, "", "{}", DMS_ERROR_NOT_FOUND, "method");
  expect_error(db, NULL, NULL, "{}", DMS_ERROR_VALIDATION, "method");

  void* out = NULL;
  size_t size = 0;
  dms_error* err = NULL;
  CHECK_STATUS(dms_call(db, NULL, "no.Such", DMS_FORMAT_PROTOBUF, NULL, 0, &out, &size, &err),
               DMS_ERROR_NOT_FOUND, err);
  CHECK_STR(dms_error_field(err), "method");
  dms_error_destroy(&err);
  dms_close(&db);
}

TEST(malformed_json_is_a_validation_error) {
  dms_database* db = open_memory();
  const char* bad[] = {"{",        "{\"echo\":}", "nul",  "{\"echo\":\"x\"} trailing",
                       "\"\xff\"", "{'echo':1}",  "[1,2", "{\"echo\":\"unterminated}"};
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; ++i) {
    expect_error(db, NULL, "system.Ping", bad[i], DMS_ERROR_VALIDATION, "request");
  }
  /* Valid JSON that is not an object. */
  expect_error(db, NULL, "system.Ping", "[]", DMS_ERROR_VALIDATION, "request");
  expect_error(db, NULL, "system.Ping", "42", DMS_ERROR_VALIDATION, "request");
  expect_error(db, NULL, "system.Ping", "null", DMS_ERROR_VALIDATION, "request");

  /* Embedded NUL within the given size. */
  void* out = NULL;
  size_t size = 0;
  dms_error* err = NULL;
  CHECK_STATUS(dms_call(db, NULL, "system.Ping", DMS_FORMAT_JSON, "{}\0{}", 5, &out, &size, &err),
               DMS_ERROR_VALIDATION, err);
  dms_error_destroy(&err);
  dms_close(&db);
}

TEST(wrong_types_name_the_field) {
  dms_database* db = open_memory();
  expect_error(db, NULL, "system.Ping", "{\"echo\": 5}", DMS_ERROR_VALIDATION, "echo");
  expect_error(db, NULL, "system.Ping", "{\"delayMs\": \"soon\"}", DMS_ERROR_VALIDATION, "delayMs");
  expect_error(db, NULL, "system.Ping", "{\"delayMs\": 99999}", DMS_ERROR_VALIDATION, "delayMs");
  expect_error(db, NULL, "system.Ping", "{\"delayMs\": -1}", DMS_ERROR_VALIDATION, "delayMs");

  /* The same through the binary format's converter: a JSON value of the wrong type. */
  void* out = NULL;
  size_t size = 0;
  dms_error* err = NULL;
  const char* wrong = "{\"delayMs\": {\"a\": 1}}";
  CHECK_STATUS(dms_convert("dms.v1.PingRequest", DMS_FORMAT_JSON, wrong, strlen(wrong),
                           DMS_FORMAT_PROTOBUF, &out, &size, &err),
               DMS_ERROR_VALIDATION, err);
  CHECK_STR(dms_error_field(err), "input.delayMs");
  dms_error_destroy(&err);
  dms_close(&db);
}

TEST(huge_and_deep_inputs_are_rejected) {
  dms_database* db = open_memory();
  void* out = NULL;
  size_t size = 0;
  dms_error* err = NULL;

  /* Over the size limit: rejected before it is read. */
  size_t huge = (size_t)DMS_MAX_REQUEST_BYTES + 1;
  char* big = malloc(huge);
  CHECK(big != NULL);
  if (big != NULL) {
    memset(big, ' ', huge);
    big[0] = '{';
    big[huge - 1] = '}';
    CHECK_STATUS(dms_call(db, NULL, "system.Ping", DMS_FORMAT_JSON, big, huge, &out, &size, &err),
                 DMS_ERROR_VALIDATION, err);
    CHECK_STR(dms_error_field(err), "request");
    dms_error_destroy(&err);
    CHECK_STATUS(
        dms_call(db, NULL, "system.Ping", DMS_FORMAT_PROTOBUF, big, huge, &out, &size, &err),
        DMS_ERROR_VALIDATION, err);
    dms_error_destroy(&err);
    free(big);
  }

  /* A large but legal request: a 1 MB string is accepted and echoed. */
  size_t n = 1u << 20;
  char* large = malloc(n + 32);
  CHECK(large != NULL);
  if (large != NULL) {
    strcpy(large, "{\"echo\":\"");
    memset(large + 9, 'x', n);
    strcpy(large + 9 + n, "\"}");
    CHECK_STATUS(
        dms_call(db, NULL, "system.Ping", DMS_FORMAT_JSON, large, strlen(large), &out, &size, &err),
        DMS_ERROR_VALIDATION, err); /* echo is limited to 10000 characters */
    CHECK_STR(dms_error_field(err), "echo");
    dms_error_destroy(&err);
    free(large);
  }

  /* Deep nesting. */
  char deep[4 * DMS_MAX_JSON_DEPTH + 64];
  size_t pos = 0;
  pos += (size_t)sprintf(deep, "{\"echo\":\"x\",\"nest\":");
  for (int i = 0; i < DMS_MAX_JSON_DEPTH + 1; ++i) deep[pos++] = '[';
  for (int i = 0; i < DMS_MAX_JSON_DEPTH + 1; ++i) deep[pos++] = ']';
  deep[pos++] = '}';
  deep[pos] = '\0';
  expect_error(db, NULL, "system.Ping", deep, DMS_ERROR_VALIDATION, "request");
  /* Brackets inside strings do not count. */
  char brackets[DMS_MAX_JSON_DEPTH * 2 + 32];
  pos = (size_t)sprintf(brackets, "{\"echo\":\"");
  for (int i = 0; i < DMS_MAX_JSON_DEPTH * 2; ++i) brackets[pos++] = '[';
  strcpy(brackets + pos, "\"}");
  char* reply = NULL;
  CHECK_STATUS(call_json(db, NULL, "system.Ping", brackets, &reply, &err), DMS_OK, err);
  dms_free(reply);
  dms_close(&db);
}

TEST(null_handles_and_bad_formats_are_validation_errors) {
  dms_database* db = open_memory();
  void* out = NULL;
  size_t size = 0;
  dms_error* err = NULL;
  CHECK_STATUS(dms_call(NULL, NULL, "system.Ping", DMS_FORMAT_JSON, "{}", 2, &out, &size, &err),
               DMS_ERROR_VALIDATION, err);
  CHECK_STR(dms_error_field(err), "database");
  dms_error_destroy(&err);
  CHECK_STATUS(dms_call(db, NULL, "system.Ping", (dms_format)7, "{}", 2, &out, &size, &err),
               DMS_ERROR_VALIDATION, err);
  CHECK_STR(dms_error_field(err), "format");
  dms_error_destroy(&err);
  CHECK_STATUS(dms_call(db, NULL, "system.Ping", DMS_FORMAT_JSON, NULL, 5, &out, &size, &err),
               DMS_ERROR_VALIDATION, err);
  dms_error_destroy(&err);
  CHECK_STATUS(dms_call(db, NULL, "system.Ping", DMS_FORMAT_JSON, "{}", 2, NULL, &size, &err),
               DMS_ERROR_VALIDATION, err);
  dms_error_destroy(&err);
  CHECK_STATUS(dms_call(db, NULL, "system.Ping", DMS_FORMAT_JSON, "{}", 2, &out, NULL, &err),
               DMS_ERROR_VALIDATION, err);
  dms_error_destroy(&err);

  dms_context* ctx = NULL;
  CHECK_STATUS(dms_context_system(NULL, NULL, &ctx, &err), DMS_ERROR_VALIDATION, err);
  dms_error_destroy(&err);
  CHECK_STATUS(dms_context_system(db, "{\"ip\": 5}", &ctx, &err), DMS_ERROR_VALIDATION, err);
  CHECK_STR(dms_error_field(err), "ip");
  dms_error_destroy(&err);
  CHECK_STATUS(dms_context_system(db, "{\"colour\": \"red\"}", &ctx, &err), DMS_ERROR_VALIDATION,
               err);
  dms_error_destroy(&err);
  CHECK(ctx == NULL);
  char* json = NULL;
  CHECK_STATUS(dms_context_describe(NULL, &json, &err), DMS_ERROR_VALIDATION, err);
  dms_error_destroy(&err);
  CHECK_STATUS(dms_context_from_token(db, NULL, NULL, &ctx, &err), DMS_ERROR_VALIDATION, err);
  dms_error_destroy(&err);
  CHECK_STATUS(dms_login(db, NULL, "pw", NULL, &ctx, NULL, &err), DMS_ERROR_VALIDATION, err);
  dms_error_destroy(&err);
  dms_close(&db);
}

TEST(system_context_describes_itself) {
  dms_database* db = open_memory();
  dms_context* ctx = NULL;
  dms_error* err = NULL;
  CHECK_STATUS(
      dms_context_system(db, "{\"requestId\": \"r-1\", \"ip\": \"127.0.0.1\"}", &ctx, &err), DMS_OK,
      err);
  char* json = NULL;
  CHECK_STATUS(dms_context_describe(ctx, &json, &err), DMS_OK, err);
  CHECK(json != NULL && strstr(json, "\"role\":\"system\"") != NULL);
  CHECK(json != NULL && strstr(json, "\"permissions\":[\"*\"]") != NULL);
  dms_free(json);

  char* out = NULL;
  CHECK_STATUS(call_json(db, ctx, "system.Ping", "{}", &out, &err), DMS_OK, err);
  dms_free(out);
  dms_context_destroy(&ctx);
  dms_close(&db);
}

TEST(methods_and_schema_are_listed) {
  char* json = NULL;
  dms_error* err = NULL;
  CHECK_STATUS(dms_methods(&json, &err), DMS_OK, err);
  CHECK(json != NULL && json[0] == '[');
  CHECK(json != NULL && strstr(json, "\"system.Ping\"") != NULL);
  dms_free(json);

  CHECK_STATUS(dms_schema(&json, &err), DMS_OK, err);
  CHECK(json != NULL && strstr(json,
                               "\"system.Ping\":{\"request\":\"dms.v1.PingRequest\","
                               "\"response\":\"dms.v1.PingResponse\"}") != NULL);
  CHECK(json != NULL && strstr(json, "\"kind\":\"timestamp\"") != NULL);
  dms_free(json);

  void* out = NULL;
  size_t size = 0;
  CHECK_STATUS(
      dms_convert("dms.v1.NoSuch", DMS_FORMAT_JSON, "{}", 2, DMS_FORMAT_JSON, &out, &size, &err),
      DMS_ERROR_NOT_FOUND, err);
  CHECK_STR(dms_error_field(err), "message_type");
  dms_error_destroy(&err);
  CHECK_STATUS(dms_convert("google.protobuf.FileDescriptorProto", DMS_FORMAT_JSON, "{}", 2,
                           DMS_FORMAT_JSON, &out, &size, &err),
               DMS_ERROR_NOT_FOUND, err);
  dms_error_destroy(&err);
  /* JSON -> JSON keeps what the schema knows and drops the rest. */
  const char* in = "{\"echo\":\"e\",\"unknown\":1,\"delay_ms\":5}";
  CHECK_STATUS(dms_convert("dms.v1.PingRequest", DMS_FORMAT_JSON, in, strlen(in), DMS_FORMAT_JSON,
                           &out, &size, &err),
               DMS_OK, err);
  CHECK(out != NULL && strcmp((char*)out, "{\"delayMs\":5,\"echo\":\"e\"}") == 0);
  dms_free(out);
}

/* Copies the value of the first "key":"value" pair of `json` into `out`. */
static int json_string(const char* json, const char* key, char* out, size_t cap) {
  char marker[64];
  snprintf(marker, sizeof marker, "\"%s\":\"", key);
  const char* p = json ? strstr(json, marker) : NULL;
  if (p == NULL) return 0;
  p += strlen(marker);
  const char* end = strchr(p, '"');
  if (end == NULL || (size_t)(end - p) >= cap) return 0;
  memcpy(out, p, (size_t)(end - p));
  out[end - p] = '\0';
  return 1;
}

TEST(identity_contexts_and_a_binary_list) {
  dms_database* db = open_memory();
  dms_context* system = NULL;
  dms_error* err = NULL;
  CHECK_STATUS(dms_context_system(db, NULL, &system, &err), DMS_OK, err);
  char* out = NULL;
  CHECK_STATUS(
      call_json(db, system, "serviceCenters.Create",
                "{\"code\":\"SC001\",\"name\":\"Mumbai\",\"address\":{\"stateCode\":\"27\"}}", &out,
                &err),
      DMS_OK, err);
  dms_free(out);
  CHECK_STATUS(call_json(db, system, "users.Create",
                         "{\"email\":\"admin@dealer.in\",\"phone\":\"+919800000001\","
                         "\"firstName\":\"Asha\",\"lastName\":\"Rao\",\"role\":\"admin\"}",
                         &out, &err),
               DMS_OK, err);
  char user_id[64] = "";
  CHECK(json_string(out, "id", user_id, sizeof user_id));
  dms_free(out);

  /* A trusted host acts for the user without a password. */
  dms_context* admin = NULL;
  CHECK_STATUS(dms_context_for_user(db, user_id, "{\"requestId\":\"r-9\"}", &admin, &err), DMS_OK,
               err);
  char* described = NULL;
  CHECK_STATUS(dms_context_describe(admin, &described, &err), DMS_OK, err);
  CHECK(described != NULL && strstr(described, "\"role\":\"admin\"") != NULL);
  dms_free(described);

  /* Wrong credentials and tokens are auth codes; nothing is returned. */
  dms_context* ctx = NULL;
  char* session = NULL;
  CHECK_STATUS(dms_login(db, "admin@dealer.in", "wrong", NULL, &ctx, &session, &err),
               DMS_ERROR_INVALID_CREDENTIALS, err);
  CHECK(ctx == NULL && session == NULL);
  dms_error_destroy(&err);
  CHECK_STATUS(dms_context_from_token(db, "garbage", NULL, &ctx, &err),
               dms_error_code(err) / 100 == 1 ? dms_error_code(err) : -1, err);
  CHECK(ctx == NULL);
  dms_error_destroy(&err);
  CHECK_STATUS(dms_context_for_user(db, "no-such-user", NULL, &ctx, &err), DMS_ERROR_NOT_FOUND,
               err);
  dms_error_destroy(&err);

  /* Permissions: an anonymous caller may not list users. */
  dms_status status = call_json(db, NULL, "users.List", "{}", &out, &err);
  CHECK(status == DMS_ERROR_FORBIDDEN || status == DMS_ERROR_UNAUTHENTICATED);
  dms_error_destroy(&err);

  /* users.List in binary protobuf: dms.v1.ListQuery in, dms.v1.ListUsersResponse out. */
  size_t request_size = 0;
  void* request = to_binary("dms.v1.ListQuery", "{\"limit\":1,\"sort\":\"email\"}", &request_size);
  void* response = NULL;
  size_t response_size = 0;
  CHECK_STATUS(dms_call(db, admin, "users.List", DMS_FORMAT_PROTOBUF, request, request_size,
                        &response, &response_size, &err),
               DMS_OK, err);
  void* json = NULL;
  size_t json_size = 0;
  CHECK_STATUS(dms_convert("dms.v1.ListUsersResponse", DMS_FORMAT_PROTOBUF, response, response_size,
                           DMS_FORMAT_JSON, &json, &json_size, &err),
               DMS_OK, err);
  CHECK(json != NULL && strstr((char*)json, "\"email\":\"admin@dealer.in\"") != NULL);
  CHECK(json != NULL && strstr((char*)json, "\"totalPages\":1") != NULL);
  dms_free(json);
  dms_free(response);
  dms_free(request);

  dms_context_destroy(&admin);
  dms_context_destroy(&system);
  dms_close(&db);
}

int main(void) {
  RUN(version_macros_match_the_library);
  RUN(destroy_functions_accept_null_and_null_the_handle);
  RUN(error_accessors_are_null_safe);
  RUN(every_status_has_its_stable_name);
  RUN(open_rejects_bad_arguments_with_codes);
  RUN(ping_and_version_in_json);
  RUN(ping_in_binary_protobuf);
  RUN(unknown_methods_are_not_found);
  RUN(malformed_json_is_a_validation_error);
  RUN(wrong_types_name_the_field);
  RUN(huge_and_deep_inputs_are_rejected);
  RUN(null_handles_and_bad_formats_are_validation_errors);
  RUN(system_context_describes_itself);
  RUN(methods_and_schema_are_listed);
  RUN(identity_contexts_and_a_binary_list);
  return check_summary();
}
