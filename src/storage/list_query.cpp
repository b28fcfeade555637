// run_list: a ListQuery checked against a ListSpec, compiled to SQL with bound values, run, and
// shaped into seed 002's list response.
#include "storage/list_query.hpp"

#include <sodium.h>

#include <algorithm>
#include <charconv>
#include <limits>
#include <set>

#include "dms/error.hpp"
#include "dms/money.hpp"
#include "dms/quantity.hpp"
#include "dms/time.hpp"

namespace dms::storage {
namespace {

constexpr size_t kMaxShown = 64;
constexpr size_t kMaxValueLength = 1000;
constexpr size_t kMaxInValues = 100;
constexpr size_t kMaxSearchWords = 10;
constexpr int64_t kMaxPage = 1000000000;
constexpr size_t kKeysPerStatement = 500;
constexpr int64_t kMaxRelatedRows = 1000000;  // per statement of an expansion

std::string shown(std::string_view text) {
  return std::string(text.substr(0, kMaxShown)) + (text.size() > kMaxShown ? "..." : "");
}

const char* op_name(FilterOp op) {
  switch (op) {
    case FilterOp::kEq:
      return "eq";
    case FilterOp::kNe:
      return "ne";
    case FilterOp::kGt:
      return "gt";
    case FilterOp::kGte:
      return "gte";
    case FilterOp::kLt:
      return "lt";
    case FilterOp::kLte:
      return "lte";
    case FilterOp::kIn:
      return "in";
    case FilterOp::kContains:
      return "contains";
    case FilterOp::kIsNull:
      return "isNull";
  }
  return "?";
}

// SQL fragments and their bound values, joined with AND.
struct Where {
  std::vector<std::string> clauses;
  std::vector<Value> params;

