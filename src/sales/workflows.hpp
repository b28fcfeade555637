// Sales' state machines as tables (drawn in docs/workflows.md): leads, quotations, counter orders
// and a counter order's payment status. These files (*/workflows.hpp) are the only place status
// names are written in src/; status changes go through service::transition()
// (src/service/transition.hpp).
//
// Thread-safety: constant tables.
#pragma once

#include "dms/workflow.hpp"

namespace dms::sales {

// ---- Lead (seed 000 Lead) --------------------------------------------------------------------

enum class LeadStatus { kNew, kContacted, kQualified, kConverted, kLost };

inline constexpr StateName<LeadStatus> kLeadStates[] = {
    {LeadStatus::kNew, "NEW"},
    {LeadStatus::kContacted, "CONTACTED"},
    {LeadStatus::kQualified, "QUALIFIED"},
    {LeadStatus::kConverted, "CONVERTED"},
    {LeadStatus::kLost, "LOST"},
};

// Converted by accepting one of its quotations; lost (with a reason) from any open state, also
// by rejecting a quotation.
inline constexpr Transition<LeadStatus> kLeadMoves[] = {
    {LeadStatus::kNew, LeadStatus::kContacted},
    {LeadStatus::kContacted, LeadStatus::kQualified},
    {LeadStatus::kQualified, LeadStatus::kConverted},
    {LeadStatus::kNew, LeadStatus::kLost},
    {LeadStatus::kContacted, LeadStatus::kLost},
    {LeadStatus::kQualified, LeadStatus::kLost},
};

inline constexpr Workflow<LeadStatus> kLeadFlow{"lead", kLeadStates, kLeadMoves};

inline bool lead_is_open(LeadStatus s) {
  return s != LeadStatus::kConverted && s != LeadStatus::kLost;
}

// ---- Quotation (seed 000 Quotation) ----------------------------------------------------------

enum class QuotationStatus { kDraft, kApproved, kSent, kAccepted, kRejected, kExpired };

inline constexpr StateName<QuotationStatus> kQuotationStates[] = {
    {QuotationStatus::kDraft, "DRAFT"},       {QuotationStatus::kApproved, "APPROVED"},
    {QuotationStatus::kSent, "SENT"},         {QuotationStatus::kAccepted, "ACCEPTED"},
    {QuotationStatus::kRejected, "REJECTED"}, {QuotationStatus::kExpired, "EXPIRED"},
};

// Accepted or rejected once sent; any quotation not yet answered expires past its validUntil.
inline constexpr Transition<QuotationStatus> kQuotationMoves[] = {
    {QuotationStatus::kDraft, QuotationStatus::kApproved},
    {QuotationStatus::kApproved, QuotationStatus::kSent},
    {QuotationStatus::kSent, QuotationStatus::kAccepted},
    {QuotationStatus::kSent, QuotationStatus::kRejected},
    {QuotationStatus::kDraft, QuotationStatus::kExpired},
    {QuotationStatus::kApproved, QuotationStatus::kExpired},
    {QuotationStatus::kSent, QuotationStatus::kExpired},
};

inline constexpr Workflow<QuotationStatus> kQuotationFlow{"quotation", kQuotationStates,
                                                          kQuotationMoves};

// ---- Counter order (seed 000 OTCOrder, seed 004 Orders) --------------------------------------

enum class CounterOrderStatus { kPending, kProcessing, kReady, kShipped, kDelivered, kCancelled };

inline constexpr StateName<CounterOrderStatus> kCounterOrderStates[] = {
    {CounterOrderStatus::kPending, "PENDING"},     {CounterOrderStatus::kProcessing, "PROCESSING"},
    {CounterOrderStatus::kReady, "READY"},         {CounterOrderStatus::kShipped, "SHIPPED"},
    {CounterOrderStatus::kDelivered, "DELIVERED"}, {CounterOrderStatus::kCancelled, "CANCELLED"},
};

// PROCESSING reserves the stock; a PICKUP order is handed over from READY, a SHIPPING order
// leaves the store at SHIPPED and is DELIVERED on arrival. Cancelling releases the reservation.
inline constexpr Transition<CounterOrderStatus> kCounterOrderMoves[] = {
    {CounterOrderStatus::kPending, CounterOrderStatus::kProcessing},
    {CounterOrderStatus::kProcessing, CounterOrderStatus::kReady},
    {CounterOrderStatus::kReady, CounterOrderStatus::kDelivered},
    {CounterOrderStatus::kReady, CounterOrderStatus::kShipped},
    {CounterOrderStatus::kShipped, CounterOrderStatus::kDelivered},
    {CounterOrderStatus::kPending, CounterOrderStatus::kCancelled},
    {CounterOrderStatus::kProcessing, CounterOrderStatus::kCancelled},
    {CounterOrderStatus::kReady, CounterOrderStatus::kCancelled},
};

inline constexpr Workflow<CounterOrderStatus> kCounterOrderFlow{
    "counter order", kCounterOrderStates, kCounterOrderMoves};

// ---- Counter order payment status (follows its invoice's payments) ---------------------------

enum class OrderPaymentStatus { kPending, kPartial, kPaid };

inline constexpr StateName<OrderPaymentStatus> kOrderPaymentStates[] = {
    {OrderPaymentStatus::kPending, "PENDING"},
    {OrderPaymentStatus::kPartial, "PARTIALLY_PAID"},
    {OrderPaymentStatus::kPaid, "PAID"},
};

// A credit note on the order's invoice takes the order back to PENDING (nothing owed is paid).
inline constexpr Transition<OrderPaymentStatus> kOrderPaymentMoves[] = {
    {OrderPaymentStatus::kPending, OrderPaymentStatus::kPartial},
    {OrderPaymentStatus::kPending, OrderPaymentStatus::kPaid},
    {OrderPaymentStatus::kPartial, OrderPaymentStatus::kPaid},
    {OrderPaymentStatus::kPartial, OrderPaymentStatus::kPending},
    {OrderPaymentStatus::kPaid, OrderPaymentStatus::kPending},
};

inline constexpr Workflow<OrderPaymentStatus> kOrderPaymentFlow{
    "counter order payment", kOrderPaymentStates, kOrderPaymentMoves};

}  // namespace dms::sales
