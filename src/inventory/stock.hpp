// The stock API other modules call inside their own transaction (workshop: parts issued to job
// cards and returned; billing: counter sales and credit notes; the inventory services).
//
// Every change of stock is a move of a quantity of one part between two locations, written as
// one ledger row (inv_moves) plus the two balance rows it changes (inv_balances); see
// docs/ARCHITECTURE.md "Stock: a double-entry ledger". Typical calls, inside a service's
// env.store->write([&](storage::Transaction& tx) { ... }):
//
//   using namespace dms::inventory;
//   const Location store = store_location_of(tx, job_card.service_center_id);
//   // reserve on request, post on issue:
//   allocate(tx, ctx, {part_id, store.id, qty, "JOB_CARD", job_card_id, "JC-2025-0001"});
//   move_stock(tx, ctx, {part_id, store.id, virtual_location(tx, LocationKind::kWorkshop).id,
//                        qty, TxnType::kIssue, "Job card parts issue", "JOB_CARD", job_card_id,
//                        "JC-2025-0001", /*notes*/ "", /*unit_cost*/ std::nullopt,
//                        /*consume_allocation*/ true});
//   // a return from the workshop or the customer is the opposite move with TxnType::kReturn.
//
// Rules the functions enforce (the caller need not):
//   - A real source location needs `available >= quantity` unless the location allows negative
//     stock (inv_locations.allow_negative): INSUFFICIENT_STOCK otherwise. With
//     consume_allocation the move first releases that much of the source's allocation, so a
//     reserved quantity can be posted.
//   - The unit cost defaults to the source's moving-average cost (real source) or the part's
//     cost price (virtual source); the destination's average absorbs it.
//   - A move that takes a real location's on_hand from above to at or below its low-stock
//     threshold (min level or reorder point) emits a "stock.low" outbox event.
//   - Balance rows are locked in a fixed order (FOR UPDATE on PostgreSQL; SQLite write
//     transactions are serialized), so concurrent moves and allocations never oversell.
// None of these functions check permissions or write audit rows: the calling service does.
//
// Thread-safety: functions over the caller's Transaction, which belongs to one thread.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "dms/context.hpp"
#include "dms/money.hpp"
#include "dms/quantity.hpp"
#include "inventory/ledger.hpp"
#include "storage/store.hpp"

namespace dms::inventory {

struct Location {
  std::string id;
  std::string code;  // "CENTRAL", "SC-<code>", "V-SUPPLIER", ...
  std::string name;
  LocationKind kind = LocationKind::kWarehouse;
  std::optional<std::string> service_center_id;  // stores only
  std::optional<std::string> state_code;         // GST state ("27"), for tax decisions
  bool allow_negative = false;

