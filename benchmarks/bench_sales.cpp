// A 20-line counter sale from order to paid invoice on an embedded SQLite file, through
// Database::call as a host would: counterOrders.Create (20 catalog parts, one with a line
// discount, a document discount), Process (20 reservations through the ledger), MarkReady,
// Deliver (20 moves to the customer), invoices.CreateFromCounterOrder, Finalize and RecordPayment
// (the full amount: the order's payment status and the customer's totals). 7 calls, each its own
// write transaction with its audit rows and events. Run with synchronous=FULL (every commit
// durable) and NORMAL (WAL-safe, commits not fsynced): the difference is the fsync share.
//
// Run: build/dev/benchmarks/bench_sales --benchmark_repetitions=5
//          --benchmark_report_aggregates_only=true
#include <benchmark/benchmark.h>

#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "dms/database.hpp"
#include "service/service.hpp"
#include "storage/store.hpp"

namespace {

using dms::Context;
using dms::Json;

class Shop {
 public:
  explicit Shop(const std::string& synchronous) {
    const char* dir = std::getenv("DMS_BENCH_DIR");
    path_ = std::string(dir ? dir : "/tmp") + "/dms-bench-sales-" + dms::storage::new_id() + ".db";
    dms::DatabaseOptions options;
    options.url = path_;
    options.sqlite_synchronous = synchronous;
    db_ = dms::Database::open(options);
    db_->impl().settings.password_hash_opslimit = 1;  // set-up only
    db_->impl().settings.password_hash_memlimit_bytes = 8192;
    system_ = db_->system_context();
    center_ = call(system_, "serviceCenters.Create",
                   {{"code", "SC001"},
                    {"name", "SC001 - Pune"},
                    {"address", {{"city", "Pune"}, {"stateCode", "27"}}}})["id"];
    const Json user = call(system_, "users.Create",
                           {{"email", "counter@dealer.in"},
                            {"phone", "+919800000003"},
                            {"firstName", "Parts"},
                            {"lastName", "Counter"},
                            {"role", "inventory_manager"},
                            {"serviceCenterId", center_}});
    counter_ = db_->context_for_user(user["id"]);
    customer_ = call(system_, "customers.Create",
                     {{"name", "Counter Customer"},
                      {"phone", "+919812345678"},
                      {"cityState", "Pune, Maharashtra"}})["id"];
    for (int i = 0; i < 20; ++i) {
      char number[16];
      std::snprintf(number, sizeof number, "P-%03d", i);
      const Json part = call(system_, "inventory.CreatePart",
                             {{"partNumber", number},
                              {"name", std::string("Part ") + number},
                              {"hsnCode", "87089900"},
                              {"gstRate", i % 2 ? "18" : "28"},
                              {"costPrice", "80.00"},
                              {"unitPrice", std::to_string(100 + i) + ".50"},
                              {"unit", "piece"}});
      call(system_, "inventory.AdjustStock",
           {{"partId", part["id"]},
            {"serviceCenterId", center_},
            {"adjustmentType", "ADD"},
            {"quantity", "10000000"},
            {"reason", "STOCK_RECEIVED"},
            {"unitCost", "80.00"}});
      Json item{{"partId", part["id"]}, {"quantity", "2"}};
      if (i == 0) item["discountPercent"] = "10";
      items_.push_back(item);
    }
  }

  ~Shop() {
    db_.reset();
    for (const char* suffix : {"", "-wal", "-shm"}) std::remove((path_ + suffix).c_str());
  }

  // The whole sale; returns the invoice's final status.
  std::string sale() {
    const Json order = call(counter_, "counterOrders.Create",
                            {{"customerId", customer_},
                             {"items", items_},
                             {"pricesIncludeTax", true},
                             {"documentDiscount", "50.00"}});
    const std::string id = order["id"];
    call(counter_, "counterOrders.Process", {{"id", id}});
    call(counter_, "counterOrders.MarkReady", {{"id", id}});
    call(counter_, "counterOrders.Deliver", {{"id", id}});
    const Json invoice = call(counter_, "invoices.CreateFromCounterOrder", {{"orderId", id}});
    const Json final = call(counter_, "invoices.Finalize", {{"id", invoice["id"]}});
    return call(counter_, "invoices.RecordPayment",
                {{"id", invoice["id"]},
                 {"amount", final["grandTotal"]},
                 {"paymentMethod", "cash"}})["status"];
  }

 private:
  Json call(const Context& ctx, std::string_view method, const Json& request) {
    return db_->call(ctx, method, request);
  }

  std::string path_;
  std::unique_ptr<dms::Database> db_;
  Context system_, counter_;
  std::string center_, customer_;
  std::vector<Json> items_;
};

void run(benchmark::State& state, const char* synchronous) {
  Shop shop(synchronous);
  for (auto _ : state) {
    if (shop.sale() != "PAID") state.SkipWithError("the invoice is not paid");
  }
  state.counters["calls_per_sale"] = 7;
  state.counters["lines"] = 20;
}

void BM_CounterSale20Lines_SyncFull(benchmark::State& state) {
  run(state, "FULL");
}
void BM_CounterSale20Lines_SyncNormal(benchmark::State& state) {
  run(state, "NORMAL");
}

BENCHMARK(BM_CounterSale20Lines_SyncFull)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime()
    ->MinTime(2.0);
BENCHMARK(BM_CounterSale20Lines_SyncNormal)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime()
    ->MinTime(2.0);

}  // namespace

BENCHMARK_MAIN();
