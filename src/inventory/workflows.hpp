// The inventory documents' state machines as tables (drawn in docs/workflows.md).
//
// Purchase orders (seed 002 section 7.3, workflow 1) and stock transfers (parts issues from the
// central warehouse to a service center, seed 002 section 7.4 and workflow 2, and transfers
// between service centers, seed 000 section 4.4, which share one shape). Services call
// kXFlow.require(from, to) before changing anything, so an invalid step is
// INVALID_STATUS_TRANSITION naming both states and changes nothing.
//
// Thread-safety: constant tables.
#pragma once

#include <cstdint>

#include "dms/workflow.hpp"

namespace dms::inventory {

enum class PoStatus : uint8_t {
  kDraft,
  kPendingApproval,
  kApproved,
  kOrdered,
  kPartiallyReceived,
  kCompleted,
  kRejected,
  kCancelled,
};

inline constexpr StateName<PoStatus> kPoStatusNames[] = {
    {PoStatus::kDraft, "DRAFT"},
    {PoStatus::kPendingApproval, "PENDING_APPROVAL"},
    {PoStatus::kApproved, "APPROVED"},
    {PoStatus::kOrdered, "ORDERED"},
    {PoStatus::kPartiallyReceived, "PARTIALLY_RECEIVED"},
    {PoStatus::kCompleted, "COMPLETED"},
    {PoStatus::kRejected, "REJECTED"},
    {PoStatus::kCancelled, "CANCELLED"},
};

// Editable only in DRAFT (DRAFT -> DRAFT is the edit). Cancelling is refused once anything was
// received. A partial receipt may be followed by more partial receipts.
inline constexpr Transition<PoStatus> kPoMoves[] = {
    {PoStatus::kDraft, PoStatus::kDraft},
    {PoStatus::kDraft, PoStatus::kPendingApproval},
    {PoStatus::kDraft, PoStatus::kCancelled},
    {PoStatus::kPendingApproval, PoStatus::kApproved},
    {PoStatus::kPendingApproval, PoStatus::kRejected},
    {PoStatus::kPendingApproval, PoStatus::kCancelled},
    {PoStatus::kApproved, PoStatus::kOrdered},
    {PoStatus::kApproved, PoStatus::kPartiallyReceived},
    {PoStatus::kApproved, PoStatus::kCompleted},
    {PoStatus::kApproved, PoStatus::kCancelled},
    {PoStatus::kOrdered, PoStatus::kPartiallyReceived},
    {PoStatus::kOrdered, PoStatus::kCompleted},
    {PoStatus::kOrdered, PoStatus::kCancelled},
    {PoStatus::kPartiallyReceived, PoStatus::kPartiallyReceived},
    {PoStatus::kPartiallyReceived, PoStatus::kCompleted},
};

inline constexpr Workflow<PoStatus> kPoFlow{"purchase order", kPoStatusNames, kPoMoves};

enum class TransferStatus : uint8_t {
  kPendingApproval,  // requested; the quantities are allocated at the source
  kApproved,         // allocation released, approved quantities moved to in-transit
  kDispatched,       // on the road
  kCompleted,        // received; shortfall written off to scrap/loss
  kRejected,         // allocation released
  kCancelled,        // before dispatch: allocation released or in-transit moved back
};

inline constexpr StateName<TransferStatus> kTransferStatusNames[] = {
    {TransferStatus::kPendingApproval, "PENDING_APPROVAL"},
    {TransferStatus::kApproved, "APPROVED"},
    {TransferStatus::kDispatched, "DISPATCHED"},
    {TransferStatus::kCompleted, "COMPLETED"},
    {TransferStatus::kRejected, "REJECTED"},
    {TransferStatus::kCancelled, "CANCELLED"},
};

inline constexpr Transition<TransferStatus> kTransferMoves[] = {
    {TransferStatus::kPendingApproval, TransferStatus::kApproved},
    {TransferStatus::kPendingApproval, TransferStatus::kRejected},
    {TransferStatus::kPendingApproval, TransferStatus::kCancelled},
    {TransferStatus::kApproved, TransferStatus::kDispatched},
    {TransferStatus::kApproved, TransferStatus::kCancelled},
    {TransferStatus::kDispatched, TransferStatus::kCompleted},
};

inline constexpr Workflow<TransferStatus> kPartsIssueFlow{"parts issue", kTransferStatusNames,
                                                          kTransferMoves};
inline constexpr Workflow<TransferStatus> kStockTransferFlow{"stock transfer", kTransferStatusNames,
                                                             kTransferMoves};

// Purchase requests (issue 13): raised by the low-stock scan (job low_stock_scan), one OPEN
// request per part and location; a central inventory manager converts open requests into a
// purchase order (CONVERTED) or rejects them with a reason (REJECTED).
enum class PurchaseRequestStatus : uint8_t { kOpen, kConverted, kRejected };

inline constexpr StateName<PurchaseRequestStatus> kPurchaseRequestStates[] = {
    {PurchaseRequestStatus::kOpen, "OPEN"},
    {PurchaseRequestStatus::kConverted, "CONVERTED"},
    {PurchaseRequestStatus::kRejected, "REJECTED"},
};

inline constexpr Transition<PurchaseRequestStatus> kPurchaseRequestMoves[] = {
    {PurchaseRequestStatus::kOpen, PurchaseRequestStatus::kConverted},
    {PurchaseRequestStatus::kOpen, PurchaseRequestStatus::kRejected},
};

inline constexpr Workflow<PurchaseRequestStatus> kPurchaseRequestFlow{
    "purchase request", kPurchaseRequestStates, kPurchaseRequestMoves};

}  // namespace dms::inventory
