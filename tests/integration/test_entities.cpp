// One description per entity (src/service/entity.hpp): for every entity with both a Get and a
// List, Get(id) equals the matching List row (same fields, same values); every list takes a plain
// parameter (?status=PENDING) exactly as filter[status]; every list is confined to the actor's
// center for a confined user. Driven from one table of entities, on both engines.
#include <catch2/catch.hpp>
#include <functional>
#include <string>
#include <vector>

#include "engines.hpp"
#include "workshop_fixture.hpp"

namespace dms {
namespace {

class EntityWorld : public test::WorkshopFixture {
 public:
  explicit EntityWorld(storage::Engine engine) : WorkshopFixture(engine) {
    const Json p = call(system, "inventory.CreatePart",
                        {{"partNumber", "BP-100"},
                         {"name", "Brake pad set"},
                         {"hsnCode", "87083000"},
                         {"gstRate", "28"},
                         {"costPrice", "100.00"},
                         {"unitPrice", "1000.00"},
                         {"unit", "piece"}});
    part_id = p["id"];
    call(system, "inventory.AdjustStock",  // the central warehouse's
         {{"partId", part_id},
          {"adjustmentType", "ADD"},
          {"quantity", "50"},
          {"reason", "STOCK_RECEIVED"},
          {"unitCost", "100.00"}});
    for (const std::string& center : {center_id, other_center_id}) {
      call(system, "inventory.AdjustStock",
           {{"partId", part_id},
            {"serviceCenterId", center},
            {"adjustmentType", "ADD"},
            {"quantity", "20"},
            {"reason", "STOCK_RECEIVED"},
            {"unitCost", "100.00"}});
    }
  }
  std::string part_id;
};

// One entity: how to make a record of it and how to read it.
struct Entity {
  const char* get;
  const char* list;
  std::function<Json(EntityWorld&)> make;  // returns the created record (with "id")
  const char* filter_field;                // a filterable field for the plain-parameter check
  Json list_extra = Json::object();        // parameters the list needs (expand of the detail)
  bool confined = true;                    // a confined user sees only their center's
};

std::vector<Entity> entities() {
  return {
      {"customers.Get", "customers.List", [](EntityWorld& w) { return w.customer(); },
       "customerType", Json::object(), false},
      {"vehicles.Get", "vehicles.List",
       [](EntityWorld& w) { return w.vehicle(w.customer()["id"]); }, "vehicleMake", Json::object(),
       false},
      {"jobCards.Get", "jobCards.List", [](EntityWorld& w) { return w.job_card_in("INVOICED"); },
       "status", Json{{"expand", "services,parts"}}},
      {"invoices.Get", "invoices.List",
       [](EntityWorld& w) {
         const Json jc = w.job_card_in("COMPLETED");
         return w.call(w.manager, "invoices.CreateFromJobCard", {{"jobCardId", jc["id"]}});
       },
       "status", Json{{"expand", "items,taxSummary,payments"}}},
      {"appointments.Get", "appointments.List",
       [](EntityWorld& w) {
         const Json c = w.customer();
         const Json v = w.vehicle(c["id"]);
         return w.call(w.call_center, "appointments.Create",
                       {{"customerId", c["id"]},
                        {"vehicleId", v["id"]},
                        {"scheduledAt", "2025-06-04T05:00:00Z"},
                        {"serviceType", "Regular Service"}});
       },
       "status"},
      {"serviceRequests.Get", "serviceRequests.List",
       [](EntityWorld& w) {
         const Json c = w.customer();
         const Json v = w.vehicle(c["id"]);
         return w.call(w.call_center, "serviceRequests.Create",
                       {{"customerId", c["id"]},
                        {"vehicleId", v["id"]},
                        {"requestType", "service"},
                        {"serviceType", "regular"}});
       },
       "status"},
      {"partsRequests.Get", "partsRequests.List",
       [](EntityWorld& w) {
         const Json jc = w.job_card_in("IN_PROGRESS");
         return w.call(
             w.engineer, "jobCards.RequestParts",
             {{"id", jc["id"]}, {"parts", {{{"partId", w.part_id}, {"requestedQty", "2"}}}}});
       },
       "status", Json{{"expand", "lines"}}},
      {"suppliers.Get", "suppliers.List",
       [](EntityWorld& w) {
         return w.call(
             w.system, "suppliers.Create",
             {{"name", "ABC Parts"}, {"stateCode", "27"}, {"address", {{"city", "Pune"}}}});
       },
       "isActive", Json::object(), false},
      {"purchaseOrders.Get", "purchaseOrders.List",
       [](EntityWorld& w) {
         const Json s = w.call(w.system, "suppliers.Create", {{"name", "PO Supplier"}});
         return w.call(
             w.system, "purchaseOrders.Create",
             {{"supplierId", s["id"]},
              {"items", {{{"partId", w.part_id}, {"quantity", "3"}, {"unitPrice", "90.00"}}}}});
       },
       "status", Json{{"expand", "supplier,items,receipts,receipts.items"}}, false},
      {"purchaseRequests.Get", "purchaseRequests.List",
       [](EntityWorld& w) {
         // The low-stock scan raises it: 20 in SC001's store, reorder point 30.
         w.call(w.system, "inventory.SetStockLevels",
                {{"partId", w.part_id}, {"serviceCenterId", w.center_id}, {"reorderPoint", "30"}});
         w.exec("UPDATE jobs SET next_run = 0 WHERE name = 'low_stock_scan'");
         w.call(w.system, "jobs.RunDue", {{"name", "low_stock_scan"}});
         return w.call(w.system, "purchaseRequests.List",
                       {{"status", "OPEN"}, {"serviceCenterId", w.center_id}})["data"][0];
       },
       "status"},
      {"partsIssues.Get", "partsIssues.List",
       [](EntityWorld& w) {
         return w.call(w.manager, "partsIssues.Create",
                       {{"toServiceCenterId", w.center_id},
                        {"items", {{{"partId", w.part_id}, {"requestedQty", "1"}}}}});
       },
       "status", Json{{"expand", "items"}}},
      {"stockTransfers.Get", "stockTransfers.List",
       [](EntityWorld& w) {
         // Raised at (or for) the giving center: docs/security.md.
         return w.call(w.system, "stockTransfers.Create",
                       {{"fromServiceCenterId", w.other_center_id},
                        {"toServiceCenterId", w.center_id},
                        {"items", {{{"partId", w.part_id}, {"requestedQty", "1"}}}}});
       },
       "status", Json{{"expand", "items"}}},
      {"users.Get", "users.List",
       [](EntityWorld& w) {
         return w.call(w.system, "users.Get", {{"id", w.advisor.user_id}});
       },
       "role"},
      {"serviceCenters.Get", "serviceCenters.List",
       [](EntityWorld& w) {
         return w.call(w.system, "serviceCenters.Get", {{"id", w.center_id}});
       },
       "isActive"},
      {"auditLogs.Get", "auditLogs.List",
       [](EntityWorld& w) {
         w.customer();
         return w.call(w.system, "auditLogs.List", {{"limit", 1}})["data"][0];
       },
       "action", Json::object(), false},
  };
}

Json list_row(EntityWorld& w, const Entity& e, const Context& who, const std::string& id) {
  Json request = e.list_extra;
  request["filter"] = {{"id", id}};
  const Json page = w.call(who, e.list, request);
  REQUIRE(page["data"].size() == 1);
  return page["data"][0];
}

}  // namespace

TEST_CASE("entities: Get equals the List row of every entity") {
  EntityWorld w(GENERATE(test::engines()));
  INFO("engine: " << storage::engine_name(w.database.engine()));
  for (const Entity& e : entities()) {
    INFO(e.get << " / " << e.list);
    const Json made = e.make(w);
    const std::string id = made["id"];
    const Json got = w.call(w.system, e.get, {{"id", id}});
    const Json row = list_row(w, e, w.system, id);
    CHECK(got == row);
    for (const auto& [key, value] : got.items()) {
      INFO("field " << key);
      CHECK(row.contains(key));
    }
  }
}

TEST_CASE("entities: a plain list parameter filters exactly like filter[...]") {
  EntityWorld w(GENERATE(test::engines()));
  INFO("engine: " << storage::engine_name(w.database.engine()));
  for (const Entity& e : entities()) {
    INFO(e.list << " ?" << e.filter_field);
    const Json made = e.make(w);
    const Json value = w.call(w.system, e.get, {{"id", made["id"]}})[e.filter_field];
    const Json plain = w.call(w.system, e.list, {{e.filter_field, value}, {"limit", 100}});
    const Json filtered =
        w.call(w.system, e.list, {{"filter", {{e.filter_field, value}}}, {"limit", 100}});
    CHECK(plain == filtered);
    CHECK(plain["pagination"]["total"].get<int64_t>() >= 1);
    for (const Json& row : plain["data"]) CHECK(row[e.filter_field] == value);
  }
  // Seed 002 workflow 3: GET /api/parts-requests?status=PENDING.
  const Json jc = w.job_card_in("IN_PROGRESS");
  const Json pending =
      w.call(w.engineer, "jobCards.RequestParts",
             {{"id", jc["id"]}, {"parts", {{{"partId", w.part_id}, {"requestedQty", "1"}}}}});
  w.call(w.inventory_manager, "partsRequests.Reject", {{"id", pending["id"]}, {"reason", "no"}});
  const Json page = w.call(w.inventory_manager, "partsRequests.List", {{"status", "PENDING"}});
  CHECK(page["pagination"]["total"] == 1);  // the loop's request; this one was rejected
  for (const Json& row : page["data"]) CHECK(row["status"] == "PENDING");
  w.job_card_in("IN_PROGRESS");
  const Json in_progress = w.call(w.manager, "jobCards.List", {{"status", "IN_PROGRESS"}});
  CHECK(in_progress["pagination"]["total"].get<int64_t>() >= 1);
  for (const Json& row : in_progress["data"]) CHECK(row["status"] == "IN_PROGRESS");
}

TEST_CASE("entities: every list is confined to a confined user's center") {
  EntityWorld w(GENERATE(test::engines()));
  INFO("engine: " << storage::engine_name(w.database.engine()));
  for (const Entity& e : entities()) {
    INFO(e.list);
    e.make(w);
    const Json all = w.call(w.system, e.list, {{"limit", 100}});
    Json mine;
    try {
      mine = w.call(w.other_manager, e.list, {{"limit", 100}});
    } catch (const Error& error) {
      CHECK(error.code() == ErrorCode::kForbidden);  // not even their own: nothing leaks
      continue;
    }
    if (!e.confined) continue;
    for (const Json& row : mine["data"]) {
      bool own = false;
      for (const char* key : {"serviceCenterId", "toServiceCenterId", "fromServiceCenterId"}) {
        if (row.contains(key) && row[key] == w.other_center_id) own = true;
      }
      if (std::string(e.list) == "serviceCenters.List") own = row["id"] == w.other_center_id;
      CHECK(own);
    }
    // A stock transfer from SC002 is SC002's too; every other record made is SC001's.
    if (std::string(e.list) == "stockTransfers.List") continue;
    CHECK(mine["pagination"]["total"].get<int64_t>() < all["pagination"]["total"].get<int64_t>());
  }
}

}  // namespace dms

