// The PostgreSQL engine (libpqxx 6.4): the multi-site engine.
//
// A bounded pool of connections; each write() runs READ COMMITTED, each read() REPEATABLE READ
// READ ONLY (one snapshot). Hot rows are locked with tx.for_update() or an atomic
// "UPDATE ... RETURNING"; a serialization failure (40001) or a deadlock (40P01) re-runs the whole
// function on a fresh transaction, up to OpenOptions::max_retries times with a short random
// back-off, before the caller sees CONFLICT. A server that cannot be reached is UNAVAILABLE (the
// broken connection leaves the pool); a connection lost during COMMIT is STORAGE_ERROR, since the
// outcome is unknown.
// Statements use '?' placeholders, rewritten here to $1, $2, ...; all values travel as text
// parameters, never spliced into SQL. Each connection prepares a DML statement the first time it
// runs it (conn.prepare under a name hashed from the SQL, then tx.exec_prepared): a prepared
// statement outlives the transaction that prepared it, also one rolled back and re-run after
// 40001/40P01, and libpqxx registers it with the server only once a prepare succeeded. PostgreSQL
// infers parameter types at prepare exactly as it does for a one-off statement, so a statement
// that needs CAST(? AS ...) fails the same way either way. A cached statement whose result
// columns changed under it (another process migrated the schema) re-runs the transaction on a
// fresh connection.
#include <cctype>
#include <charconv>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <pqxx/pqxx>
#include <random>
#include <thread>
#include <unordered_map>
#include <unordered_set>

#include "dms/error.hpp"
#include "storage/batch.hpp"
#include "storage/engine.hpp"

namespace dms::storage::detail {
namespace {

// PostgreSQL type oids (pg_type.h) whose values come back as integers.
constexpr pqxx::oid kBoolOid = 16;
constexpr pqxx::oid kInt8Oid = 20;
constexpr pqxx::oid kInt2Oid = 21;
constexpr pqxx::oid kInt4Oid = 23;
constexpr pqxx::oid kOidOid = 26;
constexpr pqxx::oid kNumericOid = 1700;  // SUM(bigint) is NUMERIC

Error unavailable(const std::string& what) {
  return Error(ErrorCode::kUnavailable, "PostgreSQL is unavailable: " + what);
}

// The column a unique violation names ("Key (a, b)=(...) already exists" -> "b").
std::string unique_violation_field(const std::string& message) {
  size_t open = message.find("Key (");
  size_t close = message.find(")=", open);
  if (open == std::string::npos || close == std::string::npos) return {};
  std::string columns = message.substr(open + 5, close - open - 5);
  size_t comma = columns.rfind(", ");
  return camel_case(comma == std::string::npos ? columns : columns.substr(comma + 2));
}

std::string first_line(const std::string& text) {
  return text.substr(0, text.find('\n'));
}

[[noreturn]] void throw_sql_error(const pqxx::sql_error& e, std::string_view sql) {
  const std::string& state = e.sqlstate();
  if (state == "23505") {
    std::string field = unique_violation_field(e.what());
    throw Error::Duplicate(
        field, "a record with this " + (field.empty() ? "key" : field) + " already exists");
  }
  if (state == "40001" || state == "40P01") throw RetryableFailure(first_line(e.what()));
  throw Error::Storage("postgresql: " + first_line(e.what()) + " (in: " + sql_excerpt(sql) + ")");
}

// Runs `fn`, translating libpqxx exceptions into the error model.
template <class F>
auto translated(std::string_view sql, F&& fn) {
  try {
    return fn();
  } catch (const pqxx::serialization_failure& e) {
    throw RetryableFailure(first_line(e.what()));
  } catch (const pqxx::deadlock_detected& e) {
    throw RetryableFailure(first_line(e.what()));
  } catch (const pqxx::broken_connection& e) {
    throw unavailable(first_line(e.what()));
  } catch (const pqxx::in_doubt_error& e) {
    throw Error::Storage("the connection was lost during COMMIT; the outcome is unknown: " +
                         first_line(e.what()));
  } catch (const pqxx::sql_error& e) {
    throw_sql_error(e, sql);
  } catch (const pqxx::failure& e) {
    throw Error::Storage("postgresql: " + first_line(e.what()));
  }
}

Value field_value(const pqxx::field& field) {
  if (field.is_null()) return null_value();
  const char* text = field.c_str();
  const pqxx::oid type = field.type();
  if (type == kBoolOid) return int64_t{text[0] == 't' ? 1 : 0};
  if (type == kInt8Oid || type == kInt2Oid || type == kInt4Oid || type == kOidOid ||
      type == kNumericOid) {
    int64_t number = 0;
    const char* end = text + field.size();
    auto [ptr, ec] = std::from_chars(text, end, number);
    if (ec == std::errc() && ptr == end) return number;
    // A NUMERIC with a fraction or beyond 64 bits stays exact as text.
  }
  return std::string(text, field.size());
}

Rows to_rows(const pqxx::result& result) {
  auto names = std::make_shared<std::vector<std::string>>();
  for (pqxx::row::size_type i = 0; i < result.columns(); ++i) {
    names->emplace_back(result.column_name(i));
  }
  Rows rows;
  rows.reserve(result.size());
  for (const pqxx::row& row : result) {
    std::vector<Value> values;
    values.reserve(names->size());
    for (const pqxx::field& field : row) values.push_back(field_value(field));
    rows.emplace_back(names, std::move(values));
  }
  return rows;
}

// One server connection and what it has prepared.
struct PgConnection {
  // Statements prepared per connection at most; later ones run unprepared.
  static constexpr size_t kMaxPrepared = 256;
  // Statements remembered per connection (prepared or not) at most, and the longest remembered.
  static constexpr size_t kMaxKnown = 512;
  static constexpr size_t kMaxPreparedSql = 64 * 1024;

