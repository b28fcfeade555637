// Exact decimal arithmetic: rounding modes, scaled-integer primitives and a parsed Decimal.
//
// Money, Quantity and Percent are built on these. No floating point is used anywhere: values are
// 64-bit integers of a fixed number of decimal places, and every product or quotient is computed
// with a 128-bit intermediate and then rounded with an explicitly named mode. A result that does
// not fit 64 bits raises Error(kOutOfRange), never wraps.
//
// Thread-safety: pure functions and value types.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace dms {

// How a value that falls between two representable values is resolved. There is no default:
// every rounding site names its mode.
enum class Rounding : uint8_t {
  kHalfAwayFromZero,  // 2.345 -> 2.35, -2.345 -> -2.35 (commercial rounding)
  kHalfEven,          // 2.345 -> 2.34, 2.355 -> 2.36 (banker's rounding)
  kHalfUp,            // ties toward +infinity: -2.345 -> -2.34
  kDown,              // toward zero (truncate)
  kUp,                // away from zero
  kFloor,             // toward -infinity
  kCeiling,           // toward +infinity
};

const char* rounding_name(Rounding mode) noexcept;

namespace fixed {

inline constexpr int kMaxScale = 18;

// 10^exponent for 0 <= exponent <= 18.
int64_t pow10(int exponent);

// Checked 64-bit arithmetic: Error(kOutOfRange) on overflow. `what` names the quantity.
int64_t add(int64_t a, int64_t b, const char* what = "value");
int64_t sub(int64_t a, int64_t b, const char* what = "value");
int64_t mul(int64_t a, int64_t b, const char* what = "value");
int64_t neg(int64_t a, const char* what = "value");

// round(value * numerator / denominator) with a 128-bit intermediate.
// REQUIRES: denominator != 0.
int64_t mul_div(int64_t value, int64_t numerator, int64_t denominator, Rounding mode,
                const char* what = "value");

// The integer of `units` at `from_scale` expressed at `to_scale` (rounding when shrinking).
int64_t rescale(int64_t units, int from_scale, int to_scale, Rounding mode,
                const char* what = "value");

// "-12.30" for (-1230, 2); scale 0 prints no point.
std::string format(int64_t units, int scale);
// Like format, without trailing fractional zeros ("1.5" for (1500, 3), "18" for (180000, 4)).
std::string format_trimmed(int64_t units, int scale);

}  // namespace fixed

// An exactly parsed decimal number of up to 18 significant digits and up to 18 places.
class Decimal {
 public:
  constexpr Decimal() = default;
  constexpr Decimal(int64_t units, int scale) : units_(units), scale_(scale) {}

  // Parses "[+-]digits[.digits]" exactly. Anything else (exponents, spaces, empty, too many
  // digits) is Error(kValidation) naming `field`.
  static Decimal parse(std::string_view text, std::string_view field = "value");

  int64_t units() const noexcept { return units_; }
  int scale() const noexcept { return scale_; }

  // The value at `scale` places, rounded with `mode` when places are dropped.
  int64_t units_at(int scale, Rounding mode) const;
  // The value at `scale` places; Error(kValidation) naming `field` if that would drop a
  // non-zero digit.
  int64_t units_at_exact(int scale, std::string_view field = "value") const;

  std::string to_string() const { return fixed::format(units_, scale_); }

 private:
  int64_t units_ = 0;
  int scale_ = 0;
};

}  // namespace dms
