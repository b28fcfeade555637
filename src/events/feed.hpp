// The committed-event feed: outbox events in commit order, behind a cursor (decision 0009).
//
// Ordering: events::emit registers a commit hook that, as the transaction's last step before
// COMMIT, numbers the transaction's events from the one-row counter outbox_feed (an UPDATE that
// row-locks it until COMMIT). The next transaction to number events waits for that lock, so it
// takes its numbers only once this one has committed (and become visible): feed_seq order is
// commit order, and a reader that sees feed_seq n sees every smaller one that will ever exist.
// On SQLite writers are serialized anyway; the same code runs there.
//
// Thread-safety: a FeedHub is shared by the Database and its subscriptions' threads.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "dms/database.hpp"
#include "storage/store.hpp"

namespace dms::events {

// The committed events after `cursor` (see Database::events_since); a malformed cursor is
// VALIDATION on "cursor".
int64_t parse_cursor(const std::string& cursor);
Database::EventPage events_since(storage::Store& store, const std::string& cursor, int limit);
std::string events_head(storage::Store& store);

// What a Database shares with its subscriptions' threads.
struct FeedHub {
  explicit FeedHub(storage::Store& s) : store(s) {}

  // After a commit of this process that carried events: wakes every waiting reader.
  void wake();
  // Stops every subscription and waits for their threads (from ~Database).
  void shutdown();

  storage::Store& store;            // valid until shutdown() returns
  std::mutex mutex;                 // guards everything below and every subscription's State flags
  std::condition_variable changed;  // generation, a State's stop or finished changed
  uint64_t generation = 0;          // wake() calls so far
  bool shut_down = false;
  std::vector<std::weak_ptr<EventSubscription::State>> subscriptions;
};

}  // namespace dms::events
