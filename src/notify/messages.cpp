#include "notify/messages.hpp"

#include <vector>

namespace dms::notify {
namespace {

const storage::MigrationRegistration kOutboundMessages({130, "outbound messages", R"SQL(
CREATE TABLE outbound_messages (
  id {{ID}},
  channel TEXT NOT NULL,
  recipient TEXT NOT NULL,
  subject TEXT NOT NULL,
  body TEXT NOT NULL,
  purpose TEXT NOT NULL,
  user_id TEXT,
  sensitive BIGINT NOT NULL,
  created_at BIGINT NOT NULL,
  sent_at BIGINT,
  attempts BIGINT NOT NULL DEFAULT 0,
  last_error TEXT
);
CREATE INDEX idx_outbound_messages_pending ON outbound_messages(sent_at, id)
)SQL"});

Message message_of(const storage::Row& row) {
  Message m;
  m.channel = parse_channel(row.str("channel")).value_or(ChannelKind::kEmail);
  m.recipient = row.str("recipient");
  m.subject = row.str("subject");
  m.body = row.str("body");
  m.purpose = row.str("purpose");
  m.user_id = row.opt_str("user_id");
  m.sensitive = row.flag("sensitive");
  return m;
}

}  // namespace

const char* channel_name(ChannelKind kind) {
  return kind == ChannelKind::kSms ? "sms" : "email";
}

std::optional<ChannelKind> parse_channel(std::string_view name) {
  if (name == "email") return ChannelKind::kEmail;
  if (name == "sms") return ChannelKind::kSms;
  return std::nullopt;
}

int64_t enqueue(storage::Transaction& tx, const Context& ctx, const Message& message) {
  const storage::Value user_id =
      message.user_id ? storage::Value(*message.user_id) : storage::null_value();
  const auto row = tx.query_one(
      "INSERT INTO outbound_messages (channel, recipient, subject, body, purpose, user_id, "
      "sensitive, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
      {std::string(channel_name(message.channel)), message.recipient, message.subject, message.body,
       message.purpose, user_id, int64_t{message.sensitive ? 1 : 0}, ctx.now().unix_micros()});
  return row ? row->i64("id") : 0;
}

int deliver_pending(storage::Store& store, const Clock& clock, Channel* email, Channel* sms,
                    int max_messages) {
  const storage::Rows pending = store.read([&](storage::Transaction& tx) {
    return tx.query("SELECT * FROM outbound_messages WHERE sent_at IS NULL ORDER BY id LIMIT ?",
                    {int64_t{max_messages}});
  });
  int delivered = 0;
  for (const storage::Row& row : pending) {
    const Message message = message_of(row);
    Channel* channel = message.channel == ChannelKind::kSms ? sms : email;
    if (channel == nullptr) continue;
    std::string error;
    try {
      channel->deliver(message);
    } catch (const std::exception& e) {
      error = e.what();
    }
    const int64_t id = row.i64("id");
    store.write([&](storage::Transaction& tx) {
      if (!error.empty()) {
        tx.exec("UPDATE outbound_messages SET attempts = attempts + 1, last_error = ? WHERE id = ?",
                {error, id});
        return;
      }
      tx.exec(
          "UPDATE outbound_messages SET sent_at = ?, attempts = attempts + 1, last_error = NULL, "
          "body = CASE WHEN sensitive = 1 THEN '' ELSE body END WHERE id = ?",
          {clock.now().unix_micros(), id});
    });
    if (error.empty()) ++delivered;
  }
  return delivered;
}

}  // namespace dms::notify
