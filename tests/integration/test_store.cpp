// The storage seam on every engine: transactions, values, errors, migrations.
#include <atomic>
#include <catch2/catch.hpp>
#include <future>
#include <regex>
#include <set>
#include <stdexcept>
#include <thread>

#include "dms/error.hpp"
#include "engines.hpp"
#include "storage/engine.hpp"
#include "storage/store.hpp"

using dms::Error;
using dms::ErrorCode;
using dms::storage::Row;
using dms::storage::Store;
using dms::storage::Transaction;
using dms::storage::Value;

namespace {

// Test-only tables (versions 90000+ are reserved for tests).
const dms::storage::MigrationRegistration kWidgets{{90001, "test: widgets", R"SQL(
CREATE TABLE widgets (
  id {{ID}},
  code TEXT NOT NULL UNIQUE,
  name TEXT,
  quantity BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX idx_widgets_name ON widgets(name);
)SQL"}};

ErrorCode code_of(const std::function<void()>& fn) {
  try {
    fn();
  } catch (const Error& e) {
    return e.code();
  }
  return ErrorCode::kOk;
}

int64_t count_widgets(Store& store) {
  return store.read(
      [](Transaction& tx) { return tx.query_one("SELECT COUNT(*) FROM widgets")->i64(0); });
}

}  // namespace

TEST_CASE("store: write, read back, typed values") {
  dms::test::TestDatabase db(GENERATE(dms::test::engines()));
  INFO("engine: " << db.engine_name());
  auto store = db.open_store();
  REQUIRE(store->engine() == db.engine());

  int64_t changed = store->write([](Transaction& tx) {
    return tx.exec("INSERT INTO widgets (code, name, quantity) VALUES (?, ?, ?), (?, ?, ?)",
                   {std::string("A-1"), std::string("it's \"quoted\" ?"), int64_t{1500},
                    std::string("B-2"), dms::storage::null_value(), int64_t{-7}});
  });
  CHECK(changed == 2);

  auto rows = store->read([](Transaction& tx) {
    return tx.query("SELECT id, code, name, quantity FROM widgets WHERE code <> '?' ORDER BY code");
  });
  REQUIRE(rows.size() == 2);
  CHECK(rows[0].i64("id") > 0);
  CHECK(rows[0].str("code") == "A-1");
  CHECK(rows[0].str("name") == "it's \"quoted\" ?");
  CHECK(rows[0].i64("quantity") == 1500);
  CHECK(rows[1].is_null("name"));
  CHECK_FALSE(rows[1].opt_str("name").has_value());
  CHECK(rows[1].opt_i64("quantity") == -7);
  CHECK(code_of([&] { rows[0].i64("code"); }) == ErrorCode::kInternal);
  CHECK(code_of([&] { rows[0].str("missing"); }) == ErrorCode::kInternal);
}

TEST_CASE("store: RETURNING and ON CONFLICT work on every engine") {
  dms::test::TestDatabase db(GENERATE(dms::test::engines()));
  INFO("engine: " << db.engine_name());
  auto store = db.open_store();
  const char* upsert =
      "INSERT INTO widgets (code, quantity) VALUES (?, ?) ON CONFLICT (code) DO UPDATE SET "
      "quantity = widgets.quantity + excluded.quantity RETURNING quantity";
  store->write([&](Transaction& tx) {
    CHECK(tx.query_one(upsert, {std::string("X"), int64_t{5}})->i64(0) == 5);
    CHECK(tx.query_one(upsert, {std::string("X"), int64_t{3}})->i64(0) == 8);
  });
}

TEST_CASE("store: an exception rolls everything back") {
  dms::test::TestDatabase db(GENERATE(dms::test::engines()));
  INFO("engine: " << db.engine_name());
  auto store = db.open_store();
  CHECK_THROWS_AS(store->write([](Transaction& tx) {
    tx.exec("INSERT INTO widgets (code) VALUES (?)", {std::string("gone")});
    throw std::runtime_error("boom");
  }),
                  std::runtime_error);
  CHECK(count_widgets(*store) == 0);
}

TEST_CASE("store: a unique violation is DUPLICATE naming the column") {
  dms::test::TestDatabase db(GENERATE(dms::test::engines()));
  INFO("engine: " << db.engine_name());
  auto store = db.open_store();
  store->write([](Transaction& tx) {
    tx.exec("INSERT INTO widgets (code) VALUES (?)", {std::string("dup")});
  });
  try {
    store->write([](Transaction& tx) {
      tx.exec("INSERT INTO widgets (code) VALUES (?)", {std::string("dup")});
    });
    FAIL("expected DUPLICATE");
  } catch (const Error& e) {
    CHECK(e.code() == ErrorCode::kDuplicate);
    CHECK(e.field() == "code");
  }
  CHECK(count_widgets(*store) == 1);
}

TEST_CASE("store: wrong number of bound values is an internal error") {
  dms::test::TestDatabase db(GENERATE(dms::test::engines()));
  INFO("engine: " << db.engine_name());
  auto store = db.open_store();
  auto fn = [&] {
    store->write([](Transaction& tx) {
      tx.exec("INSERT INTO widgets (code, name) VALUES (?, ?)", {std::string("only one")});
    });
  };
  CHECK(code_of(fn) == ErrorCode::kInternal);
}

TEST_CASE("store: a bad statement is STORAGE_ERROR") {
  dms::test::TestDatabase db(GENERATE(dms::test::engines()));
  INFO("engine: " << db.engine_name());
  auto store = db.open_store();
  CHECK(code_of([&] { store->read([](Transaction& tx) { tx.query("SELECT * FROM nowhere"); }); }) ==
        ErrorCode::kStorage);
}

TEST_CASE("migrations: applied once, recorded, reopen is a no-op") {
  dms::test::TestDatabase db(GENERATE(dms::test::engines()));
  INFO("engine: " << db.engine_name());
  auto known = dms::storage::registered_migrations();
  REQUIRE(known.size() >= 2);
  {
    auto store = db.open_store();
    CHECK(store->schema_version() == known.back().version);
    store->write([](Transaction& tx) {
      tx.exec("INSERT INTO widgets (code) VALUES (?)", {std::string("kept")});
    });
  }
  auto store = db.open_store();
  CHECK(count_widgets(*store) == 1);
  auto applied = store->read([](Transaction& tx) {
    return tx.query("SELECT version, name, applied_at FROM schema_migrations ORDER BY version");
  });
  REQUIRE(applied.size() == known.size());
  for (size_t i = 0; i < known.size(); ++i) {
    CHECK(applied[i].i64("version") == known[i].version);
    CHECK(applied[i].str("name") == known[i].name);
  }
}

TEST_CASE("migrations: a database from a newer library is refused") {
  dms::test::TestDatabase db(GENERATE(dms::test::engines()));
  INFO("engine: " << db.engine_name());
  db.open_store()->write([](Transaction& tx) {
    tx.exec("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
            {int64_t{999999}, std::string("from the future"), int64_t{0}});
  });
  try {
    db.open_store();
    FAIL("expected STORAGE_ERROR");
  } catch (const Error& e) {
    CHECK(e.code() == ErrorCode::kStorage);
    CHECK_THAT(e.message(), Catch::Contains("999999") && Catch::Contains("newer"));
  }
}

TEST_CASE("store: :memory: SQLite is private to its Store") {
  auto a = Store::open(":memory:");
  auto b = Store::open(":memory:");
  a->write([](Transaction& tx) { tx.exec("INSERT INTO widgets (code) VALUES ('m')"); });
  CHECK(count_widgets(*a) == 1);
  CHECK(count_widgets(*b) == 0);
}

TEST_CASE("store: an unknown synchronous level is VALIDATION") {
  dms::storage::OpenOptions options;
  options.url = ":memory:";
  options.sqlite_synchronous = "SOMETIMES";
  try {
    Store::open(options);
    FAIL("expected VALIDATION");
  } catch (const Error& e) {
    CHECK(e.code() == ErrorCode::kValidation);
    CHECK(e.field() == "sqliteSynchronous");
  }
}

TEST_CASE("store: new_id is a random version-4 UUID") {
  std::regex uuid("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
  std::set<std::string> seen;
  for (int i = 0; i < 1000; ++i) {
    std::string id = dms::storage::new_id();
    CHECK(std::regex_match(id, uuid));
    seen.insert(id);
  }
  CHECK(seen.size() == 1000);
}

TEST_CASE("store: SQLite writer locked out past the busy timeout sees CONFLICT") {
  dms::test::TestDatabase db(dms::storage::Engine::kSqlite);
  auto holder = db.open_store();
  auto options = dms::test::TestDatabase::test_options();
  options.busy_timeout_ms = 50;
  auto other = db.open_store(options);  // a second Store stands in for another process
  std::promise<void> locked;
  std::promise<void> release;
  std::thread thread([&] {
    holder->write([&](Transaction& tx) {
      tx.exec("INSERT INTO widgets (code) VALUES ('held')");
      locked.set_value();
      release.get_future().wait();
    });
  });
  locked.get_future().wait();
  CHECK(code_of([&] {
          other->write([](Transaction& tx) { tx.exec("INSERT INTO widgets (code) VALUES ('x')"); });
        }) == ErrorCode::kConflict);
  CHECK(count_widgets(*other) == 0);  // readers are not blocked by the writer
  release.set_value();
  thread.join();
  CHECK(count_widgets(*other) == 1);
}

TEST_CASE("store: PostgreSQL re-runs a transaction that lost a deadlock") {
  dms::test::TestDatabase db(dms::storage::Engine::kPostgres);
  auto store = db.open_store();
  store->write([](Transaction& tx) {
    tx.exec("INSERT INTO widgets (code, quantity) VALUES ('a', 0), ('b', 0)");
  });
  std::atomic<int> attempts{0};
  std::atomic<int> arrived{0};
  auto cross_update = [&](const char* first, const char* second) {
    store->write([&](Transaction& tx) {
      bool first_attempt = attempts.fetch_add(1) < 2;
      tx.exec("UPDATE widgets SET quantity = quantity + 1 WHERE code = ?", {std::string(first)});
      if (first_attempt) {  // both hold one row lock before either asks for the other
        arrived.fetch_add(1);
        while (arrived.load() < 2) std::this_thread::yield();
      }
      tx.exec("UPDATE widgets SET quantity = quantity + 1 WHERE code = ?", {std::string(second)});
    });
  };
  std::thread one([&] { cross_update("a", "b"); });
  std::thread two([&] { cross_update("b", "a"); });
  one.join();
  two.join();
  CHECK(attempts.load() >= 3);  // the deadlock victim ran again (under load, maybe more than once)
  auto total = store->read(
      [](Transaction& tx) { return tx.query_one("SELECT SUM(quantity) FROM widgets")->i64(0); });
  CHECK(total == 4);
}

TEST_CASE("store: an unreachable PostgreSQL server is UNAVAILABLE") {
  CHECK(code_of([] { Store::open("postgresql://nobody@127.0.0.1:1/none?connect_timeout=2"); }) ==
        ErrorCode::kUnavailable);
}

TEST_CASE("store: placeholders are numbered outside quotes and comments only") {
  using dms::storage::detail::count_placeholders;
  using dms::storage::detail::number_placeholders;
  CHECK(number_placeholders("SELECT ? , '?''?', \"a?\" -- ?\n, ? /* ? */, $$ ? $$, $f$?$f$, ?") ==
        "SELECT $1 , '?''?', \"a?\" -- ?\n, $2 /* ? */, $$ ? $$, $f$?$f$, $3");
  CHECK(count_placeholders("INSERT INTO t VALUES (?, ?, 'x?')") == 2);
  CHECK(count_placeholders("SELECT 1") == 0);
}
