// Issue 13's scenario on both engines: low stock -> the low-stock scan -> a purchase request ->
// converted into a purchase order -> submitted, approved, received -> parts.arrived for the
// engineer whose job card waits on the part; verify_stock and every audit chain checked after
// each step. Then rejection, duplicates on re-scan, mixed locations and bad input.
#include <catch2/catch.hpp>
#include <string>

#include "inventory/stock.hpp"
#include "workshop_fixture.hpp"

using namespace dms;
using dms::test::caught;

namespace {

class Purchasing : public test::WorkshopFixture {
 public:
  explicit Purchasing(storage::Engine engine) : WorkshopFixture(engine) {
    admin = db->context_for_user(
        create_user("admin", std::nullopt, "admin@dealer.example", "+919811111111")["id"]);
    central = db->context_for_user(create_user("central_inventory_manager", std::nullopt,
                                               "central@dealer.example", "+919822222222")["id"]);
    supplier_id =
        call(system, "suppliers.Create",
             {{"name", "Volt Parts"}, {"contactPerson", "R. Rao"}, {"stateCode", "27"}})["id"];
  }

  std::string part(const std::string& number, const std::string& stock) {
    const Json p = call(system, "inventory.CreatePart",
                        {{"partNumber", number},
                         {"name", "Part " + number},
                         {"hsnCode", "85076000"},
                         {"gstRate", "18"},
                         {"costPrice", "250.00"},
                         {"unitPrice", "400.00"},
                         {"unit", "piece"}});
    call(system, "inventory.AdjustStock",
         {{"partId", p["id"]},
          {"serviceCenterId", center_id},
          {"adjustmentType", "ADD"},
          {"quantity", stock},
          {"reason", "STOCK_RECEIVED"},
          {"unitCost", "250.00"}});
    return p["id"];
  }

  // verify_stock and every audit chain, after each step.
  void verify() {
    const auto check = db->impl().store->read(
        [&](storage::Transaction& tx) { return inventory::verify_stock(tx); });
    INFO(check.rule << ": " << check.message);
    REQUIRE(check.ok);
    REQUIRE(call(system, "auditLogs.Verify")["ok"] == true);
  }

  Json scan(const std::string& as_of) {
    // A new slot each time: the scan's schedule is daily, the test's steps minutes apart.
    exec("UPDATE jobs SET next_run = 0 WHERE name = 'low_stock_scan'");
    const Json r = call(system, "jobs.RunDue", {{"asOf", as_of}, {"name", "low_stock_scan"}});
    REQUIRE(r["runs"].size() == 1);
    REQUIRE(r["runs"][0]["result"] == "ok");
    return r["runs"][0]["summary"];
  }

  std::vector<Json> events_of(const std::string& type) {
    return db->impl().store->read([&](storage::Transaction& tx) {
      std::vector<Json> out;
      for (const auto& row :
           tx.query("SELECT payload FROM outbox_events WHERE type = ? ORDER BY id", {type})) {
        out.push_back(Json::parse(row.str("payload")));
      }
      return out;
    });
  }

  Context admin, central;
  std::string supplier_id;
};

}  // namespace

