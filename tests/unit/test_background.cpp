// The Database's background tasks (src/service/background.hpp): named, started once, woken,
// stopped with their thread joined, exceptions kept from the host.
#include <atomic>
#include <catch2/catch.hpp>
#include <chrono>
#include <stdexcept>
#include <thread>

#include "service/background.hpp"

namespace {

using namespace std::chrono_literals;

template <class Predicate>
bool eventually(Predicate done) {
  for (int i = 0; i < 500; ++i) {
    if (done()) return true;
    std::this_thread::sleep_for(2ms);
  }
  return done();
}

}  // namespace

TEST_CASE("background: named tasks start once, wake, stop and report errors") {
  dms::service::Background background;
  std::atomic<int> runs{0};
  CHECK(background.start("count", 10s, [&] {
    ++runs;
    return false;  // nothing more: pause for the interval
  }));
  CHECK_FALSE(background.start("count", 10s, [] { return false; }));  // already running
  CHECK(eventually([&] { return runs.load() == 1; }));
  background.wake("count");  // cuts the 10 s pause short
  CHECK(eventually([&] { return runs.load() == 2; }));
  CHECK(background.running("count"));

  std::atomic<int> failures{0};
  background.start("fails", 1ms, [&]() -> bool {
    ++failures;
    throw std::runtime_error("boom");
  });
  CHECK(eventually([&] { return failures.load() >= 2; }));  // kept running
  CHECK(background.last_error("fails") == "boom");
  CHECK(background.names() == std::vector<std::string>{"count", "fails"});

  CHECK(background.stop("count"));
  CHECK_FALSE(background.stop("count"));
  const int after = runs.load();
  std::this_thread::sleep_for(20ms);
  CHECK(runs.load() == after);
  background.stop_all();
  CHECK(background.names().empty());
  background.wake("count");  // no-op when not running
}
