// Forward-only schema migrations: the registry every module adds to, and the runner Store::open
// calls. Applied versions are rows of schema_migrations in the database itself.
#include <algorithm>
#include <chrono>
#include <map>
#include <set>

#include "dms/error.hpp"
#include "storage/engine.hpp"
#include "storage/store.hpp"

namespace dms::storage {
namespace {

std::map<int, Migration>& registry() {
  static std::map<int, Migration> migrations;
  return migrations;
}

// Reported by registered_migrations(): a static initializer must not throw.
std::string& registry_error() {
  static std::string error;
  return error;
}

// Serializes migration runs of several processes opening one PostgreSQL database at once.
constexpr int64_t kMigrationLockKey = 0x646D735F6D696772;  // "dms_migr"

int64_t now_micros() {
  using namespace std::chrono;
  return duration_cast<microseconds>(system_clock::now().time_since_epoch()).count();
}

// Statements are separated by a ';' that ends a line (or the text).
std::vector<std::string> split_statements(std::string_view sql) {
  std::vector<std::string> statements;
  std::string current;
  size_t pos = 0;
  while (pos < sql.size()) {
    size_t eol = sql.find('\n', pos);
    std::string_view line = sql.substr(pos, eol == std::string_view::npos ? eol : eol - pos + 1);
    pos = eol == std::string_view::npos ? sql.size() : eol + 1;
    size_t last = line.find_last_not_of(" \t\r\n");
    if (last != std::string_view::npos && line[last] == ';') {
      current.append(line.substr(0, last));
      statements.push_back(current);
      current.clear();
    } else {
      current.append(line);
    }
  }
  if (current.find_first_not_of(" \t\r\n") != std::string::npos) statements.push_back(current);
  return statements;
}

void lock_schema(Transaction& tx) {
  if (tx.engine() == Engine::kPostgres) {
    tx.query("SELECT pg_advisory_xact_lock(CAST(? AS BIGINT))", {kMigrationLockKey});
  }
  tx.exec(
      "CREATE TABLE IF NOT EXISTS schema_migrations (version BIGINT PRIMARY KEY, name TEXT NOT "
      "NULL, applied_at BIGINT NOT NULL)");
}

std::set<int> applied_versions(Transaction& tx) {
  std::set<int> versions;
  for (const Row& row : tx.query("SELECT version FROM schema_migrations")) {
    versions.insert(static_cast<int>(row.i64(0)));
  }
  return versions;
}

void reject_newer_schema(const std::set<int>& applied, const std::vector<Migration>& known) {
  int newest_known = known.empty() ? 0 : known.back().version;
  for (int version : applied) {
    bool is_known = std::any_of(known.begin(), known.end(),
                                [&](const Migration& m) { return m.version == version; });
    if (!is_known) {
      throw Error::Storage("the database has schema version " + std::to_string(version) +
                           ", which this library does not know (its newest is " +
                           std::to_string(newest_known) +
                           "): it was written by a newer libdms; upgrade the library");
    }
  }
}

void apply(Transaction& tx, const Migration& migration) {
  for (const std::string& statement : split_statements(migration.sql)) {
    try {
      tx.exec(detail::expand_tokens(statement, tx.engine()));
    } catch (const Error& e) {
      throw Error::Storage("migration " + std::to_string(migration.version) + " (" +
                           migration.name + ") failed: " + e.message());
    }
  }
  tx.exec("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
          {int64_t{migration.version}, std::string(migration.name), now_micros()});
}

// Applies the lowest pending migration, if any; returns false when none was pending.
bool apply_next(Store& store, const std::vector<Migration>& known) {
  return store.write([&](Transaction& tx) {
    lock_schema(tx);
    std::set<int> applied = applied_versions(tx);
    reject_newer_schema(applied, known);
    for (const Migration& migration : known) {
      if (applied.count(migration.version) == 0) {
        apply(tx, migration);
        return true;
      }
    }
    return false;
  });
}

}  // namespace

MigrationRegistration::MigrationRegistration(Migration migration) {
  auto [it, inserted] = registry().emplace(migration.version, migration);
  if (!inserted) {
    registry_error() = "migration version " + std::to_string(migration.version) +
                       " is registered twice ('" + it->second.name + "' and '" + migration.name +
                       "')";
  }
}

std::vector<Migration> registered_migrations() {
  if (!registry_error().empty()) throw Error::Internal(registry_error());
  std::vector<Migration> out;
  for (const auto& [version, migration] : registry()) out.push_back(migration);
  return out;
}

namespace detail {

void migrate(Store& store) {
  const std::vector<Migration> known = registered_migrations();
  while (apply_next(store, known)) {
  }
}

int read_schema_version(Store& store) {
  return store.read([](Transaction& tx) {
    auto row = tx.query_one("SELECT MAX(version) AS version FROM schema_migrations");
    return row && !row->is_null(0) ? static_cast<int>(row->i64(0)) : 0;
  });
}

}  // namespace detail

// ---- Storage's own tables ---------------------------------------------------------------------

namespace {

// Document-number counters (document_numbers.hpp): one row per series and scope.
const MigrationRegistration kDocumentCounters{{1, "storage: document counters", R"SQL(
CREATE TABLE document_counters (
  series TEXT NOT NULL,
  scope TEXT NOT NULL,
  value BIGINT NOT NULL,
  PRIMARY KEY (series, scope)
);
)SQL"}};

}  // namespace
}  // namespace dms::storage
