// Parsing seed 002's list parameters, from a query string or a JSON document, into a ListQuery.
// Only syntax is checked here; names and values are checked against the ListSpec by run_list.
#include <charconv>

#include "dms/error.hpp"
#include "storage/list_query.hpp"

namespace dms::storage {
namespace {

constexpr size_t kMaxNameLength = 64;

// A parameter name as it may appear in an error message: bounded.
std::string shown(std::string_view text) {
  return std::string(text.substr(0, kMaxNameLength)) + (text.size() > kMaxNameLength ? "..." : "");
}

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string percent_decoded(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '+') {
      out.push_back(' ');
    } else if (c != '%') {
      out.push_back(c);
    } else {
      int high = i + 2 < text.size() ? hex_digit(text[i + 1]) : -1;
      int low = i + 2 < text.size() ? hex_digit(text[i + 2]) : -1;
      if (high < 0 || low < 0) {
        throw Error::Validation("query", "malformed percent-encoding in '" + shown(text) + "'");
      }
      out.push_back(static_cast<char>(high * 16 + low));
      i += 2;
    }
  }
  return out;
}

std::vector<std::string> split_list(std::string_view text) {
  std::vector<std::string> items;
  size_t pos = 0;
  while (pos <= text.size()) {
    size_t comma = text.find(',', pos);
    if (comma == std::string_view::npos) comma = text.size();
    std::string_view item = text.substr(pos, comma - pos);
    size_t first = item.find_first_not_of(' ');
    size_t last = item.find_last_not_of(' ');
    if (first != std::string_view::npos) items.emplace_back(item.substr(first, last - first + 1));
    pos = comma + 1;
  }
  return items;
}

int64_t parse_integer(std::string_view text, const std::string& param) {
  int64_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size()) {
    throw Error::Validation(param, param + " must be an integer, not '" + shown(text) + "'");
  }
  return value;
}

FilterOp parse_op(std::string_view op, const std::string& param) {
  static const std::pair<const char*, FilterOp> kOps[] = {
      {"eq", FilterOp::kEq},         {"ne", FilterOp::kNe},
      {"gt", FilterOp::kGt},         {"gte", FilterOp::kGte},
      {"lt", FilterOp::kLt},         {"lte", FilterOp::kLte},
      {"in", FilterOp::kIn},         {"contains", FilterOp::kContains},
      {"isNull", FilterOp::kIsNull}, {"is-null", FilterOp::kIsNull}};
  for (const auto& [name, value] : kOps) {
    if (op == name) return value;
  }
  throw Error::Validation(param, "unknown filter operator '" + shown(op) + "'");
}

Filter make_filter(std::string field, FilterOp op, std::string_view text) {
  Filter filter{std::move(field), op, {}};
  if (op == FilterOp::kIn) {
    filter.values = split_list(text);
  } else {
    filter.values.emplace_back(text);
  }
  return filter;
}

std::vector<SortKey> parse_sort(std::string_view text) {
  std::vector<SortKey> keys;
  for (std::string& item : split_list(text)) {
    SortKey key;
    key.descending = item[0] == '-';
    key.field = item[0] == '-' || item[0] == '+' ? item.substr(1) : item;
    keys.push_back(std::move(key));
  }
  return keys;
}

// "filter[name]" or "filter[name][op]" -> the filter's field and operator.
std::pair<std::string, FilterOp> parse_filter_key(std::string_view key) {
  const std::string param = shown(key);
  auto malformed = [&]() {
    return Error::Validation(param, "malformed filter parameter '" + param +
                                        "': use filter[field] or filter[field][op]");
  };
  std::string_view rest = key.substr(6);  // after "filter"
  if (rest.size() < 3 || rest[0] != '[') throw malformed();
  size_t close = rest.find(']');
  if (close == std::string_view::npos || close == 1) throw malformed();
  std::string field(rest.substr(1, close - 1));
  rest = rest.substr(close + 1);
  if (rest.empty()) return {field, FilterOp::kEq};
  if (rest.size() < 3 || rest[0] != '[' || rest.back() != ']') throw malformed();
  std::string_view op = rest.substr(1, rest.size() - 2);
  if (op.find_first_of("[]") != std::string_view::npos) throw malformed();
  return {field, parse_op(op, param)};
}

// Applies one decoded key=value pair of a query string.
void apply_parameter(ListQuery& query, const std::string& key, const std::string& value) {
  if (key.rfind("filter", 0) == 0 && key.size() > 6 && key[6] == '[') {
    auto [field, op] = parse_filter_key(key);
    query.filters.push_back(make_filter(field, op, value));
  } else if (key == "sort") {
    query.sort = parse_sort(value);
  } else if (key == "page") {
    query.page = parse_integer(value, "page");
  } else if (key == "limit") {
    query.limit = parse_integer(value, "limit");
  } else if (key == "cursor") {
    query.cursor = value;
  } else if (key == "fields") {
    query.fields = split_list(value);
  } else if (key == "expand") {
    for (std::string& item : split_list(value)) query.expand.push_back(std::move(item));
  } else if (key == "search") {
    query.search = value;
  } else if (key == "searchFields") {
    query.search_fields = split_list(value);
  } else if (key.size() > 6 && key.compare(key.size() - 6, 6, ".limit") == 0) {
    query.expand_limits[key.substr(0, key.size() - 6)] = parse_integer(value, key);
  } else {
    query.other[key] = value;
  }
}

