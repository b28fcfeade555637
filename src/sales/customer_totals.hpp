// A customer's totals (seed 000 Customer): totalOrders, totalSpent and loyaltyPoints, kept in
// the transactions that pay invoices and issue credit notes (billing), so they always equal the
// customer's paid invoices of every kind (job cards, counter orders, manual) net of credit notes:
//   paid        totalOrders + 1, totalSpent + grand total, loyaltyPoints + floor(grand total /
//               Settings::loyalty_spend_per_point) (recorded on the invoice)
//   credit note of a paid invoice: the same taken back (the points the invoice earned)
// A counter order's payment status follows its invoice here too.
//
// Thread-safety: free functions over the caller's transaction.
#pragma once

#include <string>

#include "dms/context.hpp"
#include "dms/money.hpp"
#include "storage/store.hpp"

namespace dms::sales {

// 1 point per 100.00 spent unless the host's settings say otherwise (0: no points).
inline constexpr int64_t kDefaultLoyaltySpendPerPointPaise = 10000;

// The invoice `invoice_id` has just become PAID.
void record_paid_invoice(
    storage::Transaction& tx, const Context& ctx, const std::string& invoice_id,
    Money spend_per_point = Money::from_minor(kDefaultLoyaltySpendPerPointPaise));
// The invoice has just been part paid (a counter order's payment status follows).
void record_partial_payment(storage::Transaction& tx, const Context& ctx,
                            const std::string& invoice_id);
// A credit note has just cancelled `invoice` (its row as it was before), PAID or not.
void record_cancelled_invoice(storage::Transaction& tx, const Context& ctx,
                              const storage::Row& invoice, bool was_paid);

}  // namespace dms::sales
