// The exports' tables and settings (migrations 480-489):
//   480  service_centers.upi_id: the UPI payee printed as a QR code on the center's invoices;
//        invoices.irn and irn_signed_qr: the e-invoice reference and the IRP's signed QR
//        (written by an e-invoicing integration; the invoice PDF prints the signed QR when set)
//   481  generated_files: files the library produced (the monthly compiled report), kept as
//        base64 text (TEXT holds any bytes that way on both engines), fetched by
//        reports.GetFile
//   482  default grants of reports:export, reports:generate and invoices:send
#include "storage/store.hpp"

namespace dms::reports {
namespace {

const storage::MigrationRegistration kUpiAndIrn({480, "UPI payee of a center, IRN of an invoice",
                                                 R"SQL(
ALTER TABLE service_centers ADD COLUMN upi_id TEXT;
ALTER TABLE invoices ADD COLUMN irn TEXT;
ALTER TABLE invoices ADD COLUMN irn_signed_qr TEXT
)SQL"});

const storage::MigrationRegistration kGeneratedFiles({481, "generated files", R"SQL(
CREATE TABLE generated_files (
  id TEXT PRIMARY KEY,
  kind TEXT NOT NULL,
  period TEXT,
  service_center_id TEXT REFERENCES service_centers(id),
  name TEXT NOT NULL,
  content_type TEXT NOT NULL,
  size_bytes BIGINT NOT NULL,
  content_base64 TEXT NOT NULL,
  created_by TEXT,
  created_at BIGINT NOT NULL
);
CREATE INDEX idx_generated_files_kind ON generated_files(kind, period, service_center_id)
)SQL"});

const storage::MigrationRegistration kGrants({482, "permission defaults for exports", R"SQL(
INSERT INTO role_permissions (role, permission) VALUES
  ('sc_manager', 'reports:export'),
  ('sc_manager', 'reports:generate'),
  ('service_advisor', 'invoices:send')
)SQL"});

}  // namespace
}  // namespace dms::reports
