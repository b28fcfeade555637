// The catalog and the stock operations on both engines: parts and categories, adjust (seed 002
// section 7.1), allocate and release, levels, low stock and its event, value, movements,
// suppliers, permissions, and verify_stock() catching each kind of corruption precisely.
#include <catch2/catch.hpp>

#include "inventory_fixture.hpp"

using dms::ErrorCode;
using dms::Json;
using dms::test::InventoryWorld;
using dms::test::qty;
namespace inv = dms::inventory;

TEST_CASE("inventory: parts catalog with a category tree and per-location settings") {
  InventoryWorld w(GENERATE(dms::test::engines()));
  INFO("engine: " << w.database().engine_name());
  const std::string center = w.service_center("SC001");
  const auto inventory_manager = w.user("inventory_manager", center);
  Json part = w.call(inventory_manager, "inventory.CreatePart",
                     {{"partName", "Turbocharger Assembly"},
                      {"partNumber", "TRB-001"},
                      {"partCode", "TC001"},
                      {"description", "Garrett GT17"},
                      {"category", "Engine > Turbocharger"},
                      {"unit", "piece"},
                      {"hsnCode", "84148090"},
                      {"gstRate", 28},
                      {"costPrice", 30000},
                      {"unitPrice", "36500.50"},
                      {"stockQuantity", 10},
                      {"minStockLevel", 5},
                      {"maxStockLevel", 50},
                      {"reorderPoint", 8},
                      {"location", "Rack A-5"}});
  CHECK(part["category"] == "Engine > Turbocharger");
  CHECK(part["gstRate"] == "28");
  CHECK(part["unitPrice"] == "36500.50");
  const std::string id = part["id"].get<std::string>();
  REQUIRE(part["stock"].size() == 1);  // an SC user sees only their own store
  CHECK(part["stock"][0]["stockQuantity"] == "10");
  CHECK(part["stock"][0]["location"] == "Rack A-5");
  CHECK(part["stock"][0]["reorderPoint"] == "8");
  w.verify();

  // The same category path is reused; a deeper one extends the tree.
  Json sibling = w.call(w.system(), "inventory.CreatePart",
                        {{"partName", "Wastegate"},
                         {"partNumber", "TRB-002"},
                         {"category", {"Engine", "Turbocharger", "Wastegate"}},
                         {"gstRate", "18"}});
  CHECK(sibling["category"] == "Engine > Turbocharger > Wastegate");
  CHECK(sibling["unit"] == "piece");
  CHECK(w.count("inv_categories") == 3);
  CHECK(w.error_of(w.system(), "inventory.CreatePart",
                   {{"partName", "Dup"}, {"partNumber", "TRB-001"}, {"gstRate", 18}}) ==
        ErrorCode::kDuplicate);
  CHECK(w.error_of(w.system(), "inventory.CreatePart",
                   {{"partName", "Bad"}, {"partNumber", "X-1"}, {"gstRate", 17}}) ==
        ErrorCode::kValidation);

  Json updated = w.call(w.system(), "inventory.UpdatePart",
                        {{"id", id}, {"unitPrice", "37000.00"}, {"isActive", false}});
  CHECK(updated["unitPrice"] == "37000.00");
  CHECK_FALSE(updated["isActive"].get<bool>());
  CHECK(w.count("audit_logs WHERE entity_type = 'part' AND entity_id = ? AND action = 'UPDATE'",
                {id}) == 1);
  Json got = w.call(w.system(), "inventory.GetPart", {{"id", id}});
  CHECK(got["stock"].size() == 2);  // central (listed, empty) and SC001's store

  Json central_list = w.call(w.system(), "inventory.ListParts",
                             {{"search", "turbo"}, {"sort", "partNumber"}, {"limit", 1}});
  CHECK(central_list["pagination"]["total"] == 2);
  CHECK(central_list["data"][0]["partNumber"] == "TRB-001");
  CHECK(central_list["data"][0]["gstRate"] == "28");
  Json store_list = w.call(inventory_manager, "inventory.ListParts",
                           {{"filter", {{"lowStock", false}}}, {"expand", "supplier"}});
  REQUIRE(store_list["data"].size() == 1);
  CHECK(store_list["data"][0]["minStockLevel"] == "5");
  CHECK(store_list["data"][0]["supplier"].is_null());
  w.verify();
}

