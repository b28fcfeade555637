// Document numbers of the inventory documents, from the storage module's allocator (gapless,
// per calendar year): PO-{YYYY}-{SEQ4}, PI-{YYYY}-{SEQ4}, ST-{YYYY}-{SEQ4}, PR-{YYYY}-{SEQ4}. The
// year is that of the actor's clock in India. The series are defined here, by the module that owns
// the documents.
//
// Thread-safety: a function over the caller's Transaction.
#pragma once

#include <string>

#include "dms/context.hpp"
#include "storage/document_numbers.hpp"
#include "storage/store.hpp"

namespace dms::inventory {

namespace series {
// PO-2025-0001: purchase orders, per calendar year (seed 002).
inline constexpr storage::NumberSeries kPurchaseOrder{"purchase_order", "PO-{YYYY}-{SEQ4}",
                                                      "{YYYY}", 0};
// PI-2025-0001: parts issues from the central warehouse, per calendar year (seed 002).
inline constexpr storage::NumberSeries kPartsIssue{"parts_issue", "PI-{YYYY}-{SEQ4}", "{YYYY}", 0};
// ST-2025-0001: stock transfers between service centers, per calendar year.
inline constexpr storage::NumberSeries kStockTransfer{"stock_transfer", "ST-{YYYY}-{SEQ4}",
                                                      "{YYYY}", 0};
// PR-2025-0001: purchase requests of the low-stock scan, per calendar year.
inline constexpr storage::NumberSeries kPurchaseRequest{"purchase_request", "PR-{YYYY}-{SEQ4}",
                                                        "{YYYY}", 0};
}  // namespace series

inline std::string next_document_number(storage::Transaction& tx, const Context& ctx,
                                        const storage::NumberSeries& series) {
  return storage::allocate(tx, series, storage::date_fields(ctx.now().business_date()));
}

}  // namespace dms::inventory
