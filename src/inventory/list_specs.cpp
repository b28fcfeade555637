#include "inventory/list_specs.hpp"

#include "dms/gst.hpp"
#include "dms/quantity.hpp"

namespace dms::inventory {
namespace {

using storage::FieldType;
using storage::kFilter;
using storage::kNullable;
using storage::kSearch;
using storage::kSort;
using storage::ListSpec;

constexpr unsigned kFs = kFilter | kSort;
constexpr unsigned kFsn = kFilter | kSort | kNullable;

const char* const kLowStockSql =
    "CASE WHEN (b.min_level IS NOT NULL AND b.on_hand - b.allocated <= b.min_level) OR "
    "(b.reorder_point IS NOT NULL AND b.on_hand - b.allocated <= b.reorder_point) "
    "THEN 1 ELSE 0 END";

const ListSpec& service_center_spec() {
  static const ListSpec spec = [] {
    ListSpec s;
    s.from = "service_centers";
    s.default_sort = "code";
    s.field("id", "id", FieldType::kText)
        .field("code", "code", FieldType::kText, kFs)
        .field("name", "name", FieldType::kText, kFs)
        .field("stateCode", "state_code", FieldType::kText, kFilter | kNullable);
    return s;
  }();
  return spec;
}

const ListSpec& po_item_spec() {
  static const ListSpec spec = [] {
    ListSpec s;
    s.from = "inv_purchase_order_items";
    s.default_sort = "lineNo";
    s.field("id", "id", FieldType::kText)
        .field("purchaseOrderId", "purchase_order_id", FieldType::kText)
        .field("lineNo", "line_no", FieldType::kInt, kFs)
        .field("partId", "part_id", FieldType::kText)
        .field("centralInventoryPartId", "part_id", FieldType::kText)
        .field("partName", "part_name", FieldType::kText, kFilter | kSearch)
        .field("partNumber", "part_number", FieldType::kText, kFilter | kSearch)
        .field("hsnCode", "hsn_code", FieldType::kText)
        .field("quantity", "quantity", FieldType::kQuantity, kFs)
        .field("unitPrice", "unit_price", FieldType::kMoney, kFs)
        .field("gstRate", "gst_rate", FieldType::kPercent, kFs)
        .field("amount", "amount", FieldType::kMoney, kFs)
        .field("cgst", "cgst", FieldType::kMoney)
        .field("sgst", "sgst", FieldType::kMoney)
        .field("igst", "igst", FieldType::kMoney)
        .field("total", "total", FieldType::kMoney, kFs)
        .field("receivedQty", "received_qty", FieldType::kQuantity, kFs)
        .field("acceptedQty", "accepted_qty", FieldType::kQuantity, kFs)
        .field("rejectedQty", "rejected_qty", FieldType::kQuantity, kFs);
    return s;
  }();
  return spec;
}

const ListSpec& transfer_item_spec() {
  static const ListSpec spec = [] {
    ListSpec s;
    s.from = "inv_transfer_items";
    s.default_sort = "lineNo";
    s.field("id", "id", FieldType::kText)
        .field("transferId", "transfer_id", FieldType::kText)
        .field("lineNo", "line_no", FieldType::kInt, kFs)
        .field("partId", "part_id", FieldType::kText)
        .field("centralInventoryPartId", "part_id", FieldType::kText)
        .field("partName", "part_name", FieldType::kText, kFilter | kSearch)
        .field("partNumber", "part_number", FieldType::kText, kFilter | kSearch)
        .field("requestedQty", "requested_qty", FieldType::kQuantity, kFs)
        .field("approvedQty", "approved_qty", FieldType::kQuantity, kFsn)
        .field("receivedQty", "received_qty", FieldType::kQuantity, kFsn)
        .field("lostQty", "lost_qty", FieldType::kQuantity, kFsn)
        .field("unitCost", "unit_cost", FieldType::kMoney, kFsn)
        .field("condition", "item_condition", FieldType::kText, kFilter | kNullable)
        .field("notes", "notes", FieldType::kText, kNullable);
    return s;
  }();
  return spec;
}

// What a purchase order's receipts show: each receipt with its lines ("items").
const ListSpec& po_receipt_line_spec() {
  static const ListSpec spec = [] {
    ListSpec s;
    s.from = "inv_po_receipt_lines";
    s.default_sort = "";
    s.field("id", "id", FieldType::kText)
        .field("receiptId", "receipt_id", FieldType::kText)
        .field("itemId", "item_id", FieldType::kText)
        .field("receivedQty", "received_qty", FieldType::kQuantity, kFs)
        .field("acceptedQty", "accepted_qty", FieldType::kQuantity, kFs)
        .field("rejectedQty", "rejected_qty", FieldType::kQuantity, kFs)
        .field("condition", "item_condition", FieldType::kText)
        .field("notes", "notes", FieldType::kText, kNullable);
    return s;
  }();
  return spec;
}

const ListSpec& po_receipt_spec() {
  static const ListSpec spec = [] {
    ListSpec s;
    s.from = "inv_po_receipts";
    s.default_sort = "createdAt";
    s.field("id", "id", FieldType::kText)
        .field("purchaseOrderId", "purchase_order_id", FieldType::kText)
        .field("receivedBy", "received_by", FieldType::kText, kFilter | kNullable)
        .field("receivedDate", "received_date", FieldType::kDate, kFs)
        .field("invoiceNumber", "invoice_number", FieldType::kText, kFilter | kNullable)
        .field("invoiceDate", "invoice_date", FieldType::kDate, kFsn)
        .field("invoiceAmount", "invoice_amount", FieldType::kMoney, kFsn)
        .field("notes", "notes", FieldType::kText, kNullable)
        .field("createdAt", "created_at", FieldType::kTimestamp, kFs);
    s.relation(storage::has_many("items", "id", po_receipt_line_spec(), "receiptId"));
    s.detail_relations({"items"});
    return s;
  }();
  return spec;
}

ListSpec transfer_spec(const char* number_field, const char* tenant) {
  ListSpec s;
  s.from = "inv_transfers t";
  s.default_sort = "-createdAt";
  s.tenant = tenant;
  s.field("id", "t.id", FieldType::kText)
      .field(number_field, "t.number", FieldType::kText, kFs | kSearch)
      .field("number", "t.number", FieldType::kText, kFs | kSearch)
      .field("fromLocationId", "t.from_location_id", FieldType::kText)
      .field("toLocationId", "t.to_location_id", FieldType::kText)
      .field("fromServiceCenterId", "t.from_service_center_id", FieldType::kText,
             kFilter | kNullable)
      .field("toServiceCenterId", "t.to_service_center_id", FieldType::kText, kFilter | kNullable)
      .field("status", "t.status", FieldType::kText, kFs)
      .field("priority", "t.priority", FieldType::kText, kFs)
      .field("notes", "t.notes", FieldType::kText, kSearch | kNullable)
      .field("requestedBy", "t.requested_by", FieldType::kText, kFilter | kNullable)
      .field("approvedBy", "t.approved_by", FieldType::kText, kFilter | kNullable)
      .field("approvedAt", "t.approved_at", FieldType::kTimestamp, kFsn)
      .field("approvalNotes", "t.approval_notes", FieldType::kText, kNullable)
      .field("rejectedBy", "t.rejected_by", FieldType::kText, kFilter | kNullable)
      .field("rejectedAt", "t.rejected_at", FieldType::kTimestamp, kFsn)
      .field("rejectionReason", "t.rejection_reason", FieldType::kText, kNullable)
      .field("cancelledBy", "t.cancelled_by", FieldType::kText, kFilter | kNullable)
      .field("cancelledAt", "t.cancelled_at", FieldType::kTimestamp, kFsn)
      .field("cancellationReason", "t.cancellation_reason", FieldType::kText, kNullable)
      .field("dispatchedBy", "t.dispatched_by", FieldType::kText, kFilter | kNullable)
      .field("dispatchedDate", "t.dispatched_date", FieldType::kDate, kFsn)
      .field("transportDetails", "t.transport_details", FieldType::kJsonText, kNullable)
      .field("trackingNumber", "t.tracking_number", FieldType::kText, kFilter | kSearch | kNullable)
      .field("estimatedArrival", "t.estimated_arrival", FieldType::kDate, kFsn)
      .field("receivedBy", "t.received_by", FieldType::kText, kFilter | kNullable)
      .field("receivedDate", "t.received_date", FieldType::kDate, kFsn)
      .field("receiptNotes", "t.receipt_notes", FieldType::kText, kNullable)
      .field("createdAt", "t.created_at", FieldType::kTimestamp, kFs)
      .field("updatedAt", "t.updated_at", FieldType::kTimestamp, kFs);
  s.relation(storage::has_many("items", "id", transfer_item_spec(), "transferId"));
  s.relation(
      storage::belongs_to("fromServiceCenter", "fromServiceCenterId", service_center_spec()));
  s.relation(storage::belongs_to("toServiceCenter", "toServiceCenterId", service_center_spec()));
  s.detail_relations({"items"});
  return s;
}

}  // namespace

const ListSpec& supplier_spec() {
  static const ListSpec spec = [] {
    ListSpec s;
    s.from = "inv_suppliers";
    s.default_sort = "name";
    // "state" is the state's name, derived from the code.
    s.field("id", "id", FieldType::kText)
        .field("name", "name", FieldType::kText, kFs | kSearch)
        .field("contactPerson", "contact_person", FieldType::kText, kFsn | kSearch)
        .field("phone", "phone", FieldType::kText, kFilter | kSearch | kNullable)
        .field("email", "email", FieldType::kText, kFilter | kSearch | kNullable)
        .field("address", "address", FieldType::kJsonText, kNullable)
        .field("gstin", "gstin", FieldType::kText, kFilter | kSearch | kNullable)
        .field("stateCode", "state_code", FieldType::kText, kFsn)
        .derived("state", {"stateCode"},
                 [](const Json& row) {
                   const Json& code = row.at("stateCode");
                   const IndianState* state =
                       code.is_string() ? find_state_by_code(code.get<std::string>()) : nullptr;
                   return state ? Json(state->name) : Json();
                 })
        .field("isActive", "is_active", FieldType::kBool, kFs)
        .field("createdAt", "created_at", FieldType::kTimestamp, kFs)
        .field("updatedAt", "updated_at", FieldType::kTimestamp, kFs);
    return s;
  }();
  return spec;
}

const ListSpec& part_stock_spec() {
  static const ListSpec spec = [] {
    ListSpec s;
    s.from =
        "inv_balances b JOIN inv_parts p ON p.id = b.part_id "
        "JOIN inv_locations l ON l.id = b.location_id";
    s.default_sort = "partNumber";
    s.field("id", "p.id", FieldType::kText)
        .field("partId", "p.id", FieldType::kText)
        .field("partNumber", "p.part_number", FieldType::kText, kFs | kSearch)
        .field("partCode", "p.part_code", FieldType::kText, kFsn | kSearch)
        .field("partName", "p.name", FieldType::kText, kFs | kSearch)
        .field("description", "p.description", FieldType::kText, kSearch | kNullable)
        .field("categoryId", "p.category_id", FieldType::kText, kFilter | kNullable)
        .field("category", "p.category_path", FieldType::kText, kFsn | kSearch)
        .field("unit", "p.unit", FieldType::kText, kFilter)
        .field("hsnCode", "p.hsn_code", FieldType::kText, kFilter | kNullable)
        .field("gstRate", "p.gst_rate", FieldType::kPercent, kFs)
        .field("costPrice", "p.cost_price", FieldType::kMoney, kFs)
        .field("unitPrice", "p.sale_price", FieldType::kMoney, kFs)
        .field("mrp", "p.mrp", FieldType::kMoney, kFsn)
        .field("supplierId", "p.default_supplier_id", FieldType::kText, kFilter | kNullable)
        .field("isActive", "p.is_active", FieldType::kBool, kFilter)
        .field("locationId", "b.location_id", FieldType::kText)
        .field("serviceCenterId", "l.service_center_id", FieldType::kText, kNullable)
        .field("stockQuantity", "b.on_hand", FieldType::kQuantity, kFs)
        .field("allocated", "b.allocated", FieldType::kQuantity, kFs)
        .field("available", "(b.on_hand - b.allocated)", FieldType::kQuantity, kFs)
        .field("averageCost", "b.average_cost", FieldType::kMoney, kFs)
        .field("minStockLevel", "b.min_level", FieldType::kQuantity, kFsn)
        .field("maxStockLevel", "b.max_level", FieldType::kQuantity, kFsn)
        .field("reorderPoint", "b.reorder_point", FieldType::kQuantity, kFsn)
        .field("location", "b.bin_location", FieldType::kText, kFsn | kSearch)
        .field("lowStock", kLowStockSql, FieldType::kBool, kFs)
        .field("lastRestocked", "b.last_restocked_at", FieldType::kTimestamp, kFsn)
        .field("createdAt", "p.created_at", FieldType::kTimestamp, kFs)
        .field("updatedAt", "p.updated_at", FieldType::kTimestamp, kFs);
    s.relation(storage::belongs_to("supplier", "supplierId", supplier_spec()));
    return s;
  }();
  return spec;
}

const ListSpec& move_spec() {
  static const ListSpec spec = [] {
    const std::string real = "lf.kind IN ('WAREHOUSE', 'STORE')";
    ListSpec s;
    s.from = "inv_moves m JOIN inv_locations lf ON lf.id = m.from_location_id";
    s.default_sort = "-sequence";
    s.field("id", "m.id", FieldType::kText)
        .field("sequence", "m.seq", FieldType::kInt, kFs)
        .field("partId", "m.part_id", FieldType::kText)
        .field("transactionType", "m.txn_type", FieldType::kText, kFs)
        .field("quantity", "m.quantity", FieldType::kQuantity, kFs)
        .field("previousStock", "CASE WHEN " + real + " THEN m.from_before ELSE m.to_before END",
               FieldType::kQuantity, 0)
        .field("newStock", "CASE WHEN " + real + " THEN m.from_after ELSE m.to_after END",
               FieldType::kQuantity, 0)
        .field("fromLocationId", "m.from_location_id", FieldType::kText)
        .field("toLocationId", "m.to_location_id", FieldType::kText)
        .field("fromPreviousStock", "m.from_before", FieldType::kQuantity, 0)
        .field("fromNewStock", "m.from_after", FieldType::kQuantity, 0)
        .field("toPreviousStock", "m.to_before", FieldType::kQuantity, 0)
        .field("toNewStock", "m.to_after", FieldType::kQuantity, 0)
        .field("unitCost", "m.unit_cost", FieldType::kMoney, kFs)
        .field("reason", "m.reason", FieldType::kText, kFilter | kSearch | kNullable)
        .field("referenceType", "m.reference_type", FieldType::kText, kFilter | kNullable)
        .field("referenceId", "m.reference_id", FieldType::kText, kFilter | kNullable)
        .field("referenceNumber", "m.reference_number", FieldType::kText,
               kFilter | kSearch | kNullable)
        .field("performedBy", "m.performed_by", FieldType::kText, kFilter | kNullable)
        .field("notes", "m.notes", FieldType::kText, kSearch | kNullable)
        .field("createdAt", "m.created_at", FieldType::kTimestamp, kFs);
    return s;
  }();
  return spec;
}

const ListSpec& purchase_order_spec() {
  static const ListSpec spec = [] {
    ListSpec s;
    s.from =
        "inv_purchase_orders po JOIN inv_suppliers s ON s.id = po.supplier_id "
        "JOIN inv_locations l ON l.id = po.location_id";
    s.default_sort = "-createdAt";
    s.tenant_column("l.service_center_id");
    s.field("id", "po.id", FieldType::kText)
        .field("poNumber", "po.po_number", FieldType::kText, kFs | kSearch)
        .field("supplierId", "po.supplier_id", FieldType::kText)
        .field("supplierName", "s.name", FieldType::kText, kFs | kSearch)
        .field("locationId", "po.location_id", FieldType::kText)
        .field("serviceCenterId", "l.service_center_id", FieldType::kText, kFilter | kNullable)
        .field("status", "po.status", FieldType::kText, kFs)
        .field("orderDate", "po.order_date", FieldType::kDate, kFsn)
        .field("expectedDeliveryDate", "po.expected_delivery_date", FieldType::kDate, kFsn)
        .field("notes", "po.notes", FieldType::kText, kSearch | kNullable)
        .field("paymentTerms", "po.payment_terms", FieldType::kText, kNullable)
        .field("supplyType", "po.supply_type", FieldType::kText, kFilter)
        .field("subtotal", "po.subtotal", FieldType::kMoney, kFs)
        .field("cgst", "po.cgst", FieldType::kMoney, kFs)
        .field("sgst", "po.sgst", FieldType::kMoney, kFs)
        .field("igst", "po.igst", FieldType::kMoney, kFs)
        .field("totalAmount", "po.total_amount", FieldType::kMoney, kFs)
        .field("requestedBy", "po.requested_by", FieldType::kText, kFilter | kNullable)
        .field("submittedAt", "po.submitted_at", FieldType::kTimestamp, kFsn)
        .field("approvedBy", "po.approved_by", FieldType::kText, kFilter | kNullable)
        .field("approvedAt", "po.approved_at", FieldType::kTimestamp, kFsn)
        .field("approvalNotes", "po.approval_notes", FieldType::kText, kNullable)
        .field("rejectedBy", "po.rejected_by", FieldType::kText, kFilter | kNullable)
        .field("rejectedAt", "po.rejected_at", FieldType::kTimestamp, kFsn)
        .field("rejectionReason", "po.rejection_reason", FieldType::kText, kNullable)
        .field("orderedAt", "po.ordered_at", FieldType::kTimestamp, kFsn)
        .field("cancelledBy", "po.cancelled_by", FieldType::kText, kFilter | kNullable)
        .field("cancelledAt", "po.cancelled_at", FieldType::kTimestamp, kFsn)
        .field("cancellationReason", "po.cancellation_reason", FieldType::kText, kNullable)
        .field("receivedDate", "po.received_date", FieldType::kDate, kFsn)
        .field("createdAt", "po.created_at", FieldType::kTimestamp, kFs)
        .field("updatedAt", "po.updated_at", FieldType::kTimestamp, kFs);
    s.relation(storage::belongs_to("supplier", "supplierId", supplier_spec()));
    s.relation(storage::has_many("items", "id", po_item_spec(), "purchaseOrderId"));
    s.relation(storage::has_many("receipts", "id", po_receipt_spec(), "purchaseOrderId"));
    s.detail_relations({"supplier", "items", "receipts", "receipts.items"});
    return s;
  }();
  return spec;
}

const ListSpec& parts_issue_spec() {
  // A parts issue is its destination center's.
  static const ListSpec spec = transfer_spec("issueNumber", "t.to_service_center_id = ?");
  return spec;
}

const ListSpec& stock_transfer_spec() {
  // A stock transfer is both centers'.
  static const ListSpec spec = transfer_spec(
      "transferNumber", "(t.to_service_center_id = ? OR t.from_service_center_id = ?)");
  return spec;
}

}  // namespace dms::inventory
