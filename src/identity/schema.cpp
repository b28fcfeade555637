// The identity module's tables (migrations 100-109). See docs/security.md for the model.
#include "storage/store.hpp"

namespace dms::identity {
namespace {

// Roles and their permissions are rows, so an admin can change them (roles.SetPermissions).
// manager_id has no foreign key: users reference service centers, and a cycle of foreign keys
// cannot be created portably; the service layer checks it.
const storage::MigrationRegistration kIdentityTables({100, "identity tables", R"SQL(
CREATE TABLE roles (
  name TEXT PRIMARY KEY,
  description TEXT NOT NULL
);
CREATE TABLE role_permissions (
  role TEXT NOT NULL REFERENCES roles(name),
  permission TEXT NOT NULL,
  PRIMARY KEY (role, permission)
);
CREATE TABLE service_centers (
  id TEXT PRIMARY KEY,
  code TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  street TEXT,
  city TEXT,
  state TEXT,
  state_code TEXT,
  zip_code TEXT,
  country TEXT,
  gstin TEXT,
  phone TEXT,
  email TEXT,
  manager_id TEXT,
  is_active BIGINT NOT NULL DEFAULT 1,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE TABLE users (
  id TEXT PRIMARY KEY,
  email TEXT NOT NULL UNIQUE,
  phone TEXT NOT NULL UNIQUE,
  first_name TEXT NOT NULL,
  last_name TEXT NOT NULL,
  role TEXT NOT NULL REFERENCES roles(name),
  service_center_id TEXT REFERENCES service_centers(id),
  delivery_channel TEXT NOT NULL,
  password_hash TEXT NOT NULL,
  is_active BIGINT NOT NULL DEFAULT 1,
  is_first_login BIGINT NOT NULL DEFAULT 1,
  failed_login_count BIGINT NOT NULL DEFAULT 0,
  locked_until BIGINT,
  last_login_at BIGINT,
  password_changed_at BIGINT,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE INDEX idx_users_service_center ON users(service_center_id);
CREATE TABLE sessions (
  id TEXT PRIMARY KEY,
  user_id TEXT NOT NULL REFERENCES users(id),
  created_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL,
  revoked_at BIGINT,
  ip_address TEXT,
  user_agent TEXT
);
CREATE INDEX idx_sessions_user ON sessions(user_id);
CREATE TABLE refresh_tokens (
  token_hash TEXT PRIMARY KEY,
  session_id TEXT NOT NULL REFERENCES sessions(id),
  issued_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL,
  used_at BIGINT
);
CREATE INDEX idx_refresh_tokens_session ON refresh_tokens(session_id);
CREATE TABLE password_reset_tokens (
  token_hash TEXT PRIMARY KEY,
  user_id TEXT NOT NULL REFERENCES users(id),
  created_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL,
  used_at BIGINT
);
CREATE INDEX idx_password_reset_tokens_user ON password_reset_tokens(user_id);
CREATE TABLE login_throttle (
  login_digest TEXT PRIMARY KEY,
  failed_login_count BIGINT NOT NULL,
  locked_until BIGINT,
  updated_at BIGINT NOT NULL
)
)SQL"});

// Seed 002's permission matrix ("Role-Based Access Control"), plus audit_logs:read for the
// service-center manager, who reads their own center's audit log (docs/security.md).
// Changing these defaults later needs a new migration: applied migrations never change.
const storage::MigrationRegistration kDefaultRoles({101, "default roles and permissions", R"SQL(
INSERT INTO roles (name, description) VALUES
  ('admin', 'Full system access: users, service centers, configuration, every report'),
  ('sc_manager', 'Service center manager: runs one service center'),
  ('service_engineer', 'Technician or engineer working job cards'),
  ('service_advisor', 'Service advisor: customers, appointments, quotations'),
  ('call_center', 'Call center agent: customers and appointments'),
  ('inventory_manager', 'Service center inventory manager'),
  ('central_inventory_manager', 'Central warehouse inventory manager: every service center');
INSERT INTO role_permissions (role, permission) VALUES
  ('admin', '*'),
  ('sc_manager', 'job_cards:*'),
  ('sc_manager', 'customers:*'),
  ('sc_manager', 'vehicles:*'),
  ('sc_manager', 'appointments:*'),
  ('sc_manager', 'inventory:read'),
  ('sc_manager', 'inventory:request'),
  ('sc_manager', 'reports:read'),
  ('sc_manager', 'audit_logs:read'),
  ('service_engineer', 'job_cards:read'),
  ('service_engineer', 'job_cards:update'),
  ('service_engineer', 'parts_requests:create'),
  ('service_engineer', 'parts_requests:read'),
  ('service_advisor', 'customers:*'),
  ('service_advisor', 'vehicles:*'),
  ('service_advisor', 'appointments:*'),
  ('service_advisor', 'quotations:*'),
  ('service_advisor', 'job_cards:create'),
  ('service_advisor', 'job_cards:read'),
  ('call_center', 'customers:create'),
  ('call_center', 'customers:read'),
  ('call_center', 'appointments:create'),
  ('call_center', 'appointments:read'),
  ('inventory_manager', 'inventory:*'),
  ('inventory_manager', 'parts_requests:read'),
  ('inventory_manager', 'parts_requests:approve'),
  ('inventory_manager', 'parts_issues:receive'),
  ('central_inventory_manager', 'central_inventory:*'),
  ('central_inventory_manager', 'purchase_orders:*'),
  ('central_inventory_manager', 'parts_issues:*')
)SQL"});

// Guards are permission checks (docs/security.md, "Permission catalogue"), never role names. These
// grants keep every role's behaviour as it was when the guards compared role names:
// - only the central inventory manager (and admin's "*") sees every service center;
// - the service engineer alone is assignable to job cards (job_cards:work, granted by name) and,
//   lacking job_cards:view_all, sees and works on only the job cards assigned to them; the
//   service advisor, who has job_cards:read, keeps seeing every job card of their center;
// - the service-center manager approves transfers out of their own store;
// - purchase orders and parts issues are approved by admins only (seed 002 workflows 1 and 2),
//   so the central inventory manager's purchase_orders:* and parts_issues:* become every action
//   but approve.
const storage::MigrationRegistration kPermissionGuards(
    {102, "permission guards instead of role names", R"SQL(
INSERT INTO role_permissions (role, permission) VALUES
  ('central_inventory_manager', 'tenancy:all_service_centers'),
  ('service_engineer', 'job_cards:work'),
  ('service_advisor', 'job_cards:view_all'),
  ('sc_manager', 'stock_transfers:approve_outgoing');
DELETE FROM role_permissions WHERE role = 'central_inventory_manager'
  AND permission IN ('purchase_orders:*', 'parts_issues:*');
INSERT INTO role_permissions (role, permission) VALUES
  ('central_inventory_manager', 'purchase_orders:cancel'),
  ('central_inventory_manager', 'purchase_orders:create'),
  ('central_inventory_manager', 'purchase_orders:order'),
  ('central_inventory_manager', 'purchase_orders:read'),
  ('central_inventory_manager', 'purchase_orders:receive'),
  ('central_inventory_manager', 'purchase_orders:submit'),
  ('central_inventory_manager', 'purchase_orders:update'),
  ('central_inventory_manager', 'parts_issues:cancel'),
  ('central_inventory_manager', 'parts_issues:create'),
  ('central_inventory_manager', 'parts_issues:dispatch'),
  ('central_inventory_manager', 'parts_issues:read'),
  ('central_inventory_manager', 'parts_issues:receive')
)SQL"});

}  // namespace
}  // namespace dms::identity
