// Concurrency on both engines: with 10 on hand, 8 threads (and on SQLite 4 processes) each try to
// take 8, and exactly one succeeds; a randomized run of 5,000+ mixed operations across threads
// keeps every invariant.
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <catch2/catch.hpp>
#include <mutex>
#include <random>
#include <thread>
#include <vector>

#include "inventory_fixture.hpp"

using dms::ErrorCode;
using dms::Json;
using dms::test::InventoryWorld;
using dms::test::qty;
namespace inv = dms::inventory;

namespace {

struct Tally {
  std::atomic<int> ok{0};
  std::atomic<int> insufficient{0};
  std::atomic<int> other{0};
};

// Runs `attempt` on `threads` threads released together; counts the outcomes.
void race(int threads, const std::function<void()>& attempt, Tally& tally) {
  std::atomic<bool> go{false};
  std::vector<std::thread> pool;
  for (int i = 0; i < threads; ++i) {
    pool.emplace_back([&] {
      while (!go.load()) std::this_thread::yield();
      try {
        attempt();
        ++tally.ok;
      } catch (const dms::Error& e) {
        ++(e.code() == ErrorCode::kInsufficientStock ? tally.insufficient : tally.other);
      }
    });
  }
  go = true;
  for (auto& t : pool) t.join();
}

}  // namespace

TEST_CASE("inventory: 8 threads take 8 of 10, exactly one succeeds") {
  InventoryWorld w(GENERATE(dms::test::engines()));
  INFO("engine: " << w.database().engine_name());
  const std::string part = w.part("BAT-MOD-001");
  const std::string center = w.service_center("SC001");
  const std::string central = w.central_id();
  w.add_stock(part, central, "10");
  const auto sc_manager = w.user("sc_manager", center);
  const auto central_manager = w.user("central_inventory_manager", std::nullopt);
  w.verify();

  Tally tally;
  SECTION("allocate") {
    race(
        8,
        [&] {
          w.call(central_manager, "inventory.Allocate", {{"partId", part}, {"quantity", 8}});
        },
        tally);
    CHECK(w.balance(part, central).allocated == qty("8"));
  }
  SECTION("request a parts issue") {
    race(
        8,
        [&] {
          w.call(sc_manager, "partsIssues.Create",
                 {{"toServiceCenterId", center},
                  {"items", {{{"partId", part}, {"requestedQty", 8}}}}});
        },
        tally);
    CHECK(w.balance(part, central).allocated == qty("8"));
    CHECK(w.count("inv_transfers") == 1);
  }
  SECTION("issue (move out)") {
    race(
        8,
        [&] {
          w.call(central_manager, "inventory.AdjustStock",
                 {{"partId", part},
                  {"adjustmentType", "SUBTRACT"},
                  {"quantity", 8},
                  {"reason", "STOCK_DAMAGED"}});
        },
        tally);
    CHECK(w.balance(part, central).on_hand == qty("2"));
  }
  CHECK(tally.ok == 1);
  CHECK(tally.insufficient == 7);
  CHECK(tally.other == 0);
  CHECK(w.balance(part, central).on_hand.units() >= 0);
  w.verify();
}

TEST_CASE("inventory: 4 processes take 8 of 10 on one SQLite file, exactly one succeeds") {
  InventoryWorld w(dms::storage::Engine::kSqlite);
  const std::string part = w.part("BAT-MOD-001");
  const std::string central = w.central_id();
  w.add_stock(part, central, "10");
  const dms::Context actor = w.user("central_inventory_manager", std::nullopt);
  const std::string url = w.database().url();

  std::vector<pid_t> children;
  int ready[2];
  REQUIRE(pipe(ready) == 0);
  for (int i = 0; i < 4; ++i) {
    const pid_t pid = fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {  // the child: its own Database on the same file; no Catch2 here
      close(ready[1]);
      int code = 3;
      try {
        auto db = dms::Database::open(url);
        char go;
        if (read(ready[0], &go, 1) != 1) _exit(4);  // wait until every child is ready
        db->call(actor, "inventory.Allocate", {{"partId", part}, {"quantity", 8}});
        code = 0;
      } catch (const dms::Error& e) {
        code = e.code() == ErrorCode::kInsufficientStock ? 1 : 2;
      } catch (...) {
        code = 2;
      }
      _exit(code);
    }
    children.push_back(pid);
  }
  close(ready[0]);
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  REQUIRE(write(ready[1], "gggg", 4) == 4);  // release all four at once
  close(ready[1]);
  int successes = 0, insufficient = 0, other = 0;
  for (pid_t pid : children) {
    int status = 0;
    waitpid(pid, &status, 0);
    const int code = WIFEXITED(status) ? WEXITSTATUS(status) : 9;
    ++(code == 0 ? successes : code == 1 ? insufficient : other);
  }
  CHECK(successes == 1);
  CHECK(insufficient == 3);
  CHECK(other == 0);
  CHECK(w.balance(part, central).allocated == qty("8"));
  w.verify();
}

