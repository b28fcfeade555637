// The cost of a list page: jobCards.List filtered and sorted, 20 of 100 matching job cards (of
// 200), as a service center's manager, through Database::call and through the C ABI with JSON
// text (what the Node addon's callText, and so the REST server, uses); and customers.Get, the
// single-record read. Figures in docs/benchmarks.md ("List pages").
#include <benchmark/benchmark.h>

#include <unistd.h>

#include <cstdio>
#include <cstring>
#include <memory>
#include <stdexcept>
#include <string>

#include "dms/database.hpp"
#include "dms/dms.h"

namespace {

struct Fixture {
  std::string file = "/tmp/dms-bench-lists-" + std::to_string(::getpid()) + ".db";
  std::unique_ptr<dms::Database> db;
  dms::Context manager;
  std::string manager_id;
  std::string customer_id;

  Fixture() : db(dms::Database::open(file)) {
    const dms::Context system = db->system_context();
    dms::Json center = db->call(system, "serviceCenters.Create",
                                {{"code", "SC001"},
                                 {"name", "SC001 - Mumbai"},
                                 {"address", {{"city", "Mumbai"}, {"stateCode", "27"}}}});
    dms::Json user = db->call(system, "users.Create",
                              {{"email", "manager@dealer.in"},
                               {"phone", "+919800000002"},
                               {"firstName", "Bench"},
                               {"lastName", "Manager"},
                               {"role", "sc_manager"},
                               {"serviceCenterId", center["id"]}});
    manager_id = user["id"].get<std::string>();
    manager = db->context_for_user(manager_id);
    for (int i = 0; i < 200; ++i) {
      std::string n = std::to_string(10000000 + i);
      dms::Json customer =
          db->call(manager, "customers.Create",
                   {{"name", "Customer " + std::to_string(i)}, {"phone", "+9198" + n}});
      dms::Json vehicle = db->call(manager, "vehicles.Create",
                                   {{"customerId", customer["id"]},
                                    {"registration", "MH01AB" + std::to_string(1000 + i)},
                                    {"vin", "VIN" + std::to_string(100000 + i)},
                                    {"vehicleMake", "Tata"},
                                    {"vehicleModel", "Nexon EV"}});
      dms::Json job = db->call(manager, "jobCards.Create",
                               {{"customerId", customer["id"]},
                                {"vehicleId", vehicle["id"]},
                                {"serviceType", "Regular Service"}});
      if (i % 2) db->call(manager, "jobCards.Cancel", {{"id", job["id"]}, {"reason", "bench"}});
      if (i == 7) customer_id = customer["id"].get<std::string>();
    }
  }
  ~Fixture() {
    db.reset();
    for (const char* suffix : {"", "-wal", "-shm"}) std::remove((file + suffix).c_str());
  }
};

Fixture& fixture() {
  static Fixture f;
  return f;
}

const dms::Json& list_request() {
  static const dms::Json request = {
      {"filter", {{"status", "CREATED"}}}, {"sort", "-createdAt,jobCardNumber"}, {"limit", 20}};
  return request;
}

void BM_JobCardList_Call(benchmark::State& state) {
  Fixture& f = fixture();
  for (auto _ : state)
    benchmark::DoNotOptimize(f.db->call(f.manager, "jobCards.List", list_request()));
}
BENCHMARK(BM_JobCardList_Call)->Unit(benchmark::kMicrosecond);

void BM_JobCardList_CallIdsOnly(benchmark::State& state) {
  Fixture& f = fixture();
  dms::Json request = list_request();
  request["fields"] = "id";
  for (auto _ : state) benchmark::DoNotOptimize(f.db->call(f.manager, "jobCards.List", request));
}
BENCHMARK(BM_JobCardList_CallIdsOnly)->Unit(benchmark::kMicrosecond);

void c_call(dms_database* db, dms_context* ctx, const char* method, const std::string& request) {
  void* out = nullptr;
  size_t out_size = 0;
  dms_error* error = nullptr;
  if (dms_call(db, ctx, method, DMS_FORMAT_JSON, request.data(), request.size(), &out, &out_size,
               &error) != DMS_OK) {
    std::string message = dms_error_message(error);
    dms_error_destroy(&error);
    throw std::runtime_error(message);
  }
  benchmark::DoNotOptimize(out);
  dms_free(out);
}

// The C ABI on a second handle of the fixture's file, as the manager.
struct CApi {
  dms_database* db = nullptr;
  dms_context* ctx = nullptr;
  CApi() {
    Fixture& f = fixture();
    if (dms_open(f.file.c_str(), &db, nullptr) != DMS_OK ||
        dms_context_for_user(db, f.manager_id.c_str(), nullptr, &ctx, nullptr) != DMS_OK) {
      throw std::runtime_error("cannot open the fixture through the C ABI");
    }
  }
  ~CApi() {
    dms_context_destroy(&ctx);
    dms_close(&db);
  }
};

void BM_JobCardList_CApiJson(benchmark::State& state) {
  CApi c;
  const std::string request = list_request().dump();
  for (auto _ : state) c_call(c.db, c.ctx, "jobCards.List", request);
}
BENCHMARK(BM_JobCardList_CApiJson)->Unit(benchmark::kMicrosecond);

void BM_CustomerGet_CApiJson(benchmark::State& state) {
  CApi c;
  const std::string request = dms::Json{{"id", fixture().customer_id}}.dump();
  for (auto _ : state) c_call(c.db, c.ctx, "customers.Get", request);
}
BENCHMARK(BM_CustomerGet_CApiJson)->Unit(benchmark::kMicrosecond);

}  // namespace

BENCHMARK_MAIN();
