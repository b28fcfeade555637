// notifications.List / Get / UnreadCount / MarkRead / MarkAllRead / Delete / GetPreferences /
// UpdatePreferences: seed 000 section 4.11.3, one method per endpoint. Every method acts on the
// caller's own notifications and preferences only.
#include "notify/notifications.hpp"

#include "audit/audit.hpp"
#include "dms/error.hpp"
#include "events/outbox.hpp"
#include "service/entity.hpp"
#include "service/request.hpp"
#include "service/rows.hpp"
#include "service/service.hpp"

namespace dms::notify {

std::string create_notification(storage::Transaction& tx, const Context& ctx,
                                const NotificationDraft& d) {
  const std::string id = storage::new_id();
  tx.exec(
      "INSERT INTO notifications (id, user_id, service_center_id, notification_type, title, "
      "message, type, category, related_entity_type, related_entity_id, action_url, event_id, "
      "is_read, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?)",
      {id, d.user_id, rows::null_if_empty(d.service_center_id), std::string(d.type->name), d.title,
       d.message, std::string(d.type->severity), std::string(d.type->category),
       rows::null_if_empty(d.related_entity_type), rows::null_if_empty(d.related_entity_id),
       rows::null_if_empty(d.action_url), d.event_id, ctx.now().unix_micros()});
  events::emit(tx, ctx, "notification.created",
               {{"notificationId", id},
                {"userId", d.user_id},
                {"title", d.title},
                {"type", d.type->severity},
                {"notificationType", d.type->name}},
               d.service_center_id);
  return id;
}

std::map<std::string, std::set<Delivery>> enabled_channels(
    storage::Transaction& tx, const NotificationType& type,
    const std::vector<std::string>& user_ids) {
  std::map<std::string, std::set<Delivery>> out;
  for (const auto& user : user_ids) {
    for (Delivery d : kDeliveries) {
      if (type.default_for(d)) out[user].insert(d);
    }
  }
  if (user_ids.empty()) return out;
  std::string sql =
      "SELECT user_id, channel, enabled FROM notification_preferences WHERE notification_type = "
      "? AND user_id IN (";
  std::vector<storage::Value> params{std::string(type.name)};
  for (size_t i = 0; i < user_ids.size(); ++i) {
    sql += i ? ", ?" : "?";
    params.emplace_back(user_ids[i]);
  }
  for (const auto& row : tx.query(sql + ")", params)) {
    const auto channel = parse_delivery(row.str("channel"));
    if (!channel || !type.staff_may(*channel)) continue;
    if (row.flag("enabled")) {
      out[row.str("user_id")].insert(*channel);
    } else {
      out[row.str("user_id")].erase(*channel);
    }
  }
  return out;
}

namespace {

constexpr const char* kEntity = "notification";

void require_user(const Context& ctx) {
  if (ctx.user_id.empty()) {
    throw Error(ErrorCode::kUnauthenticated, "notifications belong to a signed-in user");
  }
}

const storage::ListSpec& notification_list_spec() {
  static const storage::ListSpec spec = [] {
    using storage::FieldType;
    constexpr unsigned kFilterSort = storage::kFilter | storage::kSort;
    storage::ListSpec s;
    s.from = "notifications";
    s.default_sort = "isRead,-createdAt";  // unread first, newest first
    s.field("id", "id", FieldType::kText, kFilterSort)
        .field("userId", "user_id", FieldType::kText, 0)
        .field("serviceCenterId", "service_center_id", FieldType::kText,
               storage::kFilter | storage::kNullable)
        .field("notificationType", "notification_type", FieldType::kText, kFilterSort)
        .field("title", "title", FieldType::kText, storage::kSearch)
        .field("message", "message", FieldType::kText, storage::kSearch)
        .field("type", "type", FieldType::kText, kFilterSort)
        .field("category", "category", FieldType::kText, kFilterSort)
        .field("relatedEntityType", "related_entity_type", FieldType::kText,
               storage::kFilter | storage::kNullable)
        .field("relatedEntityId", "related_entity_id", FieldType::kText,
               storage::kFilter | storage::kNullable)
        .field("actionUrl", "action_url", FieldType::kText, storage::kNullable)
        .field("isRead", "is_read", FieldType::kBool, kFilterSort)
        .field("readAt", "read_at", FieldType::kTimestamp, kFilterSort | storage::kNullable)
        .field("createdAt", "created_at", FieldType::kTimestamp, kFilterSort);
    return s;
  }();
  return spec;
}

std::vector<storage::Condition> own(const Context& ctx) {
  return {{"user_id = ?", {ctx.user_id}}};
}

// The caller's notification; another user's (or none) is NOT_FOUND.
storage::Row load_own(storage::Transaction& tx, const Context& ctx, const std::string& id,
                      bool lock) {
  const auto row =
      tx.query_one(std::string("SELECT * FROM notifications WHERE id = ? AND user_id = ?") +
                       (lock ? tx.for_update() : ""),
                   {id, ctx.user_id});
  if (!row) throw Error::NotFound(kEntity, id);
  return *row;
}

Json list_notifications(Env& env, const Context& ctx, const Json& req) {
  ctx.require("notifications:read");
  require_user(ctx);
  return env.store->read([&](storage::Transaction& tx) {
    return service::list_entity(env, ctx, tx, notification_list_spec(), req, own(ctx));
  });
}

Json get_notification(Env& env, const Context& ctx, const Json& req) {
  ctx.require("notifications:read");
  require_user(ctx);
  const std::string id = request::Fields(req).str("id", 1, 100);
  return env.store->read([&](storage::Transaction& tx) {
    return service::get_entity(env, tx, notification_list_spec(), id, kEntity, req, own(ctx));
  });
}

Json unread_count(Env& env, const Context& ctx, const Json& req) {
  ctx.require("notifications:read");
  require_user(ctx);
  const auto category = request::Fields(req).opt_str("category", 64);
  return env.store->read([&](storage::Transaction& tx) {
    std::string sql = "SELECT COUNT(*) AS n FROM notifications WHERE user_id = ? AND is_read = 0";
    std::vector<storage::Value> params{ctx.user_id};
    if (category) {
      sql += " AND category = ?";
      params.emplace_back(*category);
    }
    return Json{{"count", tx.query_one(sql, params)->i64("n")}};
  });
}

Json mark_read(Env& env, const Context& ctx, const Json& req) {
  ctx.require("notifications:update");
  require_user(ctx);
  const std::string id = request::Fields(req).str("id", 1, 100);
  return env.store->write([&](storage::Transaction& tx) {
    const storage::Row row = load_own(tx, ctx, id, true);
    if (!row.flag("is_read")) {
      const int64_t now = ctx.now().unix_micros();
      tx.exec("UPDATE notifications SET is_read = 1, read_at = ? WHERE id = ?", {now, id});
      audit::record(tx, ctx, "UPDATE", kEntity, id, {{"isRead", false}},
                    {{"isRead", true}, {"readAt", rows::json_time(now)}}, ctx.service_center_id);
    }
    return service::render_entity(tx, notification_list_spec(), id, kEntity);
  });
}

Json mark_all_read(Env& env, const Context& ctx, const Json& req) {
  ctx.require("notifications:update");
  require_user(ctx);
  const auto category = request::Fields(req).opt_str("category", 64);
  return env.store->write([&](storage::Transaction& tx) {
    std::string where = " WHERE user_id = ? AND is_read = 0";
    std::vector<storage::Value> params{ctx.user_id};
    if (category) {
      where += " AND category = ?";
      params.emplace_back(*category);
    }
    const int64_t n =
        tx.query_one("SELECT COUNT(*) AS n FROM notifications" + where, params)->i64("n");
    if (n > 0) {
      std::vector<storage::Value> update{ctx.now().unix_micros()};
      update.insert(update.end(), params.begin(), params.end());
      tx.exec("UPDATE notifications SET is_read = 1, read_at = ?" + where, update);
      Json marked{{"count", n}};
      if (category) marked["category"] = *category;
      audit::record(tx, ctx, "READ_ALL", "notifications", ctx.user_id, Json::object(), marked,
                    ctx.service_center_id);
    }
    return Json{{"updated", n}};
  });
}

Json delete_notification(Env& env, const Context& ctx, const Json& req) {
  ctx.require("notifications:update");
  require_user(ctx);
  const std::string id = request::Fields(req).str("id", 1, 100);
  return env.store->write([&](storage::Transaction& tx) {
    load_own(tx, ctx, id, true);
    const Json before = service::render_entity(tx, notification_list_spec(), id, kEntity);
    tx.exec("DELETE FROM notifications WHERE id = ?", {id});
    audit::record(tx, ctx, "DELETE", kEntity, id, before, Json::object(), ctx.service_center_id);
    return Json{{"message", "Notification deleted"}};
  });
}

// ---- Preferences --------------------------------------------------------------------------------

// Every (type, channel) a staff member may receive, with what the caller has chosen.
Json preferences_document(storage::Transaction& tx, const Context& ctx) {
  std::map<std::pair<std::string, std::string>, bool> stored;
  for (const auto& row :
       tx.query("SELECT notification_type, channel, enabled FROM notification_preferences WHERE "
                "user_id = ?",
                {ctx.user_id})) {
    stored[{row.str("notification_type"), row.str("channel")}] = row.flag("enabled");
  }
  Json list = Json::array();
  for (const NotificationType& type : notification_types()) {
    if (type.direct) continue;
    for (Delivery d : kDeliveries) {
      if (!type.staff_may(d)) continue;
      const auto it = stored.find({type.name, delivery_name(d)});
      list.push_back({{"notificationType", type.name},
                      {"description", type.description},
                      {"category", type.category},
                      {"channel", delivery_name(d)},
                      {"enabled", it == stored.end() ? type.default_for(d) : it->second},
                      {"isDefault", it == stored.end()}});
    }
  }
  return Json{{"preferences", std::move(list)}};
}

Json get_preferences(Env& env, const Context& ctx, const Json&) {
  ctx.require("notifications:read");
  require_user(ctx);
  return env.store->read([&](storage::Transaction& tx) { return preferences_document(tx, ctx); });
}

struct PreferenceChange {
  std::string type;
  std::string channel;
  bool enabled;
};

std::vector<PreferenceChange> read_changes(const request::Fields& f) {
  std::vector<PreferenceChange> changes;
  const Json& items = f.array("preferences", 200);
  for (size_t i = 0; i < items.size(); ++i) {
    const request::Fields item = f.element("preferences", i);
    const std::string type_name = item.str("notificationType", 1, 64);
    const NotificationType* type = find_notification_type(type_name);
    if (type == nullptr) {
      throw Error::Validation(item.path("notificationType"),
                              "unknown notification type " + type_name);
    }
    if (type->direct) {
      throw Error::Validation(item.path("notificationType"),
                              type_name + " is always sent: it has no preference");
    }
    const std::string channel = item.one_of("channel", {"in_app", "email", "sms"});
    if (!type->staff_may(*parse_delivery(channel))) {
      throw Error::Validation(item.path("channel"),
                              type_name + " is not sent to users by " + channel);
    }
    if (!item.has("enabled")) throw Error::Validation(item.path("enabled"), "enabled is required");
    changes.push_back({type_name, channel, item.boolean("enabled", true)});
  }
  return changes;
}

Json update_preferences(Env& env, const Context& ctx, const Json& req) {
  ctx.require("notifications:update");
  require_user(ctx);
  const std::vector<PreferenceChange> changes = read_changes(request::Fields(req));
  return env.store->write([&](storage::Transaction& tx) {
    const Json before = preferences_document(tx, ctx);
    const int64_t now = ctx.now().unix_micros();
    Json changed = Json::array();
    for (const auto& c : changes) {
      const std::vector<storage::Value> key{ctx.user_id, c.type, c.channel};
      const int64_t enabled = c.enabled ? 1 : 0;
      if (tx.query_one("SELECT enabled FROM notification_preferences WHERE user_id = ? AND "
                       "notification_type = ? AND channel = ?",
                       key)) {
        tx.exec(
            "UPDATE notification_preferences SET enabled = ?, updated_at = ? WHERE user_id = "
            "? AND notification_type = ? AND channel = ?",
            {enabled, now, ctx.user_id, c.type, c.channel});
      } else {
        tx.exec(
            "INSERT INTO notification_preferences (user_id, notification_type, channel, "
            "enabled, updated_at) VALUES (?, ?, ?, ?, ?)",
            {ctx.user_id, c.type, c.channel, enabled, now});
      }
      changed.push_back(
          {{"notificationType", c.type}, {"channel", c.channel}, {"enabled", c.enabled}});
    }
    Json after = preferences_document(tx, ctx);
    if (before != after) {
      audit::record(tx, ctx, "UPDATE", "notification_preferences", ctx.user_id, Json::object(),
                    {{"preferences", changed}}, ctx.service_center_id);
    }
    return after;
  });
}

const service::MethodRegistration kList("notifications.List", list_notifications,
                                        notification_list_spec);
const service::MethodRegistration kGet("notifications.Get", get_notification);
const service::MethodRegistration kUnreadCount("notifications.UnreadCount", unread_count);
const service::MethodRegistration kMarkRead("notifications.MarkRead", mark_read);
const service::MethodRegistration kMarkAllRead("notifications.MarkAllRead", mark_all_read);
const service::MethodRegistration kDelete("notifications.Delete", delete_notification);
const service::MethodRegistration kGetPreferences("notifications.GetPreferences", get_preferences);
const service::MethodRegistration kUpdatePreferences("notifications.UpdatePreferences",
                                                     update_preferences);

}  // namespace
}  // namespace dms::notify
