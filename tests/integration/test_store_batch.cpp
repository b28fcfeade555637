// storage::run_batch (src/storage/batch.hpp): the writes and reads of the calling thread join
// the batch's transaction; a throw rolls the whole batch back; other threads do not join.
#include <catch2/catch.hpp>
#include <future>
#include <stdexcept>

#include "dms/error.hpp"
#include "engines.hpp"
#include "storage/batch.hpp"

using dms::storage::Store;
using dms::storage::Transaction;

namespace {

// The widgets table of test_store.cpp's test migration.
int64_t count_widgets(Store& store) {
  return store.read(
      [](Transaction& tx) { return tx.query_one("SELECT COUNT(*) FROM widgets")->i64(0); });
}

void insert_widget(Store& store, const std::string& code) {
  store.write([&](Transaction& tx) { tx.exec("INSERT INTO widgets (code) VALUES (?)", {code}); });
}

}  // namespace

TEST_CASE("store batch: nested transactions of the thread join, commit together") {
  dms::test::TestDatabase db(GENERATE(dms::test::engines()));
  INFO("engine: " << db.engine_name());
  auto store = db.open_store();
  dms::storage::run_batch(*store, [&](Transaction&) {
    insert_widget(*store, "a");
    insert_widget(*store, "b");
    CHECK(count_widgets(*store) == 2);  // the nested read sees the batch's own rows
    // Another thread opens its own transaction: it sees nothing uncommitted.
    CHECK(std::async(std::launch::async, [&] { return count_widgets(*store); }).get() == 0);
  });
  CHECK(count_widgets(*store) == 2);
}

TEST_CASE("store batch: a throw rolls every joined write back") {
  dms::test::TestDatabase db(GENERATE(dms::test::engines()));
  INFO("engine: " << db.engine_name());
  auto store = db.open_store();
  CHECK_THROWS_AS(dms::storage::run_batch(*store,
                                          [&](Transaction&) {
                                            insert_widget(*store, "a");
                                            insert_widget(*store, "b");
                                            throw std::runtime_error("refused");
                                          }),
                  std::runtime_error);
  CHECK(count_widgets(*store) == 0);
  insert_widget(*store, "after");  // the thread no longer joins anything
  CHECK(count_widgets(*store) == 1);
}

TEST_CASE("store batch: batches do not nest") {
  dms::test::TestDatabase db(dms::storage::Engine::kSqlite);
  auto store = db.open_store();
  try {
    dms::storage::run_batch(
        *store, [&](Transaction&) { dms::storage::run_batch(*store, [](Transaction&) {}); });
    FAIL("a nested batch ran");
  } catch (const dms::Error& e) {
    CHECK(e.code() == dms::ErrorCode::kInternal);
  }
}
