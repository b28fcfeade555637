#include "service/schema.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include "dms/error.hpp"

namespace dms::schema {

const Method* Schema::find_method(std::string_view name) const {
  const Method* end = methods + method_count;
  const Method* it = std::lower_bound(
      methods, end, name, [](const Method& m, std::string_view n) { return m.name < n; });
  return it != end && it->name == name ? it : nullptr;
}

const Field* Schema::find_field(const Message& message, std::string_view json_name) const {
  const Field* first = fields + message.first_field;
  for (const Field* f = first; f != first + message.field_count; ++f) {
    if (f->name == json_name) return f;
  }
  return nullptr;
}

namespace {

// The text of one key in list requests that names a nested expansion limit ("vehicles.limit").
constexpr std::string_view kLimitSuffix = ".limit";
constexpr size_t kPlainParameterLength = 1000;

// A position in the request, rendered only when an error names it.
struct Path {
  const Path* parent = nullptr;
  std::string_view key;  // a field name, or empty for an array element
  size_t index = 0;

  std::string render() const {
    std::string text = raw();
    return text.empty() ? "request" : text;
  }

 private:
  std::string raw() const {
    std::string text = parent ? parent->raw() : std::string();
    if (!key.empty()) {
      if (!text.empty()) text += '.';
      text += key;
    } else if (parent != nullptr) {
      text += '[' + std::to_string(index) + ']';
    }
    return text;
  }
};

[[noreturn]] void fail(const Path& at, const std::string& what) {
  const std::string where = at.render();
  throw Error::Validation(where, where + " " + what);
}

std::string code_point_name(uint32_t c) {
  static const char kHex[] = "0123456789ABCDEF";
  std::string text = "U+";
  for (int shift = 12; shift >= 0; shift -= 4) text += kHex[(c >> shift) & 0xF];
  return text;
}

// Checks one text value: valid UTF-8, no control character (but line breaks and tabs where
// `multiline`), at most `max_length` characters.
void check_text(const std::string& text, bool multiline, uint32_t max_length, const Path& at) {
  size_t characters = 0;
  const auto* p = reinterpret_cast<const unsigned char*>(text.data());
  const auto* end = p + text.size();
  while (p < end) {
    uint32_t c = *p;
    size_t length = 1;
    if (c >= 0x80) {
      uint32_t min = 0;
      if ((c & 0xE0) == 0xC0) {
        length = 2, c &= 0x1F, min = 0x80;
      } else if ((c & 0xF0) == 0xE0) {
        length = 3, c &= 0x0F, min = 0x800;
      } else if ((c & 0xF8) == 0xF0) {
        length = 4, c &= 0x07, min = 0x10000;
      } else {
        fail(at, "is not valid UTF-8");
      }
      if (static_cast<size_t>(end - p) < length) fail(at, "is not valid UTF-8");
      for (size_t i = 1; i < length; ++i) {
        if ((p[i] & 0xC0) != 0x80) fail(at, "is not valid UTF-8");
        c = (c << 6) | (p[i] & 0x3F);
      }
      if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF)) {
        fail(at, "is not valid UTF-8");
      }
    }
    const bool control = c < 0x20 || c == 0x7F || (c >= 0x80 && c <= 0x9F);
    if (control) {
      const bool line_break_or_tab = c == '\n' || c == '\r' || c == '\t';
      if (!line_break_or_tab) {
        fail(at, "must not contain control characters (" + code_point_name(c) + " at character " +
                     std::to_string(characters + 1) + ")");
      }
      if (!multiline) {
        fail(at, "must be one line: no line breaks or tabs (" + code_point_name(c) +
                     " at character " + std::to_string(characters + 1) + ")");
      }
    }
    ++characters;
    p += length;
  }
  if (characters > max_length) {
    fail(at, "is longer than " + std::to_string(max_length) + " characters");
  }
}

// An integer given as text ("42", "-7", "42.00"): its value, or nullopt when the text is not a
// whole number of at most 20 digits (the handler's reader then reports it).
std::optional<long double> integer_text_value(const std::string& s) {
  size_t pos = s.empty() || (s[0] != '-' && s[0] != '+') ? 0 : 1;
  const size_t digits_start = pos;
  while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') ++pos;
  const size_t digits = pos - digits_start;
  if (digits == 0 || digits > 40) return std::nullopt;
  if (pos < s.size()) {
    if (s[pos] != '.') return std::nullopt;
    for (++pos; pos < s.size(); ++pos) {
      if (s[pos] != '0') return std::nullopt;
    }
  }
  long double value = 0;
  for (size_t i = digits_start; i < digits_start + digits; ++i) value = value * 10 + (s[i] - '0');
  return s[0] == '-' ? -value : value;
}

