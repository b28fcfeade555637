// Reading request documents: every accessor validates and, on failure, throws
// Error(kValidation) whose field is the full path ("items[2].quantity").
//
// Money, quantities and rates are accepted as decimal strings ("40000.00", recommended) or as
// JSON numbers (seed 002's examples use them); numbers are read from their shortest decimal
// text, never through floating-point arithmetic.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>

#include "dms/json.hpp"
#include "dms/money.hpp"
#include "dms/time.hpp"

namespace dms::request {

class Fields {
 public:
  explicit Fields(const Json& doc, std::string prefix = "");

  bool has(std::string_view name) const;  // present and not null
  // The full path of a field, for error messages.
  std::string path(std::string_view name) const { return prefix_ + std::string(name); }

  std::string str(std::string_view name, size_t min_len = 1, size_t max_len = 1000) const;
  std::optional<std::string> opt_str(std::string_view name, size_t max_len = 1000) const;
  // One of a fixed set of values (enums such as "B2C"/"B2B").
  std::string one_of(std::string_view name, std::initializer_list<const char*> allowed) const;
  std::optional<std::string> opt_one_of(std::string_view name,
                                        std::initializer_list<const char*> allowed) const;

  int64_t integer(std::string_view name) const;
  std::optional<int64_t> opt_integer(std::string_view name) const;
  bool boolean(std::string_view name, bool fallback) const;

  Money money(std::string_view name) const;
  std::optional<Money> opt_money(std::string_view name) const;
  Quantity quantity(std::string_view name) const;
  std::optional<Quantity> opt_quantity(std::string_view name) const;
  Percent percent(std::string_view name) const;
  std::optional<Percent> opt_percent(std::string_view name) const;

  Date date(std::string_view name) const;
  std::optional<Date> opt_date(std::string_view name) const;
  Timestamp timestamp(std::string_view name) const;
  std::optional<Timestamp> opt_timestamp(std::string_view name) const;

  // A required non-empty array, and a reader for each element ("items[0].").
  const Json& array(std::string_view name, size_t max_items = 10000) const;
  Fields element(std::string_view array_name, size_t index) const;
  // A nested object ("part1Data.").
  Fields object(std::string_view name) const;
  const Json& raw(std::string_view name) const;  // the JSON value, null when absent

 private:
  const Json* find(std::string_view name) const;
  std::string decimal_text(std::string_view name) const;

  const Json& doc_;
  std::string prefix_;
};

}  // namespace dms::request
