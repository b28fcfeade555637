#include "notify/messages.hpp"

#include <vector>

#include "delivery/dispatcher.hpp"

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
  if (!row) return 0;
  const int64_t id = row->i64("id");
  delivery::prepare_enqueued(tx, id, message, ctx.now());  // the Message-ID, attachments
  return id;
}

}  // namespace dms::notify
