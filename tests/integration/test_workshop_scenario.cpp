// The whole seed 002 flow on one vehicle, with the stock ledger verified after
// every step: customer, vehicle, appointment, job card, assignment, start,
// parts request, approval and issue, resume, additional service, completion,
// invoice, partial and full payment, delivery. Then the stock side paths:
// partial issue, rejection, insufficient stock, returns, cancellation and
// credit notes.
#include <catch2/catch.hpp>
#include <string>

#include "dms/money.hpp"
#include "inventory/stock.hpp"
#include "workshop_fixture.hpp"

using namespace dms;
using dms::test::caught;

namespace {

class StockedWorkshop : public test::WorkshopFixture {
 public:
  explicit StockedWorkshop(storage::Engine engine) : WorkshopFixture(engine) {}

  std::string part(const std::string& number, const std::string& name, const std::string& hsn,
                   const std::string& gst, const std::string& price, const std::string& stock) {
    const Json p = call(system, "inventory.CreatePart",
                        {{"partNumber", number},
                         {"name", name},
                         {"hsnCode", hsn},
                         {"gstRate", gst},
                         {"costPrice", "100.00"},
                         {"unitPrice", price},
                         {"unit", "piece"}});
    call(system, "inventory.AdjustStock",
         {{"partId", p["id"]},
          {"serviceCenterId", center_id},
          {"adjustmentType", "ADD"},
          {"quantity", stock},
          {"reason", "STOCK_RECEIVED"},
          {"unitCost", "100.00"}});
    return p["id"];
  }

  // on_hand of a part at the center's store.
  Quantity store_stock(const std::string& part_id) {
    return db->impl().store->read([&](storage::Transaction& tx) {
      auto store = inventory::find_store_location(tx, center_id);
      return store ? inventory::balance_of(tx, part_id, store->id).on_hand : Quantity();
    });
  }

  Quantity workshop_stock(const std::string& part_id) {
    return db->impl().store->read([&](storage::Transaction& tx) {
      return inventory::balance_of(
                 tx, part_id,
                 inventory::virtual_location(tx, inventory::LocationKind::kWorkshop).id)
          .on_hand;
    });
  }

  void verify_stock() {
    const auto check = db->impl().store->read(
        [&](storage::Transaction& tx) { return inventory::verify_stock(tx); });
    INFO(check.rule << ": " << check.message);
    REQUIRE(check.ok);
  }

  int64_t events(const std::string& type, const std::string& audience) {
    return count(
        "SELECT COUNT(*) FROM outbox_events WHERE type = ? AND "
        "audience_role = ?",
        {type, audience});
  }
};

Quantity qty(const char* text) {
  return Quantity::parse(text);
}

}  // namespace