// ---- JSON -------------------------------------------------------------------------------------

// A scalar JSON value as the text a query string would carry. Numbers keep their shortest
// decimal text (nlohmann prints integers exactly), so no arithmetic touches them.
std::string scalar_text(const Json& value, const std::string& param) {
  if (value.is_string()) return value.get<std::string>();
  if (value.is_boolean()) return value.get<bool>() ? "true" : "false";
  if (value.is_number()) return value.dump();
  throw Error::Validation(param, param + " must be a string, number or boolean");
}

// A string "a,b" or an array ["a","b"].
std::vector<std::string> list_value(const Json& value, const std::string& param) {
  if (value.is_array()) {
    std::vector<std::string> items;
    for (const Json& item : value) items.push_back(scalar_text(item, param));
    return items;
  }
  return split_list(scalar_text(value, param));
}

int64_t integer_value(const Json& value, const std::string& param) {
  if (value.is_number_integer()) return value.get<int64_t>();
  if (value.is_string()) return parse_integer(value.get<std::string>(), param);
  throw Error::Validation(param, param + " must be an integer");
}

void add_json_filter(ListQuery& query, const std::string& field, const Json& condition) {
  const std::string param = "filter[" + shown(field) + "]";
  if (condition.is_null()) {
    query.filters.push_back({field, FilterOp::kIsNull, {"true"}});
  } else if (condition.is_array()) {
    query.filters.push_back({field, FilterOp::kIn, list_value(condition, param)});
  } else if (!condition.is_object()) {
    query.filters.push_back({field, FilterOp::kEq, {scalar_text(condition, param)}});
  } else {
    for (const auto& [op_name, operand] : condition.items()) {
      const std::string op_param = param + "[" + shown(op_name) + "]";
      FilterOp op = parse_op(op_name, op_param);
      if (op == FilterOp::kIn) {
        query.filters.push_back({field, op, list_value(operand, op_param)});
      } else {
        query.filters.push_back({field, op, {scalar_text(operand, op_param)}});
      }
    }
  }
}

void apply_json_member(ListQuery& query, const std::string& key, const Json& value) {
  if (key == "filter") {
    if (value.is_null()) return;
    if (!value.is_object()) throw Error::Validation("filter", "filter must be an object");
    for (const auto& [field, condition] : value.items()) add_json_filter(query, field, condition);
  } else if (value.is_null()) {
    return;  // an absent optional parameter
  } else if (key == "sort") {
    for (const std::string& item : list_value(value, "sort")) {
      for (SortKey& sort_key : parse_sort(item)) query.sort.push_back(std::move(sort_key));
    }
  } else if (key == "page" || key == "limit") {
    (key == "page" ? query.page : query.limit) = integer_value(value, key);
  } else if (key == "cursor") {
    query.cursor = scalar_text(value, "cursor");
  } else if (key == "fields") {
    query.fields = list_value(value, "fields");
  } else if (key == "expand") {
    query.expand = list_value(value, "expand");
  } else if (key == "search") {
    query.search = scalar_text(value, "search");
  } else if (key == "searchFields") {
    query.search_fields = list_value(value, "searchFields");
  } else if (key.size() > 6 && key.compare(key.size() - 6, 6, ".limit") == 0) {
    query.expand_limits[key.substr(0, key.size() - 6)] = integer_value(value, key);
  } else if (value.is_primitive()) {
    query.other[key] = scalar_text(value, key);
  }
}

}  // namespace

ListQuery parse_query_string(std::string_view query_string) {
  if (!query_string.empty() && query_string[0] == '?') query_string.remove_prefix(1);
  ListQuery query;
  size_t pos = 0;
  while (pos < query_string.size()) {
    size_t amp = query_string.find('&', pos);
    if (amp == std::string_view::npos) amp = query_string.size();
    std::string_view pair = query_string.substr(pos, amp - pos);
    pos = amp + 1;
    if (pair.empty()) continue;
    size_t eq = pair.find('=');
    std::string key = percent_decoded(pair.substr(0, eq));
    std::string value = eq == std::string_view::npos ? "" : percent_decoded(pair.substr(eq + 1));
    apply_parameter(query, key, value);
  }
  return query;
}

ListQuery parse_list_query(const Json& request) {
  ListQuery query;
  if (request.is_null()) return query;
  if (!request.is_object()) throw Error::Validation("request", "a list request must be an object");
  for (const auto& [key, value] : request.items()) apply_json_member(query, key, value);
  return query;
}

}  // namespace dms::storage
