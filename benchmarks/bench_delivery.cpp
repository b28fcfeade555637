// Messages per second delivered to a local SMTP server: the dispatcher (src/delivery) claiming
// batches of 50 from the outbox of an SQLite file (synchronous=NORMAL), sending each message over
// one reused SMTP connection (libcurl) to the aiosmtpd sink of scripts/smtp.sh (which writes
// every message to a file), and marking it SENT. Each iteration queues 500 plain-text messages
// (not timed), then delivers them all (timed).
//
// Run: source scripts/lib.sh; source scripts/smtp.sh; dms_smtp_start
//      build/dev/benchmarks/bench_delivery --benchmark_repetitions=3
//          --benchmark_report_aggregates_only=true
//      dms_smtp_stop
#include <benchmark/benchmark.h>

#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>

#include "delivery/dispatcher.hpp"
#include "dms/database.hpp"
#include "notify/messages.hpp"
#include "service/service.hpp"
#include "storage/store.hpp"

namespace {

constexpr int kMessages = 500;

void BM_DeliverToSmtp(benchmark::State& state) {
  const char* url = std::getenv("DMS_TEST_SMTP_URL");
  if (url == nullptr) {
    state.SkipWithError("DMS_TEST_SMTP_URL is not set: dms_smtp_start (scripts/smtp.sh) first");
    return;
  }
  const std::string path = "/tmp/dms-bench-delivery-" + dms::storage::new_id() + ".db";
  {
    dms::DatabaseOptions options;
    options.url = path;
    options.sqlite_synchronous = "NORMAL";
    options.delivery.smtp.url = url;
    options.delivery.smtp.from = "Bench <bench@dealer.test>";
    options.delivery.batch_size = static_cast<int>(state.range(0));
    auto db = dms::Database::open(options);
    const dms::Context system = db->system_context();
    auto& env = db->impl();
    auto dispatcher =
        dms::delivery::Dispatcher::from_settings(*env.store, *env.clock, env.settings.delivery);
    int64_t delivered = 0;
    for (auto _ : state) {
      state.PauseTiming();
      env.store->write([&](dms::storage::Transaction& tx) {
        for (int i = 0; i < kMessages; ++i) {
          dms::notify::Message m;
          m.recipient = "r" + std::to_string(i) + "@bench.test";
          m.subject = "Your vehicle is ready " + std::to_string(i);
          m.body = "Dear customer,\n\nyour vehicle MH12AB1234 is ready for pickup.\n";
          m.purpose = "bench";
          dms::notify::enqueue(tx, system, m);
        }
      });
      state.ResumeTiming();
      for (;;) {
        const auto r = dispatcher->run_batch();
        delivered += r.sent;
        if (r.claimed == 0) break;
      }
    }
    state.SetItemsProcessed(delivered);
    state.counters["messages_per_second"] =
        benchmark::Counter(static_cast<double>(delivered), benchmark::Counter::kIsRate);
  }
  for (const char* suffix : {"", "-wal", "-shm"}) std::remove((path + suffix).c_str());
}
BENCHMARK(BM_DeliverToSmtp)->Arg(50)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
