// verify_stock(): an independent recomputation of the stock invariants from the ledger. It shares
// no code with the moves it checks beyond the table layout.
#include <map>
#include <string>
#include <utility>

#include "inventory/stock.hpp"
#include "inventory/workflows.hpp"
#include "service/rows.hpp"

namespace dms::inventory {

using namespace rows;  // NOLINT(google-build-using-namespace)
namespace {

using storage::Transaction;
using Key = std::pair<std::string, std::string>;  // (part, location)

struct Replayed {
  int64_t on_hand = 0;
  int64_t allocated = 0;
};

struct Check {
  StockVerification& result;

  bool fail(const char* rule, std::string message, std::string part = {}, std::string location = {},
            std::string reference = {}) {
    result.ok = false;
    result.rule = rule;
    result.message = std::move(message);
    result.part_id = std::move(part);
    result.location_id = std::move(location);
    result.reference_id = std::move(reference);
    return false;
  }
};

std::string units_text(int64_t units) {
  return Quantity::from_units(units).to_string();
}

bool check_zero_sum(Transaction& tx, Check& check) {
  const auto rows = tx.query(
      "SELECT part_id, CAST(SUM(on_hand) AS BIGINT) AS total FROM inv_balances "
      "GROUP BY part_id ORDER BY part_id");
  check.result.parts_checked = static_cast<int64_t>(rows.size());
  for (const auto& row : rows) {
    if (row.i64("total") != 0) {
      return check.fail("ZERO_SUM",
                        "part " + row.str("part_id") + ": on_hand over all locations sums to " +
                            units_text(row.i64("total")) + ", not 0",
                        row.str("part_id"));
    }
  }
  return true;
}

// One ledger row against the running figure of one side: its before must be the running value,
// its after the running value plus the change.
bool replay_side(Check& check, const storage::Row& row, int64_t& running, int64_t before,
                 int64_t after, int64_t change, const std::string& location) {
  if (before != running || after != running + change) {
    return check.fail("REPLAY",
                      "move " + row.str("id") + " (" + row.str("txn_type") + ") records " +
                          units_text(before) + " -> " + units_text(after) +
                          " but the ledger "
                          "replays " +
                          units_text(running) + " -> " + units_text(running + change),
                      row.str("part_id"), location, row.opt_str("reference_id").value_or(""));
  }
  running += change;
  return true;
}

bool replay_ledger(Transaction& tx, Check& check, std::map<Key, Replayed>& replayed) {
  const auto rows = tx.query(
      "SELECT id, part_id, txn_type, quantity, from_location_id, to_location_id, from_before, "
      "from_after, to_before, to_after, reference_id FROM inv_moves ORDER BY seq");
  check.result.moves_replayed = static_cast<int64_t>(rows.size());
  for (const auto& row : rows) {
    const std::string& part = row.str("part_id");
    const std::string& from = row.str("from_location_id");
    const std::string& to = row.str("to_location_id");
    const int64_t quantity = row.i64("quantity");
    const std::string& type = row.str("txn_type");
    if (quantity <= 0) {
      return check.fail("REPLAY", "move " + row.str("id") + " has a non-positive quantity", part,
                        from);
    }
    if (type == "ALLOCATE" || type == "RELEASE") {
      const int64_t change = type == "ALLOCATE" ? quantity : -quantity;
      if (!replay_side(check, row, replayed[{part, from}].allocated, row.i64("from_before"),
                       row.i64("from_after"), change, from)) {
        return false;
      }
      continue;
    }
    if (from == to) {
      return check.fail("REPLAY", "move " + row.str("id") + " has the same source and target", part,
                        from);
    }
    if (!replay_side(check, row, replayed[{part, from}].on_hand, row.i64("from_before"),
                     row.i64("from_after"), -quantity, from) ||
        !replay_side(check, row, replayed[{part, to}].on_hand, row.i64("to_before"),
                     row.i64("to_after"), quantity, to)) {
      return false;
    }
  }
  return true;
}

bool check_balances(Transaction& tx, Check& check, std::map<Key, Replayed>& replayed) {
  const auto rows = tx.query(
      "SELECT b.part_id, b.location_id, b.on_hand, b.allocated, l.kind, l.allow_negative "
      "FROM inv_balances b JOIN inv_locations l ON l.id = b.location_id "
      "ORDER BY b.part_id, b.location_id");
  check.result.balances_checked = static_cast<int64_t>(rows.size());
  for (const auto& row : rows) {
    const std::string& part = row.str("part_id");
    const std::string& location = row.str("location_id");
    const int64_t on_hand = row.i64("on_hand");
    const int64_t allocated = row.i64("allocated");
    const auto it = replayed.find({part, location});
    const Replayed expected = it == replayed.end() ? Replayed{} : it->second;
    if (it != replayed.end()) replayed.erase(it);
    if (on_hand != expected.on_hand || allocated != expected.allocated) {
      return check.fail("REPLAY",
                        "balance holds on_hand " + units_text(on_hand) + ", allocated " +
                            units_text(allocated) + "; its ledger replays to " +
                            units_text(expected.on_hand) + ", " + units_text(expected.allocated),
                        part, location);
    }
    const auto kind = location_kind_from_name(row.str("kind"));
    const bool real = kind && is_real(*kind);
    const bool negative_ok = row.flag("allow_negative");
    if (!real && allocated != 0) {
      return check.fail("ALLOCATION", "a virtual location holds an allocation", part, location);
    }
    if (real && allocated < 0) {
      return check.fail("ALLOCATION", "allocated " + units_text(allocated) + " is negative", part,
                        location);
    }
    if (real && !negative_ok && (on_hand < 0 || allocated > on_hand)) {
      return check.fail("ALLOCATION",
                        "on_hand " + units_text(on_hand) + ", allocated " + units_text(allocated) +
                            ": needs 0 <= allocated <= on_hand",
                        part, location);
    }
  }
  for (const auto& [key, figures] : replayed) {
    if (figures.on_hand != 0 || figures.allocated != 0) {
      return check.fail("REPLAY", "ledger rows for a balance that does not exist", key.first,
                        key.second);
    }
  }
  return true;
}

bool check_purchase_orders(Transaction& tx, Check& check) {
  const auto rows = tx.query(
      "SELECT i.id, i.purchase_order_id, i.part_id, i.accepted_qty, "
      "CAST(COALESCE(SUM(m.quantity), 0) AS BIGINT) AS moved "
      "FROM inv_purchase_order_items i LEFT JOIN inv_moves m "
      "ON m.reference_id = i.purchase_order_id AND m.reference_line_id = i.id "
      "AND m.txn_type = 'RECEIVE' "
      "GROUP BY i.id, i.purchase_order_id, i.part_id, i.accepted_qty");
  for (const auto& row : rows) {
    if (row.i64("accepted_qty") != row.i64("moved")) {
      return check.fail("DOCUMENT",
                        "purchase order line " + row.str("id") + " accepted " +
                            units_text(row.i64("accepted_qty")) + " but its receipts moved " +
                            units_text(row.i64("moved")),
                        row.str("part_id"), "", row.str("purchase_order_id"));
    }
  }
  return true;
}

// Per parts issue or transfer: what it holds in transit and allocated at its source must match
// its status (approved quantities in transit while APPROVED or DISPATCHED, requested quantities
// allocated while PENDING_APPROVAL, nothing otherwise).
bool check_transfers(Transaction& tx, Check& check) {
  const std::string in_transit = virtual_location(tx, LocationKind::kInTransit).id;
  const auto rows = tx.query(
      "SELECT t.id, t.status, t.from_location_id, "
      "CAST(COALESCE(SUM(CASE WHEN m.txn_type IN ('ALLOCATE', 'RELEASE') THEN 0 "
      "WHEN m.to_location_id = ? THEN m.quantity "
      "WHEN m.from_location_id = ? THEN -m.quantity ELSE 0 END), 0) AS BIGINT) AS in_transit, "
      "CAST(COALESCE(SUM(CASE WHEN m.txn_type = 'ALLOCATE' THEN m.quantity "
      "WHEN m.txn_type = 'RELEASE' THEN -m.quantity ELSE 0 END), 0) AS BIGINT) AS allocated "
      "FROM inv_transfers t LEFT JOIN inv_moves m ON m.reference_id = t.id "
      "GROUP BY t.id, t.status, t.from_location_id",
      {in_transit, in_transit});
  const auto items = tx.query(
      "SELECT transfer_id, CAST(SUM(requested_qty) AS BIGINT) AS requested, "
      "CAST(COALESCE(SUM(approved_qty), 0) AS BIGINT) AS approved "
      "FROM inv_transfer_items GROUP BY transfer_id");
  std::map<std::string, std::pair<int64_t, int64_t>> quantities;
  for (const auto& item : items) {
    quantities[item.str("transfer_id")] = {item.i64("requested"), item.i64("approved")};
  }
  for (const auto& row : rows) {
    const std::string& status = row.str("status");
    const TransferStatus state = kStockTransferFlow.parse(status);
    const auto [requested, approved] = quantities[row.str("id")];
    const bool travelling =
        state == TransferStatus::kApproved || state == TransferStatus::kDispatched;
    const int64_t expect_transit = travelling ? approved : 0;
    const int64_t expect_allocated = state == TransferStatus::kPendingApproval ? requested : 0;
    if (row.i64("in_transit") != expect_transit || row.i64("allocated") != expect_allocated) {
      return check.fail("DOCUMENT",
                        "transfer " + row.str("id") + " (" + status + ") holds " +
                            units_text(row.i64("in_transit")) + " in transit and " +
                            units_text(row.i64("allocated")) + " allocated; expected " +
                            units_text(expect_transit) + " and " + units_text(expect_allocated),
                        "", in_transit, row.str("id"));
    }
  }
  return true;
}

}  // namespace

StockVerification verify_stock(Transaction& tx) {
  StockVerification result;
  Check check{result};
  std::map<Key, Replayed> replayed;
  if (!check_zero_sum(tx, check)) return result;
  if (!replay_ledger(tx, check, replayed)) return result;
  if (!check_balances(tx, check, replayed)) return result;
  if (!check_purchase_orders(tx, check)) return result;
  check_transfers(tx, check);
  return result;
}

}  // namespace dms::inventory
