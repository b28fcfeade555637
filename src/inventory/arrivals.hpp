// Stock arrivals: every receipt into a real location (a purchase order receipt, a parts issue
// or stock transfer receipt: ledger rows of type RECEIVE) is announced, inside the receiving
// transaction, to the listeners other modules register. The workshop's listener
// (workshop/parts_arrived.cpp) tells the engineers whose job cards wait on the part there
// (event parts.arrived). Inventory does not know who listens, so it depends on no other module.
//
// Thread-safety: listeners are registered before main() and only read afterwards; announce()
// runs over the caller's Transaction.
#pragma once

#include <optional>
#include <string>

#include "dms/context.hpp"
#include "dms/quantity.hpp"
#include "storage/store.hpp"

namespace dms::inventory {

struct StockArrival {
  std::string part_id;
  std::string location_id;
  std::optional<std::string> service_center_id;  // of a store location
  Quantity quantity;                             // what arrived
  Quantity on_hand;                              // at the location, after the arrival
  std::string reference_type;  // "PURCHASE_ORDER", "PARTS_ISSUE", "STOCK_TRANSFER"
  std::string reference_id;
  std::string reference_number;
};

using ArrivalListener = void (*)(storage::Transaction& tx, const Context& ctx,
                                 const StockArrival& arrival);

struct ArrivalListenerRegistration {
  explicit ArrivalListenerRegistration(ArrivalListener listener);
};

// Calls every registered listener (in the caller's transaction; a listener that throws fails it).
void announce_arrival(storage::Transaction& tx, const Context& ctx, const StockArrival& arrival);

}  // namespace dms::inventory