  bool real() const { return is_real(kind); }
  StockPolicy policy() const { return {real(), allow_negative}; }
};

// The default central warehouse (code "CENTRAL", created by the inventory migration).
Location central_location(storage::Transaction& tx);
// The store of a service center, created on first use with the center's name and state.
// NOT_FOUND (entity "service center") when no such center exists.
Location store_location_of(storage::Transaction& tx, const std::string& service_center_id);
// The store of a service center if it was ever used (no insert: works in a read transaction).
std::optional<Location> find_store_location(storage::Transaction& tx,
                                            const std::string& service_center_id);
// The one virtual location of `kind`. REQUIRES: !is_real(kind).
Location virtual_location(storage::Transaction& tx, LocationKind kind);
// Any location by id; NOT_FOUND otherwise.
Location location_by_id(storage::Transaction& tx, const std::string& location_id);

struct MoveRequest {
  std::string part_id;
  std::string from_location;  // location ids
  std::string to_location;
  Quantity quantity;                  // > 0
  TxnType type = TxnType::kTransfer;  // not ALLOCATE/RELEASE: see allocate()/release()
  std::string reason;                 // "Job card parts issue", "STOCK_DAMAGED", ...
  std::string reference_type;         // "JOB_CARD", "PURCHASE_ORDER", "PARTS_ISSUE", ...
  std::string reference_id;
  std::string reference_number;  // the document's number, for people ("PO-2025-0001")
  std::string notes;
  std::optional<Money> unit_cost;  // see the rules above
  bool consume_allocation = false;
  std::string reference_line_id;  // the document line, when there is one
};

// What one ledger row recorded.
struct MoveRecord {
  std::string move_id;
  Quantity from_before, from_after;  // on_hand at the source
  Quantity to_before, to_after;      // on_hand at the destination
  Money unit_cost;
  bool became_low_stock = false;  // the source crossed into low stock
};

// Moves stock and writes the ledger row. VALIDATION (quantity <= 0, same location, ALLOCATE or
// RELEASE type), NOT_FOUND (part, location), INSUFFICIENT_STOCK.
MoveRecord move_stock(storage::Transaction& tx, const Context& ctx, const MoveRequest& request);
// The same with both locations already loaded (request.from_location/to_location are ignored):
// for documents that move many lines between the same two locations.
MoveRecord move_stock(storage::Transaction& tx, const Context& ctx, const MoveRequest& request,
                      const Location& from, const Location& to);

struct AllocationRequest {
  std::string part_id;
  std::string location_id;  // a real location
  Quantity quantity;        // > 0
  std::string reference_type;
  std::string reference_id;
  std::string reference_number;
  std::string reason;
  std::string notes;
  std::string reference_line_id;
};

struct AllocationRecord {
  std::string move_id;
  Quantity allocated_before, allocated_after;
  Quantity on_hand;
};

// Reserves stock for a document (ledger row ALLOCATE): INSUFFICIENT_STOCK unless available.
AllocationRecord allocate(storage::Transaction& tx, const Context& ctx,
                          const AllocationRequest& request);
// Gives a reservation back (ledger row RELEASE): RELEASE_EXCEEDS_ALLOCATED when more than
// allocated, RELEASE_EXCEEDS_RESERVATION when more than the reference reserved.
AllocationRecord release(storage::Transaction& tx, const Context& ctx,
                         const AllocationRequest& request);
// The same with the location already loaded (request.location_id is ignored): for documents
// that reserve many lines at one location.
AllocationRecord allocate(storage::Transaction& tx, const Context& ctx,
                          const AllocationRequest& request, const Location& location);
AllocationRecord release(storage::Transaction& tx, const Context& ctx,
                         const AllocationRequest& request, const Location& location);
// Many lines at one location: the same rows and errors as one call per line (the first line
// that does not fit is INSUFFICIENT_STOCK and the transaction rolls back), with the ledger rows
// written many per statement.
std::vector<AllocationRecord> allocate_lines(storage::Transaction& tx, const Context& ctx,
                                             const std::vector<AllocationRequest>& requests,
                                             const Location& location);
std::vector<AllocationRecord> release_lines(storage::Transaction& tx, const Context& ctx,
                                            const std::vector<AllocationRequest>& requests,
                                            const Location& location);

// The balance of a part at a location, locked for the rest of the transaction (created at zero
// the first time). For decisions that depend on the current figure, such as "SET to 42".
Balance locked_balance_of(storage::Transaction& tx, const std::string& part_id,
                          const std::string& location_id, Timestamp now);
// The balance of a part at a location (all zero when it never held stock). No lock.
Balance balance_of(storage::Transaction& tx, const std::string& part_id,
                   const std::string& location_id);

// What a document still holds allocated of a part at a location: its ALLOCATE rows minus its
// RELEASE rows (reference_id "" stands for allocations made without one).
Quantity net_allocated_for_reference(storage::Transaction& tx, const std::string& part_id,
                                     const std::string& location_id,
                                     const std::string& reference_type,
                                     const std::string& reference_id);

// The per-location settings of a part: low-stock levels and where it sits ("Rack A-5").
struct StockSettings {
  StockLevels levels;
  std::optional<std::string> bin_location;
};
StockSettings stock_settings_of(storage::Transaction& tx, const std::string& part_id,
                                const std::string& location_id);
// Replaces the settings (creating the balance row at zero stock if needed). VALIDATION for
// inconsistent levels.
void store_stock_settings(storage::Transaction& tx, const std::string& part_id,
                          const std::string& location_id, const StockSettings& settings,
                          Timestamp now);

// The net quantity a document's moves left in `location_id`: moves in minus moves out with
// that reference. A closed parts issue leaves zero in transit.
Quantity net_moved_for_reference(storage::Transaction& tx, const std::string& location_id,
                                 const std::string& reference_type,
                                 const std::string& reference_id);

// ---- verify_stock ------------------------------------------------------------------------------
// Recomputes every invariant from the ledger and names the first violation:
//   1. per part, on_hand summed over all locations is zero;
//   2. replaying each balance's ledger rows in order gives every row's before/after figures and
//      ends at the stored on_hand and allocated;
//   3. at real locations 0 <= allocated <= on_hand (on_hand < 0 or allocated > on_hand only where
//      the location allows negative stock); at virtual ones allocated == 0;
//   4. documents match their moves: each purchase order line's accepted quantity equals its
//      receipts, and each parts issue or transfer holds in transit exactly what its status says.
struct StockVerification {
  bool ok = true;
  std::string rule;  // "ZERO_SUM", "REPLAY", "ALLOCATION", "DOCUMENT" when !ok
  std::string message;
  std::string part_id;
  std::string location_id;
  std::string reference_id;
  int64_t parts_checked = 0;
  int64_t balances_checked = 0;
  int64_t moves_replayed = 0;
};
StockVerification verify_stock(storage::Transaction& tx);

}  // namespace dms::inventory
