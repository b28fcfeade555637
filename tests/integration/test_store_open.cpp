// Opening one brand-new SQLite file from several processes at the same moment: each open waits
// for the others (connection setup, WAL switch, migrations) and succeeds.
#include <sys/wait.h>
#include <unistd.h>

#include <SQLiteCpp/SQLiteCpp.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <cstdio>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "dms/error.hpp"
#include "engines.hpp"
#include "storage/store.hpp"

using dms::storage::Transaction;

namespace {

// Forks `count` children that block on one pipe until the parent closes it, so they all open
// `path` at once; each opens a Store, writes, reads back and exits 0, or prints why and exits 1.
// With hold_ms > 0 the parent itself is a process in the middle of setting the new file up: it
// holds a write transaction on it (rollback journal, as before any WAL switch) from before the
// children start until hold_ms after. Returns the number of children that failed.
int open_at_once(const std::string& path, int count, int hold_ms = 0) {
  int gate[2];
  REQUIRE(pipe(gate) == 0);
  std::vector<pid_t> children;
  for (int i = 0; i < count; ++i) {
    pid_t pid = fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
      close(gate[1]);
      char byte = 0;
      (void)!read(gate[0], &byte, 1);  // returns 0 (EOF) when the parent closes its end
      int status = 0;
      try {
        dms::storage::OpenOptions options = dms::test::TestDatabase::test_options();
        options.url = path;
        auto store = dms::storage::Store::open(options);
        store->write([](Transaction& tx) {
          tx.exec("INSERT INTO document_counters (series, scope, value) VALUES (?, 'open', 1)",
                  {dms::storage::new_id()});
        });
        const int64_t rows = store->read([](Transaction& tx) {
          return tx.query_one("SELECT COUNT(*) FROM document_counters WHERE scope = 'open'")
              ->i64(0);
        });
        if (rows < 1) status = 1;
      } catch (const dms::Error& e) {
        std::fprintf(stderr, "child %d: %s\n", i, e.what());
        status = 1;
      } catch (const std::exception& e) {
        std::fprintf(stderr, "child %d: %s\n", i, e.what());
        status = 1;
      }
      _exit(status);
    }
    children.push_back(pid);
  }
  close(gate[0]);
  std::unique_ptr<SQLite::Database> holder;
  if (hold_ms > 0) {
    holder = std::make_unique<SQLite::Database>(path, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
    holder->exec("BEGIN IMMEDIATE");
    holder->exec("CREATE TABLE held_by_another_process (x BIGINT)");
  }
  close(gate[1]);  // go
  if (holder) {
    std::this_thread::sleep_for(std::chrono::milliseconds(hold_ms));
    holder->exec("COMMIT");
    holder.reset();
  }
  int failed = 0;
  for (pid_t pid : children) {
    int status = 0;
    REQUIRE(waitpid(pid, &status, 0) == pid);
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) ++failed;
  }
  return failed;
}

}  // namespace

TEST_CASE("store: several processes opening one brand-new SQLite file at once all succeed") {
  constexpr int kRounds = 6;
  constexpr int kProcesses = 8;
  for (int round = 0; round < kRounds; ++round) {
    dms::test::TestDatabase db(dms::storage::Engine::kSqlite);  // a path with no file yet
    INFO("round " << round);
    CHECK(open_at_once(db.url(), kProcesses) == 0);
    auto store = db.open_store();
    CHECK(store->read([](Transaction& tx) {
      return tx.query_one("SELECT COUNT(*) FROM document_counters WHERE scope = 'open'")->i64(0);
    }) == kProcesses);
    CHECK(store->schema_version() > 0);
  }
}

TEST_CASE("store: processes opening a new SQLite file another process is setting up wait") {
  // SQLite answers BUSY at once, without the busy handler, to a journal-mode switch while another
  // connection holds the write lock: the open must wait for it instead of failing.
  dms::test::TestDatabase db(dms::storage::Engine::kSqlite);
  const auto start = std::chrono::steady_clock::now();
  CHECK(open_at_once(db.url(), 4, /*hold_ms=*/300) == 0);
  CHECK(std::chrono::steady_clock::now() - start >= std::chrono::milliseconds(300));
  auto store = db.open_store();
  CHECK(store->read([](Transaction& tx) {
    return tx.query_one("SELECT COUNT(*) FROM document_counters WHERE scope = 'open'")->i64(0);
  }) == 4);
}
