#include "storage/document_numbers.hpp"

#include "dms/error.hpp"

namespace dms::storage {
namespace {

Error bad_format(std::string_view pattern, const std::string& why) {
  return Error::Validation("numberFormat",
                           "number format '" + std::string(pattern.substr(0, 64)) + "': " + why);
}

std::string zero_padded(int64_t value, size_t width) {
  std::string digits = std::to_string(value);
  if (digits.size() < width) digits.insert(0, width - digits.size(), '0');
  return digits;
}

std::string two_digits(int value) {
  return zero_padded(value, 2);
}

// The text of one {token}.
std::string expand_token(std::string_view pattern, std::string_view token, int64_t sequence,
                         const NumberFields& fields) {
  if (token.size() == 4 && token.substr(0, 3) == "SEQ" && token[3] >= '1' && token[3] <= '9') {
    return zero_padded(sequence, static_cast<size_t>(token[3] - '0'));
  }
  auto it = fields.find(token);
  if (it == fields.end()) throw bad_format(pattern, "no value for {" + std::string(token) + "}");
  return it->second;
}

}  // namespace

int64_t next_number(Transaction& tx, std::string_view series, std::string_view scope) {
  if (series.empty()) throw Error::Internal("next_number: empty series");
  const std::vector<Value> key{std::string(series), std::string(scope)};
  const char* increment =
      "UPDATE document_counters SET value = value + 1 WHERE series = ? AND scope = ? "
      "RETURNING value";
  if (auto row = tx.query_one(increment, key)) return row->i64(0);
  // First use of this counter. A concurrent first use waits on the conflicting insert and then
  // does nothing; both then increment the one row, in turn.
  tx.exec(
      "INSERT INTO document_counters (series, scope, value) VALUES (?, ?, 0) "
      "ON CONFLICT (series, scope) DO NOTHING",
      key);
  return tx.query_one(increment, key)->i64(0);
}

std::string format_number(std::string_view pattern, int64_t sequence, const NumberFields& fields) {
  std::string out;
  size_t pos = 0;
  while (pos < pattern.size()) {
    size_t open = pattern.find_first_of("{}", pos);
    if (open == std::string_view::npos) break;
    if (pattern[open] == '}') throw bad_format(pattern, "unbalanced '}'");
    size_t close = pattern.find_first_of("{}", open + 1);
    if (close == std::string_view::npos || pattern[close] != '}') {
      throw bad_format(pattern, "unbalanced '{'");
    }
    out.append(pattern.substr(pos, open - pos));
    out.append(expand_token(pattern, pattern.substr(open + 1, close - open - 1), sequence, fields));
    pos = close + 1;
  }
  out.append(pattern.substr(pos));
  return out;
}

NumberFields date_fields(Date date, NumberFields fields) {
  FinancialYear fy = FinancialYear::of(date);
  fields["YYYY"] = std::to_string(date.year());
  fields["YY"] = two_digits(date.year() % 100);
  fields["MM"] = two_digits(date.month());
  fields["DD"] = two_digits(date.day());
  fields["FY"] = fy.short_code();
  fields["FYLABEL"] = fy.label();
  return fields;
}

std::string allocate(Transaction& tx, std::string_view series, std::string_view scope,
                     std::string_view pattern, const NumberFields& fields, size_t max_length) {
  format_number(pattern, 0, fields);  // a bad pattern fails before the counter moves
  std::string number = format_number(pattern, next_number(tx, series, scope), fields);
  if (max_length > 0 && number.size() > max_length) {
    throw bad_format(
        pattern, "'" + number + "' is longer than " + std::to_string(max_length) + " characters");
  }
  return number;
}

std::string allocate(Transaction& tx, const NumberSeries& series, const NumberFields& fields) {
  std::string scope = format_number(series.scope, 0, fields);
  return allocate(tx, series.name, scope, series.pattern, fields, series.max_length);
}

}  // namespace dms::storage