TEST_CASE("workshop: the seed 002 flow from customer to delivery") {
  StockedWorkshop f(GENERATE(test::engines()));
  INFO("engine: " << storage::engine_name(f.database.engine()));
  const std::string pads = f.part("BP-100", "Brake pad set", "87083000", "28", "1249.50", "10");
  const std::string coolant = f.part("CL-5", "Coolant", "38200000", "18", "333.33", "20");
  const std::string cable = f.part("HV-7", "HV cable", "85444999", "18", "2100.00", "3");
  f.verify_stock();

  // Customer, vehicle, appointment.
  const Json customer = f.call(f.call_center, "customers.Create",
                               {{"name", "John Doe"},
                                {"phone", "+919876543210"},
                                {"whatsappNumber", "+919876543210"},
                                {"email", "john@example.com"},
                                {"address", "123 Main St"},
                                {"cityState", "Mumbai, Maharashtra"},
                                {"pincode", "400001"},
                                {"customerType", "B2C"}});
  CHECK(customer["customerNumber"] == "CUST-0001");
  const Json vehicle = f.call(f.advisor, "vehicles.Create",
                              {{"customerId", customer["id"]},
                               {"registration", "MH01AB1234"},
                               {"vin", "VIN123456789"},
                               {"vehicleMake", "Tesla"},
                               {"vehicleModel", "Model 3"},
                               {"vehicleYear", 2023}});
  const Json battery = f.call(f.advisor, "vehicles.UpdateComponent",
                              {{"vehicleId", vehicle["id"]},
                               {"name", "Brakes"},
                               {"category", "chassis"},
                               {"status", "warning"},
                               {"serviceInterval", 365}});
  const Json issue = f.call(f.advisor, "vehicles.AddComponentIssue",
                            {{"vehicleId", vehicle["id"]},
                             {"componentId", battery["id"]},
                             {"description", "Squealing brakes"},
                             {"severity", "medium"}})["issue"];
  Json appt = f.call(f.call_center, "appointments.Create",
                     {{"customerId", customer["id"]},
                      {"vehicleId", vehicle["id"]},
                      {"scheduledAt", "2025-06-02T04:30:00Z"},
                      {"serviceType", "Regular Service"}});
  f.call(f.advisor, "appointments.Confirm", {{"id", appt["id"]}});
  f.call(f.advisor, "appointments.Arrive", {{"id", appt["id"]}});
  f.verify_stock();

  // Job card from the appointment.
  Json jc = f.call(f.advisor, "jobCards.Create",
                   {{"customerId", customer["id"]},
                    {"vehicleId", vehicle["id"]},
                    {"appointmentId", appt["id"]},
                    {"serviceType", "Regular Service"},
                    {"description", "Strange noise"},
                    {"priority", "MEDIUM"},
                    {"estimatedCost", 5000},
                    {"part1Data", {{"customerFeedback", "Strange noise"}}}});
  const std::string id = jc["id"];
  CHECK(jc["jobCardNumber"] == "SC001-2025-06-0001");
  CHECK(f.call(f.advisor, "vehicles.Get", {{"id", vehicle["id"]}})["currentStatus"] ==
        "ACTIVE_JOB_CARD");
  f.verify_stock();

  // Assign, start, inspect, plan the labour.
  jc = f.call(f.manager, "jobCards.AssignEngineer", {{"id", id}, {"engineerId", f.engineer_id}});
  CHECK(jc["status"] == "ASSIGNED");
  CHECK(f.events("job_card.assigned", "service_engineer") == 1);
  jc = f.call(f.engineer, "jobCards.Start", {{"id", id}});
  CHECK(jc["status"] == "IN_PROGRESS");
  jc = f.call(f.engineer, "jobCards.PreInspection",
              {{"id", id},
               {"odometerReading", 25000},
               {"fuelLevel", 80},
               {"exteriorCondition", "Minor scratches"},
               {"issuesReported", {"Brake noise"}},
               {"images", {"files/front.jpg"}},
               {"estimatedTime", "3.5"}});
  CHECK(jc["preInspection"]["inspectedBy"] == f.engineer_id);
  CHECK(jc["odometerReading"] == 25000);
  f.call(f.engineer, "jobCards.AddServiceLine",
         {{"id", id},
          {"serviceType", "Periodic maintenance"},
          {"rate", "1500.00"},
          {"hsnSac", "998714"},
          {"estimatedHours", "2"}});
  f.verify_stock();

  // Parts request: PARTS_PENDING, inventory managers told.
  const Json request =
      f.call(f.engineer, "jobCards.RequestParts",
             {{"id", id},
              {"parts",
               {{{"inventoryPartId", pads}, {"requestedQty", 2}, {"isWarranty", false}},
                {{"inventoryPartId", coolant}, {"requestedQty", "1.5"}},
                {{"inventoryPartId", cable}, {"requestedQty", 1}, {"isWarranty", true}}}},
              {"urgency", "HIGH"},
              {"notes", "Urgent requirement"}});
  CHECK(request["status"] == "PENDING");
  CHECK(f.get_job_card(id)["status"] == "PARTS_PENDING");
  CHECK(f.events("parts_request.created", "inventory_manager") == 1);
  CHECK(caught([&] {
          f.call(f.engineer, "jobCards.UpdateStatus", {{"id", id}, {"status", "IN_PROGRESS"}});
        }).code == ErrorCode::kPartsRequestPending);
  CHECK(f.store_stock(pads) == qty("10"));  // nothing moves before approval
  const Json pending =
      f.call(f.inventory_manager, "partsRequests.List", {{"filter", {{"status", "PENDING"}}}});
  REQUIRE(pending["data"].size() == 1);
  CHECK(pending["data"][0]["lines"].size() == 3);
  f.verify_stock();

  // Approve and issue: stock leaves the store exactly once.
  CHECK(caught([&] {
          f.call(f.engineer, "partsRequests.Approve", {{"id", request["id"]}});
        }).code == ErrorCode::kForbidden);
  const Json issued = f.call(f.inventory_manager, "partsRequests.Approve", {{"id", request["id"]}});
  CHECK(issued["status"] == "ISSUED");
  CHECK(f.store_stock(pads) == qty("8"));
  CHECK(f.store_stock(coolant) == qty("18.5"));
  CHECK(f.store_stock(cable) == qty("2"));
  CHECK(f.workshop_stock(pads) == qty("2"));
  CHECK(caught([&] {
          f.call(f.inventory_manager, "partsRequests.Approve", {{"id", request["id"]}});
        }).code == ErrorCode::kInvalidStatusTransition);
  CHECK(f.store_stock(pads) == qty("8"));
  jc = f.get_job_card(id);
  REQUIRE(jc["parts"].size() == 3);
  CHECK(jc["parts"][0]["unitPrice"] == "1249.50");
  CHECK(jc["parts"][0]["gstRate"] == "28");
  CHECK(jc["parts"][2]["isWarranty"] == true);
  CHECK(f.events("parts_request.issued", "service_engineer") == 1);
  f.verify_stock();

  // Resume, additional service approved, complete.
  jc = f.call(f.engineer, "jobCards.UpdateStatus", {{"id", id}, {"status", "IN_PROGRESS"}});
  CHECK(jc["status"] == "IN_PROGRESS");
  jc = f.call(f.engineer, "jobCards.RequestAdditionalService",
              {{"id", id},
               {"services",
                {{{"serviceType", "Brake fluid replacement"},
                  {"rate", "450.00"},
                  {"hsnSac", "998714"},
                  {"estimatedHours", "0.5"}}}}});
  CHECK(jc["status"] == "WAITING_CUSTOMER_APPROVAL");
  jc = f.call(f.manager, "jobCards.RespondAdditionalService",
              {{"id", id}, {"approved", true}, {"note", "approved on the phone"}});
  CHECK(jc["status"] == "IN_PROGRESS");
  CHECK(jc["estimatedCost"] == "5450.00");
  jc = f.call(f.engineer, "jobCards.Complete",
              {{"id", id},
               {"components",
                {{{"componentId", battery["id"]},
                  {"status", "healthy"},
                  {"description", "Pads and fluid replaced"},
                  {"cost", "2949.00"},
                  {"resolvedIssueIds", {issue["id"]}}}}}});
  CHECK(jc["status"] == "COMPLETED");
  const Json components = f.call(f.advisor, "vehicles.Components", {{"vehicleId", vehicle["id"]}});
  CHECK(components["components"][0]["status"] == "healthy");
  CHECK(components["components"][0]["lastServiceDate"] == "2025-06-02");
  CHECK(components["components"][0]["nextServiceDate"] == "2026-06-02");
  CHECK(components["components"][0]["issues"][0]["resolved"] == true);
  CHECK(components["components"][0]["serviceHistory"][0]["jobCardId"] == id);
  f.verify_stock();

  // Invoice: GST per the pricing rules, number only at finalize.
  Json invoice = f.call(f.manager, "invoices.CreateFromJobCard", {{"jobCardId", id}});
  CHECK(invoice["status"] == "DRAFT");
  CHECK(invoice["invoiceNumber"].is_null());
  REQUIRE(invoice["items"].size() == 5);
  CHECK(invoice["items"][2]["taxable"] == "2499.00");  // 2 x 1249.50 at 28 %
  CHECK(invoice["items"][2]["cgst"] == "349.86");
  CHECK(invoice["items"][3]["gross"] == "500.00");    // 1.5 x 333.33 = 499.995
  CHECK(invoice["items"][4]["unitPrice"] == "0.00");  // warranty
  CHECK(invoice["supplyType"] == "intra_state");
  CHECK(invoice["taxable"] == "4949.00");
  CHECK(invoice["cgst"] == "570.36");
  CHECK(invoice["sgst"] == "570.36");
  CHECK(invoice["igst"] == "0.00");
  CHECK(invoice["total"] == "6089.72");
  CHECK(invoice["roundOff"] == "0.28");
  CHECK(invoice["grandTotal"] == "6090.00");
  CHECK(f.get_job_card(id)["status"] == "COMPLETED");
  invoice = f.call(f.manager, "invoices.Finalize", {{"id", invoice["id"]}});
  CHECK(invoice["invoiceNumber"] == "SC001/2526/00001");
  jc = f.get_job_card(id);
  CHECK(jc["status"] == "INVOICED");
  CHECK(jc["invoiceNumber"] == "SC001/2526/00001");
  f.verify_stock();

  // Partial payment: not yet deliverable.
  f.clock.advance_seconds(3600);
  invoice = f.call(f.advisor, "invoices.RecordPayment",
                   {{"id", invoice["id"]},
                    {"amount", "2000.00"},
                    {"paymentMethod", "card"},
                    {"transactionId", "CARD-42"}});
  CHECK(invoice["status"] == "PARTIALLY_PAID");
  CHECK(caught([&] {
          f.call(f.manager, "jobCards.Deliver", {{"id", id}});
        }).code == ErrorCode::kInvoiceNotPaid);
  CHECK(
      f.call(f.manager, "customers.Get", {{"id", customer["id"]}})["lastInvoiceNumber"].is_null());

  // Full payment: workflow 4's updates.
  f.clock.advance_seconds(600);
  const std::string paid_at = f.clock.now().to_string();
  invoice = f.call(f.manager, "invoices.RecordPayment",
                   {{"id", invoice["id"]}, {"amount", "4090.00"}, {"paymentMethod", "cash"}});
  CHECK(invoice["status"] == "PAID");
  const Json c_after = f.call(f.manager, "customers.Get", {{"id", customer["id"]}});
  CHECK(c_after["lastServiceCenterId"] == f.center_id);
  CHECK(c_after["lastServiceDate"] == paid_at);
  CHECK(c_after["lastInvoiceNumber"] == "SC001/2526/00001");
  Json v_after = f.call(f.manager, "vehicles.Get", {{"id", vehicle["id"]}});
  CHECK(v_after["lastServiceDate"] == paid_at);
  CHECK(v_after["lastServiceCenterId"] == f.center_id);
  CHECK(v_after["totalServices"] == 1);
  CHECK(v_after["totalSpent"] == "6090.00");
  // Seed 002 workflow 4 frees the vehicle at PAID (issue 11); delivery is the handover record.
  CHECK(v_after["currentStatus"] == "AVAILABLE");
  CHECK(v_after["activeJobCardId"].is_null());
  f.verify_stock();

  jc = f.call(f.manager, "jobCards.Deliver",
              {{"id", id}, {"customerFeedback", "Excellent"}, {"feedbackRating", 5}});
  CHECK(jc["status"] == "DELIVERED");
  v_after = f.call(f.manager, "vehicles.Get", {{"id", vehicle["id"]}});
  CHECK(v_after["currentStatus"] == "AVAILABLE");
  CHECK(v_after["activeJobCardId"].is_null());
  CHECK(v_after["totalServices"] == 1);
  CHECK(v_after["totalSpent"] == "6090.00");
  f.verify_stock();

  const Json history = f.call(f.advisor, "vehicles.ServiceHistory", {{"vehicleId", vehicle["id"]}});
  REQUIRE(history["data"].size() == 1);
  const Json& row = history["data"][0];
  CHECK(row["jobCardNumber"] == "SC001-2025-06-0001");
  CHECK(row["serviceType"] == "Regular Service");
  CHECK(row["serviceCenterName"] == "SC001 service center");
  CHECK(row["engineerName"] == "Test service_engineer");
  CHECK(row["parts"] == Json({"Brake pad set", "Coolant", "HV cable"}));
  CHECK(row["partsCost"] == "3788.72");  // 2499 + 699.72 + 500 + 90 + 0
  CHECK(row["laborCost"] == "2301.00");  // 1500 + 270 + 450 + 81
  CHECK(row["totalCost"] == "6090.00");
  CHECK(row["invoiceNumber"] == "SC001/2526/00001");
  CHECK(row["status"] == "DELIVERED");
  CHECK(row["odometerReading"] == 25000);
  CHECK(row["feedbackRating"] == 5);
  const Json expanded = f.call(f.call_center, "customers.Get",
                               {{"id", customer["id"]}, {"expand", "vehicles.serviceHistory"}});
  CHECK(expanded["lastInvoiceNumber"] == "SC001/2526/00001");
  CHECK(expanded["vehicles"][0]["serviceHistory"][0]["totalCost"] == "6090.00");
  CHECK(f.call(f.system, "auditLogs.Verify")["ok"] == true);
}