TEST_CASE("inventory: adjust stock as in seed 002, with allocation and low stock") {
  InventoryWorld w(GENERATE(dms::test::engines()));
  INFO("engine: " << w.database().engine_name());
  const std::string center = w.service_center("SC001");
  const auto manager = w.user("inventory_manager", center);
  const std::string part = w.part("BP001", "2000.00");
  w.call(
      manager, "inventory.AdjustStock",
      {{"partId", part}, {"adjustmentType", "SET"}, {"quantity", 50}, {"reason", "STOCK_COUNT"}});
  w.verify();

  Json added = w.call(manager, "inventory.AdjustStock",
                      {{"partId", part},
                       {"adjustmentType", "ADD"},
                       {"quantity", 10},
                       {"reason", "STOCK_RECEIVED"},
                       {"notes", "Received from central inventory"},
                       {"referenceNumber", "PI-2025-001"}});
  CHECK(added["previousStock"] == "50");
  CHECK(added["newStock"] == "60");
  CHECK(added["adjustmentQuantity"] == "10");
  w.verify();

  Json set = w.call(
      manager, "inventory.AdjustStock",
      {{"partId", part}, {"adjustmentType", "SET"}, {"quantity", "42"}, {"reason", "STOCK_COUNT"}});
  CHECK(set["previousStock"] == "60");
  CHECK(set["newStock"] == "42");
  CHECK(set["adjustmentQuantity"] == "-18");
  w.verify();

  // Levels; a move across the threshold raises one stock.low event.
  w.call(manager, "inventory.SetStockLevels",
         {{"partId", part}, {"minStockLevel", 10}, {"reorderPoint", 15}, {"location", "Rack B-2"}});
  Json allocated = w.call(manager, "inventory.Allocate",
                          {{"partId", part}, {"quantity", 30}, {"referenceType", "JOB_CARD"}});
  CHECK(allocated["allocated"] == "30");
  CHECK(allocated["available"] == "12");
  CHECK(w.error_of(manager, "inventory.AdjustStock",
                   {{"partId", part},
                    {"adjustmentType", "SUBTRACT"},
                    {"quantity", 13},
                    {"reason", "STOCK_DAMAGED"}}) == ErrorCode::kInsufficientStock);
  w.verify();
  Json damaged = w.call(manager, "inventory.AdjustStock",
                        {{"partId", part},
                         {"adjustmentType", "SUBTRACT"},
                         {"quantity", 12},
                         {"reason", "STOCK_DAMAGED"}});
  CHECK(damaged["newStock"] == "30");
  CHECK(w.count("outbox_events WHERE type = 'stock.low'") == 0);
  // A release gives back only what the same reference holds.
  CHECK(w.error_of(manager, "inventory.Release", {{"partId", part}, {"quantity", 30}}) ==
        ErrorCode::kReleaseExceedsReservation);
  w.call(manager, "inventory.Release",
         {{"partId", part}, {"quantity", 30}, {"referenceType", "JOB_CARD"}});
  Json low = w.call(manager, "inventory.AdjustStock",
                    {{"partId", part},
                     {"adjustmentType", "SUBTRACT"},
                     {"quantity", 22},
                     {"reason", "STOCK_DAMAGED"}});
  CHECK(low["newStock"] == "8");
  CHECK(low["lowStock"].get<bool>());
  CHECK(w.count("outbox_events WHERE type = 'stock.low'") == 1);
  w.call(manager, "inventory.AdjustStock",
         {{"partId", part},
          {"adjustmentType", "SUBTRACT"},
          {"quantity", 1},
          {"reason", "STOCK_DAMAGED"}});
  CHECK(w.count("outbox_events WHERE type = 'stock.low'") == 1);  // already low: no new event
  w.verify();

  Json list = w.call(manager, "inventory.LowStock");
  REQUIRE(list["data"].size() == 1);
  CHECK(list["data"][0]["partId"] == part);
  CHECK(list["data"][0]["stockQuantity"] == "7");
  CHECK(list["data"][0]["minStockLevel"] == "10");
  CHECK(list["data"][0]["deficit"] == "8");  // to the reorder point 15
  CHECK(list["data"][0]["lastRestocked"].is_null());

  // Returns come from the customer side; the ledger shows every step.
  w.call(manager, "inventory.AdjustStock",
         {{"partId", part}, {"adjustmentType", "ADD"}, {"quantity", 1}, {"reason", "RETURNED"}});
  Json moves = w.call(manager, "inventory.PartTransactions", {{"partId", part}, {"limit", 3}});
  CHECK(moves["data"][0]["transactionType"] == "RETURN");
  CHECK(moves["data"][0]["previousStock"] == "7");
  CHECK(moves["data"][0]["newStock"] == "8");
  CHECK(moves["pagination"]["total"] == 9);

  Json value = w.call(manager, "inventory.Value");
  REQUIRE(value["locations"].size() == 1);
  CHECK(value["locations"][0]["value"] == "16000.00");  // 8 x 2,000.00
  CHECK(value["totalValue"] == "16000.00");
  w.verify();
}

