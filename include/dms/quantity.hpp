// Quantity and Percent: exact decimals of a fixed number of places.
//
// Quantity has 3 places (litres of oil are fractional). Percent has 4 places, so GST slabs such as
// 0.25 % and discounts such as 12.5 % are exact. Both are 64-bit integers underneath; arithmetic
// that would overflow raises Error(kOutOfRange).
//
// Thread-safety: value types.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "dms/decimal.hpp"

namespace dms {

template <class Tag, int Scale>
class FixedDecimal {
 public:
  static constexpr int kScale = Scale;

  constexpr FixedDecimal() = default;

  // From the integer of units at kScale places (1.5 litres = from_units(1500)).
  static constexpr FixedDecimal from_units(int64_t units) { return FixedDecimal(units); }
  // A whole number (8 pieces).
  static FixedDecimal from_int(int64_t whole) {
    return FixedDecimal(fixed::mul(whole, fixed::pow10(Scale), Tag::kName));
  }
  // Exact parse: more than kScale places is Error(kValidation) naming `field`.
  static FixedDecimal parse(std::string_view text, std::string_view field = Tag::kName) {
    return FixedDecimal(Decimal::parse(text, field).units_at_exact(Scale, field));
  }
  // Parse and round to kScale places with an explicit mode.
  static FixedDecimal parse(std::string_view text, Rounding mode,
                            std::string_view field = Tag::kName) {
    return FixedDecimal(Decimal::parse(text, field).units_at(Scale, mode));
  }

  constexpr int64_t units() const noexcept { return units_; }
  constexpr bool is_zero() const noexcept { return units_ == 0; }
  constexpr bool is_negative() const noexcept { return units_ < 0; }
  // True when there is no fractional part.
  constexpr bool is_whole() const noexcept { return units_ % kUnit == 0; }

  // Trimmed decimal string: "1.5", "18", "0.25".
  std::string to_string() const { return fixed::format_trimmed(units_, Scale); }
  // All kScale places: "1.500".
  std::string to_string_fixed() const { return fixed::format(units_, Scale); }

  FixedDecimal operator+(FixedDecimal o) const {
    return FixedDecimal(fixed::add(units_, o.units_, Tag::kName));
  }
  FixedDecimal operator-(FixedDecimal o) const {
    return FixedDecimal(fixed::sub(units_, o.units_, Tag::kName));
  }
  FixedDecimal operator-() const { return FixedDecimal(fixed::neg(units_, Tag::kName)); }
  FixedDecimal& operator+=(FixedDecimal o) { return *this = *this + o; }
  FixedDecimal& operator-=(FixedDecimal o) { return *this = *this - o; }

  friend constexpr bool operator==(FixedDecimal a, FixedDecimal b) { return a.units_ == b.units_; }
  friend constexpr bool operator!=(FixedDecimal a, FixedDecimal b) { return a.units_ != b.units_; }
  friend constexpr bool operator<(FixedDecimal a, FixedDecimal b) { return a.units_ < b.units_; }
  friend constexpr bool operator<=(FixedDecimal a, FixedDecimal b) { return a.units_ <= b.units_; }
  friend constexpr bool operator>(FixedDecimal a, FixedDecimal b) { return a.units_ > b.units_; }
  friend constexpr bool operator>=(FixedDecimal a, FixedDecimal b) { return a.units_ >= b.units_; }

 private:
  static constexpr int64_t kUnit = [] {
    int64_t u = 1;
    for (int i = 0; i < Scale; ++i) u *= 10;
    return u;
  }();
  constexpr explicit FixedDecimal(int64_t units) : units_(units) {}
  int64_t units_ = 0;
};

struct QuantityTag {
  static constexpr const char* kName = "quantity";
};
struct PercentTag {
  static constexpr const char* kName = "percent";
};

// A quantity of stock or of a line, 3 decimal places.
using Quantity = FixedDecimal<QuantityTag, 3>;
// A percentage (18 means 18 %), 4 decimal places.
using Percent = FixedDecimal<PercentTag, 4>;

}  // namespace dms
