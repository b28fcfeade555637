#include "events/outbox.hpp"

#include <vector>

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

struct NamedListener {
  const char* name;
  Listener listener;
};

std::vector<NamedListener>& listeners() {
  static std::vector<NamedListener> all;
  return all;
}

}  // namespace

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
  const Emitted event{row ? row->i64("id") : 0, type, payload, service_center_id, audience_role};
  for (const NamedListener& l : listeners()) l.listener(tx, ctx, event);
}

}  // namespace dms::events
