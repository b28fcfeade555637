// Private to the inventory services: authorization rules shared by every method, and the
// response shapes they have in common.
//
// Permissions follow seed 002's matrix: central warehouse stock needs central_inventory:<action>,
// a service center's store inventory:<action> and the user's own center (others' stores are
// NOT_FOUND, so their existence does not leak). Approving purchase orders and parts issues is
// admin only: the permission and the admin role are both required.
//
// Thread-safety: pure functions over the caller's Transaction.
#pragma once

#include <initializer_list>
#include <string>
#include <string_view>

#include "dms/context.hpp"
#include "dms/json.hpp"
#include "inventory/stock.hpp"
#include "storage/store.hpp"

namespace dms::inventory {

// FORBIDDEN naming the first permission unless the actor holds at least one of them.
void require_any(const Context& ctx, std::initializer_list<std::string_view> permissions);
// `action` on the stock of `location`: central_inventory:<action> for a warehouse,
// inventory:<action> plus tenant visibility for a store. Virtual locations: central only.
void require_stock_permission(const Context& ctx, const Location& location,
                              std::string_view action);

// The location a request names: "locationId", else the store of "serviceCenterId", else the
// actor's own store, else the central warehouse. `create_store` allows creating a store row (write
// transactions); without it an unused store is NOT_FOUND.
Location requested_location(storage::Transaction& tx, const Context& ctx, const Json& request,
                            bool create_store);

// {id, code, name, kind, serviceCenterId, stateCode, allowNegativeStock}
Json location_json(const Location& location);

// "Rack A-5" etc. limits, shared by parts and levels.
inline constexpr size_t kShortText = 200;
inline constexpr size_t kLongText = 2000;
// The most lines one document (purchase order, parts issue, transfer, receipt) may carry.
inline constexpr size_t kMaxLines = 10000;

}  // namespace dms::inventory
