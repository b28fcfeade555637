// Authentication entry points used by the Database facade (implemented by the identity module).
#pragma once

#include <string>

#include "dms/context.hpp"
#include "dms/json.hpp"
#include "service/service.hpp"

namespace dms::identity {

// auth.Login: {accessToken, refreshToken, user{...}} or INVALID_CREDENTIALS / ACCOUNT_LOCKED.
Json login(Env& env, const std::string& login, const std::string& password,
           const RequestMeta& meta);
// The Context of a valid access token.
Context context_from_token(Env& env, const std::string& access_token, const RequestMeta& meta);
// The Context of an existing active user, without credentials (trusted hosts and tests).
Context context_for_user(Env& env, const std::string& user_id, const RequestMeta& meta);

}  // namespace dms::identity
