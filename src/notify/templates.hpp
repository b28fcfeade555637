// Message templates as data: one row per notification type, channel (in_app, email, sms) and
// language (English seeded by migration 421), edited by a dealer through
// notificationTemplates.Update. The placeholder syntax is "{{name}}" (letters and digits, the
// name of a value the type offers, src/notify/catalog.cpp); there is nothing else: no
// conditionals, loops or escapes. An edited template is checked strictly: an unknown placeholder,
// an unclosed "{{" or a missing required placeholder (the secret of a temporary-password
// message) is a VALIDATION error, so a template that renders at all renders completely.
//
//   notify::Rendered r = notify::render_template(tx, "invoice_generated", Delivery::kEmail, "en",
//                                                {{"customerName", "Asha"}, {"amount",
//                                                "1180.00"}});
//
// Thread-safety: free functions over the caller's transaction.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "notify/catalog.hpp"
#include "notify/messages.hpp"
#include "storage/store.hpp"

namespace dms::notify {

using Values = std::map<std::string, std::string, std::less<>>;

struct Rendered {
  std::string subject;  // the title of an in-app notification
  std::string body;     // its message
};

// The placeholder names `text` uses, in order; VALIDATION naming `field` on bad syntax.
std::vector<std::string> placeholders_in(std::string_view text, const std::string& field);
// VALIDATION naming `field` unless every placeholder of `text` is one `type` offers.
void check_template_text(const NotificationType& type, std::string_view text,
                         const std::string& field);
// `text` with each placeholder replaced by its value (a value not given renders empty).
// REQUIRES: text passed check_template_text.
std::string render_text(std::string_view text, const Values& values);

// The template of (type, channel) in `language`, else in English, as stored (placeholders not
// replaced); nullopt when the type has no template for the channel (nothing is sent on it).
std::optional<Rendered> find_template(storage::Transaction& tx, std::string_view type,
                                      Delivery channel, std::string_view language);
// find_template, rendered with `values`.
std::optional<Rendered> render_template(storage::Transaction& tx, std::string_view type,
                                        Delivery channel, std::string_view language,
                                        const Values& values);

// A direct message of `type` ("temporary_password", "password_reset", "quotation") by `channel`
// to `recipient`, its subject and body from the type's template; purpose is the type, and a
// message of a secret type is sensitive (its body erased once delivered).
Message templated_message(storage::Transaction& tx, std::string_view type, ChannelKind channel,
                          std::string recipient, const Values& values,
                          std::string_view language = "en");

}  // namespace dms::notify
