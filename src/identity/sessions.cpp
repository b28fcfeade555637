#include "identity/sessions.hpp"

#include "dms/error.hpp"
#include "identity/secrets.hpp"

namespace dms::identity {
namespace {

constexpr const char* kIssuer = "libdms";

std::string sign_access_token(const Env& env, const User& user, const std::string& session_id,
                              Timestamp now) {
  const int64_t issued_at = now.unix_seconds();
  const Json claims = {
      {"iss", kIssuer},    {"sub", user.id},
      {"sid", session_id}, {"role", user.role},
      {"iat", issued_at},  {"exp", issued_at + env.settings.access_token_ttl_seconds}};
  return jwt_sign(claims, env.settings.token_secret);
}

std::string issue_refresh_token(storage::Transaction& tx, const Env& env,
                                const std::string& session_id, Timestamp now) {
  const std::string token = random_token();
  const int64_t expires_at = now.plus_seconds(env.settings.refresh_token_ttl_seconds).unix_micros();
  tx.exec(
      "INSERT INTO refresh_tokens (token_hash, session_id, issued_at, expires_at) "
      "VALUES (?, ?, ?, ?)",
      {token_digest(token), session_id, now.unix_micros(), expires_at});
  tx.exec("UPDATE sessions SET expires_at = ? WHERE id = ?", {expires_at, session_id});
  return token;
}

}  // namespace

SessionTokens open_session(storage::Transaction& tx, const Env& env, const User& user,
                           const RequestMeta& meta, Timestamp now) {
  SessionTokens tokens;
  tokens.session_id = storage::new_id();
  tx.exec(
      "INSERT INTO sessions (id, user_id, created_at, expires_at, ip_address, user_agent) "
      "VALUES (?, ?, ?, ?, ?, ?)",
      {tokens.session_id, user.id, now.unix_micros(), now.unix_micros(), meta.ip, meta.user_agent});
  tokens.refresh_token = issue_refresh_token(tx, env, tokens.session_id, now);
  tokens.access_token = sign_access_token(env, user, tokens.session_id, now);
  return tokens;
}

RefreshResult rotate_refresh_token(storage::Transaction& tx, const Env& env,
                                   const std::string& refresh_token, Timestamp now) {
  RefreshResult result;
  const std::string sql =
      std::string(
          "SELECT r.session_id, r.expires_at, r.used_at, s.user_id, s.revoked_at "
          "FROM refresh_tokens r JOIN sessions s ON s.id = r.session_id WHERE r.token_hash = ?") +
      tx.for_update();
  const auto row = tx.query_one(sql, {token_digest(refresh_token)});
  if (!row) return result;  // kUnknown
  const std::string session_id = row->str("session_id");
  result.user = find_user(tx, row->str("user_id"));
  if (!row->is_null("used_at")) {
    revoke_session(tx, session_id, now);
    result.outcome = RefreshOutcome::kReused;
  } else if (!row->is_null("revoked_at")) {
    result.outcome = RefreshOutcome::kRevoked;
  } else if (now.unix_micros() >= row->i64("expires_at")) {
    result.outcome = RefreshOutcome::kExpired;
  } else if (!result.user || !result.user->is_active) {
    revoke_session(tx, session_id, now);
    result.outcome = RefreshOutcome::kInactive;
  } else {
    tx.exec("UPDATE refresh_tokens SET used_at = ? WHERE token_hash = ?",
            {now.unix_micros(), token_digest(refresh_token)});
    result.tokens.session_id = session_id;
    result.tokens.refresh_token = issue_refresh_token(tx, env, session_id, now);
    result.tokens.access_token = sign_access_token(env, *result.user, session_id, now);
    result.outcome = RefreshOutcome::kRotated;
  }
  return result;
}

std::optional<std::string> session_of_refresh_token(storage::Transaction& tx,
                                                    const std::string& refresh_token) {
  const auto row = tx.query_one("SELECT session_id FROM refresh_tokens WHERE token_hash = ?",
                                {token_digest(refresh_token)});
  if (!row) return std::nullopt;
  return row->str("session_id");
}

AccessClaims verify_access_token(const Env& env, const std::string& access_token, Timestamp now) {
  const auto claims = jwt_verify(access_token, env.settings.token_secret);
  const auto invalid = [] { return Error(ErrorCode::kInvalidToken, "invalid access token"); };
  if (!claims || claims->value("iss", "") != kIssuer) throw invalid();
  const auto sub = claims->find("sub");
  const auto sid = claims->find("sid");
  const auto exp = claims->find("exp");
  if (sub == claims->end() || !sub->is_string() || sid == claims->end() || !sid->is_string() ||
      exp == claims->end() || !exp->is_number_integer()) {
    throw invalid();
  }
  if (now.unix_seconds() >= exp->get<int64_t>()) {
    throw Error(ErrorCode::kTokenExpired, "the access token has expired");
  }
  return {sub->get<std::string>(), sid->get<std::string>()};
}

bool session_is_live(storage::Transaction& tx, const std::string& session_id) {
  const auto row = tx.query_one("SELECT revoked_at FROM sessions WHERE id = ?", {session_id});
  return row && row->is_null("revoked_at");
}

void revoke_session(storage::Transaction& tx, const std::string& session_id, Timestamp now) {
  tx.exec("UPDATE sessions SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL",
          {now.unix_micros(), session_id});
}

void revoke_user_sessions(storage::Transaction& tx, const std::string& user_id, Timestamp now,
                          const std::string& keep_session_id) {
  tx.exec("UPDATE sessions SET revoked_at = ? WHERE user_id = ? AND id <> ? AND revoked_at IS NULL",
          {now.unix_micros(), user_id, keep_session_id});
}

}  // namespace dms::identity
