// Value types: Decimal, Money, Quantity, Percent. Exhaustive on rounding and overflow.
#include <catch2/catch.hpp>

#include <limits>

#include "dms/error.hpp"
#include "dms/money.hpp"

using dms::Currency;
using dms::Decimal;
using dms::ErrorCode;
using dms::Money;
using dms::Percent;
using dms::Quantity;
using dms::Rounding;

namespace {

ErrorCode code_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const dms::Error& e) {
    return e.code();
  }
  return ErrorCode::kOk;
}

std::string field_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const dms::Error& e) {
    return e.field();
  }
  return "<no error>";
}

std::string round2(const char* text, Rounding mode) { return Money::parse(text, mode).to_string(); }

}  // namespace

TEST_CASE("acceptance: 0.1 + 0.2 is exactly 0.30") {
  CHECK((Money::parse("0.1") + Money::parse("0.2")).to_string() == "0.30");
  CHECK(Money::parse("0.1") + Money::parse("0.2") == Money::parse("0.3"));
}

TEST_CASE("acceptance: rounding 2.345 to two places") {
  CHECK(round2("2.345", Rounding::kHalfAwayFromZero) == "2.35");
  CHECK(round2("-2.345", Rounding::kHalfAwayFromZero) == "-2.35");
  CHECK(round2("2.345", Rounding::kHalfEven) == "2.34");
}

TEST_CASE("acceptance: an amount with too many places needs an explicit rounding") {
  CHECK(code_of([] { Money::parse("12.345"); }) == ErrorCode::kValidation);
  CHECK(field_of([] { Money::parse("12.345", Currency::inr(), "unitPrice"); }) == "unitPrice");
  CHECK(Money::parse("12.340").to_string() == "12.34");  // trailing zeros are exact
}

TEST_CASE("acceptance: overflow is an error, never a wrap") {
  const Money max = Money::from_minor(std::numeric_limits<int64_t>::max());
  const Money min = Money::from_minor(std::numeric_limits<int64_t>::min());
  CHECK(code_of([&] { (void)(max + Money::from_minor(1)); }) == ErrorCode::kOutOfRange);
  CHECK(code_of([&] { (void)(min - Money::from_minor(1)); }) == ErrorCode::kOutOfRange);
  CHECK(code_of([&] { (void)(-min); }) == ErrorCode::kOutOfRange);
  CHECK(code_of([&] { (void)max.times(2); }) == ErrorCode::kOutOfRange);
  CHECK(code_of([&] { (void)max.times(Quantity::parse("1.001"), Rounding::kDown); }) ==
        ErrorCode::kOutOfRange);
  CHECK(code_of([] { Money::parse("99999999999999999999"); }) == ErrorCode::kOutOfRange);
  CHECK(code_of([] { Money::parse("92233720368547758.08"); }) == ErrorCode::kOutOfRange);
  CHECK(Money::parse("92233720368547758.07") == max);
  CHECK(Money::parse("-92233720368547758.08").minor() == std::numeric_limits<int64_t>::min());
  CHECK(min.to_string() == "-92233720368547758.08");
}

TEST_CASE("every rounding mode on positive and negative ties and non-ties") {
  struct Row {
    const char* in;
    Rounding mode;
    const char* out;
  };
  const Row rows[] = {
      // half away from zero
      {"2.345", Rounding::kHalfAwayFromZero, "2.35"},
      {"2.344", Rounding::kHalfAwayFromZero, "2.34"},
      {"-2.345", Rounding::kHalfAwayFromZero, "-2.35"},
      {"-2.344", Rounding::kHalfAwayFromZero, "-2.34"},
      {"0.005", Rounding::kHalfAwayFromZero, "0.01"},
      {"-0.005", Rounding::kHalfAwayFromZero, "-0.01"},
      // half even
      {"2.345", Rounding::kHalfEven, "2.34"},
      {"2.355", Rounding::kHalfEven, "2.36"},
      {"-2.345", Rounding::kHalfEven, "-2.34"},
      {"-2.355", Rounding::kHalfEven, "-2.36"},
      {"2.3451", Rounding::kHalfEven, "2.35"},
      {"0.005", Rounding::kHalfEven, "0.00"},
      // half up (ties toward +infinity)
      {"2.345", Rounding::kHalfUp, "2.35"},
      {"-2.345", Rounding::kHalfUp, "-2.34"},
      {"-2.3451", Rounding::kHalfUp, "-2.35"},
      // down: toward zero
      {"2.349", Rounding::kDown, "2.34"},
      {"-2.349", Rounding::kDown, "-2.34"},
      // up: away from zero
      {"2.341", Rounding::kUp, "2.35"},
      {"-2.341", Rounding::kUp, "-2.35"},
      {"2.340", Rounding::kUp, "2.34"},
      // floor and ceiling
      {"2.349", Rounding::kFloor, "2.34"},
      {"-2.341", Rounding::kFloor, "-2.35"},
      {"2.341", Rounding::kCeiling, "2.35"},
      {"-2.349", Rounding::kCeiling, "-2.34"},
  };
  for (const auto& row : rows) {
    INFO(row.in << " " << dms::rounding_name(row.mode));
    CHECK(round2(row.in, row.mode) == row.out);
  }
}