TEST_CASE(
    "workshop: partial issue, rejection, shortage, returns, "
    "cancellation, credit note") {
  StockedWorkshop f(GENERATE(test::engines()));
  INFO("engine: " << storage::engine_name(f.database.engine()));
  const std::string pads = f.part("BP-100", "Brake pad set", "87083000", "28", "1000.00", "5");
  const std::string fuse = f.part("FS-1", "Fuse", "85361010", "18", "50.00", "1");
  Json jc = f.job_card_in("IN_PROGRESS");
  const std::string id = jc["id"];
  auto request_parts = [&](const std::string& part, const char* quantity) {
    return f.call(f.engineer, "jobCards.RequestParts",
                  {{"id", id}, {"parts", {{{"partId", part}, {"requestedQty", quantity}}}}});
  };

  // More than the store holds: INSUFFICIENT_STOCK, nothing moves.
  Json r = request_parts(fuse, "2");
  CHECK(f.call(f.inventory_manager, "partsRequests.Get", {{"id", r["id"]}})["status"] == "PENDING");
  CHECK(caught([&] {
          f.call(f.inventory_manager, "partsRequests.Approve", {{"id", r["id"]}});
        }).code == ErrorCode::kInsufficientStock);
  CHECK(f.store_stock(fuse) == qty("1"));
  // A partial issue, then a rejection.
  const Json line = r["lines"][0];
  auto e = caught([&] {
    f.call(f.inventory_manager, "partsRequests.Approve",
           {{"id", r["id"]}, {"lines", {{{"lineId", line["id"]}, {"approvedQty", "3"}}}}});
  });
  CHECK(e.field == "lines[0].approvedQty");
  r = f.call(f.inventory_manager, "partsRequests.Approve",
             {{"id", r["id"]}, {"lines", {{{"lineId", line["id"]}, {"approvedQty", "1"}}}}});
  CHECK(r["status"] == "PARTIALLY_ISSUED");
  CHECK(f.store_stock(fuse) == qty("0"));
  r = request_parts(pads, "1");
  r = f.call(f.inventory_manager, "partsRequests.Reject",
             {{"id", r["id"]}, {"reason", "wrong part"}});
  CHECK(r["status"] == "REJECTED");
  f.verify_stock();

  // Issue 3 pads, return 1 unused.
  r = request_parts(pads, "3");
  f.call(f.inventory_manager, "partsRequests.Approve", {{"id", r["id"]}});
  CHECK(f.store_stock(pads) == qty("2"));
  jc = f.get_job_card(id);
  std::string pad_line;
  for (const Json& p : jc["parts"]) {
    if (p["partId"] == pads) pad_line = p["id"];
  }
  CHECK(caught([&] {
          f.call(f.inventory_manager, "partsRequests.ReturnPart",
                 {{"jobCardPartId", pad_line}, {"quantity", "4"}});
        }).field == "quantity");
  jc = f.call(f.inventory_manager, "partsRequests.ReturnPart",
              {{"jobCardPartId", pad_line}, {"quantity", "1"}, {"reason", "not needed"}});
  CHECK(f.store_stock(pads) == qty("3"));
  f.verify_stock();

  // Cancelling returns what is left unused: 2 pads and the fuse.
  f.call(f.engineer, "jobCards.UpdateStatus", {{"id", id}, {"status", "IN_PROGRESS"}});
  jc = f.call(f.manager, "jobCards.Cancel", {{"id", id}, {"reason", "customer withdrew"}});
  CHECK(jc["status"] == "CANCELLED");
  CHECK(f.store_stock(pads) == qty("5"));
  CHECK(f.store_stock(fuse) == qty("1"));
  CHECK(f.workshop_stock(pads) == qty("0"));
  f.verify_stock();

  // A credit note on a paid job-card invoice returns its parts and the
  // vehicle's totals.
  Json second = f.job_card_in("IN_PROGRESS");
  r = f.call(f.engineer, "jobCards.RequestParts",
             {{"id", second["id"]}, {"parts", {{{"partId", pads}, {"requestedQty", "2"}}}}});
  f.call(f.inventory_manager, "partsRequests.Approve", {{"id", r["id"]}});
  f.call(f.engineer, "jobCards.UpdateStatus", {{"id", second["id"]}, {"status", "IN_PROGRESS"}});
  f.call(f.engineer, "jobCards.Complete", {{"id", second["id"]}});
  Json invoice = f.call(f.manager, "invoices.CreateFromJobCard", {{"jobCardId", second["id"]}});
  invoice = f.call(f.manager, "invoices.Finalize", {{"id", invoice["id"]}});
  f.call(f.manager, "invoices.RecordPayment",
         {{"id", invoice["id"]}, {"amount", invoice["grandTotal"]}, {"paymentMethod", "cash"}});
  const std::string vehicle_id = second["vehicleId"];
  CHECK(f.call(f.manager, "vehicles.Get", {{"id", vehicle_id}})["totalServices"] == 1);
  CHECK(f.store_stock(pads) == qty("3"));
  const Json note = f.call(f.manager, "invoices.CreditNote",
                           {{"id", invoice["id"]}, {"reason", "warranty claim accepted"}});
  CHECK(note["grandTotal"] == "-" + invoice["grandTotal"].get<std::string>());
  CHECK(f.store_stock(pads) == qty("5"));
  const Json v = f.call(f.manager, "vehicles.Get", {{"id", vehicle_id}});
  CHECK(v["totalServices"] == 0);
  CHECK(v["totalSpent"] == "0.00");
  f.verify_stock();
  // The job card can be invoiced again, now without the returned parts.
  const Json again = f.call(f.manager, "invoices.CreateFromJobCard", {{"jobCardId", second["id"]}});
  CHECK(again["items"].size() == 1);
  f.call(f.manager, "invoices.Finalize", {{"id", again["id"]}});
  CHECK(f.get_job_card(second["id"])["invoiceId"] == again["id"]);
  f.verify_stock();
}

