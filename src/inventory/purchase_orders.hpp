// Creating a purchase order from inside another inventory service's transaction (the purchase
// requests' Convert): the same code as purchaseOrders.Create, a DRAFT priced by the pricing
// engine, numbered from the PO series, audited as CREATE. The caller authorizes.
//
// Thread-safety: a function over the caller's Transaction.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "dms/context.hpp"
#include "dms/json.hpp"
#include "dms/money.hpp"
#include "dms/quantity.hpp"
#include "storage/store.hpp"

namespace dms::inventory {

struct PurchaseOrderItemInput {
  std::string part_id;
  Quantity quantity;  // > 0
  Money unit_price;   // >= 0
  std::optional<Percent> gst_rate;
  std::optional<std::string> hsn_code;
};

struct PurchaseOrderDraft {
  std::string supplier_id;  // an active supplier; VALIDATION naming "supplierId" otherwise
  std::string location_id;  // a real location (the central warehouse or a store)
  std::optional<std::string> expected_delivery_date;  // "YYYY-MM-DD"
  std::optional<std::string> notes;
  std::vector<PurchaseOrderItemInput> items;  // validation errors name "items[i].<field>"
};

// The new order's document (purchaseOrders.Get's shape).
Json create_purchase_order(storage::Transaction& tx, const Context& ctx,
                           const PurchaseOrderDraft& draft);

}  // namespace dms::inventory
