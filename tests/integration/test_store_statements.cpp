// Prepared statements kept per connection (SQLite: an LRU cache; PostgreSQL: prepared once per
// connection): reuse with other values, failures in the middle of a statement, rollbacks and
// re-runs, schema changes under a cached statement, more statements than the cache holds.
#include <catch2/catch.hpp>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "dms/error.hpp"
#include "engines.hpp"
#include "storage/store.hpp"

using dms::Error;
using dms::ErrorCode;
using dms::storage::Engine;
using dms::storage::Store;
using dms::storage::Transaction;
using dms::storage::Value;

namespace {

// One connection on PostgreSQL, so every transaction sees the statements the last one prepared.
std::unique_ptr<Store> open_one_connection(const dms::test::TestDatabase& db) {
  auto options = dms::test::TestDatabase::test_options();
  options.pool_size = 1;
  return db.open_store(options);
}

ErrorCode code_of(const std::function<void()>& fn) {
  try {
    fn();
  } catch (const Error& e) {
    return e.code();
  }
  return ErrorCode::kOk;
}

std::vector<std::string> columns_of(Store& store, const std::string& sql) {
  return store.read([&](Transaction& tx) { return tx.query(sql).at(0).columns(); });
}

}  // namespace

TEST_CASE("statements: a reused statement binds new values each time, NULLs included") {
  dms::test::TestDatabase db(GENERATE(dms::test::engines()));
  INFO("engine: " << db.engine_name());
  auto store = open_one_connection(db);
  store->write([](Transaction& tx) {
    tx.exec("CREATE TABLE st_items (code TEXT PRIMARY KEY, qty BIGINT, note TEXT)");
  });
  const char* insert = "INSERT INTO st_items (code, qty, note) VALUES (?, ?, ?)";
  store->write([&](Transaction& tx) {
    for (int i = 0; i < 50; ++i) {
      tx.exec(insert, {"c" + std::to_string(i), int64_t{i},
                       i % 2 == 0 ? Value{std::string("n") + std::to_string(i)} : Value{}});
    }
  });
  store->read([](Transaction& tx) {
    const char* one = "SELECT qty, note FROM st_items WHERE code = ?";
    for (int i = 0; i < 50; ++i) {
      auto row = tx.query_one(one, {"c" + std::to_string(i)});
      REQUIRE(row);
      CHECK(row->i64("qty") == i);
      CHECK(row->is_null("note") == (i % 2 == 1));
    }
    CHECK_FALSE(tx.query_one(one, {std::string("missing")}));
  });
}

TEST_CASE("statements: a statement that failed, at bind, step or mid-result, runs again cleanly") {
  dms::test::TestDatabase db(GENERATE(dms::test::engines()));
  INFO("engine: " << db.engine_name());
  auto store = open_one_connection(db);
  store->write([](Transaction& tx) {
    tx.exec("CREATE TABLE st_values (id BIGINT PRIMARY KEY, v BIGINT NOT NULL)");
    tx.exec("INSERT INTO st_values (id, v) VALUES (1, -1), (2, -2)");
  });
  const char* insert = "INSERT INTO st_values (id, v) VALUES (?, ?)";
  // A unique violation on the cached INSERT, then the same INSERT with other values.
  CHECK(code_of([&] {
          store->write([&](Transaction& tx) { tx.exec(insert, {int64_t{1}, int64_t{5}}); });
        }) == ErrorCode::kDuplicate);
  store->write([&](Transaction& tx) { tx.exec(insert, {int64_t{3}, int64_t{-3}}); });
  // Wrong number of values: refused before anything runs; the statement stays usable.
  CHECK(code_of([&] { store->write([&](Transaction& tx) { tx.exec(insert, {int64_t{4}}); }); }) ==
        ErrorCode::kInternal);
  // abs() of the smallest BIGINT overflows on the third row, after two rows were produced.
  const char* abs_all = "SELECT abs(v) AS a FROM st_values ORDER BY id";
  store->write([&](Transaction& tx) {
    tx.exec(insert, {int64_t{9}, std::numeric_limits<int64_t>::min()});
  });
  CHECK(code_of([&] { store->read([&](Transaction& tx) { tx.query(abs_all); }); }) ==
        ErrorCode::kStorage);
  store->write([](Transaction& tx) { tx.exec("DELETE FROM st_values WHERE id = 9"); });
  auto values = store->read([&](Transaction& tx) { return tx.query(abs_all); });
  REQUIRE(values.size() == 3);
  CHECK(values[2].i64("a") == 3);
  CHECK(store->read([](Transaction& tx) {
    return tx.query_one("SELECT COUNT(*) FROM st_values")->i64(0);
  }) == 3);
}