TEST_CASE("jobs: low stock to purchase request to receipt tells the waiting engineer") {
  Purchasing f(GENERATE(test::engines()));
  INFO("engine: " << f.database.engine_name());
  const std::string cells = f.part("CELL-1", "10");
  const std::string fuse = f.part("FUSE-2", "50");
  f.call(f.inventory_manager, "inventory.SetStockLevels",
         {{"partId", cells}, {"minStockLevel", "5"}, {"maxStockLevel", "20"}});
  f.call(f.inventory_manager, "inventory.SetStockLevels",
         {{"partId", fuse}, {"reorderPoint", "10"}});
  f.verify();

  // An engineer's job card waits on the cells (the store has 10, the engineer asks for 12).
  const Json jc = f.job_card_in("IN_PROGRESS");
  const Json pr =
      f.call(f.engineer, "jobCards.RequestParts",
             {{"id", jc["id"]}, {"parts", {{{"partId", cells}, {"requestedQty", 12}}}}});
  CHECK(pr["status"] == "PENDING");
  f.verify();

  // Nothing is low yet: the scan raises nothing.
  CHECK(f.scan("2025-06-02T09:05:00Z")["created"] == 0);

  // Stock goes low: 7 cells written off leaves 3 (min level 5).
  f.call(f.inventory_manager, "inventory.AdjustStock",
         {{"partId", cells},
          {"adjustmentType", "SUBTRACT"},
          {"quantity", "7"},
          {"reason", "STOCK_DAMAGED"}});
  f.verify();

  // The scan raises one purchase request: up to the max level, 20 - 3 = 17.
  Json summary = f.scan("2025-06-02T09:10:00Z");
  CHECK(summary["created"] == 1);
  const Json requests = f.call(f.central, "purchaseRequests.List", {{"status", "OPEN"}});
  REQUIRE(requests["data"].size() == 1);
  const Json request = requests["data"][0];
  CHECK(request["partId"] == cells);
  CHECK(request["suggestedQuantity"] == "17");
  CHECK(request["onHandAtScan"] == "3");
  CHECK(request["threshold"] == "5");
  CHECK(request["serviceCenterId"] == f.center_id);
  CHECK(request["requestNumber"] == "PR-2025-0001");
  CHECK(request["createdBy"] == "job:low_stock_scan");
  const auto created = f.events_of("purchase_request.created");
  REQUIRE(created.size() == 1);
  CHECK(created[0]["purchaseRequestId"] == request["id"]);
  CHECK(created[0]["partId"] == cells);
  CHECK(created[0]["locationId"] == request["locationId"]);
  CHECK(created[0]["suggestedQuantity"] == "17");
  f.verify();
  // The store's inventory manager sees it; a manager of another center does not.
  CHECK(f.call(f.inventory_manager, "purchaseRequests.Get", {{"id", request["id"]}})["id"] ==
        request["id"]);
  const Context other_inventory = f.user_context("inventory_manager", f.other_center_id);
  CHECK(caught([&] {
          f.call(other_inventory, "purchaseRequests.Get", {{"id", request["id"]}});
        }).code == ErrorCode::kNotFound);
  CHECK(f.call(other_inventory, "purchaseRequests.List")["data"].empty());
  // ... and may not decide it.
  CHECK(caught([&] {
          f.call(f.inventory_manager, "purchaseRequests.Convert",
                 {{"ids", {request["id"]}}, {"supplierId", f.supplier_id}});
        }).code == ErrorCode::kForbidden);

  // A re-scan adds no duplicate.
  summary = f.scan("2025-06-02T09:15:00Z");
  CHECK(summary["created"] == 0);
  CHECK(summary["alreadyOpen"] == 1);
  f.verify();

  // The central inventory manager converts it into a DRAFT purchase order at the store.
  const Json converted = f.call(f.central, "purchaseRequests.Convert",
                                {{"ids", {request["id"]}},
                                 {"supplierId", f.supplier_id},
                                 {"expectedDeliveryDate", "2025-06-09"}});
  const Json po = converted["purchaseOrder"];
  CHECK(po["status"] == "DRAFT");
  CHECK(po["locationId"] == request["locationId"]);
  REQUIRE(po["items"].size() == 1);
  CHECK(po["items"][0]["quantity"] == "17");
  CHECK(po["items"][0]["unitPrice"] == "250.00");
  CHECK(converted["data"][0]["status"] == "CONVERTED");
  CHECK(converted["data"][0]["purchaseOrderId"] == po["id"]);
  f.verify();
  // Converting again is refused by the flow table; nothing changes.
  const auto again = caught([&] {
    f.call(f.central, "purchaseRequests.Convert",
           {{"ids", {request["id"]}}, {"supplierId", f.supplier_id}});
  });
  CHECK(again.code == ErrorCode::kInvalidStatusTransition);
  CHECK(again.from == "CONVERTED");
  // While the order is open the part is on order: a scan raises nothing for it.
  summary = f.scan("2025-06-02T09:20:00Z");
  CHECK(summary["created"] == 0);
  CHECK(summary["alreadyOpen"] == 0);

  // Submit, approve, receive.
  f.call(f.central, "purchaseOrders.Submit", {{"id", po["id"]}});
  f.verify();
  f.call(f.admin, "purchaseOrders.Approve", {{"id", po["id"]}});
  f.verify();
  CHECK(f.events_of("parts.arrived").empty());
  const Json received =
      f.call(f.central, "purchaseOrders.Receive",
             {{"id", po["id"]},
              {"receivedItems", {{{"itemId", po["items"][0]["id"]}, {"receivedQty", "17"}}}}});
  CHECK(received["status"] == "COMPLETED");
  f.verify();

  // The receipt told the engineer whose job card waits on the cells, in the same transaction.
  const auto arrived = f.events_of("parts.arrived");
  REQUIRE(arrived.size() == 1);
  CHECK(arrived[0]["jobCardId"] == jc["id"]);
  CHECK(arrived[0]["partId"] == cells);
  CHECK(arrived[0]["serviceCenterId"] == f.center_id);
  CHECK(arrived[0]["engineerUserId"] == f.engineer_id);
  CHECK(arrived[0]["onHand"] == "20");
  // ... and the notification rules turned it into the engineer's in-app notification.
  const Json inbox =
      f.call(f.engineer, "notifications.List", {{"notificationType", "parts_arrived"}})["data"];
  REQUIRE(inbox.size() == 1);
  CHECK(inbox[0]["relatedEntityId"] == jc["id"]);
  CHECK(inbox[0]["isRead"] == false);
  // Now the store can issue the 12 cells the engineer asked for.
  CHECK(f.call(f.inventory_manager, "partsRequests.Approve", {{"id", pr["id"]}})["status"] ==
        "ISSUED");
  f.verify();
}