TEST_CASE(
    "workshop: delivery with a waived payment, and a manual invoice's parts and its credit note") {
  StockedWorkshop f(GENERATE(test::engines()));
  INFO("engine: " << storage::engine_name(f.database.engine()));
  const std::string tyre = f.part("TY-15", "Tyre 195/55 R16", "40111010", "28", "4500.00", "4");

  // An unpaid invoice blocks delivery unless a manager waives payment, with a reason, audited.
  const Json jc = f.job_card_in("INVOICED");
  const std::string id = jc["id"];
  CHECK(jc["paymentStatus"] == "PENDING");
  CHECK(caught([&] {
          f.call(f.engineer, "jobCards.Deliver",
                 {{"id", id}, {"waivePayment", true}, {"waiverReason", "fleet account"}});
        }).code == ErrorCode::kForbidden);
  auto e = caught([&] {
    f.call(f.manager, "jobCards.Deliver", {{"id", id}, {"waivePayment", true}});
  });
  CHECK(e.code == ErrorCode::kValidation);
  CHECK(e.field == "waiverReason");
  const Json delivered = f.call(
      f.manager, "jobCards.Deliver",
      {{"id", id}, {"waivePayment", true}, {"waiverReason", "fleet account, monthly settlement"}});
  CHECK(delivered["status"] == "DELIVERED");
  CHECK(delivered["paymentWaivedBy"] == f.manager.user_id);
  CHECK(f.count("SELECT COUNT(*) FROM audit_logs WHERE action = 'PAYMENT_WAIVED' AND entity_id = ?",
                {id}) == 1);
  const Json vehicle = f.call(f.manager, "vehicles.Get", {{"id", jc["vehicleId"]}});
  CHECK(vehicle["currentStatus"] == "AVAILABLE");
  CHECK(vehicle["totalServices"] == 0);  // workflow 4's totals wait for the payment
  f.verify_stock();

  // A manual invoice with a catalog part: the part leaves the store at finalize, and comes back
  // with the credit note.
  const Json customer = f.customer();
  Json invoice = f.call(f.manager, "invoices.Create",
                        {{"customerId", customer["id"]},
                         {"items",
                          {{{"type", "part"},
                            {"description", "Tyre 195/55 R16"},
                            {"hsnSac", "40111010"},
                            {"quantity", "2"},
                            {"unitPrice", "4500.00"},
                            {"gstRate", "28"},
                            {"partId", tyre}}}}});
  CHECK(f.store_stock(tyre) == qty("4"));
  invoice = f.call(f.manager, "invoices.Finalize", {{"id", invoice["id"]}});
  CHECK(invoice["grandTotal"] == "11520.00");
  CHECK(f.store_stock(tyre) == qty("2"));
  f.verify_stock();
  f.call(f.manager, "invoices.CreditNote", {{"id", invoice["id"]}, {"reason", "returned unused"}});
  CHECK(f.store_stock(tyre) == qty("4"));
  f.verify_stock();
}

