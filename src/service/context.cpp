#include "dms/context.hpp"

#include "dms/error.hpp"
#include "service/permissions.hpp"

namespace dms {

bool permission_matches(std::string_view granted, std::string_view permission) {
  if (granted == "*" || granted == permission) return true;
  if (granted.size() >= 2 && granted.substr(granted.size() - 2) == ":*") {
    const std::string_view resource = granted.substr(0, granted.size() - 1);  // keeps the ':'
    return permission.substr(0, resource.size()) == resource;
  }
  return false;
}

Context Context::system(const Clock& clock) {
  Context ctx;
  ctx.user_name = "system";
  ctx.role = "system";
  ctx.permissions = {"*"};
  ctx.clock = &clock;
  return ctx;
}

bool Context::has_permission(std::string_view permission) const {
  for (const auto& granted : permissions) {
    if (permission_matches(granted, permission)) return true;
  }
  return false;
}

void Context::require(std::string_view permission) const {
  if (password_change_required) {
    throw Error(ErrorCode::kPasswordChangeRequired,
                "the password must be changed before anything else");
  }
  if (!has_permission(permission)) throw Error::Forbidden(permission);
}

// A permission, not a role name, so that roles.SetPermissions can confine or widen any role.
bool Context::sees_all_service_centers() const {
  return has_permission(service::kSeesAllServiceCenters);
}

}  // namespace dms
