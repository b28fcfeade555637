// The whitelist of datasets reports and custom reports read (src/reports/engine.hpp). Each is a
// list spec over fixed SQL: the only SQL a report runs is assembled from these columns.
#include <string>
#include <vector>

#include "billing/workflows.hpp"
#include "reports/engine.hpp"
#include "sales/workflows.hpp"
#include "service/transition.hpp"
#include "workshop/workflows.hpp"

namespace dms::reports {
namespace {

using storage::FieldType;
constexpr unsigned kF = storage::kFilter | storage::kSort;
constexpr unsigned kFN = storage::kFilter | storage::kSort | storage::kNullable;

Dataset revenue() {
  Dataset d{
      "revenue", "Revenue per day, center and service type (rollup)", "reports:financial", {}, "",
      "day"};
  auto& s = d.spec;
  s.from = "rpt_revenue_daily r JOIN service_centers sc ON sc.id = r.service_center_id";
  s.tenant_column("r.service_center_id");
  s.field("serviceCenterId", "r.service_center_id", FieldType::kText, kF)
      .field("serviceCenterCode", "sc.code", FieldType::kText, kF)
      .field("serviceCenterName", "sc.name", FieldType::kText, kF)
      .field("day", "r.day", FieldType::kDate, kF)
      .field("serviceType", "r.service_type", FieldType::kText, kF)
      .field("invoices", "r.invoices", FieldType::kInt, kF)
      .field("creditNotes", "r.credit_notes", FieldType::kInt, kF)
      .field("taxable", "r.taxable", FieldType::kMoney, kF)
      .field("tax", "r.tax", FieldType::kMoney, kF)
      .field("revenue", "r.revenue", FieldType::kMoney, kF)
      .field("costedTaxable", "r.costed_taxable", FieldType::kMoney, kF)
      .field("cost", "r.cost", FieldType::kMoney, kF)
      .field("margin", "(r.costed_taxable - r.cost)", FieldType::kMoney, kF);
  return d;
}

Dataset payments() {
  Dataset d{"payments", "Payments per day, center and method (rollup)", "reports:financial", {}, "",
            "day"};
  auto& s = d.spec;
  s.from = "rpt_payments_daily p JOIN service_centers sc ON sc.id = p.service_center_id";
  s.tenant_column("p.service_center_id");
  s.field("serviceCenterId", "p.service_center_id", FieldType::kText, kF)
      .field("serviceCenterName", "sc.name", FieldType::kText, kF)
      .field("day", "p.day", FieldType::kDate, kF)
      .field("paymentMethod", "p.payment_method", FieldType::kText, kF)
      .field("payments", "p.payments", FieldType::kInt, kF)
      .field("amount", "p.amount", FieldType::kMoney, kF);
  return d;
}

Dataset invoices() {
  Dataset d{"invoices", "Invoices and credit notes (numbered)", "reports:financial",
            {},         "i.invoice_date IS NOT NULL",           "invoiceDate"};
  auto& s = d.spec;
  s.from = "invoices i JOIN service_centers sc ON sc.id = i.service_center_id";
  s.tenant_column("i.service_center_id");
  s.field("id", "i.id", FieldType::kText, kF)
      .field("invoiceNumber", "i.invoice_number", FieldType::kText, kF)
      .field("documentType", "i.document_type", FieldType::kText, kF)
      .field("status", "i.status", FieldType::kText, kF)
      .field("serviceCenterId", "i.service_center_id", FieldType::kText, kF)
      .field("serviceCenterName", "sc.name", FieldType::kText, kF)
      .field("customerId", "i.customer_id", FieldType::kText, kFN)
      .field("invoiceDate", "i.invoice_date", FieldType::kDate, kF)
      .field("dueDate", "i.due_date", FieldType::kDate, kFN)
      .field("taxable", "i.taxable", FieldType::kMoney, kF)
      .field("tax", "(i.cgst + i.sgst + i.igst)", FieldType::kMoney, kF)
      .field("grandTotal", "i.grand_total", FieldType::kMoney, kF)
      .field("paidAmount", "i.paid_amount", FieldType::kMoney, kF)
      .field("balanceDue", "(i.grand_total - i.paid_amount)", FieldType::kMoney, kF);
  return d;
}

Dataset invoice_lines() {
  Dataset d{"invoiceLines",
            "Lines of numbered invoices and credit notes",
            "reports:financial",
            {},
            "i.invoice_date IS NOT NULL",
            "invoiceDate"};
  auto& s = d.spec;
  s.from = "invoice_lines l JOIN invoices i ON i.id = l.invoice_id";
  s.tenant_column("i.service_center_id");
  s.field("serviceCenterId", "i.service_center_id", FieldType::kText, kF)
      .field("documentType", "i.document_type", FieldType::kText, kF)
      .field("invoiceDate", "i.invoice_date", FieldType::kDate, kF)
      .field("lineType", "l.line_type", FieldType::kText, kF)
      .field("hsnSac", "l.hsn_sac", FieldType::kText, kF)
      .field("description", "l.description", FieldType::kText, kF)
      .field("partId", "l.part_id", FieldType::kText, kFN)
      .field("quantity", "l.quantity", FieldType::kQuantity, kF)
      .field("gstRate", "l.gst_rate", FieldType::kPercent, kF)
      .field("taxable", "l.taxable", FieldType::kMoney, kF)
      .field("total", "l.total", FieldType::kMoney, kF);
  return d;
}

Dataset job_cards() {
  using workshop::JobCardStatus;
  const std::string done = service::sql_names(
      workshop::kJobCardFlow,
      {JobCardStatus::kCompleted, JobCardStatus::kInvoiced, JobCardStatus::kDelivered});
  const std::string cancelled =
      service::sql_names(workshop::kJobCardFlow, {JobCardStatus::kCancelled});
  Dataset d{"jobCards", "Job cards", "reports:read", {}, "", "serviceDate"};
  auto& s = d.spec;
  s.from =
      "job_cards j JOIN service_centers sc ON sc.id = j.service_center_id "
      "LEFT JOIN users u ON u.id = j.assigned_engineer_id";
  s.tenant_column("j.service_center_id");
  s.field("id", "j.id", FieldType::kText, kF)
      .field("jobCardNumber", "j.job_card_number", FieldType::kText, kF)
      .field("status", "j.status", FieldType::kText, kF)
      .field("serviceType", "j.service_type", FieldType::kText, kF)
      .field("priority", "j.priority", FieldType::kText, kF)
      .field("source", "j.source", FieldType::kText, kF)
      .field("serviceCenterId", "j.service_center_id", FieldType::kText, kF)
      .field("serviceCenterName", "sc.name", FieldType::kText, kF)
      .field("engineerId", "j.assigned_engineer_id", FieldType::kText, kFN)
      .field("engineerName", "u.first_name || ' ' || u.last_name", FieldType::kText, kFN)
      .field("serviceDate", "j.service_date", FieldType::kDate, kF)
      .field("createdAt", "j.created_at", FieldType::kTimestamp, kF)
      .field("completedAt", "j.completed_at", FieldType::kTimestamp, kFN)
      .field("completed", "CASE WHEN j.status IN (" + done + ") THEN 1 ELSE 0 END", FieldType::kInt,
             kF)
      .field("cancelled", "CASE WHEN j.status IN (" + cancelled + ") THEN 1 ELSE 0 END",
             FieldType::kInt, kF)
      // microseconds from start to completion; NULL until both are known
      .field("workMicros", "(j.completed_at - j.started_at)", FieldType::kInt, kFN)
      .field("feedbackRating", "j.feedback_rating", FieldType::kInt, kFN)
      .field("estimatedCost", "j.estimated_cost", FieldType::kMoney, kF)
      .field("totalCost", "j.total_cost", FieldType::kMoney, kFN);
  return d;
}

Dataset service_requests() {
  Dataset d{"serviceRequests", "Service requests", "reports:read", {}, "", "createdAt"};
  auto& s = d.spec;
  s.from = "service_requests r JOIN service_centers sc ON sc.id = r.service_center_id";
  s.tenant_column("r.service_center_id");
  s.field("status", "r.status", FieldType::kText, kF)
      .field("serviceType", "r.service_type", FieldType::kText, kF)
      .field("requestType", "r.request_type", FieldType::kText, kF)
      .field("priority", "r.priority", FieldType::kText, kF)
      .field("serviceLocation", "r.service_location", FieldType::kText, kF)
      .field("serviceCenterId", "r.service_center_id", FieldType::kText, kF)
      .field("serviceCenterName", "sc.name", FieldType::kText, kF)
      .field("estimatedCost", "r.estimated_cost", FieldType::kMoney, kFN)
      .field("createdAt", "r.created_at", FieldType::kTimestamp, kF);
  return d;
}

Dataset counter_orders() {
  Dataset d{"counterOrders", "Counter orders", "reports:read", {}, "", "createdAt"};
  auto& s = d.spec;
  s.from = "sales_counter_orders o JOIN service_centers sc ON sc.id = o.service_center_id";
  s.tenant_column("o.service_center_id");
  s.field("status", "o.status", FieldType::kText, kF)
      .field("paymentStatus", "o.payment_status", FieldType::kText, kF)
      .field("deliveryMethod", "o.delivery_method", FieldType::kText, kF)
      .field("serviceCenterId", "o.service_center_id", FieldType::kText, kF)
      .field("serviceCenterName", "sc.name", FieldType::kText, kF)
      .field("taxable", "o.taxable", FieldType::kMoney, kF)
      .field("grandTotal", "o.grand_total", FieldType::kMoney, kF)
      .field("createdAt", "o.created_at", FieldType::kTimestamp, kF);
  return d;
}

Dataset quotations() {
  using sales::QuotationStatus;
  const std::string accepted =
      service::sql_names(sales::kQuotationFlow, {QuotationStatus::kAccepted});
  Dataset d{"quotations", "Quotations", "reports:read", {}, "", "createdAt"};
  auto& s = d.spec;
  s.from = "sales_quotations q JOIN service_centers sc ON sc.id = q.service_center_id";
  s.tenant_column("q.service_center_id");
  s.field("status", "q.status", FieldType::kText, kF)
      .field("serviceCenterId", "q.service_center_id", FieldType::kText, kF)
      .field("serviceCenterName", "sc.name", FieldType::kText, kF)
      .field("convertedTo", "q.converted_to", FieldType::kText, kFN)
      .field("accepted", "CASE WHEN q.status IN (" + accepted + ") THEN 1 ELSE 0 END",
             FieldType::kInt, kF)
      .field("grandTotal", "q.grand_total", FieldType::kMoney, kF)
      .field("acceptedValue",
             "CASE WHEN q.status IN (" + accepted + ") THEN q.grand_total ELSE 0 END",
             FieldType::kMoney, kF)
      .field("createdAt", "q.created_at", FieldType::kTimestamp, kF);
  return d;
}

Dataset leads() {
  using sales::LeadStatus;
  const std::string converted = service::sql_names(sales::kLeadFlow, {LeadStatus::kConverted});
  Dataset d{"leads", "Sales leads", "reports:read", {}, "", "createdAt"};
  auto& s = d.spec;
  s.from = "sales_leads l JOIN service_centers sc ON sc.id = l.service_center_id";
  s.tenant_column("l.service_center_id");
  s.field("source", "l.source", FieldType::kText, kF)
      .field("status", "l.status", FieldType::kText, kF)
      .field("leadType", "l.lead_type", FieldType::kText, kF)
      .field("serviceCenterId", "l.service_center_id", FieldType::kText, kF)
      .field("serviceCenterName", "sc.name", FieldType::kText, kF)
      .field("converted", "CASE WHEN l.status IN (" + converted + ") THEN 1 ELSE 0 END",
             FieldType::kInt, kF)
      .field("createdAt", "l.created_at", FieldType::kTimestamp, kF);
  return d;
}

Dataset customer_invoices() {
  Dataset d{"customerInvoices",
            "Customers' numbered invoices and credit notes",
            "reports:read",
            {},
            "i.invoice_date IS NOT NULL",
            "invoiceDate"};
  auto& s = d.spec;
  s.from = "invoices i JOIN customers c ON c.id = i.customer_id";
  s.tenant_column("i.service_center_id");
  s.field("customerId", "i.customer_id", FieldType::kText, kF)
      .field("customerNumber", "c.customer_number", FieldType::kText, kF)
      .field("customerName", "c.name", FieldType::kText, kF)
      .field("customerType", "c.customer_type", FieldType::kText, kF)
      .field("serviceCenterId", "i.service_center_id", FieldType::kText, kF)
      .field("invoiceDate", "i.invoice_date", FieldType::kDate, kF)
      .field("isInvoice", "CASE WHEN i.document_type = 'INVOICE' THEN 1 ELSE 0 END",
             FieldType::kInt, kF)
      .field("grandTotal", "i.grand_total", FieldType::kMoney, kF);
  return d;
}

// Real locations only (warehouses and service center stores).
Dataset stock() {
  Dataset d{"stock", "Stock on hand (now)", "reports:read", {}, "l.kind IN ('WAREHOUSE', 'STORE')",
            ""};
  auto& s = d.spec;
  s.from =
      "inv_balances b JOIN inv_parts p ON p.id = b.part_id "
      "JOIN inv_locations l ON l.id = b.location_id "
      "LEFT JOIN inv_categories cat ON cat.id = p.category_id";
  s.tenant_column("l.service_center_id");
  s.field("partId", "b.part_id", FieldType::kText, kF)
      .field("partNumber", "p.part_number", FieldType::kText, kF)
      .field("partName", "p.name", FieldType::kText, kF)
      .field("category", "COALESCE(cat.name, 'Uncategorised')", FieldType::kText, kF)
      .field("locationId", "b.location_id", FieldType::kText, kF)
      .field("locationCode", "l.code", FieldType::kText, kF)
      .field("serviceCenterId", "l.service_center_id", FieldType::kText, kFN)
      .field("onHand", "b.on_hand", FieldType::kQuantity, kF)
      .field("allocated", "b.allocated", FieldType::kQuantity, kF)
      .field("available", "(b.on_hand - b.allocated)", FieldType::kQuantity, kF)
      .field("averageCost", "b.average_cost", FieldType::kMoney, kF)
      // on hand (thousandths) x average cost (paise), rounded half away from zero to the paisa
      .field("stockValue",
             "CASE WHEN b.on_hand >= 0 THEN (b.on_hand * b.average_cost + 500) / 1000 "
             "ELSE -(((-b.on_hand) * b.average_cost + 500) / 1000) END",
             FieldType::kMoney, kF)
      .field("minLevel", "b.min_level", FieldType::kQuantity, kFN)
      .field("reorderPoint", "b.reorder_point", FieldType::kQuantity, kFN)
      .field("lowStock",
             "CASE WHEN (b.min_level IS NOT NULL AND b.on_hand - b.allocated <= b.min_level) OR "
             "(b.reorder_point IS NOT NULL AND b.on_hand - b.allocated <= b.reorder_point) "
             "THEN 1 ELSE 0 END",
             FieldType::kInt, kF);
  return d;
}

Dataset stock_moves() {
  Dataset d{"stockMoves", "Stock ledger moves", "reports:read", {}, "", "createdAt"};
  auto& s = d.spec;
  s.from =
      "inv_moves m JOIN inv_parts p ON p.id = m.part_id "
      "JOIN inv_locations fl ON fl.id = m.from_location_id "
      "JOIN inv_locations tl ON tl.id = m.to_location_id";
  s.tenant = "fl.service_center_id = ? OR tl.service_center_id = ?";
  s.field("txnType", "m.txn_type", FieldType::kText, kF)
      .field("partId", "m.part_id", FieldType::kText, kF)
      .field("partNumber", "p.part_number", FieldType::kText, kF)
      .field("partName", "p.name", FieldType::kText, kF)
      .field("fromLocation", "fl.code", FieldType::kText, kF)
      .field("toLocation", "tl.code", FieldType::kText, kF)
      .field("toKind", "tl.kind", FieldType::kText, kF)
      .field("quantity", "m.quantity", FieldType::kQuantity, kF)
      .field("value", "(m.quantity * m.unit_cost + 500) / 1000", FieldType::kMoney, kF)
      .field("createdAt", "m.created_at", FieldType::kTimestamp, kF);
  return d;
}

Dataset purchase_orders() {
  Dataset d{"purchaseOrders", "Purchase orders", "reports:read", {}, "", "createdAt"};
  auto& s = d.spec;
  s.from =
      "inv_purchase_orders po JOIN inv_suppliers su ON su.id = po.supplier_id "
      "JOIN inv_locations l ON l.id = po.location_id";
  s.tenant_column("l.service_center_id");
  s.field("poNumber", "po.po_number", FieldType::kText, kF)
      .field("status", "po.status", FieldType::kText, kF)
      .field("supplierId", "po.supplier_id", FieldType::kText, kF)
      .field("supplierName", "su.name", FieldType::kText, kF)
      .field("locationCode", "l.code", FieldType::kText, kF)
      .field("serviceCenterId", "l.service_center_id", FieldType::kText, kFN)
      .field("totalAmount", "po.total_amount", FieldType::kMoney, kF)
      .field("orderDate", "po.order_date", FieldType::kDate, kFN)
      // microseconds from ordering to the first receipt; NULL until received
      .field("leadTimeMicros",
             "((SELECT MIN(r.created_at) FROM inv_po_receipts r WHERE r.purchase_order_id = "
             "po.id) - po.ordered_at)",
             FieldType::kInt, kFN)
      .field("createdAt", "po.created_at", FieldType::kTimestamp, kF);
  return d;
}

Dataset purchase_order_items() {
  Dataset d{"purchaseOrderItems", "Purchase order lines", "reports:read", {}, "", "createdAt"};
  auto& s = d.spec;
  s.from =
      "inv_purchase_order_items it JOIN inv_purchase_orders po ON po.id = it.purchase_order_id "
      "JOIN inv_suppliers su ON su.id = po.supplier_id "
      "JOIN inv_locations l ON l.id = po.location_id";
  s.tenant_column("l.service_center_id");
  s.field("supplierId", "po.supplier_id", FieldType::kText, kF)
      .field("supplierName", "su.name", FieldType::kText, kF)
      .field("status", "po.status", FieldType::kText, kF)
      .field("partNumber", "it.part_number", FieldType::kText, kF)
      .field("quantity", "it.quantity", FieldType::kQuantity, kF)
      .field("receivedQty", "it.received_qty", FieldType::kQuantity, kF)
      .field("acceptedQty", "it.accepted_qty", FieldType::kQuantity, kF)
      .field("rejectedQty", "it.rejected_qty", FieldType::kQuantity, kF)
      .field("amount", "it.amount", FieldType::kMoney, kF)
      .field("createdAt", "po.created_at", FieldType::kTimestamp, kF);
  return d;
}

}  // namespace

const std::vector<Dataset>& datasets() {
  static const std::vector<Dataset> kDatasets = {revenue(),         payments(),
                                                 invoices(),        invoice_lines(),
                                                 job_cards(),       service_requests(),
                                                 counter_orders(),  quotations(),
                                                 leads(),           customer_invoices(),
                                                 stock(),           stock_moves(),
                                                 purchase_orders(), purchase_order_items()};
  return kDatasets;
}

}  // namespace dms::reports
