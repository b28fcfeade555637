// Authentication entry points used by the Database facade (implemented by the identity module;
// the model is in docs/security.md).
//
// Thread-safety: each function uses only the Store and immutable Settings; safe from any thread.
#pragma once

#include <string>

#include "dms/context.hpp"
#include "dms/json.hpp"
#include "service/service.hpp"

namespace dms::identity {

// auth.Login by e-mail or phone: {accessToken, refreshToken, tokenType, expiresIn,
// passwordChangeRequired, user{id, email, name, role, serviceCenterId, permissions, ...}}, or
// INVALID_CREDENTIALS (wrong password or unknown login: never says which), ACCOUNT_LOCKED,
// ACCOUNT_INACTIVE (only with the right password).
Json login(Env& env, const std::string& login, const std::string& password,
           const RequestMeta& meta);
// The Context of a valid access token: INVALID_TOKEN (bad signature, ended session),
// TOKEN_EXPIRED, ACCOUNT_INACTIVE. Role, permissions and the first-login flag are read from the
// database on every call, so changes apply at once.
Context context_from_token(Env& env, const std::string& access_token, const RequestMeta& meta);
// The Context of an existing active user, without credentials (trusted hosts and tests):
// NOT_FOUND, ACCOUNT_INACTIVE. No password was presented, so the first-login password change is
// not demanded (password_change_required stays false); it gates password sessions only.
Context context_for_user(Env& env, const std::string& user_id, const RequestMeta& meta);

}  // namespace dms::identity