namespace {

// A job card of `customer`'s `vehicle` with one service line and `parts` pads issued, completed
// and invoiced (the invoice finalized, not paid). Returns {job card, invoice}.
std::pair<Json, Json> invoiced_job_card(StockedWorkshop& f, const Json& customer,
                                        const Json& vehicle, const std::string& part,
                                        const char* parts) {
  const Json jc = f.call(f.advisor, "jobCards.Create",
                         {{"customerId", customer["id"]},
                          {"vehicleId", vehicle["id"]},
                          {"serviceType", "Regular Service"},
                          {"estimatedCost", "2500.00"}});
  const std::string id = jc["id"];
  f.call(f.manager, "jobCards.AssignEngineer", {{"id", id}, {"engineerId", f.engineer_id}});
  f.call(f.engineer, "jobCards.Start", {{"id", id}});
  f.call(f.engineer, "jobCards.AddServiceLine",
         {{"id", id}, {"serviceType", "Periodic maintenance"}, {"rate", "1000.00"}});
  const Json r = f.call(f.engineer, "jobCards.RequestParts",
                        {{"id", id}, {"parts", {{{"partId", part}, {"requestedQty", parts}}}}});
  f.call(f.inventory_manager, "partsRequests.Approve", {{"id", r["id"]}});
  f.call(f.engineer, "jobCards.UpdateStatus", {{"id", id}, {"status", "IN_PROGRESS"}});
  f.call(f.engineer, "jobCards.Complete", {{"id", id}});
  Json invoice = f.call(f.manager, "invoices.CreateFromJobCard", {{"jobCardId", id}});
  invoice = f.call(f.manager, "invoices.Finalize", {{"id", invoice["id"]}});
  return {f.get_job_card(id), invoice};
}

void pay(StockedWorkshop& f, const Json& invoice) {
  f.call(f.manager, "invoices.RecordPayment",
         {{"id", invoice["id"]}, {"amount", invoice["grandTotal"]}, {"paymentMethod", "cash"}});
}

}  // namespace

