// The directory of people to tell: the active users an audience names (a role at a center, the
// holders of a permission), for the notifications module's rules (src/notify/rules.hpp), which
// reads no identity table itself.
//
// Thread-safety: free functions over the caller's transaction.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "storage/store.hpp"

namespace dms::identity {

struct Recipient {
  std::string user_id;
  std::string first_name;
  std::string email;
  std::string phone;
  std::optional<std::string> service_center_id;  // none for users who see every center
};

// Where a permission audience looks for its holders.
enum class HolderScope {
  kCenter,          // users of the event's service center
  kGroup,           // users who see every service center
  kCenterAndGroup,  // both
};

// The active user `user_id`, or nullopt (unknown or deactivated).
std::optional<Recipient> active_recipient(storage::Transaction& tx, std::string_view user_id);
// The active users of `role` at `service_center_id`, by id.
std::vector<Recipient> active_users_with_role(storage::Transaction& tx, std::string_view role,
                                              const std::string& service_center_id);
// The active users whose role grants `permission` (wildcards honoured) within `scope`; a center
// scope without a center (`service_center_id` empty) names nobody at a center. By id.
std::vector<Recipient> active_permission_holders(
    storage::Transaction& tx, std::string_view permission, HolderScope scope,
    const std::optional<std::string>& service_center_id);

}  // namespace dms::identity
