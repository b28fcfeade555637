#include "dms/money.hpp"

#include "dms/error.hpp"

namespace dms {
namespace {

struct KnownCurrency {
  const char* code;
  int scale;
};
constexpr KnownCurrency kKnown[] = {{"INR", 2}, {"USD", 2}, {"EUR", 2}, {"GBP", 2}, {"AED", 2},
                                    {"JPY", 0}, {"KWD", 3}, {"BHD", 3}, {"OMR", 3}};

}  // namespace

Currency Currency::from_code(std::string_view code) {
  for (const auto& known : kKnown) {
    if (code == known.code) return Currency(known.code[0], known.code[1], known.code[2], known.scale);
  }
  throw Error::Validation("currency", "unknown currency '" + std::string(code.substr(0, 8)) + "'");
}

Money Money::from_major(int64_t major, Currency currency) {
  return Money(fixed::mul(major, fixed::pow10(currency.scale()), "amount"), currency);
}

Money Money::parse(std::string_view text, Currency currency, std::string_view field) {
  return Money(Decimal::parse(text, field).units_at_exact(currency.scale(), field), currency);
}

Money Money::parse(std::string_view text, Rounding mode, Currency currency,
                   std::string_view field) {
  return Money(Decimal::parse(text, field).units_at(currency.scale(), mode), currency);
}

std::string Money::to_string() const { return fixed::format(minor_, currency_.scale()); }

void Money::require_same_currency(Money o) const {
  if (currency_ != o.currency_) {
    throw Error::Validation("currency", "cannot combine " + currency_.code() + " with " +
                                            o.currency_.code());
  }
}

int Money::compare(Money o) const {
  require_same_currency(o);
  return minor_ < o.minor_ ? -1 : (minor_ > o.minor_ ? 1 : 0);
}

Money Money::operator+(Money o) const {
  require_same_currency(o);
  return Money(fixed::add(minor_, o.minor_, "amount"), currency_);
}

Money Money::operator-(Money o) const {
  require_same_currency(o);
  return Money(fixed::sub(minor_, o.minor_, "amount"), currency_);
}

Money Money::operator-() const { return Money(fixed::neg(minor_, "amount"), currency_); }

Money Money::times(Quantity quantity, Rounding mode) const {
  return Money(fixed::mul_div(minor_, quantity.units(), fixed::pow10(Quantity::kScale), mode,
                              "amount"),
               currency_);
}

Money Money::times(int64_t count) const {
  return Money(fixed::mul(minor_, count, "amount"), currency_);
}

Money Money::percent_of(Percent percent, Rounding mode) const {
  return Money(fixed::mul_div(minor_, percent.units(), 100 * fixed::pow10(Percent::kScale), mode,
                              "amount"),
               currency_);
}

Money Money::mul_div(int64_t numerator, int64_t denominator, Rounding mode) const {
  return Money(fixed::mul_div(minor_, numerator, denominator, mode, "amount"), currency_);
}

Money Money::rounded(int places, Rounding mode) const {
  if (places >= currency_.scale()) return *this;
  const int64_t step = fixed::pow10(currency_.scale() - places);
  return Money(fixed::mul(fixed::mul_div(minor_, 1, step, mode, "amount"), step, "amount"),
               currency_);
}

}  // namespace dms
