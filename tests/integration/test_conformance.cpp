// Schema conformance of every method's response (conformance.hpp): the checker itself, and the
// coverage check ctest runs after the integration tests.
#define CATCH_CONFIG_EXTERNAL_INTERFACES
#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <set>
#include <string>

#include "conformance.hpp"
#include "dms/database.hpp"
#include "inventory_fixture.hpp"
#include "workshop_fixture.hpp"

TEST_CASE("conformance: the checker names fields outside the schema and wrong JSON types") {
  using dms::Json;
  using dms::test::conformance_problems;
  CHECK(conformance_problems("system.Version", {{"version", "0.1.0"}, {"versionNumber", 1000}})
            .empty());
  CHECK(conformance_problems("system.Version", {{"version", "0.1.0"}, {"extra", 1}}) ==
        std::set<std::string>{"extra: is not a field of dms.v1.VersionResponse"});
  CHECK(conformance_problems("system.Version", {{"versionNumber", "1000"}}) ==
        std::set<std::string>{"versionNumber: must be an integer number, not string"});
  CHECK(conformance_problems("system.Version", {{"versionNumber", int64_t{1} << 40}}) ==
        std::set<std::string>{"versionNumber: is out of range"});
  CHECK(conformance_problems("customers.List",
                             {{"data", Json::array({{{"id", "c1"}, {"vehicles", {{"x", 1}}}}})}})
            .count("data[0].vehicles: must be an array") == 1);
  CHECK(conformance_problems("customers.List",
                             {{"data", Json::array({{{"id", "c1"}, {"phone", 98}}})},
                              {"pagination", {{"hasNext", "no"}}}}) ==
        std::set<std::string>{"data[0].phone: must be a string, not number",
                              "pagination.hasNext: must be true or false, not string"});
  CHECK(conformance_problems("customers.Get", {{"vehicles", Json::array({{{"zz", 1}}})}}) ==
        std::set<std::string>{"vehicles[0].zz: is not a field of dms.v1.Vehicle"});
  CHECK_THROWS_AS(dms::test::check_conforms("system.Version", {{"extra", 1}}), std::logic_error);
}

// Run by ctest after every integration test (a FIXTURES_CLEANUP test; tests/CMakeLists.txt):
// reads what each test process recorded and fails when a registered method's response was never
// checked. After a partial run (ctest -R ...) it cannot know, and says so with exit code 77,
// which ctest shows as skipped.
TEST_CASE("conformance: every registered method's response is checked", "[.conformance]") {
  const char* dir = std::getenv("DMS_CONFORMANCE_DIR");
  REQUIRE(dir != nullptr);
  std::set<std::string> tests_ran;
  std::set<std::string> methods_checked;
  REQUIRE(std::filesystem::is_directory(dir));
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    std::ifstream in(entry.path());
    std::string line;
    while (std::getline(in, line)) {
      if (line.rfind("test ", 0) == 0) tests_ran.insert(line.substr(5));
      if (line.rfind("method ", 0) == 0) methods_checked.insert(line.substr(7));
    }
  }
  std::set<std::string> not_run;
  for (const auto& test : Catch::getRegistryHub().getTestCaseRegistry().getAllTests()) {
    if (!test.isHidden() && tests_ran.count(test.name) == 0) not_run.insert(test.name);
  }
  if (!not_run.empty()) {
    std::cout << "partial run: " << not_run.size() << " integration test(s) did not run (e.g. \""
              << *not_run.begin() << "\"), so coverage cannot be judged\n";
    std::exit(77);
  }
  for (const auto& method : dms::Database::methods()) {
    INFO(method << ": no integration test checked its response (call it through a fixture's "
                   "call() in some test)");
    CHECK(methods_checked.count(method) == 1);
  }
}

