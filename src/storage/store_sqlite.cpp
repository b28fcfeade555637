// The SQLite engine (SQLiteCpp): the embedded default.
//
// Each connection runs in WAL mode with foreign keys on, a busy timeout and the configured
// synchronous level. Writes use BEGIN IMMEDIATE, so a write transaction holds the database's
// write lock from its first statement (no upgrade deadlocks); writers of one Store also queue on
// a mutex, so threads wait in order instead of in SQLite's sleeping busy handler. Other
// processes are kept out by the lock itself and wait up to the busy timeout, then see CONFLICT.
// Readers use their own pooled connections and see a snapshot (WAL) without blocking writers.
// ":memory:" is one private connection used by one transaction at a time.
#include <sqlite3.h>

#include <SQLiteCpp/SQLiteCpp.h>

#include <algorithm>
#include <mutex>

#include "dms/error.hpp"
#include "storage/engine.hpp"

namespace dms::storage::detail {
namespace {

constexpr size_t kMaxIdleConnections = 8;

// The column a UNIQUE failure names ("UNIQUE constraint failed: t.a, t.b" -> "b"): the last one,
// since composite keys put the scope (a service center) first and the value that clashed last.
std::string unique_violation_field(const std::string& message) {
  size_t colon = message.rfind(": ");
  if (colon == std::string::npos) return {};
  std::string columns = message.substr(colon + 2);
  size_t comma = columns.rfind(", ");
  std::string last = comma == std::string::npos ? columns : columns.substr(comma + 2);
  size_t dot = last.find('.');
  return camel_case(dot == std::string::npos ? last : last.substr(dot + 1));
}

[[noreturn]] void throw_mapped(const SQLite::Exception& e, std::string_view sql) {
  int extended = e.getExtendedErrorCode();
  int primary = e.getErrorCode();
  if (extended == SQLITE_CONSTRAINT_UNIQUE || extended == SQLITE_CONSTRAINT_PRIMARYKEY) {
    std::string field = unique_violation_field(e.what());
    throw Error::Duplicate(
        field, "a record with this " + (field.empty() ? "key" : field) + " already exists");
  }
  if (primary == SQLITE_BUSY || primary == SQLITE_LOCKED) {
    throw Error::Conflict("the database is locked by another writer; retry");
  }
  throw Error::Storage(std::string("sqlite: ") + e.what() + " (in: " + sql_excerpt(sql) + ")");
}

void check_placeholders(const SQLite::Statement& statement, size_t given, std::string_view sql) {
  auto expected = static_cast<size_t>(statement.getBindParameterCount());
  if (expected != given) {
    throw Error::Internal("statement has " + std::to_string(expected) + " placeholders but " +
                          std::to_string(given) + " values were bound: " + sql_excerpt(sql));
  }
}

void bind_all(SQLite::Statement& statement, const std::vector<Value>& params) {
  for (size_t i = 0; i < params.size(); ++i) {
    int index = static_cast<int>(i + 1);
    const Value& value = params[i];
    if (const auto* number = std::get_if<int64_t>(&value)) {
      statement.bind(index, *number);
    } else if (const auto* text = std::get_if<std::string>(&value)) {
      statement.bindNoCopy(index, *text);
    } else {
      statement.bind(index);
    }
  }
}

Value column_value(const SQLite::Column& column) {
  switch (column.getType()) {
    case SQLITE_INTEGER:
      return column.getInt64();
    case SQLITE_NULL:
      return null_value();
    default:  // TEXT, BLOB; a FLOAT (never stored by us) comes back as its text
      return std::string(static_cast<const char*>(column.getBlob()),
                         static_cast<size_t>(column.getBytes()));
  }
}

std::shared_ptr<const std::vector<std::string>> column_names(const SQLite::Statement& statement) {
  auto names = std::make_shared<std::vector<std::string>>();
  for (int i = 0; i < statement.getColumnCount(); ++i) {
    names->emplace_back(statement.getColumnName(i));
  }
  return names;
}

class SqliteTransaction final : public Transaction {
 public:
  explicit SqliteTransaction(SQLite::Database& db) : db_(db) {}
  Engine engine() const override { return Engine::kSqlite; }

  int64_t exec(std::string_view sql, const std::vector<Value>& params) override {
    try {
      SQLite::Statement statement = prepare(sql, params);
      const int total_before = db_.getTotalChanges();
      while (statement.executeStep()) {
      }
      // getChanges() keeps the count of the last modifying statement, so ask only after a change.
      return db_.getTotalChanges() == total_before ? 0 : db_.getChanges();
    } catch (const SQLite::Exception& e) {
      throw_mapped(e, sql);
    }
  }

