// TEMPORARY: replaced by the storage module (issue 4). Delete this file when store.cpp lands.
#include "dms/error.hpp"
#include "storage/store.hpp"

namespace dms::storage {
std::unique_ptr<Store> Store::open(const OpenOptions&) {
  throw Error::Internal("storage module not built yet");
}
}  // namespace dms::storage
