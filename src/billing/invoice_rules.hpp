// Pure rules of invoices (the status table is billing/workflows.hpp): the invoice number format,
// payment arithmetic and the due date. No storage: the services in src/billing/ apply these inside
// their transactions.
//
// Invoice numbers are assigned at finalize from a gapless counter per service center and Indian
// financial year, and have at most 16 characters (CGST Rules, rule 46(b)): see
// billing/numbering.hpp and docs/workflows.md.
//
// Thread-safety: constant tables and pure functions.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "billing/workflows.hpp"
#include "dms/money.hpp"
#include "dms/time.hpp"

namespace dms::billing {

// The two numbered series of a service center.
enum class DocumentSeries { kInvoice, kCreditNote };

// The status an invoice of `grand_total` reaches when `paid` has been received.
// REQUIRES: 0 <= paid <= grand_total.
InvoiceStatus status_after_payment(Money grand_total, Money paid);

// Validates a payment of `amount` against what is still owed: VALIDATION on field "amount" when it
// is not positive or exceeds `balance` (overpayment).
void check_payment_amount(Money amount, Money balance);

// The default payment term when a request names no due date.
inline constexpr int32_t kDefaultPaymentTermDays = 15;

// Whether an invoice with `balance` still owed and `due_date` is overdue on `as_of`: a balance
// remains and the due date has passed.
inline bool is_overdue(Money balance, Date due_date, Date as_of) {
  return balance.is_positive() && due_date < as_of;
}

}  // namespace dms::billing
