// The committed-event feed (issue 13 item 4, decision 0017): Database::events_since and
// Database::subscribe deliver every outbox event once its transaction has committed, in commit
// order, and resume from a cursor without loss; on PostgreSQL a transaction that commits after a
// later-numbered one is not skipped.
#include <algorithm>
#include <atomic>
#include <catch2/catch.hpp>
#include <chrono>
#include <condition_variable>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "dms/database.hpp"
#include "dms/error.hpp"
#include "engines.hpp"
#include "events/outbox.hpp"
#include "service/service.hpp"

namespace dms {
namespace {

using namespace std::chrono_literals;

std::unique_ptr<Database> open_database(const test::TestDatabase& database) {
  DatabaseOptions options;
  options.url = database.url();
  options.sqlite_synchronous = "NORMAL";
  options.pool_size = 8;
  return Database::open(options);
}

Json create_center(Database& db, const std::string& code) {
  return db.call(db.system_context(), "serviceCenters.Create",
                 {{"code", code}, {"name", code + " - Pune"}});
}

// Events collected by a subscription's callback.
struct Collector {
  std::mutex mutex;
  std::condition_variable arrived;
  std::vector<Json> events;

  void add(const Json& event) {
    {
      std::lock_guard<std::mutex> lock(mutex);
      events.push_back(event);
    }
    arrived.notify_all();
  }
  bool wait_for_count(size_t count, std::chrono::milliseconds timeout = 10s) {
    std::unique_lock<std::mutex> lock(mutex);
    return arrived.wait_for(lock, timeout, [&] { return events.size() >= count; });
  }
  std::vector<Json> snapshot() {
    std::lock_guard<std::mutex> lock(mutex);
    return events;
  }
};

std::vector<std::string> codes_of(const std::vector<Json>& events) {
  std::vector<std::string> codes;
  for (const Json& e : events) codes.push_back(e["payload"]["code"].get<std::string>());
  return codes;
}

int64_t seq_of(const Json& event) {
  return std::stoll(event["cursor"].get<std::string>());
}

// Emits one event in its own transaction, directly on the store; returns the event's id.
int64_t emit_one(Database& db, const std::string& type, const Json& payload) {
  const Context system = db.system_context();
  return db.impl().store->write([&](storage::Transaction& tx) {
    events::emit(tx, system, type, payload);
    return tx.query_one("SELECT MAX(id) FROM outbox_events")->i64(0);
  });
}

TEST_CASE("feed: subscribe, commit order, close and resume from the cursor") {
  test::TestDatabase database(GENERATE(test::engines()));
  INFO("engine: " << database.engine_name());
  auto db = open_database(database);

  Collector first;
  auto subscription = db->subscribe("", [&](const Json& e) { first.add(e); });
  std::vector<std::string> codes = {"FE01", "FE02", "FE03", "FE04"};
  std::vector<std::string> ids;
  for (const auto& code : codes) ids.push_back(create_center(*db, code)["id"]);
  REQUIRE(first.wait_for_count(codes.size()));
  const std::vector<Json> got = first.snapshot();
  CHECK(codes_of(got) == codes);
  for (size_t i = 0; i < got.size(); ++i) {
    const Json& e = got[i];
    CHECK(e["type"] == "service_center.created");
    CHECK(e["serviceCenterId"] == ids[i]);
    CHECK(e["audienceRole"].is_null());
    CHECK(e["id"].is_string());
    CHECK(e["occurredAt"].get<std::string>().find('T') == 10);
    CHECK(e.size() == 7);  // {cursor, id, type, payload, serviceCenterId, audienceRole, occurredAt}
    if (i > 0) CHECK(seq_of(e) > seq_of(got[i - 1]));
  }
  const std::string saved = got.back()["cursor"];
  CHECK(subscription->active());
  subscription->close();
  CHECK_FALSE(subscription->active());
  CHECK(subscription->cursor() == saved);  // advanced once each callback returned

  // Commits while nobody listens; a new subscription from the saved cursor gets exactly those
  // and what follows, nothing twice.
  create_center(*db, "FF01");
  create_center(*db, "FF02");
  Collector second;
  auto resumed = db->subscribe(saved, [&](const Json& e) { second.add(e); });
  create_center(*db, "FF03");
  REQUIRE(second.wait_for_count(3));
  std::this_thread::sleep_for(50ms);
  CHECK(codes_of(second.snapshot()) == std::vector<std::string>{"FF01", "FF02", "FF03"});
  resumed.reset();  // the destructor closes

  // events_since reads the same feed in pages.
  EventPage page = db->events_since("", 3);
  CHECK(codes_of(page.events) == std::vector<std::string>{"FE01", "FE02", "FE03"});
  page = db->events_since(page.cursor, 1000);
  CHECK(codes_of(page.events) == std::vector<std::string>{"FE04", "FF01", "FF02", "FF03"});
  CHECK(db->events_head() == page.cursor);
  const EventPage empty = db->events_since(page.cursor);
  CHECK(empty.events.empty());
  CHECK(empty.cursor == page.cursor);

  // events_since with a wait: woken by this Database's own commit.
  std::thread later([&] {
    std::this_thread::sleep_for(100ms);
    create_center(*db, "FG01");
  });
  const auto started = std::chrono::steady_clock::now();
  const EventPage waited = db->events_since(page.cursor, 10, 10s);
  later.join();
  CHECK(codes_of(waited.events) == std::vector<std::string>{"FG01"});
  CHECK(std::chrono::steady_clock::now() - started < 5s);

  CHECK_THROWS_AS(db->events_since("x1"), Error);
  CHECK_THROWS_AS(db->events_since("-1"), Error);
  CHECK_THROWS_AS(db->events_since("", 0), Error);
  CHECK_THROWS_AS(db->events_since("", 1001), Error);
  CHECK_THROWS_AS(db->subscribe("nope", [](const Json&) {}), Error);
}

TEST_CASE("feed: an event of a transaction committing later with a smaller id is not skipped") {
  // PostgreSQL only: SQLite has one writer at a time, so ids are in commit order there.
  test::TestDatabase database(storage::Engine::kPostgres);
  auto db = open_database(database);
  const std::string start = db->events_head();

  std::mutex mutex;
  std::condition_variable changed;
  bool emitted = false;
  bool release = false;
  int64_t slow_id = 0;
  std::thread slow([&] {
    const Context system = db->system_context();
    db->impl().store->write([&](storage::Transaction& tx) {
      events::emit(tx, system, "test.slow", {{"n", 1}});
      const int64_t id = tx.query_one("SELECT MAX(id) FROM outbox_events")->i64(0);
      std::unique_lock<std::mutex> lock(mutex);
      slow_id = id;
      emitted = true;
      changed.notify_all();
      changed.wait(lock, [&] { return release; });  // hold the transaction open
    });
  });
  {
    std::unique_lock<std::mutex> lock(mutex);
    changed.wait(lock, [&] { return emitted; });
  }
  const int64_t fast_id = emit_one(*db, "test.fast", {{"n", 2}});
  CHECK(fast_id > slow_id);  // numbered later, committed first

  const EventPage first = db->events_since(start);
  REQUIRE(first.events.size() == 1);
  CHECK(first.events[0]["type"] == "test.fast");
  {
    std::lock_guard<std::mutex> lock(mutex);
    release = true;
  }
  changed.notify_all();
  slow.join();
  const EventPage second = db->events_since(first.cursor);
  REQUIRE(second.events.size() == 1);
  CHECK(second.events[0]["type"] == "test.slow");
  CHECK(second.events[0]["id"] == std::to_string(slow_id));
}

TEST_CASE("feed: concurrent writers, every event exactly once in commit order") {
  test::TestDatabase database(GENERATE(test::engines()));
  INFO("engine: " << database.engine_name());
  auto db = open_database(database);
  constexpr int kWriters = 4;
  constexpr int kEach = 25;

  Collector subscribed;
  SubscribeOptions fast;
  fast.poll_interval = 1ms;  // the writers go through the store, which does not wake it
  fast.batch = 7;
  auto subscription = db->subscribe(
      "", [&](const Json& e) { subscribed.add(e); }, {}, fast);

  // A second reader pages through events_since as fast as it can while the writers run.
  std::atomic<bool> writing{true};
  std::vector<Json> paged;
  std::thread pager([&] {
    std::string cursor;
    for (;;) {
      const bool last_round = !writing.load();
      EventPage page = db->events_since(cursor, 5);
      for (Json& e : page.events) paged.push_back(std::move(e));
      cursor = page.cursor;
      if (last_round && page.events.empty()) break;
    }
  });

  std::vector<std::vector<int64_t>> written(kWriters);
  std::vector<std::thread> writers;
  for (int w = 0; w < kWriters; ++w) {
    writers.emplace_back([&, w] {
      const Context system = db->system_context();
      for (int i = 0; i < kEach; ++i) {
        const int64_t id = db->impl().store->write([&](storage::Transaction& tx) {
          events::emit(tx, system, "test.write", {{"writer", w}, {"i", i}});
          const int64_t first = tx.query_one("SELECT MAX(id) FROM outbox_events")->i64(0);
          // Vary how long each transaction stays open after numbering its row, so commits
          // overtake each other on PostgreSQL.
          if ((i + w) % 3 == 0) std::this_thread::sleep_for(std::chrono::milliseconds(1 + w));
          if (i % 5 == 0) events::emit(tx, system, "test.write2", {{"writer", w}, {"i", i}});
          return first;
        });
        written[w].push_back(id);
      }
    });
  }
  for (auto& t : writers) t.join();
  writing = false;
  pager.join();
  const size_t total = kWriters * (kEach + (kEach + 4) / 5);
  REQUIRE(subscribed.wait_for_count(total));
  std::this_thread::sleep_for(20ms);
  subscription->close();

  const EventPage all = db->events_since("", 1000);
  REQUIRE(all.events.size() == total);
  for (const std::vector<Json>* delivered :
       {static_cast<const std::vector<Json>*>(&paged), &all.events}) {
    CHECK(delivered->size() == total);
    std::set<std::string> ids;
    for (const Json& e : *delivered) ids.insert(e["id"].get<std::string>());
    CHECK(ids.size() == total);  // none twice, none missed
  }
  const std::vector<Json> via_subscription = subscribed.snapshot();
  REQUIRE(via_subscription.size() == total);
  for (size_t i = 0; i < total; ++i) {
    CHECK(via_subscription[i]["id"] == all.events[i]["id"]);
    CHECK(paged[i]["id"] == all.events[i]["id"]);
    if (i > 0) CHECK(seq_of(all.events[i]) > seq_of(all.events[i - 1]));
  }
  // Commit order: a writer's transactions commit one after another, so their events come in
  // that order; and a transaction's own events stay together in emit order.
  std::map<int64_t, size_t> position;
  for (size_t i = 0; i < total; ++i) {
    position[std::stoll(all.events[i]["id"].get<std::string>())] = i;
  }
  for (int w = 0; w < kWriters; ++w) {
    for (size_t i = 1; i < written[w].size(); ++i) {
      CHECK(position.at(written[w][i - 1]) < position.at(written[w][i]));
    }
  }
  for (size_t i = 0; i < total; ++i) {
    if (all.events[i]["type"] == "test.write2") {
      REQUIRE(i > 0);
      CHECK(all.events[i - 1]["type"] == "test.write");
      CHECK(all.events[i - 1]["payload"] == all.events[i]["payload"]);
    }
  }
}

TEST_CASE(
    "feed: a failing callback ends its subscription, closing from a callback and with the "
    "database") {
  test::TestDatabase database(storage::Engine::kSqlite);
  auto db = open_database(database);
  std::vector<Error> errors;
  std::mutex mutex;
  auto failing = db->subscribe(
      "", [](const Json&) { throw std::runtime_error("host bug"); },
      [&](const Error& e) {
        std::lock_guard<std::mutex> lock(mutex);
        errors.push_back(e);
      });
  create_center(*db, "FX01");
  for (int i = 0; i < 500 && failing->active(); ++i) std::this_thread::sleep_for(10ms);
  CHECK_FALSE(failing->active());
  {
    std::lock_guard<std::mutex> lock(mutex);
    REQUIRE(errors.size() == 1);
    CHECK(errors[0].message().find("host bug") != std::string::npos);
  }
  CHECK(failing->cursor() == "0");  // the failed event was not delivered: it comes again
  failing->close();

  std::atomic<int> calls{0};
  std::unique_ptr<EventSubscription> self_closing;
  std::mutex started;
  {
    std::lock_guard<std::mutex> hold(started);
    self_closing = db->subscribe("", [&](const Json&) {
      std::lock_guard<std::mutex> wait_for_assignment(started);
      ++calls;
      self_closing->close();  // from its own thread: this callback is the last
    });
  }
  create_center(*db, "FX02");
  for (int i = 0; i < 500 && self_closing->active(); ++i) std::this_thread::sleep_for(10ms);
  std::this_thread::sleep_for(50ms);
  CHECK(calls == 1);
  self_closing->close();

  Collector collector;
  auto outliving = db->subscribe("", [&](const Json& e) { collector.add(e); });
  REQUIRE(collector.wait_for_count(2));
  db.reset();  // stops the subscription
  CHECK_FALSE(outliving->active());
  outliving->close();  // fine after the Database is gone
}

}  // namespace
}  // namespace dms
