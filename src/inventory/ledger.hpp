// The stock ledger's arithmetic: pure functions over balances, with no I/O.
//
// Stock follows the double-entry model of docs/ARCHITECTURE.md: every change is a move of a
// quantity of one part from one location to another, so for each part the balances over all
// locations (virtual ones included) sum to zero. A balance holds on_hand, allocated (reserved for
// a pending document) and a moving-average unit cost. This header decides what a move, an
// allocation or an adjustment does to balances, and refuses what would break an invariant
// (INSUFFICIENT_STOCK); src/inventory/stock.hpp applies the result to storage.
//
// Exactness: quantities are Quantity (thousandths), costs Money (paise). The moving average is
// (old_qty x old_cost + in_qty x in_cost) / (old_qty + in_qty), computed with a 128-bit
// intermediate and rounded once, half away from zero, to the paisa (kCostRounding).
//
// Thread-safety: pure functions and value types.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "dms/money.hpp"
#include "dms/quantity.hpp"

namespace dms::inventory {

// The one rounding of stock valuation: average unit costs and values, to the paisa.
inline constexpr Rounding kCostRounding = Rounding::kHalfAwayFromZero;

// Real locations hold stock; virtual ones are the other side of moves that enter or leave the
// business (supplier, customer) or record why stock vanished or is on the road.
enum class LocationKind : uint8_t {
  kWarehouse,   // a central warehouse (real)
  kStore,       // a service center's store (real)
  kSupplier,    // purchases come from here
  kCustomer,    // counter sales and invoiced parts go here
  kAdjustment,  // the counterpart of stock counts and manual corrections
  kScrap,       // damaged, lost, written off
  kInTransit,   // dispatched, not yet received
  kWorkshop,    // consumed on job cards
};

const char* location_kind_name(LocationKind kind) noexcept;  // "WAREHOUSE", "IN_TRANSIT", ...
std::optional<LocationKind> location_kind_from_name(std::string_view name) noexcept;
constexpr bool is_real(LocationKind kind) noexcept {
  return kind == LocationKind::kWarehouse || kind == LocationKind::kStore;
}

// What a ledger row records. ALLOCATE and RELEASE change `allocated` only.
enum class TxnType : uint8_t { kReceive, kIssue, kTransfer, kAdjust, kReturn, kAllocate, kRelease };

const char* txn_type_name(TxnType type) noexcept;  // "RECEIVE", ...
std::optional<TxnType> txn_type_from_name(std::string_view name) noexcept;
constexpr bool changes_on_hand(TxnType type) noexcept {
  return type != TxnType::kAllocate && type != TxnType::kRelease;
}

struct Balance {
  Quantity on_hand;
  Quantity allocated;
  Money average_cost;  // per unit

  Quantity available() const { return on_hand - allocated; }
};

// How strictly a location's balance is guarded.
struct StockPolicy {
  bool real = true;             // virtual locations go negative by design and never allocate
  bool allow_negative = false;  // a real location may be configured to sell below zero
};

// The balances after one move of `quantity` at `unit_cost` from one location to another.
struct MoveResult {
  Balance from;
  Balance to;
};

// Moves `quantity` (> 0) out of `from` into `to`. The source keeps its average cost; the
// destination's average absorbs `unit_cost` when it is real. A real source without
// allow_negative must have `available >= quantity` (INSUFFICIENT_STOCK otherwise): allocated
// stock cannot be moved by anyone but the document that reserved it, which releases it first.
// REQUIRES: quantity > 0 (VALIDATION on "quantity" otherwise).
MoveResult apply_move(const Balance& from, StockPolicy from_policy, const Balance& to,
                      StockPolicy to_policy, Quantity quantity, Money unit_cost);

// Reserves `quantity` (> 0): INSUFFICIENT_STOCK unless available >= quantity.
Balance allocate(const Balance& balance, Quantity quantity);
// Gives back `quantity` (> 0) of a reservation: RELEASE_EXCEEDS_ALLOCATED if more than is
// allocated.
Balance release(const Balance& balance, Quantity quantity);

// The average unit cost after receiving `in_quantity` at `in_cost` into a stock of
// `old_quantity` at `old_cost`. A non-positive old stock contributes nothing (its cost is
// meaningless), so the result is then `in_cost`.
Money moving_average(Quantity old_quantity, Money old_cost, Quantity in_quantity, Money in_cost);

// on_hand x average_cost, to the paisa.
Money stock_value(Quantity on_hand, Money average_cost);

// ---- Adjustments (seed 002 section 7.1: adjust-stock) ------------------------------------------
enum class AdjustmentType : uint8_t { kAdd, kSubtract, kSet };
const char* adjustment_type_name(AdjustmentType type) noexcept;

// The signed change an adjustment makes to `current`: +quantity, -quantity, or target - current.
// ADD and SUBTRACT need quantity > 0, SET quantity >= 0 (VALIDATION on "quantity").
Quantity adjustment_delta(Quantity current, AdjustmentType type, Quantity quantity);

// ---- Stock levels and low stock ----------------------------------------------------------------
struct StockLevels {
  std::optional<Quantity> min_level;
  std::optional<Quantity> max_level;
  std::optional<Quantity> reorder_point;
};

// VALIDATION when a level is negative or min > max, naming the field.
void validate_levels(const StockLevels& levels);
// The level at or below which stock is low: the larger of min level and reorder point, or none.
std::optional<Quantity> low_stock_threshold(const StockLevels& levels);
bool is_low_stock(Quantity on_hand, const StockLevels& levels);
// True when a move takes stock from above the threshold to at or below it.
bool crosses_into_low_stock(Quantity before, Quantity after, const StockLevels& levels);
// How much is missing to reach the threshold (zero when not low).
Quantity low_stock_deficit(Quantity on_hand, const StockLevels& levels);

// ---- Receipts (purchase orders, parts issues) --------------------------------------------------
struct ReceiptLine {
  Quantity ordered;           // what the document asks for (approved, for an issue)
  Quantity already_received;  // accepted + rejected on earlier receipts
  Quantity received;          // arriving now
  Quantity accepted;          // stocked
  Quantity rejected;          // recorded, not stocked
};

// Guard clauses for one receipt line; VALIDATION naming `field_prefix` + the field:
// all quantities >= 0, accepted + rejected == received, and already_received + received <=
// ordered ("receiving more than ordered").
void validate_receipt_line(const ReceiptLine& line, std::string_view field_prefix);

}  // namespace dms::inventory