TEST_CASE("inventory: 5,000 random operations across threads keep every invariant") {
  InventoryWorld w(GENERATE(dms::test::engines()));
  INFO("engine: " << w.database().engine_name());
  const std::vector<std::string> parts = {w.part("P-1", "10.00"), w.part("P-2", "25.50"),
                                          w.part("P-3", "99.99")};
  const std::string sc1 = w.service_center("SC001");
  const std::string sc2 = w.service_center("SC002");
  const std::vector<std::string> locations = {w.central_id(), w.store_of(sc1), w.store_of(sc2)};
  for (const auto& part : parts) {
    for (const auto& location : locations) w.add_stock(part, location, "20");
  }
  const auto sc_manager = w.user("sc_manager", sc1);
  w.verify();

  constexpr int kThreads = 4;
  constexpr int kRounds = 5;
  constexpr int kOpsPerRound = 260;  // 4 x 5 x 260 = 5,200 operations
  std::atomic<int> done{0}, refused{0}, unexpected{0};
  std::mutex failures_mutex;
  std::vector<std::string> failures;
  for (int round = 0; round < kRounds; ++round) {
    std::vector<std::thread> pool;
    for (int t = 0; t < kThreads; ++t) {
      pool.emplace_back([&, seed = round * 100 + t] {
        std::mt19937 rng(static_cast<unsigned>(seed));
        for (int i = 0; i < kOpsPerRound; ++i) {
          const std::string& part = parts[rng() % parts.size()];
          const std::string& location = locations[rng() % locations.size()];
          const std::string quantity =
              std::to_string(1 + rng() % 6) + "." + std::to_string(rng() % 10);
          Json request = {{"partId", part}, {"locationId", location}, {"quantity", quantity}};
          const char* method = "inventory.Allocate";
          switch (rng() % 7) {
            case 0:
              break;
            case 1:
              method = "inventory.Release";
              break;
            case 2:
            case 3:
              method = "inventory.AdjustStock";
              request["adjustmentType"] = rng() % 2 ? "ADD" : "SUBTRACT";
              request["reason"] = "STOCK_COUNT";
              request["unitCost"] = std::to_string(rng() % 200) + ".00";
              break;
            case 4:
              method = "inventory.AdjustStock";
              request["adjustmentType"] = "SET";
              request["reason"] = "STOCK_COUNT";
              break;
            default: {  // a parts issue to SC001, approved at once
              method = "partsIssues.Create";
              request = {{"toServiceCenterId", sc1},
                         {"items", {{{"partId", part}, {"requestedQty", quantity}}}}};
              break;
            }
          }
          try {
            Json result =
                w.call(std::string(method) == "partsIssues.Create" ? sc_manager : w.system(),
                       method, request);
            if (std::string(method) == "partsIssues.Create" && rng() % 2 == 0) {
              w.call(w.admin(), "partsIssues.Approve", {{"id", result["id"]}});
            }
            ++done;
          } catch (const dms::Error& e) {
            if (e.code() == ErrorCode::kInsufficientStock ||
                e.code() == ErrorCode::kReleaseExceedsAllocated ||
                e.code() == ErrorCode::kReleaseExceedsReservation) {
              ++refused;
            } else {
              ++unexpected;
              std::lock_guard<std::mutex> lock(failures_mutex);
              failures.push_back(std::string(method) + ": " + e.what());
            }
          }
        }
      });
    }
    for (auto& t : pool) t.join();
    INFO("round " << round);
    for (const auto& f : failures) INFO(f);
    REQUIRE(unexpected == 0);
    w.verify();
  }
  CHECK(done + refused == kThreads * kRounds * kOpsPerRound);
  CHECK(done > 1000);
  CHECK(refused > 0);
  for (const auto& part : parts) {
    for (const auto& location : locations) {
      const inv::Balance b = w.balance(part, location);
      CHECK(b.on_hand.units() >= 0);
      CHECK(b.allocated.units() >= 0);
      CHECK(b.allocated <= b.on_hand);
    }
  }
}
