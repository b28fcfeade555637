// The sales module's tables (migrations 400-419): leads and their notes, quotations, counter
// orders, and the priced lines of both documents (one table: a line belongs to a quotation or an
// order); the customer totals it keeps; and the invoice columns of a counter order's invoice.
// Money is BIGINT paise, quantities BIGINT thousandths, rates BIGINT ten-thousandths of a
// percent, timestamps BIGINT microseconds (UTC), dates TEXT YYYY-MM-DD.
#include "storage/store.hpp"

namespace dms::sales {
namespace {

const storage::MigrationRegistration kSalesTables({400, "sales: leads, quotations, counter orders",
                                                   R"SQL(
CREATE TABLE sales_leads (
  id TEXT PRIMARY KEY,
  lead_number TEXT NOT NULL UNIQUE,
  service_center_id TEXT NOT NULL REFERENCES service_centers(id),
  customer_id TEXT REFERENCES customers(id),
  customer_name TEXT NOT NULL,
  phone TEXT NOT NULL,
  email TEXT,
  source TEXT NOT NULL,
  lead_type TEXT NOT NULL,
  description TEXT,
  assigned_to TEXT,
  follow_up_date TEXT,
  status TEXT NOT NULL,
  lost_reason TEXT,
  contacted_at BIGINT,
  qualified_at BIGINT,
  converted_at BIGINT,
  lost_at BIGINT,
  created_by TEXT,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE INDEX idx_sales_leads_sc_status ON sales_leads(service_center_id, status);
CREATE INDEX idx_sales_leads_follow_up ON sales_leads(follow_up_date);
CREATE TABLE sales_lead_notes (
  id TEXT PRIMARY KEY,
  lead_id TEXT NOT NULL REFERENCES sales_leads(id),
  note TEXT NOT NULL,
  created_by TEXT,
  created_at BIGINT NOT NULL
);
CREATE INDEX idx_sales_lead_notes_lead ON sales_lead_notes(lead_id);
CREATE TABLE sales_quotations (
  id TEXT PRIMARY KEY,
  quotation_number TEXT NOT NULL UNIQUE,
  service_center_id TEXT NOT NULL REFERENCES service_centers(id),
  lead_id TEXT REFERENCES sales_leads(id),
  customer_id TEXT REFERENCES customers(id),
  customer_name TEXT NOT NULL,
  customer_phone TEXT,
  customer_email TEXT,
  supply_type TEXT NOT NULL,
  prices_include_tax BIGINT NOT NULL,
  document_discount BIGINT NOT NULL DEFAULT 0,
  gross BIGINT NOT NULL DEFAULT 0,
  line_discount BIGINT NOT NULL DEFAULT 0,
  net BIGINT NOT NULL DEFAULT 0,
  taxable BIGINT NOT NULL DEFAULT 0,
  cgst BIGINT NOT NULL DEFAULT 0,
  sgst BIGINT NOT NULL DEFAULT 0,
  igst BIGINT NOT NULL DEFAULT 0,
  total BIGINT NOT NULL DEFAULT 0,
  round_off BIGINT NOT NULL DEFAULT 0,
  grand_total BIGINT NOT NULL DEFAULT 0,
  valid_until TEXT NOT NULL,
  status TEXT NOT NULL,
  approved_by TEXT,
  approved_at BIGINT,
  sent_at BIGINT,
  sent_via TEXT,
  accepted_at BIGINT,
  converted_to TEXT,
  service_request_id TEXT,
  counter_order_id TEXT,
  rejected_at BIGINT,
  rejection_reason TEXT,
  expired_at BIGINT,
  notes TEXT,
  created_by TEXT,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE INDEX idx_sales_quotations_sc_status ON sales_quotations(service_center_id, status);
CREATE INDEX idx_sales_quotations_lead ON sales_quotations(lead_id);
CREATE TABLE sales_counter_orders (
  id TEXT PRIMARY KEY,
  order_number TEXT NOT NULL UNIQUE,
  service_center_id TEXT NOT NULL REFERENCES service_centers(id),
  customer_id TEXT REFERENCES customers(id),
  customer_name TEXT NOT NULL,
  customer_phone TEXT,
  quotation_id TEXT REFERENCES sales_quotations(id),
  delivery_method TEXT NOT NULL,
  shipping_address TEXT,
  shipping_charge BIGINT NOT NULL DEFAULT 0,
  tracking_number TEXT,
  supply_type TEXT NOT NULL,
  prices_include_tax BIGINT NOT NULL,
  document_discount BIGINT NOT NULL DEFAULT 0,
  gross BIGINT NOT NULL DEFAULT 0,
  line_discount BIGINT NOT NULL DEFAULT 0,
  net BIGINT NOT NULL DEFAULT 0,
  taxable BIGINT NOT NULL DEFAULT 0,
  cgst BIGINT NOT NULL DEFAULT 0,
  sgst BIGINT NOT NULL DEFAULT 0,
  igst BIGINT NOT NULL DEFAULT 0,
  total BIGINT NOT NULL DEFAULT 0,
  round_off BIGINT NOT NULL DEFAULT 0,
  grand_total BIGINT NOT NULL DEFAULT 0,
  status TEXT NOT NULL,
  payment_status TEXT NOT NULL,
  invoice_id TEXT,
  processing_at BIGINT,
  ready_at BIGINT,
  shipped_at BIGINT,
  delivered_at BIGINT,
  cancelled_at BIGINT,
  cancel_reason TEXT,
  notes TEXT,
  created_by TEXT,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE INDEX idx_sales_counter_orders_sc_status ON sales_counter_orders(service_center_id, status);
CREATE INDEX idx_sales_counter_orders_customer ON sales_counter_orders(customer_id);
CREATE TABLE sales_lines (
  id TEXT PRIMARY KEY,
  document_id TEXT NOT NULL,
  line_no BIGINT NOT NULL,
  item_type TEXT NOT NULL,
  part_id TEXT REFERENCES inv_parts(id),
  description TEXT NOT NULL,
  hsn_sac TEXT NOT NULL,
  quantity BIGINT NOT NULL,
  unit_price BIGINT NOT NULL,
  gst_rate BIGINT NOT NULL,
  discount_percent BIGINT,
  discount_amount BIGINT,
  gross BIGINT NOT NULL,
  line_discount BIGINT NOT NULL,
  net BIGINT NOT NULL,
  document_discount_share BIGINT NOT NULL,
  amount BIGINT NOT NULL,
  taxable BIGINT NOT NULL,
  cgst BIGINT NOT NULL,
  sgst BIGINT NOT NULL,
  igst BIGINT NOT NULL,
  total BIGINT NOT NULL,
  UNIQUE (document_id, line_no)
)
)SQL"});

// The customer's totals (seed 000 Customer: totalOrders, totalSpent, loyaltyPoints), kept by the
// transactions that pay invoices and issue credit notes (src/sales/customer_totals.cpp), and a
// counter order's invoice.
const storage::MigrationRegistration kCustomerTotals({401, "sales: customer totals, order invoices",
                                                      R"SQL(
ALTER TABLE customers ADD COLUMN total_orders BIGINT NOT NULL DEFAULT 0;
ALTER TABLE customers ADD COLUMN total_spent BIGINT NOT NULL DEFAULT 0;
ALTER TABLE customers ADD COLUMN loyalty_points BIGINT NOT NULL DEFAULT 0;
ALTER TABLE invoices ADD COLUMN counter_order_id TEXT;
ALTER TABLE invoices ADD COLUMN prices_include_tax BIGINT NOT NULL DEFAULT 0;
ALTER TABLE invoices ADD COLUMN loyalty_points_earned BIGINT NOT NULL DEFAULT 0;
CREATE INDEX idx_invoices_counter_order ON invoices(counter_order_id)
)SQL"});

// Default grants (docs/security.md): advisors run leads and quotations (seed 002 gives them
// quotations:*), call-center agents take leads, the center's parts counter (the inventory
// manager) and the manager run counter orders.
const storage::MigrationRegistration kSalesPermissions({402, "sales: permission defaults", R"SQL(
INSERT INTO role_permissions (role, permission) VALUES
  ('sc_manager', 'leads:*'),
  ('sc_manager', 'quotations:*'),
  ('sc_manager', 'counter_orders:*'),
  ('service_advisor', 'leads:*'),
  ('call_center', 'leads:create'),
  ('call_center', 'leads:read'),
  ('inventory_manager', 'counter_orders:*'),
  ('inventory_manager', 'invoices:create'),
  ('inventory_manager', 'invoices:read'),
  ('inventory_manager', 'invoices:finalize'),
  ('inventory_manager', 'payments:create'),
  ('inventory_manager', 'payments:read')
)SQL"});

}  // namespace
}  // namespace dms::sales
