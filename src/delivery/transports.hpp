// The transports of the dispatcher (src/delivery/dispatcher.hpp), on libcurl.
//
// SMTP: smtp:// (optionally STARTTLS, CURLOPT_USE_SSL) or smtps://, AUTH with the configured
// username and password, MAIL FROM / RCPT TO, and an RFC 5322 message: From, To, Subject
// (RFC 2047 encoded when not ASCII), Date, Message-ID (<token@sender's domain>, the same on every
// retry), MIME-Version, a UTF-8 text body, attachments as base64 parts of multipart/mixed.
// SMS: an HTTP request to the provider's URL with its headers and a JSON body from the template
// ({{to}}, {{body}}, {{messageId}}); a 2xx answer is success, anything else a failed attempt.
// Both set connect and transfer timeouts and never print credentials (errors are redacted).
//
// Thread-safety: a transport is used by one thread at a time (it keeps its curl handle, so the
// connection to the server is reused from one message to the next).
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "delivery/dispatcher.hpp"

namespace dms::delivery {

std::unique_ptr<Transport> make_smtp_transport(const DeliverySettings& settings);
std::unique_ptr<Transport> make_sms_transport(const DeliverySettings& settings);

// The e-mail as sent (headers and body, CRLF line ends), for tests.
std::string mime_message(const SmtpSettings& smtp, const Outgoing& message, Timestamp now);
// The gateway request body of an SMS.
std::string sms_request_body(const SmsGatewaySettings& sms, const Outgoing& message);
// `text` escaped for the inside of a JSON string, as dms::json_text writes it (no quotes added).
std::string json_string_content(std::string_view text);

}  // namespace dms::delivery
