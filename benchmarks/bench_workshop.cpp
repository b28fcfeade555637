// The workshop flow for one vehicle, from job card to paid invoice, on an
// embedded SQLite file: jobCards.Create, AssignEngineer, Start, AddServiceLine,
// RequestParts, partsRequests.Approve (stock leaves the store), resume,
// Complete, invoices.CreateFromJobCard, Finalize and RecordPayment (the full
// amount: seed 002 workflow 4's customer and vehicle updates) through
// Database::call, as a host would. 11 service calls, each its own write
// transaction with its audit rows and outbox events. The customer and vehicle
// of each flow are made with the timer paused.
//
// Run: build/dev/benchmarks/bench_workshop --benchmark_repetitions=5
//          --benchmark_report_aggregates_only=true
#include <benchmark/benchmark.h>

#include <cstdio>
#include <memory>
#include <string>

#include "dms/database.hpp"
#include "service/service.hpp"
#include "storage/store.hpp"

namespace {

using dms::Context;
using dms::Json;

class Dealer {
 public:
  explicit Dealer(const std::string& synchronous) {
    const char* dir = std::getenv("DMS_BENCH_DIR");
    path_ =
        std::string(dir ? dir : "/tmp") + "/dms-bench-workshop-" + dms::storage::new_id() + ".db";
    dms::DatabaseOptions options;
    options.url = path_;
    options.sqlite_synchronous = synchronous;
    db_ = dms::Database::open(options);
    db_->impl().settings.password_hash_opslimit = 1;  // set-up only: users get temporary passwords
    db_->impl().settings.password_hash_memlimit_bytes = 8192;
    system_ = db_->system_context();
    center_ = call(system_, "serviceCenters.Create",
                   {{"code", "SC001"},
                    {"name", "SC001 - Pune"},
                    {"address", {{"city", "Pune"}, {"stateCode", "27"}}}})["id"];
    manager_ = user("sc_manager", 1);
    engineer_ = user("service_engineer", 2);
    inventory_ = user("inventory_manager", 3);
    const Json part = call(system_, "inventory.CreatePart",
                           {{"partNumber", "BP-100"},
                            {"name", "Brake pad set"},
                            {"hsnCode", "87083000"},
                            {"gstRate", "28"},
                            {"costPrice", "800.00"},
                            {"unitPrice", "1249.50"},
                            {"unit", "piece"}});
    part_ = part["id"];
    call(system_, "inventory.AdjustStock",
         {{"partId", part_},
          {"serviceCenterId", center_},
          {"adjustmentType", "ADD"},
          {"quantity", "10000000"},
          {"reason", "STOCK_RECEIVED"},
          {"unitCost", "800.00"}});
  }

  ~Dealer() {
    db_.reset();
    for (const char* suffix : {"", "-wal", "-shm"}) std::remove((path_ + suffix).c_str());
  }

  // A new customer and vehicle (not timed).
  std::pair<std::string, std::string> customer_and_vehicle() {
    ++n_;
    char phone[20];
    std::snprintf(phone, sizeof phone, "+9198%08d", n_);
    char registration[16];
    std::snprintf(registration, sizeof registration, "MH%02dAB%04d", 1 + n_ / 10000, n_ % 10000);
    char vin[20];
    std::snprintf(vin, sizeof vin, "VIN%09d", n_);
    const Json c = call(system_, "customers.Create",
                        {{"name", "Customer " + std::to_string(n_)},
                         {"phone", phone},
                         {"cityState", "Pune, Maharashtra"}});
    const Json v = call(system_, "vehicles.Create",
                        {{"customerId", c["id"]},
                         {"registration", registration},
                         {"vin", vin},
                         {"vehicleMake", "Tata"},
                         {"vehicleModel", "Nexon EV"}});
    return {c["id"], v["id"]};
  }

  // The timed flow; returns the invoice's grand total for a sanity check.
  std::string flow(const std::string& customer_id, const std::string& vehicle_id) {
    const std::string id = call(manager_, "jobCards.Create",
                                {{"customerId", customer_id},
                                 {"vehicleId", vehicle_id},
                                 {"serviceType", "Regular Service"},
                                 {"estimatedCost", "3000.00"}})["id"];
    call(manager_, "jobCards.AssignEngineer", {{"id", id}, {"engineerId", engineer_.user_id}});
    call(engineer_, "jobCards.Start", {{"id", id}});
    call(engineer_, "jobCards.AddServiceLine",
         {{"id", id},
          {"serviceType", "Periodic maintenance"},
          {"rate", "1500.00"},
          {"hsnSac", "998714"},
          {"estimatedHours", "2"}});
    const Json request = call(engineer_, "jobCards.RequestParts",
                              {{"id", id}, {"parts", {{{"partId", part_}, {"requestedQty", 2}}}}});
    call(inventory_, "partsRequests.Approve", {{"id", request["id"]}});
    call(engineer_, "jobCards.UpdateStatus", {{"id", id}, {"status", "IN_PROGRESS"}});
    call(engineer_, "jobCards.Complete", {{"id", id}});
    const Json draft = call(manager_, "invoices.CreateFromJobCard", {{"jobCardId", id}});
    const Json invoice = call(manager_, "invoices.Finalize", {{"id", draft["id"]}});
    return call(manager_, "invoices.RecordPayment",
                {{"id", invoice["id"]},
                 {"amount", invoice["grandTotal"]},
                 {"paymentMethod", "cash"}})["status"];
  }

 private:
  Json call(const Context& ctx, const char* method, const Json& request) {
    return db_->call(ctx, method, request);
  }

  Context user(const std::string& role, int n) {
    const Json u = call(system_, "users.Create",
                        {{"email", role + "@bench.example"},
                         {"phone", "+91700000000" + std::to_string(n)},
                         {"firstName", "Bench"},
                         {"lastName", role},
                         {"role", role},
                         {"serviceCenterId", center_}});
    return db_->context_for_user(u["id"]);
  }

  std::string path_;
  std::unique_ptr<dms::Database> db_;
  Context system_, manager_, engineer_, inventory_;
  std::string center_;
  std::string part_;
  int n_ = 0;
};

void run(benchmark::State& state, const char* synchronous) {
  Dealer dealer(synchronous);
  for (auto _ : state) {
    state.PauseTiming();
    auto [customer, vehicle] = dealer.customer_and_vehicle();
    state.ResumeTiming();
    const std::string status = dealer.flow(customer, vehicle);
    if (status != "PAID") state.SkipWithError("the invoice is not paid");
  }
  state.counters["calls_per_flow"] = 11;
}

void BM_JobCardToPaidInvoice_SyncFull(benchmark::State& state) {
  run(state, "FULL");
}
void BM_JobCardToPaidInvoice_SyncNormal(benchmark::State& state) {
  run(state, "NORMAL");
}

BENCHMARK(BM_JobCardToPaidInvoice_SyncFull)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime()
    ->MinTime(2.0);
BENCHMARK(BM_JobCardToPaidInvoice_SyncNormal)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime()
    ->MinTime(2.0);

}  // namespace

BENCHMARK_MAIN();
