// The authentication entry points of the Database facade (see auth.hpp and docs/security.md).
#include "identity/auth.hpp"

#include "audit/audit.hpp"
#include "dms/error.hpp"
#include "identity/login.hpp"
#include "identity/sessions.hpp"

namespace dms::identity {
namespace {

Json session_document(const Env& env, const User& user, const std::vector<std::string>& permissions,
                      const SessionTokens& tokens) {
  Json user_doc = user_document(user);
  user_doc["permissions"] = permissions;
  return Json{{"accessToken", tokens.access_token},
              {"refreshToken", tokens.refresh_token},
              {"tokenType", "Bearer"},
              {"expiresIn", env.settings.access_token_ttl_seconds},
              {"passwordChangeRequired", user.is_first_login},
              {"user", std::move(user_doc)}};
}

// Outcome of the login transaction: a session, or the error to throw after committing.
struct LoginOutcome {
  Json session;
  std::optional<Error> error;
};

LoginOutcome open_login_session(Env& env, const User& checked, const std::string& login,
                                const RequestMeta& meta, Timestamp now) {
  return env.store->write([&](storage::Transaction& tx) -> LoginOutcome {
    const auto user = find_user(tx, checked.id, /*for_update=*/true);
    // The password changed between the check and now: the checked password may be stale.
    if (!user || user->password_hash != checked.password_hash) {
      return {Json(), Error(ErrorCode::kInvalidCredentials, "invalid credentials")};
    }
    Context actor = user_context(env, *user, {}, meta);
    if (!user->is_active) {
      audit::record(tx, actor, "LOGIN_FAILED", "user", user->id, Json::object(),
                    Json{{"login", login}, {"reason", "inactive"}}, user->service_center_id);
      return {Json(), Error(ErrorCode::kAccountInactive, "the account is deactivated")};
    }
    clear_failures(tx, user->id);
    tx.exec("UPDATE users SET last_login_at = ? WHERE id = ?", {now.unix_micros(), user->id});
    const SessionTokens tokens = open_session(tx, env, *user, meta, now);
    audit::record(tx, actor, "LOGIN", "user", user->id, Json::object(),
                  Json{{"sessionId", tokens.session_id}}, user->service_center_id);
    User logged_in = *user;
    logged_in.last_login_at = now.unix_micros();
    logged_in.failed_login_count = 0;
    logged_in.locked_until.reset();
    return {session_document(env, logged_in, role_permissions(tx, user->role), tokens),
            std::nullopt};
  });
}

}  // namespace

Json login(Env& env, const std::string& login, const std::string& password,
           const RequestMeta& meta) {
  if (login.empty() || login.size() > 320) {
    throw Error::Validation("login", "an e-mail address or phone number is required");
  }
  if (password.empty()) throw Error::Validation("password", "password is required");
  // A login that is neither an e-mail nor a phone number matches nobody but is still checked
  // (and counted) like any other, so its answer is the same INVALID_CREDENTIALS.
  const std::string key = normalize_login(login).value_or(login);
  const auto user =
      env.store->read([&](storage::Transaction& tx) { return find_user_by_login(tx, key); });
  check_password(env, user, key, password, meta);
  LoginOutcome outcome = open_login_session(env, *user, key, meta, env.clock->now());
  if (outcome.error) throw *outcome.error;
  return outcome.session;
}

Context context_from_token(Env& env, const std::string& access_token, const RequestMeta& meta) {
  const AccessClaims claims = verify_access_token(env, access_token, env.clock->now());
  return env.store->read([&](storage::Transaction& tx) {
    const auto user = find_user(tx, claims.user_id);
    if (!user || !session_is_live(tx, claims.session_id)) {
      throw Error(ErrorCode::kInvalidToken, "the session of this token has ended");
    }
    if (!user->is_active) throw Error(ErrorCode::kAccountInactive, "the account is deactivated");
    Context ctx = user_context(env, *user, role_permissions(tx, user->role), meta);
    ctx.password_change_required = user->is_first_login;
    ctx.session_id = claims.session_id;
    return ctx;
  });
}

Context context_for_user(Env& env, const std::string& user_id, const RequestMeta& meta) {
  return env.store->read([&](storage::Transaction& tx) {
    const auto user = find_user(tx, user_id);
    if (!user) throw Error::NotFound("user", user_id);
    if (!user->is_active) throw Error(ErrorCode::kAccountInactive, "the account is deactivated");
    // The host vouches for the user; no password was presented, so the first-login password
    // change (a property of password sessions) is not demanded here.
    return user_context(env, *user, role_permissions(tx, user->role), meta);
  });
}

}  // namespace dms::identity
