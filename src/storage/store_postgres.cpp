// The PostgreSQL engine (libpqxx). TEMPORARY: lands with issue 4's second step.
#include "dms/error.hpp"
#include "storage/engine.hpp"

namespace dms::storage::detail {

std::unique_ptr<Store> open_postgres(const OpenOptions&) {
  throw Error(ErrorCode::kUnavailable, "the PostgreSQL engine is not built yet");
}

}  // namespace dms::storage::detail
