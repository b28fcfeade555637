/* Random malformed requests through the C ABI: every one must come back as DMS_OK or as a
 * defined, classified error code (never INTERNAL_ERROR or STORAGE_ERROR), with a well-formed error
 * object and no response, and nothing may crash or leak (the asan preset runs this program under
 * AddressSanitizer and LeakSanitizer).
 *
 * Usage: dms_capi_fuzz [iterations=2000] [seed=20251220]
 * The generators: random bytes; byte-level mutations of valid requests; well-formed JSON with
 * the schema's field names and values of every type (wrong types, huge numbers, bad decimals and
 * dates, long strings); nesting around the depth limit; random binary protobuf and mutations of
 * valid binary requests; random method names, message types and format values. Calls run as the
 * system context (every permission, so requests reach the services' validation) or anonymously. */
#include <stdint.h>
#include <stdlib.h>

#include "check.h"

static uint64_t rng_state;

static uint32_t rnd(void) {
  rng_state ^= rng_state << 13;
  rng_state ^= rng_state >> 7;
  rng_state ^= rng_state << 17;
  return (uint32_t)(rng_state >> 32);
}
static size_t below(size_t n) {
  return n == 0 ? 0 : (size_t)(rnd() % n);
}

/* ---- A growable byte buffer -------------------------------------------------------------- */
typedef struct {
  char* data;
  size_t size;
  size_t cap;
} buffer;

static void put(buffer* b, const char* bytes, size_t n) {
  if (b->size + n + 1 > b->cap) {
    size_t cap = b->cap ? b->cap : 256;
    while (cap < b->size + n + 1) cap *= 2;
    char* grown = realloc(b->data, cap);
    if (grown == NULL) abort();
    b->data = grown;
    b->cap = cap;
  }
  memcpy(b->data + b->size, bytes, n);
  b->size += n;
  b->data[b->size] = '\0';
}
static void puts_(buffer* b, const char* s) {
  put(b, s, strlen(s));
}
static void reset(buffer* b) {
  b->size = 0;
  if (b->data) b->data[0] = '\0';
}

/* ---- Names from the library: methods and the schema's field names ------------------------ */
#define MAX_NAMES 1024
typedef struct {
  char* items[MAX_NAMES];
  size_t count;
} names;

/* Collects every string that follows `marker` (e.g. "\"name\":\"") in `json`, once each. */
static void collect(names* out, const char* json, const char* marker) {
  const char* p = json;
  size_t marker_len = strlen(marker);
  while ((p = strstr(p, marker)) != NULL && out->count < MAX_NAMES) {
    p += marker_len;
    const char* end = strchr(p, '"');
    if (end == NULL) break;
    size_t n = (size_t)(end - p);
    int seen = 0;
    for (size_t i = 0; i < out->count && !seen; ++i) {
      seen = strlen(out->items[i]) == n && strncmp(out->items[i], p, n) == 0;
    }
    /* delayMs would make system.Ping sleep: it is not a malformation worth seconds of waiting. */
    if (!seen && !(n == 7 && strncmp(p, "delayMs", 7) == 0)) {
      char* copy = malloc(n + 1);
      if (copy == NULL) abort();
      memcpy(copy, p, n);
      copy[n] = '\0';
      out->items[out->count++] = copy;
    }
    p = end;
  }
}

static void free_names(names* n) {
  for (size_t i = 0; i < n->count; ++i) free(n->items[i]);
  n->count = 0;
}

static names methods, fields, messages;
static char* schema_json;

/* The request message of `method` from the schema ("dms.v1.PingRequest"), or 0 when it has none. */
static int request_type(const char* method, char* type, size_t cap) {
  char marker[256];
  snprintf(marker, sizeof marker, "\"%s\":{\"request\":\"", method);
  const char* p = schema_json ? strstr(schema_json, marker) : NULL;
  if (p == NULL) return 0;
  p += strlen(marker);
  const char* end = strchr(p, '"');
  if (end == NULL || (size_t)(end - p) >= cap) return 0;
  memcpy(type, p, (size_t)(end - p));
  type[end - p] = '\0';
  return 1;
}

