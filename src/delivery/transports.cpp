#include "delivery/transports.hpp"

#include <curl/curl.h>
#include <sodium.h>

#include <cstdio>
#include <ctime>
#include <mutex>
#include <stdexcept>
#include <vector>

#include "dms/json.hpp"

namespace dms::delivery {
namespace {

void global_init() {
  static std::once_flag once;
  std::call_once(once, [] {
    curl_global_init(CURL_GLOBAL_DEFAULT);
    if (sodium_init() < 0) throw std::runtime_error("libsodium failed to initialise");
  });
}

bool is_ascii(std::string_view text) {
  for (unsigned char c : text) {
    if (c >= 0x80) return false;
  }
  return true;
}

// A header value on one line: CR, LF and other controls become spaces (no header injection).
std::string one_line(std::string_view text) {
  std::string out;
  for (unsigned char c : text) out += (c < 0x20 || c == 0x7f) ? ' ' : static_cast<char>(c);
  return out;
}

std::string base64(std::string_view bytes) {
  if (bytes.empty()) return {};
  std::string out(sodium_base64_encoded_len(bytes.size(), sodium_base64_VARIANT_ORIGINAL), '\0');
  sodium_bin2base64(out.data(), out.size(), reinterpret_cast<const unsigned char*>(bytes.data()),
                    bytes.size(), sodium_base64_VARIANT_ORIGINAL);
  out.resize(out.size() - 1);  // the terminating NUL
  return out;
}

// Base64 text in lines of 76 characters (RFC 2045), CRLF after each.
std::string wrapped(std::string_view b64) {
  std::string out;
  for (size_t at = 0; at < b64.size(); at += 76) {
    out.append(b64.substr(at, 76));
    out += "\r\n";
  }
  return out;
}

// RFC 2047 encoded word for a non-ASCII header value.
std::string header_text(std::string_view text) {
  const std::string line = one_line(text);
  if (is_ascii(line)) return line;
  return "=?UTF-8?B?" + base64(line) + "?=";
}

// The address inside "Name <addr>", or the whole text.
std::string address_of(std::string_view text) {
  const size_t open = text.rfind('<');
  const size_t close = text.rfind('>');
  if (open != std::string_view::npos && close != std::string_view::npos && close > open) {
    return std::string(text.substr(open + 1, close - open - 1));
  }
  return std::string(text);
}

std::string domain_of(std::string_view address) {
  const size_t at = address.rfind('@');
  if (at == std::string_view::npos || at + 1 >= address.size()) return "localhost";
  return one_line(address.substr(at + 1));
}

std::string rfc5322_date(Timestamp now) {
  const std::time_t seconds = static_cast<std::time_t>(now.unix_micros() / 1000000);
  std::tm tm{};
  gmtime_r(&seconds, &tm);
  static const char* const kDays[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  static const char* const kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                        "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%s, %02d %s %04d %02d:%02d:%02d +0000", kDays[tm.tm_wday],
                tm.tm_mday, kMonths[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour, tm.tm_min,
                tm.tm_sec);
  return buffer;
}

// Body text with CRLF line ends.
std::string crlf(std::string_view text) {
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\r') continue;
    if (text[i] == '\n') {
      out += "\r\n";
    } else {
      out += text[i];
    }
  }
  if (out.size() < 2 || out.compare(out.size() - 2, 2, "\r\n") != 0) out += "\r\n";
  return out;
}

bool has_long_line(std::string_view text) {
  size_t run = 0;
  for (char c : text) {
    run = c == '\n' ? 0 : run + 1;
    if (run > 900) return true;
  }
  return false;
}

// The text part: 7bit when it can be, base64 otherwise (UTF-8 or very long lines).
std::string text_part(std::string_view body) {
  std::string out = "Content-Type: text/plain; charset=UTF-8\r\n";
  if (is_ascii(body) && !has_long_line(body)) {
    out += "Content-Transfer-Encoding: 7bit\r\n\r\n" + crlf(body);
  } else {
    out += "Content-Transfer-Encoding: base64\r\n\r\n" + wrapped(base64(crlf(body)));
  }
  return out;
}

// A filename parameter: quoted ASCII, or RFC 2231 percent-encoded UTF-8.
std::string filename_parameter(std::string_view name) {
  std::string safe;
  for (unsigned char c : name) {
    if (c < 0x20 || c == 0x7f || c == '"' || c == '\\' || c == '/') {
      safe += '_';
    } else {
      safe += static_cast<char>(c);
    }
  }
  if (safe.empty()) safe = "attachment";
  if (is_ascii(safe)) return "filename=\"" + safe + "\"";
  std::string encoded = "filename*=UTF-8''";
  static const char* const kHex = "0123456789ABCDEF";
  for (unsigned char c : safe) {
    if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' ||
        c == '-' || c == '_') {
      encoded += static_cast<char>(c);
    } else {
      encoded += '%';
      encoded += kHex[c >> 4];
      encoded += kHex[c & 15];
    }
  }
  return encoded;
}

std::string content_type_of(std::string_view type) {
  const std::string t = one_line(type);
  return t.empty() || t.find(';') != std::string::npos ? "application/octet-stream" : t;
}

size_t collect(char* data, size_t size, size_t count, void* user) {
  auto* out = static_cast<std::string*>(user);
  const size_t n = size * count;
  if (out->size() < 64 * 1024) out->append(data, std::min(n, 64 * 1024 - out->size()));
  return n;
}

struct Upload {
  const std::string* text;
  size_t at = 0;
};

size_t read_upload(char* buffer, size_t size, size_t count, void* user) {
  auto* upload = static_cast<Upload*>(user);
  const size_t n = std::min(size * count, upload->text->size() - upload->at);
  std::copy_n(upload->text->data() + upload->at, n, buffer);
  upload->at += n;
  return n;
}

struct SlistDeleter {
  void operator()(curl_slist* list) const { curl_slist_free_all(list); }
};
using Slist = std::unique_ptr<curl_slist, SlistDeleter>;

class CurlTransport : public Transport {
 public:
  explicit CurlTransport(const DeliverySettings& settings) : settings_(settings) {
    global_init();
    curl_ = curl_easy_init();
    if (curl_ == nullptr) throw std::runtime_error("curl_easy_init failed");
  }
  ~CurlTransport() override { curl_easy_cleanup(curl_); }
  CurlTransport(const CurlTransport&) = delete;
  CurlTransport& operator=(const CurlTransport&) = delete;

