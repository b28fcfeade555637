// Document numbers on every engine: formats, scopes, gaplessness, and concurrent allocation by
// threads (both engines) and by processes (SQLite). Storage owns the allocator; the series are
// those of the modules that own the documents (workshop, inventory, billing).
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <thread>
#include <vector>

#include "billing/numbering.hpp"
#include "dms/error.hpp"
#include "engines.hpp"
#include "inventory/numbering.hpp"
#include "storage/document_numbers.hpp"
#include "workshop/numbering.hpp"

using dms::Date;
using dms::Error;
using dms::ErrorCode;
using dms::storage::NumberFields;
using dms::storage::Transaction;
namespace series {
using dms::billing::series::kInvoice;
using dms::inventory::series::kPartsIssue;
using dms::inventory::series::kPurchaseOrder;
using dms::workshop::series::kCustomer;
using dms::workshop::series::kJobCard;
}  // namespace series

namespace {

// Every number a test allocated, recorded in the allocating transaction.
const dms::storage::MigrationRegistration kAllocations{{90002, "test: allocations", R"SQL(
CREATE TABLE test_allocations (value BIGINT PRIMARY KEY);
CREATE TABLE test_counters (name TEXT PRIMARY KEY, value BIGINT NOT NULL);
)SQL"}};

void require_consecutive(std::vector<int64_t> values, int64_t expected_count) {
  std::sort(values.begin(), values.end());
  REQUIRE(static_cast<int64_t>(values.size()) == expected_count);
  for (int64_t i = 0; i < expected_count; ++i) {
    if (values[static_cast<size_t>(i)] != i + 1) {
      FAIL("value " << i + 1 << " missing or repeated; found " << values[static_cast<size_t>(i)]);
    }
  }
}

std::vector<int64_t> recorded_allocations(dms::storage::Store& store) {
  return store.read([](Transaction& tx) {
    std::vector<int64_t> values;
    for (const auto& row : tx.query("SELECT value FROM test_allocations")) {
      values.push_back(row.i64(0));
    }
    return values;
  });
}

}  // namespace

TEST_CASE("numbers: format_number expands fields and pads the sequence") {
  NumberFields fields = dms::storage::date_fields(Date::from_ymd(2025, 3, 7), {{"scCode", "SC01"}});
  using dms::storage::format_number;
  CHECK(format_number(series::kJobCard.pattern, 42, fields) == "SC01-2025-03-0042");
  CHECK(format_number(series::kPurchaseOrder.pattern, 7, fields) == "PO-2025-0007");
  CHECK(format_number(series::kPartsIssue.pattern, 12345, fields) == "PI-2025-12345");
  CHECK(format_number(series::kCustomer.pattern, 1, fields) == "CUST-0001");
  CHECK(format_number(series::kInvoice.pattern, 1, fields) == "SC01/2425/00001");
  CHECK(format_number("{FYLABEL}:{YY}{DD}", 1, fields) == "2024-25:2507");
  CHECK(dms::storage::date_fields(Date::from_ymd(2025, 4, 1))["FY"] == "2526");
  for (const char* bad : {"{nope}-{SEQ4}", "X-{SEQ4", "X}-{SEQ4}", "{SEQ0}", "{SEQ{4}}"}) {
    INFO(bad);
    try {
      format_number(bad, 1, fields);
      FAIL("expected VALIDATION");
    } catch (const Error& e) {
      CHECK(e.code() == ErrorCode::kValidation);
      CHECK(e.field() == "numberFormat");
    }
  }
}

TEST_CASE("numbers: counters per series and scope, gapless across rollbacks") {
  dms::test::TestDatabase db(GENERATE(dms::test::engines()));
  INFO("engine: " << db.engine_name());
  auto store = db.open_store();
  NumberFields march = dms::storage::date_fields(Date::from_ymd(2025, 3, 31), {{"scCode", "SC01"}});
  NumberFields april = dms::storage::date_fields(Date::from_ymd(2025, 4, 1), {{"scCode", "SC01"}});
  NumberFields other = dms::storage::date_fields(Date::from_ymd(2025, 3, 31), {{"scCode", "SC02"}});
  store->write([&](Transaction& tx) {
    CHECK(allocate(tx, series::kJobCard, march) == "SC01-2025-03-0001");
    CHECK(allocate(tx, series::kJobCard, march) == "SC01-2025-03-0002");
    CHECK(allocate(tx, series::kJobCard, april) == "SC01-2025-04-0001");
    CHECK(allocate(tx, series::kJobCard, other) == "SC02-2025-03-0001");
    CHECK(allocate(tx, series::kInvoice, march) == "SC01/2425/00001");
    CHECK(allocate(tx, series::kInvoice, april) == "SC01/2526/00001");
    CHECK(allocate(tx, series::kCustomer, march) == "CUST-0001");
    CHECK(allocate(tx, series::kCustomer, other) == "CUST-0002");
  });
  CHECK_THROWS(store->write([&](Transaction& tx) {
    CHECK(allocate(tx, series::kJobCard, march) == "SC01-2025-03-0003");
    throw std::runtime_error("the job card failed to save");
  }));
  store->write([&](Transaction& tx) {
    CHECK(allocate(tx, series::kJobCard, march) == "SC01-2025-03-0003");  // no gap
    CHECK(dms::storage::next_number(tx, "ad-hoc", "") == 1);
  });
}

TEST_CASE("numbers: an invoice number longer than 16 characters is refused") {
  dms::test::TestDatabase db(GENERATE(dms::test::engines()));
  INFO("engine: " << db.engine_name());
  auto store = db.open_store();
  NumberFields fields =
      dms::storage::date_fields(Date::from_ymd(2025, 3, 7), {{"scCode", "CENTRAL"}});
  try {
    store->write([&](Transaction& tx) { allocate(tx, series::kInvoice, fields); });
    FAIL("expected VALIDATION");
  } catch (const Error& e) {
    CHECK(e.code() == ErrorCode::kValidation);
    CHECK_THAT(e.message(), Catch::Contains("16"));
  }
  store->write([&](Transaction& tx) {  // the failed allocation left no gap
    CHECK(dms::storage::next_number(tx, series::kInvoice.name, "CENTRAL/2425") == 1);
  });
}

TEST_CASE("numbers: 8 threads x 1,000 allocations give 8,000 consecutive numbers") {
  dms::test::TestDatabase db(GENERATE(dms::test::engines()));
  INFO("engine: " << db.engine_name());
  auto store = db.open_store();
  constexpr int kThreads = 8;
  constexpr int kPerThread = 1000;
  std::vector<std::vector<int64_t>> taken(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kPerThread; ++i) {
        taken[static_cast<size_t>(t)].push_back(store->write([](Transaction& tx) {
          int64_t value = dms::storage::next_number(tx, "stress", "scope-1");
          tx.exec("INSERT INTO test_allocations (value) VALUES (?)", {value});
          return value;
        }));
      }
    });
  }
  for (auto& thread : threads) thread.join();
  std::vector<int64_t> all;
  for (const auto& part : taken) all.insert(all.end(), part.begin(), part.end());
  require_consecutive(all, kThreads * kPerThread);
  require_consecutive(recorded_allocations(*store), kThreads * kPerThread);
}

