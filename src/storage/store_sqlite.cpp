// The SQLite engine (SQLiteCpp): the embedded default.
//
// Each connection runs in WAL mode with foreign keys on, a busy timeout and the configured
// synchronous level. Writes use BEGIN IMMEDIATE, so a write transaction holds the database's
// write lock from its first statement (no upgrade deadlocks); writers of one Store also queue on
// a mutex, so threads wait in order instead of in SQLite's sleeping busy handler. Other
// processes are kept out by the lock itself and wait up to the busy timeout, then see CONFLICT.
// Readers use their own pooled connections and see a snapshot (WAL) without blocking writers.
// ":memory:" is one private connection used by one transaction at a time.
// Each connection keeps its prepared statements in a small LRU cache keyed by SQL text: a
// statement is reset and its bindings cleared after every use (also when it threw, and then it
// leaves the cache), and SQLite re-prepares a cached statement itself when the schema changed.
#include <sqlite3.h>

#include <SQLiteCpp/SQLiteCpp.h>

#include <algorithm>
#include <chrono>
#include <list>
#include <mutex>
#include <thread>
#include <unordered_map>

#include "dms/error.hpp"
#include "storage/batch.hpp"
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

// A prepared statement of one connection, finalized with it.
class Prepared {
 public:
  Prepared(sqlite3* db, std::string sql) : sql_(std::move(sql)) {
    const int rc = sqlite3_prepare_v3(db, sql_.data(), static_cast<int>(sql_.size()),
                                      SQLITE_PREPARE_PERSISTENT, &statement_, nullptr);
    if (rc != SQLITE_OK) {
      sqlite3_finalize(statement_);  // NULL on failure; harmless
      throw SQLite::Exception(db, rc);
    }
    if (statement_ == nullptr) {  // only whitespace or a comment
      throw Error::Internal("empty SQL statement: " + sql_excerpt(sql_));
    }
  }
  ~Prepared() { sqlite3_finalize(statement_); }
  Prepared(const Prepared&) = delete;
  Prepared& operator=(const Prepared&) = delete;

  sqlite3_stmt* get() const { return statement_; }
  const std::string& sql() const { return sql_; }

  // The result's column names, kept until SQLite re-prepares the statement (schema change).
  const std::shared_ptr<const std::vector<std::string>>& column_names() {
    const int reprepared = sqlite3_stmt_status(statement_, SQLITE_STMTSTATUS_REPREPARE, 0);
    if (!names_ || reprepared != names_reprepared_) {
      auto names = std::make_shared<std::vector<std::string>>();
      const int count = sqlite3_column_count(statement_);
      for (int i = 0; i < count; ++i) {
        const char* name = sqlite3_column_name(statement_, i);
        names->emplace_back(name != nullptr ? name : "");
      }
      names_ = std::move(names);
      names_reprepared_ = reprepared;
    }
    return names_;
  }

  bool in_use = false;

 private:
  std::string sql_;
  sqlite3_stmt* statement_ = nullptr;
  std::shared_ptr<const std::vector<std::string>> names_;
  int names_reprepared_ = 0;
};

// The prepared statements of one connection, least recently used first out. Statements longer
// than kMaxCachedSql (bulk inserts of many rows) are prepared for one use only.
class StatementCache {
 public:
  static constexpr size_t kCapacity = 128;
  static constexpr size_t kMaxCachedSql = 64 * 1024;

  // A statement for `sql`, cached or newly prepared; `cached` says whether it stays in the cache.
  std::shared_ptr<Prepared> take(sqlite3* db, std::string_view sql, bool& cached) {
    cached = false;
    auto it = index_.find(sql);
    if (it != index_.end() && !(*it->second)->in_use) {
      lru_.splice(lru_.begin(), lru_, it->second);  // most recently used first
      cached = true;
      return *it->second;
    }
    auto prepared = std::make_shared<Prepared>(db, std::string(sql));
    if (sql.size() <= kMaxCachedSql && it == index_.end()) {
      if (lru_.size() >= kCapacity) {
        index_.erase(lru_.back()->sql());
        lru_.pop_back();
      }
      lru_.push_front(prepared);
      index_.emplace(prepared->sql(), lru_.begin());
      cached = true;
    }
    return prepared;
  }

  // Drops `sql`'s statement (after it failed: it is prepared afresh next time).
  void evict(const std::string& sql) {
    auto it = index_.find(sql);
    if (it == index_.end()) return;
    lru_.erase(it->second);
    index_.erase(it);
  }

  size_t size() const { return lru_.size(); }