TEST_CASE("statements: a prepared statement outlives a rolled-back transaction") {
  dms::test::TestDatabase db(GENERATE(dms::test::engines()));
  INFO("engine: " << db.engine_name());
  auto store = open_one_connection(db);
  store->write([](Transaction& tx) { tx.exec("CREATE TABLE st_log (n BIGINT NOT NULL)"); });
  const char* insert = "INSERT INTO st_log (n) VALUES (?)";
  CHECK_THROWS_AS(store->write([&](Transaction& tx) {
    tx.exec(insert, {int64_t{1}});  // first use: prepared in this transaction
    throw std::runtime_error("roll back");
  }),
                  std::runtime_error);
  store->write([&](Transaction& tx) { tx.exec(insert, {int64_t{2}}); });
  CHECK(store->read([](Transaction& tx) {
    return tx.query_one("SELECT SUM(n) FROM st_log")->i64(0);
  }) == 2);
}

TEST_CASE("statements: a cached SELECT * sees columns added and tables recreated under it") {
  dms::test::TestDatabase db(GENERATE(dms::test::engines()));
  INFO("engine: " << db.engine_name());
  auto store = open_one_connection(db);
  store->write([](Transaction& tx) {
    tx.exec("CREATE TABLE st_shape (a BIGINT)");
    tx.exec("INSERT INTO st_shape (a) VALUES (1)");
  });
  const std::string select_all = "SELECT * FROM st_shape";
  CHECK(columns_of(*store, select_all) == std::vector<std::string>{"a"});
  CHECK(columns_of(*store, select_all) == std::vector<std::string>{"a"});  // cached now
  store->write([](Transaction& tx) { tx.exec("ALTER TABLE st_shape ADD COLUMN b TEXT"); });
  CHECK(columns_of(*store, select_all) == std::vector<std::string>{"a", "b"});
  store->write([](Transaction& tx) {
    tx.exec("DROP TABLE st_shape");
    tx.exec("CREATE TABLE st_shape (c TEXT, d BIGINT)");
    tx.exec("INSERT INTO st_shape (c, d) VALUES ('x', 2)");
  });
  CHECK(columns_of(*store, select_all) == std::vector<std::string>{"c", "d"});
  // Another Store (another process's connections) changing the schema.
  auto other = db.open_store();
  other->write([](Transaction& tx) { tx.exec("ALTER TABLE st_shape ADD COLUMN e BIGINT"); });
  CHECK(columns_of(*store, select_all) == std::vector<std::string>{"c", "d", "e"});
}

TEST_CASE("statements: more distinct statements than a connection keeps") {
  dms::test::TestDatabase db(GENERATE(dms::test::engines()));
  INFO("engine: " << db.engine_name());
  auto store = open_one_connection(db);
  for (int round = 0; round < 2; ++round) {
    store->read([](Transaction& tx) {
      for (int64_t i = 0; i < 600; ++i) {
        // 600 different texts: past every limit of both engines (evicted, unprepared, forgotten).
        const std::string sql = "SELECT CAST(? AS BIGINT) + " + std::to_string(i) + " AS v";
        CHECK(tx.query_one(sql, {int64_t{1000}})->i64("v") == 1000 + i);
      }
    });
  }
}

TEST_CASE("statements: PostgreSQL statements whose parameter types cannot be inferred") {
  dms::test::TestDatabase db(Engine::kPostgres);
  auto store = open_one_connection(db);
  // The same refusal every time (never "prepared statement does not exist"), and the connection
  // stays usable.
  for (int i = 0; i < 2; ++i) {
    try {
      store->read([](Transaction& tx) { tx.query("SELECT ? IS NULL AS n", {Value{}}); });
      FAIL("expected STORAGE_ERROR");
    } catch (const Error& e) {
      CHECK(e.code() == ErrorCode::kStorage);
      CHECK_THAT(e.message(), Catch::Contains("could not determine data type"));
    }
  }
  CHECK(store->read([](Transaction& tx) {
    return tx.query_one("SELECT CAST(? AS BIGINT) IS NULL AS n", {Value{}})->i64("n");
  }) == 1);
}
