#include "reports/rollups.hpp"

#include <string>

#include "dms/error.hpp"

namespace dms::reports {
namespace {

// A line's cost: unit cost (paise) x quantity (thousandths, negative on a credit note), rounded
// half away from zero to the paisa. Lines without a known unit cost do not count.
constexpr const char* kLineCost =
    "CASE WHEN l.quantity >= 0 THEN (l.unit_cost * l.quantity + 500) / 1000 "
    "ELSE -((l.unit_cost * (-l.quantity) + 500) / 1000) END";

// One row per numbered document (invoice or credit note): its rollup key and figures.
std::string document_figures_sql() {
  return std::string(
             "SELECT i.service_center_id AS service_center_id, i.invoice_date AS day, "
             "COALESCE(j.service_type, CASE WHEN COALESCE(i.counter_order_id, o.counter_order_id) "
             "IS NOT NULL THEN '") +
         kCounterSale + "' ELSE '" + kManualInvoice +
         "' END) AS service_type, "
         "CASE WHEN i.document_type = 'INVOICE' THEN 1 ELSE 0 END AS invoices, "
         "CASE WHEN i.document_type = 'INVOICE' THEN 0 ELSE 1 END AS credit_notes, "
         "i.taxable AS taxable, i.cgst + i.sgst + i.igst AS tax, i.grand_total AS revenue, "
         "COALESCE((SELECT CAST(SUM(l.taxable) AS BIGINT) FROM invoice_lines l "
         "WHERE l.invoice_id = i.id AND l.unit_cost IS NOT NULL), 0) AS costed_taxable, "
         "COALESCE((SELECT CAST(SUM(" +
         kLineCost +
         ") AS BIGINT) FROM invoice_lines l "
         "WHERE l.invoice_id = i.id AND l.unit_cost IS NOT NULL), 0) AS cost "
         "FROM invoices i LEFT JOIN job_cards j ON j.id = i.job_card_id "
         "LEFT JOIN invoices o ON o.id = i.original_invoice_id "
         "WHERE i.invoice_date IS NOT NULL";
}

constexpr const char* kRevenueColumns =
    "service_center_id, day, service_type, invoices, credit_notes, taxable, tax, revenue, "
    "costed_taxable, cost";

constexpr const char* kAddRevenue =
    " ON CONFLICT (service_center_id, day, service_type) DO UPDATE SET "
    "invoices = rpt_revenue_daily.invoices + excluded.invoices, "
    "credit_notes = rpt_revenue_daily.credit_notes + excluded.credit_notes, "
    "taxable = rpt_revenue_daily.taxable + excluded.taxable, "
    "tax = rpt_revenue_daily.tax + excluded.tax, "
    "revenue = rpt_revenue_daily.revenue + excluded.revenue, "
    "costed_taxable = rpt_revenue_daily.costed_taxable + excluded.costed_taxable, "
    "cost = rpt_revenue_daily.cost + excluded.cost";

constexpr const char* kAddPayment =
    "INSERT INTO rpt_payments_daily (service_center_id, day, payment_method, payments, amount) "
    "VALUES (?, ?, ?, ?, ?) ON CONFLICT (service_center_id, day, payment_method) DO UPDATE SET "
    "payments = rpt_payments_daily.payments + excluded.payments, "
    "amount = rpt_payments_daily.amount + excluded.amount";

constexpr int64_t kMicrosPerDay = int64_t{86400} * 1000000;
constexpr int64_t kBusinessOffsetMicros = int64_t{kIndiaUtcOffsetMinutes} * 60 * 1000000;

}  // namespace

void record_document(storage::Transaction& tx, const std::string& invoice_id) {
  const int64_t changed = tx.exec(std::string("INSERT INTO rpt_revenue_daily (") + kRevenueColumns +
                                      ") " + document_figures_sql() + " AND i.id = ?" + kAddRevenue,
                                  {invoice_id});
  if (changed != 1) {
    throw Error::Internal("invoice " + invoice_id + " has no invoice date to roll up");
  }
}

void record_payment(storage::Transaction& tx, const std::string& service_center_id,
                    const std::string& payment_method, Money amount, Timestamp received_at) {
  tx.exec(kAddPayment, {service_center_id, received_at.business_date().to_string(), payment_method,
                        int64_t{1}, amount.minor()});
}

void rebuild_rollups(storage::Transaction& tx) {
  tx.exec("DELETE FROM rpt_revenue_daily");
  tx.exec(std::string("INSERT INTO rpt_revenue_daily (") + kRevenueColumns +
          ") SELECT service_center_id, day, service_type, CAST(SUM(invoices) AS BIGINT), "
          "CAST(SUM(credit_notes) AS BIGINT), CAST(SUM(taxable) AS BIGINT), "
          "CAST(SUM(tax) AS BIGINT), CAST(SUM(revenue) AS BIGINT), "
          "CAST(SUM(costed_taxable) AS BIGINT), CAST(SUM(cost) AS BIGINT) FROM (" +
          document_figures_sql() + ") d GROUP BY service_center_id, day, service_type");
  tx.exec("DELETE FROM rpt_payments_daily");
  // Receipt times are after 1970: the integer division is the floor on both engines.
  // The constants are spelled out: PostgreSQL does not match a GROUP BY expression with bound
  // parameters to the same expression of the select list.
  const std::string day_number = "(received_at + " + std::to_string(kBusinessOffsetMicros) +
                                 ") / " + std::to_string(kMicrosPerDay);
  const storage::Rows days = tx.query(
      "SELECT service_center_id, payment_method, " + day_number +
      " AS day_number, COUNT(*) AS payments, CAST(SUM(amount) AS BIGINT) AS amount FROM payments "
      "GROUP BY service_center_id, payment_method, " +
      day_number);
  for (const storage::Row& r : days) {
    const Date day = Date::from_days_since_epoch(static_cast<int32_t>(r.i64("day_number")));
    tx.exec(kAddPayment, {r.str("service_center_id"), day.to_string(), r.str("payment_method"),
                          r.i64("payments"), r.i64("amount")});
  }
  tx.exec("UPDATE rpt_state SET rollups_built = 1 WHERE id = 1");
}

void ensure_rollups(storage::Store& store) {
  const bool built = store.read([](storage::Transaction& tx) {
    const auto row = tx.query_one("SELECT rollups_built FROM rpt_state WHERE id = 1");
    return !row || row->i64(0) != 0;
  });
  if (built) return;
  store.write([](storage::Transaction& tx) {
    const auto row = tx.query_one("SELECT rollups_built FROM rpt_state WHERE id = 1" +
                                  std::string(tx.for_update()));
    if (row && row->i64(0) == 0) rebuild_rollups(tx);
  });
}

}  // namespace dms::reports
