#include "workshop/stock_link.hpp"

#include "dms/error.hpp"
#include "workshop/common.hpp"

#include "inventory/stock.hpp"

namespace dms::workshop {

CatalogPart load_catalog_part(storage::Transaction& tx, const std::string& part_id,
                              const std::string& field) {
  auto row = tx.query_one(
      "SELECT id, part_number, name, hsn_code, gst_rate, sale_price, mrp, is_active FROM inv_parts "
      "WHERE id = ?",
      {part_id});
  if (!row) reference_not_found(field, "part", part_id);
  CatalogPart part;
  part.id = row->str("id");
  part.part_number = row->str("part_number");
  part.name = row->str("name");
  part.hsn_code = row->opt_str("hsn_code").value_or("");
  part.gst_rate = Percent::from_units(row->i64("gst_rate"));
  part.sale_price = Money::from_minor(row->i64("sale_price"));
  if (auto mrp = row->opt_i64("mrp")) part.mrp = Money::from_minor(*mrp);
  part.active = row->flag("is_active");
  return part;
}

namespace {

inventory::Location counterpart(storage::Transaction& tx, StockCounterpart which) {
  return inventory::virtual_location(tx, which == StockCounterpart::kWorkshop
                                             ? inventory::LocationKind::kWorkshop
                                             : inventory::LocationKind::kCustomer);
}

inventory::MoveRequest move_request(const std::string& part_id, Quantity quantity,
                                    const StockReference& reference) {
  inventory::MoveRequest move;
  move.part_id = part_id;
  move.quantity = quantity;
  move.reason = reference.reason;
  move.reference_type = reference.type;
  move.reference_id = reference.id;
  move.reference_number = reference.number;
  move.reference_line_id = reference.line_id;
  return move;
}

}  // namespace

Money move_out_of_store(storage::Transaction& tx, const Context& ctx,
                        const std::string& service_center_id, const std::string& part_id,
                        Quantity quantity, StockCounterpart to, const StockReference& reference) {
  inventory::MoveRequest move = move_request(part_id, quantity, reference);
  move.from_location = inventory::store_location_of(tx, service_center_id).id;
  move.to_location = counterpart(tx, to).id;
  move.type = inventory::TxnType::kIssue;
  return inventory::move_stock(tx, ctx, move).unit_cost;
}

void move_back_to_store(storage::Transaction& tx, const Context& ctx,
                        const std::string& service_center_id, const std::string& part_id,
                        Quantity quantity, StockCounterpart from, Money unit_cost,
                        const StockReference& reference) {
  inventory::MoveRequest move = move_request(part_id, quantity, reference);
  move.from_location = counterpart(tx, from).id;
  move.to_location = inventory::store_location_of(tx, service_center_id).id;
  move.type = inventory::TxnType::kReturn;
  move.unit_cost = unit_cost;
  inventory::move_stock(tx, ctx, move);
}

Quantity available_in_store(storage::Transaction& tx, const std::string& service_center_id,
                            const std::string& part_id) {
  const auto store = inventory::find_store_location(tx, service_center_id);
  if (!store) return Quantity();
  return inventory::balance_of(tx, part_id, store->id).available();
}

}  // namespace dms::workshop
