// Tenant isolation on both engines (and the lists that enforce it): a service-center user never
// sees another center's users, audit logs or service center in lists, and addressing them directly
// is NOT_FOUND (existence does not leak); admin sees everything.
#include <catch2/catch.hpp>
#include <set>

#include "identity_fixture.hpp"

using dms::ErrorCode;
using dms::Json;
using dms::test::IdentityFixture;

namespace {

std::set<std::string> centers_in(const Json& list, const char* field = "serviceCenterId") {
  std::set<std::string> centers;
  for (const Json& row : list["data"]) {
    centers.insert(row[field].is_null() ? std::string("(none)") : row[field].get<std::string>());
  }
  return centers;
}

}  // namespace

TEST_CASE("identity: service-center users are confined to their own center") {
  IdentityFixture f(GENERATE(dms::test::engines()));
  INFO("engine: " << f.database.engine_name());
  const std::string a = f.create_center("SCA");
  const std::string b = f.create_center("SCB", "29");
  f.create_user("admin", std::nullopt, "admin@dealer.in", "+919800000001");
  const Json manager_a = f.create_user("sc_manager", a, "ma@dealer.in", "+919800000002");
  const Json engineer_a = f.create_user("service_engineer", a, "ea@dealer.in", "+919800000003");
  const Json manager_b = f.create_user("sc_manager", b, "mb@dealer.in", "+919800000004");
  const Json engineer_b = f.create_user("service_engineer", b, "eb@dealer.in", "+919800000005");
  // Seed 002 gives user management to admin only; grant the managers some of it to see that
  // tenancy, not just the permission, confines them.
  f.call(f.system, "roles.SetPermissions",
         {{"role", "sc_manager"},
          {"permissions",
           {"customers:*", "appointments:*", "service_requests:*", "leads:*", "users:create",
            "users:read", "users:update", "service_centers:read", "audit_logs:read",
            "notifications:*"}}});
  const dms::Context ctx_a = f.sign_in(manager_a, "Manager-A-1");
  f.sign_in(manager_b, "Manager-B-1");
  f.call(f.system, "users.Update", {{"id", engineer_b["id"]}, {"lastName", "Changed"}});

  SECTION("users") {
    const Json list = f.call(ctx_a, "users.List", {{"limit", 100}});
    CHECK(centers_in(list) == std::set<std::string>{a});
    CHECK(list["pagination"]["total"] == 2);
    // Even when asking for the other center explicitly.
    CHECK(f.call(ctx_a, "users.List", {{"filter", {{"serviceCenterId", b}}}})["data"].empty());
    CHECK_CODE(f.call(ctx_a, "users.Get", {{"id", engineer_b["id"]}}), ErrorCode::kNotFound);
    CHECK_CODE(f.call(ctx_a, "users.Update", {{"id", engineer_b["id"]}, {"lastName", "X"}}),
               ErrorCode::kNotFound);
    CHECK_CODE(f.call(ctx_a, "users.Deactivate", {{"id", engineer_b["id"]}}), ErrorCode::kNotFound);
    CHECK_CODE(f.call(ctx_a, "users.Activate", {{"id", manager_b["id"]}}), ErrorCode::kNotFound);
    CHECK(f.call(ctx_a, "users.Get", {{"id", engineer_a["id"]}})["id"] == engineer_a["id"]);
    // Creating: in their own center only, never a cross-center role, never more than they hold.
    const Json call_center = {{"email", "cc@dealer.in"}, {"phone", "+919800000006"},
                              {"firstName", "C"},        {"lastName", "C"},
                              {"role", "call_center"},   {"serviceCenterId", b}};
    CHECK_CODE(f.call(ctx_a, "users.Create", call_center), ErrorCode::kNotFound);
    Json own = call_center;
    own["serviceCenterId"] = a;
    CHECK(f.call(ctx_a, "users.Create", own)["serviceCenterId"] == a);
    Json admin = own;
    admin.erase("serviceCenterId");
    admin["role"] = "admin";
    admin["email"] = "second-admin@dealer.in";
    admin["phone"] = "+919800000007";
    CHECK_CODE(f.call(ctx_a, "users.Create", admin), ErrorCode::kForbidden);
    Json engineer = own;
    engineer["role"] = "inventory_manager";  // inventory:* is more than the manager holds
    engineer["email"] = "im@dealer.in";
    engineer["phone"] = "+919800000008";
    CHECK_CODE(f.call(ctx_a, "users.Create", engineer), ErrorCode::kForbidden);
    // Moving their own user to another center does not work either.
    CHECK_CODE(f.call(ctx_a, "users.Update", {{"id", engineer_a["id"]}, {"serviceCenterId", b}}),
               ErrorCode::kNotFound);
  }

  SECTION("audit logs") {
    const Json list = f.call(ctx_a, "auditLogs.List", {{"limit", 100}});
    REQUIRE_FALSE(list["data"].empty());
    CHECK(centers_in(list) == std::set<std::string>{a});
    const Json all = f.call(f.system, "auditLogs.List", {{"limit", 100}});
    CHECK(centers_in(all).count(b) == 1);
    CHECK(centers_in(all).count("(none)") == 1);
    for (const Json& row : all["data"]) {
      if (row["serviceCenterId"] == a) {
        CHECK(f.call(ctx_a, "auditLogs.Get", {{"id", row["id"]}})["id"] == row["id"]);
      } else {
        CHECK_CODE(f.call(ctx_a, "auditLogs.Get", {{"id", row["id"]}}), ErrorCode::kNotFound);
      }
    }
    CHECK(f.call(ctx_a, "auditLogs.List", {{"filter", {{"serviceCenterId", b}}}})["data"].empty());
  }

  SECTION("service centers") {
    const Json list = f.call(ctx_a, "serviceCenters.List");
    REQUIRE(list["data"].size() == 1);
    CHECK(list["data"][0]["id"] == a);
    CHECK_CODE(f.call(ctx_a, "serviceCenters.Get", {{"id", b}}), ErrorCode::kNotFound);
    CHECK(f.call(f.system, "serviceCenters.List")["data"].size() == 2);
  }

  SECTION("admin and central inventory manager see every center") {
    const Json central = f.create_user("central_inventory_manager", std::nullopt,
                                       "central@dealer.in", "+919800000009");
    f.call(f.system, "roles.SetPermissions",
           {{"role", "central_inventory_manager"},
            {"permissions",
             {"central_inventory:*", "purchase_orders:*", "parts_issues:*", "users:read",
              "tenancy:all_service_centers"}}});
    const dms::Context central_ctx = f.db->context_for_user(central["id"]);
    CHECK(centers_in(f.call(central_ctx, "users.List", {{"limit", 100}})).size() == 3);
    CHECK(f.call(central_ctx, "users.Get", {{"id", engineer_b["id"]}})["id"] == engineer_b["id"]);
  }
}

