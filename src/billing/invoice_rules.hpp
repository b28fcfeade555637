// Pure rules of invoices: the status table, the invoice number format, payment arithmetic and the
// due date. No storage: the services in src/billing/ apply these inside their transactions.
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

#include "dms/money.hpp"
#include "dms/time.hpp"
#include "dms/workflow.hpp"

namespace dms::billing {

enum class InvoiceStatus { kDraft, kFinalized, kPartiallyPaid, kPaid, kCancelled };

inline constexpr StateName<InvoiceStatus> kInvoiceStates[] = {
    {InvoiceStatus::kDraft, "DRAFT"},
    {InvoiceStatus::kFinalized, "FINALIZED"},
    {InvoiceStatus::kPartiallyPaid, "PARTIALLY_PAID"},
    {InvoiceStatus::kPaid, "PAID"},
    {InvoiceStatus::kCancelled, "CANCELLED"},
};

// A draft is simply dropped (CANCELLED); a finalized invoice is cancelled only by a credit note.
// A further part payment keeps PARTIALLY_PAID and is not a move.
inline constexpr Transition<InvoiceStatus> kInvoiceMoves[] = {
    {InvoiceStatus::kDraft, InvoiceStatus::kFinalized},
    {InvoiceStatus::kDraft, InvoiceStatus::kCancelled},
    {InvoiceStatus::kFinalized, InvoiceStatus::kPartiallyPaid},
    {InvoiceStatus::kFinalized, InvoiceStatus::kPaid},
    {InvoiceStatus::kPartiallyPaid, InvoiceStatus::kPaid},
    {InvoiceStatus::kFinalized, InvoiceStatus::kCancelled},
    {InvoiceStatus::kPartiallyPaid, InvoiceStatus::kCancelled},
    {InvoiceStatus::kPaid, InvoiceStatus::kCancelled},
};

inline constexpr Workflow<InvoiceStatus> kInvoiceFlow{"invoice", kInvoiceStates, kInvoiceMoves};

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