  Rows query(std::string_view sql, const std::vector<Value>& params) override {
    try {
      SQLite::Statement statement = prepare(sql, params);
      auto names = column_names(statement);
      Rows rows;
      while (statement.executeStep()) rows.push_back(read_row(statement, names));
      return rows;
    } catch (const SQLite::Exception& e) {
      throw_mapped(e, sql);
    }
  }

 private:
  SQLite::Statement prepare(std::string_view sql, const std::vector<Value>& params) {
    SQLite::Statement statement(db_, std::string(sql));
    check_placeholders(statement, params.size(), sql);
    bind_all(statement, params);
    return statement;
  }

  static Row read_row(SQLite::Statement& statement,
                      const std::shared_ptr<const std::vector<std::string>>& names) {
    std::vector<Value> values;
    values.reserve(names->size());
    for (int i = 0; i < statement.getColumnCount(); ++i) {
      values.push_back(column_value(statement.getColumn(i)));
    }
    return Row(names, std::move(values));
  }

  SQLite::Database& db_;
};

const std::string& checked_synchronous(const std::string& level) {
  static const char* const kLevels[] = {"OFF", "NORMAL", "FULL", "EXTRA"};
  for (const char* allowed : kLevels) {
    if (level == allowed) return level;
  }
  throw Error::Validation("sqliteSynchronous",
                          "must be OFF, NORMAL, FULL or EXTRA, not '" + level.substr(0, 20) + "'");
}

class SqliteStore final : public Store {
 public:
  explicit SqliteStore(const OpenOptions& options)
      : options_(options), in_memory_(options.url == ":memory:") {
    checked_synchronous(options_.sqlite_synchronous);
    // Opening once up front reports a bad path now rather than at first use.
    release(connect());
  }

  Engine engine() const override { return Engine::kSqlite; }
  int schema_version() override { return read_schema_version(*this); }

 protected:
  void run(TxMode mode, const std::function<void(Transaction&)>& body) override {
    std::unique_lock<std::mutex> writer_turn(writer_mutex_, std::defer_lock);
    // An in-memory database is one connection: every transaction takes the writer's turn.
    if (mode == TxMode::kWrite || in_memory_) writer_turn.lock();
    std::unique_ptr<SQLite::Database> db = acquire();
    try {
      run_on(*db, mode, body);
    } catch (...) {
      release(std::move(db));
      throw;
    }
    release(std::move(db));
  }

 private:
  static void run_on(SQLite::Database& db, TxMode mode,
                     const std::function<void(Transaction&)>& body) {
    SqliteTransaction tx(db);
    tx.exec(mode == TxMode::kWrite ? "BEGIN IMMEDIATE" : "BEGIN", {});
    try {
      body(tx);
      tx.run_commit_hooks();
      tx.exec("COMMIT", {});
    } catch (...) {
      if (sqlite3_get_autocommit(db.getHandle()) == 0) {
        try {
          db.exec("ROLLBACK");
        } catch (const SQLite::Exception&) {  // already rolled back by SQLite itself
        }
      }
      throw;
    }
  }

  std::unique_ptr<SQLite::Database> connect() const {
    try {
      auto db = std::make_unique<SQLite::Database>(
          options_.url, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE | SQLite::OPEN_NOMUTEX,
          options_.busy_timeout_ms);
      db->exec("PRAGMA journal_mode = WAL");
      db->exec("PRAGMA foreign_keys = ON");
      db->exec("PRAGMA synchronous = " + options_.sqlite_synchronous);
      return db;
    } catch (const SQLite::Exception& e) {
      if (e.getErrorCode() == SQLITE_BUSY) throw Error::Conflict("the database is locked");
      throw Error::Storage("cannot open SQLite database '" + options_.url + "': " + e.what());
    }
  }

  std::unique_ptr<SQLite::Database> acquire() {
    {
      std::lock_guard<std::mutex> lock(pool_mutex_);
      if (!idle_.empty()) {
        auto db = std::move(idle_.back());
        idle_.pop_back();
        return db;
      }
    }
    if (in_memory_) throw Error::Internal("the in-memory connection is in use");
    return connect();
  }

  void release(std::unique_ptr<SQLite::Database> db) {
    std::lock_guard<std::mutex> lock(pool_mutex_);
    if (in_memory_ || idle_.size() < kMaxIdleConnections) idle_.push_back(std::move(db));
  }

  const OpenOptions options_;
  const bool in_memory_;
  std::mutex writer_mutex_;  // one writer of this Store at a time (and all of ":memory:")
  std::mutex pool_mutex_;    // guards idle_
  std::vector<std::unique_ptr<SQLite::Database>> idle_;
};

}  // namespace

std::unique_ptr<Store> open_sqlite(const OpenOptions& options) {
  return std::make_unique<SqliteStore>(options);
}

}  // namespace dms::storage::detail
