// Accounts: the user repository, role and permission lookups, and the input normalisation shared
// by the identity services (users, auth, service centers, roles).
//
// Thread-safety: free functions over the caller's transaction; no shared state.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "dms/context.hpp"
#include "dms/json.hpp"
#include "identity/passwords.hpp"
#include "service/service.hpp"
#include "storage/store.hpp"

namespace dms::identity {

// ---- Roles and permissions ----------------------------------------------------------------------

// Seed 000's role names mapped onto seed 002's (technician and engineer -> service_engineer,
// advisor -> service_advisor, service_center -> sc_manager); other names are returned as given.
std::string canonical_role(std::string_view name);
// Roles granted "tenancy:all_service_centers" (by default admin and the central inventory
// manager) work across service centers and have none of their own.
bool role_sees_all_centers(storage::Transaction& tx, std::string_view role);
bool role_exists(storage::Transaction& tx, std::string_view role);
// The permissions granted to `role`, sorted.
std::vector<std::string> role_permissions(storage::Transaction& tx, std::string_view role);
// Nobody grants what they do not hold: FORBIDDEN naming the first permission in `granted` that
// `actor`'s own permissions do not cover.
void require_grantable(const Context& actor, const std::vector<std::string>& granted);
// "resource:action", "resource:*" or "*"; VALIDATION naming `field` otherwise.
void check_permission_syntax(std::string_view permission, const std::string& field);
// VALIDATION naming `field` unless the grant covers a catalogued permission
// (src/service/permissions.hpp): a typo is never stored.
void check_permission_known(std::string_view permission, const std::string& field);
// Whether `role` is granted `permission` by name (not through a wildcard).
bool role_granted_by_name(storage::Transaction& tx, std::string_view role,
                          std::string_view permission);

// ---- Input normalisation
// --------------------------------------------------------------------------

// Lower-cased, trimmed, shaped like local@domain.tld; VALIDATION naming `field` otherwise.
std::string normalize_email(std::string_view email, const std::string& field);
// E.164: "+" and 8 to 15 digits; a bare 10-digit Indian mobile number gets "+91". Spaces and
// dashes are ignored. VALIDATION naming `field` otherwise.
std::string normalize_phone(std::string_view phone, const std::string& field);
// A login identifier (e-mail or phone) in the normal form stored in users; nullopt when it has
// the shape of neither (such a login can match nobody).
std::optional<std::string> normalize_login(std::string_view login);

// ---- Users
// -----------------------------------------------------------------------------------------

struct User {
  std::string id;
  std::string email;
  std::string phone;
  std::string first_name;
  std::string last_name;
  std::string role;
  std::optional<std::string> service_center_id;
  std::string delivery_channel;  // "email" or "sms": where credentials and reset codes go
  std::string password_hash;
  bool is_active = true;
  bool is_first_login = true;
  int64_t failed_login_count = 0;
  std::optional<int64_t> locked_until;  // microseconds; locked while now < locked_until
  std::optional<int64_t> last_login_at;
  int64_t created_at = 0;
  int64_t updated_at = 0;

  std::string full_name() const { return first_name + " " + last_name; }
  bool is_locked(Timestamp now) const { return locked_until && now.unix_micros() < *locked_until; }
};

// A user from a row of `SELECT * FROM users`.
User user_from_row(const storage::Row& row);
std::optional<User> find_user(storage::Transaction& tx, std::string_view id,
                              bool for_update = false);
// By normalised e-mail or phone (see normalize_login).
std::optional<User> find_user_by_login(storage::Transaction& tx, std::string_view login);
// The API document of a user (seed 002's shape plus account state); never the password hash.
Json user_document(const User& user);

// The Context of `user` acting through the library.
Context user_context(const Env& env, const User& user, std::vector<std::string> permissions,
                     const RequestMeta& meta);

// For methods every signed-in user may call (auth.Me, ...): UNAUTHENTICATED without a user,
// PASSWORD_CHANGE_REQUIRED while the first-login password change is pending.
void require_signed_in(const Context& ctx);
// The same without the first-login check: for the password change itself and logout.
void require_user(const Context& ctx);

PasswordCost password_cost(const Env& env);

// RFC 3339 text of a microsecond timestamp, or JSON null.
Json timestamp_json(std::optional<int64_t> micros);
storage::Value optional_text(const std::optional<std::string>& text);

}  // namespace dms::identity
