// Each business rule answers its own code (docs/decisions/0001-error-model.md): the rules that no
// other test reaches are driven here, on both engines, through the services.
#include <catch2/catch.hpp>

#include "engines.hpp"
#include "workshop_fixture.hpp"

using dms::ErrorCode;
using dms::Json;
using dms::test::caught;

namespace {

Json manual_invoice(dms::test::WorkshopFixture& f, const std::string& customer_id) {
  return f.call(f.manager, "invoices.Create",
                {{"customerId", customer_id},
                 {"items",
                  {{{"type", "service"},
                    {"description", "Battery health check"},
                    {"hsnSac", "998714"},
                    {"quantity", "1"},
                    {"unitPrice", "1000.00"},
                    {"gstRate", "18"}}}}});
}

std::string stocked_part(dms::test::WorkshopFixture& f) {
  const Json part = f.call(f.system, "inventory.CreatePart",
                           {{"partNumber", "BP-1"},
                            {"name", "Brake pad set"},
                            {"hsnCode", "87083000"},
                            {"gstRate", "28"},
                            {"costPrice", "100.00"},
                            {"unitPrice", "1000.00"},
                            {"unit", "piece"}});
  f.call(f.system, "inventory.AdjustStock",
         {{"partId", part["id"]},
          {"serviceCenterId", f.center_id},
          {"adjustmentType", "ADD"},
          {"quantity", "5"},
          {"reason", "STOCK_RECEIVED"},
          {"unitCost", "100.00"}});
  return part["id"];
}

}  // namespace

TEST_CASE("codes: identity rules") {
  dms::test::WorkshopFixture f(GENERATE(dms::test::engines()));
  const Json admin_user =
      f.create_user("admin", std::nullopt, "root@dealer.example", "+919700000001");
  const dms::Context admin = f.db->context_for_user(admin_user["id"]);
  CHECK(caught([&] {
          f.call(admin, "users.Deactivate", {{"id", admin_user["id"]}});
        }).code == ErrorCode::kCannotDeactivateSelf);

  f.call(f.system, "serviceCenters.Update", {{"id", f.other_center_id}, {"isActive", false}});
  CHECK(caught([&] {
          f.create_user("service_advisor", f.other_center_id, "late@dealer.example",
                        "+919700000002");
        }).code == ErrorCode::kServiceCenterInactive);
}

TEST_CASE("codes: job card and service line rules") {
  dms::test::WorkshopFixture f(GENERATE(dms::test::engines()));
  INFO("engine: " << dms::storage::engine_name(f.database.engine()));

  const Json busy = f.job_card();
  CHECK(caught([&] {
          f.call(f.manager, "customers.Delete", {{"id", busy["customerId"]}});
        }).code == ErrorCode::kCustomerHasOpenJobCard);

  const std::string working = f.job_card_in("IN_PROGRESS")["id"];
  CHECK(caught([&] {
          f.call(f.engineer, "jobCards.UpdateStatus",
                 {{"id", working}, {"status", "WAITING_CUSTOMER_APPROVAL"}});
        }).code == ErrorCode::kCustomerApprovalRequired);
  CHECK(caught([&] {
          f.call(f.manager, "jobCards.RespondAdditionalService",
                 {{"id", working}, {"approved", true}});
        }).code == ErrorCode::kNoAdditionalServicePending);

  // A line waiting for the customer cannot be completed; once declined, never.
  Json doc = f.call(
      f.engineer, "jobCards.RequestAdditionalService",
      {{"id", working}, {"services", {{{"serviceType", "Coolant flush"}, {"rate", "650.00"}}}}});
  std::string extra_line;
  for (const Json& line : doc["services"]) {
    if (line["approvalStatus"] == "PENDING") extra_line = line["id"];
  }
  REQUIRE_FALSE(extra_line.empty());
  CHECK(caught([&] {
          f.call(f.engineer, "jobCards.UpdateServiceLine",
                 {{"id", working}, {"lineId", extra_line}, {"status", "COMPLETED"}});
        }).code == ErrorCode::kServiceLineNotApproved);
  f.call(f.manager, "jobCards.RespondAdditionalService", {{"id", working}, {"approved", false}});
  CHECK(caught([&] {
          f.call(f.engineer, "jobCards.Complete",
                 {{"id", working}, {"lines", {{{"lineId", extra_line}, {"status", "COMPLETED"}}}}});
        }).code == ErrorCode::kServiceLineDeclined);

  const std::string completed = f.job_card_in("COMPLETED")["id"];
  CHECK(caught([&] {
          f.call(f.manager, "jobCards.AddServiceLine",
                 {{"id", completed}, {"serviceType", "Wash"}, {"rate", "100.00"}});
        }).code == ErrorCode::kServiceLinesClosed);
  CHECK(caught([&] {
          f.call(f.manager, "jobCards.PreInspection", {{"id", completed}, {"fuelLevel", 50}});
        }).code == ErrorCode::kPreInspectionClosed);
  CHECK(caught([&] {
          f.call(f.manager, "jobCards.UpdateStatus", {{"id", completed}, {"status", "INVOICED"}});
        }).code == ErrorCode::kInvoicedByInvoice);
}

