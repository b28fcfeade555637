// The workshop's only door to the inventory module: catalog facts about a part,
// and the stock moves of job cards and invoices (src/inventory/stock.hpp does the ledger work).
// Billing moves its parts through workshop/billing_api.hpp.
//
//   parts issued to a job card      center store       -> workshop consumption
//   unused parts returned           workshop consumption -> center store
//   parts of a manual invoice       center store       -> customer
//   credit note of such an invoice  customer           -> center store
//
// Thread-safety: free functions over the caller's transaction.
#pragma once

#include <optional>
#include <string>

#include "dms/context.hpp"
#include "dms/money.hpp"
#include "dms/quantity.hpp"
#include "storage/store.hpp"
#include "workshop/billing_api.hpp"

namespace dms::workshop {

struct CatalogPart {
  std::string id;
  std::string part_number;
  std::string name;
  std::string hsn_code;  // empty when the catalog has none
  Percent gst_rate;
  Money sale_price;
  std::optional<Money> mrp;  // the maximum retail price, GST included, when the part has one
  bool active = true;
};

// NOT_FOUND naming `field` when the part does not exist.
CatalogPart load_catalog_part(storage::Transaction& tx, const std::string& part_id,
                              const std::string& field);

// What the center's store can give of the part now: on hand less reserved (zero when the store
// never held it).
Quantity available_in_store(storage::Transaction& tx, const std::string& service_center_id,
                            const std::string& part_id);

// Where a stock move goes, seen from the service center's store.
enum class StockCounterpart { kWorkshop, kCustomer };

// StockReference: workshop/billing_api.hpp.

// Moves `quantity` out of the center's store to `to` (INSUFFICIENT_STOCK when the store lacks
// it); returns the unit cost the ledger moved it at.
Money move_out_of_store(storage::Transaction& tx, const Context& ctx,
                        const std::string& service_center_id, const std::string& part_id,
                        Quantity quantity, StockCounterpart to, const StockReference& reference);
// The opposite move, back into the center's store at `unit_cost`.
void move_back_to_store(storage::Transaction& tx, const Context& ctx,
                        const std::string& service_center_id, const std::string& part_id,
                        Quantity quantity, StockCounterpart from, Money unit_cost,
                        const StockReference& reference);

}  // namespace dms::workshop
