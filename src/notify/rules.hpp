// The notification rules: event type -> audience -> notification. A listener of events::emit
// (src/events/outbox.hpp) runs them in the emitting transaction, so the in-app rows and the
// queued e-mails and SMS commit atomically with their cause
// (docs/decisions/0009-notification-rules-in-transaction.md).
//
// For each rule whose event type matches, the audience is resolved to people:
//   - kPayloadUser: the user whose id is the payload's `key` ("engineerId");
//   - kRoleAtCenter: the active users of role `key` at the event's service center;
//   - kPermission: the active holders of permission `key`, at the event's center, group-wide
//     (users who see every center) or both (`scope`);
//   - kCustomer: the customer whose id is the payload's `key`, by e-mail when their record has
//     one, else by SMS (customers have no account, hence no in-app row and no preferences).
// Staff get the channels their preferences (over the type's defaults) turn on for the rule's
// notification type; each channel's text is the type's template for it (src/notify/templates.hpp)
// rendered with the payload's values and a few looked up (customerName, partNumber, ...).
//
// Thread-safety: an immutable table; the listener uses only the caller's transaction.
#pragma once

#include <string>
#include <vector>

#include "identity/directory.hpp"

namespace dms::notify {

enum class AudienceKind { kPayloadUser, kRoleAtCenter, kPermission, kCustomer };

struct Audience {
  AudienceKind kind;
  const char* key;  // the payload key, role or permission
  identity::HolderScope scope = identity::HolderScope::kCenter;
};

struct Rule {
  const char* event_type;         // "job_card.assigned"
  const char* notification_type;  // "job_card_assigned" (src/notify/catalog.cpp)
  std::vector<Audience> audiences;
  const char* entity_type;    // the related entity ("job_card"), "" for none
  const char* entity_id_key;  // the payload key of its id ("jobCardId")
  const char* action_url;     // a template over the same values ("/job-cards/{{jobCardId}}")
  const char* skip_key = "";  // the payload key of a user never told (the new user of user.created)
};

// Every rule, in the order they run for an event.
const std::vector<Rule>& notification_rules();

}  // namespace dms::notify
