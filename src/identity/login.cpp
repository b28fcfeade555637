#include "identity/login.hpp"

#include "audit/audit.hpp"
#include "dms/error.hpp"
#include "identity/secrets.hpp"

namespace dms::identity {
namespace {

Context anonymous_context(const Env& env, const RequestMeta& meta) {
  Context ctx;
  ctx.user_name = "anonymous";
  ctx.role = "anonymous";
  ctx.meta = meta;
  ctx.clock = env.clock;
  return ctx;
}

Context actor_for(const Env& env, const std::optional<User>& user, const RequestMeta& meta) {
  return user ? user_context(env, *user, {}, meta) : anonymous_context(env, meta);
}

void audit_failure(storage::Transaction& tx, const Env& env, const std::optional<User>& user,
                   const std::string& login, std::string_view reason, const RequestMeta& meta) {
  const Json details = {{"login", login}, {"reason", reason}};
  audit::record(tx, actor_for(env, user, meta), "LOGIN_FAILED", "user", user ? user->id : "",
                Json::object(), details, user ? user->service_center_id : std::nullopt);
}

bool login_is_throttled(Env& env, const std::string& login, Timestamp now) {
  const auto row = env.store->read([&](storage::Transaction& tx) {
    return tx.query_one("SELECT locked_until FROM login_throttle WHERE login_digest = ?",
                        {token_digest(login)});
  });
  return row && !row->is_null("locked_until") && now.unix_micros() < row->i64("locked_until");
}

// Adds one failure to the account or the identifier; returns the new count.
int64_t count_failure(storage::Transaction& tx, const std::optional<User>& user,
                      const std::string& login, Timestamp now) {
  if (user) {
    const auto row = tx.query_one(
        "UPDATE users SET failed_login_count = failed_login_count + 1 WHERE id = ? "
        "RETURNING failed_login_count",
        {user->id});
    return row ? row->i64("failed_login_count") : 0;
  }
  const auto row = tx.query_one(
      "INSERT INTO login_throttle (login_digest, failed_login_count, updated_at) VALUES (?, 1, ?) "
      "ON CONFLICT (login_digest) DO UPDATE SET failed_login_count = "
      "login_throttle.failed_login_count + 1, updated_at = excluded.updated_at "
      "RETURNING failed_login_count",
      {token_digest(login), now.unix_micros()});
  return row ? row->i64("failed_login_count") : 0;
}

// The lock starts at the Nth consecutive failure and the count starts again from zero, so after
// the lock ends the account has N more attempts.
void lock(storage::Transaction& tx, const Env& env, const std::optional<User>& user,
          const std::string& login, Timestamp now) {
  const int64_t until = now.plus_seconds(env.settings.lockout_seconds).unix_micros();
  if (user) {
    tx.exec("UPDATE users SET failed_login_count = 0, locked_until = ? WHERE id = ?",
            {until, user->id});
  } else {
    tx.exec(
        "UPDATE login_throttle SET failed_login_count = 0, locked_until = ? "
        "WHERE login_digest = ?",
        {until, token_digest(login)});
  }
}

void record_mismatch(Env& env, const std::optional<User>& user, const std::string& login,
                     const RequestMeta& meta, Timestamp now) {
  env.store->write([&](storage::Transaction& tx) {
    const int64_t failures = count_failure(tx, user, login, now);
    const bool locks = failures >= env.settings.max_failed_logins;
    if (locks) lock(tx, env, user, login, now);
    audit_failure(tx, env, user, login, locks ? "bad_password_locked" : "bad_password", meta);
  });
}

}  // namespace

void check_password(Env& env, const std::optional<User>& user, const std::string& login,
                    const std::string& password, const RequestMeta& meta) {
  const Timestamp now = env.clock->now();
  const bool locked = user ? user->is_locked(now) : login_is_throttled(env, login, now);
  if (locked) {
    env.store->write(
        [&](storage::Transaction& tx) { audit_failure(tx, env, user, login, "locked", meta); });
    throw Error(ErrorCode::kAccountLocked,
                "too many failed logins; the account is locked for a while");
  }
  bool matches = false;
  if (user) {
    matches = verify_password(password, user->password_hash);
  } else {
    burn_verification_time(password, password_cost(env));
  }
  if (!matches) {
    record_mismatch(env, user, login, meta, now);
    throw Error(ErrorCode::kInvalidCredentials, "invalid credentials");
  }
}

void clear_failures(storage::Transaction& tx, const std::string& user_id) {
  tx.exec("UPDATE users SET failed_login_count = 0, locked_until = NULL WHERE id = ?", {user_id});
}

}  // namespace dms::identity