// The methods no other integration test reaches with a successful call, so that every
// registered method's response is checked (the coverage test above).
TEST_CASE("conformance: workshop, billing, identity and system methods the other tests skip") {
  using dms::Json;
  dms::test::WorkshopFixture f(GENERATE(dms::test::engines()));
  INFO("engine: " << f.database.engine_name());
  CHECK(f.call(f.system, "system.Ping", {{"echo", "hello"}})["echo"] == "hello");
  CHECK(f.call(f.system, "system.Version")["versionNumber"].is_number_integer());

  const Json user =
      f.create_user("service_advisor", f.center_id, "login@dealer.example", "+917000099999");
  const Json session =
      f.call(f.system, "auth.Login",
             {{"login", "login@dealer.example"}, {"password", f.temporary_password(user["id"])}});
  CHECK(session.contains("accessToken"));

  const Json c = f.customer();
  const Json v = f.vehicle(c["id"]);
  CHECK(f.call(f.advisor, "vehicles.Update",
               {{"id", v["id"]}, {"vehicleColor", "Blue"}})["vehicleColor"] == "Blue");

  auto service_request = [&] {
    return f.call(f.call_center, "serviceRequests.Create",
                  {{"customerId", c["id"]},
                   {"vehicleId", v["id"]},
                   {"requestType", "service"},
                   {"serviceType", "regular"}})["id"];
  };
  CHECK(f.call(f.manager, "serviceRequests.Reject",
               {{"id", service_request()}, {"reason", "Duplicate\nrequest"}})["status"] ==
        "REJECTED");
  CHECK(f.call(f.manager, "serviceRequests.Cancel", {{"id", service_request()}})["status"] ==
        "CANCELLED");
  const Json sr = service_request();
  f.call(f.manager, "serviceRequests.Approve", {{"id", sr}});
  f.call(f.manager, "serviceRequests.Schedule", {{"id", sr}, {"scheduledDate", "2025-06-04"}});
  CHECK(f.call(f.manager, "serviceRequests.Start", {{"id", sr}})["status"] == "IN_PROGRESS");
  CHECK(f.call(f.manager, "serviceRequests.Complete", {{"id", sr}})["status"] == "COMPLETED");

  auto appointment = [&] {
    return f.call(f.call_center, "appointments.Create",
                  {{"customerId", c["id"]},
                   {"vehicleId", v["id"]},
                   {"scheduledAt", "2025-06-04T05:00:00Z"},
                   {"serviceType", "Regular Service"}})["id"];
  };
  CHECK(f.call(f.manager, "appointments.Cancel", {{"id", appointment()}})["status"] == "CANCELLED");
  const Json late = appointment();
  f.call(f.manager, "appointments.Confirm", {{"id", late}});
  CHECK(f.call(f.manager, "appointments.NoShow", {{"id", late}})["status"] == "NO_SHOW");

  const Json card = f.job_card_in("IN_PROGRESS");
  const Json line = card["services"][0];
  CHECK(f.call(f.engineer, "jobCards.UpdateServiceLine",
               {{"id", card["id"]},
                {"lineId", line["id"]},
                {"actualHours", "1.5"}})["services"][0]["actualHours"] == "1.5");

  const Json invoice = f.call(f.manager, "invoices.Create",
                              {{"customerId", c["id"]},
                               {"items", Json::array({{{"description", "Wash"},
                                                       {"hsnSac", "998714"},
                                                       {"quantity", "1"},
                                                       {"unitPrice", "500.00"},
                                                       {"gstRate", "18"}}})}});
  CHECK(f.call(f.manager, "invoices.Get", {{"id", invoice["id"]}})["id"] == invoice["id"]);
}

TEST_CASE("conformance: inventory methods the other tests skip") {
  using dms::Json;
  dms::test::InventoryWorld w(GENERATE(dms::test::engines()));
  INFO("engine: " << w.database().engine_name());
  const std::string supplier = w.supplier("ABC Parts");
  CHECK(w.call(w.system(), "suppliers.Get", {{"id", supplier}})["id"] == supplier);
  const Json location = w.call(w.system(), "inventory.CreateLocation",
                               {{"code", "WH-2"}, {"name", "Second warehouse"}});
  CHECK(location["code"] == "WH-2");
  CHECK(w.call(w.system(), "inventory.ListLocations")["data"].size() >= 2);

  const std::string part = w.part("BRK-PAD-001", "2000.00");
  const std::string giver = w.service_center("SC001");
  const std::string taker = w.service_center("SC002");
  w.add_stock(part, w.store_of(giver), "20");
  w.add_stock(part, w.central_id(), "20");
  const auto taker_manager = w.user("sc_manager", taker);
  const auto giver_manager = w.user("sc_manager", giver);
  auto transfer = [&] {  // raised at the giving center (docs/security.md)
    return w.call(giver_manager, "stockTransfers.Create",
                  {{"fromServiceCenterId", giver},
                   {"toServiceCenterId", taker},
                   {"items", {{{"partId", part}, {"requestedQty", "2"}}}}})["id"];
  };
  CHECK(w.call(w.admin(), "stockTransfers.Reject",
               {{"id", transfer()}, {"reason", "No"}})["status"] == "REJECTED");
  CHECK(w.call(giver_manager, "stockTransfers.Cancel", {{"id", transfer()}})["status"] ==
        "CANCELLED");
  const Json issue = w.call(
      taker_manager, "partsIssues.Create",
      {{"toServiceCenterId", taker}, {"items", {{{"partId", part}, {"requestedQty", "1"}}}}});
  CHECK(w.call(taker_manager, "partsIssues.Get", {{"id", issue["id"]}})["id"] == issue["id"]);
  w.verify();
}
