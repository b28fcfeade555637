// Default grants for the resources seed 002's matrix does not name: service requests, invoices and
// payments (docs/decisions/0006-workshop-and-billing.md). Permissions are data: an admin changes
// them with roles.SetPermissions.
#include "storage/store.hpp"

namespace dms::workshop {
namespace {

const storage::MigrationRegistration kBillingPermissions(
    {390, "permission defaults for service requests, invoices and payments", R"SQL(
INSERT INTO role_permissions (role, permission) VALUES
  ('sc_manager', 'service_requests:*'),
  ('sc_manager', 'invoices:*'),
  ('sc_manager', 'payments:*'),
  ('service_advisor', 'service_requests:create'),
  ('service_advisor', 'service_requests:read'),
  ('service_advisor', 'service_requests:update'),
  ('service_advisor', 'invoices:create'),
  ('service_advisor', 'invoices:read'),
  ('service_advisor', 'invoices:update'),
  ('service_advisor', 'payments:create'),
  ('service_advisor', 'payments:read'),
  ('call_center', 'service_requests:create'),
  ('call_center', 'service_requests:read');
)SQL"});

}  // namespace
}  // namespace dms::workshop
