#include "events/outbox.hpp"

#include <vector>

#include "dms/error.hpp"
#include "service/rows.hpp"

namespace dms::events {
namespace {

// The transactional outbox: rows commit with the mutation that caused them; a dispatcher (a later
// issue) delivers them in id order and stamps delivered_at.
const storage::MigrationRegistration kOutboxTable({120, "outbox events", R"SQL(
CREATE TABLE outbox_events (
  id {{ID}},
  type TEXT NOT NULL,
  payload TEXT NOT NULL,
  service_center_id TEXT,
  audience_role TEXT,
  actor_user_id TEXT,
  request_id TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  delivered_at BIGINT
);
CREATE INDEX idx_outbox_events_pending ON outbox_events(delivered_at, id)
)SQL"});

// The committed-event feed (src/events/feed.hpp, decision 0017): each event's position in commit
// order, numbered at commit from the one-row counter outbox_feed. Existing events keep their id.
const storage::MigrationRegistration kFeedOrder({440, "outbox feed order", R"SQL(
ALTER TABLE outbox_events ADD COLUMN feed_seq BIGINT;
UPDATE outbox_events SET feed_seq = id;
CREATE UNIQUE INDEX idx_outbox_events_feed ON outbox_events(feed_seq);
CREATE TABLE outbox_feed (id BIGINT PRIMARY KEY, last_seq BIGINT NOT NULL);
INSERT INTO outbox_feed (id, last_seq) SELECT 1, COALESCE(MAX(id), 0) FROM outbox_events
)SQL"});

thread_local bool t_emitted = false;

// Numbers `ids` (in emit order) with the next feed positions. The UPDATE row-locks the counter
// until COMMIT: a concurrent transaction numbering its own events waits here until this one has
// committed, so positions follow commit order.
void number_events(storage::Transaction& tx, const std::vector<int64_t>& ids) {
  if (ids.empty()) return;
  const auto count = static_cast<int64_t>(ids.size());
  const auto row = tx.query_one(
      "UPDATE outbox_feed SET last_seq = last_seq + CAST(? AS BIGINT) WHERE id = 1 "
      "RETURNING last_seq",
      {count});
  if (!row) throw Error::Internal("the outbox_feed counter row is missing");
  int64_t seq = row->i64(0) - count;
  for (const int64_t id : ids) {
    tx.exec("UPDATE outbox_events SET feed_seq = ? WHERE id = ?", {++seq, id});
  }
}

// Runs last among the commit hooks (FeedHook creates it from its own before_commit, so it comes
// after every hook that existed then, the audit chains' included): the counter is the last lock
// the transaction takes, held only for the COMMIT itself, and no two transactions wait for each
// other's locks in opposite orders.
class FeedNumbering;

class FeedHook final : public storage::Transaction::CommitHook {
 public:
  std::vector<int64_t> ids;
  bool numbered = false;  // FeedNumbering ran: later emits number themselves

  void before_commit(storage::Transaction& tx) override;
};

class FeedNumbering final : public storage::Transaction::CommitHook {
 public:
  void before_commit(storage::Transaction& tx) override {
    FeedHook& feed = tx.commit_hook<FeedHook>();
    number_events(tx, feed.ids);
    feed.ids.clear();
    feed.numbered = true;
  }
};

void FeedHook::before_commit(storage::Transaction& tx) {
  tx.commit_hook<FeedNumbering>();
}

struct NamedListener {
  const char* name;
  Listener listener;
};

std::vector<NamedListener>& listeners() {
  static std::vector<NamedListener> all;
  return all;
}

}  // namespace

bool take_emitted() {
  const bool emitted = t_emitted;
  t_emitted = false;
  return emitted;
}

ListenerRegistration::ListenerRegistration(const char* name, Listener listener) {
  listeners().push_back({name, listener});
}

void emit(storage::Transaction& tx, const Context& ctx, std::string_view type, const Json& payload,
          const std::optional<std::string>& service_center_id, std::string_view audience_role) {
  const auto row = tx.query_one(
      "INSERT INTO outbox_events (type, payload, service_center_id, audience_role, actor_user_id, "
      "request_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
      {std::string(type), payload.dump(), rows::null_if_empty(service_center_id.value_or("")),
       rows::null_if_empty(audience_role), rows::null_if_empty(ctx.user_id), ctx.meta.request_id,
       ctx.now().unix_micros()});
  if (!row) throw Error::Internal("INSERT INTO outbox_events returned no id");
  FeedHook& feed = tx.commit_hook<FeedHook>();
  if (feed.numbered) {
    number_events(tx, {row->i64(0)});  // emitted by a commit hook after the numbering ran
  } else {
    feed.ids.push_back(row->i64(0));
  }
  t_emitted = true;
  const Emitted event{row->i64(0), type, payload, service_center_id, audience_role};
  for (const NamedListener& l : listeners()) l.listener(tx, ctx, event);
}

}  // namespace dms::events