template <class Int>
bool fits(long double v) {
  return v >= static_cast<long double>(std::numeric_limits<Int>::min()) &&
         v <= static_cast<long double>(std::numeric_limits<Int>::max());
}

void check_integer(const Json& j, FieldType type, const Path& at) {
  long double value = 0;
  if (j.is_number_unsigned()) {
    value = static_cast<long double>(j.get<uint64_t>());
  } else if (j.is_number_integer()) {
    value = static_cast<long double>(j.get<int64_t>());
  } else if (j.is_number_float()) {
    const double d = j.get<double>();
    if (!std::isfinite(d)) fail(at, "is not a number");
    if (std::trunc(d) != d) fail(at, "must be an integer");
    value = static_cast<long double>(d);
  } else if (j.is_string()) {
    check_text(j.get_ref<const std::string&>(), false, 64, at);
    auto parsed = integer_text_value(j.get_ref<const std::string&>());
    if (!parsed) return;  // not a whole number: the handler's reader names the problem
    value = *parsed;
  } else {
    return;  // a wrong JSON type: the handler's reader names the problem
  }
  bool ok = true;
  switch (type) {
    case FieldType::kInt32:
      ok = fits<int32_t>(value);
      break;
    case FieldType::kUInt32:
      ok = fits<uint32_t>(value);
      break;
    case FieldType::kInt64:
      ok = fits<int64_t>(value);
      break;
    case FieldType::kUInt64:
      ok = fits<uint64_t>(value);
      break;
    default:
      break;
  }
  if (!ok) {
    const char* range = type == FieldType::kInt32    ? "-2147483648 to 2147483647"
                        : type == FieldType::kUInt32 ? "0 to 4294967295"
                        : type == FieldType::kInt64  ? "-9223372036854775808 to 9223372036854775807"
                                                     : "0 to 18446744073709551615";
    fail(at, std::string("is out of range (") + range + ")");
  }
}

// Edit distance, ignoring ASCII case, capped: anything above `cap` is cap + 1.
size_t distance(std::string_view a, std::string_view b, size_t cap) {
  auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; };
  if (a.size() > b.size() + cap || b.size() > a.size() + cap) return cap + 1;
  std::vector<size_t> previous(b.size() + 1), current(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) previous[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    current[0] = i;
    size_t row_min = current[0];
    for (size_t j = 1; j <= b.size(); ++j) {
      const size_t substitute = previous[j - 1] + (lower(a[i - 1]) == lower(b[j - 1]) ? 0 : 1);
      current[j] = std::min({previous[j] + 1, current[j - 1] + 1, substitute});
      row_min = std::min(row_min, current[j]);
    }
    if (row_min > cap) return cap + 1;
    std::swap(previous, current);
  }
  return std::min(previous[b.size()], cap + 1);
}

size_t typo_cap(std::string_view key) {
  return key.size() >= 6 ? 2 : 1;
}

// Keeps the candidate closest to `key` when it is close enough to be a likely typo.
struct Closest {
  explicit Closest(std::string_view k) : key(k), cap(typo_cap(k)), best_distance(cap + 1) {}

  std::string_view key;
  size_t cap;
  std::string_view best;
  size_t best_distance;

  void consider(std::string_view candidate) {
    const size_t d = distance(key, candidate, cap);
    if (d < best_distance) best = candidate, best_distance = d;
  }
  std::string hint() const {
    return best.empty() ? std::string() : " (did you mean `" + std::string(best) + "`?)";
  }
};

class Checker {
 public:
  Checker(const Schema& s, const storage::ListSpec* list_spec) : s_(s), list_spec_(list_spec) {}

  void message(const Message& m, const Json& j, const Path& at) const {
    if (!j.is_object()) fail(at, "must be an object");
    for (auto it = j.begin(); it != j.end(); ++it) {
      const std::string& key = it.key();
      const Path child{&at, key};
      const Field* f = s_.find_field(m, key);
      if (f == nullptr) {
        extra_key(m, key, *it, child);
        continue;
      }
      if (it->is_null()) continue;  // null is absent
      if (f->flags & kMap) {
        if (!it->is_object()) fail(child, "must be an object");
        for (auto entry = it->begin(); entry != it->end(); ++entry) {
          const Path entry_path{&child, entry.key()};
          check_text(entry.key(), false, kPlainParameterLength, entry_path);
          if (!entry->is_null()) element(*f, *entry, entry_path);
        }
      } else if (f->flags & kRepeated) {
        if (!it->is_array()) fail(child, "must be an array");
        size_t index = 0;
        for (const Json& item : *it) {
          const Path item_path{&child, {}, index++};
          if (!item.is_null()) element(*f, item, item_path);
        }
      } else {
        element(*f, *it, child);
      }
    }
  }

