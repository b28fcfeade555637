// The inventory module's tables (migrations 200-209, 230).
//
// Quantities are BIGINT thousandths, money BIGINT paise, GST rates BIGINT ten-thousandths of a
// percent, timestamps BIGINT microseconds since the epoch, dates TEXT "YYYY-MM-DD". Service
// centers (identity's table) are referenced by id without a foreign key, so the inventory
// schema does not depend on another module's migration order.
#include "storage/store.hpp"

namespace dms::inventory {
namespace {

// Catalog, locations, balances and the ledger. The fixed-id rows are the default central
// warehouse and the one location of each virtual kind.
const storage::MigrationRegistration kStockTables({200, "inventory: catalog, locations, ledger",
                                                   R"SQL(
CREATE TABLE inv_categories (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  parent_id TEXT REFERENCES inv_categories(id),
  path TEXT NOT NULL UNIQUE,
  created_at BIGINT NOT NULL
);
CREATE TABLE inv_suppliers (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  contact_person TEXT,
  phone TEXT,
  email TEXT,
  address TEXT,
  gstin TEXT,
  state_code TEXT,
  is_active BIGINT NOT NULL DEFAULT 1,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE TABLE inv_parts (
  id TEXT PRIMARY KEY,
  part_number TEXT NOT NULL UNIQUE,
  part_code TEXT,
  name TEXT NOT NULL,
  description TEXT,
  category_id TEXT REFERENCES inv_categories(id),
  category_path TEXT,
  unit TEXT NOT NULL,
  hsn_code TEXT,
  gst_rate BIGINT NOT NULL,
  cost_price BIGINT NOT NULL,
  sale_price BIGINT NOT NULL,
  default_supplier_id TEXT REFERENCES inv_suppliers(id),
  is_active BIGINT NOT NULL DEFAULT 1,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE TABLE inv_locations (
  id TEXT PRIMARY KEY,
  code TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  kind TEXT NOT NULL,
  service_center_id TEXT UNIQUE,
  state_code TEXT,
  allow_negative BIGINT NOT NULL DEFAULT 0,
  is_active BIGINT NOT NULL DEFAULT 1,
  created_at BIGINT NOT NULL
);
INSERT INTO inv_locations (id, code, name, kind, created_at) VALUES
  ('00000000-0000-4000-8000-000000000200', 'CENTRAL', 'Central Warehouse', 'WAREHOUSE', 0),
  ('00000000-0000-4000-8000-000000000201', 'V-SUPPLIER', 'Suppliers', 'SUPPLIER', 0),
  ('00000000-0000-4000-8000-000000000202', 'V-CUSTOMER', 'Customers', 'CUSTOMER', 0),
  ('00000000-0000-4000-8000-000000000203', 'V-ADJUSTMENT', 'Inventory adjustment', 'ADJUSTMENT', 0),
  ('00000000-0000-4000-8000-000000000204', 'V-SCRAP', 'Scrap and loss', 'SCRAP', 0),
  ('00000000-0000-4000-8000-000000000205', 'V-IN-TRANSIT', 'In transit', 'IN_TRANSIT', 0),
  ('00000000-0000-4000-8000-000000000206', 'V-WORKSHOP', 'Workshop consumption', 'WORKSHOP', 0);
CREATE TABLE inv_balances (
  part_id TEXT NOT NULL REFERENCES inv_parts(id),
  location_id TEXT NOT NULL REFERENCES inv_locations(id),
  on_hand BIGINT NOT NULL DEFAULT 0,
  allocated BIGINT NOT NULL DEFAULT 0,
  average_cost BIGINT NOT NULL DEFAULT 0,
  min_level BIGINT,
  max_level BIGINT,
  reorder_point BIGINT,
  bin_location TEXT,
  last_restocked_at BIGINT,
  updated_at BIGINT NOT NULL,
  PRIMARY KEY (part_id, location_id)
);
CREATE INDEX idx_inv_balances_location ON inv_balances(location_id);
CREATE TABLE inv_moves (
  seq {{ID}},
  id TEXT NOT NULL,
  part_id TEXT NOT NULL,
  txn_type TEXT NOT NULL,
  quantity BIGINT NOT NULL,
  from_location_id TEXT NOT NULL,
  to_location_id TEXT NOT NULL,
  from_before BIGINT NOT NULL,
  from_after BIGINT NOT NULL,
  to_before BIGINT NOT NULL,
  to_after BIGINT NOT NULL,
  unit_cost BIGINT NOT NULL,
  reason TEXT,
  reference_type TEXT,
  reference_id TEXT,
  reference_number TEXT,
  reference_line_id TEXT,
  notes TEXT,
  performed_by TEXT,
  created_at BIGINT NOT NULL
);
CREATE INDEX idx_inv_moves_part ON inv_moves(part_id, seq);
CREATE INDEX idx_inv_moves_reference ON inv_moves(reference_id);
)SQL"});

const storage::MigrationRegistration kPurchaseOrderTables({201, "inventory: purchase orders",
                                                           R"SQL(
CREATE TABLE inv_purchase_orders (
  id TEXT PRIMARY KEY,
  po_number TEXT NOT NULL UNIQUE,
  supplier_id TEXT NOT NULL REFERENCES inv_suppliers(id),
  location_id TEXT NOT NULL REFERENCES inv_locations(id),
  status TEXT NOT NULL,
  order_date TEXT,
  expected_delivery_date TEXT,
  notes TEXT,
  payment_terms TEXT,
  supply_type TEXT NOT NULL,
  subtotal BIGINT NOT NULL,
  cgst BIGINT NOT NULL,
  sgst BIGINT NOT NULL,
  igst BIGINT NOT NULL,
  total_amount BIGINT NOT NULL,
  requested_by TEXT,
  submitted_at BIGINT,
  approved_by TEXT,
  approved_at BIGINT,
  approval_notes TEXT,
  rejected_by TEXT,
  rejected_at BIGINT,
  rejection_reason TEXT,
  ordered_at BIGINT,
  cancelled_by TEXT,
  cancelled_at BIGINT,
  cancellation_reason TEXT,
  received_date TEXT,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE INDEX idx_inv_po_status ON inv_purchase_orders(status);
CREATE TABLE inv_purchase_order_items (
  id TEXT PRIMARY KEY,
  purchase_order_id TEXT NOT NULL REFERENCES inv_purchase_orders(id),
  line_no BIGINT NOT NULL,
  part_id TEXT NOT NULL REFERENCES inv_parts(id),
  part_name TEXT NOT NULL,
  part_number TEXT NOT NULL,
  hsn_code TEXT NOT NULL,
  quantity BIGINT NOT NULL,
  unit_price BIGINT NOT NULL,
  gst_rate BIGINT NOT NULL,
  amount BIGINT NOT NULL,
  cgst BIGINT NOT NULL,
  sgst BIGINT NOT NULL,
  igst BIGINT NOT NULL,
  total BIGINT NOT NULL,
  received_qty BIGINT NOT NULL DEFAULT 0,
  accepted_qty BIGINT NOT NULL DEFAULT 0,
  rejected_qty BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX idx_inv_po_items_po ON inv_purchase_order_items(purchase_order_id, line_no);
CREATE TABLE inv_po_receipts (
  id TEXT PRIMARY KEY,
  purchase_order_id TEXT NOT NULL REFERENCES inv_purchase_orders(id),
  received_by TEXT,
  received_date TEXT NOT NULL,
  invoice_number TEXT,
  invoice_date TEXT,
  invoice_amount BIGINT,
  notes TEXT,
  created_at BIGINT NOT NULL
);
CREATE INDEX idx_inv_po_receipts_po ON inv_po_receipts(purchase_order_id);
CREATE TABLE inv_po_receipt_lines (
  id TEXT PRIMARY KEY,
  receipt_id TEXT NOT NULL REFERENCES inv_po_receipts(id),
  item_id TEXT NOT NULL REFERENCES inv_purchase_order_items(id),
  received_qty BIGINT NOT NULL,
  accepted_qty BIGINT NOT NULL,
  rejected_qty BIGINT NOT NULL,
  item_condition TEXT NOT NULL,
  notes TEXT
);
CREATE INDEX idx_inv_po_receipt_lines_receipt ON inv_po_receipt_lines(receipt_id);
)SQL"});

// Parts issues (central warehouse to a service center) and stock transfers (between service
// centers) share one shape and one table, told apart by `kind`.
const storage::MigrationRegistration kTransferTables({202, "inventory: parts issues, transfers",
                                                      R"SQL(
CREATE TABLE inv_transfers (
  id TEXT PRIMARY KEY,
  kind TEXT NOT NULL,
  number TEXT NOT NULL UNIQUE,
  from_location_id TEXT NOT NULL REFERENCES inv_locations(id),
  to_location_id TEXT NOT NULL REFERENCES inv_locations(id),
  from_service_center_id TEXT,
  to_service_center_id TEXT,
  status TEXT NOT NULL,
  priority TEXT NOT NULL,
  notes TEXT,
  requested_by TEXT,
  approved_by TEXT,
  approved_at BIGINT,
  approval_notes TEXT,
  rejected_by TEXT,
  rejected_at BIGINT,
  rejection_reason TEXT,
  cancelled_by TEXT,
  cancelled_at BIGINT,
  cancellation_reason TEXT,
  dispatched_by TEXT,
  dispatched_date TEXT,
  transport_details TEXT,
  tracking_number TEXT,
  estimated_arrival TEXT,
  received_by TEXT,
  received_date TEXT,
  receipt_notes TEXT,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE INDEX idx_inv_transfers_kind_status ON inv_transfers(kind, status);
CREATE INDEX idx_inv_transfers_to_sc ON inv_transfers(to_service_center_id);
CREATE TABLE inv_transfer_items (
  id TEXT PRIMARY KEY,
  transfer_id TEXT NOT NULL REFERENCES inv_transfers(id),
  line_no BIGINT NOT NULL,
  part_id TEXT NOT NULL REFERENCES inv_parts(id),
  part_name TEXT NOT NULL,
  part_number TEXT NOT NULL,
  requested_qty BIGINT NOT NULL,
  approved_qty BIGINT,
  received_qty BIGINT,
  lost_qty BIGINT,
  unit_cost BIGINT,
  item_condition TEXT,
  notes TEXT
);
CREATE INDEX idx_inv_transfer_items_transfer ON inv_transfer_items(transfer_id, line_no);
)SQL"});

// A part's optional MRP (maximum retail price, GST included): the default unit price of a
// tax-inclusive sales line (docs/tax.md). NULL when the part has none.
const storage::MigrationRegistration kPartMrp({230, "inventory: part MRP", R"SQL(
ALTER TABLE inv_parts ADD COLUMN mrp BIGINT;
)SQL"});

}  // namespace
}  // namespace dms::inventory
