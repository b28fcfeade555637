// One transaction around many service calls: run_batch(store, fn) runs fn in a write transaction
// of `store`, and every write() or read() that code on the same thread starts on the same store
// while fn runs (a service method called through Database::call, say) joins that transaction
// instead of opening its own. Everything commits together or, when anything throws, nothing does
// (no savepoints: a failed call fails the batch, and the caller retries without it). The importer
// of the dms command (src/cli/) batches its rows this way; services never call it.
//
// Thread-safety: the joined transaction belongs to the calling thread; other threads keep
// opening their own transactions as usual (on SQLite they wait for the batch's writer turn).
#pragma once

#include <functional>

#include "storage/store.hpp"

namespace dms::storage {

// Runs `fn` in one write transaction that nested transactions of this thread on `store` join.
// A retryable failure re-runs `fn` from the start (as Store::write does), so `fn` must reset any
// state it keeps outside the transaction. Nesting run_batch is an error (kInternal).
void run_batch(Store& store, const std::function<void(Transaction&)>& fn);

namespace detail {
// For the engines: the transaction of a batch this thread runs on `store`, or nullptr.
Transaction* batch_transaction(const Store* store);
}  // namespace detail

}  // namespace dms::storage
