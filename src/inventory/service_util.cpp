#include "inventory/service_util.hpp"

#include "dms/error.hpp"
#include "service/request.hpp"
#include "service/service.hpp"

namespace dms::inventory {

void require_any(const Context& ctx, std::initializer_list<std::string_view> permissions) {
  for (std::string_view permission : permissions) {
    if (ctx.has_permission(permission)) {
      ctx.require(permission);  // still refuses while a password change is pending
      return;
    }
  }
  ctx.require(*permissions.begin());
}

void require_stock_permission(const Context& ctx, const Location& location,
                              std::string_view action) {
  if (location.kind != LocationKind::kStore) {
    ctx.require("central_inventory:" + std::string(action));
    return;
  }
  ctx.require("inventory:" + std::string(action));
  service::require_visible(ctx, location.service_center_id, "location", location.id);
}

Location requested_location(storage::Transaction& tx, const Context& ctx, const Json& request,
                            bool create_store) {
  const request::Fields fields(request);
  const auto store_of = [&](const std::string& center) {
    service::require_visible(ctx, center, "service center", center);
    if (create_store) return store_location_of(tx, center);
    auto found = find_store_location(tx, center);
    if (!found) throw Error::NotFound("store of service center", center);
    return *found;
  };
  if (auto id = fields.opt_str("locationId", 100)) {
    Location location = location_by_id(tx, *id);
    service::require_visible(ctx, location.service_center_id, "location", *id);
    return location;
  }
  if (auto center = fields.opt_str("serviceCenterId", 100)) return store_of(*center);
  if (ctx.service_center_id && !ctx.sees_all_service_centers()) {
    return store_of(*ctx.service_center_id);
  }
  return central_location(tx);
}

Json location_json(const Location& location) {
  return {
      {"id", location.id},
      {"code", location.code},
      {"name", location.name},
      {"kind", location_kind_name(location.kind)},
      {"serviceCenterId", location.service_center_id ? Json(*location.service_center_id) : Json()},
      {"stateCode", location.state_code ? Json(*location.state_code) : Json()},
      {"allowNegativeStock", location.allow_negative}};
}

}  // namespace dms::inventory
