// Property test: Money arithmetic against an independent exact model (Boost cpp_int).
#include <catch2/catch.hpp>

#include <boost/multiprecision/cpp_int.hpp>

#include <limits>
#include <random>

#include "dms/error.hpp"
#include "dms/money.hpp"

using boost::multiprecision::cpp_int;
using dms::Money;
using dms::Quantity;
using dms::Rounding;

namespace {

// Reference rounding of n / d for the model, written independently of the library: it works on
// floor division and the exact remainder.
cpp_int model_round(const cpp_int& n, const cpp_int& d, Rounding mode) {
  cpp_int q = n / d;  // truncated
  cpp_int r = n - q * d;
  if (r == 0) return q;
  const int sign = (n < 0) != (d < 0) ? -1 : 1;
  const cpp_int abs_r = cpp_int(abs(r)) * 2, abs_d = abs(d);
  const cpp_int floor_q = sign < 0 ? cpp_int(q - 1) : q;
  const cpp_int ceil_q = floor_q + 1;
  // the exact value lies strictly between floor_q and ceil_q
  const bool tie = abs_r == abs_d;
  const bool above_half = abs_r > abs_d;  // distance from the truncated value
  const cpp_int toward_zero = q;
  const cpp_int away = sign < 0 ? cpp_int(q - 1) : cpp_int(q + 1);
  switch (mode) {
    case Rounding::kDown:
      return toward_zero;
    case Rounding::kUp:
      return away;
    case Rounding::kFloor:
      return floor_q;
    case Rounding::kCeiling:
      return ceil_q;
    case Rounding::kHalfAwayFromZero:
      return (tie || above_half) ? away : toward_zero;
    case Rounding::kHalfUp:
      return tie ? ceil_q : (above_half ? away : toward_zero);
    case Rounding::kHalfEven:
      if (tie) return (toward_zero % 2 == 0) ? toward_zero : away;
      return above_half ? away : toward_zero;
  }
  return q;
}

bool fits(const cpp_int& v) {
  return v >= cpp_int(std::numeric_limits<int64_t>::min()) &&
         v <= cpp_int(std::numeric_limits<int64_t>::max());
}

}  // namespace

TEST_CASE("property: add, subtract, multiply and divide agree with cpp_int") {
  std::mt19937_64 rng(20261121);
  const Rounding modes[] = {Rounding::kHalfAwayFromZero, Rounding::kHalfEven, Rounding::kHalfUp,
                            Rounding::kDown,           Rounding::kUp,       Rounding::kFloor,
                            Rounding::kCeiling};
  // Mix of small, large and extreme magnitudes so both the exact path and overflow are hit.
  auto draw = [&]() -> int64_t {
    switch (rng() % 4) {
      case 0:
        return static_cast<int64_t>(rng() % 2000001) - 1000000;
      case 1:
        return static_cast<int64_t>(rng() % 20000000001ULL) - 10000000000LL;
      case 2:
        return static_cast<int64_t>(rng());
      default:
        return static_cast<int64_t>(rng() >> (rng() % 63));
    }
  };
  int checked = 0, overflows = 0;
  for (int i = 0; i < 200000; ++i) {
    const int64_t a = draw(), b = draw();
    const Money ma = Money::from_minor(a), mb = Money::from_minor(b);
    // addition
    const cpp_int sum = cpp_int(a) + b;
    if (fits(sum)) {
      REQUIRE((ma + mb).minor() == static_cast<int64_t>(sum));
    } else {
      REQUIRE_THROWS_AS(ma + mb, dms::Error);
      ++overflows;
    }
    // subtraction
    const cpp_int diff = cpp_int(a) - b;
    if (fits(diff)) {
      REQUIRE((ma - mb).minor() == static_cast<int64_t>(diff));
    } else {
      REQUIRE_THROWS_AS(ma - mb, dms::Error);
    }
    // multiply by a quantity, rounding to the paisa
    const int64_t q = static_cast<int64_t>(rng() % 2000001) - 1000000;
    const Rounding mode = modes[rng() % 7];
    const cpp_int expected = model_round(cpp_int(a) * q, cpp_int(1000), mode);
    if (fits(expected)) {
      REQUIRE(ma.times(Quantity::from_units(q), mode).minor() == static_cast<int64_t>(expected));
    } else {
      REQUIRE_THROWS_AS(ma.times(Quantity::from_units(q), mode), dms::Error);
    }
    // general ratio
    const int64_t num = static_cast<int64_t>(rng() % 100000) - 50000;
    const int64_t den = static_cast<int64_t>(rng() % 99999) + 1;
    const cpp_int ratio = model_round(cpp_int(a) * num, cpp_int(den), mode);
    if (fits(ratio)) {
      REQUIRE(ma.mul_div(num, den, mode).minor() == static_cast<int64_t>(ratio));
    } else {
      REQUIRE_THROWS_AS(ma.mul_div(num, den, mode), dms::Error);
    }
    // format/parse round trip
    REQUIRE(Money::parse(ma.to_string()).minor() == a);
    ++checked;
  }
  CHECK(checked == 200000);
  CHECK(overflows > 0);  // the generator reaches the edges
}
