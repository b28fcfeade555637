// Private to the inventory module: conversions between storage values, typed values and the
// JSON shapes of seed 002 (quantities and money as decimal strings, ids as strings).
//
// Thread-safety: pure functions.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "dms/json.hpp"
#include "dms/money.hpp"
#include "dms/quantity.hpp"
#include "dms/time.hpp"
#include "storage/store.hpp"

namespace dms::inventory {

// NULL for an empty string, so optional text columns stay NULL rather than ''.
inline storage::Value text_or_null(const std::string& text) {
  return text.empty() ? storage::Value{} : storage::Value{text};
}
inline storage::Value text_or_null(const std::optional<std::string>& text) {
  return text ? text_or_null(*text) : storage::Value{};
}
inline storage::Value units_or_null(const std::optional<Quantity>& q) {
  return q ? storage::Value{q->units()} : storage::Value{};
}

inline std::optional<Quantity> opt_quantity(const storage::Row& row, std::string_view column) {
  auto units = row.opt_i64(column);
  if (!units) return std::nullopt;
  return Quantity::from_units(*units);
}
inline Quantity quantity_of(const storage::Row& row, std::string_view column) {
  return Quantity::from_units(row.i64(column));
}
inline Money money_of(const storage::Row& row, std::string_view column) {
  return Money::from_minor(row.i64(column));
}
inline Percent percent_of(const storage::Row& row, std::string_view column) {
  return Percent::from_units(row.i64(column));
}

// JSON: decimal strings for exact values, null for absent ones.
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
inline Json json_time(int64_t micros) {
  return Timestamp::from_unix_micros(micros).to_string();
}
inline Json json_time(const std::optional<int64_t>& micros) {
  return micros ? json_time(*micros) : Json();
}
inline Json text_json(const storage::Row& row, std::string_view column) {
  return json_of(row.opt_str(column));
}
inline Json time_json(const storage::Row& row, std::string_view column) {
  return json_time(row.opt_i64(column));
}
inline Json quantity_json(const storage::Row& row, std::string_view column) {
  return json_of(opt_quantity(row, column));
}

}  // namespace dms::inventory