  struct Statement {
    std::string numbered;  // the SQL with $1, $2, ...
    size_t placeholders = 0;
    std::string name;  // empty: run unprepared
  };

  explicit PgConnection(std::unique_ptr<pqxx::connection> c) : connection(std::move(c)) {}

  // What to run for `sql`; defines the prepared statement on first use.
  const Statement& statement(std::string_view sql) {
    auto it = statements.find(std::string(sql));
    if (it != statements.end()) return it->second;
    Statement statement;
    statement.placeholders = count_placeholders(sql);
    statement.numbered = number_placeholders(sql);
    if (statements.size() >= kMaxKnown || sql.size() > kMaxPreparedSql) {
      scratch = std::move(statement);  // run once, unprepared, and forgotten
      return scratch;
    }
    if (preparable(sql) && names.size() < kMaxPrepared) {
      std::string name = prepared_name(statement.numbered);
      if (names.insert(name).second) {  // a hash collision runs unprepared
        connection->prepare(name, statement.numbered);
        statement.name = std::move(name);
      }
    }
    return statements.emplace(std::string(sql), std::move(statement)).first->second;
  }

  // Data statements only: DDL and transaction control run once or are cheap to parse.
  static bool preparable(std::string_view sql) {
    size_t start = sql.find_first_not_of(" \t\r\n(");
    if (start == std::string_view::npos) return false;
    std::string word;
    for (size_t i = start; i < sql.size() && std::isalpha(static_cast<unsigned char>(sql[i]));
         ++i) {
      word.push_back(static_cast<char>(std::toupper(static_cast<unsigned char>(sql[i]))));
    }
    return word == "SELECT" || word == "INSERT" || word == "UPDATE" || word == "DELETE" ||
           word == "WITH";
  }

