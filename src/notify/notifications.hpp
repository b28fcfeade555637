// In-app notifications (seed 000 Notification, section 4.11): one row per person told, written
// in the transaction of the event that caused it (src/notify/rules.cpp), listed and read only by
// its user through notifications.* (another user's notification is NOT_FOUND). Each row also
// emits a `notification.created` event, so the committed-event feed carries it to real-time
// clients.
//
// Thread-safety: free functions over the caller's transaction.
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "dms/context.hpp"
#include "notify/catalog.hpp"
#include "storage/store.hpp"

namespace dms::notify {

struct NotificationDraft {
  std::string user_id;
  std::optional<std::string> service_center_id;
  const NotificationType* type = nullptr;
  std::string title;
  std::string message;
  std::optional<std::string> related_entity_type;  // "job_card"
  std::optional<std::string> related_entity_id;
  std::optional<std::string> action_url;  // "/job-cards/<id>"
  int64_t event_id = 0;                   // the outbox event behind it
};

// Inserts the row and emits notification.created; returns the notification's id.
std::string create_notification(storage::Transaction& tx, const Context& ctx,
                                const NotificationDraft& draft);

// The channels each of `user_ids` has turned on for `type`: their stored preferences over the
// type's defaults.
std::map<std::string, std::set<Delivery>> enabled_channels(
    storage::Transaction& tx, const NotificationType& type,
    const std::vector<std::string>& user_ids);

}  // namespace dms::notify
