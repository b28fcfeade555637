// jobCards.*, serviceRequests.*, appointments.*: the transition table through the services,
// numbering, one open job card per vehicle, assignment rules, tenancy, cancellation, workload and
// bulk updates.
#include <catch2/catch.hpp>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "workshop/workflows.hpp"
#include "workshop_fixture.hpp"

using namespace dms;
using dms::test::caught;

namespace {

// Performs the move `to` on job card `jc` through the method that owns it.
void perform(test::WorkshopFixture& f, const Json& jc, const std::string& to) {
  const std::string id = jc["id"];
  if (to == "ASSIGNED") {
    f.call(f.manager, "jobCards.AssignEngineer", {{"id", id}, {"engineerId", f.engineer_id}});
  } else if (to == "IN_PROGRESS" && jc["status"] == "WAITING_CUSTOMER_APPROVAL") {
    f.call(f.manager, "jobCards.RespondAdditionalService", {{"id", id}, {"approved", true}});
  } else if (to == "WAITING_CUSTOMER_APPROVAL") {
    f.call(f.engineer, "jobCards.RequestAdditionalService",
           {{"id", id}, {"services", {{{"serviceType", "Wiper blades"}, {"rate", "400.00"}}}}});
  } else if (to == "COMPLETED") {
    f.call(f.engineer, "jobCards.Complete", {{"id", id}});
  } else if (to == "INVOICED") {
    const Json invoice = f.call(f.manager, "invoices.CreateFromJobCard", {{"jobCardId", id}});
    f.call(f.manager, "invoices.Finalize", {{"id", invoice["id"]}});
  } else if (to == "DELIVERED") {
    const Json doc = f.get_job_card(id);
    f.call(f.manager, "invoices.RecordPayment",
           {{"id", doc["invoiceId"]}, {"amount", "1180.00"}, {"paymentMethod", "cash"}});
    f.call(f.manager, "jobCards.Deliver", {{"id", id}});
  } else if (to == "CANCELLED") {
    f.call(f.manager, "jobCards.Cancel", {{"id", id}, {"reason", "customer withdrew"}});
  } else {
    f.call(f.engineer, "jobCards.UpdateStatus", {{"id", id}, {"status", to}});
  }
}

}  // namespace

TEST_CASE("workshop: every allowed job-card transition is accepted, every other rejected") {
  test::WorkshopFixture f(GENERATE(test::engines()));
  INFO("engine: " << storage::engine_name(f.database.engine()));
  const std::vector<std::string> states = {
      "CREATED",   "ASSIGNED", "IN_PROGRESS", "PARTS_PENDING", "WAITING_CUSTOMER_APPROVAL",
      "COMPLETED", "INVOICED", "DELIVERED",   "CANCELLED"};
  const std::set<std::pair<std::string, std::string>> allowed = {
      {"CREATED", "ASSIGNED"},
      {"ASSIGNED", "IN_PROGRESS"},
      {"IN_PROGRESS", "PARTS_PENDING"},
      {"IN_PROGRESS", "COMPLETED"},
      {"PARTS_PENDING", "IN_PROGRESS"},
      {"COMPLETED", "INVOICED"},
      {"IN_PROGRESS", "WAITING_CUSTOMER_APPROVAL"},
      {"WAITING_CUSTOMER_APPROVAL", "IN_PROGRESS"},
      {"INVOICED", "DELIVERED"},
      {"CREATED", "CANCELLED"},
      {"ASSIGNED", "CANCELLED"},
      {"IN_PROGRESS", "CANCELLED"},
      {"PARTS_PENDING", "CANCELLED"},
      {"WAITING_CUSTOMER_APPROVAL", "CANCELLED"}};
  int accepted = 0;
  int rejected = 0;
  for (const std::string& from : states) {
    const Json parked = f.job_card_in(from);  // rejected moves must leave it unchanged
    REQUIRE(parked["status"] == from);
    for (const std::string& to : states) {
      INFO(from << " -> " << to);
      if (allowed.count({from, to})) {
        const Json jc = f.job_card_in(from);
        perform(f, jc, to);
        CHECK(f.get_job_card(jc["id"])["status"] == to);
        ++accepted;
        continue;
      }
      const auto e = caught([&] {
        f.call(f.manager, "jobCards.UpdateStatus",
               {{"id", parked["id"]},
                {"status", to},
                {"engineerId", f.engineer_id},
                {"reason", "test"}});
      });
      CHECK(e.code == ErrorCode::kInvalidStatusTransition);
      CHECK(e.from == from);
      CHECK(e.to == to);
      CHECK(f.get_job_card(parked["id"])["status"] == from);
      ++rejected;
    }
  }
  CHECK(accepted == 14);
  CHECK(rejected == 81 - 14);
}

