// Private to the pricing engine: the few exact integer operations it repeats for every line.
//
// Each has a 64-bit fast path for the values documents actually hold and falls back to the
// library's 128-bit fixed:: functions (or Boost's int128) otherwise, so results are exact for
// every input and overflow still raises Error(kOutOfRange). The fast paths are inline so that
// divisions by constant denominators compile to multiplications.
#pragma once

#include <cstdint>

#include "dms/decimal.hpp"

namespace dms::pricing_detail {

inline int64_t checked_add(int64_t a, int64_t b) {
  int64_t sum;
  if (__builtin_add_overflow(a, b, &sum)) return fixed::add(a, b, "amount");  // throws
  return sum;
}

inline int64_t checked_sub(int64_t a, int64_t b) {
  int64_t difference;
  if (__builtin_sub_overflow(a, b, &difference)) return fixed::sub(a, b, "amount");  // throws
  return difference;
}

// round(value x numerator / denominator), half away from zero.
// REQUIRES: numerator >= 0, denominator > 0.
inline int64_t mul_div_half_away(int64_t value, int64_t numerator, int64_t denominator) {
  int64_t product;
  if (value < 0 || __builtin_mul_overflow(value, numerator, &product)) {
    return fixed::mul_div(value, numerator, denominator, Rounding::kHalfAwayFromZero, "amount");
  }
  const int64_t quotient = product / denominator;
  const int64_t remainder = product % denominator;
  return remainder >= denominator - remainder ? quotient + 1 : quotient;
}

struct QuotientRemainder {
  int64_t quotient;
  int64_t remainder;
};

// floor(value x numerator / denominator) and the remainder, in [0, denominator).
// REQUIRES: value >= 0, numerator >= 0, denominator > 0.
QuotientRemainder mul_div_floor_slow(int64_t value, int64_t numerator, int64_t denominator);

inline QuotientRemainder mul_div_floor(int64_t value, int64_t numerator, int64_t denominator) {
  int64_t product;
  if (__builtin_mul_overflow(value, numerator, &product)) {
    return mul_div_floor_slow(value, numerator, denominator);
  }
  return {product / denominator, product % denominator};
}

}  // namespace dms::pricing_detail
