// The catalogue of permissions: every "resource:action" a method of the library checks, what it
// allows and which roles hold it by default. It is the one list from which roles.SetPermissions
// validates grants and docs/security.md prints its permission table (a test keeps the two equal
// and checks that every permission the sources ask for is catalogued).
//
// Thread-safety: immutable tables; safe from any thread.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace dms::service {

struct PermissionInfo {
  const char* name;             // "purchase_orders:approve"
  const char* allows;           // what holding it lets a user do
  const char* default_holders;  // roles granted it by the default migrations, besides admin ("*")
  bool reserved;                // granted by seed 002 for a module that does not exist yet
};

// Every catalogued permission, sorted by name.
const PermissionInfo* all_permissions(std::size_t* count) noexcept;
// The entry of `name`, or nullptr.
const PermissionInfo* find_permission(std::string_view name) noexcept;
// Whether a grant ("*", "resource:*" or "resource:action") covers at least one catalogued
// permission: the rule roles.SetPermissions applies.
bool grant_is_known(std::string_view grant) noexcept;
// The Markdown table of docs/security.md's "Permission catalogue" section.
std::string permission_table_markdown();

// Names of the permissions that are rules rather than single actions.
inline constexpr std::string_view kSeesAllServiceCenters = "tenancy:all_service_centers";
inline constexpr std::string_view kJobCardsViewAll = "job_cards:view_all";
inline constexpr std::string_view kJobCardsWork = "job_cards:work";

}  // namespace dms::service