TEST_CASE("identity: user and service center lists filter, search, page and expand") {
  IdentityFixture f(GENERATE(dms::test::engines()));
  INFO("engine: " << f.database.engine_name());
  const std::string a = f.create_center("SCA");
  const std::string b = f.create_center("SCB", "29");
  for (int i = 0; i < 5; ++i) {
    f.create_user(i % 2 ? "service_engineer" : "service_advisor", i < 3 ? a : b,
                  "u" + std::to_string(i) + "@dealer.in", "+91980000030" + std::to_string(i));
  }
  const Json page = f.call(f.system, "users.List", {{"limit", 2}, {"page", 2}, {"sort", "email"}});
  CHECK(page["pagination"]["total"] == 5);
  CHECK(page["pagination"]["totalPages"] == 3);
  REQUIRE(page["data"].size() == 2);
  CHECK(page["data"][0]["email"] == "u2@dealer.in");
  CHECK_FALSE(page["data"][0].contains("passwordHash"));
  CHECK(page["data"][0] == f.call(f.system, "users.Get", {{"id", page["data"][0]["id"]}}));

  CHECK(
      f.call(f.system, "users.List", {{"filter", {{"role", "service_engineer"}}}})["data"].size() ==
      2);
  CHECK(f.call(f.system, "users.List", {{"search", "U4@DEALER"}})["data"].size() == 1);
  const Json expanded = f.call(f.system, "users.List",
                               {{"filter", {{"serviceCenterId", b}}}, {"expand", "serviceCenter"}});
  REQUIRE(expanded["data"].size() == 2);
  CHECK(expanded["data"][0]["serviceCenter"]["code"] == "SCB");
  CHECK(expanded["data"][0]["serviceCenter"]["address"]["stateCode"] == "29");
  CHECK_CODE(f.call(f.system, "users.List", {{"filter", {{"passwordHash", "x"}}}}),
             ErrorCode::kValidation);

  const Json centers = f.call(f.system, "serviceCenters.List", {{"filter", {{"stateCode", "29"}}}});
  REQUIRE(centers["data"].size() == 1);
  CHECK(centers["data"][0] == f.call(f.system, "serviceCenters.Get", {{"id", b}}));
  CHECK(centers["data"][0]["address"]["state"] == "Karnataka");
}