/* Valid (or nearly valid) requests to mutate; each applies when its method is registered. */
static const struct {
  const char* method;
  const char* json;
} seeds[] = {
    {"system.Ping", "{\"echo\":\"hello\"}"},
    {"system.Version", "{}"},
    {"auth.Login", "{\"email\":\"admin@dealer.in\",\"password\":\"Secret123!\"}"},
    {"serviceCenters.Create",
     "{\"code\":\"SC001\",\"name\":\"SC001 - Mumbai\",\"stateCode\":\"27\",\"city\":\"Mumbai\"}"},
    {"users.Create",
     "{\"email\":\"a@b.in\",\"name\":\"A B\",\"role\":\"sc_manager\",\"serviceCenterId\":\"x\"}"},
    {"customers.Create",
     "{\"name\":\"John Doe\",\"phone\":\"+919876543210\",\"email\":\"john@example.com\","
     "\"customerType\":\"B2C\"}"},
    {"vehicles.Create",
     "{\"customerId\":\"00000000-0000-4000-8000-000000000000\",\"registration\":\"MH01AB1234\","
     "\"vin\":\"VIN123\",\"vehicleMake\":\"Tesla\",\"vehicleYear\":2023}"},
    {"purchaseOrders.Create",
     "{\"supplierId\":\"s\",\"orderDate\":\"2025-12-20\",\"items\":[{\"centralInventoryPartId\":"
     "\"p\",\"quantity\":\"100\",\"unitPrice\":\"40000.00\",\"gstRate\":\"18\"}]}"},
    {"partsIssues.Create",
     "{\"toServiceCenterId\":\"sc\",\"items\":[{\"centralInventoryPartId\":\"p\","
     "\"requestedQty\":\"50\"}],\"priority\":\"HIGH\"}"},
    {"inventory.AdjustStock",
     "{\"partId\":\"p\",\"adjustmentType\":\"ADD\",\"quantity\":\"10\",\"reason\":\"STOCK_"
     "COUNT\"}"},
    {"workshop.CreateJobCard",
     "{\"serviceCenterId\":\"sc\",\"customerId\":\"c\",\"vehicleId\":\"v\",\"serviceType\":"
     "\"Regular Service\",\"part1Data\":{\"fullName\":\"John\"}}"},
    {"invoices.Create",
     "{\"jobCardId\":\"j\",\"items\":[{\"description\":\"Labour\",\"quantity\":\"1\","
     "\"unitPrice\":\"2500.00\",\"gstRate\":\"18\"}]}"},
};
#define SEED_COUNT (sizeof seeds / sizeof seeds[0])

static int registered(const char* method) {
  for (size_t i = 0; i < methods.count; ++i) {
    if (strcmp(methods.items[i], method) == 0) return 1;
  }
  return 0;
}

/* ---- Generators -------------------------------------------------------------------------- */
static const char* const weird_strings[] = {
    "",
    "x",
    "-1",
    "1e400",
    "99999999999999999999999999",
    "12.345",
    "0.001",
    "-0.00",
    "2025-13-45",
    "2025-02-29",
    "NaN",
    "Infinity",
    "\xe2\x82\xb9",
    "\\u0000",
    "00000000-0000-0000-0000-000000000000",
    "DRAFT",
    "COMPLETED",
    "admin",
    "*",
    "'; DROP TABLE users; --",
    "\\ud800",
    "+919876543210",
    "MH01AB1234",
    "27AAAPL1234C1ZV",
    "a@b",
};
static const char* const weird_numbers[] = {
    "0",
    "-1",
    "1",
    "2147483648",
    "-9223372036854775809",
    "18446744073709551616",
    "1e308",
    "-0.0",
    "0.5",
    "12.345",
    "1e-320",
    "123456789012345678901234567890",
    "3",
    "100",
    "10001",
    "-2147483649",
};

static void gen_value(buffer* b, int depth);

static void gen_string(buffer* b) {
  puts_(b, "\"");
  if (below(20) == 0) { /* a long string */
    size_t n = 1000 + below(20000);
    for (size_t i = 0; i < n; ++i) put(b, "z", 1);
  } else {
    puts_(b, weird_strings[below(sizeof weird_strings / sizeof weird_strings[0])]);
  }
  puts_(b, "\"");
}

static void gen_object(buffer* b, int depth) {
  puts_(b, "{");
  size_t n = below(6);
  for (size_t i = 0; i < n; ++i) {
    if (i) puts_(b, ",");
    puts_(b, "\"");
    if (fields.count > 0 && below(8) != 0) {
      puts_(b, fields.items[below(fields.count)]);
    } else {
      puts_(b, "k");
    }
    puts_(b, "\":");
    gen_value(b, depth + 1);
  }
  puts_(b, "}");
}

static void gen_value(buffer* b, int depth) {
  switch (below(depth > 4 ? 5 : 7)) {
    case 0:
      gen_string(b);
      break;
    case 1:
      puts_(b, weird_numbers[below(sizeof weird_numbers / sizeof weird_numbers[0])]);
      break;
    case 2:
      puts_(b, below(2) ? "true" : "false");
      break;
    case 3:
      puts_(b, "null");
      break;
    case 4:
      gen_string(b);
      break;
    case 5: {
      puts_(b, "[");
      size_t n = below(4);
      for (size_t i = 0; i < n; ++i) {
        if (i) puts_(b, ",");
        gen_value(b, depth + 1);
      }
      puts_(b, "]");
      break;
    }
    default:
      gen_object(b, depth);
  }
}