  // "dms_" and the 64-bit FNV-1a hash of the statement.
  static std::string prepared_name(std::string_view sql) {
    uint64_t hash = 14695981039346656037ULL;
    for (unsigned char c : sql) {
      hash ^= c;
      hash *= 1099511628211ULL;
    }
    static const char kHex[] = "0123456789abcdef";
    std::string name = "dms_";
    for (int shift = 60; shift >= 0; shift -= 4) name.push_back(kHex[(hash >> shift) & 0xF]);
    return name;
  }

  std::unique_ptr<pqxx::connection> connection;
  std::unordered_map<std::string, Statement> statements;  // by the caller's SQL text
  std::unordered_set<std::string> names;                  // of prepared statements
  Statement scratch;                                      // the last one not remembered
  bool discard = false;                                   // close instead of returning to the pool
};

class PgTransaction final : public Transaction {
 public:
  PgTransaction(pqxx::transaction_base& tx, PgConnection& connection)
      : tx_(tx), connection_(connection) {}
  Engine engine() const override { return Engine::kPostgres; }

  int64_t exec(std::string_view sql, const std::vector<Value>& params) override {
    return static_cast<int64_t>(run(sql, params).affected_rows());
  }
  Rows query(std::string_view sql, const std::vector<Value>& params) override {
    return to_rows(run(sql, params));
  }

 private:
  pqxx::result run(std::string_view sql, const std::vector<Value>& params) {
    const PgConnection::Statement& statement = connection_.statement(sql);
    size_t expected = statement.placeholders;
    if (expected != params.size()) {
      throw Error::Internal("statement has " + std::to_string(expected) + " placeholders but " +
                            std::to_string(params.size()) +
                            " values were bound: " + sql_excerpt(sql));
    }
    std::vector<std::string> numbers;  // text of integer values; outlives the call
    numbers.reserve(params.size());
    std::vector<const char*> texts;  // nullptr is SQL NULL
    texts.reserve(params.size());
    for (const Value& value : params) {
      if (const auto* number = std::get_if<int64_t>(&value)) {
        numbers.push_back(std::to_string(*number));
        texts.push_back(numbers.back().c_str());
      } else if (const auto* text = std::get_if<std::string>(&value)) {
        texts.push_back(text->c_str());
      } else {
        texts.push_back(nullptr);
      }
    }
    return translated(sql, [&] {
      try {
        if (statement.name.empty()) {
          return tx_.exec_params(statement.numbered, pqxx::prepare::make_dynamic_params(texts));
        }
        return tx_.exec_prepared(statement.name, pqxx::prepare::make_dynamic_params(texts));
      } catch (const pqxx::feature_not_supported& e) {
        // 0A000 "cached plan must not change result type": the table changed under the prepared
        // statement. This connection's statements are stale; run again on a fresh one.
        if (std::string_view(e.what()).find("cached plan") == std::string_view::npos) throw;
        connection_.discard = true;
        throw RetryableFailure(first_line(e.what()));
      }
    });
  }

  pqxx::transaction_base& tx_;
  PgConnection& connection_;
};

// A bounded set of open connections. acquire() blocks while all are in use.
class ConnectionPool {
 public:
  ConnectionPool(std::string url, int size)
      : url_(std::move(url)), max_open_(size < 1 ? 1 : size) {}

  std::unique_ptr<PgConnection> acquire() {
    std::unique_lock<std::mutex> lock(mutex_);
    available_.wait(lock, [&] { return !idle_.empty() || open_ < max_open_; });
    if (!idle_.empty()) {
      auto connection = std::move(idle_.back());
      idle_.pop_back();
      return connection;
    }
    ++open_;
    lock.unlock();
    try {
      return std::make_unique<PgConnection>(connect());
    } catch (...) {
      discard();
      throw;
    }
  }

  // Returns a connection; a broken one is closed and replaced on demand.
  void release(std::unique_ptr<PgConnection> connection) {
    if (!connection || connection->discard || !connection->connection->is_open()) {
      return discard();
    }
    std::lock_guard<std::mutex> lock(mutex_);
    idle_.push_back(std::move(connection));
    available_.notify_one();
  }

