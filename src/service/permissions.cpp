// The permission catalogue (src/service/permissions.hpp). Adding a permission: a row here (sorted
// by name), the default grants in a new migration, and docs/security.md regenerated from
// permission_table_markdown() (tests/integration/test_permission_catalogue.cpp says what differs).
#include "service/permissions.hpp"

#include <algorithm>
#include <iterator>

namespace dms::service {
namespace {

// clang-format off
constexpr PermissionInfo kPermissions[] = {
    {"appointments:create", "book an appointment", "sc_manager, service_advisor, call_center", false},
    {"appointments:read", "read and list appointments", "sc_manager, service_advisor, call_center", false},
    {"appointments:update", "confirm, mark arrived or no-show, cancel an appointment", "sc_manager, service_advisor", false},
    {"audit_logs:read", "read and list the audit log (confined users: their center's rows)", "sc_manager", false},
    {"audit_logs:verify", "verify every audit chain", "", false},
    {"central_inventory:adjust", "adjust central warehouse stock", "central_inventory_manager", false},
    {"central_inventory:allocate", "reserve and release central warehouse stock", "central_inventory_manager", false},
    {"central_inventory:configure", "set reorder levels of central warehouse stock", "central_inventory_manager", false},
    {"central_inventory:create", "create parts and suppliers (also inventory:create for parts)", "central_inventory_manager", false},
    {"central_inventory:read", "read the catalog, central stock, suppliers and the ledger", "central_inventory_manager", false},
    {"central_inventory:update", "update parts, suppliers and central stock settings", "central_inventory_manager", false},
    {"counter_orders:cancel", "cancel a counter order (its reservation released)", "sc_manager, inventory_manager", false},
    {"counter_orders:create", "create a counter order (also by accepting a quotation)", "sc_manager, inventory_manager", false},
    {"counter_orders:read", "read and list counter orders", "sc_manager, inventory_manager", false},
    {"counter_orders:update", "process (reserve), mark ready, ship and deliver a counter order", "sc_manager, inventory_manager", false},
    {"customers:create", "create customers (also in bulk)", "sc_manager, service_advisor, call_center", false},
    {"customers:delete", "delete a customer without an open job card", "sc_manager, service_advisor", false},
    {"customers:read", "read, list and search customers", "sc_manager, service_advisor, call_center", false},
    {"customers:update", "update a customer", "sc_manager, service_advisor", false},
    {"dashboards:read", "see one's dashboard (figures of one's centers) and keep one's layout", "sc_manager, service_engineer, service_advisor, inventory_manager, central_inventory_manager", false},
    {"inventory:adjust", "adjust a service center store's stock", "inventory_manager", false},
    {"inventory:allocate", "reserve and release a store's stock", "inventory_manager", false},
    {"inventory:configure", "set a store's reorder levels", "inventory_manager", false},
    {"inventory:create", "create parts in the catalog", "inventory_manager", false},
    {"inventory:read", "read the catalog, a store's stock, low stock and the ledger", "sc_manager, inventory_manager", false},
    {"inventory:request", "request parts issues and stock transfers, cancel one's requests", "sc_manager, inventory_manager", false},
    {"inventory:transfer", "create, dispatch, receive and cancel stock transfers", "inventory_manager", false},
    {"inventory:update", "update parts and a store's stock settings", "inventory_manager", false},
    {"invoices:cancel", "issue a credit note for a finalized invoice", "sc_manager", false},
    {"invoices:create", "create an invoice, from a job card, a counter order or manual", "sc_manager, service_advisor, inventory_manager", false},
    {"invoices:finalize", "finalize a draft invoice (numbers it, moves its parts)", "sc_manager, inventory_manager", false},
    {"invoices:read", "read and list invoices, the overdue query, the invoice PDF", "sc_manager, service_advisor, inventory_manager", false},
    {"invoices:send", "e-mail an invoice or credit note PDF to its customer", "sc_manager, service_advisor", false},
    {"invoices:update", "update or drop a draft invoice", "sc_manager, service_advisor", false},
    {"job_cards:assign", "assign or reassign the engineer of a job card", "sc_manager", false},
    {"job_cards:cancel", "cancel a job card", "sc_manager", false},
    {"job_cards:create", "open a job card", "sc_manager, service_advisor", false},
    {"job_cards:read", "read and list job cards (without job_cards:view_all: only those assigned to you)", "sc_manager, service_engineer, service_advisor", false},
    {"job_cards:update", "work a job card: status, lines, pre-inspection, parts, additional services", "sc_manager, service_engineer", false},
    {"job_cards:view_all", "see and work on every job card of one's centers, not only those assigned to you", "sc_manager, service_advisor", false},
    {"job_cards:waive_payment", "deliver a vehicle whose invoice is unpaid, with a reason", "sc_manager", false},
    {"job_cards:work", "be assigned job cards as their engineer (granted by name: wildcards do not make a role assignable)", "service_engineer", false},
    {"jobs:read", "read and list the scheduled jobs and their runs", "", false},
    {"jobs:run", "run the due scheduled jobs now (jobs.RunDue, with an as-of time)", "", false},
    {"jobs:update", "change a scheduled job's schedule, configuration, time zone or enabled flag", "", false},
    {"leads:create", "create a lead", "sc_manager, service_advisor, call_center", false},
    {"leads:read", "read and list leads, due follow-ups", "sc_manager, service_advisor, call_center", false},
    {"leads:update", "update, add notes to, contact, qualify and lose a lead", "sc_manager, service_advisor", false},
    {"messages:deliver", "deliver one batch of queued e-mail and SMS now (messages.DeliverBatch)", "", false},
    {"messages:read", "list outbound e-mail and SMS with their delivery status (never their bodies)", "", false},
    {"messages:retry", "queue a dead-lettered message for delivery again", "", false},
    {"notification_templates:read", "list the message templates of notifications", "", false},
    {"notification_templates:update", "edit a message template of notifications (strictly checked placeholders)", "", false},
    {"notifications:read", "list and read one's own notifications, their unread count and one's preferences", "sc_manager, service_engineer, service_advisor, call_center, inventory_manager, central_inventory_manager", false},
    {"notifications:update", "mark one's own notifications read, delete them, set one's preferences", "sc_manager, service_engineer, service_advisor, call_center, inventory_manager, central_inventory_manager", false},
    {"parts_issues:approve", "approve a parts issue from the central warehouse", "", false},
    {"parts_issues:cancel", "cancel a parts issue", "central_inventory_manager", false},
    {"parts_issues:create", "request a parts issue from the central warehouse", "central_inventory_manager", false},
    {"parts_issues:dispatch", "dispatch an approved parts issue", "central_inventory_manager", false},
    {"parts_issues:read", "read and list parts issues", "central_inventory_manager", false},
    {"parts_issues:receive", "receive a dispatched parts issue at the store", "inventory_manager, central_inventory_manager", false},
    {"parts_requests:approve", "issue or reject a job card's parts request, take back unused parts", "inventory_manager", false},
    {"parts_requests:create", "request parts for a job card", "service_engineer", false},
    {"parts_requests:read", "read and list parts requests", "service_engineer, inventory_manager", false},
    {"payments:create", "record a payment against a finalized invoice", "sc_manager, service_advisor, inventory_manager", false},
    {"payments:read", "read payments (reserved: payments are read with their invoice today)", "sc_manager, service_advisor, inventory_manager", true},
    {"purchase_orders:approve", "approve a purchase order", "", false},
    {"purchase_orders:cancel", "cancel a purchase order", "central_inventory_manager", false},
    {"purchase_orders:create", "create a purchase order", "central_inventory_manager", false},
    {"purchase_orders:order", "mark an approved purchase order as ordered", "central_inventory_manager", false},
    {"purchase_orders:read", "read and list purchase orders (and suppliers)", "central_inventory_manager", false},
    {"purchase_orders:receive", "receive a purchase order's goods", "central_inventory_manager", false},
    {"purchase_orders:submit", "submit a purchase order for approval", "central_inventory_manager", false},
    {"purchase_orders:update", "update a draft purchase order", "central_inventory_manager", false},
    {"purchase_requests:convert", "convert open purchase requests into a purchase order (also purchase_orders:create)", "central_inventory_manager", false},
    {"purchase_requests:read", "read and list purchase requests (confined users: their store's)", "inventory_manager, central_inventory_manager", false},
    {"purchase_requests:reject", "reject open purchase requests with a reason", "central_inventory_manager", false},
    {"quotations:approve", "approve a draft quotation", "sc_manager, service_advisor", false},
    {"quotations:create", "create a quotation for a lead or a customer", "sc_manager, service_advisor", false},
    {"quotations:read", "read and list quotations", "sc_manager, service_advisor", false},
    {"quotations:update", "update a draft, send, accept, reject and expire quotations", "sc_manager, service_advisor", false},
    {"reports:export", "export a report to CSV, XLSX or PDF, fetch generated files", "sc_manager", false},
    {"reports:financial", "run financial reports (revenue, payments, outstanding, margin) and see revenue on dashboards", "sc_manager", false},
    {"reports:generate", "generate the monthly compiled report", "sc_manager", false},
    {"reports:read", "list and run service, sales and inventory reports and custom reports", "sc_manager, inventory_manager, central_inventory_manager", false},
    {"roles:read", "list roles and their permissions", "", false},
    {"roles:update", "change a role's permissions (only with permissions one holds)", "", false},
    {"service_centers:create", "create a service center", "", false},
    {"service_centers:read", "read and list service centers (confined users: their own)", "", false},
    {"service_centers:update", "update a service center", "", false},
    {"service_requests:approve", "approve or reject a service request", "sc_manager", false},
    {"service_requests:create", "create a service request", "sc_manager, service_advisor, call_center", false},
    {"service_requests:read", "read and list service requests", "sc_manager, service_advisor, call_center", false},
    {"service_requests:update", "schedule, start, complete or cancel a service request", "sc_manager, service_advisor", false},
    {"stock_transfers:approve", "approve any stock transfer", "", false},
    {"stock_transfers:approve_outgoing", "approve or reject a stock transfer out of one's own center's store", "sc_manager", false},
    {"stock_transfers:cancel", "cancel a stock transfer (also inventory:request or inventory:transfer)", "", false},
    {"stock_transfers:create", "request a stock transfer (also inventory:request or inventory:transfer)", "", false},
    {"stock_transfers:dispatch", "dispatch an approved stock transfer (also inventory:transfer)", "", false},
    {"stock_transfers:read", "read and list stock transfers (also inventory:read)", "", false},
    {"stock_transfers:receive", "receive a dispatched stock transfer (also inventory:transfer)", "", false},
    {"suppliers:create", "create a supplier (also central_inventory:create)", "", false},
    {"suppliers:read", "read and list suppliers (also central_inventory:read, purchase_orders:read)", "", false},
    {"suppliers:update", "update a supplier (also central_inventory:update)", "", false},
    {"tenancy:all_service_centers", "see and act on every service center's records; without it a user is confined to their own center", "central_inventory_manager", false},
    {"users:create", "create users (only of roles whose permissions one holds)", "", false},
    {"users:read", "read and list users", "", false},
    {"users:update", "update, activate and deactivate users", "", false},
    {"vehicles:create", "register a customer's vehicle", "sc_manager, service_advisor", false},
    {"vehicles:read", "read and list vehicles, their service history and components", "sc_manager, service_advisor", false},
    {"vehicles:update", "update a vehicle and its components", "sc_manager, service_advisor", false},
};
// clang-format on

}  // namespace

const PermissionInfo* all_permissions(std::size_t* count) noexcept {
  if (count != nullptr) *count = std::size(kPermissions);
  return kPermissions;
}

const PermissionInfo* find_permission(std::string_view name) noexcept {
  auto it = std::lower_bound(
      std::begin(kPermissions), std::end(kPermissions), name,
      [](const PermissionInfo& info, std::string_view n) { return info.name < n; });
  if (it != std::end(kPermissions) && it->name == name) return it;
  return nullptr;
}

bool grant_is_known(std::string_view grant) noexcept {
  if (grant == "*") return true;
  if (grant.size() > 2 && grant.substr(grant.size() - 2) == ":*") {
    const std::string_view resource = grant.substr(0, grant.size() - 1);  // keeps the ':'
    return std::any_of(std::begin(kPermissions), std::end(kPermissions),
                       [&](const PermissionInfo& info) {
                         return std::string_view(info.name).substr(0, resource.size()) == resource;
                       });
  }
  return find_permission(grant) != nullptr;
}

std::string permission_table_markdown() {
  std::string out = "| permission | allows | default holders (admin holds `*`) |\n|---|---|---|\n";
  for (const PermissionInfo& info : kPermissions) {
    out += "| `" + std::string(info.name) + "` | " + info.allows;
    if (info.reserved) out += " *(no method checks it yet)*";
    out += " | " + std::string(*info.default_holders ? info.default_holders : "-") + " |\n";
  }
  return out;
}

}  // namespace dms::service