namespace dms {

// Issue 11 item 10: low stock is judged on available stock (on_hand - allocated), not on_hand.
TEST_CASE("inventory: LowStock compares available stock") {
  EntityWorld w(GENERATE(test::engines()));
  INFO("engine: " << storage::engine_name(w.database.engine()));
  w.call(w.inventory_manager, "inventory.SetStockLevels",
         {{"partId", w.part_id}, {"minStockLevel", 10}, {"reorderPoint", 12}});
  CHECK(w.call(w.inventory_manager, "inventory.LowStock")["data"]
            .empty());  // 20 on hand, 20 available
  w.call(w.inventory_manager, "inventory.Allocate",
         {{"partId", w.part_id}, {"quantity", 15}, {"referenceType", "JOB_CARD"}});
  const Json list = w.call(w.inventory_manager, "inventory.LowStock");
  REQUIRE(list["data"].size() == 1);
  CHECK(list["data"][0]["stockQuantity"] == "20");
  CHECK(list["data"][0]["available"] == "5");
  CHECK(list["data"][0]["deficit"] == "7");  // to the reorder point 12
  const Json parts = w.call(w.inventory_manager, "inventory.ListParts", {{"lowStock", true}});
  REQUIRE(parts["data"].size() == 1);
  CHECK(parts["data"][0]["available"] == "5");
}

}  // namespace dms