static void mutate(buffer* b) {
  static const char punct[] = "{}[]\":,\\0123456789-.eE tfn\xff\x80";
  size_t rounds = 1 + below(4);
  for (size_t r = 0; r < rounds && b->size > 0; ++r) {
    size_t at = below(b->size);
    switch (below(5)) {
      case 0: /* flip a bit */
        b->data[at] = (char)(b->data[at] ^ (char)(1u << below(8)));
        break;
      case 1: /* overwrite with punctuation */
        b->data[at] = punct[below(sizeof punct - 1)];
        break;
      case 2: /* truncate */
        b->size = at;
        b->data[at] = '\0';
        break;
      case 3: /* delete one byte */
        memmove(b->data + at, b->data + at + 1, b->size - at);
        b->size -= 1;
        break;
      default: { /* insert a byte */
        char c = punct[below(sizeof punct - 1)];
        put(b, " ", 1);
        memmove(b->data + at + 1, b->data + at, b->size - at - 1);
        b->data[at] = c;
      }
    }
  }
}

static void gen_random_bytes(buffer* b, size_t max) {
  size_t n = below(max);
  for (size_t i = 0; i < n; ++i) {
    char c = (char)(rnd() & 0xff);
    put(b, &c, 1);
  }
}

static const char* random_method(void) {
  return methods.count > 0 ? methods.items[below(methods.count)] : "system.Ping";
}

/* ---- The harness ------------------------------------------------------------------------- */
static int code_counts[1000];

/* Checks one outcome; returns 1 when it is acceptable. */
static int check_outcome(dms_status status, void* out, size_t size, dms_format format,
                         dms_error* err, const char* what, const buffer* input) {
  int ok = 1;
  if (status == DMS_OK) {
    ok = out != NULL && err == NULL && (format != DMS_FORMAT_JSON || strlen(out) == size);
  } else {
    ok = out == NULL && size == 0 && err != NULL && dms_error_code(err) == status &&
         strcmp(dms_error_name(err), "INTERNAL_ERROR") != 0 && status != DMS_ERROR_INTERNAL &&
         status != DMS_ERROR_STORAGE && dms_error_message(err)[0] != '\0';
  }
  if (status >= 0 && status < 1000) code_counts[status]++;
  if (!ok) {
    fprintf(stderr, "unacceptable outcome of %s: status %d %s: %s (field '%s')\n  input: %.300s\n",
            what, (int)status, dms_error_name(err), dms_error_message(err), dms_error_field(err),
            input->data ? input->data : "");
  }
  return ok;
}

