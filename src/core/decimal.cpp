#include "dms/decimal.hpp"

#include <boost/multiprecision/cpp_int.hpp>

#include <cstdlib>
#include <limits>

#include "dms/error.hpp"

namespace dms {
namespace {

using boost::multiprecision::int128_t;

constexpr int64_t kPow10[] = {1LL,
                              10LL,
                              100LL,
                              1000LL,
                              10000LL,
                              100000LL,
                              1000000LL,
                              10000000LL,
                              100000000LL,
                              1000000000LL,
                              10000000000LL,
                              100000000000LL,
                              1000000000000LL,
                              10000000000000LL,
                              100000000000000LL,
                              1000000000000000LL,
                              10000000000000000LL,
                              100000000000000000LL,
                              1000000000000000000LL};

[[noreturn]] void overflow(const char* what) {
  throw Error::OutOfRange(what, std::string(what) + " is outside the representable range");
}

int64_t narrow(const int128_t& v, const char* what) {
  if (v > std::numeric_limits<int64_t>::max() || v < std::numeric_limits<int64_t>::min()) {
    overflow(what);
  }
  return static_cast<int64_t>(v);
}

// Rounds the exact quotient n / d (d > 0 after normalisation) with `mode`.
int128_t divide_rounded(int128_t n, int128_t d, Rounding mode) {
  if (d < 0) {
    n = -n;
    d = -d;
  }
  int128_t q = n / d;  // truncates toward zero
  int128_t r = n % d;  // same sign as n
  if (r == 0) return q;
  const bool negative = n < 0;
  const int128_t twice_r = (r < 0 ? -r : r) * 2;
  bool away = false;  // move one unit away from zero?
  switch (mode) {
    case Rounding::kDown:
      away = false;
      break;
    case Rounding::kUp:
      away = true;
      break;
    case Rounding::kFloor:
      away = negative;
      break;
    case Rounding::kCeiling:
      away = !negative;
      break;
    case Rounding::kHalfAwayFromZero:
      away = twice_r >= d;
      break;
    case Rounding::kHalfUp:
      away = negative ? twice_r > d : twice_r >= d;
      break;
    case Rounding::kHalfEven:
      away = twice_r > d || (twice_r == d && (q % 2 != 0));
      break;
  }
  if (away) q += negative ? -1 : 1;
  return q;
}

}  // namespace

const char* rounding_name(Rounding mode) noexcept {
  switch (mode) {
    case Rounding::kHalfAwayFromZero:
      return "HALF_AWAY_FROM_ZERO";
    case Rounding::kHalfEven:
      return "HALF_EVEN";
    case Rounding::kHalfUp:
      return "HALF_UP";
    case Rounding::kDown:
      return "DOWN";
    case Rounding::kUp:
      return "UP";
    case Rounding::kFloor:
      return "FLOOR";
    case Rounding::kCeiling:
      return "CEILING";
  }
  return "UNKNOWN";
}

namespace fixed {

int64_t pow10(int exponent) {
  if (exponent < 0 || exponent > kMaxScale) {
    throw Error::OutOfRange("scale", "decimal scale must be between 0 and 18");
  }
  return kPow10[exponent];
}

int64_t add(int64_t a, int64_t b, const char* what) {
  int64_t r;
  if (__builtin_add_overflow(a, b, &r)) overflow(what);
  return r;
}

int64_t sub(int64_t a, int64_t b, const char* what) {
  int64_t r;
  if (__builtin_sub_overflow(a, b, &r)) overflow(what);
  return r;
}

int64_t mul(int64_t a, int64_t b, const char* what) {
  int64_t r;
  if (__builtin_mul_overflow(a, b, &r)) overflow(what);
  return r;
}

int64_t neg(int64_t a, const char* what) {
  if (a == std::numeric_limits<int64_t>::min()) overflow(what);
  return -a;
}

int64_t mul_div(int64_t value, int64_t numerator, int64_t denominator, Rounding mode,
                const char* what) {
  if (denominator == 0) throw Error::Internal("mul_div: division by zero");
  const int128_t product = int128_t(value) * numerator;
  return narrow(divide_rounded(product, int128_t(denominator), mode), what);
}

int64_t rescale(int64_t units, int from_scale, int to_scale, Rounding mode, const char* what) {
  if (to_scale == from_scale) return units;
  if (to_scale > from_scale) return mul(units, pow10(to_scale - from_scale), what);
  return narrow(divide_rounded(int128_t(units), int128_t(pow10(from_scale - to_scale)), mode),
                what);
}

std::string format(int64_t units, int scale) {
  const bool negative = units < 0;
  // Work in unsigned to print INT64_MIN correctly.
  uint64_t magnitude = negative ? (~static_cast<uint64_t>(units) + 1) : static_cast<uint64_t>(units);
  std::string digits = std::to_string(magnitude);
  if (scale > 0) {
    if (digits.size() <= static_cast<size_t>(scale)) {
      digits.insert(0, static_cast<size_t>(scale) + 1 - digits.size(), '0');
    }
    digits.insert(digits.size() - static_cast<size_t>(scale), 1, '.');
  }
  if (negative) digits.insert(0, 1, '-');
  return digits;
}

std::string format_trimmed(int64_t units, int scale) {
  std::string s = format(units, scale);
  if (scale == 0) return s;
  while (s.back() == '0') s.pop_back();
  if (s.back() == '.') s.pop_back();
  return s;
}

}  // namespace fixed

Decimal Decimal::parse(std::string_view text, std::string_view field) {
  const std::string f(field);
  auto invalid = [&](const char* why) {
    return Error::Validation(f, f + ": '" + std::string(text.substr(0, 64)) + "' is not a decimal number (" + why + ")");
  };
  size_t i = 0;
  bool negative = false;
  if (i < text.size() && (text[i] == '+' || text[i] == '-')) {
    negative = text[i] == '-';
    ++i;
  }
  // Trailing fractional zeros are deferred (pending_zeros) so that "1.500" parses like "1.5" and
  // never overflows on zeros alone.
  uint64_t magnitude = 0;
  int digits = 0;
  int scale = -1;  // -1 until the point is seen
  int pending_zeros = 0;
  auto push = [&](unsigned digit) {
    if (__builtin_mul_overflow(magnitude, 10u, &magnitude) ||
        __builtin_add_overflow(magnitude, digit, &magnitude)) {
      throw Error::OutOfRange(f, f + ": '" + std::string(text.substr(0, 40)) +
                                     "' is outside the representable range");
    }
  };
  for (; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '.') {
      if (scale >= 0) throw invalid("two decimal points");
      scale = 0;
      continue;
    }
    if (c < '0' || c > '9') throw invalid("unexpected character");
    ++digits;
    if (scale < 0) {
      push(static_cast<unsigned>(c - '0'));
      continue;
    }
    if (c == '0') {
      ++pending_zeros;
      continue;
    }
    for (; pending_zeros > 0; --pending_zeros) {
      push(0);
      ++scale;
    }
    push(static_cast<unsigned>(c - '0'));
    if (++scale > fixed::kMaxScale) throw invalid("more than 18 decimal places");
  }
  if (digits == 0) throw invalid("no digits");
  if (scale == 0 && pending_zeros == 0 && text.back() == '.') {
    throw invalid("no digits after the decimal point");
  }
  if (scale < 0) scale = 0;
  constexpr uint64_t kMaxPositive = static_cast<uint64_t>(std::numeric_limits<int64_t>::max());
  if (magnitude > kMaxPositive + (negative ? 1u : 0u)) {
    throw Error::OutOfRange(f, f + ": '" + std::string(text.substr(0, 40)) +
                                   "' is outside the representable range");
  }
  if (negative) return Decimal(static_cast<int64_t>(~magnitude + 1), scale);
  return Decimal(static_cast<int64_t>(magnitude), scale);
}
int64_t Decimal::units_at(int scale, Rounding mode) const {
  return fixed::rescale(units_, scale_, scale, mode);
}

int64_t Decimal::units_at_exact(int scale, std::string_view field) const {
  if (scale < scale_) {
    const int64_t divisor = fixed::pow10(scale_ - scale);
    if (units_ % divisor != 0) {
      const std::string f(field);
      throw Error::Validation(f, f + ": " + to_string() + " has more than " +
                                     std::to_string(scale) +
                                     " decimal places; round it explicitly");
    }
    return units_ / divisor;
  }
  return fixed::rescale(units_, scale_, scale, Rounding::kDown);
}

}  // namespace dms