namespace dms {
namespace {

// inventory.ListParts lists part stock (one row per part and location, seed 002 GET /inventory),
// a different entity from the catalog part of inventory.GetPart; what the two share, the catalog
// fields, must still agree: each ListParts row's part fields equal GetPart's.
TEST_CASE("entities: the catalog fields of every ListParts row equal inventory.GetPart") {
  EntityWorld w(GENERATE(test::engines()));
  INFO("engine: " << storage::engine_name(w.database.engine()));
  w.call(w.system, "inventory.UpdatePart", {{"id", w.part_id}, {"mrp", "1180.00"}});
  const Json part = w.call(w.system, "inventory.GetPart", {{"id", w.part_id}});
  const Json rows = w.call(w.system, "inventory.ListParts", Json::object())["data"];
  REQUIRE_FALSE(rows.empty());
  const char* shared[] = {"partNumber", "partCode",   "partName", "description", "categoryId",
                          "category",   "unit",       "hsnCode",  "gstRate",     "costPrice",
                          "unitPrice",  "supplierId", "isActive", "mrp"};
  for (const Json& row : rows) {
    CHECK(row["partId"] == part["id"]);
    for (const char* field : shared) {
      INFO("field " << field);
      CHECK(row.value(field, Json()) == part.value(field, Json()));
    }
  }
}

}  // namespace
}  // namespace dms