TEST_CASE("parse and format round-trip") {
  for (const char* s : {"0.00", "1.00", "-1.00", "0.01", "-0.01", "123456789.12", "-5.50",
                        "92233720368547758.07"}) {
    CHECK(Money::parse(s).to_string() == s);
  }
  CHECK(Money::parse("+7").to_string() == "7.00");
  CHECK(Money::parse("-0").to_string() == "0.00");
  CHECK(Money::parse(".5").to_string() == "0.50");
  for (const char* bad : {"", "-", "1.2.3", "1e5", " 1", "1 ", "abc", "1,000.00", "1.", "--1",
                          "0x10", "NaN", "inf"}) {
    INFO("'" << bad << "'");
    CHECK(code_of([&] { Money::parse(bad); }) == ErrorCode::kValidation);
  }
}

TEST_CASE("currency scale") {
  const Currency jpy = Currency::from_code("JPY");
  const Currency kwd = Currency::from_code("KWD");
  CHECK(jpy.scale() == 0);
  CHECK(kwd.scale() == 3);
  CHECK(Money::parse("1500", jpy).to_string() == "1500");
  CHECK(code_of([&] { Money::parse("1.5", jpy); }) == ErrorCode::kValidation);
  CHECK(Money::parse("1.2345", Rounding::kHalfEven, kwd).to_string() == "1.234");
  CHECK(Money::from_major(3, kwd).minor() == 3000);
  CHECK(code_of([] { Currency::from_code("XYZ"); }) == ErrorCode::kValidation);
  CHECK(code_of([&] { (void)(Money::parse("1") + Money::parse("1", jpy)); }) ==
        ErrorCode::kValidation);
  CHECK(code_of([&] { (void)(Money::parse("1") < Money::parse("1", jpy)); }) ==
        ErrorCode::kValidation);
  CHECK(Money().currency() == Currency::inr());
  CHECK(Currency::inr().code() == "INR");
}

TEST_CASE("money times quantity and percent") {
  // 1.5 x 333.33 = 499.995 -> 500.00 (the pricing issue's example)
  CHECK(Money::parse("333.33").times(Quantity::parse("1.5"), Rounding::kHalfAwayFromZero)
            .to_string() == "500.00");
  CHECK(Money::parse("333.33").times(Quantity::parse("1.5"), Rounding::kDown).to_string() ==
        "499.99");
  CHECK(Money::parse("100").percent_of(Percent::parse("18"), Rounding::kHalfAwayFromZero)
            .to_string() == "18.00");
  CHECK(Money::parse("99.99").percent_of(Percent::parse("0.25"), Rounding::kHalfAwayFromZero)
            .to_string() == "0.25");
  CHECK(Money::parse("-99.99").percent_of(Percent::parse("9"), Rounding::kHalfAwayFromZero)
            .to_string() == "-9.00");
  // 100 x 9 / 118 = 7.6271... -> 7.63
  CHECK(Money::parse("100").mul_div(9, 118, Rounding::kHalfAwayFromZero).to_string() == "7.63");
  CHECK(Money::parse("40000").times(100).to_string() == "4000000.00");
}

TEST_CASE("rounding to whole rupees") {
  CHECK(Money::parse("4720.50").rounded(0, Rounding::kHalfUp).to_string() == "4721.00");
  CHECK(Money::parse("4720.49").rounded(0, Rounding::kHalfUp).to_string() == "4720.00");
  CHECK(Money::parse("-4720.50").rounded(0, Rounding::kHalfAwayFromZero).to_string() ==
        "-4721.00");
  CHECK(Money::parse("12.34").rounded(2, Rounding::kHalfUp).to_string() == "12.34");
}

TEST_CASE("quantity and percent") {
  CHECK(Quantity::parse("1.5").units() == 1500);
  CHECK(Quantity::parse("1.5").to_string() == "1.5");
  CHECK(Quantity::parse("1.5").to_string_fixed() == "1.500");
  CHECK(Quantity::from_int(8).to_string() == "8");
  CHECK(Quantity::from_int(8).is_whole());
  CHECK_FALSE(Quantity::parse("0.001").is_whole());
  CHECK(code_of([] { Quantity::parse("0.0005"); }) == ErrorCode::kValidation);
  CHECK(Quantity::parse("0.0005", Rounding::kHalfAwayFromZero).units() == 1);
  CHECK((Quantity::parse("10") - Quantity::parse("2.5")).to_string() == "7.5");
  CHECK(Quantity::parse("-3") < Quantity::parse("0"));
  CHECK(Percent::parse("0.25").units() == 2500);
  CHECK(Percent::parse("18").to_string() == "18");
  CHECK(Percent::parse("12.5").to_string() == "12.5");
  CHECK(code_of([] { Percent::parse("0.00001"); }) == ErrorCode::kValidation);
  CHECK(code_of([] { (void)Quantity::from_int(std::numeric_limits<int64_t>::max()); }) ==
        ErrorCode::kOutOfRange);
}

TEST_CASE("decimal units at a scale") {
  CHECK(Decimal::parse("1.23456").units_at(2, Rounding::kHalfAwayFromZero) == 123);
  CHECK(Decimal::parse("1.2").units_at(4, Rounding::kDown) == 12000);
  CHECK(Decimal::parse("007.10").units_at_exact(1) == 71);
  CHECK(Decimal::parse("-0.000000000000000001").scale() == 18);
  CHECK(code_of([] { Decimal::parse("0.0000000000000000001"); }) == ErrorCode::kValidation);
}
