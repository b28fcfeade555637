// The billing module's tables (migrations 350-399): invoices and credit notes (one table, told
// apart by document_type, so a credit note's lines are the same rows negated), their lines, and
// payments. Every figure is a BIGINT of paise (money), thousandths (quantities) or
// ten-thousandths of a percent (rates); the totals are sums of the stored line figures.
#include "storage/store.hpp"

namespace dms::billing {
namespace {

// invoice_number is NULL for drafts and assigned at finalize; (service_center_id,
// document_type, financial_year, sequence_no) is unique, so a number can never be issued twice.
const storage::MigrationRegistration kInvoices({350, "invoices, credit notes and payments", R"SQL(
CREATE TABLE invoices (
  id TEXT PRIMARY KEY,
  document_type TEXT NOT NULL,
  invoice_number TEXT UNIQUE,
  financial_year BIGINT,
  sequence_no BIGINT,
  service_center_id TEXT NOT NULL REFERENCES service_centers(id),
  job_card_id TEXT REFERENCES job_cards(id),
  original_invoice_id TEXT REFERENCES invoices(id),
  credit_note_id TEXT,
  customer_id TEXT REFERENCES customers(id),
  customer_details TEXT NOT NULL,
  supplier_state_code TEXT NOT NULL,
  place_of_supply TEXT,
  supply_type TEXT NOT NULL,
  status TEXT NOT NULL,
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
  paid_amount BIGINT NOT NULL DEFAULT 0,
  invoice_date TEXT,
  due_date TEXT,
  payment_term_days BIGINT,
  paid_at BIGINT,
  finalized_at BIGINT,
  finalized_by TEXT,
  cancelled_at BIGINT,
  cancel_reason TEXT,
  notes TEXT,
  created_by TEXT,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  UNIQUE (service_center_id, document_type, financial_year, sequence_no)
);
CREATE INDEX idx_invoices_sc_status ON invoices(service_center_id, status);
CREATE INDEX idx_invoices_job_card ON invoices(job_card_id);
CREATE INDEX idx_invoices_customer ON invoices(customer_id);
CREATE INDEX idx_invoices_due ON invoices(status, due_date);
CREATE TABLE invoice_lines (
  id TEXT PRIMARY KEY,
  invoice_id TEXT NOT NULL REFERENCES invoices(id),
  line_no BIGINT NOT NULL,
  line_type TEXT NOT NULL,
  description TEXT NOT NULL,
  hsn_sac TEXT NOT NULL,
  quantity BIGINT NOT NULL,
  unit_price BIGINT NOT NULL,
  gst_rate BIGINT NOT NULL,
  discount_percent BIGINT,
  discount_amount BIGINT,
  part_id TEXT,
  unit_cost BIGINT,
  is_warranty BIGINT NOT NULL DEFAULT 0,
  job_card_service_id TEXT,
  job_card_part_id TEXT,
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
  UNIQUE (invoice_id, line_no)
);
CREATE TABLE payments (
  id TEXT PRIMARY KEY,
  invoice_id TEXT NOT NULL REFERENCES invoices(id),
  service_center_id TEXT NOT NULL REFERENCES service_centers(id),
  amount BIGINT NOT NULL,
  payment_method TEXT NOT NULL,
  transaction_id TEXT,
  reference_number TEXT,
  notes TEXT,
  received_by TEXT,
  received_at BIGINT NOT NULL,
  created_at BIGINT NOT NULL
);
CREATE INDEX idx_payments_invoice ON payments(invoice_id)
)SQL"});

}  // namespace
}  // namespace dms::billing
