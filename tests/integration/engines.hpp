// Test databases for integration tests: the same test runs once per storage engine, each run on
// a fresh, empty database that nothing else sees.
//
//   #include "engines.hpp"
//
//   TEST_CASE("inventory: adjust stock") {
//     dms::test::TestDatabase db(GENERATE(dms::test::engines()));  // once per engine
//     INFO("engine: " << db.engine_name());
//     auto store = db.open_store();              // storage::Store, migrated
//     auto app = dms::Database::open(db.url());  // or the whole library on it
//     ...
//   }
//
// SQLite runs on a temporary file (WAL, several connections: closer to production than
// ":memory:"); the file is deleted afterwards. PostgreSQL runs on the server named by the
// environment variable DMS_TEST_PG_URL (scripts/test.sh starts one and sets it; by hand:
// `source scripts/lib.sh; source scripts/pg.sh; dms_pg_start`), in a fresh schema that the URL
// selects through search_path and that is dropped afterwards. When DMS_TEST_PG_URL is unset the
// PostgreSQL run FAILS: a missing server must never look like a pass.
//
// Thread-safety: a TestDatabase is created and destroyed by the test's thread; url() and
// open_store() may be used from any thread (and, for SQLite, from fork()ed children).
#pragma once

#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <pqxx/pqxx>
#include <string>

#include "storage/store.hpp"

namespace dms::test {

// GENERATE(dms::test::engines()) runs the enclosing test case once per engine.
inline Catch::Generators::GeneratorWrapper<storage::Engine> engines() {
  return Catch::Generators::values({storage::Engine::kSqlite, storage::Engine::kPostgres});
}

// The PostgreSQL server of the tests; FAILs the test when it is not configured.
inline std::string postgres_server_url() {
  const char* url = std::getenv("DMS_TEST_PG_URL");
  if (url == nullptr || *url == '\0') {
    FAIL(
        "DMS_TEST_PG_URL is not set: the PostgreSQL half of the integration tests cannot run. "
        "Use scripts/test.sh, or `source scripts/lib.sh; source scripts/pg.sh; dms_pg_start`.");
  }
  return url;
}

class TestDatabase {
 public:
  explicit TestDatabase(storage::Engine engine) : engine_(engine) {
    std::string suffix = storage::new_id().substr(0, 8) + storage::new_id().substr(0, 8);
    if (engine == storage::Engine::kSqlite) {
      url_ = "/tmp/dms-test-" + suffix + ".db";
    } else {
      server_url_ = postgres_server_url();
      schema_ = "test_" + suffix;
      run_on_server("CREATE SCHEMA " + schema_);
      url_ = server_url_ + (server_url_.find('?') == std::string::npos ? "?" : "&") +
             "options=-csearch_path%3D" + schema_;
    }
  }

  ~TestDatabase() {
    if (engine_ == storage::Engine::kSqlite) {
      for (const char* suffix : {"", "-wal", "-shm", "-journal"}) {
        std::remove((url_ + suffix).c_str());
      }
    } else {
      try {
        run_on_server("DROP SCHEMA IF EXISTS " + schema_ + " CASCADE");
      } catch (...) {  // a destructor must not throw; the server is thrown away anyway
      }
    }
  }

  TestDatabase(const TestDatabase&) = delete;
  TestDatabase& operator=(const TestDatabase&) = delete;

  storage::Engine engine() const { return engine_; }
  const char* engine_name() const { return storage::engine_name(engine_); }
  // A path (SQLite) or URL (PostgreSQL) for Store::open or dms::Database::open.
  const std::string& url() const { return url_; }

  // Store::open on this database; `options.url` is filled in. Tests default to
  // synchronous=NORMAL: durability across power loss is not what they check, and it is faster.
  std::unique_ptr<storage::Store> open_store(storage::OpenOptions options = test_options()) const {
    options.url = url_;
    return storage::Store::open(options);
  }

  static storage::OpenOptions test_options() {
    storage::OpenOptions options;
    options.sqlite_synchronous = "NORMAL";
    return options;
  }

 private:
  void run_on_server(const std::string& sql) const {
    pqxx::connection connection(server_url_);
    pqxx::nontransaction statement(connection);
    statement.exec(sql);
  }

  storage::Engine engine_;
  std::string url_;
  std::string server_url_;
  std::string schema_;
};

}  // namespace dms::test