TEST_CASE("inventory: who may touch which stock") {
  InventoryWorld w(GENERATE(dms::test::engines()));
  INFO("engine: " << w.database().engine_name());
  const std::string sc1 = w.service_center("SC001");
  const std::string sc2 = w.service_center("SC002");
  const std::string part = w.part("BP001", "100.00");
  const auto sc1_inventory = w.user("inventory_manager", sc1);
  const auto sc2_manager = w.user("sc_manager", sc2);
  const auto central_manager = w.user("central_inventory_manager", std::nullopt);
  const auto engineer = w.user("service_engineer", sc1);
  const std::string central = w.central_id();
  const std::string store1 = w.store_of(sc1);
  const Json add = {
      {"partId", part}, {"adjustmentType", "ADD"}, {"quantity", 1}, {"reason", "STOCK_COUNT"}};

  // An SC inventory manager adjusts their own store, not central nor another store.
  CHECK(w.error_of(sc1_inventory, "inventory.AdjustStock", add) == ErrorCode::kOk);
  Json central_add = add;
  central_add["locationId"] = central;
  CHECK(w.error_of(sc1_inventory, "inventory.AdjustStock", central_add) == ErrorCode::kForbidden);
  Json other_store = add;
  other_store["serviceCenterId"] = sc2;
  CHECK(w.error_of(sc1_inventory, "inventory.AdjustStock", other_store) == ErrorCode::kNotFound);
  // The central manager adjusts central but not a store; an SC manager only reads.
  CHECK(w.error_of(central_manager, "inventory.AdjustStock", add) == ErrorCode::kOk);
  Json store_add = add;
  store_add["locationId"] = store1;
  CHECK(w.error_of(central_manager, "inventory.AdjustStock", store_add) == ErrorCode::kForbidden);
  CHECK(w.error_of(sc2_manager, "inventory.AdjustStock", add) == ErrorCode::kForbidden);
  CHECK(w.error_of(engineer, "inventory.ListParts", Json::object()) == ErrorCode::kForbidden);
  CHECK(w.error_of(sc1_inventory, "inventory.VerifyStock", Json::object()) ==
        ErrorCode::kForbidden);
  CHECK(w.error_of(sc1_inventory, "inventory.PartTransactions",
                   {{"partId", part}, {"locationId", central}}) == ErrorCode::kForbidden);

  // Suppliers belong to the central side.
  CHECK(w.error_of(sc1_inventory, "suppliers.Create", {{"name", "X"}}) == ErrorCode::kForbidden);
  Json supplier = w.call(central_manager, "suppliers.Create",
                         {{"name", "ABC Parts Supplier"},
                          {"contactPerson", "John Smith"},
                          {"phone", "+919876543210"},
                          {"email", "abc@parts.in"},
                          {"address", {{"city", "Pune"}}},
                          {"gstin", "27AAPFU0939F1ZV"}});
  CHECK(supplier["stateCode"] == "27");
  CHECK(supplier["state"] == "Maharashtra");
  CHECK(supplier["address"]["city"] == "Pune");
  Json renamed =
      w.call(central_manager, "suppliers.Update",
             {{"id", supplier["id"]}, {"contactPerson", "Jane Smith"}, {"isActive", false}});
  CHECK(renamed["contactPerson"] == "Jane Smith");
  Json suppliers = w.call(central_manager, "suppliers.List", {{"search", "abc"}});
  REQUIRE(suppliers["data"].size() == 1);
  CHECK(suppliers["data"][0]["address"]["city"] == "Pune");
  CHECK(w.call(central_manager, "suppliers.List", {{"filter", {{"isActive", true}}}})["data"]
            .empty());
  CHECK(w.error_of(central_manager, "suppliers.Create",
                   {{"name", "Bad"}, {"gstin", "27AAPFU0939F1ZX"}}) == ErrorCode::kValidation);
  w.verify();
}

