// roles.List / roles.SetPermissions: the permission matrix is data an admin can change.
#include <algorithm>

#include "audit/audit.hpp"
#include "dms/error.hpp"
#include "identity/accounts.hpp"
#include "service/request.hpp"
#include "service/service.hpp"

namespace dms::identity {
namespace {

Json role_document(storage::Transaction& tx, const storage::Row& row) {
  const std::string name = row.str("name");
  return Json{{"name", name},
              {"description", row.str("description")},
              {"seesAllServiceCenters", role_sees_all_centers(tx, name)},
              {"permissions", role_permissions(tx, name)}};
}

Json list_roles(Env& env, const Context& ctx, const Json&) {
  ctx.require("roles:read");
  return env.store->read([&](storage::Transaction& tx) {
    Json data = Json::array();
    for (const auto& row : tx.query("SELECT name, description FROM roles ORDER BY name")) {
      data.push_back(role_document(tx, row));
    }
    return Json{{"data", std::move(data)}};
  });
}

std::vector<std::string> parse_permissions(const request::Fields& fields) {
  const Json& list = fields.raw("permissions");
  if (!list.is_array()) throw Error::Validation("permissions", "permissions must be an array");
  if (list.size() > 500) throw Error::Validation("permissions", "too many permissions");
  std::vector<std::string> permissions;
  for (size_t i = 0; i < list.size(); ++i) {
    const std::string field = "permissions[" + std::to_string(i) + "]";
    if (!list[i].is_string()) throw Error::Validation(field, field + " must be a string");
    const std::string permission = list[i].get<std::string>();
    check_permission_syntax(permission, field);
    permissions.push_back(permission);
  }
  std::sort(permissions.begin(), permissions.end());
  permissions.erase(std::unique(permissions.begin(), permissions.end()), permissions.end());
  return permissions;
}

// Replaces a role's permissions. The admin role keeps "*" (an admin cannot lock everyone out),
// nobody grants a permission they do not hold, and every grant names a catalogued permission.
Json set_permissions(Env& env, const Context& ctx, const Json& req) {
  ctx.require("roles:update");
  const request::Fields fields(req);
  const std::string role = canonical_role(fields.str("role", 1, 64));
  const std::vector<std::string> permissions = parse_permissions(fields);
  if (role == "admin")
    throw Error::BusinessRule(ErrorCode::kAdminRoleFixed,
                              "the admin role always holds every permission");
  const Json& requested = fields.raw("permissions");
  for (size_t i = 0; i < requested.size(); ++i) {
    check_permission_known(requested[i].get<std::string>(),
                           "permissions[" + std::to_string(i) + "]");
  }
  require_grantable(ctx, permissions);
  return env.store->write([&](storage::Transaction& tx) {
    const std::string sql =
        std::string("SELECT name, description FROM roles WHERE name = ?") + tx.for_update();
    const auto row = tx.query_one(sql, {role});
    if (!row) throw Error::NotFound("role", role);
    const std::vector<std::string> before = role_permissions(tx, role);
    tx.exec("DELETE FROM role_permissions WHERE role = ?", {role});
    for (const std::string& permission : permissions) {
      tx.exec("INSERT INTO role_permissions (role, permission) VALUES (?, ?)", {role, permission});
    }
    audit::record(tx, ctx, "UPDATE", "role", role, Json{{"permissions", before}},
                  Json{{"permissions", permissions}});
    return role_document(tx, *row);
  });
}

const service::MethodRegistration kList("roles.List", list_roles);
const service::MethodRegistration kSetPermissions("roles.SetPermissions", set_permissions);

}  // namespace
}  // namespace dms::identity