TEST_CASE("jobs: purchase requests are rejected with a reason, of one location, bad input coded") {
  Purchasing f(GENERATE(test::engines()));
  INFO("engine: " << f.database.engine_name());
  const std::string cells = f.part("CELL-1", "2");
  f.call(f.inventory_manager, "inventory.SetStockLevels",
         {{"partId", cells}, {"reorderPoint", "4"}});
  // The same part is low at the central warehouse (no stock, reorder point 1).
  f.call(f.central, "inventory.SetStockLevels", {{"partId", cells}, {"reorderPoint", "1"}});
  f.verify();
  const Json summary = f.scan("2025-06-02T09:05:00Z");
  CHECK(summary["created"] == 2);
  const Json all = f.call(f.central, "purchaseRequests.List", {{"sort", "locationCode"}});
  REQUIRE(all["data"].size() == 2);
  const Json central_request = all["data"][0];  // CENTRAL sorts before SC-SC001
  const Json store_request = all["data"][1];
  CHECK(central_request["locationCode"] == "CENTRAL");
  CHECK(central_request["serviceCenterId"].is_null());
  CHECK(central_request["suggestedQuantity"] == "2");  // up to twice the reorder point
  CHECK(store_request["suggestedQuantity"] == "6");    // 2 x 4 - 2

  // One order receives at one location.
  const auto mixed = caught([&] {
    f.call(f.central, "purchaseRequests.Convert",
           {{"ids", {central_request["id"], store_request["id"]}}, {"supplierId", f.supplier_id}});
  });
  CHECK(mixed.code == ErrorCode::kPurchaseRequestLocationsDiffer);
  CHECK(mixed.field == "ids");
  // Bad input names the field; nothing changes.
  CHECK(caught([&] {
          f.call(f.central, "purchaseRequests.Convert",
                 {{"ids", Json::array()}, {"supplierId", f.supplier_id}});
        }).code == ErrorCode::kValidation);
  CHECK(caught([&] {
          f.call(
              f.central, "purchaseRequests.Convert",
              {{"ids", {store_request["id"], store_request["id"]}}, {"supplierId", f.supplier_id}});
        }).field == "ids[1]");
  CHECK(caught([&] {
          f.call(f.central, "purchaseRequests.Convert",
                 {{"ids", {store_request["id"]}},
                  {"supplierId", f.supplier_id},
                  {"items", {{{"purchaseRequestId", store_request["id"]}, {"quantity", "0"}}}}});
        }).field == "items[0].quantity");
  CHECK(caught([&] {
          f.call(f.central, "purchaseRequests.Convert",
                 {{"ids", {store_request["id"]}}, {"supplierId", "no-such-supplier"}});
        }).code == ErrorCode::kNotFound);
  CHECK(caught([&] {
          f.call(f.central, "purchaseRequests.Reject", {{"ids", {"nope"}}, {"reason", "x"}});
        }).code == ErrorCode::kNotFound);
  CHECK(caught([&] {
          f.call(f.central, "purchaseRequests.Reject",
                 {{"ids", {store_request["id"]}}, {"reason", "   "}});
        }).code == ErrorCode::kValidation);
  CHECK(f.call(f.central, "purchaseRequests.List", {{"status", "OPEN"}})["data"].size() == 2);
  CHECK(f.count("SELECT COUNT(*) FROM inv_purchase_orders") == 0);

  // Rejected with a reason; the next scan may raise a new one.
  const Json rejected = f.call(f.central, "purchaseRequests.Reject",
                               {{"ids", {central_request["id"]}}, {"reason", "Supplied by SC"}});
  CHECK(rejected["data"][0]["status"] == "REJECTED");
  CHECK(rejected["data"][0]["rejectionReason"] == "Supplied by SC");
  f.verify();
  // Converted with an overridden quantity and price.
  const Json converted = f.call(f.central, "purchaseRequests.Convert",
                                {{"ids", {store_request["id"]}},
                                 {"supplierId", f.supplier_id},
                                 {"notes", "Top up"},
                                 {"items",
                                  {{{"purchaseRequestId", store_request["id"]},
                                    {"quantity", "10"},
                                    {"unitPrice", "240.00"}}}}});
  CHECK(converted["purchaseOrder"]["items"][0]["quantity"] == "10");
  CHECK(converted["purchaseOrder"]["items"][0]["unitPrice"] == "240.00");
  CHECK(converted["purchaseOrder"]["notes"] == "Top up");
  f.verify();
  const Json rescan = f.scan("2025-06-02T09:10:00Z");
  CHECK(rescan["created"] == 1);  // the central warehouse again; the store's is on order
}
