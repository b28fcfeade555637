// Domain events, written to the outbox table in the mutation's transaction. A dispatcher (a later
// issue) delivers them to channels; nothing is lost if the process dies after commit.
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
void emit(storage::Transaction& tx, const Context& ctx, std::string_view type,
          const Json& payload, const std::optional<std::string>& service_center_id = std::nullopt,
          std::string_view audience_role = {});

}  // namespace dms::events
