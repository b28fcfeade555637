// The one home of the text and row helpers every module uses: trimming and case of text, stored
// values from request values, typed values and response JSON from stored rows, and UPDATE
// statements built column by column. Each helper is defined here once, with one meaning; modules
// do not define their own.
//
// Naming, so that opposite meanings never share a name:
//   - null_if_empty(text): a stored value, NULL for absent or empty text ('' is never stored);
//     text(s): a stored value that keeps '' as ''.
//   - *_json(row, column): a column as its response JSON, null when the column is NULL.
//   - *_of(row, column): a required column as its typed value; *_or_zero: NULL reads as zero.
//   - json_of(value): a typed value as its response JSON (decimal strings for exact values).
//
// Thread-safety: pure functions; UpdateBuilder is a plain value.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "dms/context.hpp"
#include "dms/json.hpp"
#include "dms/money.hpp"
#include "dms/pricing.hpp"
#include "dms/quantity.hpp"
#include "dms/time.hpp"
#include "service/request.hpp"
#include "storage/store.hpp"

namespace dms::rows {

using storage::Value;

// ---- Text ---------------------------------------------------------------------------------------

// Without surrounding white space (std::isspace).
std::string trim(std::string_view text);
// ASCII upper case; other bytes unchanged.
std::string upper(std::string_view text);
// ASCII lower case; other bytes unchanged.
std::string lower(std::string_view text);
// ASCII upper case with spaces, tabs and dashes removed: "mh 01-ab 1234" -> "MH01AB1234".
std::string compact_upper(std::string_view text);

// ---- Request value -> stored value -----------------------------------------------------------

// NULL for absent or empty text, so optional text columns stay NULL rather than ''.
inline Value null_if_empty(std::string_view text) {
  return text.empty() ? Value() : Value(std::string(text));
}
inline Value null_if_empty(const std::string& text) {
  return null_if_empty(std::string_view(text));
}
inline Value null_if_empty(const std::optional<std::string>& text) {
  return text ? null_if_empty(std::string_view(*text)) : Value();
}
// The text as stored ('' stays ''); NULL only when absent.
inline Value text(std::string s) {
  return Value(std::move(s));
}
inline Value text(const std::optional<std::string>& s) {
  return s ? Value(*s) : Value();
}
inline Value integer(int64_t v) {
  return Value(v);
}
inline Value integer(const std::optional<int64_t>& v) {
  return v ? Value(*v) : Value();
}
inline Value micros(Timestamp t) {
  return Value(t.unix_micros());
}
inline Value paise(Money m) {
  return Value(m.minor());
}
inline Value paise(const std::optional<Money>& m) {
  return m ? Value(m->minor()) : Value();
}
// A rate in ten-thousandths of a percent, NULL when absent.
inline Value percent_value(const std::optional<Percent>& p) {
  return p ? Value(p->units()) : Value();
}
inline Value thousandths(Quantity q) {
  return Value(q.units());
}
inline Value thousandths(const std::optional<Quantity>& q) {
  return q ? Value(q->units()) : Value();
}
inline Value date_text(const std::optional<Date>& d) {
  return d ? Value(d->to_string()) : Value();
}
// The user id of the actor, or NULL for the system context.
inline Value actor(const Context& ctx) {
  return ctx.user_id.empty() ? Value() : Value(ctx.user_id);
}

// An optional trimmed string field: absent, null or blank all read as nullopt.
std::optional<std::string> opt_trimmed(const request::Fields& f, std::string_view name,
                                       size_t max_len = 1000);

// ---- Stored row -> typed value ---------------------------------------------------------------

// Required columns (storage's error when NULL).
inline Money money_of(const storage::Row& row, std::string_view column) {
  return Money::from_minor(row.i64(column));
}
inline Quantity quantity_of(const storage::Row& row, std::string_view column) {
  return Quantity::from_units(row.i64(column));
}
inline Percent percent_of(const storage::Row& row, std::string_view column) {
  return Percent::from_units(row.i64(column));
}
// NULL reads as zero.
inline Money money_or_zero(const storage::Row& row, std::string_view column) {
  return Money::from_minor(row.opt_i64(column).value_or(0));
}
inline Quantity quantity_or_zero(const storage::Row& row, std::string_view column) {
  return Quantity::from_units(row.opt_i64(column).value_or(0));
}
inline std::optional<Quantity> opt_quantity(const storage::Row& row, std::string_view column) {
  auto units = row.opt_i64(column);
  if (!units) return std::nullopt;
  return Quantity::from_units(*units);
}

// ---- Typed value -> response JSON ------------------------------------------------------------

// Decimal strings for exact values, null for absent ones.
inline Json json_of(Quantity q) {
  return q.to_string();
}
inline Json json_of(Money m) {
  return m.to_string();
}
inline Json json_of(Percent p) {
  return p.to_string();
}
inline Json json_of(const std::optional<Quantity>& q) {
  return q ? Json(q->to_string()) : Json();
}
inline Json json_of(const std::optional<std::string>& s) {
  return s ? Json(*s) : Json();
}
// A microsecond timestamp as RFC 3339, or null.
inline Json json_time(int64_t micros) {
  return Timestamp::from_unix_micros(micros).to_string();
}
inline Json json_time(const std::optional<int64_t>& micros) {
  return micros ? json_time(*micros) : Json();
}

// ---- Stored row -> response JSON -------------------------------------------------------------

// The column as a JSON string, or null.
inline Json text_json(const storage::Row& row, std::string_view column) {
  return json_of(row.opt_str(column));
}
// A microsecond timestamp column as RFC 3339, or null.
inline Json time_json(const storage::Row& row, std::string_view column) {
  return json_time(row.opt_i64(column));
}
// A thousandths column as a trimmed decimal ("1.5"), or null.
inline Json quantity_json(const storage::Row& row, std::string_view column) {
  return json_of(opt_quantity(row, column));
}
// A paise column as "1234.50", or null.
inline Json money_json(const storage::Row& row, std::string_view column) {
  auto v = row.opt_i64(column);
  return v ? Json(Money::from_minor(*v).to_string()) : Json();
}
// An integer column, or null.
inline Json int_json(const storage::Row& row, std::string_view column) {
  auto v = row.opt_i64(column);
  return v ? Json(*v) : Json();
}
// A JSON document stored as TEXT, or null.
Json document_json(const storage::Row& row, std::string_view column);
// A paise column as "1234.50" (NULL reads as zero).
inline std::string money_text(const storage::Row& row, std::string_view column) {
  return money_or_zero(row, column).to_string();
}
// A ten-thousandths-of-a-percent column as "18".
inline std::string percent_text(const storage::Row& row, std::string_view column) {
  return percent_of(row, column).to_string();
}

// ---- UPDATE statements -----------------------------------------------------------------------

// Collects "column = ?" assignments for one UPDATE.
class UpdateBuilder {
 public:
  void set(std::string_view column, Value value);
  bool empty() const { return assignments_.empty(); }
  // "UPDATE <table> SET a = ?, b = ? WHERE id = ?" executed with `id` appended.
  int64_t apply(storage::Transaction& tx, std::string_view table, const std::string& id);

 private:
  std::string assignments_;
  std::vector<Value> values_;
};

// ---- Priced document lines (invoice_lines, sales_lines) ----------------------------------------

// The columns of a line's priced figures, in the order append_priced_figures writes them.
inline constexpr const char* kPricedLineColumns =
    "gross, line_discount, net, document_discount_share, amount, taxable, cgst, sgst, igst, total";
// Appends the priced figures of `line` (minor units) for kPricedLineColumns.
void append_priced_figures(std::vector<Value>& params, const PricedLine& line);
// The pricing input stored on a line row: description, hsn_sac, quantity, unit_price, gst_rate,
// discount_percent, discount_amount (the type is the caller's: its column differs per table).
LineInput line_input_of(const storage::Row& row);

}  // namespace dms::rows
