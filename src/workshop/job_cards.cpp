// jobCards.*: creating job cards (seed 002 section 6) from an appointment, a service request or
// a walk-in, reading and listing them, and the lifecycle methods over workshop/job_cards.hpp.
// Tenant-scoped by service center.
#include "workshop/job_cards.hpp"

#include <string>
#include <vector>

#include "audit/audit.hpp"
#include "dms/error.hpp"
#include "events/outbox.hpp"
#include "service/entity.hpp"
#include "service/request.hpp"
#include "service/permissions.hpp"
#include "service/service.hpp"
#include "service/transition.hpp"
#include "workshop/lists.hpp"
#include "workshop/numbering.hpp"
#include "workshop/records.hpp"
#include "workshop/validation.hpp"

namespace dms::workshop {
namespace {

// ---- part1Data (seed 002's job card form) -----------------------------------------------------

enum class Part1Kind { kText, kPhone, kCustomerType, kDate };

struct Part1Field {
  const char* name;
  Part1Kind kind;
};

constexpr Part1Field kPart1Fields[] = {
    {"fullName", Part1Kind::kText},
    {"mobilePrimary", Part1Kind::kPhone},
    {"customerType", Part1Kind::kCustomerType},
    {"vehicleBrand", Part1Kind::kText},
    {"vehicleModel", Part1Kind::kText},
    {"registrationNumber", Part1Kind::kText},
    {"vinChassisNumber", Part1Kind::kText},
    {"variantBatteryCapacity", Part1Kind::kText},
    {"warrantyStatus", Part1Kind::kText},
    {"estimatedDeliveryDate", Part1Kind::kDate},
    {"customerAddress", Part1Kind::kText},
    {"jobCardNumber", Part1Kind::kText},
    {"customerFeedback", Part1Kind::kText},
    {"technicianObservation", Part1Kind::kText},
    {"insuranceStartDate", Part1Kind::kDate},
    {"insuranceEndDate", Part1Kind::kDate},
    {"insuranceCompanyName", Part1Kind::kText},
    {"batterySerialNumber", Part1Kind::kText},
    {"mcuSerialNumber", Part1Kind::kText},
    {"vcuSerialNumber", Part1Kind::kText},
    {"otherPartSerialNumber", Part1Kind::kText},
};

const Part1Field* find_part1_field(const std::string& name) {
  for (const auto& f : kPart1Fields) {
    if (name == f.name) return &f;
  }
  return nullptr;
}

// Validates the given part1Data: known fields only, each of its kind.
Json read_part1(const request::Fields& f) {
  if (!f.has("part1Data")) return Json::object();
  request::Fields part1 = f.object("part1Data");
  Json out = Json::object();
  for (const auto& [name, value] : f.raw("part1Data").items()) {
    const std::string path = "part1Data." + name;
    const Part1Field* field = find_part1_field(name);
    if (!field) throw Error::Validation(path, path + " is not a part1Data field");
    if (value.is_null()) continue;
    switch (field->kind) {
      case Part1Kind::kText:
        out[name] = trim(part1.str(name, 0, 1000));
        break;
      case Part1Kind::kPhone:
        out[name] = trim(part1.str(name, 1, 20));
        check_indian_mobile(out[name].get<std::string>(), path);
        break;
      case Part1Kind::kCustomerType:
        out[name] = part1.one_of(name, {"B2C", "B2B"});
        break;
      case Part1Kind::kDate:
        out[name] = part1.date(name).to_string();
        break;
    }
  }
  return out;
}

// part1Data completed from the customer and vehicle records where the request left gaps; the
// job card number is always the allocated one.
Json complete_part1(Json part1, const storage::Row& customer, const storage::Row& vehicle,
                    const std::string& number) {
  auto fill = [&](const char* key, const storage::Row& row, const char* column) {
    if (!part1.contains(key)) {
      auto v = row.opt_str(column);
      if (v) part1[key] = *v;
    }
  };
  fill("fullName", customer, "name");
  fill("mobilePrimary", customer, "phone");
  fill("customerType", customer, "customer_type");
  fill("customerAddress", customer, "address");
  fill("vehicleBrand", vehicle, "vehicle_make");
  fill("vehicleModel", vehicle, "vehicle_model");
  fill("registrationNumber", vehicle, "registration");
  fill("vinChassisNumber", vehicle, "vin");
  fill("variantBatteryCapacity", vehicle, "variant");
  fill("warrantyStatus", vehicle, "warranty_status");
  fill("insuranceStartDate", vehicle, "insurance_start_date");
  fill("insuranceEndDate", vehicle, "insurance_end_date");
  fill("insuranceCompanyName", vehicle, "insurance_company_name");
  part1["jobCardNumber"] = number;
  return part1;
}

// ---- Pre-inspection (seed 000 section 3.1.4) ---------------------------------------------------

struct PreInspection {
  Json document;
  std::optional<int64_t> odometer;
  std::optional<Money> estimated_cost;
};

std::vector<std::string> string_list(const request::Fields& f, const char* name, size_t max) {
  std::vector<std::string> out;
  if (!f.has(name)) return out;
  const Json& arr = f.raw(name);
  if (!arr.is_array() || arr.size() > max) {
    throw Error::Validation(f.path(name), f.path(name) + " must be an array of at most " +
                                              std::to_string(max) + " strings");
  }
  for (size_t i = 0; i < arr.size(); ++i) {
    if (!arr[i].is_string() || arr[i].get_ref<const std::string&>().size() > 1000) {
      throw Error::Validation(f.path(name) + "[" + std::to_string(i) + "]",
                              "must be a string of at most 1000 characters");
    }
    out.push_back(arr[i].get<std::string>());
  }
  return out;
}

PreInspection read_pre_inspection(const request::Fields& f, const Context& ctx) {
  PreInspection p;
  p.odometer = f.opt_integer("odometerReading");
  if (p.odometer && *p.odometer < 0) {
    throw Error::Validation(f.path("odometerReading"), "odometerReading must not be negative");
  }
  const auto fuel = f.opt_integer("fuelLevel");
  if (fuel && (*fuel < 0 || *fuel > 100)) {
    throw Error::Validation(f.path("fuelLevel"), "fuelLevel is a percentage from 0 to 100");
  }
  p.estimated_cost = f.opt_money("estimatedCost");
  if (p.estimated_cost && p.estimated_cost->is_negative()) {
    throw Error::Validation(f.path("estimatedCost"), "estimatedCost must not be negative");
  }
  const auto hours = f.opt_quantity("estimatedTime");
  if (hours && hours->is_negative()) {
    throw Error::Validation(f.path("estimatedTime"), "estimatedTime must not be negative");
  }
  p.document = {{"odometerReading", p.odometer ? Json(*p.odometer) : Json()},
                {"fuelLevel", fuel ? Json(*fuel) : Json()},
                {"exteriorCondition", opt_trimmed(f, "exteriorCondition", 1000).value_or("")},
                {"interiorCondition", opt_trimmed(f, "interiorCondition", 1000).value_or("")},
                {"issuesReported", string_list(f, "issuesReported", 100)},
                {"images", string_list(f, "images", 50)},
                {"estimatedCost", p.estimated_cost ? Json(p.estimated_cost->to_string()) : Json()},
                {"estimatedTime", hours ? Json(hours->to_string()) : Json()},
                {"inspectedBy", ctx.user_id.empty() ? Json() : Json(ctx.user_id)},
                {"inspectedAt", ctx.now().to_string()}};
  return p;
}

void store_pre_inspection(storage::Transaction& tx, const std::string& job_card_id,
                          const PreInspection& p, Timestamp now) {
  UpdateBuilder update;
  update.set("pre_inspection", p.document.dump());
  if (p.odometer) update.set("odometer_reading", *p.odometer);
  if (p.estimated_cost) update.set("estimated_cost", paise(p.estimated_cost));
  update.set("updated_at", micros(now));
  update.apply(tx, "job_cards", job_card_id);
}

// ---- Create -------------------------------------------------------------------------------------

struct CreateInput {
  std::string center_id;
  std::string customer_id;
  std::string vehicle_id;
  std::optional<std::string> appointment_id;
  std::optional<std::string> service_request_id;
  std::string service_type;
  std::optional<std::string> description;
  std::string priority;
  std::string location;
  Money estimated_cost;
  Json part1;
  std::optional<PreInspection> pre_inspection;
};

CreateInput read_create(const Context& ctx, const Json& req) {
  request::Fields f(req);
  CreateInput in;
  in.center_id = center_for_new_record(ctx, f);
  in.customer_id = f.str("customerId", 1, 100);
  in.vehicle_id = f.str("vehicleId", 1, 100);
  in.appointment_id = f.opt_str("appointmentId", 100);
  in.service_request_id = f.opt_str("serviceRequestId", 100);
  in.service_type = trim(f.str("serviceType", 1, 100));
  in.description = opt_trimmed(f, "description", 4000);
  in.priority = f.opt_one_of("priority", {"LOW", "MEDIUM", "HIGH", "URGENT"}).value_or("MEDIUM");
  in.location = f.opt_one_of("location", {"STATION", "HOME"}).value_or("STATION");
  in.estimated_cost = f.opt_money("estimatedCost").value_or(Money());
  if (in.estimated_cost.is_negative()) {
    throw Error::Validation("estimatedCost", "estimatedCost must not be negative");
  }
  in.part1 = read_part1(f);
  if (f.has("preInspection"))
    in.pre_inspection = read_pre_inspection(f.object("preInspection"), ctx);
  return in;
}

// Converts the appointment (ARRIVED -> CONVERTED); returns its linked service request, if any.
std::optional<std::string> convert_appointment(storage::Transaction& tx, const Context& ctx,
                                               const CreateInput& in,
                                               const std::string& job_card_id) {
  const storage::Row appt = load_in_center(tx, ctx, "appointments", "appointment",
                                           *in.appointment_id, true, "appointmentId");
  if (appt.str("vehicle_id") != in.vehicle_id || appt.str("service_center_id") != in.center_id) {
    throw Error::Validation("appointmentId", "the appointment is for another vehicle or center");
  }
  service::StatusChange change{"appointments", "appointment", *in.appointment_id};
  change.service_center_id = in.center_id;
  change.set("job_card_id", job_card_id);
  change.audit_new = {{"jobCardId", job_card_id}};
  change.event = {"appointment.status_changed",
                  {{"appointmentId", *in.appointment_id},
                   {"status", kAppointmentFlow.name(AppointmentStatus::kConverted)}},
                  ""};
  service::transition(tx, ctx, kAppointmentFlow, kAppointmentFlow.parse(appt.str("status")),
                      AppointmentStatus::kConverted, std::move(change));
  return appt.opt_str("service_request_id");
}

// Opens the service request's work (SCHEDULED -> IN_PROGRESS).
void start_service_request(storage::Transaction& tx, const Context& ctx, const CreateInput& in,
                           const std::string& request_id, const std::string& job_card_id) {
  const storage::Row sr = load_in_center(tx, ctx, "service_requests", "service request", request_id,
                                         true, "serviceRequestId");
  if (sr.str("vehicle_id") != in.vehicle_id || sr.str("service_center_id") != in.center_id) {
    throw Error::Validation("serviceRequestId",
                            "the service request is for another vehicle or center");
  }
  service::StatusChange change{"service_requests", "service_request", request_id};
  change.service_center_id = in.center_id;
  change.set("job_card_id", job_card_id);
  change.audit_new = {{"jobCardId", job_card_id}};
  change.event = {"service_request.status_changed",
                  {{"serviceRequestId", request_id},
                   {"status", kServiceRequestFlow.name(ServiceRequestStatus::kInProgress)}},
                  ""};
  service::transition(tx, ctx, kServiceRequestFlow, kServiceRequestFlow.parse(sr.str("status")),
                      ServiceRequestStatus::kInProgress, std::move(change));
}

void insert_job_card(storage::Transaction& tx, const Context& ctx, const CreateInput& in,
                     const std::string& id, const std::string& number, const std::string& source,
                     const std::optional<std::string>& request_id, const Json& part1) {
  const Timestamp now = ctx.now();
  tx.exec(
      "INSERT INTO job_cards (id, job_card_number, service_center_id, customer_id, vehicle_id, "
      "appointment_id, service_request_id, source, service_type, description, priority, "
      "location, estimated_cost, part1_data, service_date, status, created_by, created_at, "
      "updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
      {id, number, in.center_id, in.customer_id, in.vehicle_id, text(in.appointment_id),
       text(request_id), source, in.service_type, text(in.description), in.priority, in.location,
       paise(in.estimated_cost), part1.dump(), now.business_date().to_string(),
       std::string(kJobCardFlow.name(JobCardStatus::kCreated)), actor(ctx), micros(now),
       micros(now)});
  tx.exec(
      "INSERT INTO job_card_status_history (id, job_card_id, from_status, to_status, notes, "
      "changed_by, changed_at) VALUES (?, ?, NULL, ?, ?, ?, ?)",
      {storage::new_id(), id, std::string(kJobCardFlow.name(JobCardStatus::kCreated)),
       "source: " + source, actor(ctx), micros(now)});
  if (in.pre_inspection) store_pre_inspection(tx, id, *in.pre_inspection, now);
}

Json create_job_card(Env& env, const Context& ctx, const Json& req) {
  ctx.require("job_cards:create");
  const CreateInput in = read_create(ctx, req);
  return env.store->write([&](storage::Transaction& tx) {
    const ServiceCenterInfo center = load_service_center(tx, in.center_id);
    const storage::Row vehicle =
        require_vehicle_of_customer(tx, in.customer_id, in.vehicle_id, true);
    if (vehicle.str("current_status") == kVehicleActiveJobCard) {
      throw Error::BusinessRule(
          ErrorCode::kVehicleHasOpenJobCard,
          "vehicle " + vehicle.str("registration") + " already has an active job card");
    }
    const storage::Row customer = load_customer(tx, in.customer_id, "customerId");
    const std::string id = storage::new_id();
    const Timestamp now = ctx.now();
    const std::string number =
        allocate_number(tx, series::kJobCard, center, now.business_date()).number;
    std::optional<std::string> request_id = in.service_request_id;
    if (in.appointment_id) {
      auto linked = convert_appointment(tx, ctx, in, id);
      if (!request_id) request_id = linked;
    }
    const std::string source = in.appointment_id ? "APPOINTMENT"
                               : request_id      ? "SERVICE_REQUEST"
                                                 : "WALK_IN";
    insert_job_card(tx, ctx, in, id, number, source, request_id,
                    complete_part1(in.part1, customer, vehicle, number));
    if (request_id) start_service_request(tx, ctx, in, *request_id, id);
    hold_vehicle(tx, ctx, vehicle, id, in.center_id);
    Json created = reload_job_card(tx, ctx, id);
    audit::record(tx, ctx, "CREATE", "job_card", id, Json(), created, in.center_id);
    events::emit(tx, ctx, "job_card.created",
                 {{"jobCardId", id},
                  {"jobCardNumber", number},
                  {"vehicleId", in.vehicle_id},
                  {"source", source}},
                 in.center_id);
    return created;
  });
}

// ---- Reads --------------------------------------------------------------------------------------

Json get_job_card(Env& env, const Context& ctx, const Json& req) {
  ctx.require("job_cards:read");
  request::Fields f(req);
  const std::string id = f.str("id", 1, 100);
  return env.store->read([&](storage::Transaction& tx) {
    require_job_card_visible(ctx, load_job_card(tx, ctx, id, false));
    return service::get_entity(env, tx, job_card_list_spec(), id, "job card", req);
  });
}

Json list_job_cards(Env& env, const Context& ctx, const Json& req) {
  ctx.require("job_cards:read");
  return env.store->read([&](storage::Transaction& tx) {
    std::vector<storage::Condition> conditions;
    if (!ctx.has_permission(service::kJobCardsViewAll)) {  // only the ones assigned to them
      conditions.push_back({"j.assigned_engineer_id = ?", {ctx.user_id}});
    }
    return service::list_entity(env, ctx, tx, job_card_list_spec(), req, std::move(conditions));
  });
}

// ---- Lifecycle methods
// ----------------------------------------------------------------------------

// Runs `op` on the locked job card named by the request's "id" and returns the reloaded document.
template <class Op>
Json with_job_card(Env& env, const Context& ctx, const Json& req, Op op) {
  request::Fields f(req);
  const std::string id = f.str("id", 1, 100);
  return env.store->write([&](storage::Transaction& tx) {
    const storage::Row job_card = load_job_card(tx, ctx, id, true);
    op(tx, job_card, f);
    return reload_job_card(tx, ctx, id);
  });
}

Json assign_engineer_method(Env& env, const Context& ctx, const Json& req) {
  ctx.require("job_cards:update");
  return with_job_card(
      env, ctx, req,
      [&](storage::Transaction& tx, const storage::Row& jc, const request::Fields& f) {
        assign_engineer(tx, ctx, jc, f.str("engineerId", 1, 100), opt_trimmed(f, "notes", 2000));
      });
}

Json update_status_method(Env& env, const Context& ctx, const Json& req) {
  ctx.require("job_cards:update");
  request::Fields f(req);
  const JobCardStatus to = kJobCardFlow.parse(f.str("status", 1, 40));
  return with_job_card(
      env, ctx, req, [&](storage::Transaction& tx, const storage::Row& jc, const request::Fields&) {
        update_job_card_status(tx, ctx, jc, to, req);
      });
}

Json start_method(Env& env, const Context& ctx, const Json& req) {
  ctx.require("job_cards:update");
  return with_job_card(
      env, ctx, req,
      [&](storage::Transaction& tx, const storage::Row& jc, const request::Fields& f) {
        start_or_resume(tx, ctx, jc, opt_trimmed(f, "notes", 2000));
      });
}

Json pre_inspection_method(Env& env, const Context& ctx, const Json& req) {
  ctx.require("job_cards:update");
  request::Fields f(req);
  const PreInspection inspection = read_pre_inspection(f, ctx);
  return with_job_card(
      env, ctx, req, [&](storage::Transaction& tx, const storage::Row& jc, const request::Fields&) {
        const JobCardStatus status = job_card_status(jc);
        if (status != JobCardStatus::kCreated && !job_card_is_in_work(status)) {
          throw Error::BusinessRule(ErrorCode::kPreInspectionClosed,
                                    "a pre-inspection is recorded before the work is completed");
        }
        store_pre_inspection(tx, jc.str("id"), inspection, ctx.now());
        audit::record(tx, ctx, "UPDATE", "job_card", jc.str("id"),
                      {{"preInspection", document_or_null(jc, "pre_inspection")}},
                      {{"preInspection", inspection.document}}, jc.str("service_center_id"));
      });
}

CompletionInput read_completion(const request::Fields& f) {
  CompletionInput input;
  input.notes = opt_trimmed(f, "notes", 2000);
  if (f.has("lines")) {
    const Json& lines = f.array("lines", 500);
    for (size_t i = 0; i < lines.size(); ++i) {
      request::Fields line = f.element("lines", i);
      input.lines.push_back(
          {line.str("lineId", 1, 100), line.opt_quantity("actualHours"),
           line.opt_one_of("status", {kServiceLineFlow.name(ServiceLineStatus::kCompleted),
                                      kServiceLineFlow.name(ServiceLineStatus::kSkipped)})});
    }
  }
  if (f.has("components")) {
    const Json& components = f.array("components", 200);
    for (size_t i = 0; i < components.size(); ++i) {
      input.components.push_back(read_component_service(f.element("components", i)));
    }
  }
  return input;
}

Json complete_method(Env& env, const Context& ctx, const Json& req) {
  ctx.require("job_cards:update");
  const CompletionInput input = read_completion(request::Fields(req));
  return with_job_card(
      env, ctx, req, [&](storage::Transaction& tx, const storage::Row& jc, const request::Fields&) {
        complete_job_card(tx, ctx, jc, input);
      });
}

Json cancel_method(Env& env, const Context& ctx, const Json& req) {
  ctx.require("job_cards:cancel");
  request::Fields f(req);
  const std::string reason = trim(f.str("reason", 1, 1000));
  return with_job_card(
      env, ctx, req, [&](storage::Transaction& tx, const storage::Row& jc, const request::Fields&) {
        cancel_job_card(tx, ctx, jc, reason);
      });
}

DeliveryInput read_delivery(const request::Fields& f) {
  DeliveryInput input;
  input.notes = opt_trimmed(f, "notes", 2000);
  input.waive_payment = f.boolean("waivePayment", false);
  input.waiver_reason = opt_trimmed(f, "waiverReason", 1000);
  input.customer_feedback = opt_trimmed(f, "customerFeedback", 2000);
  input.feedback_rating = f.opt_integer("feedbackRating");
  if (input.feedback_rating && (*input.feedback_rating < 1 || *input.feedback_rating > 5)) {
    throw Error::Validation("feedbackRating", "feedbackRating must be 1 to 5");
  }
  return input;
}

Json deliver_method(Env& env, const Context& ctx, const Json& req) {
  ctx.require("job_cards:update");
  const DeliveryInput input = read_delivery(request::Fields(req));
  return with_job_card(
      env, ctx, req, [&](storage::Transaction& tx, const storage::Row& jc, const request::Fields&) {
        deliver_job_card(tx, ctx, jc, input);
      });
}

// ---- Engineer workload
// ----------------------------------------------------------------------------

const std::string kInWorkStatuses =
    "(" +
    service::sql_names(kJobCardFlow,
                       {JobCardStatus::kAssigned, JobCardStatus::kInProgress,
                        JobCardStatus::kPartsPending, JobCardStatus::kWaitingCustomerApproval}) +
    ")";

// One engineer's open job cards (by status) and the estimated hours of their unfinished lines.
Json engineer_load(storage::Transaction& tx, const std::string& center_id,
                   const storage::Row& user) {
  const std::string engineer_id = user.str("id");
  Json by_status = Json::object();
  int64_t open = 0;
  for (const auto& row : tx.query(std::string("SELECT status, COUNT(*) AS n FROM job_cards WHERE "
                                              "assigned_engineer_id = ? AND service_center_id = ? "
                                              "AND status IN ") +
                                      kInWorkStatuses + " GROUP BY status",
                                  {engineer_id, center_id})) {
    by_status[row.str("status")] = row.i64("n");
    open += row.i64("n");
  }
  const auto hours = tx.query_one(
      std::string("SELECT CAST(COALESCE(SUM(s.estimated_hours), 0) AS BIGINT) AS hours FROM "
                  "job_card_services s JOIN job_cards j ON j.id = s.job_card_id WHERE "
                  "j.assigned_engineer_id = ? AND j.service_center_id = ? AND j.status IN ") +
          kInWorkStatuses + " AND s.status IN (?, ?) AND s.approval_status IN (?, ?)",
      {engineer_id, center_id, std::string(kServiceLineFlow.name(kOpenServiceLineStates[0])),
       std::string(kServiceLineFlow.name(kOpenServiceLineStates[1])),
       std::string(kServiceLineApprovalFlow.name(kBillableApprovals[0])),
       std::string(kServiceLineApprovalFlow.name(kBillableApprovals[1]))});
  return Json{{"engineerId", engineer_id},
              {"engineerName", user.str("first_name") + " " + user.str("last_name")},
              {"openJobCards", open},
              {"byStatus", by_status},
              {"estimatedHours", Quantity::from_units(hours->i64("hours")).to_string()}};
}

Json engineer_workload(Env& env, const Context& ctx, const Json& req) {
  ctx.require("job_cards:read");
  request::Fields f(req);
  const std::string center_id = center_for_new_record(ctx, f);
  const auto engineer_filter = f.opt_str("engineerId", 100);
  return env.store->read([&](storage::Transaction& tx) {
    load_service_center(tx, center_id);
    Json engineers = Json::array();
    for (const auto& user :
         tx.query("SELECT id, first_name, last_name FROM users WHERE service_center_id = ? AND "
                  "role = 'service_engineer' AND is_active = 1 ORDER BY first_name, last_name, id",
                  {center_id})) {
      if (engineer_filter && user.str("id") != *engineer_filter) continue;
      engineers.push_back(engineer_load(tx, center_id, user));
    }
    return Json{{"serviceCenterId", center_id}, {"engineers", engineers}};
  });
}

// ---- Bulk status update (seed 002 section 10) ---------------------------------------------------

Json bulk_update_status(Env& env, const Context& ctx, const Json& req) {
  ctx.require("job_cards:update");
  request::Fields f(req);
  const Json& updates = f.array("updates", 500);
  Json results = Json::array();
  int64_t updated = 0;
  for (size_t i = 0; i < updates.size(); ++i) {
    Json result{{"index", i}};
    try {
      request::Fields item = f.element("updates", i);
      const std::string id = item.str("id", 1, 100);
      result["id"] = id;
      const JobCardStatus to = kJobCardFlow.parse(item.str("status", 1, 40), item.path("status"));
      env.store->write([&](storage::Transaction& tx) {
        update_job_card_status(tx, ctx, load_job_card(tx, ctx, id, true), to, updates[i]);
      });
      result["success"] = true;
      result["status"] = kJobCardFlow.name(to);
      ++updated;
    } catch (const Error& e) {
      result["success"] = false;
      result["error"] = {{"code", e.info().name}, {"message", e.message()}};
      if (!e.field().empty()) result["error"]["field"] = e.field();
    }
    results.push_back(std::move(result));
  }
  return Json{{"updated", updated},
              {"failed", static_cast<int64_t>(updates.size()) - updated},
              {"results", results}};
}

const service::MethodRegistration kCreate("jobCards.Create", create_job_card);
const service::MethodRegistration kGet("jobCards.Get", get_job_card);
const service::MethodRegistration kList("jobCards.List", list_job_cards, job_card_list_spec);
const service::MethodRegistration kAssign("jobCards.AssignEngineer", assign_engineer_method);
const service::MethodRegistration kUpdateStatus("jobCards.UpdateStatus", update_status_method);
const service::MethodRegistration kStart("jobCards.Start", start_method);
const service::MethodRegistration kPreInspection("jobCards.PreInspection", pre_inspection_method);
const service::MethodRegistration kComplete("jobCards.Complete", complete_method);
const service::MethodRegistration kCancel("jobCards.Cancel", cancel_method);
const service::MethodRegistration kDeliver("jobCards.Deliver", deliver_method);
const service::MethodRegistration kWorkload("jobCards.EngineerWorkload", engineer_workload);
const service::MethodRegistration kBulk("jobCards.BulkUpdateStatus", bulk_update_status);

}  // namespace

Json job_card_json(const storage::Row& row) {
  return storage::render_row(job_card_list_spec(), row);
}

Json job_card_document(storage::Transaction& tx, const storage::Row& row) {
  return service::render_entity(tx, job_card_list_spec(), row.str("id"), "job card");
}

}  // namespace dms::workshop
