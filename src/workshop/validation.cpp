#include "workshop/validation.hpp"

#include <cctype>

#include "dms/error.hpp"

namespace dms::workshop {
namespace {

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}
bool is_upper(char c) {
  return c >= 'A' && c <= 'Z';
}
bool is_alnum(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) != 0;
}

bool all_digits(std::string_view s) {
  for (char c : s) {
    if (!is_digit(c)) return false;
  }
  return !s.empty();
}

bool all_upper(std::string_view s) {
  for (char c : s) {
    if (!is_upper(c)) return false;
  }
  return !s.empty();
}

[[noreturn]] void invalid(std::string_view field, const std::string& why) {
  throw Error::Validation(std::string(field), std::string(field) + " " + why);
}

// A domain label: letters, digits and inner hyphens.
bool is_domain_label(std::string_view label) {
  if (label.empty() || label.front() == '-' || label.back() == '-') return false;
  for (char c : label) {
    if (!is_alnum(c) && c != '-') return false;
  }
  return true;
}

}  // namespace

bool is_indian_mobile(std::string_view phone) {
  return phone.size() == 13 && phone.substr(0, 3) == "+91" && phone[3] >= '6' && phone[3] <= '9' &&
         all_digits(phone.substr(3));
}

void check_indian_mobile(std::string_view phone, std::string_view field) {
  if (!is_indian_mobile(phone)) {
    invalid(field, "must be an Indian mobile number: +91 followed by 10 digits starting 6-9");
  }
}

bool is_email(std::string_view email) {
  if (email.size() > 254) return false;
  const size_t at = email.find('@');
  if (at == std::string_view::npos || at == 0 ||
      email.find('@', at + 1) != std::string_view::npos) {
    return false;
  }
  const std::string_view local = email.substr(0, at);
  for (char c : local) {
    if (std::isspace(static_cast<unsigned char>(c)) ||
        std::iscntrl(static_cast<unsigned char>(c))) {
      return false;
    }
  }
  if (local.front() == '.' || local.back() == '.') return false;
  std::string_view domain = email.substr(at + 1);
  if (domain.find('.') == std::string_view::npos) return false;
  while (!domain.empty()) {
    const size_t dot = domain.find('.');
    if (!is_domain_label(domain.substr(0, dot))) return false;
    if (dot == std::string_view::npos) break;
    domain.remove_prefix(dot + 1);
    if (domain.empty()) return false;  // trailing dot
  }
  return true;
}

void check_email(std::string_view email, std::string_view field) {
  if (!is_email(email)) invalid(field, "must be a valid e-mail address");
}

bool is_pincode(std::string_view pincode) {
  return pincode.size() == 6 && all_digits(pincode) && pincode[0] != '0';
}

void check_pincode(std::string_view pincode, std::string_view field) {
  if (!is_pincode(pincode)) invalid(field, "must be a 6-digit Indian pincode");
}

bool is_registration(std::string_view r) {
  // [A-Z]{2} \d{2} [A-Z]{1,2} \d{4}: 9 or 10 characters.
  if (r.size() != 9 && r.size() != 10) return false;
  const size_t series_letters = r.size() - 8;
  return all_upper(r.substr(0, 2)) && all_digits(r.substr(2, 2)) &&
         all_upper(r.substr(4, series_letters)) && all_digits(r.substr(4 + series_letters));
}

void check_registration(std::string_view registration, std::string_view field) {
  if (!is_registration(registration)) {
    invalid(field, "must look like MH01AB1234 (2 letters, 2 digits, 1-2 letters, 4 digits)");
  }
}

bool is_vin(std::string_view vin) {
  if (vin.size() < 6 || vin.size() > 17) return false;
  for (char c : vin) {
    if (!is_upper(c) && !is_digit(c)) return false;
  }
  return true;
}

void check_vin(std::string_view vin, std::string_view field) {
  if (!is_vin(vin)) invalid(field, "must be 6 to 17 letters and digits");
}

bool is_time_of_day(std::string_view t) {
  if (t.size() != 5 || t[2] != ':' || !all_digits(t.substr(0, 2)) || !all_digits(t.substr(3))) {
    return false;
  }
  const int hours = (t[0] - '0') * 10 + (t[1] - '0');
  const int minutes = (t[3] - '0') * 10 + (t[4] - '0');
  return hours < 24 && minutes < 60;
}

void check_time_of_day(std::string_view text, std::string_view field) {
  if (!is_time_of_day(text)) invalid(field, "must be a time of day HH:MM (24-hour)");
}

std::string normalize_vehicle_identifier(std::string_view text) {
  return compact_upper(text);
}

const char* search_kind_name(SearchKind kind) {
  switch (kind) {
    case SearchKind::kPhone:
      return "phone";
    case SearchKind::kEmail:
      return "email";
    case SearchKind::kRegistration:
      return "registration";
    case SearchKind::kVin:
      return "vin";
    case SearchKind::kName:
      return "name";
  }
  return "name";
}

SearchKind parse_search_kind(std::string_view type, std::string_view query) {
  if (type.empty() || type == "auto") return detect_search_kind(query);
  for (SearchKind k : {SearchKind::kPhone, SearchKind::kEmail, SearchKind::kRegistration,
                       SearchKind::kVin, SearchKind::kName}) {
    if (type == search_kind_name(k)) return k;
  }
  throw Error::Validation("type",
                          "type must be one of auto, phone, email, name, vin, registration");
}

std::string phone_digits(std::string_view query) {
  std::string digits;
  for (char c : query) {
    if (is_digit(c)) digits.push_back(c);
  }
  if (digits.size() > 10) digits.erase(0, digits.size() - 10);
  return digits;
}

SearchKind detect_search_kind(std::string_view raw) {
  const std::string query = trim(raw);
  std::string compact;  // without spaces and dashes, as people type phone numbers
  for (char c : query) {
    if (c != ' ' && c != '-') compact.push_back(c);
  }
  if (compact.rfind("+91", 0) == 0 || (compact.size() == 10 && all_digits(compact))) {
    return SearchKind::kPhone;
  }
  if (query.find('@') != std::string::npos) return SearchKind::kEmail;
  const std::string identifier = normalize_vehicle_identifier(query);
  if (is_registration(identifier)) return SearchKind::kRegistration;
  const bool one_word = query.find(' ') == std::string::npos;
  bool has_letter = false;
  bool has_digit = false;
  for (char c : identifier) {
    has_letter = has_letter || is_upper(c);
    has_digit = has_digit || is_digit(c);
  }
  if (one_word && identifier.size() >= 8 && is_vin(identifier) && has_letter && has_digit) {
    return SearchKind::kVin;
  }
  return SearchKind::kName;
}

}  // namespace dms::workshop
