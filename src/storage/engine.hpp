// Internals shared by the two storage engines and the migration runner. Not for services.
//
// Thread-safety: free functions over their arguments; no shared state.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "dms/error.hpp"
#include "storage/store.hpp"

namespace dms::storage::detail {

// Engine constructors; Store::open() picks one by URL and then runs the migrations.
std::unique_ptr<Store> open_sqlite(const OpenOptions& options);
std::unique_ptr<Store> open_postgres(const OpenOptions& options);

bool is_postgres_url(std::string_view url);

// Applies every registered migration the database lacks, in version order, each in its own
// write transaction. Error(kStorage) when the database holds a version this library lacks.
void migrate(Store& store);
// The highest applied migration version (0 for an empty database).
int read_schema_version(Store& store);

// Replaces the {{ID}} token (see store.hpp) with the engine's auto-id column type.
std::string expand_tokens(std::string_view sql, Engine engine);

// "customer_number" -> "customerNumber": a column named by a constraint, as an API field.
std::string camel_case(std::string_view snake);

// Number of '?' placeholders outside quoted strings, identifiers and comments; and the same SQL
// with each rewritten to $1, $2, ... (PostgreSQL).
size_t count_placeholders(std::string_view sql);
std::string number_placeholders(std::string_view sql);

// The start of `sql`, for error messages that must not grow without bound.
std::string sql_excerpt(std::string_view sql);

// Thrown by an engine when a transaction failed for a reason that re-running it may cure
// (serialization failure, deadlock, a connection lost before commit). The engine's run loop
// catches it; after the retries are exhausted callers see a plain Error(kConflict).
class RetryableFailure : public Error {
 public:
  explicit RetryableFailure(std::string message)
      : Error(ErrorCode::kConflict, std::move(message)) {}
};

}  // namespace dms::storage::detail
