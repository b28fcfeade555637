// Purchase orders (seed 002 section 7.3, workflow 1): purchaseOrders.Create, Update, Submit,
// Approve, Reject, MarkOrdered, Cancel, Receive, Get, List.
//
// Totals come from the pricing engine (a purchase_order document, no round-off): CGST + SGST
// when the supplier's GST state is the receiving location's, IGST otherwise. Receiving moves
// each accepted quantity from the supplier location to the PO's location at the PO's unit price
// (so the moving average absorbs it); rejected quantities are recorded, not stocked.
#include <set>
#include <string>
#include <vector>

#include "audit/audit.hpp"
#include "dms/error.hpp"
#include "dms/gst.hpp"
#include "dms/pricing.hpp"
#include "events/outbox.hpp"
#include "inventory/catalog.hpp"
#include "inventory/list_specs.hpp"
#include "inventory/numbering.hpp"
#include "inventory/purchase_orders.hpp"
#include "inventory/service_util.hpp"
#include "inventory/stock.hpp"
#include "inventory/suppliers.hpp"
#include "inventory/workflows.hpp"
#include "service/entity.hpp"
#include "service/request.hpp"
#include "service/rows.hpp"
#include "service/service.hpp"
#include "service/transition.hpp"

namespace dms::inventory {

using namespace rows;  // NOLINT(google-build-using-namespace)
namespace {

using request::Fields;
using storage::Row;
using storage::Transaction;
using storage::Value;

constexpr const char* kReference = "PURCHASE_ORDER";

// ---- Reading and pricing items -----------------------------------------------------------------

using ItemInput = PurchaseOrderItemInput;

std::vector<ItemInput> read_items(const Fields& f) {
  const Json& items = f.array("items", kMaxLines);
  std::vector<ItemInput> out;
  out.reserve(items.size());
  for (size_t i = 0; i < items.size(); ++i) {
    const Fields item = f.element("items", i);
    ItemInput in;
    in.part_id = item.has("centralInventoryPartId") ? item.str("centralInventoryPartId", 1, 100)
                                                    : item.str("partId", 1, 100);
    in.quantity = item.quantity("quantity");
    in.unit_price = item.money("unitPrice");
    in.gst_rate = item.opt_percent("gstRate");
    in.hsn_code = item.opt_str("hsnCode", 8);
    if (in.quantity.units() <= 0) {
      throw Error::Validation(item.path("quantity"), item.path("quantity") + " must be positive");
    }
    if (in.unit_price.is_negative()) {
      throw Error::Validation(item.path("unitPrice"),
                              item.path("unitPrice") + " must not be negative");
    }
    out.push_back(std::move(in));
  }
  return out;
}

struct PricedItems {
  std::vector<PartSummary> parts;
  PricedDocument priced;
};

SupplyType supply_between(const SupplierSummary& supplier, const Location& location) {
  if (!supplier.state_code || !location.state_code) return SupplyType::kIntraState;
  return determine_supply(*supplier.state_code, std::nullopt, *location.state_code);
}

// Loads each item's part and prices the document. Validation errors name "items[i].<field>".
PricedItems price_items(Transaction& tx, const std::vector<ItemInput>& items, SupplyType supply) {
  PricedItems result;
  DocumentInput doc;
  doc.type = DocumentType::kPurchaseOrder;
  doc.supply = supply;
  for (size_t i = 0; i < items.size(); ++i) {
    const std::string prefix = "items[" + std::to_string(i) + "].";
    PartSummary part = load_part(tx, items[i].part_id, prefix + "partId");
    if (!part.active)
      throw Error::Validation(prefix + "partId", "part " + part.id + " is inactive");
    LineInput line;
    line.description = part.name;
    line.hsn_sac = items[i].hsn_code.value_or(part.hsn_code);
    line.quantity = items[i].quantity;
    line.unit_price = items[i].unit_price;
    line.gst_rate = items[i].gst_rate.value_or(part.gst_rate);
    if (line.hsn_sac.empty()) {
      throw Error::Validation(prefix + "hsnCode", prefix + "hsnCode is required: part " +
                                                      part.part_number +
                                                      " has no HSN code in the catalog");
    }
    doc.lines.push_back(std::move(line));
    result.parts.push_back(std::move(part));
  }
  try {
    result.priced = price_document(std::move(doc), PricingConfig{});
  } catch (const Error& e) {
    // The engine names "lines[i].x"; requests call them "items[i].x".
    std::string field = e.field();
    if (field.rfind("lines", 0) == 0) field = "items" + field.substr(5);
    throw Error(e.code(), e.message(), field);
  }
  return result;
}

void write_items(Transaction& tx, const std::string& po_id, const PricedItems& items) {
  for (size_t i = 0; i < items.parts.size(); ++i) {
    const PricedLine& line = items.priced.lines[i];
    tx.exec(
        "INSERT INTO inv_purchase_order_items (id, purchase_order_id, line_no, part_id, "
        "part_name, part_number, hsn_code, quantity, unit_price, gst_rate, amount, cgst, sgst, "
        "igst, total) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        {storage::new_id(), po_id, static_cast<int64_t>(i + 1), items.parts[i].id,
         items.parts[i].name, items.parts[i].part_number, line.hsn_sac, line.quantity.units(),
         line.unit_price.minor(), line.gst_rate.units(), line.taxable.minor(), line.cgst.minor(),
         line.sgst.minor(), line.igst.minor(), line.total.minor()});
  }
}

void write_totals(Transaction& tx, const std::string& po_id, const PricedDocument& priced,
                  Timestamp now) {
  const DocumentTotals& t = priced.totals;
  tx.exec(
      "UPDATE inv_purchase_orders SET supply_type = ?, subtotal = ?, cgst = ?, sgst = ?, "
      "igst = ?, total_amount = ?, updated_at = ? WHERE id = ?",
      {supply_type_name(priced.supply), t.taxable.minor(), t.cgst.minor(), t.sgst.minor(),
       t.igst.minor(), priced.grand_total.minor(), now.unix_micros(), po_id});
}

// ---- Loading and showing -----------------------------------------------------------------------

struct PurchaseOrder {
  std::string id;
  std::string number;
  PoStatus status = PoStatus::kDraft;
  std::string supplier_id;
  std::string location_id;
  std::optional<std::string> service_center_id;  // of a store location
};

PurchaseOrder load_po(Transaction& tx, const Context& ctx, const std::string& id, bool lock) {
  auto row = tx.query_one(
      std::string("SELECT po.id, po.po_number, po.status, po.supplier_id, po.location_id, "
                  "l.service_center_id FROM inv_purchase_orders po JOIN inv_locations l ON "
                  "l.id = po.location_id WHERE po.id = ?") +
          (lock ? tx.for_update() : ""),
      {id});
  if (!row) throw Error::NotFound("purchase order", id);
  PurchaseOrder po;
  po.id = row->str("id");
  po.number = row->str("po_number");
  po.status = kPoFlow.parse(row->str("status"));
  po.supplier_id = row->str("supplier_id");
  po.location_id = row->str("location_id");
  po.service_center_id = row->opt_str("service_center_id");
  service::require_visible(ctx, po.service_center_id, "purchase order", id);
  return po;
}

// The order's document (supplier, items and receipts included), from its description
// (purchase_order_spec).
Json po_json(Transaction& tx, const std::string& id) {
  return service::render_entity(tx, purchase_order_spec(), id, "purchase order");
}

Json event_payload(const PurchaseOrder& po, PoStatus status) {
  return {{"purchaseOrderId", po.id}, {"poNumber", po.number}, {"status", kPoFlow.name(status)}};
}

// The order's move to `to`: audited as `action` with `details`, the columns that come with it,
// and its event when it has one.
service::StatusChange po_change(const PurchaseOrder& po, const char* action,
                                Json details = Json::object()) {
  service::StatusChange change{"inv_purchase_orders", "purchase_order", po.id};
  change.service_center_id = po.service_center_id;
  change.action = action;
  change.audit_new = std::move(details);
  return change;
}

// ---- Create / Update ---------------------------------------------------------------------------

struct HeaderInput {
  std::optional<std::string> supplier_id, order_date, expected_date, notes, payment_terms;
};

HeaderInput read_header(const Fields& f) {
  HeaderInput h;
  h.supplier_id = f.opt_str("supplierId", 100);
  if (auto d = f.opt_date("orderDate")) h.order_date = d->to_string();
  if (auto d = f.opt_date("expectedDeliveryDate")) h.expected_date = d->to_string();
  h.notes = f.opt_str("notes", kLongText);
  h.payment_terms = f.opt_str("paymentTerms", kShortText);
  return h;
}

SupplierSummary active_supplier(Transaction& tx, const std::string& id) {
  SupplierSummary supplier = load_supplier(tx, id);
  if (!supplier.active) throw Error::Validation("supplierId", "supplier " + id + " is inactive");
  return supplier;
}

// The DRAFT order at `location` (already checked to be real and visible): the one insert of
// purchaseOrders.Create and of the purchase requests' Convert.
Json insert_po(Transaction& tx, const Context& ctx, const SupplierSummary& supplier,
               const Location& location, const HeaderInput& header,
               const std::vector<ItemInput>& items) {
  const PricedItems priced = price_items(tx, items, supply_between(supplier, location));
  const std::string id = storage::new_id();
  const std::string number = next_document_number(tx, ctx, series::kPurchaseOrder);
  const int64_t now = ctx.now().unix_micros();
  tx.exec(
      "INSERT INTO inv_purchase_orders (id, po_number, supplier_id, location_id, status, "
      "order_date, expected_delivery_date, notes, payment_terms, supply_type, subtotal, cgst, "
      "sgst, igst, total_amount, requested_by, created_at, updated_at) VALUES (?, ?, ?, ?, "
      "?, ?, ?, ?, ?, 'intra_state', 0, 0, 0, 0, 0, ?, ?, ?)",
      {id, number, supplier.id, location.id, std::string(kPoFlow.name(PoStatus::kDraft)),
       null_if_empty(header.order_date.value_or(ctx.now().business_date().to_string())),
       null_if_empty(header.expected_date), null_if_empty(header.notes),
       null_if_empty(header.payment_terms), null_if_empty(ctx.user_id), now, now});
  write_items(tx, id, priced);
  write_totals(tx, id, priced.priced, ctx.now());
  Json po = po_json(tx, id);
  audit::record(tx, ctx, "CREATE", "purchase_order", id, Json::object(), po,
                location.service_center_id);
  return po;
}

Json create_po(Env& env, const Context& ctx, const Json& request) {
  ctx.require("purchase_orders:create");
  const Fields f(request);
  const HeaderInput header = read_header(f);
  if (!header.supplier_id) throw Error::Validation("supplierId", "supplierId is required");
  const std::vector<ItemInput> items = read_items(f);
  return env.store->write([&](Transaction& tx) {
    const SupplierSummary supplier = active_supplier(tx, *header.supplier_id);
    const Location location = requested_location(tx, ctx, request, true);
    if (!location.real())
      throw Error::Validation("locationId", "goods are received at a real location");
    service::require_visible(ctx, location.service_center_id, "location", location.id);
    return insert_po(tx, ctx, supplier, location, header, items);
  });
}

Json update_po(Env& env, const Context& ctx, const Json& request) {
  ctx.require("purchase_orders:update");
  const Fields f(request);
  const std::string id = f.str("id", 1, 100);
  const HeaderInput header = read_header(f);
  std::optional<std::vector<ItemInput>> items;
  if (f.has("items")) items = read_items(f);
  return env.store->write([&](Transaction& tx) {
    const PurchaseOrder po = load_po(tx, ctx, id, true);
    kPoFlow.require(po.status, PoStatus::kDraft);  // editable only in DRAFT
    const Json before = po_json(tx, id);
    const auto set = [&](const char* column, Value value) {
      tx.exec(std::string("UPDATE inv_purchase_orders SET ") + column +
                  " = ?, updated_at = ? WHERE id = ?",
              {std::move(value), ctx.now().unix_micros(), id});
    };
    if (header.supplier_id) set("supplier_id", active_supplier(tx, *header.supplier_id).id);
    if (f.has("locationId") || f.has("serviceCenterId")) {
      const Location location = requested_location(tx, ctx, request, true);
      if (!location.real())
        throw Error::Validation("locationId", "goods are received at a real location");
      set("location_id", location.id);
    }
    if (header.order_date) set("order_date", *header.order_date);
    if (header.expected_date) set("expected_delivery_date", *header.expected_date);
    if (header.notes) set("notes", *header.notes);
    if (header.payment_terms) set("payment_terms", *header.payment_terms);
    // Reprice whenever the supplier, location or items may have changed the figures.
    const PurchaseOrder now_po = load_po(tx, ctx, id, false);
    const SupplyType supply = supply_between(load_supplier(tx, now_po.supplier_id),
                                             location_by_id(tx, now_po.location_id));
    if (items) {
      tx.exec("DELETE FROM inv_purchase_order_items WHERE purchase_order_id = ?", {id});
    } else {
      items.emplace();
      for (const auto& row : tx.query("SELECT part_id, quantity, unit_price, gst_rate, hsn_code "
                                      "FROM inv_purchase_order_items WHERE purchase_order_id = ? "
                                      "ORDER BY line_no",
                                      {id})) {
        items->push_back({row.str("part_id"), quantity_of(row, "quantity"),
                          money_of(row, "unit_price"), percent_of(row, "gst_rate"),
                          row.str("hsn_code")});
      }
      tx.exec("DELETE FROM inv_purchase_order_items WHERE purchase_order_id = ?", {id});
    }
    const PricedItems priced = price_items(tx, *items, supply);
    write_items(tx, id, priced);
    write_totals(tx, id, priced.priced, ctx.now());
    Json after = po_json(tx, id);
    auto [old_values, new_values] = audit::changed_fields(before, after);
    new_values.erase("updatedAt");
    old_values.erase("updatedAt");
    if (!new_values.empty()) {
      audit::record(tx, ctx, "UPDATE", "purchase_order", id, old_values, new_values,
                    po.service_center_id);
    }
    return after;
  });
}

// ---- Transitions -------------------------------------------------------------------------------

Json submit_po(Env& env, const Context& ctx, const Json& request) {
  ctx.require("purchase_orders:submit");
  const std::string id = Fields(request).str("id", 1, 100);
  return env.store->write([&](Transaction& tx) {
    const PurchaseOrder po = load_po(tx, ctx, id, true);
    service::StatusChange change = po_change(po, "SUBMIT");
    change.set("submitted_at", ctx.now().unix_micros());
    change.event = {"purchase_order.submitted", event_payload(po, PoStatus::kPendingApproval),
                    "admin"};
    service::transition(tx, ctx, kPoFlow, po.status, PoStatus::kPendingApproval, std::move(change));
    return po_json(tx, id);
  });
}

Json approve_po(Env& env, const Context& ctx, const Json& request) {
  ctx.require("purchase_orders:approve");
  const Fields f(request);
  const std::string id = f.str("id", 1, 100);
  const auto notes = f.opt_str("notes", kLongText);
  return env.store->write([&](Transaction& tx) {
    const PurchaseOrder po = load_po(tx, ctx, id, true);
    service::StatusChange change =
        po_change(po, "APPROVE", {{"approvedBy", ctx.user_id}, {"notes", json_of(notes)}});
    change.set("approved_by", null_if_empty(ctx.user_id.empty() ? ctx.user_name : ctx.user_id))
        .set("approved_at", ctx.now().unix_micros())
        .set("approval_notes", null_if_empty(notes));
    Json payload = event_payload(po, PoStatus::kApproved);
    payload["approvedBy"] = ctx.user_id;
    change.event = {"purchase_order.approved", payload, "central_inventory_manager"};
    service::transition(tx, ctx, kPoFlow, po.status, PoStatus::kApproved, std::move(change));
    return po_json(tx, id);
  });
}

Json reject_po(Env& env, const Context& ctx, const Json& request) {
  ctx.require("purchase_orders:approve");
  const Fields f(request);
  const std::string id = f.str("id", 1, 100);
  const std::string reason = f.str("reason", 1, kLongText);
  return env.store->write([&](Transaction& tx) {
    const PurchaseOrder po = load_po(tx, ctx, id, true);
    service::StatusChange change = po_change(po, "REJECT", {{"reason", reason}});
    change.set("rejected_by", null_if_empty(ctx.user_id))
        .set("rejected_at", ctx.now().unix_micros())
        .set("rejection_reason", reason);
    Json payload = event_payload(po, PoStatus::kRejected);
    payload["reason"] = reason;
    change.event = {"purchase_order.rejected", payload, "central_inventory_manager"};
    service::transition(tx, ctx, kPoFlow, po.status, PoStatus::kRejected, std::move(change));
    return po_json(tx, id);
  });
}

Json mark_ordered(Env& env, const Context& ctx, const Json& request) {
  ctx.require("purchase_orders:order");
  const std::string id = Fields(request).str("id", 1, 100);
  return env.store->write([&](Transaction& tx) {
    const PurchaseOrder po = load_po(tx, ctx, id, true);
    service::StatusChange change = po_change(po, "MARK_ORDERED");
    change.set("ordered_at", ctx.now().unix_micros());
    change.event = {"purchase_order.ordered", event_payload(po, PoStatus::kOrdered), ""};
    service::transition(tx, ctx, kPoFlow, po.status, PoStatus::kOrdered, std::move(change));
    return po_json(tx, id);
  });
}

Json cancel_po(Env& env, const Context& ctx, const Json& request) {
  ctx.require("purchase_orders:cancel");
  const Fields f(request);
  const std::string id = f.str("id", 1, 100);
  const auto reason = f.opt_str("reason", kLongText);
  return env.store->write([&](Transaction& tx) {
    const PurchaseOrder po = load_po(tx, ctx, id, true);
    service::StatusChange change = po_change(po, "CANCEL", {{"reason", json_of(reason)}});
    change.set("cancelled_by", null_if_empty(ctx.user_id))
        .set("cancelled_at", ctx.now().unix_micros())
        .set("cancellation_reason", null_if_empty(reason));
    change.event = {"purchase_order.cancelled", event_payload(po, PoStatus::kCancelled), ""};
    service::transition(tx, ctx, kPoFlow, po.status, PoStatus::kCancelled, std::move(change));
    return po_json(tx, id);
  });
}

// ---- Receive -----------------------------------------------------------------------------------

struct ReceivedItem {
  std::string item_id;
  Quantity received, accepted, rejected;
  std::string condition;
  std::string notes;
};

std::vector<ReceivedItem> read_received(const Fields& f) {
  const Json& lines = f.array("receivedItems", kMaxLines);
  std::vector<ReceivedItem> out;
  std::set<std::string> seen;
  for (size_t i = 0; i < lines.size(); ++i) {
    const Fields line = f.element("receivedItems", i);
    ReceivedItem r;
    r.item_id = line.str("itemId", 1, 100);
    if (!seen.insert(r.item_id).second) {
      throw Error::Validation(line.path("itemId"), "item " + r.item_id + " is listed twice");
    }
    r.received = line.quantity("receivedQty");
    r.rejected = line.opt_quantity("rejectedQty").value_or(Quantity());
    r.accepted = line.opt_quantity("acceptedQty").value_or(r.received - r.rejected);
    r.condition = line.opt_one_of("condition", {"GOOD", "DAMAGED", "PARTIAL"}).value_or("GOOD");
    r.notes = line.opt_str("notes", kLongText).value_or("");
    out.push_back(std::move(r));
  }
  return out;
}

struct PoItem {
  std::string id;
  std::string part_id;
  Quantity ordered, received;
  Money unit_price;
};

std::map<std::string, PoItem> load_items(Transaction& tx, const std::string& po_id) {
  std::map<std::string, PoItem> items;
  for (const auto& row : tx.query("SELECT id, part_id, quantity, received_qty, unit_price FROM "
                                  "inv_purchase_order_items WHERE purchase_order_id = ?",
                                  {po_id})) {
    items[row.str("id")] = {row.str("id"), row.str("part_id"), quantity_of(row, "quantity"),
                            quantity_of(row, "received_qty"), money_of(row, "unit_price")};
  }
  return items;
}

// Validates every line before anything moves, so a bad line changes nothing.
void validate_receipt(const std::vector<ReceivedItem>& received,
                      const std::map<std::string, PoItem>& items) {
  for (size_t i = 0; i < received.size(); ++i) {
    const std::string prefix = "receivedItems[" + std::to_string(i) + "].";
    const auto it = items.find(received[i].item_id);
    if (it == items.end()) {
      throw Error(ErrorCode::kNotFound, "item " + received[i].item_id + " is not on this order",
                  prefix + "itemId");
    }
    validate_receipt_line({it->second.ordered, it->second.received, received[i].received,
                           received[i].accepted, received[i].rejected},
                          prefix);
  }
}

bool fully_received(Transaction& tx, const std::string& po_id) {
  return !tx.query_one(
      "SELECT 1 FROM inv_purchase_order_items WHERE purchase_order_id = ? AND received_qty < "
      "quantity",
      {po_id});
}

struct ReceiptHeader {
  std::string received_date;
  std::optional<std::string> invoice_number, invoice_date, notes;
  std::optional<Money> invoice_amount;
};

ReceiptHeader read_receipt_header(const Fields& f, const Context& ctx) {
  ReceiptHeader h;
  h.received_date = f.opt_date("receivedDate").value_or(ctx.now().business_date()).to_string();
  h.invoice_number = f.opt_str("invoiceNumber", 100);
  if (auto d = f.opt_date("invoiceDate")) h.invoice_date = d->to_string();
  h.invoice_amount = f.opt_money("invoiceAmount");
  h.notes = f.opt_str("notes", kLongText);
  if (h.invoice_amount && h.invoice_amount->is_negative()) {
    throw Error::Validation("invoiceAmount", "invoiceAmount must not be negative");
  }
  return h;
}

void post_receipt_line(Transaction& tx, const Context& ctx, const PurchaseOrder& po,
                       const PoItem& item, const ReceivedItem& r, const std::string& receipt_id,
                       const Location& supplier, const Location& destination) {
  if (r.accepted.units() > 0) {
    MoveRequest move;
    move.part_id = item.part_id;
    move.quantity = r.accepted;
    move.type = TxnType::kReceive;
    move.reason = "Purchase order receipt";
    move.reference_type = kReference;
    move.reference_id = po.id;
    move.reference_number = po.number;
    move.reference_line_id = item.id;
    move.notes = r.notes;
    move.unit_cost = item.unit_price;
    move_stock(tx, ctx, move, supplier, destination);
  }
  tx.exec(
      "UPDATE inv_purchase_order_items SET received_qty = received_qty + ?, accepted_qty = "
      "accepted_qty + ?, rejected_qty = rejected_qty + ? WHERE id = ?",
      {r.received.units(), r.accepted.units(), r.rejected.units(), item.id});
  tx.exec(
      "INSERT INTO inv_po_receipt_lines (id, receipt_id, item_id, received_qty, accepted_qty, "
      "rejected_qty, item_condition, notes) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
      {storage::new_id(), receipt_id, item.id, r.received.units(), r.accepted.units(),
       r.rejected.units(), r.condition, null_if_empty(r.notes)});
}

Json receive_po(Env& env, const Context& ctx, const Json& request) {
  ctx.require("purchase_orders:receive");
  const Fields f(request);
  const std::string id = f.str("id", 1, 100);
  const std::vector<ReceivedItem> received = read_received(f);
  const ReceiptHeader header = read_receipt_header(f, ctx);
  return env.store->write([&](Transaction& tx) {
    const PurchaseOrder po = load_po(tx, ctx, id, true);
    // Receivable states allow both outcomes; anything else fails here, before any validation.
    kPoFlow.require(po.status, PoStatus::kPartiallyReceived);
    const auto items = load_items(tx, id);
    validate_receipt(received, items);
    const std::string receipt_id = storage::new_id();
    tx.exec(
        "INSERT INTO inv_po_receipts (id, purchase_order_id, received_by, received_date, "
        "invoice_number, invoice_date, invoice_amount, notes, created_at) VALUES (?, ?, ?, ?, ?, "
        "?, ?, ?, ?)",
        {receipt_id, id, null_if_empty(ctx.user_id), header.received_date,
         null_if_empty(header.invoice_number), null_if_empty(header.invoice_date),
         header.invoice_amount ? Value(header.invoice_amount->minor()) : Value(),
         null_if_empty(header.notes), ctx.now().unix_micros()});
    const Location supplier = virtual_location(tx, LocationKind::kSupplier);
    const Location destination = location_by_id(tx, po.location_id);
    for (const auto& r : received) {
      post_receipt_line(tx, ctx, po, items.at(r.item_id), r, receipt_id, supplier, destination);
    }
    const PoStatus to =
        fully_received(tx, id) ? PoStatus::kCompleted : PoStatus::kPartiallyReceived;
    service::StatusChange change = po_change(po, "RECEIVE",
                                             {{"receiptId", receipt_id},
                                              {"invoiceNumber", json_of(header.invoice_number)},
                                              {"lines", static_cast<int64_t>(received.size())}});
    change.set("received_date", header.received_date);
    Json payload = event_payload(po, to);
    payload["receiptId"] = receipt_id;
    change.event = {"purchase_order.received", payload, "central_inventory_manager"};
    service::transition(tx, ctx, kPoFlow, po.status, to, std::move(change));
    Json result = po_json(tx, id);
    result["receiptId"] = receipt_id;
    return result;
  });
}

// ---- Reads -------------------------------------------------------------------------------------

Json get_po(Env& env, const Context& ctx, const Json& request) {
  ctx.require("purchase_orders:read");
  const std::string id = Fields(request).str("id", 1, 100);
  return env.store->read([&](Transaction& tx) {
    load_po(tx, ctx, id, false);
    return service::get_entity(env, tx, purchase_order_spec(), id, "purchase order", request);
  });
}

Json list_po(Env& env, const Context& ctx, const Json& request) {
  ctx.require("purchase_orders:read");
  return env.store->read([&](Transaction& tx) {
    return service::list_entity(env, ctx, tx, purchase_order_spec(), request);
  });
}

const service::MethodRegistration kCreate("purchaseOrders.Create", create_po);
const service::MethodRegistration kUpdate("purchaseOrders.Update", update_po);
const service::MethodRegistration kSubmit("purchaseOrders.Submit", submit_po);
const service::MethodRegistration kApprove("purchaseOrders.Approve", approve_po);
const service::MethodRegistration kReject("purchaseOrders.Reject", reject_po);
const service::MethodRegistration kOrdered("purchaseOrders.MarkOrdered", mark_ordered);
const service::MethodRegistration kCancel("purchaseOrders.Cancel", cancel_po);
const service::MethodRegistration kReceive("purchaseOrders.Receive", receive_po);
const service::MethodRegistration kGet("purchaseOrders.Get", get_po);
const service::MethodRegistration kList("purchaseOrders.List", list_po, purchase_order_spec);

}  // namespace

Json create_purchase_order(Transaction& tx, const Context& ctx, const PurchaseOrderDraft& draft) {
  const SupplierSummary supplier = active_supplier(tx, draft.supplier_id);
  const Location location = location_by_id(tx, draft.location_id);
  if (!location.real())
    throw Error::Validation("locationId", "goods are received at a real location");
  service::require_visible(ctx, location.service_center_id, "location", location.id);
  for (size_t i = 0; i < draft.items.size(); ++i) {
    const ItemInput& item = draft.items[i];
    const std::string prefix = "items[" + std::to_string(i) + "].";
    if (item.quantity.units() <= 0) {
      throw Error::Validation(prefix + "quantity", prefix + "quantity must be positive");
    }
    if (item.unit_price.is_negative()) {
      throw Error::Validation(prefix + "unitPrice", prefix + "unitPrice must not be negative");
    }
  }
  HeaderInput header;
  header.supplier_id = draft.supplier_id;
  header.expected_date = draft.expected_delivery_date;
  header.notes = draft.notes;
  return insert_po(tx, ctx, supplier, location, header, draft.items);
}

}  // namespace dms::inventory
