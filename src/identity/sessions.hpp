// Login sessions and their tokens.
//
// A session is one login of one user. Its access tokens are HS256 JWTs (claims: iss "libdms",
// sub = user id, sid = session id, role, iat, exp) that live Settings::access_token_ttl_seconds;
// its refresh tokens are opaque random strings stored only as digests, each usable once: a
// refresh marks the presented token used and issues the next one (rotation). Presenting a used
// refresh token again means it was copied, so the whole session is revoked. Logout, password
// changes and deactivation revoke sessions; a revoked session's access tokens stop working at
// once because context_from_token checks the session.
//
// Thread-safety: free functions over the caller's transaction.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "identity/accounts.hpp"

namespace dms::identity {

struct SessionTokens {
  std::string session_id;
  std::string access_token;
  std::string refresh_token;
};

// Opens a session for `user` and issues its first access and refresh tokens.
SessionTokens open_session(storage::Transaction& tx, const Env& env, const User& user,
                           const RequestMeta& meta, Timestamp now);

// The outcome of presenting a refresh token.
enum class RefreshOutcome { kRotated, kUnknown, kReused, kExpired, kRevoked, kInactive };
struct RefreshResult {
  RefreshOutcome outcome = RefreshOutcome::kUnknown;
  std::optional<User> user;  // for kRotated, kReused and kInactive
  SessionTokens tokens;      // for kRotated
};
// Consumes `refresh_token` and issues the next pair; on reuse revokes the session. The caller
// commits in every case (a reuse must stay revoked) and turns failures into errors afterwards.
RefreshResult rotate_refresh_token(storage::Transaction& tx, const Env& env,
                                   const std::string& refresh_token, Timestamp now);

// The session of a refresh token, when the token is known.
std::optional<std::string> session_of_refresh_token(storage::Transaction& tx,
                                                    const std::string& refresh_token);

struct AccessClaims {
  std::string user_id;
  std::string session_id;
};
// Verifies signature and expiry: INVALID_TOKEN or TOKEN_EXPIRED.
AccessClaims verify_access_token(const Env& env, const std::string& access_token, Timestamp now);
// True when the session exists and is not revoked.
bool session_is_live(storage::Transaction& tx, const std::string& session_id);

void revoke_session(storage::Transaction& tx, const std::string& session_id, Timestamp now);
// Revokes every live session of the user except `keep_session_id` (may be empty).
void revoke_user_sessions(storage::Transaction& tx, const std::string& user_id, Timestamp now,
                          const std::string& keep_session_id = {});

}  // namespace dms::identity