TEST_CASE("workshop: seed 002 workflow 4 frees the vehicle at PAID, and delivery still needs payment") {
  StockedWorkshop f(GENERATE(test::engines()));
  INFO("engine: " << storage::engine_name(f.database.engine()));
  const std::string pads = f.part("BP-100", "Brake pad set", "87083000", "28", "1000.00", "10");
  const Json customer = f.customer();
  const Json vehicle = f.vehicle(customer["id"]);
  auto [jc, invoice] = invoiced_job_card(f, customer, vehicle, pads, "1");
  f.verify_stock();
  // Invoiced but unpaid: the vehicle is still held, and delivery needs the payment (or a waiver).
  CHECK(f.call(f.manager, "vehicles.Get", {{"id", vehicle["id"]}})["currentStatus"] ==
        "ACTIVE_JOB_CARD");
  CHECK(caught([&] {
          f.call(f.manager, "jobCards.Deliver", {{"id", jc["id"]}});
        }).code == ErrorCode::kInvoiceNotPaid);
  pay(f, invoice);
  Json v = f.call(f.manager, "vehicles.Get", {{"id", vehicle["id"]}});
  CHECK(v["currentStatus"] == "AVAILABLE");
  CHECK(v["activeJobCardId"].is_null());
  CHECK(f.get_job_card(jc["id"])["status"] == "INVOICED");
  CHECK(f.get_job_card(jc["id"])["paymentStatus"] == "PAID");
  // Freeing the vehicle is a transition of its own: audited, with its event.
  CHECK(f.count("SELECT COUNT(*) FROM audit_logs WHERE entity_type = 'vehicle' AND entity_id = ? "
                "AND action = 'UPDATE' AND new_values LIKE '%\"currentStatus\":\"AVAILABLE\"%'",
                {vehicle["id"].get<std::string>()}) == 1);
  CHECK(f.count("SELECT COUNT(*) FROM outbox_events WHERE type = 'vehicle.status_changed'") >= 2);
  f.verify_stock();
  // A host without a delivery step opens the vehicle's next job card at once.
  const Json next = f.call(f.advisor, "jobCards.Create",
                           {{"customerId", customer["id"]},
                            {"vehicleId", vehicle["id"]},
                            {"serviceType", "Regular Service"},
                            {"estimatedCost", "2500.00"}});
  CHECK(next["status"] == "CREATED");
  v = f.call(f.manager, "vehicles.Get", {{"id", vehicle["id"]}});
  CHECK(v["activeJobCardId"] == next["id"]);
  // Delivery of the paid one is still the handover record, and leaves the new job card's hold.
  const Json delivered = f.call(f.manager, "jobCards.Deliver", {{"id", jc["id"]}});
  CHECK(delivered["status"] == "DELIVERED");
  v = f.call(f.manager, "vehicles.Get", {{"id", vehicle["id"]}});
  CHECK(v["currentStatus"] == "ACTIVE_JOB_CARD");
  CHECK(v["activeJobCardId"] == next["id"]);
  f.verify_stock();
}

