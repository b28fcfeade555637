#include "sales/customer_totals.hpp"

#include "audit/audit.hpp"
#include "sales/counter_orders.hpp"
#include "workshop/common.hpp"

namespace dms::sales {
namespace {

Json totals_of(const storage::Row& c) {
  return {{"totalOrders", c.i64("total_orders")},
          {"totalSpent", rows::money_or_zero(c, "total_spent").to_string()},
          {"loyaltyPoints", c.i64("loyalty_points")}};
}

void change_totals(storage::Transaction& tx, const Context& ctx, const std::string& customer_id,
                   int64_t orders, Money spent, int64_t points, const std::string& center_id) {
  const std::string lock = tx.engine() == storage::Engine::kPostgres ? " FOR UPDATE" : "";
  const auto before = tx.query_one(
      "SELECT id, total_orders, total_spent, loyalty_points FROM customers WHERE id = ?" + lock,
      {customer_id});
  if (!before) return;
  tx.exec(
      "UPDATE customers SET total_orders = total_orders + ?, total_spent = total_spent + ?, "
      "loyalty_points = loyalty_points + ?, updated_at = ? WHERE id = ?",
      {orders, spent.minor(), points, workshop::micros(ctx.now()), customer_id});
  const auto after = tx.query_one(
      "SELECT id, total_orders, total_spent, loyalty_points FROM customers WHERE id = ?",
      {customer_id});
  audit::record(tx, ctx, "UPDATE", "customer", customer_id, totals_of(*before), totals_of(*after),
                center_id);
}

storage::Row invoice_row(storage::Transaction& tx, const std::string& id) {
  return *tx.query_one("SELECT * FROM invoices WHERE id = ?", {id});
}

}  // namespace

void record_paid_invoice(storage::Transaction& tx, const Context& ctx,
                         const std::string& invoice_id, Money spend_per_point) {
  const storage::Row invoice = invoice_row(tx, invoice_id);
  if (auto order_id = invoice.opt_str("counter_order_id")) {
    follow_invoice_payment(tx, ctx, *order_id, OrderPaymentStatus::kPaid);
  }
  const auto customer_id = invoice.opt_str("customer_id");
  if (!customer_id) return;
  const Money total = rows::money_or_zero(invoice, "grand_total");
  const int64_t points = spend_per_point.is_positive() && total.is_positive()
                             ? total.minor() / spend_per_point.minor()
                             : 0;
  tx.exec("UPDATE invoices SET loyalty_points_earned = ? WHERE id = ?", {points, invoice_id});
  change_totals(tx, ctx, *customer_id, 1, total, points, invoice.str("service_center_id"));
}

void record_partial_payment(storage::Transaction& tx, const Context& ctx,
                            const std::string& invoice_id) {
  const storage::Row invoice = invoice_row(tx, invoice_id);
  if (auto order_id = invoice.opt_str("counter_order_id")) {
    follow_invoice_payment(tx, ctx, *order_id, OrderPaymentStatus::kPartial);
  }
}

void record_cancelled_invoice(storage::Transaction& tx, const Context& ctx,
                              const storage::Row& invoice, bool was_paid) {
  if (auto order_id = invoice.opt_str("counter_order_id")) {
    follow_invoice_payment(tx, ctx, *order_id, OrderPaymentStatus::kPending);
    link_invoice(tx, *order_id, std::nullopt);
  }
  const auto customer_id = invoice.opt_str("customer_id");
  if (!was_paid || !customer_id) return;
  change_totals(tx, ctx, *customer_id, -1, -rows::money_or_zero(invoice, "grand_total"),
                -invoice.i64("loyalty_points_earned"), invoice.str("service_center_id"));
}

}  // namespace dms::sales
