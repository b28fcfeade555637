#include "inventory/stock.hpp"

#include <algorithm>
#include <map>
#include <utility>

#include "dms/error.hpp"
#include "dms/gst.hpp"
#include "events/outbox.hpp"
#include "inventory/arrivals.hpp"
#include "service/rows.hpp"

namespace dms::inventory {

using namespace rows;  // NOLINT(google-build-using-namespace)
namespace {

using storage::Row;
using storage::Transaction;
using storage::Value;

constexpr const char* kLocationColumns =
    "SELECT id, code, name, kind, service_center_id, state_code, allow_negative "
    "FROM inv_locations ";

Location location_from_row(const Row& row) {
  Location location;
  location.id = row.str("id");
  location.code = row.str("code");
  location.name = row.str("name");
  const auto kind = location_kind_from_name(row.str("kind"));
  if (!kind) throw Error::Internal("location " + location.id + " has an unknown kind");
  location.kind = *kind;
  location.service_center_id = row.opt_str("service_center_id");
  location.state_code = row.opt_str("state_code");
  location.allow_negative = row.flag("allow_negative");
  return location;
}

std::optional<Location> find_location(Transaction& tx, const std::string& where,
                                      const std::vector<Value>& params) {
  auto row = tx.query_one(std::string(kLocationColumns) + where, params);
  if (!row) return std::nullopt;
  return location_from_row(*row);
}

// The GST state code of a service center: its state_code column, else its state's name.
std::optional<std::string> state_code_of(const Row& center) {
  if (auto code = center.opt_str("state_code"); code && !code->empty()) return code;
  if (auto name = center.opt_str("state")) {
    if (const IndianState* state = find_state_by_name(*name)) return std::string(state->code);
  }
  return std::nullopt;
}

// ---- Balances ----------------------------------------------------------------------------------

struct LockedBalance {
  Balance balance;
  StockLevels levels;
};

LockedBalance balance_from_row(const Row& row) {
  LockedBalance locked;
  locked.balance.on_hand = Quantity::from_units(row.i64("on_hand"));
  locked.balance.allocated = Quantity::from_units(row.i64("allocated"));
  locked.balance.average_cost = Money::from_minor(row.i64("average_cost"));
  locked.levels.min_level = opt_quantity(row, "min_level");
  locked.levels.max_level = opt_quantity(row, "max_level");
  locked.levels.reorder_point = opt_quantity(row, "reorder_point");
  return locked;
}

std::string select_balance_sql(const Transaction& tx) {
  return std::string(
             "SELECT on_hand, allocated, average_cost, min_level, max_level, reorder_point "
             "FROM inv_balances WHERE part_id = ? AND location_id = ?") +
         tx.for_update();
}

void require_part_exists(Transaction& tx, const std::string& part_id) {
  if (!tx.query_one("SELECT 1 FROM inv_parts WHERE id = ?", {part_id})) {
    throw Error::NotFound("part", part_id);
  }
}

// Locks the balance row of (part, location), creating it at zero the first time.
LockedBalance lock_balance(Transaction& tx, const std::string& part_id,
                           const std::string& location_id, Timestamp now) {
  const std::string sql = select_balance_sql(tx);
  if (auto row = tx.query_one(sql, {part_id, location_id})) return balance_from_row(*row);
  require_part_exists(tx, part_id);
  tx.exec(
      "INSERT INTO inv_balances (part_id, location_id, updated_at) VALUES (?, ?, ?) "
      "ON CONFLICT (part_id, location_id) DO NOTHING",
      {part_id, location_id, now.unix_micros()});
  auto row = tx.query_one(sql, {part_id, location_id});
  if (!row) throw Error::Internal("balance row vanished after insert");
  return balance_from_row(*row);
}

void store_balance(Transaction& tx, const std::string& part_id, const std::string& location_id,
                   const Balance& balance, Timestamp now, bool restocked) {
  tx.exec(
      "UPDATE inv_balances SET on_hand = ?, allocated = ?, average_cost = ?, updated_at = ?, "
      "last_restocked_at = CASE WHEN ? = 1 THEN ? ELSE last_restocked_at END "
      "WHERE part_id = ? AND location_id = ?",
      {balance.on_hand.units(), balance.allocated.units(), balance.average_cost.minor(),
       now.unix_micros(), int64_t{restocked ? 1 : 0}, now.unix_micros(), part_id, location_id});
}

struct LedgerRow {
  const std::string& part_id;
  TxnType type;
  Quantity quantity;
  const std::string& from_location;
  const std::string& to_location;
  Quantity from_before, from_after, to_before, to_after;
  Money unit_cost;
  const std::string& reason;
  const std::string& reference_type;
  const std::string& reference_id;
  const std::string& reference_number;
  const std::string& reference_line_id;
  const std::string& notes;
};

constexpr const char* kLedgerInsert =
    "INSERT INTO inv_moves (id, part_id, txn_type, quantity, from_location_id, to_location_id, "
    "from_before, from_after, to_before, to_after, unit_cost, reason, reference_type, "
    "reference_id, reference_number, reference_line_id, notes, performed_by, created_at) VALUES ";
constexpr const char* kLedgerPlaceholders =
    "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

void append_ledger_values(std::vector<Value>& values, const std::string& id, const Context& ctx,
                          const LedgerRow& row) {
  values.insert(
      values.end(),
      {id, row.part_id, txn_type_name(row.type), row.quantity.units(), row.from_location,
       row.to_location, row.from_before.units(), row.from_after.units(), row.to_before.units(),
       row.to_after.units(), row.unit_cost.minor(), null_if_empty(row.reason),
       null_if_empty(row.reference_type), null_if_empty(row.reference_id),
       null_if_empty(row.reference_number), null_if_empty(row.reference_line_id),
       null_if_empty(row.notes), null_if_empty(ctx.user_id), ctx.now().unix_micros()});
}

std::string insert_ledger_row(Transaction& tx, const Context& ctx, const LedgerRow& row) {
  std::string id = storage::new_id();
  std::vector<Value> values;
  values.reserve(19);
  append_ledger_values(values, id, ctx, row);
  tx.exec(std::string(kLedgerInsert) + kLedgerPlaceholders, values);
  return id;
}

// Ledger rows written many per statement: for documents with thousands of lines.
class LedgerBatch {
 public:
  static constexpr size_t kRowsPerStatement = 100;

