// Context: who is acting, and the metadata of the request. Every service call takes one.
//
// A Context is normally produced by authentication (Database::context_from_token, or the
// auth.Login method); trusted in-process hosts may also build one for a known user with
// Database::context_for_user. Services check permissions through require() and confine
// service-center users to their own center (see docs/security.md).
//
// Thread-safety: a Context is an immutable value once built; share it freely across threads.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "dms/time.hpp"

namespace dms {

struct RequestMeta {
  std::string request_id;
  std::string ip;
  std::string user_agent;
  std::string idempotency_key;  // optional; reserved for idempotent retries
};

class Context {
 public:
  std::string user_id;                   // empty only for the system context
  std::string user_name;                 // for messages and audit readability
  std::string role;                      // seed 002 role: admin, sc_manager, service_engineer, ...
  std::vector<std::string> permissions;  // "resource:action", "resource:*" or "*"
  std::optional<std::string> service_center_id;  // none for admin and central roles
  bool password_change_required = false;         // first login: only a password change works
  std::string session_id;  // the login session behind an access token; empty otherwise
  RequestMeta meta;
  const Clock* clock = &Clock::system();

  // The library acting on its own behalf (bootstrap, migrations, scheduled jobs): all permissions.
  static Context system(const Clock& clock = Clock::system());

  // True when `permission` ("resource:action") is granted, honouring "resource:*" and "*".
  bool has_permission(std::string_view permission) const;
  // Throws PASSWORD_CHANGE_REQUIRED while a first-login password change is pending, FORBIDDEN
  // when the permission is missing.
  void require(std::string_view permission) const;
  // Holders of "tenancy:all_service_centers" (by default admin and the central inventory manager)
  // see every service center; everyone else only their own.
  bool sees_all_service_centers() const;
  Timestamp now() const { return clock->now(); }
};

// Whether `granted` ("job_cards:*", "*", "customers:read") covers `permission`.
bool permission_matches(std::string_view granted, std::string_view permission);

}  // namespace dms
