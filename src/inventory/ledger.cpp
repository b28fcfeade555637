#include "inventory/ledger.hpp"

#include <algorithm>
#include <boost/multiprecision/cpp_int.hpp>
#include <string>

#include "dms/error.hpp"

namespace dms::inventory {
namespace {

struct KindName {
  LocationKind kind;
  const char* name;
};
constexpr KindName kKindNames[] = {
    {LocationKind::kWarehouse, "WAREHOUSE"},   {LocationKind::kStore, "STORE"},
    {LocationKind::kSupplier, "SUPPLIER"},     {LocationKind::kCustomer, "CUSTOMER"},
    {LocationKind::kAdjustment, "ADJUSTMENT"}, {LocationKind::kScrap, "SCRAP"},
    {LocationKind::kInTransit, "IN_TRANSIT"},  {LocationKind::kWorkshop, "WORKSHOP"},
};

struct TypeName {
  TxnType type;
  const char* name;
};
constexpr TypeName kTypeNames[] = {
    {TxnType::kReceive, "RECEIVE"}, {TxnType::kIssue, "ISSUE"},   {TxnType::kTransfer, "TRANSFER"},
    {TxnType::kAdjust, "ADJUST"},   {TxnType::kReturn, "RETURN"}, {TxnType::kAllocate, "ALLOCATE"},
    {TxnType::kRelease, "RELEASE"},
};

void require_positive(Quantity quantity, const char* field) {
  if (quantity.units() <= 0) {
    throw Error::Validation(field, std::string(field) + " must be positive");
  }
}

[[noreturn]] void insufficient(Quantity available, Quantity wanted) {
  throw Error::InsufficientStock("available " + available.to_string() + ", requested " +
                                 wanted.to_string());
}

}  // namespace

const char* location_kind_name(LocationKind kind) noexcept {
  for (const auto& entry : kKindNames) {
    if (entry.kind == kind) return entry.name;
  }
  return "UNKNOWN";
}

std::optional<LocationKind> location_kind_from_name(std::string_view name) noexcept {
  for (const auto& entry : kKindNames) {
    if (name == entry.name) return entry.kind;
  }
  return std::nullopt;
}

const char* txn_type_name(TxnType type) noexcept {
  for (const auto& entry : kTypeNames) {
    if (entry.type == type) return entry.name;
  }
  return "UNKNOWN";
}

std::optional<TxnType> txn_type_from_name(std::string_view name) noexcept {
  for (const auto& entry : kTypeNames) {
    if (name == entry.name) return entry.type;
  }
  return std::nullopt;
}

Money moving_average(Quantity old_quantity, Money old_cost, Quantity in_quantity, Money in_cost) {
  if (old_quantity.units() <= 0 || in_quantity.units() <= 0) {
    return in_quantity.units() > 0 ? in_cost : old_cost;
  }
  using boost::multiprecision::int128_t;
  // Quantities are thousandths on both sides of the fraction, so the scale cancels.
  const int128_t numerator = int128_t(old_quantity.units()) * old_cost.minor() +
                             int128_t(in_quantity.units()) * in_cost.minor();
  const int128_t denominator = int128_t(old_quantity.units()) + in_quantity.units();
  int128_t quotient = numerator / denominator;
  const int128_t remainder = numerator % denominator;
  // Half away from zero: |remainder| * 2 >= denominator moves one unit away from zero.
  if (remainder * 2 >= denominator) quotient += 1;
  if (remainder * -2 >= denominator) quotient -= 1;
  static_assert(kCostRounding == Rounding::kHalfAwayFromZero, "the code above rounds half away");
  // A weighted mean lies between its two inputs, so it fits 64 bits.
  return Money::from_minor(static_cast<int64_t>(quotient), in_cost.currency());
}

Money stock_value(Quantity on_hand, Money average_cost) {
  return average_cost.times(on_hand, kCostRounding);
}

MoveResult apply_move(const Balance& from, StockPolicy from_policy, const Balance& to,
                      StockPolicy to_policy, Quantity quantity, Money unit_cost) {
  require_positive(quantity, "quantity");
  if (from_policy.real && !from_policy.allow_negative && from.available() < quantity) {
    insufficient(from.available(), quantity);
  }
  MoveResult result{from, to};
  result.from.on_hand = from.on_hand - quantity;
  result.to.on_hand = to.on_hand + quantity;
  if (to_policy.real) {
    result.to.average_cost = moving_average(to.on_hand, to.average_cost, quantity, unit_cost);
  }
  return result;
}

Balance allocate(const Balance& balance, Quantity quantity) {
  require_positive(quantity, "quantity");
  if (balance.available() < quantity) insufficient(balance.available(), quantity);
  Balance result = balance;
  result.allocated = balance.allocated + quantity;
  return result;
}

Balance release(const Balance& balance, Quantity quantity) {
  require_positive(quantity, "quantity");
  if (balance.allocated < quantity) {
    throw Error::BusinessRule(ErrorCode::kReleaseExceedsAllocated,
                              "cannot release " + quantity.to_string() + ": only " +
                                  balance.allocated.to_string() + " allocated");
  }
  Balance result = balance;
  result.allocated = balance.allocated - quantity;
  return result;
}

const char* adjustment_type_name(AdjustmentType type) noexcept {
  switch (type) {
    case AdjustmentType::kAdd:
      return "ADD";
    case AdjustmentType::kSubtract:
      return "SUBTRACT";
    case AdjustmentType::kSet:
      return "SET";
  }
  return "UNKNOWN";
}

Quantity adjustment_delta(Quantity current, AdjustmentType type, Quantity quantity) {
  switch (type) {
    case AdjustmentType::kAdd:
      require_positive(quantity, "quantity");
      return quantity;
    case AdjustmentType::kSubtract:
      require_positive(quantity, "quantity");
      return -quantity;
    case AdjustmentType::kSet:
      if (quantity.is_negative())
        throw Error::Validation("quantity", "quantity must not be negative");
      return quantity - current;
  }
  throw Error::Validation("adjustmentType", "unknown adjustment type");
}

void validate_levels(const StockLevels& levels) {
  const auto reject_negative = [](const std::optional<Quantity>& level, const char* field) {
    if (level && level->is_negative()) {
      throw Error::Validation(field, std::string(field) + " must not be negative");
    }
  };
  reject_negative(levels.min_level, "minStockLevel");
  reject_negative(levels.max_level, "maxStockLevel");
  reject_negative(levels.reorder_point, "reorderPoint");
  if (levels.min_level && levels.max_level && *levels.min_level > *levels.max_level) {
    throw Error::Validation("maxStockLevel", "maxStockLevel must not be below minStockLevel");
  }
}

std::optional<Quantity> low_stock_threshold(const StockLevels& levels) {
  if (levels.min_level && levels.reorder_point) {
    return std::max(*levels.min_level, *levels.reorder_point);
  }
  return levels.min_level ? levels.min_level : levels.reorder_point;
}

bool is_low_stock(Quantity on_hand, const StockLevels& levels) {
  const auto threshold = low_stock_threshold(levels);
  return threshold && on_hand <= *threshold;
}

bool crosses_into_low_stock(Quantity before, Quantity after, const StockLevels& levels) {
  return !is_low_stock(before, levels) && is_low_stock(after, levels);
}

Quantity low_stock_deficit(Quantity on_hand, const StockLevels& levels) {
  const auto threshold = low_stock_threshold(levels);
  if (!threshold || on_hand > *threshold) return Quantity();
  return *threshold - on_hand;
}

void validate_receipt_line(const ReceiptLine& line, std::string_view field_prefix) {
  const auto field = [&](const char* name) { return std::string(field_prefix) + name; };
  const auto reject_negative = [&](Quantity q, const char* name) {
    if (q.is_negative())
      throw Error::Validation(field(name), field(name) + " must not be negative");
  };
  reject_negative(line.received, "receivedQty");
  reject_negative(line.accepted, "acceptedQty");
  reject_negative(line.rejected, "rejectedQty");
  if (line.accepted + line.rejected != line.received) {
    throw Error::Validation(field("acceptedQty"), field("acceptedQty") + " + " +
                                                      field("rejectedQty") + " must equal " +
                                                      field("receivedQty"));
  }
  const Quantity outstanding = line.ordered - line.already_received;
  if (line.received > outstanding) {
    throw Error::Validation(field("receivedQty"),
                            field("receivedQty") + " " + line.received.to_string() +
                                " is more than the " + outstanding.to_string() +
                                " still outstanding of " + line.ordered.to_string() + " ordered");
  }
}

}  // namespace dms::inventory
