// Parts issues (seed 002 workflow 2) and service-center transfers on both engines: allocation,
// approval into transit, dispatch, receipt with and without loss, rejection, cancellation,
// invalid transitions and tenant scoping. verify() after every step.
#include <catch2/catch.hpp>

#include "inventory_fixture.hpp"

using dms::ErrorCode;
using dms::Json;
using dms::test::InventoryWorld;
using dms::test::qty;
namespace inv = dms::inventory;

namespace {

std::string id_of(const Json& doc) {
  return doc["id"].get<std::string>();
}

struct IssueSetup {
  std::string part, center, central, store, transit, scrap;
  dms::Context sc_manager, sc_inventory, central_manager;
};

IssueSetup setup(InventoryWorld& w, const std::string& stock = "100") {
  IssueSetup s;
  s.part = w.part("BAT-MOD-001");
  s.center = w.service_center("SC001");
  s.central = w.central_id();
  s.store = w.store_of(s.center);
  s.transit = w.location_of(inv::LocationKind::kInTransit);
  s.scrap = w.location_of(inv::LocationKind::kScrap);
  s.sc_manager = w.user("sc_manager", s.center);
  s.sc_inventory = w.user("inventory_manager", s.center);
  s.central_manager = w.user("central_inventory_manager", std::nullopt);
  w.add_stock(s.part, s.central, stock);
  return s;
}

Json request_issue(InventoryWorld& w, const IssueSetup& s, const std::string& quantity) {
  return w.call(s.sc_manager, "partsIssues.Create",
                {{"toServiceCenterId", s.center},
                 {"items",
                  {{{"centralInventoryPartId", s.part},
                    {"partName", "Battery Module"},
                    {"requestedQty", quantity}}}},
                 {"priority", "HIGH"},
                 {"notes", "Urgent requirement for pending jobs"}});
}

Json dispatch(InventoryWorld& w, const IssueSetup& s, const std::string& id) {
  return w.call(s.central_manager, "partsIssues.Dispatch",
                {{"id", id},
                 {"dispatchedDate", "2025-12-20"},
                 {"transportDetails",
                  {{"vehicleNumber", "MH01AB1234"},
                   {"driverName", "John Doe"},
                   {"driverPhone", "+919876543210"}}},
                 {"estimatedArrival", "2025-12-21"},
                 {"trackingNumber", "TRK-123456"}});
}

}  // namespace

