// auth.Login / Refresh / Logout / Me / UpdateProfile / ChangePassword / ForgotPassword /
// ResetPassword. Login, Refresh, ForgotPassword and ResetPassword need no signed-in context (any
// Context works; its request metadata is used); the others act for ctx's user.
#include "audit/audit.hpp"
#include "dms/error.hpp"
#include "identity/auth.hpp"
#include "identity/login.hpp"
#include "identity/secrets.hpp"
#include "identity/service_centers.hpp"
#include "identity/sessions.hpp"
#include "notify/messages.hpp"
#include "notify/templates.hpp"
#include "service/request.hpp"
#include "service/service.hpp"

namespace dms::identity {
namespace {

Error invalid_token(const char* what) {
  return Error(ErrorCode::kInvalidToken, what);
}

std::string login_field(const request::Fields& fields) {
  for (const char* name : {"login", "email", "phone"}) {
    if (fields.has(name)) return fields.str(name, 1, 320);
  }
  throw Error::Validation("email", "an e-mail address or phone number is required");
}

Json login_method(Env& env, const Context& ctx, const Json& req) {
  const request::Fields fields(req);
  return login(env, login_field(fields), fields.str("password", 1, 1024), ctx.meta);
}

Json refresh_method(Env& env, const Context& ctx, const Json& req) {
  const std::string token = request::Fields(req).str("refreshToken", 1, 200);
  const Timestamp now = env.clock->now();
  const RefreshResult result = env.store->write([&](storage::Transaction& tx) {
    RefreshResult r = rotate_refresh_token(tx, env, token, now);
    if (r.outcome == RefreshOutcome::kReused && r.user) {
      // A rotated token came back: someone holds a copy. The session is revoked (and stays so).
      Context actor = user_context(env, *r.user, {}, ctx.meta);
      audit::record(tx, actor, "REFRESH_TOKEN_REUSED", "user", r.user->id, Json::object(),
                    Json::object(), r.user->service_center_id);
    }
    return r;
  });
  switch (result.outcome) {
    case RefreshOutcome::kRotated:
      return Json{{"accessToken", result.tokens.access_token},
                  {"refreshToken", result.tokens.refresh_token},
                  {"tokenType", "Bearer"},
                  {"expiresIn", env.settings.access_token_ttl_seconds}};
    case RefreshOutcome::kExpired:
      throw Error(ErrorCode::kTokenExpired, "the refresh token has expired");
    case RefreshOutcome::kInactive:
      throw Error(ErrorCode::kAccountInactive, "the account is deactivated");
    case RefreshOutcome::kReused:
      throw invalid_token("the refresh token was already used; the session is revoked");
    case RefreshOutcome::kRevoked:
    case RefreshOutcome::kUnknown:
      break;
  }
  throw invalid_token("invalid refresh token");
}

// Logout works during a pending first-login password change: ending a session grants nothing.
Json logout_method(Env& env, const Context& ctx, const Json& req) {
  require_user(ctx);
  const auto refresh_token = request::Fields(req).opt_str("refreshToken", 200);
  env.store->write([&](storage::Transaction& tx) {
    std::string session_id = ctx.session_id;
    if (session_id.empty() && refresh_token) {
      session_id = session_of_refresh_token(tx, *refresh_token).value_or("");
    }
    const auto user = find_user(tx, ctx.user_id);
    const bool own_session =
        !session_id.empty() && tx.query_one("SELECT id FROM sessions WHERE id = ? AND user_id = ?",
                                            {session_id, ctx.user_id});
    if (!own_session) return;
    revoke_session(tx, session_id, ctx.now());
    audit::record(tx, ctx, "LOGOUT", "user", ctx.user_id, Json::object(),
                  Json{{"sessionId", session_id}}, user ? user->service_center_id : std::nullopt);
  });
  return Json{{"message", "Logged out successfully"}};
}

bool wants_expansion(const Json& req, std::string_view relation) {
  const Json& expand = req.is_object() && req.contains("expand") ? req["expand"] : Json();
  if (expand.is_string()) {
    const std::string text = expand.get<std::string>();
    size_t start = 0;
    while (start <= text.size()) {
      const size_t end = std::min(text.find(',', start), text.size());
      if (std::string_view(text).substr(start, end - start) == relation) return true;
      start = end + 1;
    }
  }
  if (expand.is_array()) {
    for (const Json& item : expand) {
      if (item.is_string() && item.get<std::string>() == relation) return true;
    }
  }
  return false;
}

Json me_method(Env& env, const Context& ctx, const Json& req) {
  require_signed_in(ctx);
  return env.store->read([&](storage::Transaction& tx) {
    const auto user = find_user(tx, ctx.user_id);
    if (!user) throw Error(ErrorCode::kUnauthenticated, "the account no longer exists");
    Json doc = user_document(*user);
    doc["permissions"] = role_permissions(tx, user->role);
    if (wants_expansion(req, "serviceCenter") && user->service_center_id) {
      const auto center = find_service_center(tx, *user->service_center_id);
      if (center) {
        doc["serviceCenter"] = {
            {"id", (*center)["id"]}, {"name", (*center)["name"]}, {"code", (*center)["code"]}};
      }
    }
    return doc;
  });
}

// A user edits their own name, phone and delivery channel; e-mail and role are the admin's.
Json update_profile_method(Env& env, const Context& ctx, const Json& req) {
  require_signed_in(ctx);
  const request::Fields fields(req);
  for (const auto& [key, value] : req.items()) {
    if (key != "firstName" && key != "lastName" && key != "phone" && key != "deliveryChannel") {
      throw Error::Validation(key, key + " cannot be changed in a profile");
    }
  }
  const auto first = fields.opt_str("firstName", 100);
  const auto last = fields.opt_str("lastName", 100);
  const auto phone = fields.opt_str("phone", 30);
  const auto channel = fields.opt_one_of("deliveryChannel", {"email", "sms"});
  if ((first && first->empty()) || (last && last->empty())) {
    throw Error::Validation(first && first->empty() ? "firstName" : "lastName",
                            "must not be empty");
  }
  const std::optional<std::string> normal_phone =
      phone ? std::optional<std::string>(normalize_phone(*phone, "phone")) : std::nullopt;
  return env.store->write([&](storage::Transaction& tx) {
    const auto user = find_user(tx, ctx.user_id, /*for_update=*/true);
    if (!user) throw Error(ErrorCode::kUnauthenticated, "the account no longer exists");
    if (normal_phone && tx.query_one("SELECT id FROM users WHERE phone = ? AND id <> ?",
                                     {*normal_phone, user->id})) {
      throw Error::Duplicate("phone", "a user with this phone number exists");
    }
    const Json before = user_document(*user);
    tx.exec(
        "UPDATE users SET first_name = ?, last_name = ?, phone = ?, delivery_channel = ?, "
        "updated_at = ? WHERE id = ?",
        {first.value_or(user->first_name), last.value_or(user->last_name),
         normal_phone.value_or(user->phone), channel.value_or(user->delivery_channel),
         ctx.now().unix_micros(), user->id});
    const Json after = user_document(*find_user(tx, user->id));
    auto [old_values, new_values] = audit::changed_fields(before, after);
    audit::record(tx, ctx, "UPDATE", "user", user->id, old_values, new_values,
                  user->service_center_id);
    return after;
  });
}

// Sets a new password hash if the stored one is still `expected_hash` (nobody changed it since
// it was checked); CONFLICT otherwise.
void replace_password(storage::Transaction& tx, const std::string& user_id,
                      const std::string& expected_hash, const std::string& new_hash,
                      Timestamp now) {
  const int64_t changed = tx.exec(
      "UPDATE users SET password_hash = ?, is_first_login = 0, failed_login_count = 0, "
      "locked_until = NULL, password_changed_at = ?, updated_at = ? "
      "WHERE id = ? AND password_hash = ?",
      {new_hash, now.unix_micros(), now.unix_micros(), user_id, expected_hash});
  if (changed != 1) throw Error::Conflict("the password was changed concurrently; try again");
}

// The one method a user with a pending first-login change may call (besides logout).
Json change_password_method(Env& env, const Context& ctx, const Json& req) {
  require_user(ctx);
  const request::Fields fields(req);
  const std::string current = fields.has("oldPassword") ? fields.str("oldPassword", 1, 1024)
                                                        : fields.str("currentPassword", 1, 1024);
  const std::string next = fields.str("newPassword", 1, 1024);
  check_password_policy(next, "newPassword");
  if (next == current) {
    throw Error::Validation("newPassword", "the new password must differ from the current one");
  }
  const auto user =
      env.store->read([&](storage::Transaction& tx) { return find_user(tx, ctx.user_id); });
  if (!user) throw Error(ErrorCode::kUnauthenticated, "the account no longer exists");
  check_password(env, user, user->email, current, ctx.meta);
  const std::string new_hash = hash_password(next, password_cost(env));
  env.store->write([&](storage::Transaction& tx) {
    replace_password(tx, user->id, user->password_hash, new_hash, ctx.now());
    // Other sessions may belong to whoever knew the old password; this one continues.
    revoke_user_sessions(tx, user->id, ctx.now(), ctx.session_id);
    audit::record(tx, ctx, "PASSWORD_CHANGE", "user", user->id, Json::object(),
                  Json{{"firstLogin", user->is_first_login}}, user->service_center_id);
  });
  return Json{{"message", "Password changed successfully"}};
}

notify::Message reset_message(storage::Transaction& tx, const User& user, const std::string& token,
                              int64_t ttl_seconds) {
  const notify::ChannelKind channel =
      notify::parse_channel(user.delivery_channel).value_or(notify::ChannelKind::kEmail);
  notify::Message m = notify::templated_message(
      tx, "password_reset", channel, channel == notify::ChannelKind::kSms ? user.phone : user.email,
      {{"firstName", user.first_name},
       {"recipientName", user.first_name},
       {"resetCode", token},
       {"validMinutes", std::to_string(ttl_seconds / 60)}});
  m.user_id = user.id;
  return m;
}

// The answer is the same whether or not the login matches an account.
Json forgot_password_method(Env& env, const Context& ctx, const Json& req) {
  const std::string login = login_field(request::Fields(req));
  const auto key = normalize_login(login);
  const Timestamp now = env.clock->now();
  if (key) {
    env.store->write([&](storage::Transaction& tx) {
      const auto user = find_user_by_login(tx, *key);
      if (!user || !user->is_active) return;
      const std::string token = random_token();
      // A new code replaces any earlier one.
      tx.exec("UPDATE password_reset_tokens SET used_at = ? WHERE user_id = ? AND used_at IS NULL",
              {now.unix_micros(), user->id});
      tx.exec(
          "INSERT INTO password_reset_tokens (token_hash, user_id, created_at, expires_at) "
          "VALUES (?, ?, ?, ?)",
          {token_digest(token), user->id, now.unix_micros(),
           now.plus_seconds(env.settings.reset_token_ttl_seconds).unix_micros()});
      Context actor = user_context(env, *user, {}, ctx.meta);
      notify::enqueue(tx, actor,
                      reset_message(tx, *user, token, env.settings.reset_token_ttl_seconds));
      audit::record(tx, actor, "PASSWORD_RESET_REQUESTED", "user", user->id, Json::object(),
                    Json::object(), user->service_center_id);
    });
  }
  return Json{{"message", "If the account exists, a reset code has been sent"}};
}

Json reset_password_method(Env& env, const Context& ctx, const Json& req) {
  const request::Fields fields(req);
  const std::string token = fields.str("token", 1, 200);
  const std::string next = fields.str("newPassword", 1, 1024);
  check_password_policy(next, "newPassword");
  const std::string new_hash = hash_password(next, password_cost(env));
  const Timestamp now = env.clock->now();
  env.store->write([&](storage::Transaction& tx) {
    const std::string sql =
        std::string("SELECT * FROM password_reset_tokens WHERE token_hash = ?") + tx.for_update();
    const auto row = tx.query_one(sql, {token_digest(token)});
    if (!row || !row->is_null("used_at")) throw invalid_token("invalid or used reset code");
    if (now.unix_micros() >= row->i64("expires_at")) {
      throw Error(ErrorCode::kTokenExpired, "the reset code has expired");
    }
    const auto user = find_user(tx, row->str("user_id"), /*for_update=*/true);
    if (!user || !user->is_active) {
      throw Error(ErrorCode::kAccountInactive, "the account is deactivated");
    }
    tx.exec("UPDATE password_reset_tokens SET used_at = ? WHERE token_hash = ?",
            {now.unix_micros(), token_digest(token)});
    replace_password(tx, user->id, user->password_hash, new_hash, now);
    revoke_user_sessions(tx, user->id, now);
    audit::record(tx, user_context(env, *user, {}, ctx.meta), "PASSWORD_RESET", "user", user->id,
                  Json::object(), Json::object(), user->service_center_id);
  });
  return Json{{"message", "Password reset successfully"}};
}

const service::MethodRegistration kLogin("auth.Login", login_method);
const service::MethodRegistration kRefresh("auth.Refresh", refresh_method);
const service::MethodRegistration kLogout("auth.Logout", logout_method);
const service::MethodRegistration kMe("auth.Me", me_method);
const service::MethodRegistration kUpdateProfile("auth.UpdateProfile", update_profile_method);
const service::MethodRegistration kChangePassword("auth.ChangePassword", change_password_method);
const service::MethodRegistration kForgotPassword("auth.ForgotPassword", forgot_password_method);
const service::MethodRegistration kResetPassword("auth.ResetPassword", reset_password_method);

}  // namespace
}  // namespace dms::identity
