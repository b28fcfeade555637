// The delivery and background settings of the open options (docs/settings.md).
#include <string>

#include "dms/database.hpp"
#include "dms/error.hpp"

namespace dms {
namespace {

[[noreturn]] void bad(const std::string& path, const std::string& what) {
  throw Error::Validation(path, path + ": " + what);
}

const Json& object_at(const Json& doc, const std::string& path) {
  if (!doc.is_object()) bad(path, "must be an object");
  return doc;
}

std::string text(const Json& value, const std::string& path) {
  if (!value.is_string()) bad(path, "must be a string");
  return value.get<std::string>();
}

int64_t integer(const Json& value, const std::string& path, int64_t min, int64_t max) {
  if (!value.is_number_integer()) bad(path, "must be an integer");
  const int64_t n = value.get<int64_t>();
  if (n < min || n > max) {
    bad(path, "must be between " + std::to_string(min) + " and " + std::to_string(max));
  }
  return n;
}

bool boolean(const Json& value, const std::string& path) {
  if (!value.is_boolean()) bad(path, "must be true or false");
  return value.get<bool>();
}

// Values are never echoed in errors: some of them are credentials.
[[noreturn]] void unknown(const std::string& path) {
  bad(path, "unknown setting");
}

bool has_scheme(const std::string& url, std::initializer_list<const char*> schemes) {
  for (const char* s : schemes) {
    if (url.rfind(s, 0) == 0) return true;
  }
  return false;
}

SmtpSettings smtp_of(const Json& doc, const std::string& path) {
  SmtpSettings s;
  for (const auto& [key, value] : object_at(doc, path).items()) {
    const std::string at = path + "." + key;
    if (key == "url") {
      s.url = text(value, at);
      if (!s.url.empty() && !has_scheme(s.url, {"smtp://", "smtps://"})) {
        bad(at, "must start with smtp:// or smtps://");
      }
    } else if (key == "username") {
      s.username = text(value, at);
    } else if (key == "password") {
      s.password = text(value, at);
    } else if (key == "from") {
      s.from = text(value, at);
    } else if (key == "starttls") {
      s.starttls = boolean(value, at);
    } else if (key == "timeoutSeconds") {
      s.timeout_seconds = static_cast<int>(integer(value, at, 1, 3600));
    } else {
      unknown(at);
    }
  }
  if (!s.url.empty() && s.from.empty()) bad(path + ".from", "the sender is required with a url");
  return s;
}

SmsGatewaySettings sms_of(const Json& doc, const std::string& path) {
  SmsGatewaySettings s;
  for (const auto& [key, value] : object_at(doc, path).items()) {
    const std::string at = path + "." + key;
    if (key == "url") {
      s.url = text(value, at);
      if (!s.url.empty() && !has_scheme(s.url, {"http://", "https://"})) {
        bad(at, "must start with http:// or https://");
      }
    } else if (key == "method") {
      s.method = text(value, at);
      if (s.method != "POST" && s.method != "PUT") bad(at, "must be POST or PUT");
    } else if (key == "headers") {
      for (const auto& [name, header] : object_at(value, at).items()) {
        if (name.empty() || name.find_first_of(":\r\n") != std::string::npos) {
          bad(at, "a header name must be a token");
        }
        s.headers.emplace_back(name, text(header, at + "." + name));
      }
    } else if (key == "bodyTemplate") {
      s.body_template = text(value, at);
    } else if (key == "timeoutSeconds") {
      s.timeout_seconds = static_cast<int>(integer(value, at, 1, 3600));
    } else {
      unknown(at);
    }
  }
  return s;
}

RetrySettings retry_of(const Json& doc, const std::string& path) {
  RetrySettings r;
  for (const auto& [key, value] : object_at(doc, path).items()) {
    const std::string at = path + "." + key;
    if (key == "maxAttempts") {
      r.max_attempts = static_cast<int>(integer(value, at, 1, 1000));
    } else if (key == "baseDelaySeconds") {
      r.base_delay_seconds = integer(value, at, 0, 86400 * 30);
    } else if (key == "factor") {
      r.factor = integer(value, at, 1, 100);
    } else if (key == "maxDelaySeconds") {
      r.max_delay_seconds = integer(value, at, 0, 86400 * 30);
    } else {
      unknown(at);
    }
  }
  if (r.max_delay_seconds < r.base_delay_seconds) {
    bad(path + ".maxDelaySeconds", "must not be less than baseDelaySeconds");
  }
  return r;
}

}  // namespace

DeliverySettings DeliverySettings::from_json(const Json& document) {
  DeliverySettings d;
  for (const auto& [key, value] : object_at(document, "delivery").items()) {
    const std::string at = "delivery." + key;
    if (key == "smtp") {
      d.smtp = smtp_of(value, at);
    } else if (key == "sms") {
      d.sms = sms_of(value, at);
    } else if (key == "retry") {
      d.retry = retry_of(value, at);
    } else if (key == "batchSize") {
      d.batch_size = static_cast<int>(integer(value, at, 1, 10000));
    } else if (key == "leaseSeconds") {
      d.lease_seconds = integer(value, at, 1, 86400);
    } else {
      unknown(at);
    }
  }
  return d;
}

BackgroundSettings BackgroundSettings::from_json(const Json& document) {
  BackgroundSettings b;
  for (const auto& [key, value] : object_at(document, "background").items()) {
    const std::string at = "background." + key;
    if (key == "dispatcher") {
      b.dispatcher = boolean(value, at);
    } else if (key == "dispatcherIntervalMs") {
      b.dispatcher_interval_ms = integer(value, at, 1, 3600 * 1000);
    } else if (key == "scheduler") {
      b.scheduler = boolean(value, at);
    } else if (key == "schedulerIntervalMs") {
      b.scheduler_interval_ms = integer(value, at, 1, 3600 * 1000);
    } else {
      unknown(at);
    }
  }
  return b;
}

}  // namespace dms
