// The fan-out of one event to 50 users (issue 13): a `report.generated` event of one service
// center whose 50 managers hold reports:read, emitted in one write transaction. The notification
// rules run inside events::emit (src/notify/rules.cpp): the audience query, the 50 users'
// preferences, the type's templates, then per user an in-app row, its `notification.created`
// event and an e-mail in the outbox (report_generated mails by default): 151 rows per event.
// On an SQLite file (synchronous FULL and NORMAL) and, when DMS_BENCH_PG_URL names a database,
// on PostgreSQL.
//
// Run: build/dev/benchmarks/bench_notify --benchmark_repetitions=5
//          --benchmark_report_aggregates_only=true
#include <benchmark/benchmark.h>

#include <cstdio>
#include <cstdlib>
#include <functional>
#include <memory>
#include <string>

#include "dms/database.hpp"
#include "events/outbox.hpp"
#include "service/service.hpp"
#include "storage/store.hpp"

namespace {

using dms::Json;

constexpr int kUsers = 50;

class Center {
 public:
  Center(const std::string& url, const std::string& synchronous) {
    dms::DatabaseOptions options;
    if (url.empty()) {
      const char* dir = std::getenv("DMS_BENCH_DIR");
      path_ =
          std::string(dir ? dir : "/tmp") + "/dms-bench-notify-" + dms::storage::new_id() + ".db";
      options.url = path_;
      options.sqlite_synchronous = synchronous;
    } else {
      options.url = url;
    }
    db_ = dms::Database::open(options);
    db_->impl().settings.password_hash_opslimit = 1;  // set-up only
    db_->impl().settings.password_hash_memlimit_bytes = 8192;
    system_ = db_->system_context();
    const std::string code = "B" + dms::storage::new_id().substr(0, 6);
    center_ = db_->call(system_, "serviceCenters.Create",
                        {{"code", code},
                         {"name", code + " - Pune"},
                         {"address", {{"city", "Pune"}, {"stateCode", "27"}}}})["id"];
    for (int i = 0; i < kUsers; ++i) {
      const std::string n = std::to_string(100000 + i) + code.substr(1, 3);
      char phone[32];
      std::snprintf(phone, sizeof phone, "+9197%08d",
                    static_cast<int>(std::hash<std::string>()(dms::storage::new_id()) % 100000000));
      db_->call(system_, "users.Create",
                {{"email", "m" + n + "@dealer.in"},
                 {"phone", phone},
                 {"firstName", "Manager"},
                 {"lastName", n},
                 {"role", "sc_manager"},
                 {"serviceCenterId", center_}});
    }
  }

  ~Center() {
    db_.reset();
    if (path_.empty()) return;
    for (const char* suffix : {"", "-wal", "-shm"}) std::remove((path_ + suffix).c_str());
  }

  // One event; returns the in-app rows it made.
  int64_t fan_out() {
    return db_->impl().store->write([&](dms::storage::Transaction& tx) {
      const int64_t before =
          tx.query_one("SELECT COUNT(*) AS n FROM notifications WHERE service_center_id = ?",
                       {center_})
              ->i64("n");
      dms::events::emit(tx, system_, "report.generated",
                        {{"reportName", "Monthly sales"}, {"period", "2026-11"}}, center_);
      return tx.query_one("SELECT COUNT(*) AS n FROM notifications WHERE service_center_id = ?",
                          {center_})
                 ->i64("n") -
             before;
    });
  }

 private:
  std::string path_;
  std::unique_ptr<dms::Database> db_;
  dms::Context system_;
  std::string center_;
};

void run(benchmark::State& state, const std::string& url, const char* synchronous) {
  Center center(url, synchronous);
  for (auto _ : state) {
    if (center.fan_out() != kUsers) state.SkipWithError("not every user was notified");
  }
  state.counters["users"] = kUsers;
}

void BM_FanOut50_SqliteSyncFull(benchmark::State& state) {
  run(state, "", "FULL");
}
void BM_FanOut50_SqliteSyncNormal(benchmark::State& state) {
  run(state, "", "NORMAL");
}
void BM_FanOut50_Postgres(benchmark::State& state) {
  const char* url = std::getenv("DMS_BENCH_PG_URL");
  if (url == nullptr || *url == '\0') {
    state.SkipWithError("DMS_BENCH_PG_URL is not set");
    for (auto _ : state) {
    }
    return;
  }
  run(state, url, "");
}

BENCHMARK(BM_FanOut50_SqliteSyncFull)->Unit(benchmark::kMillisecond)->UseRealTime()->MinTime(2.0);
BENCHMARK(BM_FanOut50_SqliteSyncNormal)->Unit(benchmark::kMillisecond)->UseRealTime()->MinTime(2.0);
BENCHMARK(BM_FanOut50_Postgres)->Unit(benchmark::kMillisecond)->UseRealTime()->MinTime(2.0);

}  // namespace

BENCHMARK_MAIN();