TEST_CASE("workshop: a credit note after delivery leaves the parts gone and restores the last service restored") {
  StockedWorkshop f(GENERATE(test::engines()));
  INFO("engine: " << storage::engine_name(f.database.engine()));
  const std::string pads = f.part("BP-100", "Brake pad set", "87083000", "28", "1000.00", "10");
  const Json customer = f.customer();
  const Json vehicle = f.vehicle(customer["id"]);

  // First service: paid and delivered.
  auto [first, first_invoice] = invoiced_job_card(f, customer, vehicle, pads, "2");
  f.clock.advance_seconds(3600);
  const std::string first_paid_at = f.clock.now().to_string();
  pay(f, first_invoice);
  f.call(f.manager, "jobCards.Deliver", {{"id", first["id"]}});
  CHECK(f.store_stock(pads) == qty("8"));
  f.verify_stock();

  // Second service, paid and delivered: the last-service fields are its.
  f.clock.advance_seconds(86400);
  auto [second, second_invoice] = invoiced_job_card(f, customer, vehicle, pads, "3");
  f.clock.advance_seconds(3600);
  pay(f, second_invoice);
  f.call(f.manager, "jobCards.Deliver", {{"id", second["id"]}});
  CHECK(f.store_stock(pads) == qty("5"));
  CHECK(f.call(f.manager, "customers.Get", {{"id", customer["id"]}})["lastInvoiceNumber"] ==
        second_invoice["invoiceNumber"]);
  f.verify_stock();

  // A credit note on the delivered second invoice: its pads left with the vehicle and stay
  // gone (no phantom stock); the last-service fields go back to the first invoice's.
  f.clock.advance_seconds(3600);
  f.call(f.manager, "invoices.CreditNote", {{"id", second_invoice["id"]}, {"reason", "goodwill"}});
  CHECK(f.store_stock(pads) == qty("5"));
  CHECK(f.workshop_stock(pads) == qty("5"));
  f.verify_stock();
  Json c = f.call(f.manager, "customers.Get", {{"id", customer["id"]}});
  CHECK(c["lastInvoiceNumber"] == first_invoice["invoiceNumber"]);
  CHECK(c["lastServiceDate"] == first_paid_at);
  CHECK(c["lastServiceCenterId"] == f.center_id);
  Json v = f.call(f.manager, "vehicles.Get", {{"id", vehicle["id"]}});
  CHECK(v["lastServiceDate"] == first_paid_at);
  CHECK(v["lastServiceCenterId"] == f.center_id);
  CHECK(v["totalServices"] == 1);
  CHECK(f.get_job_card(second["id"])["paymentStatus"].is_null());
  CHECK(f.get_job_card(second["id"])["status"] == "DELIVERED");

  // And on the first: nothing paid is left, the fields are empty.
  f.call(f.manager, "invoices.CreditNote", {{"id", first_invoice["id"]}, {"reason", "goodwill"}});
  CHECK(f.store_stock(pads) == qty("5"));
  f.verify_stock();
  c = f.call(f.manager, "customers.Get", {{"id", customer["id"]}});
  CHECK(c["lastInvoiceNumber"].is_null());
  CHECK(c["lastServiceDate"].is_null());
  CHECK(c["lastServiceCenterId"].is_null());
  v = f.call(f.manager, "vehicles.Get", {{"id", vehicle["id"]}});
  CHECK(v["lastServiceDate"].is_null());
  CHECK(v["lastServiceCenterId"].is_null());
  CHECK(v["totalServices"] == 0);
  CHECK(v["totalSpent"] == "0.00");
  CHECK(f.call(f.system, "auditLogs.Verify")["ok"] == true);
}