TEST_CASE("inventory: seed 002 workflow 2, parts issue from central to a service center") {
  InventoryWorld w(GENERATE(dms::test::engines()));
  INFO("engine: " << w.database().engine_name());
  const IssueSetup s = setup(w);
  w.verify();

  // 1. The SC manager requests 50: allocated at central, available lower.
  Json issue = request_issue(w, s, "50");
  CHECK(issue["issueNumber"] == "PI-2025-0001");
  CHECK(issue["status"] == "PENDING_APPROVAL");
  const std::string id = id_of(issue);
  inv::Balance central = w.balance(s.part, s.central);
  CHECK(central.on_hand == qty("100"));
  CHECK(central.allocated == qty("50"));
  CHECK(central.available() == qty("50"));
  Json listed = w.call(s.central_manager, "inventory.ListParts", {{"locationId", s.central}});
  REQUIRE(listed["data"].size() == 1);
  CHECK(listed["data"][0]["allocated"] == "50");
  CHECK(listed["data"][0]["available"] == "50");
  w.verify();

  // 2. The admin approves 50: central stock -50, allocated back to 0, 50 in transit.
  Json approved =
      w.call(w.admin(), "partsIssues.Approve",
             {{"id", id},
              {"approvedItems", {{{"itemId", issue["items"][0]["id"]}, {"approvedQty", 50}}}},
              {"notes", "Approved"}});
  CHECK(approved["status"] == "APPROVED");
  central = w.balance(s.part, s.central);
  CHECK(central.on_hand == qty("50"));
  CHECK(central.allocated == qty("0"));
  CHECK(w.balance(s.part, s.transit).on_hand == qty("50"));
  w.verify();

  // 3. Dispatch.
  Json dispatched = dispatch(w, s, id);
  CHECK(dispatched["status"] == "DISPATCHED");
  CHECK(dispatched["trackingNumber"] == "TRK-123456");
  CHECK(dispatched["transportDetails"]["vehicleNumber"] == "MH01AB1234");
  w.verify();

  // 4. The SC inventory manager receives 50.
  Json received = w.call(s.sc_inventory, "partsIssues.Receive",
                         {{"id", id},
                          {"receivedItems",
                           {{{"itemId", issue["items"][0]["id"]},
                             {"receivedQty", 50},
                             {"condition", "GOOD"},
                             {"notes", ""}}}},
                          {"receivedDate", "2025-12-21"}});
  CHECK(received["status"] == "COMPLETED");
  CHECK(received["receivedDate"] == "2025-12-21");
  CHECK(w.balance(s.part, s.store).on_hand == qty("50"));
  CHECK(w.balance(s.part, s.store).average_cost == dms::Money::parse("40000.00"));
  CHECK(w.balance(s.part, s.transit).on_hand == qty("0"));
  w.verify();

  Json store_list = w.call(s.sc_inventory, "inventory.ListParts");
  REQUIRE(store_list["data"].size() == 1);
  CHECK(store_list["data"][0]["stockQuantity"] == "50");
  CHECK(store_list["data"][0]["serviceCenterId"] == s.center);
  for (const char* type : {"parts_issue.requested", "parts_issue.approved",
                           "parts_issue.dispatched", "parts_issue.received"}) {
    CHECK(w.count("outbox_events WHERE type = ?", {std::string(type)}) == 1);
  }
}

TEST_CASE("inventory: a short receipt writes the loss off and empties transit") {
  InventoryWorld w(GENERATE(dms::test::engines()));
  INFO("engine: " << w.database().engine_name());
  const IssueSetup s = setup(w);
  Json issue = request_issue(w, s, "50");
  const std::string id = id_of(issue);
  w.call(w.admin(), "partsIssues.Approve", {{"id", id}});
  dispatch(w, s, id);
  w.verify();

  Json received = w.call(s.sc_inventory, "partsIssues.Receive",
                         {{"id", id},
                          {"receivedItems",
                           {{{"itemId", issue["items"][0]["id"]},
                             {"receivedQty", 48},
                             {"condition", "DAMAGED"},
                             {"notes", "2 damaged in transit"}}}}});
  CHECK(received["status"] == "COMPLETED");
  CHECK(received["items"][0]["receivedQty"] == "48");
  CHECK(received["items"][0]["lostQty"] == "2");
  CHECK(w.balance(s.part, s.store).on_hand == qty("48"));
  CHECK(w.balance(s.part, s.transit).on_hand == qty("0"));
  CHECK(w.balance(s.part, s.scrap).on_hand == qty("2"));
  Json losses = w.call(w.system(), "inventory.PartTransactions",
                       {{"partId", s.part}, {"filter", {{"reason", "TRANSIT_LOSS"}}}});
  REQUIRE(losses["data"].size() == 1);
  CHECK(losses["data"][0]["quantity"] == "2");
  CHECK(losses["data"][0]["notes"] == "2 damaged in transit");
  CHECK(losses["data"][0]["referenceId"] == id);
  w.verify();
}