TEST_CASE("numbers: 4 SQLite processes allocating from one file never collide") {
  dms::test::TestDatabase db(dms::storage::Engine::kSqlite);
  db.open_store();  // create and migrate, then close before fork()
  constexpr int kProcesses = 4;
  constexpr int kPerProcess = 250;
  std::vector<pid_t> children;
  for (int p = 0; p < kProcesses; ++p) {
    pid_t pid = fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
      int status = 0;
      try {
        auto store = db.open_store();
        for (int i = 0; i < kPerProcess; ++i) {
          store->write([](Transaction& tx) {
            int64_t value = dms::storage::next_number(tx, "stress", "");
            tx.exec("INSERT INTO test_allocations (value) VALUES (?)", {value});
          });
        }
      } catch (...) {
        status = 1;
      }
      _exit(status);
    }
    children.push_back(pid);
  }
  for (pid_t pid : children) {
    int status = 0;
    REQUIRE(waitpid(pid, &status, 0) == pid);
    CHECK((WIFEXITED(status) && WEXITSTATUS(status) == 0));
  }
  require_consecutive(recorded_allocations(*db.open_store()), kProcesses * kPerProcess);
}

TEST_CASE("store: concurrent read-modify-write of one row loses no update") {
  dms::test::TestDatabase db(GENERATE(dms::test::engines()));
  INFO("engine: " << db.engine_name());
  auto store = db.open_store();
  store->write([](Transaction& tx) {
    tx.exec("INSERT INTO test_counters (name, value) VALUES ('balance', 0)");
  });
  constexpr int kThreads = 8;
  constexpr int kPerThread = 200;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < kPerThread; ++i) {
        store->write([](Transaction& tx) {
          std::string select =
              std::string("SELECT value FROM test_counters WHERE name = 'balance'") +
              tx.for_update();
          int64_t value = tx.query_one(select)->i64(0);  // read, compute, write back
          tx.exec("UPDATE test_counters SET value = ? WHERE name = 'balance'", {value + 1});
        });
      }
    });
  }
  for (auto& thread : threads) thread.join();
  auto final_value = store->read([](Transaction& tx) {
    return tx.query_one("SELECT value FROM test_counters WHERE name = 'balance'")->i64(0);
  });
  CHECK(final_value == kThreads * kPerThread);
}

TEST_CASE("store: lock_key serializes writers of one key") {
  dms::test::TestDatabase db(GENERATE(dms::test::engines()));
  INFO("engine: " << db.engine_name());
  auto store = db.open_store();
  constexpr int kThreads = 6;
  constexpr int kPerThread = 100;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < kPerThread; ++i) {
        store->write([](Transaction& tx) {
          tx.lock_key("counter:keyed");  // the row may not exist yet: nothing to FOR UPDATE
          auto row = tx.query_one("SELECT value FROM test_counters WHERE name = 'keyed'");
          if (!row) {
            tx.exec("INSERT INTO test_counters (name, value) VALUES ('keyed', 1)");
          } else {
            tx.exec("UPDATE test_counters SET value = ? WHERE name = 'keyed'", {row->i64(0) + 1});
          }
        });
      }
    });
  }
  for (auto& thread : threads) thread.join();
  auto final_value = store->read([](Transaction& tx) {
    return tx.query_one("SELECT value FROM test_counters WHERE name = 'keyed'")->i64(0);
  });
  CHECK(final_value == kThreads * kPerThread);
}
