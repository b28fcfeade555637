// Purchase orders on both engines: seed 002 workflow 1 with its numbers, partial receipts,
// over-receipt, IGST, invalid transitions and permissions. verify() after every step.
#include <catch2/catch.hpp>

#include "inventory_fixture.hpp"

using dms::ErrorCode;
using dms::Json;
using dms::test::InventoryWorld;
using dms::test::qty;
namespace inv = dms::inventory;

namespace {

// A battery module PO of seed 002 section 7.3: 100 x 40,000.00 at 18 %.
Json battery_po(InventoryWorld& w, const std::string& supplier, const std::string& part,
                const std::string& quantity = "100") {
  return w.call(w.system(), "purchaseOrders.Create",
                {{"supplierId", supplier},
                 {"orderDate", "2025-12-20"},
                 {"expectedDeliveryDate", "2025-12-27"},
                 {"items",
                  {{{"centralInventoryPartId", part},
                    {"quantity", quantity},
                    {"unitPrice", "40000.00"},
                    {"gstRate", "18"}}}},
                 {"notes", "Urgent order for restocking"},
                 {"paymentTerms", "Net 30 days"}});
}

std::string id_of(const Json& doc) {
  return doc["id"].get<std::string>();
}

}  // namespace

TEST_CASE("inventory: seed 002 workflow 1, purchase order to stock receipt") {
  InventoryWorld w(GENERATE(dms::test::engines()));
  INFO("engine: " << w.database().engine_name());
  const auto central_manager = w.user("central_inventory_manager", std::nullopt);
  const std::string supplier = w.supplier("ABC Parts Supplier");
  const std::string part = w.part("BAT-MOD-001");
  w.verify();

  // 1. The central inventory manager creates the PO: totals from the pricing engine.
  Json po = w.call(central_manager, "purchaseOrders.Create",
                   {{"supplierId", supplier},
                    {"orderDate", "2025-12-20"},
                    {"items",
                     {{{"centralInventoryPartId", part},
                       {"partName", "Battery Module"},
                       {"quantity", 100},
                       {"unitPrice", 40000},
                       {"gstRate", 18},
                       {"amount", 4000000}}}}});
  CHECK(po["poNumber"] == "PO-2025-0001");
  CHECK(po["status"] == "DRAFT");
  CHECK(po["subtotal"] == "4000000.00");
  CHECK(po["cgst"] == "360000.00");
  CHECK(po["sgst"] == "360000.00");
  CHECK(po["igst"] == "0.00");
  CHECK(po["totalAmount"] == "4720000.00");
  CHECK(po["items"][0]["amount"] == "4000000.00");
  const std::string po_id = id_of(po);
  w.verify();

  // 2. Submit; 3. the admin approves (a central manager may not).
  CHECK(w.call(central_manager, "purchaseOrders.Submit", {{"id", po_id}})["status"] ==
        "PENDING_APPROVAL");
  w.verify();
  CHECK(w.error_of(central_manager, "purchaseOrders.Approve", {{"id", po_id}}) ==
        ErrorCode::kForbidden);
  Json approved =
      w.call(w.admin(), "purchaseOrders.Approve", {{"id", po_id}, {"notes", "Approved"}});
  CHECK(approved["status"] == "APPROVED");
  CHECK(approved["approvedBy"] == w.admin().user_id);
  w.verify();

  // 5. Receive 100: 98 accepted, 2 rejected.
  Json received = w.call(central_manager, "purchaseOrders.Receive",
                         {{"id", po_id},
                          {"receivedItems",
                           {{{"itemId", po["items"][0]["id"]},
                             {"receivedQty", 100},
                             {"acceptedQty", 98},
                             {"rejectedQty", 2},
                             {"condition", "DAMAGED"},
                             {"notes", "2 units damaged in transit"}}}},
                          {"receivedDate", "2025-12-27"},
                          {"invoiceNumber", "SUP-INV-001"},
                          {"invoiceDate", "2025-12-27"},
                          {"invoiceAmount", 4720000}});
  CHECK(received["status"] == "COMPLETED");
  CHECK(received["receivedDate"] == "2025-12-27");
  CHECK(received["items"][0]["acceptedQty"] == "98");
  CHECK(received["items"][0]["rejectedQty"] == "2");
  w.verify();

  const std::string central = w.central_id();
  const inv::Balance stock = w.balance(part, central);
  CHECK(stock.on_hand == qty("98"));
  CHECK(stock.average_cost == dms::Money::parse("40000.00"));
  CHECK(w.balance(part, w.location_of(inv::LocationKind::kSupplier)).on_hand == qty("-98"));

  // The ledger row, as the movements API shows it.
  Json moves = w.call(central_manager, "inventory.PartTransactions",
                      {{"partId", part}, {"filter", {{"transactionType", "RECEIVE"}}}});
  REQUIRE(moves["data"].size() == 1);
  CHECK(moves["data"][0]["previousStock"] == "0");
  CHECK(moves["data"][0]["newStock"] == "98");
  CHECK(moves["data"][0]["quantity"] == "98");
  CHECK(moves["data"][0]["referenceType"] == "PURCHASE_ORDER");
  CHECK(moves["data"][0]["referenceNumber"] == "PO-2025-0001");
  CHECK(moves["data"][0]["performedBy"] == central_manager.user_id);

  // The receipt and the events.
  Json full = w.call(central_manager, "purchaseOrders.Get", {{"id", po_id}});
  REQUIRE(full["receipts"].size() == 1);
  CHECK(full["receipts"][0]["invoiceNumber"] == "SUP-INV-001");
  CHECK(full["receipts"][0]["invoiceAmount"] == "4720000.00");
  CHECK(w.count("outbox_events WHERE type = ?", {std::string("purchase_order.submitted")}) == 1);
  CHECK(w.count("outbox_events WHERE type = ?", {std::string("purchase_order.approved")}) == 1);
  CHECK(w.count("outbox_events WHERE type = ?", {std::string("purchase_order.received")}) == 1);
  CHECK(w.count("audit_logs WHERE entity_type = 'purchase_order' AND entity_id = ?", {po_id}) == 4);

  // Listed with its supplier and items expanded.
  Json list = w.call(central_manager, "purchaseOrders.List",
                     {{"status", "COMPLETED"}, {"expand", "supplier,items"}});
  REQUIRE(list["data"].size() == 1);
  CHECK(list["data"][0]["supplier"]["name"] == "ABC Parts Supplier");
  CHECK(list["data"][0]["items"][0]["gstRate"] == "18");
  CHECK(list["pagination"]["total"] == 1);
}