TEST_CASE("inventory: parts issue guards, rejection, cancellation and invalid transitions") {
  InventoryWorld w(GENERATE(dms::test::engines()));
  INFO("engine: " << w.database().engine_name());
  const IssueSetup s = setup(w, "60");

  // More than available: INSUFFICIENT_STOCK and no document.
  CHECK(w.error_of(s.sc_manager, "partsIssues.Create",
                   {{"toServiceCenterId", s.center},
                    {"items", {{{"partId", s.part}, {"requestedQty", 61}}}}}) ==
        ErrorCode::kInsufficientStock);
  CHECK(w.count("inv_transfers") == 0);
  w.verify();

  Json first = request_issue(w, s, "40");
  CHECK(w.error_of(s.sc_manager, "partsIssues.Create",
                   {{"toServiceCenterId", s.center},
                    {"items", {{{"partId", s.part}, {"requestedQty", 21}}}}}) ==
        ErrorCode::kInsufficientStock);
  const std::string id = id_of(first);

  const auto rejected_step = [&](const dms::Context& ctx, const char* method, const Json& request) {
    const int64_t moves = w.count("inv_moves");
    const int64_t audits = w.count("audit_logs");
    CHECK(w.error_of(ctx, method, request) == ErrorCode::kInvalidStatusTransition);
    CHECK(w.count("inv_moves") == moves);
    CHECK(w.count("audit_logs") == audits);
    w.verify();
  };
  rejected_step(s.central_manager, "partsIssues.Dispatch", {{"id", id}});  // not approved
  rejected_step(
      s.sc_inventory, "partsIssues.Receive",
      {{"id", id}, {"receivedItems", {{{"itemId", first["items"][0]["id"]}, {"receivedQty", 1}}}}});

  // Only an admin approves; approving twice fails.
  CHECK(w.error_of(s.central_manager, "partsIssues.Approve", {{"id", id}}) ==
        ErrorCode::kForbidden);
  CHECK(w.error_of(
            w.admin(), "partsIssues.Approve",
            {{"id", id},
             {"approvedItems", {{{"itemId", first["items"][0]["id"]}, {"approvedQty", 41}}}}}) ==
        ErrorCode::kValidation);
  Json approved =
      w.call(w.admin(), "partsIssues.Approve",
             {{"id", id},
              {"approvedItems", {{{"itemId", first["items"][0]["id"]}, {"approvedQty", 30}}}}});
  CHECK(approved["items"][0]["approvedQty"] == "30");
  CHECK(w.balance(s.part, s.central).on_hand == qty("30"));
  CHECK(w.balance(s.part, s.central).allocated == qty("0"));
  rejected_step(w.admin(), "partsIssues.Approve", {{"id", id}});
  rejected_step(w.admin(), "partsIssues.Reject", {{"id", id}, {"reason", "late"}});

  // Cancelling an approved issue moves the transit stock back to central.
  Json cancelled =
      w.call(s.sc_manager, "partsIssues.Cancel", {{"id", id}, {"reason", "No longer needed"}});
  CHECK(cancelled["status"] == "CANCELLED");
  CHECK(w.balance(s.part, s.central).on_hand == qty("60"));
  CHECK(w.balance(s.part, s.transit).on_hand == qty("0"));
  w.verify();
  rejected_step(s.central_manager, "partsIssues.Dispatch", {{"id", id}});

  // Rejecting a pending issue releases its allocation.
  Json second = request_issue(w, s, "25");
  CHECK(w.balance(s.part, s.central).allocated == qty("25"));
  Json rejected = w.call(w.admin(), "partsIssues.Reject",
                         {{"id", id_of(second)}, {"reason", "Use local stock"}});
  CHECK(rejected["status"] == "REJECTED");
  CHECK(rejected["rejectionReason"] == "Use local stock");
  CHECK(w.balance(s.part, s.central).allocated == qty("0"));
  w.verify();

  // Cancelling a pending issue releases too; dispatched issues cannot be cancelled.
  Json third = request_issue(w, s, "10");
  w.call(s.sc_manager, "partsIssues.Cancel", {{"id", id_of(third)}});
  CHECK(w.balance(s.part, s.central).allocated == qty("0"));
  Json fourth = request_issue(w, s, "10");
  w.call(w.admin(), "partsIssues.Approve", {{"id", id_of(fourth)}});
  dispatch(w, s, id_of(fourth));
  rejected_step(s.sc_manager, "partsIssues.Cancel", {{"id", id_of(fourth)}});
  w.verify();
}

