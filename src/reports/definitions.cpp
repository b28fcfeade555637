// Every report of the catalogue, as data (src/reports/engine.hpp): seed 000 4.10.2's service,
// sales, inventory and financial reports and seed 002's /reports/revenue. Adding a report is
// adding an entry here; the engine runs it.
#include <string>
#include <vector>

#include "billing/workflows.hpp"
#include "reports/engine.hpp"

namespace dms::reports {
namespace {

using storage::Filter;
using storage::FilterOp;

constexpr int64_t kMicrosPerHour = int64_t{3600} * 1000000;
constexpr int64_t kMicrosPerDay = int64_t{86400} * 1000000;

MeasureDef measure(std::string key, std::string label, Aggregate aggregate, std::string field) {
  MeasureDef m;
  m.key = std::move(key);
  m.label = std::move(label);
  m.aggregate = aggregate;
  m.field = std::move(field);
  return m;
}
MeasureDef count(std::string key, std::string label = "") {
  return measure(std::move(key), std::move(label), Aggregate::kCount, "");
}
MeasureDef sum(std::string key, std::string field, std::string label = "") {
  return measure(std::move(key), std::move(label), Aggregate::kSum, std::move(field));
}
MeasureDef avg(std::string key, std::string field, std::string label = "") {
  return measure(std::move(key), std::move(label), Aggregate::kAvg, std::move(field));
}
TableDef table(std::string name, std::string title, std::string dataset,
               std::vector<GroupDef> groups, std::vector<MeasureDef> measures,
               std::vector<RatioDef> ratios = {}) {
  TableDef t;
  t.name = std::move(name);
  t.title = std::move(title);
  t.dataset = std::move(dataset);
  t.groups = std::move(groups);
  t.measures = std::move(measures);
  t.ratios = std::move(ratios);
  return t;
}
// An aggregate of microseconds shown in hours (or days) at scale 2 (1).
MeasureDef in_units(MeasureDef m, int64_t divisor, int scale) {
  m.divisor = divisor;
  m.type = ColumnType::kDecimal;
  m.scale = scale;
  return m;
}
RatioDef rate(std::string key, std::string num, std::string den, std::string label = "") {
  return {std::move(key), std::move(label), std::move(num), std::move(den), ColumnType::kPercent, 2,
          10000};
}
// A money average from two sums: money / count (paise per item, rounded to the paisa).
RatioDef money_per(std::string key, std::string num, std::string den, std::string label = "") {
  return {
      std::move(key), std::move(label), std::move(num), std::move(den), ColumnType::kMoney, 2, 1};
}
GroupDef by(std::string field, std::string label = "") {
  return {std::move(field), Bucket::kValue, "", std::move(label)};
}
GroupDef by_period(std::string field) {
  return {std::move(field), Bucket::kPeriod, "period", "Period"};
}
Chart chart(ChartKind kind, std::string title, std::string label, std::string value) {
  return {kind, std::move(title), std::move(label), std::move(value)};
}

std::vector<ReportDef> build() {
  using billing::InvoiceStatus;
  const std::string finalized(billing::kInvoiceFlow.name(InvoiceStatus::kFinalized));
  const std::string part_paid(billing::kInvoiceFlow.name(InvoiceStatus::kPartiallyPaid));
  std::vector<ReportDef> r;

  // ---- Service
  {
    TableDef by_day =
        table("completion_by_period", "Job cards by period", "jobCards", {by_period("serviceDate")},
              {count("jobCards"), sum("completed", "completed"), sum("cancelled", "cancelled")},
              {rate("completionRate", "completed", "jobCards")});
    by_day.totals = true;
    by_day.charts = {chart(ChartKind::kBar, "Job cards completed", "period", "completed")};
    TableDef by_status =
        table("by_status", "Job cards by status", "jobCards", {by("status")}, {count("jobCards")});
    by_status.totals = true;
    r.push_back({"service.completion", "Service completion", "service", {by_day, by_status}});
  }
  {
    TableDef t = table("engineer_performance", "Engineer performance", "jobCards",
                       {by("engineerId"), by("engineerName", "Engineer")},
                       {count("jobCards"), sum("completed", "completed"),
                        in_units(avg("avgHours", "workMicros", "Average hours"), kMicrosPerHour, 2),
                        sum("billed", "totalCost", "Billed")},
                       {rate("completionRate", "completed", "jobCards")});
    t.filters = {Filter{"engineerId", FilterOp::kIsNull, {"false"}}};
    t.sort = "-completed";
    t.totals = true;
    r.push_back({"service.engineer_performance", "Engineer performance", "service", {t}});
  }
  {
    TableDef t = table("service_types", "Service type analysis", "jobCards", {by("serviceType")},
                       {count("jobCards"), sum("completed", "completed"),
                        sum("billed", "totalCost"), avg("averageBill", "totalCost")},
                       {rate("completionRate", "completed", "jobCards")});
    t.sort = "-jobCards";
    t.totals = true;
    t.charts = {chart(ChartKind::kPie, "Job cards by service type", "serviceType", "jobCards")};
    r.push_back({"service.service_types", "Service type analysis", "service", {t}});
  }
  {
    MeasureDef minimum = in_units(
        measure("minHours", "Shortest (hours)", Aggregate::kMin, "workMicros"), kMicrosPerHour, 2);
    MeasureDef maximum = in_units(
        measure("maxHours", "Longest (hours)", Aggregate::kMax, "workMicros"), kMicrosPerHour, 2);
    TableDef t =
        table("duration", "Service duration (start to completion)", "jobCards", {by("serviceType")},
              {measure("jobCards", "Completed job cards", Aggregate::kCount, "workMicros"),
               in_units(avg("avgHours", "workMicros", "Average (hours)"), kMicrosPerHour, 2),
               minimum, maximum});
    t.filters = {Filter{"workMicros", FilterOp::kIsNull, {"false"}}};
    t.totals = true;
    r.push_back({"service.duration", "Service duration", "service", {t}});
  }
  {
    // Only rated job cards: with no feedback yet the report has no rows and no score (never 0).
    TableDef t =
        table("satisfaction", "Customer satisfaction", "jobCards", {by("serviceCenterName")},
              {measure("ratings", "Ratings", Aggregate::kCount, "feedbackRating"),
               avg("averageRating", "feedbackRating", "Average rating")});
    t.filters = {Filter{"feedbackRating", FilterOp::kIsNull, {"false"}}};
    t.totals = true;
    r.push_back({"service.satisfaction", "Customer satisfaction", "service", {t}});
  }

  // ---- Sales
  {
    TableDef orders = table("counter_orders", "Counter orders", "counterOrders", {by("status")},
                            {count("orders"), sum("value", "grandTotal")},
                            {money_per("averageValue", "value", "orders")});
    orders.totals = true;
    TableDef quotes = table("quotations", "Quotations", "quotations", {by("status")},
                            {count("quotations"), sum("value", "grandTotal")});
    quotes.totals = true;
    TableDef leads = table("leads", "Leads", "leads", {by("status")}, {count("leads")});
    leads.totals = true;
    r.push_back({"sales.summary", "Sales summary", "sales", {orders, quotes, leads}});
  }
  {
    TableDef t = table("counter_orders", "Counter orders by delivery and payment", "counterOrders",
                       {by("deliveryMethod"), by("paymentStatus")},
                       {count("orders"), sum("taxable", "taxable"), sum("value", "grandTotal")},
                       {money_per("averageValue", "value", "orders")});
    t.totals = true;
    r.push_back({"sales.counter_orders", "Counter orders", "sales", {t}});
  }
  {
    TableDef t = table("quotation_conversion", "Quotation conversion", "quotations",
                       {by("serviceCenterName")},
                       {count("quotations"), sum("accepted", "accepted"),
                        sum("value", "grandTotal"), sum("acceptedValue", "acceptedValue")},
                       {rate("conversionRate", "accepted", "quotations"),
                        rate("valueConversionRate", "acceptedValue", "value")});
    t.totals = true;
    r.push_back({"sales.quotation_conversion", "Quotation conversion", "sales", {t}});
  }
  {
    TableDef t = table("lead_sources", "Lead sources", "leads", {by("source")},
                       {count("leads"), sum("converted", "converted")},
                       {rate("conversionRate", "converted", "leads")});
    t.sort = "-leads";
    t.totals = true;
    t.charts = {chart(ChartKind::kPie, "Leads by source", "source", "leads")};
    r.push_back({"sales.lead_sources", "Lead sources", "sales", {t}});
  }
  {
    TableDef t =
        table("customer_lifetime_value", "Customer lifetime value (top 100)", "customerInvoices",
              {by("customerId"), by("customerNumber"), by("customerName", "Customer")},
              {sum("invoices", "isInvoice"), sum("lifetimeValue", "grandTotal")},
              {money_per("averageInvoice", "lifetimeValue", "invoices")});
    t.range = Range::kUpTo;
    t.sort = "-lifetimeValue";
    t.limit = 100;
    r.push_back({"sales.customer_lifetime_value", "Customer lifetime value", "sales", {t}});
  }

  // ---- Inventory
  {
    TableDef t = table("stock_status", "Stock by location and category", "stock",
                       {by("locationCode", "Location"), by("category")},
                       {count("parts"), sum("onHand", "onHand"), sum("available", "available"),
                        sum("stockValue", "stockValue")});
    t.range = Range::kNone;
    t.totals = true;
    TableDef c = table("stock_value_by_category", "Stock value by category", "stock",
                       {by("category")}, {sum("stockValue", "stockValue")});
    c.range = Range::kNone;
    c.totals = true;
    c.sort = "-stockValue";
    c.charts = {chart(ChartKind::kPie, "Stock value by category", "category", "stockValue")};
    r.push_back({"inventory.stock_status", "Stock status", "inventory", {t, c}});
  }
  {
    TableDef t = table("movements", "Stock movements", "stockMoves", {by("txnType", "Type")},
                       {count("moves"), sum("quantity", "quantity"), sum("value", "value")});
    t.totals = true;
    r.push_back({"inventory.movements", "Stock movements", "inventory", {t}});
  }
  {
    TableDef t = table("purchase_orders", "Purchase orders", "purchaseOrders", {by("status")},
                       {count("orders"), sum("value", "totalAmount")});
    t.totals = true;
    r.push_back({"inventory.purchase_orders", "Purchase order summary", "inventory", {t}});
  }
  {
    TableDef t = table("low_stock", "Low stock", "stock",
                       {by("locationCode", "Location"), by("partNumber"), by("partName", "Part")},
                       {sum("available", "available"), sum("minLevel", "minLevel"),
                        sum("reorderPoint", "reorderPoint")});
    t.range = Range::kNone;
    t.filters = {Filter{"lowStock", FilterOp::kEq, {"1"}}};
    r.push_back({"inventory.low_stock", "Low stock", "inventory", {t}});
  }
  {
    TableDef lead = table(
        "lead_time", "Lead time (ordered to first receipt)", "purchaseOrders",
        {by("supplierName", "Supplier")},
        {count("orders"), measure("received", "Received", Aggregate::kCount, "leadTimeMicros"),
         in_units(avg("avgLeadDays", "leadTimeMicros", "Average lead time (days)"), kMicrosPerDay,
                  1)});
    lead.totals = true;
    TableDef rejection = table(
        "rejection_rate", "Rejection rate", "purchaseOrderItems", {by("supplierName", "Supplier")},
        {sum("receivedQty", "receivedQty"), sum("rejectedQty", "rejectedQty")},
        {rate("rejectionRate", "rejectedQty", "receivedQty")});
    rejection.totals = true;
    r.push_back(
        {"inventory.supplier_performance", "Supplier performance", "inventory", {lead, rejection}});
  }

  // ---- Financial (rollups)
  const std::vector<MeasureDef> revenue_figures = {
      sum("invoices", "invoices"), sum("creditNotes", "creditNotes"), sum("taxable", "taxable"),
      sum("tax", "tax"), sum("revenue", "revenue")};
  {
    TableDef t =
        table("revenue_by_center", "Revenue by service center", "revenue",
              {by("serviceCenterId"), by("serviceCenterName", "Service center")}, revenue_figures);
    t.sort = "-revenue";
    t.totals = true;
    t.charts = {
        chart(ChartKind::kBar, "Revenue by service center", "serviceCenterName", "revenue")};
    r.push_back({"financial.revenue_by_center", "Revenue by service center", "financial", {t}});
  }
  {
    TableDef t = table("revenue_by_service_type", "Revenue by service type", "revenue",
                       {by("serviceType")}, revenue_figures);
    t.sort = "-revenue";
    t.totals = true;
    t.charts = {chart(ChartKind::kPie, "Revenue by service type", "serviceType", "revenue")};
    r.push_back({"financial.revenue_by_service_type", "Revenue by service type", "financial", {t}});
  }
  {
    TableDef t = table("revenue_by_period", "Revenue by period", "revenue", {by_period("day")},
                       revenue_figures, {money_per("averageInvoice", "revenue", "invoices")});
    t.totals = true;
    t.charts = {chart(ChartKind::kBar, "Revenue by period", "period", "revenue")};
    r.push_back({"financial.revenue_by_period", "Revenue by period", "financial", {t}});
  }
  {
    TableDef ageing = table("ageing", "Outstanding by age (days since the invoice date)",
                            "invoices", {{"invoiceDate", Bucket::kAgeing, "age", "Age (days)"}},
                            {count("invoices"), sum("balanceDue", "balanceDue")});
    ageing.filters = {Filter{"documentType", FilterOp::kEq, {"INVOICE"}},
                      Filter{"status", FilterOp::kIn, {finalized, part_paid}}};
    ageing.range = Range::kUpTo;
    ageing.totals = true;
    TableDef centers = table("by_center", "Outstanding by service center", "invoices",
                             {by("serviceCenterName", "Service center")},
                             {count("invoices"), sum("balanceDue", "balanceDue")});
    centers.filters = ageing.filters;
    centers.range = Range::kUpTo;
    centers.totals = true;
    r.push_back({"financial.outstanding", "Outstanding payments", "financial", {ageing, centers}});
  }
  {
    TableDef t = table("payment_methods", "Payments by method", "payments", {by("paymentMethod")},
                       {sum("payments", "payments"), sum("amount", "amount")});
    t.sort = "-amount";
    t.totals = true;
    t.charts = {chart(ChartKind::kPie, "Payment methods", "paymentMethod", "amount")};
    r.push_back({"financial.payment_methods", "Payment methods", "financial", {t}});
  }
  {
    // Only lines whose unit cost is known (parts): labour has no cost and no margin here.
    TableDef t = table("margin", "Margin where cost is known", "revenue", {by("serviceType")},
                       {sum("costedTaxable", "costedTaxable", "Sales at cost-known lines"),
                        sum("cost", "cost"), sum("margin", "margin")},
                       {rate("marginRate", "margin", "costedTaxable")});
    t.filters = {Filter{"costedTaxable", FilterOp::kNe, {"0"}}};
    t.totals = true;
    r.push_back({"financial.margin", "Margin", "financial", {t}});
  }
  return r;
}

}  // namespace

const std::vector<ReportDef>& report_definitions() {
  static const std::vector<ReportDef> kReports = build();
  return kReports;
}

}  // namespace dms::reports