TEST_CASE("inventory: partial receipts, over-receipt and the moving average") {
  InventoryWorld w(GENERATE(dms::test::engines()));
  INFO("engine: " << w.database().engine_name());
  const std::string supplier = w.supplier("ABC Parts Supplier");
  const std::string part = w.part("BAT-MOD-001");
  const std::string central = w.central_id();
  w.add_stock(part, central, "10");  // 10 at the catalog cost 40,000.00
  w.verify();

  Json po =
      w.call(w.system(), "purchaseOrders.Create",
             {{"supplierId", supplier},
              {"items", {{{"partId", part}, {"quantity", "100"}, {"unitPrice", "41100.00"}}}}});
  const std::string po_id = id_of(po);
  const Json item = po["items"][0]["id"];
  w.call(w.system(), "purchaseOrders.Submit", {{"id", po_id}});
  w.call(w.admin(), "purchaseOrders.Approve", {{"id", po_id}});
  CHECK(w.call(w.system(), "purchaseOrders.MarkOrdered", {{"id", po_id}})["status"] == "ORDERED");
  w.verify();

  Json first =
      w.call(w.system(), "purchaseOrders.Receive",
             {{"id", po_id}, {"receivedItems", {{{"itemId", item}, {"receivedQty", "60"}}}}});
  CHECK(first["status"] == "PARTIALLY_RECEIVED");
  // (10 x 40,000 + 60 x 41,100) / 70 = 40,942.857... -> 40,942.86
  CHECK(w.balance(part, central).average_cost == dms::Money::parse("40942.86"));
  w.verify();

  // 60 + 41 > 100: refused, and nothing changes.
  const int64_t moves_before = w.count("inv_moves");
  CHECK(
      w.error_of(w.system(), "purchaseOrders.Receive",
                 {{"id", po_id}, {"receivedItems", {{{"itemId", item}, {"receivedQty", "41"}}}}}) ==
      ErrorCode::kValidation);
  CHECK(w.error_of(w.system(), "purchaseOrders.Receive",
                   {{"id", po_id},
                    {"receivedItems",
                     {{{"itemId", item},
                       {"receivedQty", "10"},
                       {"acceptedQty", "9"},
                       {"rejectedQty", "2"}}}}}) == ErrorCode::kValidation);
  CHECK(w.count("inv_moves") == moves_before);
  CHECK(w.balance(part, central).on_hand == qty("70"));
  w.verify();

  // Cancelling after a receipt is not a transition of the table.
  CHECK(w.error_of(w.system(), "purchaseOrders.Cancel", {{"id", po_id}}) ==
        ErrorCode::kInvalidStatusTransition);

  Json second = w.call(
      w.system(), "purchaseOrders.Receive",
      {{"id", po_id},
       {"receivedItems", {{{"itemId", item}, {"receivedQty", "40"}, {"rejectedQty", "40"}}}}});
  CHECK(second["status"] == "COMPLETED");
  CHECK(second["items"][0]["acceptedQty"] == "60");
  CHECK(second["items"][0]["rejectedQty"] == "40");
  CHECK(w.balance(part, central).on_hand == qty("70"));
  w.verify();
}

