// notificationTemplates.List / Update, and the strict "{{name}}" renderer (templates.hpp).
#include "notify/templates.hpp"

#include <cctype>

#include "audit/audit.hpp"
#include "dms/error.hpp"
#include "service/entity.hpp"
#include "service/request.hpp"
#include "service/rows.hpp"
#include "service/service.hpp"

namespace dms::notify {

std::vector<std::string> placeholders_in(std::string_view text, const std::string& field) {
  std::vector<std::string> names;
  for (size_t pos = 0;;) {
    const size_t open = text.find("{{", pos);
    const size_t stray = text.find("}}", pos);
    if (stray != std::string_view::npos && stray < open) {
      throw Error::Validation(field, "\"}}\" without an opening \"{{\"");
    }
    if (open == std::string_view::npos) return names;
    const size_t close = text.find("}}", open + 2);
    if (close == std::string_view::npos) {
      throw Error::Validation(field, "\"{{\" without a closing \"}}\"");
    }
    const std::string name(rows::trim(text.substr(open + 2, close - open - 2)));
    bool ok = !name.empty() && std::isalpha(static_cast<unsigned char>(name[0]));
    for (char c : name) ok = ok && std::isalnum(static_cast<unsigned char>(c));
    if (!ok) {
      throw Error::Validation(field, "a placeholder is a name of letters and digits: {{" +
                                         std::string(text.substr(open + 2, close - open - 2)) +
                                         "}}");
    }
    names.push_back(name);
    pos = close + 2;
  }
}

void check_template_text(const NotificationType& type, std::string_view text,
                         const std::string& field) {
  const std::vector<std::string> offered = type.placeholder_names();
  for (const std::string& name : placeholders_in(text, field)) {
    bool known = false;
    for (const auto& o : offered) known = known || o == name;
    if (!known) {
      std::string list;
      for (const auto& o : offered) list += (list.empty() ? "" : ", ") + ("{{" + o + "}}");
      throw Error::Validation(field, "unknown placeholder {{" + name + "}} for " + type.name +
                                         " (it offers " + list + ")");
    }
  }
}

std::string render_text(std::string_view text, const Values& values) {
  std::string out;
  for (size_t pos = 0;;) {
    const size_t open = text.find("{{", pos);
    const size_t close = open == std::string_view::npos ? open : text.find("}}", open + 2);
    if (close == std::string_view::npos) {
      out.append(text.substr(pos));
      return out;
    }
    out.append(text.substr(pos, open - pos));
    const auto it = values.find(rows::trim(text.substr(open + 2, close - open - 2)));
    if (it != values.end()) out.append(it->second);
    pos = close + 2;
  }
}

std::optional<Rendered> find_template(storage::Transaction& tx, std::string_view type,
                                      Delivery channel, std::string_view language) {
  const auto row = tx.query_one(
      "SELECT subject, body FROM notification_templates WHERE notification_type = ? AND "
      "channel = ? AND language IN (?, 'en') ORDER BY CASE WHEN language = 'en' THEN 1 ELSE 0 "
      "END LIMIT 1",
      {std::string(type), std::string(delivery_name(channel)), std::string(language)});
  if (!row) return std::nullopt;
  return Rendered{row->str("subject"), row->str("body")};
}

std::optional<Rendered> render_template(storage::Transaction& tx, std::string_view type,
                                        Delivery channel, std::string_view language,
                                        const Values& values) {
  auto text = find_template(tx, type, channel, language);
  if (!text) return std::nullopt;
  return Rendered{render_text(text->subject, values), render_text(text->body, values)};
}

Message templated_message(storage::Transaction& tx, std::string_view type, ChannelKind channel,
                          std::string recipient, const Values& values, std::string_view language) {
  const NotificationType* info = find_notification_type(type);
  const Delivery delivery = channel == ChannelKind::kSms ? Delivery::kSms : Delivery::kEmail;
  const auto text = render_template(tx, type, delivery, language, values);
  if (info == nullptr || !text) {
    throw Error::Storage("no " + std::string(delivery_name(delivery)) + " template for " +
                         std::string(type));
  }
  Message m;
  m.channel = channel;
  m.recipient = std::move(recipient);
  m.subject = text->subject;
  m.body = text->body;
  m.purpose = info->name;
  m.sensitive = info->secret;
  return m;
}

namespace {

constexpr const char* kEntity = "notification template";

const storage::ListSpec& template_list_spec() {
  static const storage::ListSpec spec = [] {
    using storage::FieldType;
    constexpr unsigned kFilterSort = storage::kFilter | storage::kSort;
    storage::ListSpec s;
    s.from = "notification_templates";
    s.default_sort = "notificationType,channel,language";
    s.field("id", "notification_type || ':' || channel || ':' || language", FieldType::kText,
            kFilterSort)
        .field("notificationType", "notification_type", FieldType::kText, kFilterSort)
        .field("channel", "channel", FieldType::kText, kFilterSort)
        .field("language", "language", FieldType::kText, kFilterSort)
        .field("subject", "subject", FieldType::kText, storage::kSearch)
        .field("body", "body", FieldType::kText, storage::kSearch)
        .field("updatedAt", "updated_at", FieldType::kTimestamp, kFilterSort | storage::kNullable)
        .field("updatedBy", "updated_by", FieldType::kText, storage::kNullable)
        .derived("placeholders", {"notificationType"}, [](const Json& row) -> Json {
          Json names = Json::array();
          if (const auto* type =
                  find_notification_type(row.at("notificationType").get<std::string>())) {
            for (const auto& n : type->placeholder_names()) names.push_back(n);
          }
          return names;
        });
    return s;
  }();
  return spec;
}

Json list_templates(Env& env, const Context& ctx, const Json& req) {
  ctx.require("notification_templates:read");
  return env.store->read([&](storage::Transaction& tx) {
    return service::list_entity(env, ctx, tx, template_list_spec(), req);
  });
}

// Replaces (or, for a new language, adds) one template, checked strictly.
Json update_template(Env& env, const Context& ctx, const Json& req) {
  ctx.require("notification_templates:update");
  const request::Fields f(req);
  const std::string type_name = f.str("notificationType", 1, 64);
  const NotificationType* type = find_notification_type(type_name);
  if (type == nullptr) {
    throw Error::Validation("notificationType", "unknown notification type " + type_name);
  }
  const std::string channel = f.one_of("channel", {"in_app", "email", "sms"});
  const std::string language = f.opt_str("language", 8).value_or("en");
  if (language.size() != 2 || !std::islower(static_cast<unsigned char>(language[0])) ||
      !std::islower(static_cast<unsigned char>(language[1]))) {
    throw Error::Validation("language", "language is a two-letter ISO 639-1 code (\"en\")");
  }
  const std::string subject = rows::trim(f.str("subject", 1, 200));
  const std::string body = f.str("body", 1, 4000);
  if (subject.empty()) throw Error::Validation("subject", "subject must not be blank");
  if (rows::trim(body).empty()) throw Error::Validation("body", "body must not be blank");
  check_template_text(*type, subject, "subject");
  check_template_text(*type, body, "body");
  const std::vector<std::string> used = placeholders_in(body, "body");
  for (const std::string& required : type->required_names()) {
    bool present = false;
    for (const auto& u : used) present = present || u == required;
    if (!present) {
      throw Error::Validation("body", "the body of " + type_name + " must keep {{" + required +
                                          "}}: the message exists to carry it");
    }
  }
  const std::string id = type_name + ":" + channel + ":" + language;
  return env.store->write([&](storage::Transaction& tx) {
    const std::vector<storage::Value> key{type_name, channel, language};
    if (!tx.query_one("SELECT subject FROM notification_templates WHERE notification_type = ? "
                      "AND channel = ? AND language = 'en'",
                      {type_name, channel})) {
      throw Error::Validation("channel", type_name + " is not sent by " + channel);
    }
    const auto before = tx.query_one(
        std::string("SELECT subject, body FROM notification_templates WHERE notification_type = "
                    "? AND channel = ? AND language = ?") +
            tx.for_update(),
        key);
    const int64_t now = ctx.now().unix_micros();
    const storage::Value by = rows::null_if_empty(ctx.user_id);
    if (before) {
      tx.exec(
          "UPDATE notification_templates SET subject = ?, body = ?, updated_at = ?, "
          "updated_by = ? WHERE notification_type = ? AND channel = ? AND language = ?",
          {subject, body, now, by, type_name, channel, language});
    } else {
      tx.exec(
          "INSERT INTO notification_templates (notification_type, channel, language, "
          "subject, body, updated_at, updated_by) VALUES (?, ?, ?, ?, ?, ?, ?)",
          {type_name, channel, language, subject, body, now, by});
    }
    const Json old_values =
        before ? Json{{"subject", before->str("subject")}, {"body", before->str("body")}}
               : Json::object();
    audit::record(tx, ctx, before ? "UPDATE" : "CREATE", "notification_template", id, old_values,
                  {{"subject", subject}, {"body", body}});
    return service::render_entity(tx, template_list_spec(), id, kEntity);
  });
}

const service::MethodRegistration kList("notificationTemplates.List", list_templates,
                                        template_list_spec);
const service::MethodRegistration kUpdate("notificationTemplates.Update", update_template);

}  // namespace
}  // namespace dms::notify
