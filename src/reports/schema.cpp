// The reports module's tables (migrations 470-479): the daily rollups (src/reports/rollups.hpp),
// the per-user dashboard layouts, the indexes the dashboards read by, and the permission defaults.
// Money is BIGINT paise, days TEXT YYYY-MM-DD, timestamps BIGINT microseconds.
#include "storage/store.hpp"

namespace dms::reports {
namespace {

// rpt_state.rollups_built = 0 asks the first open to rebuild the rollups from existing documents
// (ensure_rollups); a new database has nothing to rebuild and builds them as it goes.
const storage::MigrationRegistration kRollups({470, "reports: daily rollups, dashboard layouts",
                                               R"SQL(
CREATE TABLE rpt_revenue_daily (
  service_center_id TEXT NOT NULL,
  day TEXT NOT NULL,
  service_type TEXT NOT NULL,
  invoices BIGINT NOT NULL DEFAULT 0,
  credit_notes BIGINT NOT NULL DEFAULT 0,
  taxable BIGINT NOT NULL DEFAULT 0,
  tax BIGINT NOT NULL DEFAULT 0,
  revenue BIGINT NOT NULL DEFAULT 0,
  costed_taxable BIGINT NOT NULL DEFAULT 0,
  cost BIGINT NOT NULL DEFAULT 0,
  PRIMARY KEY (service_center_id, day, service_type)
);
CREATE INDEX idx_rpt_revenue_daily_day ON rpt_revenue_daily(day);
CREATE TABLE rpt_payments_daily (
  service_center_id TEXT NOT NULL,
  day TEXT NOT NULL,
  payment_method TEXT NOT NULL,
  payments BIGINT NOT NULL DEFAULT 0,
  amount BIGINT NOT NULL DEFAULT 0,
  PRIMARY KEY (service_center_id, day, payment_method)
);
CREATE INDEX idx_rpt_payments_daily_day ON rpt_payments_daily(day);
CREATE TABLE rpt_state (
  id BIGINT PRIMARY KEY,
  rollups_built BIGINT NOT NULL
);
INSERT INTO rpt_state (id, rollups_built) VALUES (1, 0);
CREATE TABLE dashboard_layouts (
  user_id TEXT PRIMARY KEY,
  layout TEXT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE INDEX idx_invoices_invoice_date ON invoices(invoice_date);
CREATE INDEX idx_customers_last_service ON customers(last_service_date);
CREATE INDEX idx_job_cards_completed ON job_cards(service_center_id, completed_at);
CREATE INDEX idx_inv_moves_created ON inv_moves(created_at)
)SQL"});

// reports:read (service, sales and inventory reports; sc_manager holds it since migration 100),
// reports:financial (revenue, payments, outstanding, margin), dashboards:read (analytics.Dashboard
// and one's layout).
const storage::MigrationRegistration kPermissions({471, "reports: permission defaults", R"SQL(
INSERT INTO role_permissions (role, permission) VALUES
  ('sc_manager', 'reports:financial'),
  ('sc_manager', 'dashboards:read'),
  ('service_advisor', 'dashboards:read'),
  ('service_engineer', 'dashboards:read'),
  ('inventory_manager', 'reports:read'),
  ('inventory_manager', 'dashboards:read'),
  ('central_inventory_manager', 'reports:read'),
  ('central_inventory_manager', 'dashboards:read')
)SQL"});

}  // namespace
}  // namespace dms::reports
