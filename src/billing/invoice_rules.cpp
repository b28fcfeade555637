#include "billing/invoice_rules.hpp"

#include <cassert>

#include "dms/error.hpp"

namespace dms::billing {

InvoiceStatus status_after_payment(Money grand_total, Money paid) {
  assert(!paid.is_negative() && paid <= grand_total);
  if (paid == grand_total) return InvoiceStatus::kPaid;
  return paid.is_zero() ? InvoiceStatus::kFinalized : InvoiceStatus::kPartiallyPaid;
}

void check_payment_amount(Money amount, Money balance) {
  if (!amount.is_positive()) {
    throw Error::Validation("amount", "amount must be greater than zero");
  }
  if (amount > balance) {
    throw Error::Validation("amount", "amount " + amount.to_string() + " exceeds the balance due " +
                                          balance.to_string() + " (overpayment)");
  }
}

}  // namespace dms::billing
