// Domain events, written to the outbox table in the mutation's transaction; nothing is lost if
// the process dies after commit. Hosts read
// them in commit order through the committed-event feed (src/events/feed.hpp): payloads go to
// hosts as they are, so they never carry secrets (passwords, codes, tokens).
//
// Listeners registered statically run inside emit(), in the same transaction.
//
// Thread-safety: listeners are registered during static initialisation only; emit() uses only
// the caller's transaction.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "dms/context.hpp"
#include "dms/json.hpp"
#include "storage/store.hpp"

namespace dms::events {

// `type`: "purchase_order.submitted", "stock.low", "user.created", ... `audience_role`: who should
// be told (for example "inventory_manager"), empty for everyone interested.
void emit(storage::Transaction& tx, const Context& ctx, std::string_view type, const Json& payload,
          const std::optional<std::string>& service_center_id = std::nullopt,
          std::string_view audience_role = {});

// True when this thread emitted an event since the last call, and clears the flag.
bool take_emitted();

// An event as its listeners see it, in the emitting transaction.
struct Emitted {
  int64_t id = 0;  // the outbox row
  std::string_view type;
  const Json& payload;
  const std::optional<std::string>& service_center_id;
  std::string_view audience_role;
};

// Called by emit() for every event, in the emitting transaction, after its outbox row is written:
// what a listener writes commits (or rolls back) with the event's cause. A listener that throws
// fails the mutation. Modules register one statically, so the events module depends on none of
// them (the notifications module's rules are such a listener):
//   const events::ListenerRegistration kRules("notification rules", on_event);
using Listener = void (*)(storage::Transaction& tx, const Context& ctx, const Emitted& event);
struct ListenerRegistration {
  ListenerRegistration(const char* name, Listener listener);
};

}  // namespace dms::events