TEST_CASE("workshop: side effects of a transition are transitions, audited with events") {
  StockedWorkshop f(GENERATE(test::engines()));
  INFO("engine: " << storage::engine_name(f.database.engine()));
  const std::string pads = f.part("BP-100", "Brake pad set", "87083000", "28", "1000.00", "10");
  const Json jc = f.job_card_in("IN_PROGRESS");
  const std::string id = jc["id"];
  const Json r = f.call(f.engineer, "jobCards.RequestParts",
                        {{"id", id}, {"parts", {{{"partId", pads}, {"requestedQty", "1"}}}}});
  const std::string request_id = r["id"];
  f.verify_stock();
  f.call(f.manager, "jobCards.Cancel", {{"id", id}, {"reason", "customer withdrew"}});
  CHECK(f.call(f.inventory_manager, "partsRequests.Get", {{"id", request_id}})["status"] ==
        "CANCELLED");
  CHECK(f.count("SELECT COUNT(*) FROM audit_logs WHERE action = 'CANCEL' AND entity_type = "
                "'parts_request' AND entity_id = ?",
                {request_id}) == 1);
  CHECK(f.count("SELECT COUNT(*) FROM outbox_events WHERE type = 'parts_request.cancelled'") == 1);
  CHECK(f.count("SELECT COUNT(*) FROM audit_logs WHERE entity_type = 'vehicle' AND entity_id = ?",
                {jc["vehicleId"].get<std::string>()}) >= 2);  // held, then freed
  f.verify_stock();

  // Billing moves the job card's payment status through its table, audited.
  const Json paid = f.job_card_in("INVOICED");
  CHECK(paid["paymentStatus"] == "PENDING");
  CHECK(f.count("SELECT COUNT(*) FROM audit_logs WHERE entity_type = 'job_card' AND entity_id = ? "
                "AND action = 'UPDATE' AND new_values LIKE '%\"paymentStatus\":\"PENDING\"%'",
                {paid["id"].get<std::string>()}) == 1);
  CHECK(f.count("SELECT COUNT(*) FROM outbox_events WHERE type = "
                "'job_card.payment_status_changed'") == 1);
  f.verify_stock();
}
