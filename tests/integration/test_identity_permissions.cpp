// The role x permission table of seed 002 ("Role-Based Access Control"), on both engines: the
// installed data equals the seed's matrix, each role's context allows exactly what the matrix
// allows (FORBIDDEN otherwise), the identity services enforce it, and the matrix is data an
// admin can change.
#include <catch2/catch.hpp>
#include <map>
#include <set>

#include "identity_fixture.hpp"

using dms::ErrorCode;
using dms::Json;
using dms::test::IdentityFixture;

namespace {

// Seed 002, copied independently of the migration that installs it.
const std::map<std::string, std::set<std::string>> kSeedMatrix = {
    {"admin", {"*"}},
    {"sc_manager",
     {"job_cards:*", "customers:*", "vehicles:*", "appointments:*", "inventory:read",
      "inventory:request", "reports:read"}},
    {"service_engineer",
     {"job_cards:read", "job_cards:update", "parts_requests:create", "parts_requests:read"}},
    {"service_advisor",
     {"customers:*", "vehicles:*", "appointments:*", "quotations:*", "job_cards:create",
      "job_cards:read"}},
    {"call_center",
     {"customers:create", "customers:read", "appointments:create", "appointments:read"}},
    {"inventory_manager",
     {"inventory:*", "parts_requests:read", "parts_requests:approve", "parts_issues:receive"}},
    {"central_inventory_manager", {"central_inventory:*", "purchase_orders:*", "parts_issues:*"}},
};

// The documented additions: managers read their center's audit log (docs/security.md), and the
// resources the seed's matrix does not name, service requests, invoices and payments
// (docs/decisions/0006-workshop-and-billing.md, migration 390), and sales' defaults.
std::map<std::string, std::set<std::string>> expected_matrix() {
  auto matrix = kSeedMatrix;
  matrix["sc_manager"].insert(
      {"audit_logs:read", "service_requests:*", "invoices:*", "payments:*"});
  matrix["service_advisor"].insert({"service_requests:create", "service_requests:read",
                                    "service_requests:update", "invoices:create", "invoices:read",
                                    "invoices:update", "payments:create", "payments:read"});
  matrix["call_center"].insert({"service_requests:create", "service_requests:read"});
  // Migration 102: guards are permissions, not role names (docs/security.md). Admins alone
  // approve purchase orders and parts issues, as seed 002's workflows 1 and 2 say, so the central
  // inventory manager holds every other action of those resources.
  matrix["sc_manager"].insert("stock_transfers:approve_outgoing");
  matrix["service_engineer"].insert("job_cards:work");
  matrix["service_advisor"].insert("job_cards:view_all");
  matrix["central_inventory_manager"] = {
      "central_inventory:*",     "tenancy:all_service_centers", "purchase_orders:cancel",
      "purchase_orders:create",  "purchase_orders:order",       "purchase_orders:read",
      "purchase_orders:receive", "purchase_orders:submit",      "purchase_orders:update",
      "parts_issues:cancel",     "parts_issues:create",         "parts_issues:dispatch",
      "parts_issues:read",       "parts_issues:receive"};
  // Sales (issue 12, migration 402; docs/security.md).
  matrix["sc_manager"].insert({"leads:*", "quotations:*", "counter_orders:*"});
  matrix["service_advisor"].insert({"leads:*"});
  matrix["call_center"].insert({"leads:create", "leads:read"});
  // Reports and dashboards (issue 14, migration 471; docs/reports.md).
  matrix["sc_manager"].insert({"reports:financial", "dashboards:read"});
  matrix["service_advisor"].insert("dashboards:read");
  matrix["service_engineer"].insert("dashboards:read");
  matrix["inventory_manager"].insert({"reports:read", "dashboards:read"});
  matrix["central_inventory_manager"].insert({"reports:read", "dashboards:read"});
  // Exports (issue 14, migration 482; docs/exports.md).
  matrix["sc_manager"].insert({"reports:export", "reports:generate"});
  matrix["service_advisor"].insert("invoices:send");
  matrix["inventory_manager"].insert({"counter_orders:*", "invoices:create", "invoices:read",
                                      "invoices:finalize", "payments:create", "payments:read"});
  // Notifications (issue 13, migration 422): everyone reads and manages their own.
  for (auto& [role, grants] : matrix) {
    if (role != "admin") grants.insert({"notifications:read", "notifications:update"});
  }
  // Purchase requests (issue 13, migration 453; docs/jobs.md).
  matrix["central_inventory_manager"].insert(
      {"purchase_requests:read", "purchase_requests:convert", "purchase_requests:reject"});
  matrix["inventory_manager"].insert("purchase_requests:read");
  return matrix;
}

const char* const kResources[] = {
    "job_cards",    "customers",      "vehicles",        "appointments",      "inventory",
    "reports",      "parts_requests", "quotations",      "central_inventory", "purchase_orders",
    "parts_issues", "users",          "service_centers", "audit_logs",        "roles"};
const char* const kActions[] = {"create",  "read",    "update",  "delete",
                                "approve", "request", "receive", "verify"};

// An independent reading of the wildcard rule: "*", "resource:*", or the exact permission.
bool matrix_allows(const std::set<std::string>& grants, const std::string& permission) {
  const std::string resource = permission.substr(0, permission.find(':'));
  return grants.count("*") || grants.count(resource + ":*") || grants.count(permission);
}

bool sees_all(const std::string& role) {
  return role == "admin" || role == "central_inventory_manager";
}

}  // namespace