TEST_CASE("workshop: job card number, part1Data, one open job card per vehicle") {
  test::WorkshopFixture f(GENERATE(test::engines()));
  INFO("engine: " << storage::engine_name(f.database.engine()));
  const Json c = f.customer({{"name", "John Doe"}});
  const Json v = f.vehicle(c["id"], {{"registration", "MH01AB1234"},
                                     {"vin", "VIN12345"},
                                     {"vehicleMake", "Tesla"},
                                     {"vehicleModel", "Model 3"}});
  const Json jc = f.call(f.advisor, "jobCards.Create",
                         {{"customerId", c["id"]},
                          {"vehicleId", v["id"]},
                          {"serviceType", "Regular Service"},
                          {"description", "Customer complaint"},
                          {"priority", "MEDIUM"},
                          {"location", "STATION"},
                          {"estimatedCost", 5000},
                          {"part1Data",
                           {{"customerFeedback", "Strange noise"},
                            {"batterySerialNumber", "BAT123"},
                            {"estimatedDeliveryDate", "2025-06-05"}}}});
  CHECK(jc["jobCardNumber"] == "SC001-2025-06-0001");
  CHECK(jc["status"] == "CREATED");
  CHECK(jc["source"] == "WALK_IN");
  CHECK(jc["estimatedCost"] == "5000.00");
  CHECK(jc["part1Data"]["jobCardNumber"] == "SC001-2025-06-0001");
  CHECK(jc["part1Data"]["fullName"] == "John Doe");
  CHECK(jc["part1Data"]["registrationNumber"] == "MH01AB1234");
  CHECK(jc["part1Data"]["batterySerialNumber"] == "BAT123");
  const Json vehicle = f.call(f.advisor, "vehicles.Get", {{"id", v["id"]}});
  CHECK(vehicle["currentStatus"] == "ACTIVE_JOB_CARD");
  CHECK(vehicle["activeJobCardId"] == jc["id"]);

  auto e = caught([&] {
    f.call(f.advisor, "jobCards.Create",
           {{"customerId", c["id"]}, {"vehicleId", v["id"]}, {"serviceType", "Repair"}});
  });
  CHECK(e.code == ErrorCode::kVehicleHasOpenJobCard);
  e = caught([&] {
    f.call(f.advisor, "jobCards.Create",
           {{"customerId", c["id"]},
            {"vehicleId", v["id"]},
            {"serviceType", "Repair"},
            {"part1Data", {{"colour", "red"}}}});
  });
  CHECK(e.field == "part1Data.colour");
  e = caught([&] {
    f.call(f.advisor, "jobCards.Create",
           {{"customerId", c["id"]},
            {"vehicleId", v["id"]},
            {"serviceType", "Repair"},
            {"part1Data", {{"mobilePrimary", "12345"}}}});
  });
  CHECK(e.field == "part1Data.mobilePrimary");

  // Numbers count per center and month.
  CHECK(f.job_card()["jobCardNumber"] == "SC001-2025-06-0002");
  f.clock.set(Timestamp::parse("2025-07-01T09:00:00Z"));
  CHECK(f.job_card()["jobCardNumber"] == "SC001-2025-07-0001");

  // Cancelling frees the vehicle for a new job card.
  f.call(f.manager, "jobCards.Cancel", {{"id", jc["id"]}, {"reason", "duplicate visit"}});
  CHECK(f.call(f.advisor, "vehicles.Get", {{"id", v["id"]}})["currentStatus"] == "AVAILABLE");
  CHECK(f.call(f.advisor, "jobCards.Create",
               {{"customerId", c["id"]},
                {"vehicleId", v["id"]},
                {"serviceType", "Repair"}})["status"] == "CREATED");
}

