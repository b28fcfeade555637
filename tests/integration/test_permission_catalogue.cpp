// The permission catalogue (src/service/permissions.hpp) is the one list of permissions: the
// sources ask for no other, every entry is asked for by some method (or is marked reserved), the
// default migrations grant each to exactly the roles it names, roles.SetPermissions refuses what
// it does not know, and docs/security.md prints its table.
#include <algorithm>
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <sstream>

#include "identity_fixture.hpp"
#include "service/permissions.hpp"

using dms::ErrorCode;
using dms::Json;
using dms::test::IdentityFixture;

namespace {

const std::filesystem::path kSourceDir = std::filesystem::path(DMS_TEST_DATA_DIR) / ".." / "..";

std::string read_text(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

std::set<std::string> catalogue_names() {
  std::size_t n = 0;
  const dms::service::PermissionInfo* infos = dms::service::all_permissions(&n);
  std::set<std::string> names;
  for (std::size_t i = 0; i < n; ++i) names.insert(infos[i].name);
  return names;
}

std::set<std::string> split_roles(const std::string& list) {
  std::set<std::string> roles;
  std::stringstream in(list);
  std::string role;
  while (std::getline(in, role, ',')) {
    role.erase(0, role.find_first_not_of(' '));
    if (!role.empty()) roles.insert(role);
  }
  return roles;
}

}  // namespace

TEST_CASE("permissions: the sources ask only for catalogued permissions, and for each of them") {
  const std::set<std::string> catalogued = catalogue_names();
  REQUIRE(catalogued.size() >= 60);
  const std::regex literal("\"([a-z_]+:[a-z_]+)\"");
  const std::regex stock_action("require_stock_permission\\([^;]*\"([a-z_]+)\"\\)");
  std::set<std::string> asked;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(kSourceDir / "src")) {
    const std::string ext = entry.path().extension().string();
    if (ext != ".cpp" && ext != ".hpp") continue;
    if (entry.path().filename() == "permissions.cpp") continue;  // the catalogue itself
    const std::string text = read_text(entry.path());
    for (std::sregex_iterator it(text.begin(), text.end(), literal), end; it != end; ++it) {
      asked.insert((*it)[1]);
    }
    for (std::sregex_iterator it(text.begin(), text.end(), stock_action), end; it != end; ++it) {
      asked.insert("inventory:" + (*it)[1].str());
      asked.insert("central_inventory:" + (*it)[1].str());
    }
  }
  asked.erase("resource:action");  // the wording of a validation message
  for (const std::string& name : asked) {
    INFO("asked for in src/: " << name);
    CHECK(catalogued.count(name) == 1);
  }
  std::size_t n = 0;
  const dms::service::PermissionInfo* infos = dms::service::all_permissions(&n);
  for (std::size_t i = 0; i < n; ++i) {
    INFO("catalogued: " << infos[i].name);
    CHECK(asked.count(infos[i].name) == (infos[i].reserved ? 0u : 1u));
    if (i > 0) CHECK(std::string(infos[i - 1].name) < infos[i].name);
    CHECK(std::string(infos[i].allows).size() > 5);
  }
}

TEST_CASE("permissions: the default migrations grant each permission to the roles it names") {
  IdentityFixture f(dms::storage::Engine::kSqlite);
  std::map<std::string, dms::Context> holders;  // a context holding each role's grants
  const Json roles = f.call(f.system, "roles.List");
  for (const Json& role : roles["data"]) {
    dms::Context ctx;
    ctx.role = role["name"].get<std::string>();
    ctx.permissions = role["permissions"].get<std::vector<std::string>>();
    holders[ctx.role] = ctx;
  }
  REQUIRE(holders.count("admin") == 1);
  std::size_t n = 0;
  const dms::service::PermissionInfo* infos = dms::service::all_permissions(&n);
  for (std::size_t i = 0; i < n; ++i) {
    const std::string name = infos[i].name;
    INFO("permission " << name);
    CHECK(holders.at("admin").has_permission(name));
    std::set<std::string> holding;
    for (const auto& [role, ctx] : holders) {
      if (role == "admin") continue;
      // job_cards:work makes a role assignable and counts only when granted by name.
      const bool holds = name == dms::service::kJobCardsWork
                             ? std::count(ctx.permissions.begin(), ctx.permissions.end(), name) > 0
                             : ctx.has_permission(name);
      if (holds) holding.insert(role);
    }
    CHECK(holding == split_roles(infos[i].default_holders));
  }
}

TEST_CASE("permissions: roles.SetPermissions refuses a permission no method checks") {
  IdentityFixture f(GENERATE(dms::test::engines()));
  INFO("engine: " << f.database.engine_name());
  const auto field_of = [&](const Json& permissions) {
    try {
      f.call(f.system, "roles.SetPermissions",
             {{"role", "call_center"}, {"permissions", permissions}});
    } catch (const dms::Error& e) {
      CHECK(e.code() == ErrorCode::kValidation);
      return e.field();
    }
    return std::string("accepted");
  };
  CHECK(field_of({"customers:read", "customers:reed"}) == "permissions[1]");
  CHECK(field_of({"customer:*"}) == "permissions[0]");
  CHECK(field_of({"job_cards:view_all", "inventory:*", "quotations:*", "*"}) == "accepted");
  const Json roles = f.call(f.system, "roles.List");
  for (const Json& r : roles["data"]) {
    if (r["name"] == "call_center") CHECK(r["permissions"].size() == 4);
  }
}

TEST_CASE("permissions: docs/security.md prints the catalogue's table") {
  const std::string doc = read_text(kSourceDir / "docs" / "security.md");
  const std::string begin =
      "<!-- permission-table: generated from src/service/permissions.cpp -->\n";
  const std::string end = "<!-- end of permission-table -->";
  const auto from = doc.find(begin);
  const auto to = doc.find(end);
  REQUIRE(from != std::string::npos);
  REQUIRE(to != std::string::npos);
  const std::string printed = doc.substr(from + begin.size(), to - from - begin.size());
  const std::string expected = dms::service::permission_table_markdown();
  if (printed != expected) {
    // The table to paste, so that fixing the doc is one copy.
    std::ofstream(std::filesystem::temp_directory_path() / "dms-permission-table.md") << expected;
  }
  CHECK(printed == expected);
}
