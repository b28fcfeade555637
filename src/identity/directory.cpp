#include "identity/directory.hpp"

#include "dms/context.hpp"
#include "identity/accounts.hpp"

namespace dms::identity {
namespace {

Recipient recipient_of(const storage::Row& row) {
  return {row.str("id"), row.str("first_name"), row.str("email"), row.str("phone"),
          row.opt_str("service_center_id")};
}

constexpr const char* kColumns =
    "SELECT id, first_name, email, phone, service_center_id, role FROM users WHERE is_active = 1";

}  // namespace

std::optional<Recipient> active_recipient(storage::Transaction& tx, std::string_view user_id) {
  const auto row = tx.query_one(std::string(kColumns) + " AND id = ?", {std::string(user_id)});
  if (!row) return std::nullopt;
  return recipient_of(*row);
}

std::vector<Recipient> active_users_with_role(storage::Transaction& tx, std::string_view role,
                                              const std::string& service_center_id) {
  std::vector<Recipient> out;
  for (const auto& row :
       tx.query(std::string(kColumns) + " AND role = ? AND service_center_id = ? ORDER BY id",
                {std::string(role), service_center_id})) {
    out.push_back(recipient_of(row));
  }
  return out;
}

std::vector<Recipient> active_permission_holders(
    storage::Transaction& tx, std::string_view permission, HolderScope scope,
    const std::optional<std::string>& service_center_id) {
  // The roles granting the permission, and which of them see every center.
  std::vector<std::string> center_roles;
  std::vector<std::string> group_roles;
  for (const auto& row : tx.query("SELECT name FROM roles ORDER BY name")) {
    const std::string role = row.str("name");
    Context probe;
    probe.permissions = role_permissions(tx, role);
    if (!probe.has_permission(permission)) continue;
    (probe.sees_all_service_centers() ? group_roles : center_roles).push_back(role);
  }
  std::vector<Recipient> out;
  const auto add = [&](const std::vector<std::string>& roles, const std::string& where,
                       std::vector<storage::Value> params) {
    if (roles.empty()) return;
    std::string sql = std::string(kColumns) + " AND " + where + " AND role IN (";
    for (size_t i = 0; i < roles.size(); ++i) {
      sql += i ? ", ?" : "?";
      params.emplace_back(roles[i]);
    }
    for (const auto& row : tx.query(sql + ") ORDER BY id", params))
      out.push_back(recipient_of(row));
  };
  if (scope != HolderScope::kGroup && service_center_id && !service_center_id->empty()) {
    add(center_roles, "service_center_id = ?", {*service_center_id});
  }
  if (scope != HolderScope::kCenter) add(group_roles, "service_center_id IS NULL", {});
  return out;
}

}  // namespace dms::identity
