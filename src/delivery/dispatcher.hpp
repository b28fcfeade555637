// The dispatcher: delivers the outbox's messages (src/notify/messages.hpp) by e-mail and SMS.
//
// At least once, never lost. run_batch() claims due messages in one short transaction (status
// SENDING, attempts + 1, a lease owned by this dispatcher until now + leaseSeconds; on PostgreSQL
// the candidate rows are taken `FOR UPDATE SKIP LOCKED`, so concurrent dispatchers, in this
// process or others, claim disjoint rows; on SQLite the write transaction excludes other
// writers), sends each one outside any transaction, then marks it in another short transaction:
// SENT (a sensitive body erased), or QUEUED again after an exponential backoff, or DEAD after
// retry.maxAttempts tries (a sensitive body erased too). A dispatcher that dies between sending
// and marking leaves its lease, which expires: the next claim takes the message again and it is
// sent a second time (the same Message-ID, so a mail client can tell). Normal operation sends
// each message once. See docs/settings.md and the flow in docs/workflows.md.
//
// Thread-safety: a Dispatcher is used by one thread at a time (its transports keep a connection);
// any number of Dispatchers may run on one database at once.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "dms/database.hpp"
#include "dms/json.hpp"
#include "dms/time.hpp"
#include "notify/messages.hpp"
#include "storage/store.hpp"

namespace dms::delivery {

// A claimed message, as a transport sends it.
struct Outgoing {
  int64_t id = 0;                // the outbox row
  std::string message_id;        // the Message-ID token, fixed at enqueue
  int64_t attempts = 0;          // including this one
  int64_t lease_expires_at = 0;  // microseconds: past it, another dispatcher may claim it
  notify::Message message;
};

// Where messages go: SMTP, an SMS gateway, a test double. send() throws (std::exception) to
// report a failed attempt; the message is tried again later.
class Transport {
 public:
  virtual ~Transport() = default;
  virtual void send(const Outgoing& message, Timestamp now) = 0;
};

struct BatchResult {
  int claimed = 0;
  int sent = 0;
  int retried = 0;  // failed, queued for another try
  int dead = 0;     // failed for the last time
  int expired = 0;  // its lease ran out before its turn: left for the next claim
};
Json batch_json(const BatchResult& result);

// The delay before try `attempts + 1` after `attempts` failed tries (attempts >= 1):
// min(max, base * factor^(attempts - 1)), exact integer arithmetic, no jitter.
int64_t retry_delay_seconds(const RetrySettings& retry, int64_t attempts);

// `text` with every credential of `settings` (SMTP password and username, gateway header values,
// a URL's user information) replaced by "***": for errors and anything else shown.
std::string redact(const DeliverySettings& settings, std::string text);

class Dispatcher {
 public:
  // A null transport leaves its channel's messages queued (never claimed).
  Dispatcher(storage::Store& store, const Clock& clock, DeliverySettings settings,
             std::unique_ptr<Transport> email, std::unique_ptr<Transport> sms);
  // The curl transports of the configured channels (src/delivery/transports.hpp).
  static std::unique_ptr<Dispatcher> from_settings(storage::Store& store, const Clock& clock,
                                                   const DeliverySettings& settings);

  // One batch: claim up to batchSize due messages, send, mark.
  BatchResult run_batch();

  // The steps of run_batch, for tests that stop between them.
  std::vector<Outgoing> claim();
  // Sends one claimed message and marks it; returns true when it was sent.
  bool deliver(const Outgoing& message, BatchResult* result = nullptr);
  Transport* transport_for(notify::ChannelKind channel) const;
  const std::string& owner() const { return owner_; }

 private:
  void mark_sent(const Outgoing& message);
  // Returns true when the message is now DEAD.
  bool mark_failed(const Outgoing& message, const std::string& error);

  storage::Store& store_;
  const Clock& clock_;
  DeliverySettings settings_;
  std::unique_ptr<Transport> email_;
  std::unique_ptr<Transport> sms_;
  std::string owner_;  // this dispatcher's lease owner id
};

// Called by notify::enqueue in the caller's transaction, right after the outbox row `id` is
// written: fixes the Message-ID and stores the attachments.
void prepare_enqueued(storage::Transaction& tx, int64_t id, const notify::Message& message,
                      Timestamp now);

}  // namespace dms::delivery