  LedgerBatch(Transaction& tx, const Context& ctx) : tx_(tx), ctx_(ctx) {}

  std::string add(const LedgerRow& row) {
    std::string id = storage::new_id();
    append_ledger_values(values_, id, ctx_, row);
    if (++rows_ == kRowsPerStatement) flush();
    return id;
  }

  void flush() {
    if (rows_ == 0) return;
    std::string sql = kLedgerInsert;
    for (size_t i = 0; i < rows_; ++i) {
      if (i > 0) sql += ", ";
      sql += kLedgerPlaceholders;
    }
    tx_.exec(sql, values_);
    values_.clear();
    rows_ = 0;
  }

 private:
  Transaction& tx_;
  const Context& ctx_;
  std::vector<Value> values_;
  size_t rows_ = 0;
};

// The cost a move carries when the caller names none: a real source's average; from a
// virtual source the destination's current average when it holds stock (so an uncosted
// correction leaves the average alone), else the part's cost price.
Money default_unit_cost(Transaction& tx, const Location& from, const LockedBalance& source,
                        const LockedBalance& destination, const std::string& part_id) {
  if (from.real()) return source.balance.average_cost;
  if (destination.balance.on_hand.units() > 0) return destination.balance.average_cost;
  auto row = tx.query_one("SELECT cost_price FROM inv_parts WHERE id = ?", {part_id});
  return row ? Money::from_minor(row->i64("cost_price")) : Money();
}

void emit_low_stock(Transaction& tx, const Context& ctx, const std::string& part_id,
                    const Location& location, Quantity on_hand, const StockLevels& levels) {
  auto part = tx.query_one("SELECT part_number, name FROM inv_parts WHERE id = ?", {part_id});
  Json payload = {
      {"partId", part_id},
      {"partNumber", part ? part->str("part_number") : ""},
      {"partName", part ? part->str("name") : ""},
      {"locationId", location.id},
      {"locationName", location.name},
      {"stockQuantity", on_hand.to_string()},
      {"minStockLevel", levels.min_level ? Json(levels.min_level->to_string()) : Json()},
      {"reorderPoint", levels.reorder_point ? Json(levels.reorder_point->to_string()) : Json()},
      {"deficit", low_stock_deficit(on_hand, levels).to_string()},
  };
  if (location.service_center_id) payload["serviceCenterId"] = *location.service_center_id;
  events::emit(tx, ctx, "stock.low", payload, location.service_center_id,
               location.kind == LocationKind::kWarehouse ? "central_inventory_manager"
                                                         : "inventory_manager");
}

void validate_move(const MoveRequest& request, const std::string& from_id,
                   const std::string& to_id) {
  if (request.quantity.units() <= 0) {
    throw Error::Validation("quantity", "quantity must be positive");
  }
  if (from_id == to_id) {
    throw Error::Validation("toLocationId", "a move needs two different locations");
  }
  if (!changes_on_hand(request.type)) {
    throw Error::Validation("transactionType", "ALLOCATE and RELEASE are not moves");
  }
  if (request.part_id.empty()) throw Error::Validation("partId", "partId is required");
}

// Locks both balances in location-id order, so two opposite moves cannot deadlock.
std::pair<LockedBalance, LockedBalance> lock_pair(Transaction& tx, const std::string& part_id,
                                                  const std::string& from_id,
                                                  const std::string& to_id, Timestamp now) {
  if (from_id < to_id) {
    LockedBalance from = lock_balance(tx, part_id, from_id, now);
    return {from, lock_balance(tx, part_id, to_id, now)};
  }
  LockedBalance to = lock_balance(tx, part_id, to_id, now);
  return {lock_balance(tx, part_id, from_id, now), to};
}

// One conditional UPDATE does the whole reservation: it changes the row only when the rule
// holds (available >= quantity to allocate, allocated >= quantity to release), which makes it
// race-free on both engines (PostgreSQL re-checks the condition after waiting for a concurrent
// writer's row lock). When it changes nothing, the locked balance and the pure rule say why.
std::optional<Row> conditional_allocation(Transaction& tx, const AllocationRequest& request,
                                          const std::string& location_id, TxnType type,
                                          Timestamp now) {
  const int64_t units = request.quantity.units();
  return tx.query_one(
      type == TxnType::kAllocate
          ? "UPDATE inv_balances SET allocated = allocated + ?, updated_at = ? WHERE part_id = ? "
            "AND location_id = ? AND on_hand - allocated >= ? RETURNING on_hand, allocated"
          : "UPDATE inv_balances SET allocated = allocated - ?, updated_at = ? WHERE part_id = ? "
            "AND location_id = ? AND allocated >= ? RETURNING on_hand, allocated",
      {units, now.unix_micros(), request.part_id, location_id, units});
}

// The balance side of an allocation or release; the record's move_id is left empty.
AllocationRecord reserve(Transaction& tx, const AllocationRequest& request,
                         const Location& location, TxnType type, Timestamp now) {
  if (request.quantity.units() <= 0) {
    throw Error::Validation("quantity", "quantity must be positive");
  }
  if (!location.real()) {
    throw Error::Validation("locationId", "stock is allocated only at a real location");
  }
  auto changed = conditional_allocation(tx, request, location.id, type, now);
  if (!changed) {
    // Missing row (NOT_FOUND for an unknown part) or the rule fails: the pure rule throws the
    // precise error. If it passes, a concurrent change has made room meanwhile: try again, now
    // holding the lock.
    const LockedBalance locked = lock_balance(tx, request.part_id, location.id, now);
    if (type == TxnType::kAllocate) {
      allocate(locked.balance, request.quantity);
    } else {
      release(locked.balance, request.quantity);
    }
    changed = conditional_allocation(tx, request, location.id, type, now);
    if (!changed) throw Error::Internal("a locked allocation changed nothing");
  }
  AllocationRecord record;
  record.on_hand = quantity_of(*changed, "on_hand");
  record.allocated_after = quantity_of(*changed, "allocated");
  record.allocated_before = type == TxnType::kAllocate ? record.allocated_after - request.quantity
                                                       : record.allocated_after + request.quantity;
  return record;
}

LedgerRow allocation_row(const AllocationRequest& request, const Location& location, TxnType type,
                         const AllocationRecord& record) {
  return {request.part_id,
          type,
          request.quantity,
          location.id,
          location.id,
          record.allocated_before,
          record.allocated_after,
          record.allocated_before,
          record.allocated_after,
          Money(),
          request.reason,
          request.reference_type,
          request.reference_id,
          request.reference_number,
          request.reference_line_id,
          request.notes};
}

AllocationRecord change_allocation(Transaction& tx, const Context& ctx,
                                   const AllocationRequest& request, TxnType type,
                                   const Location& location) {
  AllocationRecord record = reserve(tx, request, location, type, ctx.now());
  record.move_id = insert_ledger_row(tx, ctx, allocation_row(request, location, type, record));
  return record;
}

// reserve() for the sum of one part's lines; when it does not fit, the error names the first of
// those lines that does not.
AllocationRecord reserve_or_name_line(Transaction& tx,
                                      const std::vector<AllocationRequest>& requests,
                                      const std::vector<size_t>& lines,
                                      const AllocationRequest& total, const Location& location,
                                      TxnType type, Timestamp now) {
  try {
    return reserve(tx, total, location, type, now);
  } catch (const Error& e) {
    if (e.code() != ErrorCode::kInsufficientStock &&
        e.code() != ErrorCode::kReleaseExceedsAllocated)
      throw;
    Balance balance = lock_balance(tx, total.part_id, location.id, now).balance;
    for (size_t line : lines) {
      try {
        balance = type == TxnType::kAllocate ? allocate(balance, requests[line].quantity)
                                             : release(balance, requests[line].quantity);
      } catch (const Error& per_line) {
        throw Error(per_line.code(), "line " + std::to_string(line + 1) + " (part " +
                                         total.part_id + "): " + per_line.message());
      }
    }
    throw;
  }
}

// Many lines: one conditional UPDATE per distinct part for the sum of its lines (in part-id
// order, so two documents never wait on each other's rows in opposite orders), then the lines'
// own before/after figures in request order, and the ledger rows many per statement. When a
// part's sum does not fit, its lines are retried one by one so that the error names the line.
std::vector<AllocationRecord> change_allocations(Transaction& tx, const Context& ctx,
                                                 const std::vector<AllocationRequest>& requests,
                                                 TxnType type, const Location& location) {
  const Timestamp now = ctx.now();
  std::map<std::string, std::vector<size_t>> lines_of_part;
  for (size_t i = 0; i < requests.size(); ++i) {
    if (requests[i].quantity.units() <= 0) {
      throw Error::Validation("quantity", "quantity must be positive");
    }
    lines_of_part[requests[i].part_id].push_back(i);
  }
  std::vector<AllocationRecord> records(requests.size());
  for (const auto& [part_id, lines] : lines_of_part) {
    AllocationRequest total = requests[lines.front()];
    for (size_t k = 1; k < lines.size(); ++k) total.quantity += requests[lines[k]].quantity;
    const AllocationRecord sum =
        reserve_or_name_line(tx, requests, lines, total, location, type, now);
    Quantity running = sum.allocated_before;
    for (size_t line : lines) {
      AllocationRecord& record = records[line];
      record.on_hand = sum.on_hand;
      record.allocated_before = running;
      running = type == TxnType::kAllocate ? running + requests[line].quantity
                                           : running - requests[line].quantity;
      record.allocated_after = running;
    }
  }
  LedgerBatch ledger(tx, ctx);
  for (size_t i = 0; i < requests.size(); ++i) {
    records[i].move_id = ledger.add(allocation_row(requests[i], location, type, records[i]));
  }
  ledger.flush();
  return records;
}

}  // namespace

// ---- Locations ---------------------------------------------------------------------------------

Location central_location(Transaction& tx) {
  auto location = find_location(tx, "WHERE code = ?", {std::string("CENTRAL")});
  if (!location) throw Error::Internal("the CENTRAL warehouse is missing");
  return *location;
}

Location location_by_id(Transaction& tx, const std::string& location_id) {
  auto location = find_location(tx, "WHERE id = ?", {location_id});
  if (!location) throw Error::NotFound("location", location_id);
  return *location;
}

Location virtual_location(Transaction& tx, LocationKind kind) {
  if (is_real(kind)) throw Error::Internal("virtual_location() of a real kind");
  auto location = find_location(tx, "WHERE kind = ?", {std::string(location_kind_name(kind))});
  if (!location) throw Error::Internal(std::string("no ") + location_kind_name(kind) + " location");
  return *location;
}

std::optional<Location> find_store_location(Transaction& tx, const std::string& service_center_id) {
  return find_location(tx, "WHERE service_center_id = ?", {service_center_id});
}

Location store_location_of(Transaction& tx, const std::string& service_center_id) {
  if (auto existing = find_store_location(tx, service_center_id)) return *existing;
  auto center =
      tx.query_one("SELECT code, name, state, state_code FROM service_centers WHERE id = ?",
                   {service_center_id});
  if (!center) throw Error::NotFound("service center", service_center_id);
  tx.exec(
      "INSERT INTO inv_locations (id, code, name, kind, service_center_id, state_code, "
      "created_at) VALUES (?, ?, ?, 'STORE', ?, ?, ?) ON CONFLICT (service_center_id) DO NOTHING",
      {storage::new_id(), "SC-" + center->str("code"), center->str("name") + " store",
       service_center_id, null_if_empty(state_code_of(*center).value_or("")),
       Clock::system().now().unix_micros()});
  auto created = find_store_location(tx, service_center_id);
  if (!created) throw Error::Internal("store location vanished after insert");
  return *created;
}

// ---- Moves and allocations ---------------------------------------------------------------------

MoveRecord move_stock(Transaction& tx, const Context& ctx, const MoveRequest& request) {
  validate_move(request, request.from_location, request.to_location);
  return move_stock(tx, ctx, request, location_by_id(tx, request.from_location),
                    location_by_id(tx, request.to_location));
}

MoveRecord move_stock(Transaction& tx, const Context& ctx, const MoveRequest& request,
                      const Location& from, const Location& to) {
  validate_move(request, from.id, to.id);
  const Timestamp now = ctx.now();
  auto [source, destination] = lock_pair(tx, request.part_id, from.id, to.id, now);

  Balance source_balance = source.balance;
  if (request.consume_allocation) source_balance = release(source_balance, request.quantity);
  const Money unit_cost = request.unit_cost
                              ? *request.unit_cost
                              : default_unit_cost(tx, from, source, destination, request.part_id);
  if (unit_cost.is_negative()) throw Error::Validation("unitCost", "unitCost must not be negative");
  const MoveResult result = apply_move(source_balance, from.policy(), destination.balance,
                                       to.policy(), request.quantity, unit_cost);

  const bool restocked =
      to.real() && (request.type == TxnType::kReceive || request.type == TxnType::kTransfer);
  store_balance(tx, request.part_id, from.id, result.from, now, false);
  store_balance(tx, request.part_id, to.id, result.to, now, restocked);

  MoveRecord record;
  record.from_before = source.balance.on_hand;
  record.from_after = result.from.on_hand;
  record.to_before = destination.balance.on_hand;
  record.to_after = result.to.on_hand;
  record.unit_cost = unit_cost;
  if (request.consume_allocation) {
    insert_ledger_row(
        tx, ctx,
        {request.part_id, TxnType::kRelease, request.quantity, from.id, from.id,
         source.balance.allocated, source_balance.allocated, source.balance.allocated,
         source_balance.allocated, Money(), request.reason, request.reference_type,
         request.reference_id, request.reference_number, request.reference_line_id, request.notes});
  }
  record.move_id =
      insert_ledger_row(tx, ctx,
                        {request.part_id, request.type, request.quantity, from.id, to.id,
                         record.from_before, record.from_after, record.to_before, record.to_after,
                         unit_cost, request.reason, request.reference_type, request.reference_id,
                         request.reference_number, request.reference_line_id, request.notes});

  if (from.real() && crosses_into_low_stock(record.from_before, record.from_after, source.levels)) {
    record.became_low_stock = true;
    emit_low_stock(tx, ctx, request.part_id, from, record.from_after, source.levels);
  }
  if (to.real() && request.type == TxnType::kReceive) {
    announce_arrival(
        tx, ctx,
        {request.part_id, to.id, to.service_center_id, request.quantity, record.to_after,
         request.reference_type, request.reference_id, request.reference_number});
  }
  return record;
}

AllocationRecord allocate(Transaction& tx, const Context& ctx, const AllocationRequest& request) {
  return change_allocation(tx, ctx, request, TxnType::kAllocate,
                           location_by_id(tx, request.location_id));
}

AllocationRecord allocate(Transaction& tx, const Context& ctx, const AllocationRequest& request,
                          const Location& location) {
  return change_allocation(tx, ctx, request, TxnType::kAllocate, location);
}

AllocationRecord release(Transaction& tx, const Context& ctx, const AllocationRequest& request) {
  return change_allocation(tx, ctx, request, TxnType::kRelease,
                           location_by_id(tx, request.location_id));
}

AllocationRecord release(Transaction& tx, const Context& ctx, const AllocationRequest& request,
                         const Location& location) {
  return change_allocation(tx, ctx, request, TxnType::kRelease, location);
}

std::vector<AllocationRecord> allocate_lines(Transaction& tx, const Context& ctx,
                                             const std::vector<AllocationRequest>& requests,
                                             const Location& location) {
  return change_allocations(tx, ctx, requests, TxnType::kAllocate, location);
}

std::vector<AllocationRecord> release_lines(Transaction& tx, const Context& ctx,
                                            const std::vector<AllocationRequest>& requests,
                                            const Location& location) {
  return change_allocations(tx, ctx, requests, TxnType::kRelease, location);
}

Balance locked_balance_of(Transaction& tx, const std::string& part_id,
                          const std::string& location_id, Timestamp now) {
  return lock_balance(tx, part_id, location_id, now).balance;
}

Balance balance_of(Transaction& tx, const std::string& part_id, const std::string& location_id) {
  auto row = tx.query_one(
      "SELECT on_hand, allocated, average_cost, min_level, max_level, reorder_point "
      "FROM inv_balances WHERE part_id = ? AND location_id = ?",
      {part_id, location_id});
  return row ? balance_from_row(*row).balance : Balance{};
}

StockSettings stock_settings_of(Transaction& tx, const std::string& part_id,
                                const std::string& location_id) {
  auto row = tx.query_one(
      "SELECT min_level, max_level, reorder_point, bin_location FROM inv_balances "
      "WHERE part_id = ? AND location_id = ?",
      {part_id, location_id});
  StockSettings settings;
  if (!row) return settings;
  settings.levels.min_level = opt_quantity(*row, "min_level");
  settings.levels.max_level = opt_quantity(*row, "max_level");
  settings.levels.reorder_point = opt_quantity(*row, "reorder_point");
  settings.bin_location = row->opt_str("bin_location");
  return settings;
}

void store_stock_settings(Transaction& tx, const std::string& part_id,
                          const std::string& location_id, const StockSettings& settings,
                          Timestamp now) {
  validate_levels(settings.levels);
  lock_balance(tx, part_id, location_id, now);
  tx.exec(
      "UPDATE inv_balances SET min_level = ?, max_level = ?, reorder_point = ?, bin_location = ?, "
      "updated_at = ? WHERE part_id = ? AND location_id = ?",
      {thousandths(settings.levels.min_level), thousandths(settings.levels.max_level),
       thousandths(settings.levels.reorder_point), null_if_empty(settings.bin_location),
       now.unix_micros(), part_id, location_id});
}

Quantity net_allocated_for_reference(Transaction& tx, const std::string& part_id,
                                     const std::string& location_id,
                                     const std::string& reference_type,
                                     const std::string& reference_id) {
  auto row = tx.query_one(
      "SELECT CAST(COALESCE(SUM(CASE WHEN txn_type = 'ALLOCATE' THEN quantity ELSE -quantity END), "
      "0) AS BIGINT) AS net FROM inv_moves WHERE part_id = ? AND from_location_id = ? AND "
      "txn_type IN ('ALLOCATE', 'RELEASE') AND COALESCE(reference_type, '') = ? AND "
      "COALESCE(reference_id, '') = ?",
      {part_id, location_id, reference_type, reference_id});
  return Quantity::from_units(row->i64("net"));
}

Quantity net_moved_for_reference(Transaction& tx, const std::string& location_id,
                                 const std::string& reference_type,
                                 const std::string& reference_id) {
  auto row = tx.query_one(
      "SELECT CAST(COALESCE(SUM(CASE WHEN to_location_id = ? THEN quantity ELSE 0 END), 0) "
      "AS BIGINT) AS moved_in, "
      "CAST(COALESCE(SUM(CASE WHEN from_location_id = ? THEN quantity ELSE 0 END), 0) "
      "AS BIGINT) AS moved_out "
      "FROM inv_moves WHERE reference_id = ? AND reference_type = ? "
      "AND txn_type NOT IN ('ALLOCATE', 'RELEASE')",
      {location_id, location_id, reference_id, reference_type});
  return Quantity::from_units(row->i64("moved_in") - row->i64("moved_out"));
}

}  // namespace dms::inventory
