// What quotations need of leads: loading one in the actor's center and moving it (a quotation
// accepted converts its lead, one rejected loses it).
//
// Thread-safety: free functions over the caller's transaction.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "dms/context.hpp"
#include "sales/workflows.hpp"
#include "storage/store.hpp"

namespace dms::sales {

// NOT_FOUND naming `field` unless the lead exists in a center the actor may see.
storage::Row load_lead(storage::Transaction& tx, const Context& ctx, const std::string& id,
                       bool lock, std::string_view field = "id");

// The lead's move to `to` with the columns that come with it, audited, with its event.
void move_lead(storage::Transaction& tx, const Context& ctx, const storage::Row& lead,
               LeadStatus to, std::vector<std::pair<std::string, storage::Value>> columns,
               std::optional<std::string> reason = std::nullopt);

}  // namespace dms::sales