 protected:
  // Common options for one transfer; the connection stays in the handle's cache.
  void reset(int timeout_seconds) {
    curl_easy_reset(curl_);
    error_[0] = '\0';
    curl_easy_setopt(curl_, CURLOPT_ERRORBUFFER, error_);
    curl_easy_setopt(curl_, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(curl_, CURLOPT_CONNECTTIMEOUT, static_cast<long>(timeout_seconds));
    curl_easy_setopt(curl_, CURLOPT_TIMEOUT, static_cast<long>(timeout_seconds));
  }
  void perform(const char* what) {
    const CURLcode code = curl_easy_perform(curl_);
    if (code != CURLE_OK) {
      const std::string detail = error_[0] != '\0' ? error_ : curl_easy_strerror(code);
      throw std::runtime_error(redact(settings_, std::string(what) + " failed: " + detail));
    }
  }

  DeliverySettings settings_;
  CURL* curl_ = nullptr;
  char error_[CURL_ERROR_SIZE] = {};
};

class SmtpTransport final : public CurlTransport {
 public:
  using CurlTransport::CurlTransport;

  void send(const Outgoing& message, Timestamp now) override {
    const SmtpSettings& smtp = settings_.smtp;
    const std::string recipient = one_line(message.message.recipient);
    if (recipient.empty() || recipient.find_first_of("<> ") != std::string::npos) {
      throw std::runtime_error("invalid e-mail recipient");
    }
    const std::string text = mime_message(smtp, message, now);
    reset(smtp.timeout_seconds);
    curl_easy_setopt(curl_, CURLOPT_URL, smtp.url.c_str());
    curl_easy_setopt(curl_, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
    if (smtp.starttls) curl_easy_setopt(curl_, CURLOPT_USE_SSL, static_cast<long>(CURLUSESSL_ALL));
    if (!smtp.username.empty()) {
      curl_easy_setopt(curl_, CURLOPT_USERNAME, smtp.username.c_str());
      curl_easy_setopt(curl_, CURLOPT_PASSWORD, smtp.password.c_str());
    }
    const std::string from = "<" + address_of(smtp.from) + ">";
    curl_easy_setopt(curl_, CURLOPT_MAIL_FROM, from.c_str());
    Slist rcpt(curl_slist_append(nullptr, ("<" + recipient + ">").c_str()));
    curl_easy_setopt(curl_, CURLOPT_MAIL_RCPT, rcpt.get());
    Upload upload{&text};
    curl_easy_setopt(curl_, CURLOPT_READFUNCTION, read_upload);
    curl_easy_setopt(curl_, CURLOPT_READDATA, &upload);
    curl_easy_setopt(curl_, CURLOPT_UPLOAD, 1L);
    curl_easy_setopt(curl_, CURLOPT_INFILESIZE_LARGE, static_cast<curl_off_t>(text.size()));
    perform("SMTP delivery");
  }
};

class SmsTransport final : public CurlTransport {
 public:
  using CurlTransport::CurlTransport;