  void discard() {
    std::lock_guard<std::mutex> lock(mutex_);
    --open_;
    available_.notify_one();
  }

 private:
  std::unique_ptr<pqxx::connection> connect() const {
    try {
      auto connection = std::make_unique<pqxx::connection>(url_);
      pqxx::nontransaction setup(*connection);
      setup.exec("SET client_min_messages = warning");  // no NOTICEs on stderr
      return connection;
    } catch (const pqxx::broken_connection& e) {
      throw unavailable(first_line(e.what()));
    } catch (const pqxx::failure& e) {
      throw unavailable(first_line(e.what()));
    }
  }

  const std::string url_;
  const int max_open_;
  std::mutex mutex_;  // guards idle_ and open_
  std::condition_variable available_;
  std::vector<std::unique_ptr<PgConnection>> idle_;
  int open_ = 0;
};

// Returns the connection to the pool on every exit path.
class Lease {
 public:
  explicit Lease(ConnectionPool& pool) : pool_(pool), connection_(pool.acquire()) {}
  ~Lease() { pool_.release(std::move(connection_)); }
  Lease(const Lease&) = delete;
  Lease& operator=(const Lease&) = delete;
  PgConnection& operator*() { return *connection_; }

 private:
  ConnectionPool& pool_;
  std::unique_ptr<PgConnection> connection_;
};

void back_off(int attempt) {
  thread_local std::minstd_rand random{std::random_device{}()};
  const int ceiling_ms = 1 << std::min(attempt, 5);  // 1, 2, 4 ... 32 ms
  std::uniform_int_distribution<int> pick(0, ceiling_ms);
  std::this_thread::sleep_for(std::chrono::milliseconds(pick(random)));
}

class PostgresStore final : public Store {
 public:
  explicit PostgresStore(const OpenOptions& options)
      : options_(options), pool_(options.url, options.pool_size) {
    Lease check(pool_);  // report an unreachable server at open
  }

  Engine engine() const override { return Engine::kPostgres; }
  int schema_version() override { return read_schema_version(*this); }

 protected:
  void run(TxMode mode, const std::function<void(Transaction&)>& body) override {
    // Inside run_batch (storage/batch.hpp): join the batch's transaction; a retryable failure
    // propagates to the batch's own run, which re-runs the whole batch.
    if (Transaction* joined = batch_transaction(this)) {
      body(*joined);
      return;
    }
    for (int attempt = 0;; ++attempt) {
      try {
        run_once(mode, body);
        return;
      } catch (const RetryableFailure& e) {
        if (attempt >= options_.max_retries) {
          throw Error::Conflict("concurrent modification, still failing after " +
                                std::to_string(attempt + 1) + " attempts: " + e.message());
        }
      }
      back_off(attempt);
    }
  }

 private:
  void run_once(TxMode mode, const std::function<void(Transaction&)>& body) {
    Lease connection(pool_);
    PgConnection& pg = *connection;
    translated("BEGIN", [&] {
      if (mode == TxMode::kWrite) {
        pqxx::transaction<pqxx::read_committed> tx(*pg.connection);
        run_in(tx, pg, body);
      } else {
        pqxx::transaction<pqxx::repeatable_read, pqxx::read_only> tx(*pg.connection);
        run_in(tx, pg, body);
      }
    });
  }

  // The transaction's destructor rolls back when `body` or the commit throws.
  static void run_in(pqxx::transaction_base& tx, PgConnection& connection,
                     const std::function<void(Transaction&)>& body) {
    PgTransaction adapter(tx, connection);
    body(adapter);
    adapter.run_commit_hooks();
    tx.commit();
  }

  const OpenOptions options_;
  ConnectionPool pool_;
};

}  // namespace

std::unique_ptr<Store> open_postgres(const OpenOptions& options) {
  try {
    return std::make_unique<PostgresStore>(options);
  } catch (const pqxx::failure& e) {
    throw unavailable(first_line(e.what()));
  }
}

}  // namespace dms::storage::detail
