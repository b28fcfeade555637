// CTest runs each Catch2 test case by name (catch_discover_tests), and a ';' in a name splits it
// into a list: the test then runs a filter that matches nothing and passes without running.
// This keeps every test case name free of ';' so no test can be lost that way.
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

namespace fs = std::filesystem;

TEST_CASE("test case names carry no semicolon, so ctest runs every test") {
  const std::regex test_case(R"re(TEST_CASE\(\s*"([^"]*)")re");
  std::vector<std::string> offending;
  int seen = 0;
  for (const auto& entry : fs::recursive_directory_iterator(fs::path(DMS_SOURCE_DIR) / "tests")) {
    if (!entry.is_regular_file() || entry.path().extension() != ".cpp") continue;
    std::ifstream in(entry.path());
    std::stringstream text;
    text << in.rdbuf();
    const std::string body = text.str();
    for (std::sregex_iterator it(body.begin(), body.end(), test_case), end; it != end; ++it) {
      ++seen;
      const std::string name = (*it)[1];
      if (name.find(';') != std::string::npos) {
        offending.push_back(fs::relative(entry.path(), DMS_SOURCE_DIR).string() + ": " + name);
      }
    }
  }
  CHECK(seen > 100);
  std::string listed;
  for (const auto& o : offending) listed += "\n  " + o;
  INFO("test names with ';' (ctest would silently run nothing for them):" << listed);
  CHECK(offending.empty());
}