 private:
  using List = std::list<std::shared_ptr<Prepared>>;
  List lru_;
  std::unordered_map<std::string_view, List::iterator> index_;  // views into lru_'s sql()
};

// One open database and its statement cache; the cache goes first (its statements must be
// finalized before the database closes).
struct Connection {
  std::unique_ptr<SQLite::Database> db;
  StatementCache statements;
};

// A statement taken for one exec()/query(): bound on construction; reset and unbound on every
// exit, and evicted from the cache when the call failed.
class StatementUse {
 public:
  StatementUse(Connection& connection, std::string_view sql, const std::vector<Value>& params)
      : connection_(connection),
        prepared_(connection.statements.take(connection.db->getHandle(), sql, cached_)) {
    prepared_->in_use = true;
    try {
      bind(params, sql);
    } catch (...) {
      failed_ = true;
      release();
      throw;
    }
  }
  ~StatementUse() { release(); }
  StatementUse(const StatementUse&) = delete;
  StatementUse& operator=(const StatementUse&) = delete;

  // One step: true with a row ready, false when done; a failure is thrown as SQLite::Exception.
  bool step() {
    const int rc = sqlite3_step(prepared_->get());
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    failed_ = true;
    throw SQLite::Exception(connection_.db->getHandle(), rc);
  }

  sqlite3_stmt* get() const { return prepared_->get(); }
  Prepared& prepared() { return *prepared_; }

 private:
  void bind(const std::vector<Value>& params, std::string_view sql) {
    sqlite3_stmt* statement = prepared_->get();
    const auto expected = static_cast<size_t>(sqlite3_bind_parameter_count(statement));
    if (expected != params.size()) {
      throw Error::Internal("statement has " + std::to_string(expected) + " placeholders but " +
                            std::to_string(params.size()) +
                            " values were bound: " + sql_excerpt(sql));
    }
    for (size_t i = 0; i < params.size(); ++i) {
      const int index = static_cast<int>(i + 1);
      const Value& value = params[i];
      int rc;
      if (const auto* number = std::get_if<int64_t>(&value)) {
        rc = sqlite3_bind_int64(statement, index, *number);
      } else if (const auto* text = std::get_if<std::string>(&value)) {
        // The caller's strings outlive the call, and the bindings are cleared after it.
        rc = sqlite3_bind_text64(statement, index, text->data(), text->size(), SQLITE_STATIC,
                                 SQLITE_UTF8);
      } else {
        rc = sqlite3_bind_null(statement, index);
      }
      if (rc != SQLITE_OK) throw SQLite::Exception(connection_.db->getHandle(), rc);
    }
  }

  void release() noexcept {
    sqlite3_stmt* statement = prepared_->get();
    sqlite3_reset(statement);
    sqlite3_clear_bindings(statement);
    prepared_->in_use = false;
    if (failed_ && cached_) connection_.statements.evict(prepared_->sql());
  }

  Connection& connection_;
  bool cached_ = false;
  std::shared_ptr<Prepared> prepared_;
  bool failed_ = false;
};

Value column_value(sqlite3_stmt* statement, int i) {
  switch (sqlite3_column_type(statement, i)) {
    case SQLITE_INTEGER:
      return static_cast<int64_t>(sqlite3_column_int64(statement, i));
    case SQLITE_NULL:
      return null_value();
    default: {  // TEXT, BLOB; a FLOAT (never stored by us) comes back as its text
      const void* data = sqlite3_column_blob(statement, i);
      const int size = sqlite3_column_bytes(statement, i);
      if (data == nullptr || size <= 0) return std::string();
      return std::string(static_cast<const char*>(data), static_cast<size_t>(size));
    }
  }
}

class SqliteTransaction final : public Transaction {
 public:
  explicit SqliteTransaction(Connection& connection) : connection_(connection) {}
  Engine engine() const override { return Engine::kSqlite; }

  int64_t exec(std::string_view sql, const std::vector<Value>& params) override {
    try {
      StatementUse statement(connection_, sql, params);
      sqlite3* db = connection_.db->getHandle();
      const int64_t total_before = sqlite3_total_changes64(db);
      while (statement.step()) {
      }
      // sqlite3_changes() keeps the count of the last modifying statement: ask only after a
      // change.
      return sqlite3_total_changes64(db) == total_before ? 0 : sqlite3_changes64(db);
    } catch (const SQLite::Exception& e) {
      throw_mapped(e, sql);
    }
  }

