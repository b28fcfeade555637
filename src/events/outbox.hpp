// Domain events, written to the outbox table in the mutation's transaction. A dispatcher (a later
// issue) delivers them to channels; nothing is lost if the process dies after commit. Hosts read
// them in commit order through the committed-event feed (src/events/feed.hpp): payloads go to
// hosts as they are, so they never carry secrets (passwords, codes, tokens).
#pragma once

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

}  // namespace dms::events
