/* A minimal test harness for the C ABI tests (plain C11, no framework).
 *
 *   TEST(name) { CHECK(x == 1); CHECK_STATUS(dms_call(...), DMS_OK, err); }
 *   int main(void) { RUN(name); return check_summary(); }
 *
 * A failed CHECK prints the file, line and expression and the test goes on; check_summary()
 * returns non-zero when any check failed or no check ran. */
#ifndef DMS_TESTS_CAPI_CHECK_H
#define DMS_TESTS_CAPI_CHECK_H

#include <stdio.h>
#include <string.h>

#include "dms/dms.h"

static int check_count = 0;
static int check_failures = 0;
static int check_tests = 0;

#define CHECK(expr)                                                            \
  do {                                                                         \
    ++check_count;                                                             \
    if (!(expr)) {                                                             \
      ++check_failures;                                                        \
      fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #expr); \
    }                                                                          \
  } while (0)

/* Checks a dms_status against the expected one; on mismatch prints the error's details. */
#define CHECK_STATUS(call, expected, error)                                                  \
  do {                                                                                       \
    dms_status check_status_ = (call);                                                       \
    ++check_count;                                                                           \
    if (check_status_ != (expected)) {                                                       \
      ++check_failures;                                                                      \
      fprintf(stderr, "%s:%d: %s returned %d (%s: %s, field '%s'), expected %d\n", __FILE__, \
              __LINE__, #call, (int)check_status_, dms_error_name(error),                    \
              dms_error_message(error), dms_error_field(error), (int)(expected));            \
    }                                                                                        \
  } while (0)

#define CHECK_STR(actual, expected) CHECK(strcmp((actual), (expected)) == 0)

#define TEST(name) static void name(void)
#define RUN(name)                                                                   \
  do {                                                                              \
    int before_ = check_failures;                                                   \
    ++check_tests;                                                                  \
    name();                                                                         \
    fprintf(stderr, "%s %s\n", check_failures == before_ ? "ok  " : "FAIL", #name); \
  } while (0)

static int check_summary(void) {
  fprintf(stderr, "%d tests, %d checks, %d failed\n", check_tests, check_count, check_failures);
  return (check_failures == 0 && check_count > 0) ? 0 : 1;
}

#endif /* DMS_TESTS_CAPI_CHECK_H */
