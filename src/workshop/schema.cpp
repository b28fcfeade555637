// The workshop module's tables (migrations 300-349): customers, vehicles and their graphical
// components, service requests, appointments, job cards with their service and part lines, and
// parts requests. Money is BIGINT paise, quantities and hours BIGINT thousandths, rates BIGINT
// ten-thousandths of a percent, timestamps BIGINT microseconds (UTC), dates TEXT YYYY-MM-DD.
#include "storage/store.hpp"

namespace dms::workshop {
namespace {

// Customers and vehicles are dealer-wide: a customer may visit any service center. A phone number
// is unique among customers that are not deleted (soft delete keeps the row).
const storage::MigrationRegistration kCustomersAndVehicles({300, "customers and vehicles", R"SQL(
CREATE TABLE customers (
  id TEXT PRIMARY KEY,
  customer_number TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  name_lower TEXT NOT NULL,
  phone TEXT NOT NULL,
  whatsapp_number TEXT,
  alternate_number TEXT,
  email TEXT,
  email_lower TEXT,
  address TEXT,
  city_state TEXT,
  pincode TEXT,
  customer_type TEXT NOT NULL,
  gstin TEXT,
  last_service_center_id TEXT REFERENCES service_centers(id),
  last_service_date BIGINT,
  last_invoice_number TEXT,
  created_by TEXT,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  deleted_at BIGINT
);
CREATE UNIQUE INDEX uq_customers_phone ON customers(phone) WHERE deleted_at IS NULL;
CREATE INDEX idx_customers_name ON customers(name_lower);
CREATE INDEX idx_customers_email ON customers(email_lower);
CREATE INDEX idx_customers_created ON customers(created_at);
CREATE TABLE vehicles (
  id TEXT PRIMARY KEY,
  customer_id TEXT NOT NULL REFERENCES customers(id),
  registration TEXT NOT NULL UNIQUE,
  vin TEXT NOT NULL UNIQUE,
  vehicle_make TEXT NOT NULL,
  vehicle_model TEXT NOT NULL,
  vehicle_year BIGINT,
  variant TEXT,
  vehicle_color TEXT,
  motor_number TEXT,
  charger_serial_number TEXT,
  purchase_date TEXT,
  warranty_status TEXT,
  insurance_start_date TEXT,
  insurance_end_date TEXT,
  insurance_company_name TEXT,
  current_status TEXT NOT NULL,
  active_job_card_id TEXT,
  last_service_date BIGINT,
  last_service_center_id TEXT REFERENCES service_centers(id),
  total_services BIGINT NOT NULL DEFAULT 0,
  total_spent BIGINT NOT NULL DEFAULT 0,
  created_by TEXT,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE INDEX idx_vehicles_customer ON vehicles(customer_id);
CREATE TABLE vehicle_components (
  id TEXT PRIMARY KEY,
  vehicle_id TEXT NOT NULL REFERENCES vehicles(id),
  name TEXT NOT NULL,
  category TEXT NOT NULL,
  position_x BIGINT,
  position_y BIGINT,
  status TEXT NOT NULL,
  last_service_date TEXT,
  next_service_date TEXT,
  service_interval_days BIGINT,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  UNIQUE (vehicle_id, name)
);
CREATE TABLE vehicle_component_issues (
  id TEXT PRIMARY KEY,
  component_id TEXT NOT NULL REFERENCES vehicle_components(id),
  vehicle_id TEXT NOT NULL REFERENCES vehicles(id),
  description TEXT NOT NULL,
  severity TEXT NOT NULL,
  reported_date TEXT NOT NULL,
  reported_by TEXT,
  resolved BIGINT NOT NULL DEFAULT 0,
  resolved_date TEXT,
  resolution TEXT,
  job_card_id TEXT,
  created_at BIGINT NOT NULL
);
CREATE INDEX idx_component_issues_component ON vehicle_component_issues(component_id);
CREATE TABLE vehicle_component_history (
  id TEXT PRIMARY KEY,
  component_id TEXT NOT NULL REFERENCES vehicle_components(id),
  vehicle_id TEXT NOT NULL REFERENCES vehicles(id),
  service_date TEXT NOT NULL,
  service_type TEXT NOT NULL,
  description TEXT,
  cost BIGINT NOT NULL DEFAULT 0,
  job_card_id TEXT,
  created_at BIGINT NOT NULL
);
CREATE INDEX idx_component_history_component ON vehicle_component_history(component_id)
)SQL"});

const storage::MigrationRegistration kServiceRequestsAndAppointments(
    {301, "service requests and appointments", R"SQL(
CREATE TABLE service_requests (
  id TEXT PRIMARY KEY,
  request_number TEXT NOT NULL UNIQUE,
  service_center_id TEXT NOT NULL REFERENCES service_centers(id),
  customer_id TEXT NOT NULL REFERENCES customers(id),
  vehicle_id TEXT NOT NULL REFERENCES vehicles(id),
  request_type TEXT NOT NULL,
  service_type TEXT NOT NULL,
  description TEXT,
  priority TEXT NOT NULL,
  preferred_date TEXT,
  preferred_time TEXT,
  service_location TEXT NOT NULL,
  address TEXT,
  estimated_cost BIGINT,
  status TEXT NOT NULL,
  requested_by TEXT,
  approved_by TEXT,
  approved_at BIGINT,
  rejection_reason TEXT,
  scheduled_date TEXT,
  scheduled_time TEXT,
  job_card_id TEXT,
  cancel_reason TEXT,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE INDEX idx_service_requests_sc_status ON service_requests(service_center_id, status);
CREATE TABLE appointments (
  id TEXT PRIMARY KEY,
  appointment_number TEXT NOT NULL UNIQUE,
  service_center_id TEXT NOT NULL REFERENCES service_centers(id),
  customer_id TEXT NOT NULL REFERENCES customers(id),
  vehicle_id TEXT NOT NULL REFERENCES vehicles(id),
  service_request_id TEXT REFERENCES service_requests(id),
  scheduled_at BIGINT NOT NULL,
  service_type TEXT NOT NULL,
  notes TEXT,
  status TEXT NOT NULL,
  job_card_id TEXT,
  created_by TEXT,
  confirmed_at BIGINT,
  arrived_at BIGINT,
  cancel_reason TEXT,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE INDEX idx_appointments_sc_time ON appointments(service_center_id, scheduled_at)
)SQL"});

// part1_data and pre_inspection are JSON documents (seed 002's part1Data; seed 000's
// preInspection); the figures that are queried (odometer, costs) are columns. A vehicle has at
// most one open job card (the partial unique index backs the service's VEHICLE_HAS_OPEN_JOB_CARD
// check). payment_status mirrors the job card's invoice (kJobCardPaymentFlow), moved by billing.
const storage::MigrationRegistration kJobCards({302, "job cards", R"SQL(
CREATE TABLE job_cards (
  id TEXT PRIMARY KEY,
  job_card_number TEXT NOT NULL UNIQUE,
  service_center_id TEXT NOT NULL REFERENCES service_centers(id),
  customer_id TEXT NOT NULL REFERENCES customers(id),
  vehicle_id TEXT NOT NULL REFERENCES vehicles(id),
  appointment_id TEXT REFERENCES appointments(id),
  service_request_id TEXT REFERENCES service_requests(id),
  source TEXT NOT NULL,
  service_type TEXT NOT NULL,
  description TEXT,
  priority TEXT NOT NULL,
  location TEXT NOT NULL,
  estimated_cost BIGINT NOT NULL DEFAULT 0,
  part1_data TEXT NOT NULL,
  pre_inspection TEXT,
  odometer_reading BIGINT,
  service_date TEXT NOT NULL,
  status TEXT NOT NULL,
  assigned_engineer_id TEXT REFERENCES users(id),
  assigned_at BIGINT,
  started_at BIGINT,
  completed_at BIGINT,
  invoiced_at BIGINT,
  delivered_at BIGINT,
  cancelled_at BIGINT,
  cancel_reason TEXT,
  invoice_id TEXT,
  invoice_number TEXT,
  payment_status TEXT,
  parts_cost BIGINT,
  labour_cost BIGINT,
  total_cost BIGINT,
  payment_waived_by TEXT,
  payment_waiver_reason TEXT,
  customer_feedback TEXT,
  feedback_rating BIGINT,
  notes TEXT,
  created_by TEXT,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE INDEX idx_job_cards_sc_status ON job_cards(service_center_id, status);
CREATE UNIQUE INDEX uq_job_cards_open_per_vehicle ON job_cards(vehicle_id)
  WHERE status <> 'DELIVERED' AND status <> 'CANCELLED';
CREATE INDEX idx_job_cards_vehicle ON job_cards(vehicle_id);
CREATE INDEX idx_job_cards_customer ON job_cards(customer_id);
CREATE INDEX idx_job_cards_engineer ON job_cards(assigned_engineer_id, status);
CREATE TABLE job_card_status_history (
  id TEXT PRIMARY KEY,
  job_card_id TEXT NOT NULL REFERENCES job_cards(id),
  from_status TEXT,
  to_status TEXT NOT NULL,
  notes TEXT,
  changed_by TEXT,
  changed_at BIGINT NOT NULL
);
CREATE INDEX idx_job_card_status_history ON job_card_status_history(job_card_id);
CREATE TABLE job_card_services (
  id TEXT PRIMARY KEY,
  job_card_id TEXT NOT NULL REFERENCES job_cards(id),
  line_no BIGINT NOT NULL,
  line_type TEXT NOT NULL,
  service_type TEXT NOT NULL,
  description TEXT,
  hsn_sac TEXT NOT NULL,
  quantity BIGINT NOT NULL,
  rate BIGINT NOT NULL,
  gst_rate BIGINT NOT NULL,
  estimated_hours BIGINT,
  actual_hours BIGINT,
  status TEXT NOT NULL,
  is_additional BIGINT NOT NULL DEFAULT 0,
  approval_status TEXT NOT NULL,
  approval_note TEXT,
  approved_by TEXT,
  approved_at BIGINT,
  completed_by TEXT,
  completed_at BIGINT,
  created_by TEXT,
  created_at BIGINT NOT NULL,
  UNIQUE (job_card_id, line_no)
);
CREATE TABLE parts_requests (
  id TEXT PRIMARY KEY,
  job_card_id TEXT NOT NULL REFERENCES job_cards(id),
  service_center_id TEXT NOT NULL REFERENCES service_centers(id),
  status TEXT NOT NULL,
  urgency TEXT NOT NULL,
  notes TEXT,
  requested_by TEXT,
  requested_at BIGINT NOT NULL,
  decided_by TEXT,
  decided_at BIGINT,
  decision_notes TEXT,
  updated_at BIGINT NOT NULL
);
CREATE INDEX idx_parts_requests_sc_status ON parts_requests(service_center_id, status);
CREATE INDEX idx_parts_requests_job_card ON parts_requests(job_card_id);
CREATE TABLE parts_request_lines (
  id TEXT PRIMARY KEY,
  parts_request_id TEXT NOT NULL REFERENCES parts_requests(id),
  line_no BIGINT NOT NULL,
  part_id TEXT NOT NULL,
  requested_qty BIGINT NOT NULL,
  approved_qty BIGINT,
  is_warranty BIGINT NOT NULL DEFAULT 0,
  notes TEXT,
  UNIQUE (parts_request_id, line_no)
);
CREATE TABLE job_card_parts (
  id TEXT PRIMARY KEY,
  job_card_id TEXT NOT NULL REFERENCES job_cards(id),
  parts_request_id TEXT REFERENCES parts_requests(id),
  parts_request_line_id TEXT REFERENCES parts_request_lines(id),
  part_id TEXT NOT NULL,
  part_number TEXT NOT NULL,
  part_name TEXT NOT NULL,
  hsn_code TEXT NOT NULL,
  issued_qty BIGINT NOT NULL,
  returned_qty BIGINT NOT NULL DEFAULT 0,
  unit_price BIGINT NOT NULL,
  unit_cost BIGINT NOT NULL DEFAULT 0,
  gst_rate BIGINT NOT NULL,
  is_warranty BIGINT NOT NULL DEFAULT 0,
  warranty_number TEXT,
  issued_by TEXT,
  issued_at BIGINT NOT NULL
);
CREATE INDEX idx_job_card_parts_job_card ON job_card_parts(job_card_id)
)SQL"});

// The order of a job card's part lines (issued together in one approval they share issued_at).
const storage::MigrationRegistration kPartLineNumbers({304, "job card part line numbers", R"SQL(
ALTER TABLE job_card_parts ADD COLUMN line_no BIGINT
)SQL"});

// Seed 002 workflow 4 frees the vehicle when its invoice is PAID: from then an INVOICED job card
// no longer blocks the vehicle's next job card. Until it is paid, the vehicle row
// (currentStatus ACTIVE_JOB_CARD, checked under its lock at jobCards.Create) holds it.
const storage::MigrationRegistration kOpenJobCardIndex({305, "open job card per vehicle", R"SQL(
DROP INDEX uq_job_cards_open_per_vehicle;
CREATE UNIQUE INDEX uq_job_cards_open_per_vehicle ON job_cards(vehicle_id)
  WHERE status NOT IN ('INVOICED', 'DELIVERED', 'CANCELLED')
)SQL"});

// The job-card board: one center's cards, of a status or all of them, newest first
// (jobCards.List's default order; seed 002's idx_jobcards_sc_status and idx_jobcards_sc_created).
// An index read in that order stops at the page's limit instead of sorting every match; the
// (center, status, created) one also serves everything the (center, status) one it replaces did.
const storage::MigrationRegistration kJobCardBoardIndexes({306, "job card board order", R"SQL(
CREATE INDEX idx_job_cards_sc_status_created ON job_cards(service_center_id, status, created_at);
CREATE INDEX idx_job_cards_sc_created ON job_cards(service_center_id, created_at);
DROP INDEX idx_job_cards_sc_status
)SQL"});

}  // namespace
}  // namespace dms::workshop
