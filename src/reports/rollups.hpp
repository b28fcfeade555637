// The reports' rollups: daily figures per service center kept in the same transaction as the
// change that moves them, so dashboards and revenue reports read a few thousand rows instead of
// every invoice (docs/benchmarks.md: 1,000,000 invoices).
//
//   rpt_revenue_daily   (service_center_id, day, service_type): invoices, credit_notes, taxable,
//                       tax, revenue (grand totals), costed_taxable and cost (lines whose unit cost
//                       is known). A document counts on its invoice date: an invoice when it is
//                       finalized, a credit note (negative figures) when it is issued. So the
//                       rollup always equals the sums over invoices WHERE invoice_date IS NOT NULL.
//   rpt_payments_daily  (service_center_id, day, payment_method): payments, amount; the day is the
//                       India business date of received_at.
// service_type is the job card's service type, kCounterSale for a counter order's invoice (and its
// credit note), kManualInvoice otherwise.
//
// Billing calls record_document / record_payment in its transactions; rebuild_rollups recomputes
// both tables from the documents (at the first open of a database that had documents before the
// rollups existed, and for bulk-loaded benchmark data).
//
// Thread-safety: free functions over the caller's transaction.
#pragma once

#include <cstdint>
#include <string>

#include "dms/money.hpp"
#include "dms/time.hpp"
#include "storage/store.hpp"

namespace dms::reports {

inline constexpr const char* kCounterSale = "Counter sale";
inline constexpr const char* kManualInvoice = "Manual invoice";

// The invoice or credit note `invoice_id` has just been given its number and invoice date.
void record_document(storage::Transaction& tx, const std::string& invoice_id);
// A payment has just been recorded.
void record_payment(storage::Transaction& tx, const std::string& service_center_id,
                    const std::string& payment_method, Money amount, Timestamp received_at);
// Recomputes both rollups from invoices and payments.
void rebuild_rollups(storage::Transaction& tx);
// Rebuilds the rollups once when the database has never had them built (migration 470 marks it).
void ensure_rollups(storage::Store& store);

}  // namespace dms::reports