  void send(const Outgoing& message, Timestamp) override {
    const SmsGatewaySettings& sms = settings_.sms;
    const std::string body = sms_request_body(sms, message);
    reset(sms.timeout_seconds);
    curl_easy_setopt(curl_, CURLOPT_URL, sms.url.c_str());
    curl_easy_setopt(curl_, CURLOPT_PROTOCOLS_STR, "http,https");
    Slist headers;
    bool has_content_type = false;
    for (const auto& [name, value] : sms.headers) {
      std::string lower;
      for (char c : name) lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      if (lower == "content-type") has_content_type = true;
      headers.reset(
          curl_slist_append(headers.release(), (one_line(name) + ": " + one_line(value)).c_str()));
    }
    if (!has_content_type) {
      headers.reset(curl_slist_append(headers.release(), "Content-Type: application/json"));
    }
    curl_easy_setopt(curl_, CURLOPT_HTTPHEADER, headers.get());
    curl_easy_setopt(curl_, CURLOPT_POSTFIELDS, body.c_str());
    curl_easy_setopt(curl_, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
    if (sms.method != "POST") curl_easy_setopt(curl_, CURLOPT_CUSTOMREQUEST, sms.method.c_str());
    std::string response;
    curl_easy_setopt(curl_, CURLOPT_WRITEFUNCTION, collect);
    curl_easy_setopt(curl_, CURLOPT_WRITEDATA, &response);
    perform("SMS gateway request");
    long status = 0;
    curl_easy_getinfo(curl_, CURLINFO_RESPONSE_CODE, &status);
    if (status < 200 || status > 299) {
      throw std::runtime_error(redact(settings_, "SMS gateway answered " + std::to_string(status) +
                                                     ": " + one_line(response.substr(0, 200))));
    }
  }
};

}  // namespace

std::string json_string_content(std::string_view text) {
  const std::string quoted = json_text(Json(std::string(text)));
  return quoted.substr(1, quoted.size() - 2);
}

std::string sms_request_body(const SmsGatewaySettings& sms, const Outgoing& message) {
  const std::pair<std::string_view, std::string> values[] = {
      {"{{to}}", json_string_content(message.message.recipient)},
      {"{{body}}", json_string_content(message.message.body)},
      {"{{messageId}}", json_string_content(message.message_id)},
  };
  std::string out;
  const std::string& t = sms.body_template;
  for (size_t at = 0; at < t.size();) {
    bool replaced = false;
    for (const auto& [placeholder, value] : values) {
      if (t.compare(at, placeholder.size(), placeholder) == 0) {
        out += value;
        at += placeholder.size();
        replaced = true;
        break;
      }
    }
    if (!replaced) out += t[at++];
  }
  return out;
}

std::string mime_message(const SmtpSettings& smtp, const Outgoing& message, Timestamp now) {
  global_init();
  const notify::Message& m = message.message;
  std::string out;
  out += "Date: " + rfc5322_date(now) + "\r\n";
  out += "From: " + header_text(smtp.from) + "\r\n";
  out += "To: " + one_line(m.recipient) + "\r\n";
  out += "Subject: " + header_text(m.subject) + "\r\n";
  out += "Message-ID: <" + one_line(message.message_id) + "@" + domain_of(address_of(smtp.from)) +
         ">\r\n";
  out += "MIME-Version: 1.0\r\n";
  if (m.attachments.empty()) return out + text_part(m.body);
  const std::string boundary = "=_dms_" + one_line(message.message_id);
  out += "Content-Type: multipart/mixed; boundary=\"" + boundary + "\"\r\n\r\n";
  out += "--" + boundary + "\r\n" + text_part(m.body);
  for (const notify::Attachment& a : m.attachments) {
    out += "--" + boundary + "\r\n";
    out += "Content-Type: " + content_type_of(a.content_type) + "\r\n";
    out += "Content-Disposition: attachment; " + filename_parameter(a.filename) + "\r\n";
    out += "Content-Transfer-Encoding: base64\r\n\r\n";
    out += wrapped(base64(a.content));
  }
  out += "--" + boundary + "--\r\n";
  return out;
}

std::unique_ptr<Transport> make_smtp_transport(const DeliverySettings& settings) {
  return std::make_unique<SmtpTransport>(settings);
}

std::unique_ptr<Transport> make_sms_transport(const DeliverySettings& settings) {
  return std::make_unique<SmsTransport>(settings);
}

}  // namespace dms::delivery