TEST_CASE("inventory: an inter-state supplier is charged IGST") {
  InventoryWorld w(GENERATE(dms::test::engines()));
  const std::string central = w.central_id();
  w.call(w.system(), "inventory.UpdateLocation", {{"id", central}, {"stateCode", "27"}});
  const std::string karnataka = w.supplier("Bengaluru Batteries", "29");
  const std::string part = w.part("BAT-MOD-001");
  Json po = battery_po(w, karnataka, part);
  CHECK(po["supplyType"] == "inter_state");
  CHECK(po["cgst"] == "0.00");
  CHECK(po["sgst"] == "0.00");
  CHECK(po["igst"] == "720000.00");
  CHECK(po["totalAmount"] == "4720000.00");

  // Editing in DRAFT reprices: a Maharashtra supplier makes it intra-state again.
  const std::string local = w.supplier("Mumbai Batteries", "27");
  Json edited =
      w.call(w.system(), "purchaseOrders.Update", {{"id", id_of(po)}, {"supplierId", local}});
  CHECK(edited["supplyType"] == "intra_state");
  CHECK(edited["cgst"] == "360000.00");
  CHECK(edited["igst"] == "0.00");
  w.verify();
}

TEST_CASE("inventory: invalid purchase order transitions change nothing") {
  InventoryWorld w(GENERATE(dms::test::engines()));
  INFO("engine: " << w.database().engine_name());
  const std::string supplier = w.supplier("ABC Parts Supplier");
  const std::string part = w.part("BAT-MOD-001");
  Json po = battery_po(w, supplier, part);
  const std::string po_id = id_of(po);
  const Json receive = {
      {"id", po_id}, {"receivedItems", {{{"itemId", po["items"][0]["id"]}, {"receivedQty", 1}}}}};

  const auto status = [&] {
    return w.call(w.system(), "purchaseOrders.Get", {{"id", po_id}})["status"].get<std::string>();
  };
  const auto rejected_step = [&](const dms::Context& ctx, const char* method, const Json& request) {
    const int64_t moves = w.count("inv_moves");
    const int64_t audits = w.count("audit_logs");
    const std::string before = status();
    try {
      w.call(ctx, method, request);
      FAIL(method << " succeeded from " << before);
    } catch (const dms::Error& e) {
      CHECK(e.code() == ErrorCode::kInvalidStatusTransition);
      CHECK(e.from_state() == before);
    }
    CHECK(status() == before);
    CHECK(w.count("inv_moves") == moves);
    CHECK(w.count("audit_logs") == audits);
    w.verify();
  };

  rejected_step(w.system(), "purchaseOrders.Receive", receive);  // DRAFT
  rejected_step(w.admin(), "purchaseOrders.Approve", {{"id", po_id}});
  rejected_step(w.system(), "purchaseOrders.MarkOrdered", {{"id", po_id}});
  w.call(w.system(), "purchaseOrders.Submit", {{"id", po_id}});
  rejected_step(w.system(), "purchaseOrders.Submit", {{"id", po_id}});
  rejected_step(w.system(), "purchaseOrders.Update", {{"id", po_id}, {"notes", "late edit"}});
  rejected_step(w.system(), "purchaseOrders.Receive", receive);  // PENDING_APPROVAL
  w.call(w.admin(), "purchaseOrders.Approve", {{"id", po_id}});
  rejected_step(w.admin(), "purchaseOrders.Approve", {{"id", po_id}});  // approving twice
  rejected_step(w.admin(), "purchaseOrders.Reject", {{"id", po_id}, {"reason", "too late"}});
  w.call(w.system(), "purchaseOrders.Cancel", {{"id", po_id}, {"reason", "not needed"}});
  rejected_step(w.system(), "purchaseOrders.Receive", receive);  // CANCELLED
  rejected_step(w.system(), "purchaseOrders.Submit", {{"id", po_id}});

  // Rejection needs a reason and records it.
  Json other = battery_po(w, supplier, part, "5");
  w.call(w.system(), "purchaseOrders.Submit", {{"id", id_of(other)}});
  CHECK(w.error_of(w.admin(), "purchaseOrders.Reject", {{"id", id_of(other)}}) ==
        ErrorCode::kValidation);
  Json rejected =
      w.call(w.admin(), "purchaseOrders.Reject", {{"id", id_of(other)}, {"reason", "Too costly"}});
  CHECK(rejected["status"] == "REJECTED");
  CHECK(rejected["rejectionReason"] == "Too costly");
  CHECK(other["poNumber"] == "PO-2025-0002");
  w.verify();
}
