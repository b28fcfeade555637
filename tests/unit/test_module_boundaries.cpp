// Module boundaries and the one home of the shared helpers (issue 11, item 9), checked on the
// source text:
//   - billing reaches the workshop only through workshop/billing_api.hpp: it includes no other
//     workshop header and names no workshop table (from src/workshop/schema.cpp) in a query
//     (its migrations may reference them as foreign keys);
//   - the text and row helpers are defined only in src/service/rows.hpp/.cpp (no module defines
//     its own text_or_null, trim, upper, lower, json_of, ...).
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

namespace {

namespace fs = std::filesystem;

const fs::path kSource = DMS_SOURCE_DIR;

std::string read(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

std::vector<fs::path> sources_under(const fs::path& dir) {
  std::vector<fs::path> files;
  for (const auto& entry : fs::recursive_directory_iterator(dir)) {
    const auto ext = entry.path().extension();
    if (entry.is_regular_file() && (ext == ".cpp" || ext == ".hpp")) files.push_back(entry.path());
  }
  return files;
}

std::set<std::string> workshop_tables() {
  std::set<std::string> tables;
  const std::string schema = read(kSource / "src/workshop/schema.cpp");
  const std::regex create(R"(CREATE TABLE (?:IF NOT EXISTS )?([a-z_]+))");
  for (std::sregex_iterator it(schema.begin(), schema.end(), create), end; it != end; ++it) {
    tables.insert((*it)[1]);
  }
  return tables;
}

}  // namespace

TEST_CASE("billing includes no workshop header but workshop/billing_api.hpp", "[boundaries]") {
  const std::regex include(R"re(#include "workshop/([a-z_]+\.hpp)")re");
  const auto files = sources_under(kSource / "src/billing");
  REQUIRE(files.size() >= 5);
  size_t api_includes = 0;
  for (const auto& file : files) {
    const std::string text = read(file);
    for (std::sregex_iterator it(text.begin(), text.end(), include), end; it != end; ++it) {
      INFO(file.string() << " includes workshop/" << (*it)[1]);
      CHECK((*it)[1] == "billing_api.hpp");
      ++api_includes;
    }
  }
  CHECK(api_includes > 0);
}

TEST_CASE("billing names no workshop table in SQL", "[boundaries]") {
  const std::set<std::string> tables = workshop_tables();
  REQUIRE(tables.count("job_cards") == 1);
  REQUIRE(tables.count("customers") == 1);
  for (const auto& file : sources_under(kSource / "src/billing")) {
    const std::string text = read(file);
    for (const auto& table : tables) {
      const std::regex use("\\b(FROM|JOIN|UPDATE|INTO)\\s+" + table + "\\b", std::regex::icase);
      INFO(file.string() << " names workshop table " << table);
      CHECK_FALSE(std::regex_search(text, use));
    }
  }
}

TEST_CASE("text and row helpers are defined only in service/rows", "[boundaries]") {
  // A definition at namespace scope: a return type, the name, and a parameter list that opens a
  // body ("... ) {") on the same line.
  const std::regex definition(
      R"(^[A-Za-z_:<>]+(?:::[A-Za-z_]+)?\s+(text_or_null|null_if_empty|optional_text|trim|trimmed|upper|lower|compact_upper|json_of|json_time|timestamp_json|text_json|time_json|money_json|quantity_json|money_of|quantity_of|money_or_zero|quantity_or_zero|units_or_null|opt_trimmed)\s*\([^;]*$)");
  for (const auto& file : sources_under(kSource / "src")) {
    if (file.parent_path().filename() == "service" && file.stem() == "rows") continue;
    std::istringstream lines(read(file));
    size_t number = 0;
    for (std::string line; std::getline(lines, line);) {
      ++number;
      std::smatch m;
      if (std::regex_search(line, m, definition)) {
        INFO(file.string() << ":" << number << " defines " << m[1] << ": " << line);
        CHECK(false);
      }
    }
  }
}

// Issue 11, item 6: permissions are data, so no guard compares the actor's role name (a guard
// must be ctx.require / ctx.has_permission, which roles.SetPermissions can change). The one
// comparison allowed is identity's rule that the edited role "admin" always keeps "*": it looks
// at the role being edited, not at who acts.
TEST_CASE("no guard compares a role name", "[boundaries]") {
  const std::regex comparison(R"re(\brole\s*(==|!=)\s*")re");
  const std::regex reversed(R"re("\s*(==|!=)\s*[A-Za-z_.>-]*\brole\b)re");
  std::vector<std::string> offending;
  for (const fs::path& file : sources_under(kSource / "src")) {
    const std::string text = read(file);
    std::istringstream lines(text);
    std::string line;
    int n = 0;
    while (std::getline(lines, line)) {
      ++n;
      if (!std::regex_search(line, comparison) && !std::regex_search(line, reversed)) continue;
      const std::string where = fs::relative(file, kSource).string();
      if (where == "src/identity/roles.cpp" && line.find("role == \"admin\"") != std::string::npos) {
        continue;
      }
      offending.push_back(where + ":" + std::to_string(n) + ": " + line);
    }
  }
  std::string listed;
  for (const auto& o : offending) listed += "\n  " + o;
  INFO("role-name comparisons in src/ (use a permission instead):" << listed);
  CHECK(offending.empty());
}
