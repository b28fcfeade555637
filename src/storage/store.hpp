// The storage seam: a unit of work over one SQL database, with two engines behind it.
//
// Services never see SQLite or PostgreSQL types. They run a function inside Store::write() (or
// read()), and inside it talk to the database through a Transaction: statements in one neutral
// SQL dialect with '?' placeholders (rewritten to $1.. for PostgreSQL), values as int64 / text /
// NULL. Everything the function does commits together or not at all. See
// docs/decisions/0004-storage-seam.md.
//
// Dialect rules for SQL passed to exec()/query():
//   - '?' placeholders only; never splice values into SQL text. Where PostgreSQL cannot infer a
//     parameter's type (SELECT ?, ? IS NULL, COALESCE(?, ...)) write CAST(? AS BIGINT) / AS TEXT.
//   - types: BIGINT (money in minor units, quantities in thousandths, booleans 0/1, microsecond
//     timestamps), TEXT (ids, codes, names, dates as "YYYY-MM-DD", JSON documents). Never REAL.
//   - INSERT ... ON CONFLICT ... DO UPDATE and RETURNING work on both engines.
//   - append tx.for_update() to a SELECT of a hot row you are about to change.
//   - after exec()/query() threw, the transaction is spent (PostgreSQL aborts it): let the error
//     propagate rather than catching it and issuing more statements.
// Related: storage/list_query.hpp (seed 002 list queries), storage/document_numbers.hpp
// (gapless document numbers), docs/storage.md (how modules use all of it).
//
// Thread-safety: a Store is safe to use from many threads at once; each write()/read() call gets
// its own connection and transaction. A Transaction belongs to the thread running the function.
// Do not call write()/read() from inside another's function: it would wait for itself (SQLite
// has one writer at a time; ":memory:" one transaction at a time).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <typeindex>
#include <utility>
#include <variant>
#include <vector>

namespace dms::storage {

enum class Engine { kSqlite, kPostgres };
const char* engine_name(Engine engine);

// A bound parameter or a column value.
using Value = std::variant<std::monostate, int64_t, std::string>;
inline Value null_value() {
  return Value{};
}

class Row {
 public:
  Row(std::shared_ptr<const std::vector<std::string>> columns, std::vector<Value> values)
      : columns_(std::move(columns)), values_(std::move(values)) {}

  size_t size() const { return values_.size(); }
  const std::vector<std::string>& columns() const { return *columns_; }
  const Value& at(size_t index) const { return values_.at(index); }
  const Value& at(std::string_view column) const { return values_.at(index_of(column)); }
  // Moves the value out, leaving the row's own moved-from: for a reader done with the row.
  Value take(size_t index) { return std::move(values_.at(index)); }

  bool is_null(size_t i) const { return std::holds_alternative<std::monostate>(at(i)); }
  bool is_null(std::string_view c) const { return is_null(index_of(c)); }
  // Throw Error(kInternal) when the value is NULL or of the other type.
  int64_t i64(size_t i) const;
  int64_t i64(std::string_view c) const { return i64(index_of(c)); }
  const std::string& str(size_t i) const;
  const std::string& str(std::string_view c) const { return str(index_of(c)); }
  std::optional<int64_t> opt_i64(std::string_view c) const;
  std::optional<std::string> opt_str(std::string_view c) const;
  bool flag(std::string_view c) const { return i64(c) != 0; }

  size_t index_of(std::string_view column) const;  // Error(kInternal) when absent

 private:
  std::shared_ptr<const std::vector<std::string>> columns_;
  std::vector<Value> values_;
};

using Rows = std::vector<Row>;

class Transaction {
 public:
  virtual ~Transaction() = default;
  virtual Engine engine() const = 0;

  // Runs one statement; returns the number of rows it changed. A unique-constraint violation is
  // Error(kDuplicate); other database failures are Error(kStorage) (or kConflict when retryable).
  virtual int64_t exec(std::string_view sql, const std::vector<Value>& params = {}) = 0;
  virtual Rows query(std::string_view sql, const std::vector<Value>& params = {}) = 0;

  std::optional<Row> query_one(std::string_view sql, const std::vector<Value>& params = {});
  // " FOR UPDATE" on PostgreSQL; "" on SQLite, whose write transaction already holds the lock.
  const char* for_update() const { return engine() == Engine::kPostgres ? " FOR UPDATE" : ""; }
  // Holds until the transaction ends a lock that every other transaction naming the same key
  // waits for: for hot keys with no row to lock yet ("stock:<part>:<location>"). PostgreSQL: a
  // transaction-scoped advisory lock on a 64-bit hash of the key; SQLite: nothing to do, the
  // write transaction already excludes other writers.
  void lock_key(std::string_view key);