  void add(std::string clause, std::vector<Value> values = {}) {
    clauses.push_back("(" + std::move(clause) + ")");
    for (Value& v : values) params.push_back(std::move(v));
  }
  std::string sql() const {
    std::string out;
    for (const std::string& clause : clauses) out += (out.empty() ? " WHERE " : " AND ") + clause;
    return out;
  }
};

// ---- Typed values -----------------------------------------------------------------------------

int64_t parse_int(std::string_view text, const std::string& param) {
  int64_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size()) {
    throw Error::Validation(param, "'" + shown(text) + "' is not an integer");
  }
  return value;
}

int64_t parse_bool(std::string_view text, const std::string& param) {
  if (text == "true" || text == "1") return 1;
  if (text == "false" || text == "0") return 0;
  throw Error::Validation(param, "'" + shown(text) + "' is not true or false");
}

bool is_bare_date(std::string_view text) {
  return text.size() == 10 && text[4] == '-' && text[7] == '-';
}

// A filter value as the column stores it.
Value typed_value(const ListField& field, const std::string& text, const std::string& param) {
  if (text.size() > kMaxValueLength) throw Error::Validation(param, "value is too long");
  switch (field.type) {
    case FieldType::kText:
      return text;
    case FieldType::kInt:
      return parse_int(text, param);
    case FieldType::kMoney:
      return Money::parse(text, Currency::inr(), param).minor();
    case FieldType::kQuantity:
      return Quantity::parse(text, param).units();
    case FieldType::kBool:
      return parse_bool(text, param);
    case FieldType::kTimestamp:
      return Timestamp::parse(text, param).unix_micros();
    case FieldType::kDate:
      return Date::parse(text, param).to_string();
    case FieldType::kPercent:
      return Percent::parse(text, param).units();
    case FieldType::kJsonText:
      break;
  }
  throw Error::Validation(param, "field '" + field.name + "' cannot be compared");
}

// A column value as the API shows it.
Json json_value(const ListField& field, Value value) {
  if (std::holds_alternative<std::monostate>(value)) return nullptr;
  if (auto* text = std::get_if<std::string>(&value)) {
    if (field.type != FieldType::kJsonText) return std::move(*text);
    Json parsed = Json::parse(*text, nullptr, false);
    return parsed.is_discarded() ? Json(std::move(*text)) : parsed;
  }
  int64_t number = std::get<int64_t>(value);
  switch (field.type) {
    case FieldType::kMoney:
      return Money::from_minor(number).to_string();
    case FieldType::kQuantity:
      return Quantity::from_units(number).to_string();
    case FieldType::kBool:
      return number != 0;
    case FieldType::kTimestamp:
      return Timestamp::from_unix_micros(number).to_string();
    case FieldType::kPercent:
      return Percent::from_units(number).to_string();
    default:
      return number;
  }
}

// ---- Filters ----------------------------------------------------------------------------------

std::string filter_param(const Filter& filter) {
  return "filter[" + shown(filter.field) + "][" + op_name(filter.op) + "]";
}

const ListField& filterable_field(const ListSpec& spec, const Filter& filter) {
  const ListField* field = spec.find_field(filter.field);
  if (field == nullptr) {
    throw Error::Validation(filter_param(filter), "unknown field '" + shown(filter.field) + "'");
  }
  if ((field->flags & kFilter) == 0 || field->derive) {
    throw Error::Validation(filter_param(filter), "field '" + field->name + "' cannot be filtered");
  }
  return *field;
}

std::string like_pattern(std::string_view text) {
  std::string out = "%";
  for (char c : text) {
    if (c == '%' || c == '_' || c == '\\') out.push_back('\\');
    out.push_back(c);
  }
  return out + "%";
}

const std::string& single_value(const Filter& filter) {
  if (filter.values.size() != 1) {
    throw Error::Validation(filter_param(filter), "expects exactly one value");
  }
  return filter.values.front();
}

// A timestamp compared with a bare date covers that whole UTC day: [start, next).
void add_day_filter(Where& where, const ListField& field, const Filter& filter) {
  Date day = Date::parse(single_value(filter), filter_param(filter));
  int64_t start = Timestamp::start_of(day).unix_micros();
  int64_t next = Timestamp::start_of(day.plus_days(1)).unix_micros();
  const std::string& c = field.column;
  switch (filter.op) {
    case FilterOp::kEq:
      return where.add(c + " >= ? AND " + c + " < ?", {start, next});
    case FilterOp::kNe:
      return where.add(c + " < ? OR " + c + " >= ?", {start, next});
    case FilterOp::kGt:
      return where.add(c + " >= ?", {next});
    case FilterOp::kGte:
      return where.add(c + " >= ?", {start});
    case FilterOp::kLt:
      return where.add(c + " < ?", {start});
    default:
      return where.add(c + " < ?", {next});  // kLte
  }
}

void add_in_filter(Where& where, const ListField& field, const Filter& filter) {
  const std::string param = filter_param(filter);
  if (filter.values.empty() || filter.values.size() > kMaxInValues) {
    throw Error::Validation(param, "expects 1 to " + std::to_string(kMaxInValues) + " values");
  }
  std::vector<Value> values;
  std::string placeholders;
  for (const std::string& text : filter.values) {
    values.push_back(typed_value(field, text, param));
    placeholders += placeholders.empty() ? "?" : ", ?";
  }
  where.add(field.column + " IN (" + placeholders + ")", std::move(values));
}

void add_filter(Where& where, const ListSpec& spec, const Filter& filter) {
  const ListField& field = filterable_field(spec, filter);
  const std::string param = filter_param(filter);
  const bool text_like = field.type == FieldType::kText || field.type == FieldType::kDate;
  auto reject = [&](const char* why) {
    return Error::Validation(param, "operator " + std::string(op_name(filter.op)) +
                                        " does not apply to " + field.name + ": " + why);
  };
  if (filter.op == FilterOp::kIsNull) {
    bool is_null = single_value(filter).empty() || parse_bool(single_value(filter), param) != 0;
    return where.add(field.column + (is_null ? " IS NULL" : " IS NOT NULL"));
  }
  if (field.type == FieldType::kJsonText) throw reject("a JSON document");
  if (filter.op == FilterOp::kIn) return add_in_filter(where, field, filter);
  if (filter.op == FilterOp::kContains) {
    if (!text_like) throw reject("not a text field");
    return where.add("LOWER(" + field.column + ") LIKE LOWER(?) ESCAPE '\\'",
                     {like_pattern(single_value(filter))});
  }
  if (field.type == FieldType::kBool && filter.op != FilterOp::kEq && filter.op != FilterOp::kNe) {
    throw reject("a true/false field");
  }
  if (field.type == FieldType::kTimestamp && is_bare_date(single_value(filter))) {
    return add_day_filter(where, field, filter);
  }
  static const char* const kComparisons[] = {" = ?", " <> ?", " > ?", " >= ?", " < ?", " <= ?"};
  where.add(field.column + kComparisons[static_cast<int>(filter.op)],
            {typed_value(field, single_value(filter), param)});
}

// Every word of `search` must occur (case-insensitively) in at least one searched field.
void add_search(Where& where, const ListSpec& spec, const ListQuery& query) {
  std::vector<const ListField*> fields;
  for (const std::string& name : query.search_fields) {
    const ListField* field = spec.find_field(name);
    if (field == nullptr || (field->flags & kSearch) == 0 || field->derive) {
      throw Error::Validation("searchFields", "field '" + shown(name) + "' cannot be searched");
    }
    fields.push_back(field);
  }
  if (query.search_fields.empty()) {
    for (const ListField& field : spec.fields) {
      if (field.flags & kSearch) fields.push_back(&field);
    }
  }
  for (const ListField* field : fields) {
    if (field->type != FieldType::kText || field->derive) {
      throw Error::Internal("list spec marks non-text field '" + field->name + "' searchable");
    }
  }
  std::vector<std::string> words;
  for (size_t pos = 0; pos < query.search.size();) {
    size_t start = query.search.find_first_not_of(" \t", pos);
    if (start == std::string::npos) break;
    size_t end = std::min(query.search.find_first_of(" \t", start), query.search.size());
    words.push_back(query.search.substr(start, end - start));
    pos = end;
  }
  if (words.empty()) return;
  if (fields.empty()) throw Error::Validation("search", "this list has no searchable fields");
  if (words.size() > kMaxSearchWords || query.search.size() > kMaxValueLength) {
    throw Error::Validation("search", "search is too long");
  }
  for (const std::string& word : words) {
    std::string clause;
    std::vector<Value> values;
    for (const ListField* field : fields) {
      clause += (clause.empty() ? "" : " OR ") +
                ("LOWER(" + field->column + ") LIKE LOWER(?) ESCAPE '\\'");
      values.push_back(like_pattern(word));
    }
    where.add(clause, std::move(values));
  }
}

// ---- Sorting and cursors ----------------------------------------------------------------------

struct OrderKey {
  const ListField* field;
  bool descending;
};

std::vector<OrderKey> resolve_sort(const ListSpec& spec, const std::vector<SortKey>& requested) {
  std::vector<OrderKey> keys;
  for (const SortKey& key : requested) {
    const ListField* field = spec.find_field(key.field);
    if (field == nullptr)
      throw Error::Validation("sort", "unknown field '" + shown(key.field) + "'");
    if ((field->flags & kSort) == 0 || field->derive) {
      throw Error::Validation("sort", "field '" + field->name + "' cannot be sorted");
    }
    keys.push_back({field, key.descending});
    if (field->name == spec.tiebreak) return keys;  // unique: later keys cannot matter
  }
  const ListField* tiebreak = spec.find_field(spec.tiebreak);
  if (tiebreak == nullptr) throw Error::Internal("list spec without its tiebreak field");
  // The tiebreak follows the last key's direction so one index can serve the whole order.
  keys.push_back({tiebreak, !keys.empty() && keys.back().descending});
  return keys;
}

std::string sort_signature(const std::vector<OrderKey>& keys) {
  std::string out;
  for (const OrderKey& key : keys) {
    out += (out.empty() ? "" : ",") + std::string(key.descending ? "-" : "") + key.field->name;
  }
  return out;
}

// NULLs sort as the smallest value on both engines (SQLite's rule; PostgreSQL is told so).
std::string order_by(const std::vector<OrderKey>& keys) {
  std::string out;
  for (const OrderKey& key : keys) {
    out += (out.empty() ? " ORDER BY " : ", ") + key.field->column +
           (key.descending ? " DESC" : " ASC");
    if (key.field->flags & kNullable) out += key.descending ? " NULLS LAST" : " NULLS FIRST";
  }
  return out;
}

std::string encode_cursor(const std::vector<OrderKey>& keys, const Row& last,
                          const std::vector<size_t>& key_columns) {
  Json values = Json::array();
  for (size_t i = 0; i < keys.size(); ++i) {
    const Value& value = last.at(key_columns[i]);
    if (const auto* number = std::get_if<int64_t>(&value)) {
      values.push_back(*number);
    } else if (const auto* text = std::get_if<std::string>(&value)) {
      values.push_back(*text);
    } else {
      values.push_back(nullptr);
    }
  }
  std::string raw = Json{{"s", sort_signature(keys)}, {"v", values}}.dump();
  const int variant = sodium_base64_VARIANT_URLSAFE_NO_PADDING;
  std::string encoded(sodium_base64_ENCODED_LEN(raw.size(), variant), '\0');
  sodium_bin2base64(encoded.data(), encoded.size(),
                    reinterpret_cast<const unsigned char*>(raw.data()), raw.size(), variant);
  encoded.resize(encoded.size() - 1);  // the terminating NUL
  return encoded;
}

Error bad_cursor() {
  return Error::Validation("cursor", "malformed cursor, or one made for another sort order");
}

std::vector<Value> decode_cursor(const std::string& cursor, const std::vector<OrderKey>& keys) {
  if (cursor.size() > 4 * kMaxValueLength) throw bad_cursor();
  std::string raw(cursor.size(), '\0');
  size_t length = 0;
  if (sodium_base642bin(reinterpret_cast<unsigned char*>(raw.data()), raw.size(), cursor.data(),
                        cursor.size(), nullptr, &length, nullptr,
                        sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0) {
    throw bad_cursor();
  }
  raw.resize(length);
  Json doc = Json::parse(raw, nullptr, false);
  if (!doc.is_object() || doc.value("s", Json()) != sort_signature(keys)) throw bad_cursor();
  const Json& values = doc["v"];
  if (!values.is_array() || values.size() != keys.size()) throw bad_cursor();
  std::vector<Value> out;
  for (size_t i = 0; i < keys.size(); ++i) {
    const Json& v = values[i];
    bool is_text =
        keys[i].field->type == FieldType::kText || keys[i].field->type == FieldType::kDate;
    if (v.is_null() && (keys[i].field->flags & kNullable)) {
      out.push_back(null_value());
    } else if (is_text && v.is_string()) {
      out.push_back(v.get<std::string>());
    } else if (!is_text && v.is_number_integer()) {
      out.push_back(v.get<int64_t>());
    } else {
      throw bad_cursor();
    }
  }
  return out;
}

// Rows strictly after `after` in the order of `keys`:
// OR over i of (key_1 = v_1 AND ... AND key_i-1 = v_i-1 AND key_i "after" v_i).
void add_cursor(Where& where, const std::vector<OrderKey>& keys, const std::vector<Value>& after) {
  std::string clause;
  std::vector<Value> params;
  std::string equal_prefix;
  std::vector<Value> equal_params;
  for (size_t i = 0; i < keys.size(); ++i) {
    const std::string& c = keys[i].field->column;
    const bool is_null = std::holds_alternative<std::monostate>(after[i]);
    const bool nullable = keys[i].field->flags & kNullable;
    std::string later;  // NULL is the smallest value
    std::vector<Value> later_params;
    if (is_null) {
      later = keys[i].descending ? "1 = 0" : c + " IS NOT NULL";
    } else {
      later = c + (keys[i].descending ? " < ?" : " > ?");
      if (nullable && keys[i].descending) later = "(" + later + " OR " + c + " IS NULL)";
      later_params.push_back(after[i]);
    }
    clause += (clause.empty() ? "" : " OR ") + ("(" + equal_prefix + later + ")");
    params.insert(params.end(), equal_params.begin(), equal_params.end());
    params.insert(params.end(), later_params.begin(), later_params.end());
    equal_prefix += is_null ? c + " IS NULL AND " : c + " = ? AND ";
    if (!is_null) equal_params.push_back(after[i]);
  }
  where.add(clause, std::move(params));
}

// ---- Selection and expansion ------------------------------------------------------------------

struct Expansion {
  const ListRelation* relation;
  ExpandRequest request;
};

std::vector<Expansion> resolve_expansions(const ListSpec& spec, const ListQuery& query) {
  std::vector<Expansion> out;
  for (const std::string& path : query.expand) {
    std::string top = path.substr(0, path.find('.'));
    const ListRelation* relation = spec.find_relation(top);
    if (relation == nullptr)
      throw Error::Validation("expand", "unknown relation '" + shown(top) + "'");
    auto it = std::find_if(out.begin(), out.end(),
                           [&](const Expansion& e) { return e.relation == relation; });
    if (it == out.end()) it = out.insert(out.end(), Expansion{relation, {}});
    if (path.size() > top.size()) it->request.nested.push_back(path.substr(top.size() + 1));
  }
  for (const auto& [name, limit] : query.expand_limits) {
    std::string top = name.substr(0, name.find('.'));
    for (Expansion& e : out) {
      if (e.relation->name != top) continue;
      if (limit < 1) throw Error::Validation(name + ".limit", "must be at least 1");
      if (name == top) {
        e.request.limit = limit;
      } else {  // a nested limit travels down with the nested expansion
        e.request.nested_limits[name.substr(top.size() + 1)] = limit;
      }
    }
  }
  return out;
}

// The fields a response shows: the requested ones (in the spec's order), or all.
std::vector<const ListField*> output_fields(const ListSpec& spec, const ListQuery& query) {
  std::vector<const ListField*> out;
  if (!query.fields) {
    for (const ListField& field : spec.fields) out.push_back(&field);
    return out;
  }
  for (const std::string& name : *query.fields) {
    if (spec.find_field(name) == nullptr) {
      throw Error::Validation("fields", "unknown field '" + shown(name) + "'");
    }
  }
  for (const ListField& field : spec.fields) {
    if (std::find(query.fields->begin(), query.fields->end(), field.name) != query.fields->end()) {
      out.push_back(&field);
    }
  }
  return out;
}

// The columns a statement selects: what is shown, plus what relations and cursors need.
struct Selection {
  std::vector<const ListField*> columns;
  size_t index_of(const ListField* field) {
    auto it = std::find(columns.begin(), columns.end(), field);
    if (it != columns.end()) return static_cast<size_t>(it - columns.begin());
    columns.push_back(field);
    return columns.size() - 1;
  }
  std::string sql() const {
    std::string out;
    for (const ListField* field : columns) out += (out.empty() ? "" : ", ") + field->column;
    return out;
  }
};

void require_field(const ListSpec& spec, const std::string& name, Selection& selection) {
  const ListField* field = spec.find_field(name);
  if (field == nullptr) throw Error::Internal("relation needs unknown field '" + name + "'");
  selection.index_of(field);
}

// The rows as JSON objects, their values moved out of `rows`. Keys go in in name order, each at
// the end of the object's map (no key comparisons beyond the hint's).
std::vector<Json> to_json_rows(Rows& rows, const Selection& selection, size_t count) {
  std::vector<size_t> by_name(selection.columns.size());
  for (size_t i = 0; i < by_name.size(); ++i) by_name[i] = i;
  std::sort(by_name.begin(), by_name.end(), [&](size_t a, size_t b) {
    return selection.columns[a]->name < selection.columns[b]->name;
  });
  std::vector<Json> out;
  out.reserve(count);
  for (size_t r = 0; r < count; ++r) {
    Json row = Json::object();
    auto& object = row.get_ref<Json::object_t&>();
    for (size_t i : by_name) {
      const ListField& field = *selection.columns[i];
      object.emplace_hint(object.end(), field.name, json_value(field, rows[r].take(i)));
    }
    out.push_back(std::move(row));
  }
  return out;
}

// Computes the shown derived fields, attaches expansions, then drops what was selected only for
// them or for the cursor.
Json finish_rows(Transaction& tx, std::vector<Json> rows, const std::vector<Expansion>& expansions,
                 const std::vector<const ListField*>& shown_fields, const Selection& selection,
                 const std::function<void(Json&)>& shape) {
  for (Json& row : rows) {
    for (const ListField* field : shown_fields) {
      if (field->derive) row[field->name] = field->derive(row);
    }
  }
  for (const Expansion& e : expansions) {
    if (!rows.empty()) e.relation->load(tx, rows, e.request);
  }
  Json data = Json::array();
  for (Json& row : rows) {
    for (const ListField* field : selection.columns) {
      if (std::find(shown_fields.begin(), shown_fields.end(), field) == shown_fields.end()) {
        row.erase(field->name);
      }
    }
    if (shape) shape(row);
    data.push_back(std::move(row));
  }
  return data;
}

int64_t effective_limit(const ListQuery& query, const ListOptions& options) {
  int64_t limit = query.limit.value_or(options.default_limit);
  if (limit < 1) throw Error::Validation("limit", "limit must be at least 1");
  return std::min(limit, options.max_limit);
}

// ---- Relations from specs ---------------------------------------------------------------------

Value key_value(const Json& value, const std::string& field) {
  if (value.is_string()) return value.get<std::string>();
  if (value.is_number_integer()) return value.get<int64_t>();
  throw Error::Internal("relation key '" + field + "' is neither text nor an integer");
}

// The child rows whose `key` is one of `keys`, in the child's default order, expanded as asked.
std::vector<Json> load_children(Transaction& tx, const ListSpec& child, const std::string& key,
                                const std::vector<Value>& keys, const ExpandRequest& request) {
  ListQuery query;
  query.expand = request.nested;
  query.expand_limits = request.nested_limits;
  query.cursor = "";  // one unbounded "page": no COUNT(*)
  query.limit = kMaxRelatedRows;
  const ListField* key_field = child.find_field(key);
  if (key_field == nullptr) throw Error::Internal("relation key '" + key + "' is not a field");
  std::vector<Json> out;
  for (size_t start = 0; start < keys.size(); start += kKeysPerStatement) {
    size_t end = std::min(keys.size(), start + kKeysPerStatement);
    Where where;
    std::string placeholders;
    for (size_t i = start; i < end; ++i) placeholders += placeholders.empty() ? "?" : ", ?";
    where.add(key_field->column + " IN (" + placeholders + ")",
              std::vector<Value>(keys.begin() + static_cast<std::ptrdiff_t>(start),
                                 keys.begin() + static_cast<std::ptrdiff_t>(end)));
    ListOptions options;
    options.conditions.push_back({where.clauses.front(), where.params});
    options.max_limit = kMaxRelatedRows;
    Json part = run_list(tx, child, query, options)["data"];
    for (Json& row : part) out.push_back(std::move(row));
  }
  return out;
}

std::vector<Value> distinct_keys(const std::vector<Json>& rows, const std::string& field) {
  std::vector<Value> keys;
  std::set<std::string> seen;
  for (const Json& row : rows) {
    const Json& value = row.at(field);
    if (value.is_null() || !seen.insert(value.dump()).second) continue;
    keys.push_back(key_value(value, field));
  }
  return keys;
}

}  // namespace

// ---- ListSpec ---------------------------------------------------------------------------------

ListSpec& ListSpec::field(std::string name, std::string column, FieldType type, unsigned flags) {
  fields.push_back({std::move(name), std::move(column), type, flags, {}, nullptr});
  return *this;
}

ListSpec& ListSpec::derived(std::string name, std::vector<std::string> needs, Derivation derive) {
  for (const std::string& need : needs) {
    const ListField* field = find_field(need);
    if (field == nullptr || field->derive) {
      throw Error::Internal("derived field '" + name + "' needs unknown field '" + need + "'");
    }
  }
  fields.push_back({std::move(name), "", FieldType::kText, 0, std::move(needs), std::move(derive)});
  return *this;
}

ListSpec& ListSpec::relation(ListRelation r) {
  relations.push_back(std::move(r));
  return *this;
}

ListSpec& ListSpec::tenant_column(const std::string& column) {
  tenant = column + " = ?";
  return *this;
}

ListSpec& ListSpec::detail_relations(std::vector<std::string> names) {
  detail = std::move(names);
  return *this;
}

const ListField* ListSpec::find_field(std::string_view name) const {
  for (const ListField& f : fields) {
    if (f.name == name) return &f;
  }
  return nullptr;
}

const ListRelation* ListSpec::find_relation(std::string_view name) const {
  for (const ListRelation& r : relations) {
    if (r.name == name) return &r;
  }
  return nullptr;
}

// ---- run_list ---------------------------------------------------------------------------------

Condition filter_condition(const ListSpec& spec, const std::vector<Filter>& filters) {
  Where where;
  for (const Filter& filter : filters) add_filter(where, spec, filter);
  Condition out;
  for (const std::string& clause : where.clauses) {
    out.sql += (out.sql.empty() ? "" : " AND ") + clause;
  }
  out.params = std::move(where.params);
  return out;
}

Json run_list(Transaction& tx, const ListSpec& spec, const ListQuery& query,
              const ListOptions& options) {
  const int64_t limit = effective_limit(query, options);
  const bool by_cursor = query.cursor.has_value();
  if (by_cursor && query.page)
    throw Error::Validation("page", "page and cursor exclude each other");
  const int64_t page = query.page.value_or(1);
  if (page < 1 || page > kMaxPage || page - 1 > std::numeric_limits<int64_t>::max() / limit) {
    throw Error::Validation("page", "page must be between 1 and " + std::to_string(kMaxPage));
  }

  Where where;
  for (const Condition& condition : options.conditions) where.add(condition.sql, condition.params);
  for (const Filter& filter : query.filters) add_filter(where, spec, filter);
  add_search(where, spec, query);
  const std::vector<OrderKey> keys = resolve_sort(
      spec, query.sort.empty() ? parse_query_string("sort=" + spec.default_sort).sort : query.sort);

  const std::vector<const ListField*> shown_fields = output_fields(spec, query);
  const std::vector<Expansion> expansions = resolve_expansions(spec, query);
  Selection selection;
  for (const ListField* field : shown_fields) {
    if (!field->derive) selection.index_of(field);
  }
  for (const ListField* field : shown_fields) {
    for (const std::string& name : field->needs) require_field(spec, name, selection);
  }
  for (const Expansion& e : expansions) {
    for (const std::string& name : e.relation->needs) require_field(spec, name, selection);
  }
  std::vector<size_t> key_columns;
  for (const OrderKey& key : keys) key_columns.push_back(selection.index_of(key.field));

  Json pagination = {{"limit", limit}};
  int64_t total = 0;
  if (by_cursor) {
    if (!query.cursor->empty()) add_cursor(where, keys, decode_cursor(*query.cursor, keys));
  } else {
    total = tx.query_one("SELECT COUNT(*) FROM " + spec.from + where.sql(), where.params)->i64(0);
  }
  std::string sql =
      "SELECT " + selection.sql() + " FROM " + spec.from + where.sql() + order_by(keys);
  std::vector<Value> params = where.params;
  if (by_cursor) {
    sql += " LIMIT ?";
    params.emplace_back(limit + 1);  // one more tells whether there is a next page
  } else {
    sql += " LIMIT ? OFFSET ?";
    params.emplace_back(limit);
    params.emplace_back((page - 1) * limit);
  }
  Rows rows = tx.query(sql, params);
  const size_t shown_count = std::min(rows.size(), static_cast<size_t>(limit));

  if (by_cursor) {
    const bool has_next = rows.size() > shown_count;
    pagination["hasNext"] = has_next;
    pagination["nextCursor"] =
        has_next ? Json(encode_cursor(keys, rows[shown_count - 1], key_columns)) : Json(nullptr);
  } else {
    const int64_t total_pages = (total + limit - 1) / limit;
    pagination = {{"page", page},
                  {"limit", limit},
                  {"total", total},
                  {"totalPages", total_pages},
                  {"hasNext", page < total_pages},
                  {"hasPrev", page > 1}};
  }
  Json data = finish_rows(tx, to_json_rows(rows, selection, shown_count), expansions, shown_fields,
                          selection, spec.shape);
  return Json{{"data", std::move(data)}, {"pagination", std::move(pagination)}};
}

// ---- Plain parameters and table rows ---------------------------------------------------------

void adopt_plain_filters(ListQuery& query, const ListSpec& spec) {
  for (auto it = query.other.begin(); it != query.other.end();) {
    const ListField* field = spec.find_field(it->first);
    if (field != nullptr && (field->flags & kFilter) != 0 && !field->derive) {
      query.filters.push_back({it->first, FilterOp::kEq, {it->second}});
      it = query.other.erase(it);
    } else {
      ++it;
    }
  }
}

namespace {

// "a.status" -> "status", "status" -> "status"; "" for an expression.
std::string plain_column(const std::string& column) {
  const size_t dot = column.find('.');
  const std::string name = dot == std::string::npos ? column : column.substr(dot + 1);
  const std::string alias = dot == std::string::npos ? "" : column.substr(0, dot);
  auto identifier = [](const std::string& text) {
    return !text.empty() && std::all_of(text.begin(), text.end(), [](char c) {
      return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
    });
  };
  if (!identifier(name) || (dot != std::string::npos && !identifier(alias))) return "";
  return name;
}

}  // namespace

Json render_row(const ListSpec& spec, const Row& row) {
  Json out = Json::object();
  for (const ListField& field : spec.fields) {
    if (field.derive) continue;
    const std::string column = plain_column(field.column);
    if (column.empty()) {
      throw Error::Internal("field '" + field.name + "' is not a plain column: render it by query");
    }
    out[field.name] = json_value(field, row.at(column));
  }
  for (const ListField& field : spec.fields) {
    if (field.derive) out[field.name] = field.derive(out);
  }
  if (spec.shape) spec.shape(out);
  return out;
}

// ---- Relations --------------------------------------------------------------------------------

ListRelation has_many(std::string name, std::string parent_key, const ListSpec& child,
                      std::string child_key) {
  const ListSpec* spec = &child;  // specs are static: the relation outlives no spec
  ListRelation relation{name, {parent_key}, nullptr};
  relation.load = [=](Transaction& tx, std::vector<Json>& rows, const ExpandRequest& request) {
    std::vector<Json> children =
        load_children(tx, *spec, child_key, distinct_keys(rows, parent_key), request);
    for (Json& row : rows) {
      Json list = Json::array();
      for (const Json& item : children) {
        if (request.limit && static_cast<int64_t>(list.size()) >= *request.limit) break;
        if (!row.at(parent_key).is_null() && item.at(child_key) == row.at(parent_key)) {
          list.push_back(item);
        }
      }
      row[name] = std::move(list);
    }
  };
  return relation;
}

ListRelation belongs_to(std::string name, std::string parent_key, const ListSpec& target,
                        std::string target_key) {
  const ListSpec* spec = &target;
  ListRelation relation{name, {parent_key}, nullptr};
  relation.load = [=](Transaction& tx, std::vector<Json>& rows, const ExpandRequest& request) {
    std::vector<Json> targets =
        load_children(tx, *spec, target_key, distinct_keys(rows, parent_key), request);
    for (Json& row : rows) {
      Json match = nullptr;
      for (const Json& item : targets) {
        if (!row.at(parent_key).is_null() && item.at(target_key) == row.at(parent_key)) {
          match = item;
          break;
        }
      }
      row[name] = std::move(match);
    }
  };
  return relation;
}

}  // namespace dms::storage
