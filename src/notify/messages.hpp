// Messages to people (e-mail, SMS): queued in the sender's transaction, delivered after commit.
//
// Services never talk to a mail server inside a transaction: a transaction may roll back or be
// re-run (PostgreSQL retries), and a message must go out exactly when its cause commits. So
// enqueue() writes an `outbound_messages` row in the caller's transaction (the outbox), and the
// dispatcher (src/delivery/dispatcher.hpp) later sends committed rows by SMTP or the SMS gateway,
// at least once, with retries. Bodies of sensitive messages (temporary passwords, reset codes)
// are erased once sent or dead-lettered.
//
// Thread-safety: enqueue() uses only the caller's transaction.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "dms/context.hpp"
#include "storage/store.hpp"

namespace dms::notify {

enum class ChannelKind { kEmail, kSms };
const char* channel_name(ChannelKind kind);  // "email", "sms"
std::optional<ChannelKind> parse_channel(std::string_view name);

// A file sent with an e-mail (an invoice PDF); SMS gateways ignore attachments.
struct Attachment {
  std::string filename;      // "INV-PUN-2026-00042.pdf"
  std::string content_type;  // "application/pdf"
  std::string content;       // the bytes
};

struct Message {
  ChannelKind channel = ChannelKind::kEmail;
  std::string recipient;  // an e-mail address or an E.164 phone number
  std::string subject;    // e-mail only; SMS gateways ignore it
  std::string body;
  std::string purpose;                  // "temporary_password", "password_reset", ...
  std::optional<std::string> user_id;   // the recipient's account, when there is one
  bool sensitive = false;               // the body carries a secret: erased after delivery
  std::vector<Attachment> attachments;  // e-mail only
};

// Queues `message` in the caller's transaction; returns its outbox id.
int64_t enqueue(storage::Transaction& tx, const Context& ctx, const Message& message);

}  // namespace dms::notify
