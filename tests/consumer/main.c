/* A C program outside the libdms tree that uses the installed C ABI (dms::c). */
#include <dms/dms.h>
#include <stdio.h>
#include <string.h>

int main(void) {
  dms_database* db = NULL;
  dms_error* err = NULL;
  void* out = NULL;
  size_t size = 0;
  const char* request = "{\"echo\":\"from C\"}";
  if (dms_libversion_number() != DMS_VERSION_NUMBER) return 1;
  if (dms_open(":memory:", &db, &err) != DMS_OK ||
      dms_call(db, NULL, "system.Ping", DMS_FORMAT_JSON, request, strlen(request), &out, &size,
               &err) != DMS_OK) {
    fprintf(stderr, "%s: %s\n", dms_error_name(err), dms_error_message(err));
    dms_error_destroy(&err);
    dms_close(&db);
    return 1;
  }
  printf("libdms %s: %s\n", dms_libversion(), (const char*)out);
  dms_free(out);
  dms_close(&db);
  return 0;
}