TEST_CASE("workshop: engineers, tenancy, workload and bulk status updates") {
  test::WorkshopFixture f(GENERATE(test::engines()));
  INFO("engine: " << storage::engine_name(f.database.engine()));
  const Json jc = f.job_card();
  const std::string id = jc["id"];
  // Only an active service engineer of the job card's own center.
  for (const std::string& who : {f.other_engineer.user_id, f.manager.user_id}) {
    const auto e = caught([&] {
      f.call(f.manager, "jobCards.AssignEngineer", {{"id", id}, {"engineerId", who}});
    });
    CHECK(e.code == ErrorCode::kValidation);
    CHECK(e.field == "engineerId");
  }
  // Engineers cannot assign; another center's manager cannot see the job card.
  CHECK(
      caught([&] {
        f.call(f.engineer, "jobCards.AssignEngineer", {{"id", id}, {"engineerId", f.engineer_id}});
      }).code == ErrorCode::kForbidden);
  CHECK(caught([&] {
          f.call(f.other_manager, "jobCards.Get", {{"id", id}});
        }).code == ErrorCode::kNotFound);
  CHECK(f.call(f.other_manager, "jobCards.List")["pagination"]["total"] == 0);
  f.call(f.manager, "jobCards.AssignEngineer", {{"id", id}, {"engineerId", f.engineer_id}});
  // Only the assigned engineer works on it.
  CHECK(caught([&] {
          f.call(f.second_engineer, "jobCards.Start", {{"id", id}});
        }).code == ErrorCode::kForbidden);
  f.call(f.engineer, "jobCards.Start", {{"id", id}});
  f.call(f.engineer, "jobCards.AddServiceLine",
         {{"id", id},
          {"serviceType", "Motor inspection"},
          {"rate", "800.00"},
          {"estimatedHours", "2.5"}});
  f.call(f.engineer, "jobCards.AddServiceLine",
         {{"id", id},
          {"serviceType", "Software update"},
          {"rate", "500.00"},
          {"estimatedHours", "0.75"},
          {"type", "service"}});
  const Json second = f.job_card();
  f.call(f.manager, "jobCards.AssignEngineer",
         {{"id", second["id"]}, {"engineerId", f.engineer_id}});
  const Json load = f.call(f.manager, "jobCards.EngineerWorkload");
  REQUIRE(load["engineers"].size() == 2);
  for (const Json& engineer : load["engineers"]) {
    if (engineer["engineerId"] == f.engineer_id) {
      CHECK(engineer["openJobCards"] == 2);
      CHECK(engineer["estimatedHours"] == "3.25");
      CHECK(engineer["byStatus"]["IN_PROGRESS"] == 1);
      CHECK(engineer["byStatus"]["ASSIGNED"] == 1);
    } else {
      CHECK(engineer["openJobCards"] == 0);
    }
  }
  // The engineer's own list holds only their job cards.
  const Json third = f.job_card();
  CHECK(f.call(f.engineer, "jobCards.List")["pagination"]["total"] == 2);
  CHECK(f.call(f.manager, "jobCards.List",
               {{"filter", {{"status", "CREATED"}}}})["pagination"]["total"] == 1);

  const Json bulk = f.call(f.manager, "jobCards.BulkUpdateStatus",
                           {{"updates",
                             {{{"id", second["id"]}, {"status", "IN_PROGRESS"}},
                              {{"id", third["id"]}, {"status", "COMPLETED"}},
                              {{"id", "no-such-id"}, {"status", "IN_PROGRESS"}},
                              {{"id", id}, {"status", "COMPLETED"}}}}});
  CHECK(bulk["updated"] == 2);
  CHECK(bulk["failed"] == 2);
  CHECK(bulk["results"][0]["success"] == true);
  CHECK(bulk["results"][1]["error"]["code"] == "INVALID_STATUS_TRANSITION");
  CHECK(bulk["results"][2]["error"]["code"] == "NOT_FOUND");
  CHECK(bulk["results"][3]["success"] == true);
  const Json done = f.get_job_card(id);
  CHECK(done["status"] == "COMPLETED");
  for (const Json& line : done["services"]) CHECK(line["status"] == "COMPLETED");
}

