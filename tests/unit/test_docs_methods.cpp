// Every service method the public headers and the docs name in quotes ("jobCards.Create",
// 'jobCards.Create' or `jobCards.Create`) is a registered method: examples never call a method
// that does not exist.
#include <algorithm>
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "dms/database.hpp"

namespace fs = std::filesystem;

namespace {

const fs::path kSourceDir = fs::path(DMS_TEST_DATA_DIR) / ".." / "..";

// Quoted names of that shape that are not service methods.
const std::set<std::string> kNotMethods = {
    "dms.Error",        // the C++ exception type
    "decimal.Decimal",  // Python's decimal type
    "module.Method",    // the placeholder in the docs' naming rule
};

// The public headers and every Markdown file of the project's documentation.
std::vector<fs::path> documents() {
  std::vector<fs::path> files;
  for (const char* dir : {"include/dms", "docs", "bindings", "examples"}) {
    const fs::path root = kSourceDir / dir;
    if (!fs::exists(root)) continue;
    for (const auto& entry : fs::recursive_directory_iterator(root)) {
      if (!entry.is_regular_file()) continue;
      const std::string ext = entry.path().extension().string();
      const bool header = std::string(dir) == "include/dms" && (ext == ".hpp" || ext == ".h");
      if (header || ext == ".md") files.push_back(entry.path());
    }
  }
  files.push_back(kSourceDir / "README.md");
  std::sort(files.begin(), files.end());
  return files;
}

std::string read_all(const fs::path& path) {
  std::ifstream in(path);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace

TEST_CASE("docs: every method named in the headers and docs is registered") {
  const std::vector<std::string> methods = dms::Database::methods();
  const std::set<std::string> registered(methods.begin(), methods.end());
  REQUIRE(registered.count("jobCards.Create") == 1);
  // service (lowerCamel) '.' Method (UpperCamel), inside quotes or backticks; a '(' may follow.
  const std::regex quoted(R"re(["'`]([a-z][A-Za-z0-9]*\.[A-Z][A-Za-z0-9]*)["'`(])re");
  const std::vector<fs::path> files = documents();
  REQUIRE(files.size() > 5);
  size_t checked = 0;
  for (const fs::path& file : files) {
    const std::string text = read_all(file);
    for (std::sregex_iterator it(text.begin(), text.end(), quoted), end; it != end; ++it) {
      const std::string name = (*it)[1];
      if (kNotMethods.count(name) != 0) continue;
      ++checked;
      INFO(fs::relative(file, kSourceDir).string() << " names " << name);
      CHECK(registered.count(name) == 1);
    }
  }
  CHECK(checked > 20);  // the pattern still finds the examples
}
