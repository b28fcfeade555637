// The write cost of the committed-event feed's commit-order numbering (decision 0017): a small
// mutation (one row) plus one outbox event per transaction, from 1, 4 and 8 threads, with the
// event written by events::emit (numbered at commit under the outbox_feed counter's row lock)
// against the same INSERT without the numbering (what the outbox cost before the feed).
//
//   DMS_BENCH_URL=postgresql://... build/dev/benchmarks/bench_feed   (default: a SQLite file
//   in $DMS_BENCH_DIR or /tmp)
#include <benchmark/benchmark.h>

#include <atomic>
#include <cstdlib>
#include <memory>
#include <string>

#include "dms/context.hpp"
#include "events/outbox.hpp"
#include "storage/store.hpp"

namespace storage = dms::storage;

namespace {

const storage::MigrationRegistration kBenchRows{{90300, "bench: feed rows", R"SQL(
CREATE TABLE bench_feed_rows (id TEXT PRIMARY KEY, n BIGINT NOT NULL)
)SQL"}};

storage::Store& store() {
  static std::unique_ptr<storage::Store> s = [] {
    storage::OpenOptions options;
    const char* url = std::getenv("DMS_BENCH_URL");
    if (url != nullptr && *url != '\0') {
      options.url = url;
    } else {
      const char* dir = std::getenv("DMS_BENCH_DIR");
      options.url = std::string(dir ? dir : "/tmp") + "/dms-bench-feed.db";
    }
    options.pool_size = 16;
    return storage::Store::open(options);
  }();
  return *s;
}

std::atomic<int64_t> counter{0};

void write_one(bool numbered) {
  static const dms::Context system = dms::Context::system(dms::Clock::system());
  const int64_t n = ++counter;
  store().write([&](storage::Transaction& tx) {
    tx.exec("INSERT INTO bench_feed_rows (id, n) VALUES (?, ?)", {storage::new_id(), n});
    if (numbered) {
      dms::events::emit(tx, system, "bench.written", {{"n", n}});
    } else {
      tx.exec(
          "INSERT INTO outbox_events (type, payload, request_id, created_at) VALUES (?, ?, ?, ?)",
          {std::string("bench.written"), std::string("{\"n\":") + std::to_string(n) + "}",
           std::string(), n});
    }
  });
}

void BM_CommitWithFeedNumbering(benchmark::State& state) {
  store();
  for (auto _ : state) write_one(true);
  state.SetItemsProcessed(state.iterations());
}

void BM_CommitWithoutNumbering(benchmark::State& state) {
  store();
  for (auto _ : state) write_one(false);
  state.SetItemsProcessed(state.iterations());
}

BENCHMARK(BM_CommitWithoutNumbering)->Threads(1)->Threads(4)->Threads(8)->UseRealTime()->MinTime(2);
BENCHMARK(BM_CommitWithFeedNumbering)->Threads(1)->Threads(4)->Threads(8)->UseRealTime()->MinTime(2);

}  // namespace

BENCHMARK_MAIN();