TEST_CASE("workshop: additional services wait for the customer, cost updated only on approval") {
  test::WorkshopFixture f(GENERATE(test::engines()));
  INFO("engine: " << storage::engine_name(f.database.engine()));
  const Json jc = f.job_card_in("IN_PROGRESS");
  const std::string id = jc["id"];
  CHECK(jc["estimatedCost"] == "2500.00");
  Json doc = f.call(
      f.engineer, "jobCards.RequestAdditionalService",
      {{"id", id},
       {"services", {{{"serviceType", "Coolant flush"}, {"rate", "650.00"}, {"quantity", "2"}}}},
       {"notes", "found during inspection"}});
  CHECK(doc["status"] == "WAITING_CUSTOMER_APPROVAL");
  CHECK(caught([&] {
          f.call(f.engineer, "jobCards.Complete", {{"id", id}});
        }).code == ErrorCode::kInvalidStatusTransition);
  CHECK(caught([&] {
          f.call(f.engineer, "jobCards.UpdateStatus", {{"id", id}, {"status", "IN_PROGRESS"}});
        }).code == ErrorCode::kCustomerAnswerPending);
  doc = f.call(f.manager, "jobCards.RespondAdditionalService", {{"id", id}, {"approved", true}});
  CHECK(doc["status"] == "IN_PROGRESS");
  CHECK(doc["estimatedCost"] == "3800.00");
  doc = f.call(f.engineer, "jobCards.RequestAdditionalService",
               {{"id", id}, {"services", {{{"serviceType", "Seat covers"}, {"rate", "999.00"}}}}});
  doc = f.call(f.manager, "jobCards.RespondAdditionalService",
               {{"id", id}, {"approved", false}, {"note", "customer declined"}});
  CHECK(doc["estimatedCost"] == "3800.00");
  REQUIRE(doc["services"].size() == 3);
  CHECK(doc["services"][1]["approvalStatus"] == "APPROVED");
  CHECK(doc["services"][2]["approvalStatus"] == "DECLINED");
  CHECK(doc["services"][2]["status"] == "SKIPPED");
  doc = f.call(f.engineer, "jobCards.Complete", {{"id", id}});
  CHECK(doc["services"][1]["status"] == "COMPLETED");
  CHECK(doc["services"][2]["status"] == "SKIPPED");
  // The invoice holds the base line and the approved one, not the declined one.
  const Json invoice = f.call(f.manager, "invoices.CreateFromJobCard", {{"jobCardId", id}});
  CHECK(invoice["items"].size() == 2);
  CHECK(invoice["taxable"] == "2300.00");
}

TEST_CASE("workshop: service requests and appointments into a job card") {
  test::WorkshopFixture f(GENERATE(test::engines()));
  INFO("engine: " << storage::engine_name(f.database.engine()));
  const Json c = f.customer();
  const Json v = f.vehicle(c["id"]);
  Json sr = f.call(f.call_center, "serviceRequests.Create",
                   {{"customerId", c["id"]},
                    {"vehicleId", v["id"]},
                    {"requestType", "service"},
                    {"serviceType", "regular"},
                    {"priority", "high"},
                    {"preferredDate", "2025-06-04"},
                    {"preferredTime", "10:30"}});
  CHECK(sr["requestNumber"] == "SR-SC001-2025-0001");
  CHECK(sr["status"] == "PENDING");
  CHECK(sr["serviceLocation"] == "service_station");
  CHECK(caught([&] {
          f.call(f.call_center, "serviceRequests.Create",
                 {{"customerId", c["id"]},
                  {"vehicleId", v["id"]},
                  {"requestType", "home_service"},
                  {"serviceType", "repair"}});
        }).field == "address");
  // Advisors cannot approve; managers can.
  CHECK(caught([&] {
          f.call(f.advisor, "serviceRequests.Approve", {{"id", sr["id"]}});
        }).code == ErrorCode::kForbidden);
  CHECK(caught([&] {
          f.call(f.advisor, "serviceRequests.Schedule",
                 {{"id", sr["id"]}, {"scheduledDate", "2025-06-04"}});
        }).code == ErrorCode::kInvalidStatusTransition);
  sr = f.call(f.manager, "serviceRequests.Approve", {{"id", sr["id"]}});
  CHECK(sr["status"] == "APPROVED");
  CHECK(sr["approvedBy"] == f.manager.user_id);
  sr = f.call(f.advisor, "serviceRequests.Schedule",
              {{"id", sr["id"]}, {"scheduledDate", "2025-06-04"}, {"scheduledTime", "10:30"}});
  CHECK(sr["status"] == "SCHEDULED");

  Json appt = f.call(f.call_center, "appointments.Create",
                     {{"customerId", c["id"]},
                      {"vehicleId", v["id"]},
                      {"scheduledAt", "2025-06-04T05:00:00Z"},
                      {"serviceType", "Regular Service"},
                      {"serviceRequestId", sr["id"]}});
  CHECK(appt["appointmentNumber"] == "APT-SC001-2025-0001");
  CHECK(caught([&] {
          f.call(f.advisor, "jobCards.Create",
                 {{"customerId", c["id"]},
                  {"vehicleId", v["id"]},
                  {"serviceType", "Regular"},
                  {"appointmentId", appt["id"]}});
        }).code == ErrorCode::kInvalidStatusTransition);  // SCHEDULED cannot become CONVERTED
  appt = f.call(f.advisor, "appointments.Confirm", {{"id", appt["id"]}});
  appt = f.call(f.advisor, "appointments.Arrive", {{"id", appt["id"]}});
  CHECK(appt["status"] == "ARRIVED");
  const Json jc = f.call(f.advisor, "jobCards.Create",
                         {{"customerId", c["id"]},
                          {"vehicleId", v["id"]},
                          {"serviceType", "Regular Service"},
                          {"appointmentId", appt["id"]}});
  CHECK(jc["source"] == "APPOINTMENT");
  CHECK(jc["serviceRequestId"] == sr["id"]);
  CHECK(f.call(f.advisor, "appointments.Get", {{"id", appt["id"]}})["status"] == "CONVERTED");
  CHECK(f.call(f.advisor, "serviceRequests.Get", {{"id", sr["id"]}})["status"] == "IN_PROGRESS");
  CHECK(caught([&] {
          f.call(f.advisor, "appointments.NoShow", {{"id", appt["id"]}});
        }).code == ErrorCode::kInvalidStatusTransition);

  f.call(f.manager, "jobCards.AssignEngineer", {{"id", jc["id"]}, {"engineerId", f.engineer_id}});
  f.call(f.engineer, "jobCards.Start", {{"id", jc["id"]}});
  f.call(f.engineer, "jobCards.Complete", {{"id", jc["id"]}});
  CHECK(f.call(f.advisor, "serviceRequests.Get", {{"id", sr["id"]}})["status"] == "COMPLETED");

  // Another center's staff see none of it.
  CHECK(caught([&] {
          f.call(f.other_manager, "serviceRequests.Get", {{"id", sr["id"]}});
        }).code == ErrorCode::kNotFound);
  CHECK(f.call(f.other_manager, "appointments.List")["pagination"]["total"] == 0);
  CHECK(f.call(f.manager, "serviceRequests.List",
               {{"filter", {{"status", "COMPLETED"}}}})["pagination"]["total"] == 1);
}

