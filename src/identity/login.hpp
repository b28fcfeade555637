// Password checks with lockout, shared by auth.Login and auth.ChangePassword.
//
// Failures are counted per account (users.failed_login_count) and, for logins that match no
// account, per login identifier (login_throttle), so an unknown e-mail locks exactly like a known
// one and lockout reveals nothing. Each failure is written, with its LOGIN_FAILED audit row, in a
// transaction of its own that commits before the error is thrown.
//
// Thread-safety: uses only the Store, which is thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "identity/accounts.hpp"

namespace dms::identity {

// Verifies `password` for `user` (or, when the login matched nobody, against a dummy hash so
// the time taken is the same). `login` is the normalised identifier that was presented. Throws
// ACCOUNT_LOCKED while locked and INVALID_CREDENTIALS on a mismatch, after recording it.
void check_password(Env& env, const std::optional<User>& user, const std::string& login,
                    const std::string& password, const RequestMeta& meta);

// Clears the failure count of an account after a successful check, in the caller's transaction.
void clear_failures(storage::Transaction& tx, const std::string& user_id);

}  // namespace dms::identity
