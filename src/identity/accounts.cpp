#include "identity/accounts.hpp"

#include <algorithm>
#include <cctype>

#include "dms/error.hpp"
#include "service/permissions.hpp"

namespace dms::identity {
namespace {

struct RoleAlias {
  const char* seed_000_name;
  const char* role;
};
constexpr RoleAlias kRoleAliases[] = {
    {"technician", "service_engineer"},
    {"engineer", "service_engineer"},
    {"advisor", "service_advisor"},
    {"service_center", "sc_manager"},
};

bool is_identifier_char(char c) {
  return (c >= 'a' && c <= 'z') || c == '_';
}

bool is_identifier(std::string_view s) {
  return !s.empty() && s.front() != '_' && std::all_of(s.begin(), s.end(), is_identifier_char);
}

std::string trimmed(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return std::string(s);
}

bool valid_email_shape(std::string_view email) {
  const size_t at = email.find('@');
  if (at == std::string_view::npos || at == 0 || email.find('@', at + 1) != std::string_view::npos)
    return false;
  const std::string_view domain = email.substr(at + 1);
  const size_t dot = domain.rfind('.');
  if (dot == std::string_view::npos || dot == 0 || dot + 1 >= domain.size()) return false;
  return std::none_of(email.begin(), email.end(), [](char c) {
    return std::isspace(static_cast<unsigned char>(c)) ||
           std::iscntrl(static_cast<unsigned char>(c));
  });
}

std::optional<std::string> e164(std::string_view phone) {
  std::string digits;
  bool plus = false;
  for (char c : phone) {
    if (c == ' ' || c == '-' || c == '(' || c == ')') continue;
    if (c == '+' && digits.empty() && !plus) {
      plus = true;
      continue;
    }
    if (c < '0' || c > '9') return std::nullopt;
    digits += c;
  }
  if (!plus && digits.size() == 10 && digits[0] >= '6') return "+91" + digits;
  if (!plus || digits.size() < 8 || digits.size() > 15 || digits[0] == '0') return std::nullopt;
  return "+" + digits;
}

}  // namespace

User user_from_row(const storage::Row& row) {
  User u;
  u.id = row.str("id");
  u.email = row.str("email");
  u.phone = row.str("phone");
  u.first_name = row.str("first_name");
  u.last_name = row.str("last_name");
  u.role = row.str("role");
  u.service_center_id = row.opt_str("service_center_id");
  u.delivery_channel = row.str("delivery_channel");
  u.password_hash = row.str("password_hash");
  u.is_active = row.flag("is_active");
  u.is_first_login = row.flag("is_first_login");
  u.failed_login_count = row.i64("failed_login_count");
  u.locked_until = row.opt_i64("locked_until");
  u.last_login_at = row.opt_i64("last_login_at");
  u.created_at = row.i64("created_at");
  u.updated_at = row.i64("updated_at");
  return u;
}

std::string canonical_role(std::string_view name) {
  for (const RoleAlias& alias : kRoleAliases) {
    if (name == alias.seed_000_name) return alias.role;
  }
  return std::string(name);
}

bool role_sees_all_centers(storage::Transaction& tx, std::string_view role) {
  Context probe;
  probe.role = std::string(role);
  probe.permissions = role_permissions(tx, role);
  return probe.sees_all_service_centers();  // one rule, kept in Context
}

bool role_granted_by_name(storage::Transaction& tx, std::string_view role,
                          std::string_view permission) {
  return tx.query_one("SELECT role FROM role_permissions WHERE role = ? AND permission = ?",
                      {std::string(role), std::string(permission)})
      .has_value();
}

bool role_exists(storage::Transaction& tx, std::string_view role) {
  return tx.query_one("SELECT name FROM roles WHERE name = ?", {std::string(role)}).has_value();
}

std::vector<std::string> role_permissions(storage::Transaction& tx, std::string_view role) {
  std::vector<std::string> permissions;
  for (const auto& row :
       tx.query("SELECT permission FROM role_permissions WHERE role = ? ORDER BY permission",
                {std::string(role)})) {
    permissions.push_back(row.str("permission"));
  }
  return permissions;
}

void require_grantable(const Context& actor, const std::vector<std::string>& granted) {
  for (const std::string& permission : granted) {
    // "inventory:*" is covered only by "inventory:*" or "*"; the probe "inventory:*" is exactly
    // what permission_matches() compares, so the wildcard needs an equal or wider grant.
    if (!actor.has_permission(permission)) throw Error::Forbidden(permission);
  }
}

void check_permission_syntax(std::string_view permission, const std::string& field) {
  if (permission == "*") return;
  const size_t colon = permission.find(':');
  const bool ok =
      colon != std::string_view::npos && is_identifier(permission.substr(0, colon)) &&
      (permission.substr(colon + 1) == "*" || is_identifier(permission.substr(colon + 1)));
  if (!ok) {
    throw Error::Validation(field, field + " must look like resource:action, resource:* or *");
  }
}

void check_permission_known(std::string_view permission, const std::string& field) {
  if (!service::grant_is_known(permission)) {
    throw Error::Validation(field, field + ": no method checks the permission " +
                                       std::string(permission));
  }
}

std::string normalize_email(std::string_view email, const std::string& field) {
  std::string normal = trimmed(email);
  std::transform(normal.begin(), normal.end(), normal.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (normal.size() > 254 || !valid_email_shape(normal)) {
    throw Error::Validation(field, field + " must be an e-mail address");
  }
  return normal;
}

std::string normalize_phone(std::string_view phone, const std::string& field) {
  auto normal = e164(trimmed(phone));
  if (!normal) {
    throw Error::Validation(field, field + " must be a phone number such as +919876543210");
  }
  return *normal;
}

std::optional<std::string> normalize_login(std::string_view login) {
  try {
    if (login.find('@') != std::string_view::npos) return normalize_email(login, "login");
    return normalize_phone(login, "login");
  } catch (const Error&) {
    return std::nullopt;
  }
}

std::optional<User> find_user(storage::Transaction& tx, std::string_view id, bool for_update) {
  const std::string sql =
      std::string("SELECT * FROM users WHERE id = ?") + (for_update ? tx.for_update() : "");
  auto row = tx.query_one(sql, {std::string(id)});
  if (!row) return std::nullopt;
  return user_from_row(*row);
}

std::optional<User> find_user_by_login(storage::Transaction& tx, std::string_view login) {
  const char* sql = login.find('@') != std::string_view::npos
                        ? "SELECT * FROM users WHERE email = ?"
                        : "SELECT * FROM users WHERE phone = ?";
  auto row = tx.query_one(sql, {std::string(login)});
  if (!row) return std::nullopt;
  return user_from_row(*row);
}

Json user_document(const User& user) {
  return Json{
      {"id", user.id},
      {"email", user.email},
      {"phone", user.phone},
      {"firstName", user.first_name},
      {"lastName", user.last_name},
      {"name", user.full_name()},
      {"role", user.role},
      {"serviceCenterId", user.service_center_id ? Json(*user.service_center_id) : Json()},
      {"deliveryChannel", user.delivery_channel},
      {"isActive", user.is_active},
      {"isFirstLogin", user.is_first_login},
      {"failedLoginCount", user.failed_login_count},
      {"lockedUntil", timestamp_json(user.locked_until)},
      {"lastLogin", timestamp_json(user.last_login_at)},
      {"createdAt", timestamp_json(user.created_at)},
      {"updatedAt", timestamp_json(user.updated_at)},
  };
}

Context user_context(const Env& env, const User& user, std::vector<std::string> permissions,
                     const RequestMeta& meta) {
  Context ctx;
  ctx.user_id = user.id;
  ctx.user_name = user.full_name();
  ctx.role = user.role;
  ctx.permissions = std::move(permissions);
  ctx.service_center_id = user.service_center_id;
  ctx.meta = meta;
  ctx.clock = env.clock;
  return ctx;
}

void require_user(const Context& ctx) {
  if (ctx.user_id.empty()) {
    throw Error(ErrorCode::kUnauthenticated, "this method acts for a signed-in user");
  }
}

void require_signed_in(const Context& ctx) {
  require_user(ctx);
  if (ctx.password_change_required) {
    throw Error(ErrorCode::kPasswordChangeRequired,
                "the password must be changed before anything else");
  }
}

PasswordCost password_cost(const Env& env) {
  return {env.settings.password_hash_opslimit, env.settings.password_hash_memlimit_bytes};
}

Json timestamp_json(std::optional<int64_t> micros) {
  if (!micros) return Json();
  return Timestamp::from_unix_micros(*micros).to_string();
}

storage::Value optional_text(const std::optional<std::string>& text) {
  if (!text || text->empty()) return storage::null_value();
  return *text;
}

}  // namespace dms::identity