TEST_CASE("inventory: service-center users see only their own center's parts issues") {
  InventoryWorld w(GENERATE(dms::test::engines()));
  INFO("engine: " << w.database().engine_name());
  const IssueSetup s = setup(w);
  const std::string other_center = w.service_center("SC002", "29");
  const auto other_manager = w.user("sc_manager", other_center);
  const auto other_inventory = w.user("inventory_manager", other_center);

  Json issue = request_issue(w, s, "5");
  const std::string id = id_of(issue);
  // Another center cannot request for SC001, nor see, cancel or receive its issue.
  CHECK(w.error_of(other_manager, "partsIssues.Create",
                   {{"toServiceCenterId", s.center},
                    {"items", {{{"partId", s.part}, {"requestedQty", 1}}}}}) ==
        ErrorCode::kNotFound);
  CHECK(w.error_of(other_manager, "partsIssues.Get", {{"id", id}}) == ErrorCode::kNotFound);
  CHECK(w.error_of(other_manager, "partsIssues.Cancel", {{"id", id}}) == ErrorCode::kNotFound);
  CHECK(w.call(other_manager, "partsIssues.List")["data"].empty());
  CHECK(w.call(s.sc_manager, "partsIssues.List")["data"].size() == 1);
  CHECK(w.call(s.central_manager, "partsIssues.List", {{"status", "PENDING_APPROVAL"}})["data"]
            .size() == 1);
  CHECK(
      w.call(w.admin(), "partsIssues.List", {{"toServiceCenterId", other_center}})["data"].empty());

  w.call(w.admin(), "partsIssues.Approve", {{"id", id}});
  dispatch(w, s, id);
  CHECK(w.error_of(
            other_inventory, "partsIssues.Receive",
            {{"id", id},
             {"receivedItems", {{{"itemId", issue["items"][0]["id"]}, {"receivedQty", 5}}}}}) ==
        ErrorCode::kNotFound);
  // A sales advisor has no inventory permission at all.
  const auto advisor = w.user("service_advisor", s.center);
  CHECK(w.error_of(advisor, "partsIssues.Get", {{"id", id}}) == ErrorCode::kForbidden);
  Json expanded = w.call(s.sc_manager, "partsIssues.List", {{"expand", "items,toServiceCenter"}});
  CHECK(expanded["data"][0]["toServiceCenter"]["code"] == "SC001");
  CHECK(expanded["data"][0]["items"][0]["requestedQty"] == "5");
  w.verify();
}

