// json_text: nlohmann's compact dump, with strings copied in runs. nlohmann's serializer decodes
// every byte through its UTF-8 state machine; a response is mostly plain ASCII, which this
// copies a run at a time, checking multi-byte sequences as it meets them.
#include <charconv>

#include "dms/json.hpp"

namespace dms {
namespace {

// The length of the well-formed UTF-8 sequence at text[i] (a lead byte >= 0x80), or 0.
size_t utf8_sequence(const std::string& text, size_t i) {
  const auto byte = [&](size_t k) { return static_cast<unsigned char>(text[k]); };
  const size_t left = text.size() - i;
  const unsigned char lead = byte(i);
  auto tail = [&](size_t k) { return (byte(i + k) & 0xC0) == 0x80; };
  if (lead >= 0xC2 && lead <= 0xDF) return left >= 2 && tail(1) ? 2 : 0;
  if (lead >= 0xE0 && lead <= 0xEF) {
    if (left < 3 || !tail(1) || !tail(2)) return 0;
    const unsigned char second = byte(i + 1);
    if (lead == 0xE0 && second < 0xA0) return 0;  // overlong
    if (lead == 0xED && second > 0x9F) return 0;  // a surrogate
    return 3;
  }
  if (lead >= 0xF0 && lead <= 0xF4) {
    if (left < 4 || !tail(1) || !tail(2) || !tail(3)) return 0;
    const unsigned char second = byte(i + 1);
    if (lead == 0xF0 && second < 0x90) return 0;  // overlong
    if (lead == 0xF4 && second > 0x8F) return 0;  // beyond U+10FFFF
    return 4;
  }
  return 0;
}

// Bytes copied as they are: printable ASCII but the quote and the backslash.
struct PlainBytes {
  bool plain[256] = {};
  constexpr PlainBytes() {
    for (int c = 0x20; c < 0x80; ++c) plain[c] = c != '"' && c != '\\';
  }
};
constexpr PlainBytes kPlain;

void append_string(std::string& out, const std::string& text) {
  static const char kHex[] = "0123456789abcdef";
  const size_t mark = out.size();
  out.push_back('"');
  const auto* bytes = reinterpret_cast<const unsigned char*>(text.data());
  size_t run = 0;  // start of the plain characters not yet copied
  for (size_t i = 0; i < text.size();) {
    if (kPlain.plain[bytes[i]]) {
      ++i;
      continue;
    }
    const unsigned char c = bytes[i];
    if (c >= 0x80) {
      const size_t length = utf8_sequence(text, i);
      if (length == 0) {  // invalid UTF-8: nlohmann's own replacement rules, for this string
        out.resize(mark);
        out += Json(text).dump(-1, ' ', false, Json::error_handler_t::replace);
        return;
      }
      i += length;
      continue;
    }
    out.append(text, run, i - run);
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\b':
        out += "\\b";
        break;
      case '\f':
        out += "\\f";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        out += "\\u00";
        out.push_back(kHex[c >> 4]);
        out.push_back(kHex[c & 0xF]);
    }
    run = ++i;
  }
  out.append(text, run, text.size() - run);
  out.push_back('"');
}

template <typename Integer>
void append_integer(std::string& out, Integer value) {
  char buf[24];
  const auto result = std::to_chars(buf, buf + sizeof buf, value);
  out.append(buf, result.ptr);
}

}  // namespace

void append_json_text(std::string& out, const Json& document) {
  switch (document.type()) {
    case Json::value_t::null:
      out += "null";
      return;
    case Json::value_t::boolean:
      out += document.get<bool>() ? "true" : "false";
      return;
    case Json::value_t::number_integer:
      append_integer(out, document.get<Json::number_integer_t>());
      return;
    case Json::value_t::number_unsigned:
      append_integer(out, document.get<Json::number_unsigned_t>());
      return;
    case Json::value_t::string:
      append_string(out, document.get_ref<const std::string&>());
      return;
    case Json::value_t::object: {
      out.push_back('{');
      bool first = true;
      for (const auto& [key, value] : document.get_ref<const Json::object_t&>()) {
        if (!first) out.push_back(',');
        first = false;
        append_string(out, key);
        out.push_back(':');
        append_json_text(out, value);
      }
      out.push_back('}');
      return;
    }
    case Json::value_t::array: {
      out.push_back('[');
      bool first = true;
      for (const Json& value : document.get_ref<const Json::array_t&>()) {
        if (!first) out.push_back(',');
        first = false;
        append_json_text(out, value);
      }
      out.push_back(']');
      return;
    }
    default:  // floating point, binary, discarded: nlohmann's own text
      out += document.dump(-1, ' ', false, Json::error_handler_t::replace);
  }
}

std::string json_text(const Json& document) {
  std::string out;
  append_json_text(out, document);
  return out;
}

}  // namespace dms