  // Work deferred to the end of the transaction: a module's state for this transaction whose
  // before_commit() the engine runs right before COMMIT, inside the transaction (what it writes
  // commits atomically with everything else), once, in the order the hooks were created. When
  // before_commit() throws the transaction rolls back (a retryable failure re-runs the whole
  // function). A re-run gets a fresh Transaction with no hooks: the function creates them again.
  // The audit log buffers its rows this way (audit/audit.hpp).
  class CommitHook {
   public:
    virtual ~CommitHook() = default;
    virtual void before_commit(Transaction& tx) = 0;
  };
  // This transaction's hook of type H (default-constructed on first use).
  template <class H>
  H& commit_hook() {
    for (auto& [type, hook] : hooks_) {
      if (type == std::type_index(typeid(H))) return static_cast<H&>(*hook);
    }
    hooks_.emplace_back(std::type_index(typeid(H)), std::make_unique<H>());
    return static_cast<H&>(*hooks_.back().second);
  }
  // For the engines: runs every hook's before_commit(); call right before COMMIT.
  void run_commit_hooks();

 private:
  std::vector<std::pair<std::type_index, std::unique_ptr<CommitHook>>> hooks_;
};

enum class TxMode { kRead, kWrite };

struct OpenOptions {
  // "dealer.db", ":memory:" (private to this Store), or "postgresql://user@host:port/db".
  std::string url;
  // SQLite: PRAGMA synchronous (OFF, NORMAL, FULL, EXTRA). FULL makes each commit durable.
  std::string sqlite_synchronous = "FULL";
  // SQLite: how long a writer waits for the lock before CONFLICT.
  int busy_timeout_ms = 30000;
  // PostgreSQL: connections kept open.
  int pool_size = 8;
  // PostgreSQL: re-runs of a transaction after a serialization failure or deadlock (40001,
  // 40P01) before the caller sees CONFLICT.
  int max_retries = 20;
  // Apply the missing migrations at open (the default). False for a read replica (a hot standby
  // refuses writes; it follows its primary's schema).
  bool migrate = true;
};

class Store {
 public:
  // Opens (creating if needed) and migrates to the newest schema. A database written by a newer
  // library is Error(kStorage) naming both versions.
  static std::unique_ptr<Store> open(const OpenOptions& options);
  static std::unique_ptr<Store> open(const std::string& url) {
    OpenOptions o;
    o.url = url;
    return open(o);
  }
  virtual ~Store() = default;

  virtual Engine engine() const = 0;
  virtual int schema_version() = 0;

  // Runs `fn(Transaction&)` in one write transaction and commits. Any exception rolls back and
  // propagates. Retryable failures re-run `fn` from the start, so `fn` must touch nothing but
  // `tx` (and locals). Returns what `fn` returns.
  template <class F>
  auto write(F&& fn) {
    return run_returning(TxMode::kWrite, std::forward<F>(fn));
  }
  // The same for a read-only transaction (a consistent snapshot).
  template <class F>
  auto read(F&& fn) {
    return run_returning(TxMode::kRead, std::forward<F>(fn));
  }

 protected:
  virtual void run(TxMode mode, const std::function<void(Transaction&)>& body) = 0;

 private:
  template <class F>
  auto run_returning(TxMode mode, F&& fn) {
    using R = std::invoke_result_t<F&, Transaction&>;
    if constexpr (std::is_void_v<R>) {
      run(mode, [&](Transaction& tx) { fn(tx); });
    } else {
      std::optional<R> result;
      run(mode, [&](Transaction& tx) { result.emplace(fn(tx)); });
      return std::move(*result);
    }
  }
};

// A new random id (UUID version 4, lowercase text).
std::string new_id();

// ---- Schema migrations ------------------------------------------------------------------------
// Each module registers its own forward-only migrations from its .cpp with a static
// MigrationRegistration. Versions: storage 1-99, identity/audit/events 100-199, inventory
// 200-299, workshop and billing 300-399, later modules 400+ (90000+ is reserved for tests and
// benchmarks). Store::open applies the missing ones in version order, each in its own
// transaction, and records them in schema_migrations; a released migration is never edited
// (add a new version instead). SQL may use these tokens:
//   {{ID}}  an auto-incrementing BIGINT primary key (INTEGER PRIMARY KEY AUTOINCREMENT on SQLite,
//           BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY on PostgreSQL).
// Statements are separated by ';' at the end of a line.
struct Migration {
  int version;
  const char* name;
  const char* sql;
};
struct MigrationRegistration {
  explicit MigrationRegistration(Migration migration);
};
// All registered migrations in version order.
std::vector<Migration> registered_migrations();

}  // namespace dms::storage
