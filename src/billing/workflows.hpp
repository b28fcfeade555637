// Billing's state machines as tables (drawn in docs/workflows.md): invoices and credit notes.
// These files (*/workflows.hpp) are the only place status names are written in src/; status
// changes go through service::transition() (src/service/transition.hpp).
//
// Thread-safety: constant tables.
#pragma once

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

// A credit note is issued once and never changes (it is the invoice's exact negation). A table
// has at least one row: ISSUED -> ISSUED is listed and never taken.
enum class CreditNoteStatus { kIssued };

inline constexpr StateName<CreditNoteStatus> kCreditNoteStates[] = {
    {CreditNoteStatus::kIssued, "ISSUED"},
};

inline constexpr Transition<CreditNoteStatus> kCreditNoteMoves[] = {
    {CreditNoteStatus::kIssued, CreditNoteStatus::kIssued},
};

inline constexpr Workflow<CreditNoteStatus> kCreditNoteFlow{"credit note", kCreditNoteStates,
                                                            kCreditNoteMoves};

}  // namespace dms::billing
