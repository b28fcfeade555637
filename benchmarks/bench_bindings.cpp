// The cost a surface adds to a trivial method: system.Ping {"echo":"hello"} (no permission, no
// storage) called through Database::call in C++, and through the C ABI with a JSON and with a
// binary protobuf request. Python and Node: benchmarks/bench_bindings.py and .js. Figures in
// docs/benchmarks.md ("Bindings").
#include <benchmark/benchmark.h>

#include <cstring>
#include <stdexcept>
#include <string>

#include "dms/database.hpp"
#include "dms/dms.h"

namespace {

void BM_Cpp_DatabaseCall(benchmark::State& state) {
  auto db = dms::Database::open(":memory:");
  const dms::Context ctx = db->system_context();
  const dms::Json request = {{"echo", "hello"}};
  for (auto _ : state) benchmark::DoNotOptimize(db->call(ctx, "system.Ping", request));
}
BENCHMARK(BM_Cpp_DatabaseCall);

struct CApi {
  dms_database* db = nullptr;
  dms_context* ctx = nullptr;
  CApi() {
    if (dms_open(":memory:", &db, nullptr) != DMS_OK ||
        dms_context_system(db, nullptr, &ctx, nullptr) != DMS_OK) {
      throw std::runtime_error("cannot open");
    }
  }
  ~CApi() {
    dms_context_destroy(&ctx);
    dms_close(&db);
  }
  void call(dms_format format, const void* request, size_t size) {
    void* out = nullptr;
    size_t out_size = 0;
    if (dms_call(db, ctx, "system.Ping", format, request, size, &out, &out_size, nullptr) !=
        DMS_OK) {
      throw std::runtime_error("call failed");
    }
    benchmark::DoNotOptimize(out);
    dms_free(out);
  }
};

void BM_CApi_Json(benchmark::State& state) {
  CApi c;
  const char* request = "{\"echo\":\"hello\"}";
  const size_t size = std::strlen(request);
  for (auto _ : state) c.call(DMS_FORMAT_JSON, request, size);
}
BENCHMARK(BM_CApi_Json);

void BM_CApi_Protobuf(benchmark::State& state) {
  CApi c;
  void* request = nullptr;
  size_t size = 0;
  const char* json = "{\"echo\":\"hello\"}";
  if (dms_convert("dms.v1.PingRequest", DMS_FORMAT_JSON, json, std::strlen(json),
                  DMS_FORMAT_PROTOBUF, &request, &size, nullptr) != DMS_OK) {
    state.SkipWithError("convert failed");
    return;
  }
  for (auto _ : state) c.call(DMS_FORMAT_PROTOBUF, request, size);
  dms_free(request);
}
BENCHMARK(BM_CApi_Protobuf);

}  // namespace

BENCHMARK_MAIN();