 private:
  const storage::ListField* filter_field(std::string_view key) const {
    if (list_spec_ == nullptr) return nullptr;
    const storage::ListField* field = list_spec_->find_field(key);
    return field != nullptr && (field->flags & storage::kFilter) != 0 ? field : nullptr;
  }

  // A key the message does not declare: an expansion limit of a request that expands, a plain
  // filter parameter of a list request, or unknown.
  void extra_key(const Message& m, const std::string& key, const Json& value,
                 const Path& at) const {
    const bool limit_key =
        key.size() > kLimitSuffix.size() &&
        key.compare(key.size() - kLimitSuffix.size(), kLimitSuffix.size(), kLimitSuffix) == 0;
    if (limit_key && s_.find_field(m, "expand") != nullptr) {
      check_text(key, false, kPlainParameterLength, at);
      if (!value.is_null()) check_integer(value, FieldType::kInt32, at);
      return;
    }
    const bool list = (m.flags & kListQuery) != 0;
    if (list && filter_field(key) != nullptr) {
      if (value.is_string()) {
        check_text(value.get_ref<const std::string&>(), false, kPlainParameterLength, at);
      } else if (value.is_object() || value.is_array()) {
        fail(at,
             "must be a string, number or boolean (a plain filter parameter; use "
             "filter[...] for operators)");
      }
      return;
    }
    Closest closest(key);
    const Field* first = s_.fields + m.first_field;
    for (const Field* f = first; f != first + m.field_count; ++f) closest.consider(f->name);
    if (list && list_spec_ != nullptr) {
      for (const storage::ListField& f : list_spec_->fields) {
        if ((f.flags & storage::kFilter) != 0) closest.consider(f.name);
      }
    }
    fail(at, std::string(list ? "is neither a parameter nor a filterable field of this list"
                              : "is not a field of this request") +
                 closest.hint());
  }

  void element(const Field& f, const Json& j, const Path& at) const {
    switch (f.type) {
      case FieldType::kString:
        text_field(f, j, at);
        return;
      case FieldType::kInt32:
      case FieldType::kInt64:
      case FieldType::kUInt32:
      case FieldType::kUInt64:
        check_integer(j, f.type, at);
        return;
      case FieldType::kBool:
        return;  // the handler's reader requires true or false
      case FieldType::kMessage:
        message(s_.message(f.message), j, at);
        return;
      case FieldType::kStruct:
        if (!j.is_object()) fail(at, "must be an object");
        return;
      case FieldType::kListValue:
        if (!j.is_array()) fail(at, "must be an array");
        return;
      case FieldType::kValue:
        return;
    }
  }

  // Text, a number (money may be a JSON number) or, for list parameters such as `fields` and
  // `expand`, an array of text.
  void text_field(const Field& f, const Json& j, const Path& at) const {
    const bool multiline = (f.flags & kMultiline) != 0;
    if (j.is_string()) {
      check_text(j.get_ref<const std::string&>(), multiline, f.max_length, at);
    } else if (j.is_array()) {
      size_t index = 0;
      for (const Json& item : j) {
        const Path item_path{&at, {}, index++};
        if (item.is_string()) {
          check_text(item.get_ref<const std::string&>(), multiline, f.max_length, item_path);
        } else if (item.is_object() || item.is_array()) {
          fail(item_path, "must be a string");
        }
      }
    } else if (j.is_object()) {
      fail(at, "must be a string");
    }
  }

  const Schema& s_;
  const storage::ListSpec* list_spec_;
};

}  // namespace

void check_request(std::string_view method, const Json& request,
                   const storage::ListSpec* list_spec) {
  const Schema& s = schema();
  const Method* m = s.find_method(method);
  if (m == nullptr) {
    throw Error::Internal("method '" + std::string(method.substr(0, 100)) +
                          "' has no request message in the wire schema");
  }
  if (request.is_null()) return;
  Checker(s, list_spec).message(s.message(m->request), request, Path{});
}

}  // namespace dms::schema