TEST_CASE("codes: parts request rules") {
  dms::test::WorkshopFixture f(GENERATE(dms::test::engines()));
  INFO("engine: " << dms::storage::engine_name(f.database.engine()));
  const std::string part = stocked_part(f);
  const std::string id = f.job_card_in("IN_PROGRESS")["id"];
  auto request = [&] {
    return f.call(f.engineer, "jobCards.RequestParts",
                  {{"id", id}, {"parts", {{{"partId", part}, {"requestedQty", "1"}}}}});
  };
  const Json pending = request();
  // A job card that left the workshop behind the services' back takes no parts.
  f.exec("UPDATE job_cards SET status = 'COMPLETED' WHERE id = ?", {id});
  CHECK(caught([&] {
          f.call(f.inventory_manager, "partsRequests.Approve", {{"id", pending["id"]}});
        }).code == ErrorCode::kJobCardClosedForParts);
  f.exec("UPDATE job_cards SET status = 'PARTS_PENDING' WHERE id = ?", {id});
  f.call(f.inventory_manager, "partsRequests.Approve", {{"id", pending["id"]}});
  std::string issued;
  const Json with_parts = f.get_job_card(id);
  for (const Json& p : with_parts["parts"]) issued = p["id"];
  REQUIRE_FALSE(issued.empty());
  f.exec("UPDATE job_cards SET status = 'DELIVERED' WHERE id = ?", {id});
  CHECK(caught([&] {
          f.call(f.inventory_manager, "partsRequests.ReturnPart",
                 {{"jobCardPartId", issued}, {"quantity", "1"}});
        }).code == ErrorCode::kPartsReturnClosed);
}

TEST_CASE("codes: invoicing rules") {
  dms::test::WorkshopFixture f(GENERATE(dms::test::engines()));
  INFO("engine: " << dms::storage::engine_name(f.database.engine()));

  const std::string working = f.job_card_in("IN_PROGRESS")["id"];
  CHECK(caught([&] {
          f.call(f.manager, "invoices.CreateFromJobCard", {{"jobCardId", working}});
        }).code == ErrorCode::kJobCardNotCompleted);

  const std::string completed = f.job_card_in("COMPLETED")["id"];
  const Json draft = f.call(f.manager, "invoices.CreateFromJobCard", {{"jobCardId", completed}});
  CHECK(caught([&] {
          f.call(f.manager, "invoices.CreateFromJobCard", {{"jobCardId", completed}});
        }).code == ErrorCode::kJobCardAlreadyInvoiced);
  CHECK(caught([&] {
          f.call(f.manager, "invoices.Update",
                 {{"id", draft["id"]},
                  {"items",
                   {{{"type", "service"},
                     {"description", "x"},
                     {"hsnSac", "998714"},
                     {"quantity", "1"},
                     {"unitPrice", "1.00"},
                     {"gstRate", "18"}}}}});
        }).code == ErrorCode::kJobCardItemsFixed);

  // Completed with no line and no part: nothing to invoice.
  const std::string empty = f.job_card_in("ASSIGNED")["id"];
  f.call(f.engineer, "jobCards.Start", {{"id", empty}});
  f.call(f.engineer, "jobCards.Complete", {{"id", empty}});
  CHECK(caught([&] {
          f.call(f.manager, "invoices.CreateFromJobCard", {{"jobCardId", empty}});
        }).code == ErrorCode::kNothingToInvoice);

  // A credit note is not an invoice.
  const Json c = f.customer();
  Json invoice = manual_invoice(f, c["id"]);
  invoice = f.call(f.manager, "invoices.Finalize", {{"id", invoice["id"]}});
  const Json note =
      f.call(f.manager, "invoices.CreditNote", {{"id", invoice["id"]}, {"reason", "billed twice"}});
  CHECK(caught([&] {
          f.call(f.manager, "invoices.CreditNote", {{"id", note["id"]}, {"reason", "again"}});
        }).code == ErrorCode::kDocumentIsCreditNote);
  CHECK(caught([&] {
          f.call(f.manager, "invoices.RecordPayment",
                 {{"id", note["id"]}, {"amount", "1.00"}, {"paymentMethod", "cash"}});
        }).code == ErrorCode::kDocumentIsCreditNote);

  // A center without a GST state cannot tax.
  f.exec("UPDATE service_centers SET state_code = NULL, state = NULL WHERE id = ?", {f.center_id});
  CHECK(caught([&] { manual_invoice(f, c["id"]); }).code == ErrorCode::kServiceCenterNoGstState);
}
