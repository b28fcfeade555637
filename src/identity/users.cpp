// users.Create / Update / Activate / Deactivate / Get / List.
//
// Who may manage users is a permission (users:create, users:update, users:read): seed 002 gives
// it to admin only (through "*"). Whoever holds it is confined like any other call: a confined
// actor manages only users of their own center, never cross-center roles, and nobody assigns a
// role whose permissions they do not hold themselves.
#include "audit/audit.hpp"
#include "dms/error.hpp"
#include "events/outbox.hpp"
#include "identity/accounts.hpp"
#include "identity/service_centers.hpp"
#include "identity/sessions.hpp"
#include "notify/messages.hpp"
#include "notify/templates.hpp"
#include "service/entity.hpp"
#include "service/request.hpp"
#include "service/rows.hpp"
#include "service/service.hpp"

namespace dms::identity {
namespace {

constexpr const char* kEntity = "user";
constexpr const char* kEditableFields[] = {"email", "phone",           "firstName",      "lastName",
                                           "role",  "serviceCenterId", "deliveryChannel"};

struct UserInput {
  std::string email;
  std::string phone;
  std::string first_name;
  std::string last_name;
  std::string role;
  std::optional<std::string> service_center_id;
  std::string delivery_channel;
};

void reject_unknown_fields(const Json& doc) {
  for (const auto& [key, value] : doc.items()) {
    bool known = false;
    for (const char* field : kEditableFields) known = known || key == field;
    if (!known) throw Error::Validation(key, key + " is not an editable field of a user");
  }
}

UserInput parse_user(const Json& doc) {
  const request::Fields fields(doc);
  UserInput u;
  u.email = normalize_email(fields.str("email", 3, 254), "email");
  u.phone = normalize_phone(fields.str("phone", 8, 30), "phone");
  u.first_name = fields.str("firstName", 1, 100);
  u.last_name = fields.str("lastName", 1, 100);
  u.role = canonical_role(fields.str("role", 1, 64));
  u.service_center_id = fields.opt_str("serviceCenterId", 64);
  u.delivery_channel = fields.opt_one_of("deliveryChannel", {"email", "sms"}).value_or("email");
  return u;
}

// The role exists, fits the center assignment, and the actor may grant it there.
void check_assignment(storage::Transaction& tx, const Context& ctx, const UserInput& u) {
  if (!role_exists(tx, u.role)) throw Error::Validation("role", "unknown role " + u.role);
  if (role_sees_all_centers(tx, u.role)) {
    if (u.service_center_id) {
      throw Error::Validation("serviceCenterId", "role " + u.role + " has no service center");
    }
    if (service::tenant_scope(ctx)) throw Error::Forbidden("users:create (cross-center role)");
  } else {
    if (!u.service_center_id) {
      throw Error::Validation("serviceCenterId", "role " + u.role + " needs a service center");
    }
    const auto center = find_service_center(tx, *u.service_center_id);
    if (!center) throw Error::NotFound("service_center", *u.service_center_id);
    service::require_in_scope(ctx, *u.service_center_id, "service_center", *u.service_center_id);
    if (!(*center)["isActive"].get<bool>()) {
      throw Error::BusinessRule(ErrorCode::kServiceCenterInactive,
                                "service center " + *u.service_center_id + " is not active");
    }
  }
  require_grantable(ctx, role_permissions(tx, u.role));
}

void check_unique(storage::Transaction& tx, const UserInput& u, const std::string& id) {
  if (tx.query_one("SELECT id FROM users WHERE email = ? AND id <> ?", {u.email, id})) {
    throw Error::Duplicate("email", "a user with this e-mail exists");
  }
  if (tx.query_one("SELECT id FROM users WHERE phone = ? AND id <> ?", {u.phone, id})) {
    throw Error::Duplicate("phone", "a user with this phone number exists");
  }
}

// The temporary password goes by the channel the admin chose (seed 004), from its template.
notify::Message credentials_message(storage::Transaction& tx, const UserInput& u,
                                    const std::string& id, const std::string& temporary_password) {
  const notify::ChannelKind channel = *notify::parse_channel(u.delivery_channel);
  notify::Message m = notify::templated_message(
      tx, "temporary_password", channel, channel == notify::ChannelKind::kSms ? u.phone : u.email,
      {{"firstName", u.first_name},
       {"recipientName", u.first_name},
       {"email", u.email},
       {"temporaryPassword", temporary_password}});
  m.user_id = id;
  return m;
}

User load_visible(storage::Transaction& tx, const Context& ctx, const std::string& id,
                  bool for_update) {
  auto user = find_user(tx, id, for_update);
  if (!user) throw Error::NotFound(kEntity, id);
  service::require_in_scope(ctx, user->service_center_id, kEntity, id);
  return *user;
}

Json create_user(Env& env, const Context& ctx, const Json& req) {
  ctx.require("users:create");
  reject_unknown_fields(req);
  const UserInput u = parse_user(req);
  const std::string temporary_password = generate_temporary_password();
  const std::string hash = hash_password(temporary_password, password_cost(env));
  return env.store->write([&](storage::Transaction& tx) {
    const std::string id = storage::new_id();
    check_assignment(tx, ctx, u);
    check_unique(tx, u, id);
    const int64_t now = ctx.now().unix_micros();
    tx.exec(
        "INSERT INTO users (id, email, phone, first_name, last_name, role, service_center_id, "
        "delivery_channel, password_hash, is_active, is_first_login, failed_login_count, "
        "created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 1, 1, 0, ?, ?)",
        {id, u.email, u.phone, u.first_name, u.last_name, u.role,
         rows::null_if_empty(u.service_center_id), u.delivery_channel, hash, now, now});
    notify::enqueue(tx, ctx, credentials_message(tx, u, id, temporary_password));
    const Json doc = user_document(*find_user(tx, id));
    events::emit(tx, ctx, "user.created",
                 {{"userId", id},
                  {"userName", u.first_name + " " + u.last_name},
                  {"role", u.role},
                  {"serviceCenterId", doc["serviceCenterId"]}},
                 u.service_center_id);
    audit::record(tx, ctx, "CREATE", kEntity, id, Json::object(), doc, u.service_center_id);
    return doc;
  });
}

Json update_user(Env& env, const Context& ctx, const Json& req) {
  ctx.require("users:update");
  const std::string id = request::Fields(req).str("id", 1, 64);
  Json patch = req;
  patch.erase("id");
  reject_unknown_fields(patch);
  return env.store->write([&](storage::Transaction& tx) {
    const User user = load_visible(tx, ctx, id, /*for_update=*/true);
    const Json before = user_document(user);
    Json editable = Json::object();
    for (const char* field : kEditableFields) editable[field] = before[field];
    editable.merge_patch(patch);
    const UserInput u = parse_user(editable);
    check_assignment(tx, ctx, u);
    check_unique(tx, u, id);
    tx.exec(
        "UPDATE users SET email = ?, phone = ?, first_name = ?, last_name = ?, role = ?, "
        "service_center_id = ?, delivery_channel = ?, updated_at = ? WHERE id = ?",
        {u.email, u.phone, u.first_name, u.last_name, u.role,
         rows::null_if_empty(u.service_center_id), u.delivery_channel, ctx.now().unix_micros(),
         id});
    const Json after = user_document(*find_user(tx, id));
    auto [old_values, new_values] = audit::changed_fields(before, after);
    audit::record(tx, ctx, "UPDATE", kEntity, id, old_values, new_values, u.service_center_id);
    return after;
  });
}

// Activation also lifts a lockout (the admin's unlock); deactivation ends every session.
Json set_active(Env& env, const Context& ctx, const Json& req, bool active) {
  ctx.require("users:update");
  const std::string id = request::Fields(req).str("id", 1, 64);
  if (!active && id == ctx.user_id) {
    throw Error::BusinessRule(ErrorCode::kCannotDeactivateSelf,
                              "users cannot deactivate their own account");
  }
  return env.store->write([&](storage::Transaction& tx) {
    const User user = load_visible(tx, ctx, id, /*for_update=*/true);
    require_grantable(ctx, role_permissions(tx, user.role));
    const Json before = user_document(user);
    tx.exec(
        "UPDATE users SET is_active = ?, failed_login_count = 0, locked_until = NULL, "
        "updated_at = ? WHERE id = ?",
        {int64_t{active ? 1 : 0}, ctx.now().unix_micros(), id});
    if (!active) revoke_user_sessions(tx, id, ctx.now());
    const Json after = user_document(*find_user(tx, id));
    auto [old_values, new_values] = audit::changed_fields(before, after);
    audit::record(tx, ctx, active ? "ACTIVATE" : "DEACTIVATE", kEntity, id, old_values, new_values,
                  user.service_center_id);
    return after;
  });
}

Json activate_user(Env& env, const Context& ctx, const Json& req) {
  return set_active(env, ctx, req, true);
}
Json deactivate_user(Env& env, const Context& ctx, const Json& req) {
  return set_active(env, ctx, req, false);
}

const storage::ListSpec& user_list();

Json get_user(Env& env, const Context& ctx, const Json& req) {
  ctx.require("users:read");
  const std::string id = request::Fields(req).str("id", 1, 64);
  return env.store->read([&](storage::Transaction& tx) {
    load_visible(tx, ctx, id, /*for_update=*/false);
    return service::get_entity(env, tx, user_list(), id, "user", req);
  });
}

const storage::ListSpec& user_list() {
  static const storage::ListSpec spec = [] {
    using storage::FieldType;
    constexpr unsigned kFilterSort = storage::kFilter | storage::kSort;
    constexpr unsigned kText = kFilterSort | storage::kSearch;
    storage::ListSpec s;
    s.from = "users";
    s.default_sort = "-createdAt";
    s.tenant_column("service_center_id");
    s.field("id", "id", FieldType::kText, kFilterSort)
        .field("email", "email", FieldType::kText, kText)
        .field("phone", "phone", FieldType::kText, kText)
        .field("firstName", "first_name", FieldType::kText, kText)
        .field("lastName", "last_name", FieldType::kText, kText)
        .field("name", "first_name || ' ' || last_name", FieldType::kText, kFilterSort)
        .field("role", "role", FieldType::kText, kFilterSort)
        .field("serviceCenterId", "service_center_id", FieldType::kText,
               storage::kFilter | storage::kNullable)
        .field("deliveryChannel", "delivery_channel", FieldType::kText)
        .field("isActive", "is_active", FieldType::kBool, kFilterSort)
        .field("isFirstLogin", "is_first_login", FieldType::kBool)
        .field("failedLoginCount", "failed_login_count", FieldType::kInt)
        .field("lockedUntil", "locked_until", FieldType::kTimestamp,
               storage::kFilter | storage::kNullable)
        .field("lastLogin", "last_login_at", FieldType::kTimestamp,
               kFilterSort | storage::kNullable)
        .field("createdAt", "created_at", FieldType::kTimestamp, kFilterSort)
        .field("updatedAt", "updated_at", FieldType::kTimestamp, kFilterSort);
    s.relation(storage::belongs_to("serviceCenter", "serviceCenterId", service_center_list()));
    return s;
  }();
  return spec;
}

Json list_users(Env& env, const Context& ctx, const Json& req) {
  ctx.require("users:read");
  return env.store->read([&](storage::Transaction& tx) {
    return service::list_entity(env, ctx, tx, user_list(), req);
  });
}

const service::MethodRegistration kCreate("users.Create", create_user);
const service::MethodRegistration kUpdate("users.Update", update_user);
const service::MethodRegistration kActivate("users.Activate", activate_user);
const service::MethodRegistration kDeactivate("users.Deactivate", deactivate_user);
const service::MethodRegistration kGet("users.Get", get_user);
const service::MethodRegistration kList("users.List", list_users, user_list);

}  // namespace
}  // namespace dms::identity
