// The notification types (seed 000 section 4.11.2, seed 004's alerts, and the direct messages
// that carry secrets or documents): what each is, the placeholders its templates may use, who may
// receive it on which channel, and the defaults of the users' preferences.
//
// Thread-safety: immutable tables; safe from any thread.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace dms::notify {

// Where a notification reaches a person. kInApp is the Notification row; e-mail and SMS are
// outbound messages (src/notify/messages.hpp).
enum class Delivery { kInApp, kEmail, kSms };
const char* delivery_name(Delivery d);  // "in_app", "email", "sms"
std::optional<Delivery> parse_delivery(std::string_view name);
inline constexpr Delivery kDeliveries[] = {Delivery::kInApp, Delivery::kEmail, Delivery::kSms};

struct NotificationType {
  const char* name;         // "job_card_assigned": preferences and templates are keyed by it
  const char* description;  // for people choosing their preferences
  const char* category;  // seed 000: request | approval | invoice | inventory | job_card | system
  const char* severity;  // seed 000 Notification.type: info | warning | error | success | approval
  // The placeholders its templates may use ("{{jobCardNumber}}"), comma-separated.
  const char* placeholders;
  // Placeholders every template of the type must keep (the secret the message exists for).
  const char* required;
  // Staff recipients: which channels they may get, and the default of each (preferences).
  bool staff_in_app, staff_email, staff_sms;
  bool default_in_app, default_email, default_sms;
  // A direct message (temporary password, reset code, quotation): sent by its method, never an
  // in-app row, and no preference turns it off.
  bool direct;
  // Its values include a secret: such a type never renders into anything but its messages.
  bool secret;

  bool staff_may(Delivery d) const;
  bool default_for(Delivery d) const;
  std::vector<std::string> placeholder_names() const;
  std::vector<std::string> required_names() const;
};

// Every type, by name.
const std::vector<NotificationType>& notification_types();
const NotificationType* find_notification_type(std::string_view name);

}  // namespace dms::notify