TEST_CASE("workshop: jobCards.Get and List apply the same scope, and the scope is a permission") {
  test::WorkshopFixture f(GENERATE(test::engines()));
  INFO("engine: " << storage::engine_name(f.database.engine()));
  const Json jc = f.job_card_in("ASSIGNED");  // assigned to f.engineer
  const std::string id = jc["id"];
  const auto listed = [&](const Context& ctx) {
    const Json list = f.call(ctx, "jobCards.List", {{"limit", 100}});
    for (const Json& row : list["data"]) {
      if (row["id"] == id) return true;
    }
    return false;
  };
  CHECK(f.call(f.engineer, "jobCards.Get", {{"id", id}})["id"] == id);
  CHECK(listed(f.engineer));
  // Not assigned to them: hidden from List, and NOT_FOUND from Get, like another center's.
  CHECK_FALSE(listed(f.second_engineer));
  CHECK(caught([&] {
          f.call(f.second_engineer, "jobCards.Get", {{"id", id}});
        }).code == ErrorCode::kNotFound);
  CHECK(caught([&] {
          f.call(f.other_engineer, "jobCards.Get", {{"id", id}});
        }).code == ErrorCode::kNotFound);
  CHECK(f.call(f.advisor, "jobCards.Get", {{"id", id}})["id"] == id);  // job_cards:view_all
  CHECK(listed(f.advisor));

  // Delegated by data: granting job_cards:view_all widens the engineers' scope.
  Json grants = Json::array();
  const Json roles = f.call(f.system, "roles.List");
  for (const Json& role : roles["data"]) {
    if (role["name"] == "service_engineer") grants = role["permissions"];
  }
  grants.push_back("job_cards:view_all");
  f.call(f.system, "roles.SetPermissions", {{"role", "service_engineer"}, {"permissions", grants}});
  const Context widened = f.db->context_for_user(f.second_engineer.user_id);
  CHECK(f.call(widened, "jobCards.Get", {{"id", id}})["id"] == id);
  CHECK(listed(widened));
  CHECK(caught([&] {
          f.call(f.manager, "jobCards.AssignEngineer",
                 {{"id", id}, {"engineerId", f.manager.user_id}});
        }).field == "engineerId");  // a manager's job_cards:* does not make them assignable
}
