// Money: an exact amount in a currency's minor units (paise for INR).
//
// The amount is a 64-bit integer of minor units; products and quotients use 128-bit intermediates
// and an explicit Rounding. Overflow raises Error(kOutOfRange); mixing currencies raises
// Error(kValidation, "currency"). See docs/decisions/0002-money-representation.md.
//
// Thread-safety: value type.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "dms/decimal.hpp"
#include "dms/quantity.hpp"

namespace dms {

// An ISO 4217 currency and its number of minor-unit places.
class Currency {
 public:
  // INR, 2 places: the default everywhere.
  static constexpr Currency inr() { return Currency('I', 'N', 'R', 2); }
  // A known ISO code (INR, USD, EUR, GBP, AED, JPY, KWD, BHD, OMR); Error(kValidation) otherwise.
  static Currency from_code(std::string_view code);

  std::string code() const { return std::string(code_, 3); }
  constexpr int scale() const noexcept { return scale_; }

  friend constexpr bool operator==(Currency a, Currency b) {
    return a.code_[0] == b.code_[0] && a.code_[1] == b.code_[1] && a.code_[2] == b.code_[2];
  }
  friend constexpr bool operator!=(Currency a, Currency b) { return !(a == b); }

 private:
  constexpr Currency(char a, char b, char c, int scale) : code_{a, b, c}, scale_(scale) {}
  char code_[3];
  int scale_;
};

class Money {
 public:
  constexpr Money() = default;  // zero INR
  static constexpr Money from_minor(int64_t minor, Currency currency = Currency::inr()) {
    return Money(minor, currency);
  }
  static constexpr Money zero(Currency currency = Currency::inr()) { return Money(0, currency); }
  // Whole major units (rupees).
  static Money from_major(int64_t major, Currency currency = Currency::inr());

  // Exact parse: more places than the currency has is Error(kValidation) naming `field`.
  static Money parse(std::string_view text, Currency currency = Currency::inr(),
                     std::string_view field = "amount");
  // Parse and round to the currency's places with an explicit mode.
  static Money parse(std::string_view text, Rounding mode, Currency currency = Currency::inr(),
                     std::string_view field = "amount");

  constexpr int64_t minor() const noexcept { return minor_; }
  constexpr Currency currency() const noexcept { return currency_; }
  constexpr bool is_zero() const noexcept { return minor_ == 0; }
  constexpr bool is_negative() const noexcept { return minor_ < 0; }
  constexpr bool is_positive() const noexcept { return minor_ > 0; }

  // "1234.50", "-0.05": all of the currency's places, no grouping.
  std::string to_string() const;

  Money operator+(Money o) const;
  Money operator-(Money o) const;
  Money operator-() const;
  Money& operator+=(Money o) { return *this = *this + o; }
  Money& operator-=(Money o) { return *this = *this - o; }
  Money abs() const { return minor_ < 0 ? -*this : *this; }

  // this x quantity, rounded to the minor unit.
  Money times(Quantity quantity, Rounding mode) const;
  // this x whole count (exact).
  Money times(int64_t count) const;
  // this x percent / 100, rounded to the minor unit.
  Money percent_of(Percent percent, Rounding mode) const;
  // this x numerator / denominator, rounded to the minor unit. REQUIRES: denominator != 0.
  Money mul_div(int64_t numerator, int64_t denominator, Rounding mode) const;
  // Rounded to `places` decimal places (0: whole rupees), keeping the currency's scale.
  Money rounded(int places, Rounding mode) const;

  friend bool operator==(Money a, Money b) { return a.compare(b) == 0; }
  friend bool operator!=(Money a, Money b) { return a.compare(b) != 0; }
  friend bool operator<(Money a, Money b) { return a.compare(b) < 0; }
  friend bool operator<=(Money a, Money b) { return a.compare(b) <= 0; }
  friend bool operator>(Money a, Money b) { return a.compare(b) > 0; }
  friend bool operator>=(Money a, Money b) { return a.compare(b) >= 0; }

 private:
  constexpr Money(int64_t minor, Currency currency) : minor_(minor), currency_(currency) {}
  int compare(Money o) const;
  void require_same_currency(Money o) const;

  int64_t minor_ = 0;
  Currency currency_ = Currency::inr();
};

}  // namespace dms