  Rows query(std::string_view sql, const std::vector<Value>& params) override {
    try {
      StatementUse statement(connection_, sql, params);
      Rows rows;
      if (!statement.step()) return rows;
      // After the first step: a statement SQLite re-prepared has its new columns by now.
      const auto& names = statement.prepared().column_names();
      const int count = static_cast<int>(names->size());
      do {
        std::vector<Value> values;
        values.reserve(names->size());
        for (int i = 0; i < count; ++i) values.push_back(column_value(statement.get(), i));
        rows.emplace_back(names, std::move(values));
      } while (statement.step());
      return rows;
    } catch (const SQLite::Exception& e) {
      throw_mapped(e, sql);
    }
  }

 private:
  Connection& connection_;
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
    // Inside run_batch (storage/batch.hpp): join the batch's transaction.
    if (Transaction* joined = batch_transaction(this)) {
      body(*joined);
      return;
    }
    std::unique_lock<std::mutex> writer_turn(writer_mutex_, std::defer_lock);
    // An in-memory database is one connection: every transaction takes the writer's turn.
    if (mode == TxMode::kWrite || in_memory_) writer_turn.lock();
    std::unique_ptr<Connection> connection = acquire();
    try {
      run_on(*connection, mode, body);
    } catch (...) {
      release(std::move(connection));
      throw;
    }
    release(std::move(connection));
  }

 private:
  static void run_on(Connection& connection, TxMode mode,
                     const std::function<void(Transaction&)>& body) {
    SqliteTransaction tx(connection);
    tx.exec(mode == TxMode::kWrite ? "BEGIN IMMEDIATE" : "BEGIN", {});
    try {
      body(tx);
      tx.run_commit_hooks();
      tx.exec("COMMIT", {});
    } catch (...) {
      if (sqlite3_get_autocommit(connection.db->getHandle()) == 0) {
        try {
          connection.db->exec("ROLLBACK");
        } catch (const SQLite::Exception&) {  // already rolled back by SQLite itself
        }
      }
      throw;
    }
  }

  std::unique_ptr<Connection> connect() const {
    try {
      auto connection = std::make_unique<Connection>();
      auto& db = connection->db;
      db = std::make_unique<SQLite::Database>(
          options_.url, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE | SQLite::OPEN_NOMUTEX,
          options_.busy_timeout_ms);
      use_wal(*db);
      db->exec("PRAGMA foreign_keys = ON");
      db->exec("PRAGMA synchronous = " + options_.sqlite_synchronous);
      return connection;
    } catch (const SQLite::Exception& e) {
      if (e.getErrorCode() == SQLITE_BUSY) throw Error::Conflict("the database is locked");
      throw Error::Storage("cannot open SQLite database '" + options_.url + "': " + e.what());
    }
  }

  // Switches a connection to WAL. Changing the journal mode needs the database to itself, and
  // SQLite answers BUSY at once rather than through the busy handler when another connection is
  // busy with it (several processes opening a brand-new file at the same moment), so this waits
  // and tries again, up to the busy timeout. A file already in WAL mode (the usual case) takes
  // one try.
  void use_wal(SQLite::Database& db) const {
    using Clock = std::chrono::steady_clock;
    const auto deadline = Clock::now() + std::chrono::milliseconds(options_.busy_timeout_ms);
    for (int attempt = 0;; ++attempt) {
      try {
        db.exec("PRAGMA journal_mode = WAL");  // ":memory:" answers "memory", and stays so
        return;
      } catch (const SQLite::Exception& e) {
        const int primary = e.getErrorCode();
        if ((primary != SQLITE_BUSY && primary != SQLITE_LOCKED) || Clock::now() >= deadline) {
          throw;
        }
      }
      std::this_thread::sleep_for(
          std::chrono::milliseconds(std::min(1 << std::min(attempt, 5), 20)));
    }
  }

  std::unique_ptr<Connection> acquire() {
    {
      std::lock_guard<std::mutex> lock(pool_mutex_);
      if (!idle_.empty()) {
        auto connection = std::move(idle_.back());
        idle_.pop_back();
        return connection;
      }
    }
    if (in_memory_) throw Error::Internal("the in-memory connection is in use");
    return connect();
  }

  void release(std::unique_ptr<Connection> connection) {
    std::lock_guard<std::mutex> lock(pool_mutex_);
    if (in_memory_ || idle_.size() < kMaxIdleConnections) idle_.push_back(std::move(connection));
  }

  const OpenOptions options_;
  const bool in_memory_;
  std::mutex writer_mutex_;  // one writer of this Store at a time (and all of ":memory:")
  std::mutex pool_mutex_;    // guards idle_
  std::vector<std::unique_ptr<Connection>> idle_;
};

}  // namespace

std::unique_ptr<Store> open_sqlite(const OpenOptions& options) {
  return std::make_unique<SqliteStore>(options);
}

}  // namespace dms::storage::detail