TEST_CASE("inventory: stock transfer between two service centers") {
  InventoryWorld w(GENERATE(dms::test::engines()));
  INFO("engine: " << w.database().engine_name());
  const std::string part = w.part("BRK-PAD-001", "2000.00");
  const std::string giver = w.service_center("SC001");
  const std::string taker = w.service_center("SC002");
  const std::string giver_store = w.store_of(giver);
  const std::string taker_store = w.store_of(taker);
  w.add_stock(part, giver_store, "20");
  const auto giver_manager = w.user("sc_manager", giver);
  const auto giver_inventory = w.user("inventory_manager", giver);
  const auto taker_manager = w.user("sc_manager", taker);
  const auto taker_inventory = w.user("inventory_manager", taker);
  w.verify();

  // The receiving center cannot reserve the giver's stock, nor learn how much it holds: a
  // transfer is raised at the giving center (docs/security.md).
  std::string message;
  try {
    w.call(taker_manager, "stockTransfers.Create",
           {{"fromServiceCenterId", giver},
            {"toServiceCenterId", taker},
            {"items", {{{"partId", part}, {"requestedQty", "80"}}}}});
  } catch (const dms::Error& e) {
    CHECK(e.code() == ErrorCode::kNotFound);
    message = e.message();
  }
  CHECK_FALSE(message.empty());
  CHECK(message.find("available") == std::string::npos);  // was "available 20, requested 80"
  CHECK(message.find(giver) != std::string::npos);
  CHECK(w.balance(part, giver_store).allocated == qty("0"));
  Json transfer = w.call(giver_inventory, "stockTransfers.Create",
                         {{"fromServiceCenterId", giver},
                          {"toServiceCenterId", taker},
                          {"items", {{{"partId", part}, {"requestedQty", "8"}}}}});
  CHECK(transfer["transferNumber"] == "ST-2025-0001");
  CHECK(w.balance(part, giver_store).allocated == qty("8"));
  const std::string id = id_of(transfer);
  w.verify();

  // Approval by the giving center's manager, not the receiving one's.
  CHECK(w.error_of(taker_manager, "stockTransfers.Approve", {{"id", id}}) == ErrorCode::kForbidden);
  CHECK(w.call(giver_manager, "stockTransfers.Approve", {{"id", id}})["status"] == "APPROVED");
  CHECK(w.balance(part, giver_store).on_hand == qty("12"));
  w.verify();
  CHECK(w.error_of(taker_inventory, "stockTransfers.Dispatch", {{"id", id}}) ==
        ErrorCode::kNotFound);
  CHECK(w.call(giver_inventory, "stockTransfers.Dispatch", {{"id", id}})["status"] == "DISPATCHED");
  w.verify();
  CHECK(w.error_of(
            giver_inventory, "stockTransfers.Receive",
            {{"id", id},
             {"receivedItems", {{{"itemId", transfer["items"][0]["id"]}, {"receivedQty", 8}}}}}) ==
        ErrorCode::kNotFound);
  Json done = w.call(
      taker_inventory, "stockTransfers.Receive",
      {{"id", id},
       {"receivedItems", {{{"itemId", transfer["items"][0]["id"]}, {"receivedQty", "7.5"}}}}});
  CHECK(done["status"] == "COMPLETED");
  CHECK(w.balance(part, taker_store).on_hand == qty("7.5"));
  CHECK(w.balance(part, w.location_of(inv::LocationKind::kScrap)).on_hand == qty("0.5"));
  CHECK(w.balance(part, taker_store).average_cost == dms::Money::parse("2000.00"));
  CHECK(w.call(giver_manager, "stockTransfers.List")["data"].size() == 1);
  CHECK(w.call(taker_manager, "stockTransfers.Get", {{"id", id}})["status"] == "COMPLETED");
  w.verify();
}

TEST_CASE("inventory: another center's parts issue is NOT_FOUND on every method") {
  InventoryWorld w(GENERATE(dms::test::engines()));
  INFO("engine: " << w.database().engine_name());
  const IssueSetup s = setup(w, "60");
  const std::string id = id_of(request_issue(w, s, "10"));
  const std::string other = w.service_center("SC009");
  for (const char* role : {"sc_manager", "service_engineer", "inventory_manager"}) {
    INFO("role " << role);
    const auto outsider = w.user(role, other);
    for (const char* method :
         {"partsIssues.Approve", "partsIssues.Reject", "partsIssues.Cancel", "partsIssues.Get"}) {
      INFO("method " << method);
      const bool takes_reason = std::string(method) == "partsIssues.Reject" ||
                                std::string(method) == "partsIssues.Cancel";
      Json request = {{"id", id}};
      Json unknown = {{"id", "no-such-issue"}};
      if (takes_reason) request["reason"] = unknown["reason"] = "not ours";
      const ErrorCode for_unknown = w.error_of(outsider, method, unknown);
      CHECK(w.error_of(outsider, method, request) == for_unknown);
      if (std::string(role) != "service_engineer") CHECK(for_unknown == ErrorCode::kNotFound);
    }
  }
  CHECK(w.call(w.admin(), "partsIssues.Get", {{"id", id}})["status"] == "PENDING_APPROVAL");
}