TEST_CASE("identity: the role x permission matrix of seed 002") {
  IdentityFixture f(GENERATE(dms::test::engines()));
  INFO("engine: " << f.database.engine_name());
  const auto matrix = expected_matrix();
  const std::string center = f.create_center("SC001");
  const std::string other_center = f.create_center("SC002");

  // The installed data is the matrix.
  const Json roles = f.call(f.system, "roles.List")["data"];
  std::map<std::string, std::set<std::string>> installed;
  for (const Json& role : roles) {
    installed[role["name"]] = role["permissions"].get<std::set<std::string>>();
  }
  CHECK(installed == matrix);

  int phone = 0;
  for (const auto& [role, grants] : matrix) {
    INFO("role " << role);
    const auto user_center = sees_all(role) ? std::nullopt : std::optional<std::string>(center);
    const Json user = f.create_user(role, user_center, role + "@dealer.in",
                                    "+9198000001" + std::to_string(10 + phone++));
    const dms::Context ctx = f.db->context_for_user(user["id"]);
    CHECK(ctx.role == role);
    CHECK(ctx.sees_all_service_centers() == sees_all(role));

    // Every resource:action of the table: allowed ones pass, the others are FORBIDDEN.
    for (const char* resource : kResources) {
      for (const char* action : kActions) {
        const std::string permission = std::string(resource) + ":" + action;
        INFO("permission " << permission);
        if (matrix_allows(grants, permission)) {
          CHECK_NOTHROW(ctx.require(permission));
        } else {
          CHECK_CODE(ctx.require(permission), ErrorCode::kForbidden);
        }
      }
    }

    // The identity services enforce the same table.
    const auto expect = [&](const std::string& permission, std::string_view method,
                            const Json& request) {
      INFO("method " << method);
      const ErrorCode code = dms::test::error_code_of([&] { f.call(ctx, method, request); });
      if (matrix_allows(grants, permission)) {
        CHECK(code == ErrorCode::kOk);
      } else {
        CHECK(code == ErrorCode::kForbidden);
      }
    };
    const std::string tag = std::to_string(phone);
    expect("service_centers:create", "serviceCenters.Create",
           {{"code", "NEW" + tag}, {"name", "New"}, {"address", {{"stateCode", "29"}}}});
    expect("service_centers:read", "serviceCenters.List", Json::object());
    expect("service_centers:read", "serviceCenters.Get", {{"id", center}});
    expect("service_centers:update", "serviceCenters.Update", {{"id", center}, {"name", "SC 1"}});
    expect("users:create", "users.Create",
           {{"email", "made" + tag + "@dealer.in"},
            {"phone", "+9197000000" + tag + "0"},
            {"firstName", "A"},
            {"lastName", "B"},
            {"role", "call_center"},
            {"serviceCenterId", center}});
    expect("users:read", "users.List", Json::object());
    expect("users:read", "users.Get", {{"id", user["id"]}});
    expect("users:update", "users.Update", {{"id", user["id"]}, {"lastName", "C"}});
    expect("audit_logs:read", "auditLogs.List", Json::object());
    expect("audit_logs:verify", "auditLogs.Verify", Json::object());
    expect("roles:read", "roles.List", Json::object());
    expect("roles:update", "roles.SetPermissions",
           {{"role", "call_center"}, {"permissions", Json::array({"customers:read"})}});
    // Re-install the seed row changed above, so later roles see the same data.
    f.call(f.system, "roles.SetPermissions",
           {{"role", "call_center"},
            {"permissions", Json(std::vector<std::string>(matrix.at("call_center").begin(),
                                                          matrix.at("call_center").end()))}});
  }
  (void)other_center;
}

TEST_CASE("identity: permissions are data an admin can change, never beyond their own") {
  IdentityFixture f(GENERATE(dms::test::engines()));
  INFO("engine: " << f.database.engine_name());
  const std::string center = f.create_center("SC001");
  const Json user = f.create_user("call_center", center, "cc@dealer.in", "+919800000020");
  CHECK_CODE(f.db->context_for_user(user["id"]).require("quotations:create"),
             ErrorCode::kForbidden);

  const Json role = f.call(f.system, "roles.SetPermissions",
                           {{"role", "call_center"},
                            {"permissions", {"customers:read", "quotations:*", "customers:read"}}});
  CHECK(role["permissions"] == Json::array({"customers:read", "quotations:*"}));
  const dms::Context ctx = f.db->context_for_user(user["id"]);
  CHECK_NOTHROW(ctx.require("quotations:create"));
  CHECK_CODE(ctx.require("customers:create"), ErrorCode::kForbidden);
  // A token-based context sees the change at once too (permissions are read per context).
  CHECK(
      f.count("SELECT COUNT(*) FROM audit_logs WHERE entity_type = 'role' AND action = 'UPDATE'") ==
      1);

  CHECK_CODE(
      f.call(f.system, "roles.SetPermissions", {{"role", "admin"}, {"permissions", {"x:y"}}}),
      ErrorCode::kAdminRoleFixed);
  CHECK_CODE(f.call(f.system, "roles.SetPermissions",
                    {{"role", "call_center"}, {"permissions", {"Bad Permission"}}}),
             ErrorCode::kValidation);
  CHECK_CODE(f.call(f.system, "roles.SetPermissions", {{"role", "nobody"}, {"permissions", {"*"}}}),
             ErrorCode::kNotFound);

  // A role holder given roles:update still cannot grant what they lack.
  f.call(f.system, "roles.SetPermissions",
         {{"role", "call_center"}, {"permissions", {"roles:update", "customers:read"}}});
  const dms::Context limited = f.db->context_for_user(user["id"]);
  CHECK_CODE(
      f.call(limited, "roles.SetPermissions", {{"role", "call_center"}, {"permissions", {"*"}}}),
      ErrorCode::kForbidden);
  CHECK_NOTHROW(f.call(limited, "roles.SetPermissions",
                       {{"role", "call_center"}, {"permissions", {"customers:read"}}}));
}