TEST_CASE("inventory: verify_stock names the first violation precisely") {
  InventoryWorld w(GENERATE(dms::test::engines()));
  INFO("engine: " << w.database().engine_name());
  const std::string part = w.part("BP001", "100.00");
  const std::string central = w.central_id();
  w.add_stock(part, central, "10");
  w.verify();

  const auto tamper = [&](const std::string& sql, const std::vector<dms::storage::Value>& params) {
    w.store().write([&](dms::storage::Transaction& tx) { tx.exec(sql, params); });
  };
  const auto verification = [&] {
    return w.store().read([](dms::storage::Transaction& tx) { return inv::verify_stock(tx); });
  };

  SECTION("a balance edited behind the ledger's back breaks the zero sum") {
    tamper("UPDATE inv_balances SET on_hand = 11000 WHERE part_id = ? AND location_id = ?",
           {part, central});
    const auto v = verification();
    CHECK_FALSE(v.ok);
    CHECK(v.rule == "ZERO_SUM");
    CHECK(v.part_id == part);
    Json method = w.call(w.system(), "inventory.VerifyStock");
    CHECK_FALSE(method["ok"].get<bool>());
    CHECK(method["violation"]["rule"] == "ZERO_SUM");
  }
  SECTION("two balances moved together still fail the replay") {
    const std::string adjustment = w.location_of(inv::LocationKind::kAdjustment);
    tamper("UPDATE inv_balances SET on_hand = on_hand + 1000 WHERE part_id = ? AND location_id = ?",
           {part, central});
    tamper("UPDATE inv_balances SET on_hand = on_hand - 1000 WHERE part_id = ? AND location_id = ?",
           {part, adjustment});
    const auto v = verification();
    CHECK(v.rule == "REPLAY");
    CHECK(v.part_id == part);
    CHECK((v.location_id == central || v.location_id == adjustment));
  }
  SECTION("an allocation larger than the stock") {
    tamper(
        "INSERT INTO inv_moves (id, part_id, txn_type, quantity, from_location_id, "
        "to_location_id, from_before, from_after, to_before, to_after, unit_cost, created_at) "
        "VALUES ('x', ?, 'ALLOCATE', 12000, ?, ?, 0, 12000, 0, 12000, 0, 0)",
        {part, central, central});
    tamper("UPDATE inv_balances SET allocated = 12000 WHERE part_id = ? AND location_id = ?",
           {part, central});
    const auto v = verification();
    CHECK(v.rule == "ALLOCATION");
    CHECK(v.location_id == central);
  }
  SECTION("a ledger row whose figures do not chain") {
    tamper("UPDATE inv_moves SET from_before = 5 WHERE part_id = ?", {part});
    const auto v = verification();
    CHECK(v.rule == "REPLAY");
    CHECK(v.message.find("replays") != std::string::npos);
  }
}
