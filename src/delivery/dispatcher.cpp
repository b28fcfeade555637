#include "delivery/dispatcher.hpp"

#include <sodium.h>
#include <unistd.h>

#include <exception>
#include <map>
#include <utility>

#include "delivery/transports.hpp"
#include "delivery/workflows.hpp"

namespace dms::delivery {
namespace {

std::string name(MessageStatus s) {
  return kMessageFlow.name(s);
}

std::string from_base64(const std::string& text) {
  std::string out(text.size(), '\0');
  size_t length = 0;
  if (sodium_base642bin(reinterpret_cast<unsigned char*>(out.data()), out.size(), text.data(),
                        text.size(), nullptr, &length, nullptr,
                        sodium_base64_VARIANT_ORIGINAL) != 0) {
    return {};
  }
  out.resize(length);
  return out;
}

std::string to_base64(const std::string& bytes) {
  if (bytes.empty()) return {};
  std::string out(sodium_base64_encoded_len(bytes.size(), sodium_base64_VARIANT_ORIGINAL), '\0');
  sodium_bin2base64(out.data(), out.size(), reinterpret_cast<const unsigned char*>(bytes.data()),
                    bytes.size(), sodium_base64_VARIANT_ORIGINAL);
  out.resize(out.size() - 1);
  return out;
}

void replace_all(std::string& text, const std::string& secret) {
  if (secret.size() < 3) return;  // "" or a trivial value would mangle the text
  for (size_t at = text.find(secret); at != std::string::npos; at = text.find(secret, at + 3)) {
    text.replace(at, secret.size(), "***");
  }
}

// The user information of a URL ("smtp://user:pass@host" -> "user:pass").
std::string userinfo(const std::string& url) {
  const size_t scheme = url.find("://");
  if (scheme == std::string::npos) return {};
  const size_t start = scheme + 3;
  const size_t end = url.find_first_of("/?#", start);
  const size_t at = url.rfind('@', end == std::string::npos ? std::string::npos : end);
  if (at == std::string::npos || at < start) return {};
  return url.substr(start, at - start);
}

// The parameter values of a URL's query ("?apikey=XYZ&sender=D" -> XYZ, D): gateways take keys
// there.
std::vector<std::string> query_values(const std::string& url) {
  std::vector<std::string> out;
  const size_t query = url.find('?');
  if (query == std::string::npos) return out;
  const size_t end = url.find('#', query);
  const std::string q = url.substr(query + 1, end == std::string::npos ? end : end - query - 1);
  for (size_t at = 0; at <= q.size();) {
    size_t amp = q.find('&', at);
    if (amp == std::string::npos) amp = q.size();
    const std::string pair = q.substr(at, amp - at);
    const size_t eq = pair.find('=');
    if (eq != std::string::npos) out.push_back(pair.substr(eq + 1));
    at = amp + 1;
  }
  return out;
}

}  // namespace

Json batch_json(const BatchResult& r) {
  return {{"claimed", r.claimed},
          {"sent", r.sent},
          {"retried", r.retried},
          {"dead", r.dead},
          {"expired", r.expired}};
}

int64_t retry_delay_seconds(const RetrySettings& retry, int64_t attempts) {
  int64_t delay = std::max<int64_t>(retry.base_delay_seconds, 0);
  const int64_t cap = std::max<int64_t>(retry.max_delay_seconds, 0);
  for (int64_t i = 1; i < attempts && delay < cap; ++i) {
    delay = retry.factor > 0 && delay > cap / retry.factor ? cap : delay * retry.factor;
  }
  return std::min(delay, cap);
}

std::string redact(const DeliverySettings& settings, std::string text) {
  replace_all(text, settings.smtp.password);
  replace_all(text, settings.smtp.username);
  for (const auto& header : settings.sms.headers) replace_all(text, header.second);
  replace_all(text, userinfo(settings.smtp.url));
  replace_all(text, userinfo(settings.sms.url));
  for (const std::string& value : query_values(settings.sms.url)) replace_all(text, value);
  return text;
}

Dispatcher::Dispatcher(storage::Store& store, const Clock& clock, DeliverySettings settings,
                       std::unique_ptr<Transport> email, std::unique_ptr<Transport> sms)
    : store_(store),
      clock_(clock),
      settings_(std::move(settings)),
      email_(std::move(email)),
      sms_(std::move(sms)),
      owner_(std::to_string(::getpid()) + "-" + storage::new_id()) {}

std::unique_ptr<Dispatcher> Dispatcher::from_settings(storage::Store& store, const Clock& clock,
                                                      const DeliverySettings& settings) {
  return std::make_unique<Dispatcher>(
      store, clock, settings, settings.smtp.url.empty() ? nullptr : make_smtp_transport(settings),
      settings.sms.url.empty() ? nullptr : make_sms_transport(settings));
}

Transport* Dispatcher::transport_for(notify::ChannelKind channel) const {
  return channel == notify::ChannelKind::kSms ? sms_.get() : email_.get();
}

std::vector<Outgoing> Dispatcher::claim() {
  std::vector<storage::Value> channels;
  if (email_) channels.emplace_back(std::string(notify::channel_name(notify::ChannelKind::kEmail)));
  if (sms_) channels.emplace_back(std::string(notify::channel_name(notify::ChannelKind::kSms)));
  if (channels.empty() || settings_.batch_size <= 0) return {};
  const int64_t now = clock_.now().unix_micros();
  const int64_t lease_until = now + settings_.lease_seconds * 1000000;
  return store_.write([&](storage::Transaction& tx) {
    std::string in = "?";
    for (size_t i = 1; i < channels.size(); ++i) in += ", ?";
    const bool pg = tx.engine() == storage::Engine::kPostgres;
    // The candidates, then the claim, in one statement. PostgreSQL: rows another dispatcher has
    // locked are skipped, not waited for.
    const std::string sql =
        "UPDATE outbound_messages SET status = ?, lease_owner = ?, lease_expires_at = ?, "
        "attempts = attempts + 1 WHERE id IN (SELECT id FROM outbound_messages WHERE channel IN (" +
        in +
        ") AND ((status = ? AND next_attempt_at <= ?) OR (status = ? AND lease_expires_at <= ?)) "
        "ORDER BY id LIMIT ?" +
        std::string(pg ? " FOR UPDATE SKIP LOCKED" : "") +
        ") RETURNING id, channel, recipient, subject, body, purpose, user_id, sensitive, "
        "attempts, message_id";
    std::vector<storage::Value> params = {name(MessageStatus::kSending), owner_, lease_until};
    params.insert(params.end(), channels.begin(), channels.end());
    params.insert(params.end(), {name(MessageStatus::kQueued), now, name(MessageStatus::kSending),
                                 now, int64_t{settings_.batch_size}});
    std::map<int64_t, Outgoing> claimed;
    for (const storage::Row& row : tx.query(sql, params)) {
      Outgoing o;
      o.id = row.i64("id");
      o.message_id = row.opt_str("message_id").value_or("outbox-" + std::to_string(o.id));
      o.attempts = row.i64("attempts");
      o.lease_expires_at = lease_until;
      o.message.channel =
          notify::parse_channel(row.str("channel")).value_or(notify::ChannelKind::kEmail);
      o.message.recipient = row.str("recipient");
      o.message.subject = row.str("subject");
      o.message.body = row.str("body");
      o.message.purpose = row.str("purpose");
      o.message.user_id = row.opt_str("user_id");
      o.message.sensitive = row.flag("sensitive");
      claimed.emplace(o.id, std::move(o));
    }
    if (!claimed.empty()) {
      std::string ids = "?";
      std::vector<storage::Value> id_params = {claimed.begin()->first};
      for (auto it = std::next(claimed.begin()); it != claimed.end(); ++it) {
        ids += ", ?";
        id_params.emplace_back(it->first);
      }
      for (const storage::Row& row :
           tx.query("SELECT message_id, filename, content_type, content_base64 FROM "
                    "outbound_message_attachments WHERE message_id IN (" +
                        ids + ") ORDER BY message_id, position",
                    id_params)) {
        claimed[row.i64("message_id")].message.attachments.push_back(
            {row.str("filename"), row.str("content_type"), from_base64(row.str("content_base64"))});
      }
    }
    std::vector<Outgoing> out;
    for (auto& entry : claimed) out.push_back(std::move(entry.second));
    return out;
  });
}

void Dispatcher::mark_sent(const Outgoing& message) {
  const int64_t now = clock_.now().unix_micros();
  store_.write([&](storage::Transaction& tx) {
    // Whoever holds the lease now: the message did go out.
    tx.exec(
        "UPDATE outbound_messages SET status = ?, sent_at = ?, lease_owner = NULL, "
        "lease_expires_at = NULL, last_error = NULL, "
        "body = CASE WHEN sensitive = 1 THEN '' ELSE body END WHERE id = ? AND status <> ?",
        {name(MessageStatus::kSent), now, message.id, name(MessageStatus::kSent)});
  });
}

bool Dispatcher::mark_failed(const Outgoing& message, const std::string& error) {
  const int64_t now = clock_.now().unix_micros();
  const bool dead = message.attempts >= settings_.retry.max_attempts;
  const std::string shown = redact(settings_, error).substr(0, 500);
  store_.write([&](storage::Transaction& tx) {
    if (dead) {
      tx.exec(
          "UPDATE outbound_messages SET status = ?, dead_at = ?, last_error = ?, lease_owner = "
          "NULL, lease_expires_at = NULL, body = CASE WHEN sensitive = 1 THEN '' ELSE body END "
          "WHERE id = ? AND status = ? AND lease_owner = ?",
          {name(MessageStatus::kDead), now, shown, message.id, name(MessageStatus::kSending),
           owner_});
    } else {
      const int64_t next = now + retry_delay_seconds(settings_.retry, message.attempts) * 1000000;
      tx.exec(
          "UPDATE outbound_messages SET status = ?, next_attempt_at = ?, last_error = ?, "
          "lease_owner = NULL, lease_expires_at = NULL WHERE id = ? AND status = ? AND "
          "lease_owner = ?",
          {name(MessageStatus::kQueued), next, shown, message.id, name(MessageStatus::kSending),
           owner_});
    }
  });
  return dead;
}

bool Dispatcher::deliver(const Outgoing& message, BatchResult* result) {
  Transport* transport = transport_for(message.message.channel);
  std::string error;
  try {
    if (transport == nullptr) throw std::runtime_error("no transport for this channel");
    transport->send(message, clock_.now());
  } catch (const std::exception& e) {
    error = e.what();
    if (error.empty()) error = "delivery failed";
  }
  if (error.empty()) {
    mark_sent(message);
    if (result) ++result->sent;
    return true;
  }
  const bool dead = mark_failed(message, error);
  if (result) ++(dead ? result->dead : result->retried);
  return false;
}

BatchResult Dispatcher::run_batch() {
  BatchResult result;
  const std::vector<Outgoing> claimed = claim();
  result.claimed = static_cast<int>(claimed.size());
  for (const Outgoing& message : claimed) {
    // A message whose lease ran out (slow sends before it) may already be another's: skip it.
    if (clock_.now().unix_micros() >= message.lease_expires_at) {
      ++result.expired;
      continue;
    }
    deliver(message, &result);
  }
  return result;
}

void prepare_enqueued(storage::Transaction& tx, int64_t id, const notify::Message& message,
                      Timestamp now) {
  if (sodium_init() < 0) throw std::runtime_error("libsodium failed to initialise");
  tx.exec("UPDATE outbound_messages SET message_id = ?, next_attempt_at = ? WHERE id = ?",
          {storage::new_id(), now.unix_micros(), id});
  int64_t position = 0;
  for (const notify::Attachment& a : message.attachments) {
    tx.exec(
        "INSERT INTO outbound_message_attachments (message_id, position, filename, content_type, "
        "content_base64, size_bytes) VALUES (?, ?, ?, ?, ?, ?)",
        {id, position++, a.filename, a.content_type, to_base64(a.content),
         static_cast<int64_t>(a.content.size())});
  }
}

}  // namespace dms::delivery
