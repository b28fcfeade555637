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
