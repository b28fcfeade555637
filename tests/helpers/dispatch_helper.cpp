// dms_dispatch_helper: a dispatcher in its own process, for the delivery tests
// (tests/integration/test_delivery.cpp).
//
//   dms_dispatch_helper <database url> <options json> drain
//       runs batches until one claims nothing; prints "sent <n>" (the messages it sent).
//   dms_dispatch_helper <database url> <options json> send-then-hang
//       claims, sends the first claimed message and, before marking it, prints "sent" and
//       waits forever: the test kills it (SIGKILL) to play a process dying between the two.
//
// <options json> is the Database open options document; only its "delivery" member is read.
#include <unistd.h>

#include <cstdio>
#include <exception>
#include <iostream>
#include <string>

#include "delivery/dispatcher.hpp"
#include "dms/json.hpp"

namespace {

// The test databases carry the integration tests' own migrations (test_store.cpp,
// test_document_numbers.cpp, test_list_query.cpp), which this program does not have, and a store
// refuses a database with a version it does not know. Their versions as no-ops (already applied
// by the tests): a new test migration must be added here too (the helper says which).
const dms::storage::MigrationRegistration kTestWidgets{{90001, "test: widgets", "SELECT 1"}};
const dms::storage::MigrationRegistration kTestAllocations{
    {90002, "test: allocations", "SELECT 1"}};
const dms::storage::MigrationRegistration kTestListTables{{90003, "test: list tables", "SELECT 1"}};

}  // namespace

int main(int argc, char** argv) {
  if (argc != 4) {
    std::cerr << "usage: dms_dispatch_helper <url> <options json> drain|send-then-hang\n";
    return 2;
  }
  try {
    const std::string url = argv[1];
    const dms::Json options = dms::Json::parse(argv[2]);
    const std::string mode = argv[3];
    const dms::DeliverySettings settings =
        dms::DeliverySettings::from_json(options.value("delivery", dms::Json::object()));
    auto store = dms::storage::Store::open(url);
    auto dispatcher =
        dms::delivery::Dispatcher::from_settings(*store, dms::Clock::system(), settings);
    if (mode == "drain") {
      int sent = 0;
      for (;;) {
        const dms::delivery::BatchResult r = dispatcher->run_batch();
        sent += r.sent;
        if (r.claimed == 0) break;
      }
      std::cout << "sent " << sent << std::endl;
      return 0;
    }
    if (mode == "send-then-hang") {
      const auto claimed = dispatcher->claim();
      if (claimed.empty()) {
        std::cout << "nothing" << std::endl;
        return 1;
      }
      const auto& first = claimed.front();
      dispatcher->transport_for(first.message.channel)->send(first, dms::Clock::system().now());
      std::cout << "sent" << std::endl;
      for (;;) pause();
    }
    std::cerr << "unknown mode " << mode << "\n";
    return 2;
  } catch (const std::exception& e) {
    std::cerr << "dms_dispatch_helper: " << e.what() << "\n";
    return 1;
  }
}