int main(int argc, char** argv) {
  long iterations = argc > 1 ? atol(argv[1]) : 2000;
  uint64_t seed = argc > 2 ? (uint64_t)strtoull(argv[2], NULL, 10) : 20251220u;
  rng_state = seed * 0x9E3779B97F4A7C15ull + 1;
  fprintf(stderr, "fuzzing the C ABI: %ld requests, seed %llu\n", iterations,
          (unsigned long long)seed);

  char* json = NULL;
  dms_error* err = NULL;
  CHECK_STATUS(dms_methods(&json, &err), DMS_OK, err);
  if (json) collect(&methods, json, "\"");
  /* dms_methods is ["a","b"]: every other quoted run is a separator; keep names with a dot. */
  for (size_t i = 0; i < methods.count;) {
    if (strchr(methods.items[i], '.') == NULL) {
      free(methods.items[i]);
      methods.items[i] = methods.items[--methods.count];
    } else {
      ++i;
    }
  }
  dms_free(json);
  CHECK_STATUS(dms_schema(&schema_json, &err), DMS_OK, err);
  if (schema_json) {
    collect(&fields, schema_json, "\"name\":\"");
    collect(&messages, schema_json, "\"request\":\"");
    collect(&messages, schema_json, "\"response\":\"");
  }
  CHECK(methods.count >= 2);
  CHECK(fields.count >= 2);

  dms_database* db = NULL;
  CHECK_STATUS(dms_open(":memory:", &db, &err), DMS_OK, err);
  dms_context* system = NULL;
  CHECK_STATUS(dms_context_system(db, NULL, &system, &err), DMS_OK, err);
  if (db == NULL || system == NULL) return check_summary();

  buffer in = {0};
  long bad = 0;
  for (long i = 0; i < iterations; ++i) {
    reset(&in);
    const char* method = random_method();
    dms_format format = DMS_FORMAT_JSON;
    const dms_context* ctx = below(4) == 0 ? NULL : system;
    int kind = (int)below(10);
    const char* what = "dms_call";
    switch (kind) {
      case 0: /* random bytes as JSON */
        gen_random_bytes(&in, 64);
        break;
      case 1:
      case 2: { /* a mutated valid request */
        size_t s = below(SEED_COUNT);
        if (registered(seeds[s].method)) method = seeds[s].method;
        puts_(&in, seeds[s].json);
        mutate(&in);
        break;
      }
      case 3:
      case 4: /* well-formed JSON, wrong shapes and values */
        gen_object(&in, 0);
        break;
      case 5: { /* nesting around the depth limit */
        int depth = DMS_MAX_JSON_DEPTH - 3 + (int)below(7);
        puts_(&in, "{\"echo\":");
        for (int d = 1; d < depth; ++d) puts_(&in, "[");
        for (int d = 1; d < depth; ++d) puts_(&in, "]");
        puts_(&in, "}");
        break;
      }
      case 6: /* random binary protobuf */
        format = DMS_FORMAT_PROTOBUF;
        gen_random_bytes(&in, 48);
        break;
      case 7: { /* a mutated valid binary request */
        size_t s = below(SEED_COUNT);
        void* bin = NULL;
        size_t bin_size = 0;
        char type[128];
        format = DMS_FORMAT_PROTOBUF;
        if (registered(seeds[s].method) && request_type(seeds[s].method, type, sizeof type) &&
            dms_convert(type, DMS_FORMAT_JSON, seeds[s].json, strlen(seeds[s].json),
                        DMS_FORMAT_PROTOBUF, &bin, &bin_size, NULL) == DMS_OK) {
          method = seeds[s].method;
          put(&in, bin, bin_size);
          mutate(&in);
        } else {
          gen_random_bytes(&in, 16);
        }
        dms_free(bin);
        break;
      }
      case 8: { /* a random method name */
        buffer name = {0};
        if (below(2)) {
          puts_(&name, random_method());
          mutate(&name);
        } else {
          gen_random_bytes(&name, below(10) == 0 ? 5000 : 24);
        }
        puts_(&in, "{}");
        void* out = NULL;
        size_t size = 0;
        dms_error* e = NULL;
        /* The name is a C string: it ends at its first NUL byte. */
        dms_status status = dms_call(db, ctx, name.data ? name.data : "", DMS_FORMAT_JSON, in.data,
                                     in.size, &out, &size, &e);
        if (!check_outcome(status, out, size, DMS_FORMAT_JSON, e, "dms_call(random method)",
                           &name)) {
          ++bad;
        }
        dms_free(out);
        dms_error_destroy(&e);
        free(name.data);
        continue;
      }
      default: { /* dms_convert of random input between random formats, or a bad format */
        const char* type = messages.count > 0 ? messages.items[below(messages.count)] : "x";
        dms_format from = below(2) ? DMS_FORMAT_JSON : DMS_FORMAT_PROTOBUF;
        dms_format to = below(8) == 0 ? (dms_format)(2 + below(5))
                                      : (below(2) ? DMS_FORMAT_JSON : DMS_FORMAT_PROTOBUF);
        if (from == DMS_FORMAT_JSON && below(2)) {
          gen_object(&in, 0);
        } else {
          gen_random_bytes(&in, 48);
        }
        void* out = NULL;
        size_t size = 0;
        dms_error* e = NULL;
        dms_status status = dms_convert(below(10) == 0 ? "dms.v1.Nope" : type, from, in.data,
                                        in.size, to, &out, &size, &e);
        if (!check_outcome(status, out, size, to, e, "dms_convert", &in)) ++bad;
        dms_free(out);
        dms_error_destroy(&e);
        continue;
      }
    }
    void* out = NULL;
    size_t size = 0;
    dms_error* e = NULL;
    dms_status status = dms_call(db, ctx, method, format, in.data, in.size, &out, &size, &e);
    if (!check_outcome(status, out, size, format, e, what, &in)) {
      fprintf(stderr, "  method %s, generator %d, iteration %ld\n", method, kind, i);
      ++bad;
    }
    dms_free(out);
    dms_error_destroy(&e);
  }
  CHECK(bad == 0);

  fprintf(stderr, "outcomes:");
  for (int c = 0; c < 1000; ++c) {
    if (code_counts[c]) fprintf(stderr, " %s=%d", dms_status_name(c), code_counts[c]);
  }
  fprintf(stderr, "\n");
  /* The run must have exercised rejections, not just successes. */
  CHECK(code_counts[DMS_ERROR_VALIDATION] > iterations / 10);

  free(in.data);
  free_names(&methods);
  free_names(&fields);
  free_names(&messages);
  dms_free(schema_json);
  dms_context_destroy(&system);
  dms_close(&db);
  return check_summary();
}
