// serviceRequests.*: customer service requests (seed 000 sections 3.1.4, 4.6 and 4.8), at a
// service station or at home. PENDING until a service-center manager or admin approves
// (service_requests:approve) or rejects it; then SCHEDULED for a date, IN_PROGRESS once a job card
// is opened for it, COMPLETED with the job card. Tenant-scoped by service center.
#include <string>

#include "audit/audit.hpp"
#include "dms/error.hpp"
#include "events/outbox.hpp"
#include "service/entity.hpp"
#include "service/request.hpp"
#include "service/service.hpp"
#include "service/transition.hpp"
#include "workshop/common.hpp"
#include "workshop/lists.hpp"
#include "workshop/numbering.hpp"
#include "workshop/records.hpp"
#include "workshop/service_requests.hpp"
#include "workshop/validation.hpp"
#include "workshop/workflows.hpp"

namespace dms::workshop {

Json insert_service_request(storage::Transaction& tx, const Context& ctx,
                            const ServiceRequestDraft& d) {
  const ServiceCenterInfo center = load_service_center(tx, d.center_id);
  require_vehicle_of_customer(tx, d.customer_id, d.vehicle_id);
  const Timestamp now = ctx.now();
  const std::string id = storage::new_id();
  const std::string number =
      allocate_number(tx, series::kServiceRequest, center, now.business_date()).number;
  tx.exec(
      "INSERT INTO service_requests (id, request_number, service_center_id, customer_id, "
      "vehicle_id, request_type, service_type, description, priority, preferred_date, "
      "preferred_time, service_location, address, estimated_cost, status, requested_by, "
      "created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
      {id, number, d.center_id, d.customer_id, d.vehicle_id, d.request_type, d.service_type,
       text(d.description), d.priority, date_text(d.preferred_date), text(d.preferred_time),
       d.location, text(d.address), paise(d.estimated_cost),
       kServiceRequestFlow.name(ServiceRequestStatus::kPending), actor(ctx), micros(now),
       micros(now)});
  Json created = storage::render_row(
      service_request_list_spec(),
      load_in_center(tx, ctx, "service_requests", "service request", id, false));
  audit::record(tx, ctx, "CREATE", "service_request", id, Json(), created, d.center_id);
  events::emit(tx, ctx, "service_request.created",
               {{"serviceRequestId", id}, {"requestNumber", number}}, d.center_id, "sc_manager");
  // Every new request waits for a manager's decision (seed 000 section 6.4, workflow 1).
  events::emit(tx, ctx, "service_request.approval_needed",
               {{"serviceRequestId", id}, {"customerId", d.customer_id}, {"requestNumber", number}},
               d.center_id, "sc_manager");
  return created;
}

namespace {

// The service request's document, from its description (service_request_list_spec).
Json service_request_json(const storage::Row& row) {
  return storage::render_row(service_request_list_spec(), row);
}

storage::Row load_request(storage::Transaction& tx, const Context& ctx, const std::string& id,
                          bool lock) {
  return load_in_center(tx, ctx, "service_requests", "service request", id, lock);
}

Json create_service_request(Env& env, const Context& ctx, const Json& req) {
  ctx.require("service_requests:create");
  request::Fields f(req);
  const std::string center_id = center_for_new_record(ctx, f);
  const std::string customer_id = f.str("customerId", 1, 100);
  const std::string vehicle_id = f.str("vehicleId", 1, 100);
  const std::string request_type = f.one_of("requestType", {"service", "home_service"});
  const std::string service_type =
      f.one_of("serviceType", {"regular", "repair", "inspection", "emergency"});
  const std::string priority =
      f.opt_one_of("priority", {"low", "medium", "high", "urgent"}).value_or("medium");
  const std::string location =
      f.opt_one_of("serviceLocation", {"service_station", "home"})
          .value_or(request_type == "home_service" ? "home" : "service_station");
  const auto address = opt_trimmed(f, "address", 500);
  if (location == "home" && !address) {
    throw Error::Validation("address", "address is required for a home service");
  }
  const auto preferred_date = f.opt_date("preferredDate");
  const auto preferred_time = opt_trimmed(f, "preferredTime", 20);
  if (preferred_time) check_time_of_day(*preferred_time, "preferredTime");
  const auto estimated = f.opt_money("estimatedCost");
  if (estimated && estimated->is_negative()) {
    throw Error::Validation("estimatedCost", "estimatedCost must not be negative");
  }
  const auto description = opt_trimmed(f, "description", 2000);
  ServiceRequestDraft draft{center_id,      customer_id,    vehicle_id, request_type,
                            service_type,   priority,       location,   address,
                            preferred_date, preferred_time, estimated,  description};
  return env.store->write(
      [&](storage::Transaction& tx) { return insert_service_request(tx, ctx, draft); });
}

// The part of a status change specific to one method: extra columns and the event to emit.
struct RequestMove {
  ServiceRequestStatus to;
  const char* permission;
  const char* event;
  std::vector<std::pair<std::string, storage::Value>> extra;
  Json payload = Json::object();  // more of the event's payload ("reason")
};

Json move_service_request(Env& env, const Context& ctx, const std::string& id, RequestMove move) {
  ctx.require(move.permission);
  return env.store->write([&](storage::Transaction& tx) {
    const storage::Row row = load_request(tx, ctx, id, true);
    const std::string center = row.str("service_center_id");
    const ServiceRequestStatus from = kServiceRequestFlow.parse(row.str("status"));
    service::StatusChange change{"service_requests", "service_request", id};
    change.service_center_id = center;
    change.columns = std::move(move.extra);
    change.audit_old = service_request_json(row);
    change.audit_after = [&] { return service_request_json(load_request(tx, ctx, id, false)); };
    change.audit_changed_only = true;
    Json payload = move.payload;
    payload["serviceRequestId"] = id;
    payload["status"] = kServiceRequestFlow.name(move.to);
    payload["customerId"] = row.str("customer_id");
    payload["requestNumber"] = row.str("request_number");
    payload["requestedBy"] = rows::text_json(row, "requested_by");
    change.event = {move.event, payload, ""};
    service::transition(tx, ctx, kServiceRequestFlow, from, move.to, std::move(change));
    return service_request_json(load_request(tx, ctx, id, false));
  });
}

Json approve_service_request(Env& env, const Context& ctx, const Json& req) {
  request::Fields f(req);
  RequestMove move{
      ServiceRequestStatus::kApproved, "service_requests:approve", "service_request.approved", {}};
  move.extra.emplace_back("approved_by", actor(ctx));
  move.extra.emplace_back("approved_at", micros(ctx.now()));
  return move_service_request(env, ctx, f.str("id", 1, 100), std::move(move));
}

Json reject_service_request(Env& env, const Context& ctx, const Json& req) {
  request::Fields f(req);
  RequestMove move{
      ServiceRequestStatus::kRejected, "service_requests:approve", "service_request.rejected", {}};
  move.extra.emplace_back("rejection_reason", trim(f.str("reason", 1, 1000)));
  move.payload["reason"] = trim(f.str("reason", 1, 1000));
  move.extra.emplace_back("approved_by", actor(ctx));
  move.extra.emplace_back("approved_at", micros(ctx.now()));
  return move_service_request(env, ctx, f.str("id", 1, 100), std::move(move));
}

Json schedule_service_request(Env& env, const Context& ctx, const Json& req) {
  request::Fields f(req);
  const Date date = f.date("scheduledDate");
  const auto time = opt_trimmed(f, "scheduledTime", 20);
  if (time) check_time_of_day(*time, "scheduledTime");
  RequestMove move{
      ServiceRequestStatus::kScheduled, "service_requests:update", "service_request.scheduled", {}};
  move.extra.emplace_back("scheduled_date", date.to_string());
  move.extra.emplace_back("scheduled_time", text(time));
  return move_service_request(env, ctx, f.str("id", 1, 100), std::move(move));
}

Json start_service_request(Env& env, const Context& ctx, const Json& req) {
  request::Fields f(req);
  return move_service_request(env, ctx, f.str("id", 1, 100),
                              {ServiceRequestStatus::kInProgress,
                               "service_requests:update",
                               "service_request.started",
                               {}});
}

Json complete_service_request(Env& env, const Context& ctx, const Json& req) {
  request::Fields f(req);
  return move_service_request(env, ctx, f.str("id", 1, 100),
                              {ServiceRequestStatus::kCompleted,
                               "service_requests:update",
                               "service_request.completed",
                               {}});
}

Json cancel_service_request(Env& env, const Context& ctx, const Json& req) {
  request::Fields f(req);
  RequestMove move{
      ServiceRequestStatus::kCancelled, "service_requests:update", "service_request.cancelled", {}};
  move.extra.emplace_back("cancel_reason", text(opt_trimmed(f, "reason", 1000)));
  return move_service_request(env, ctx, f.str("id", 1, 100), std::move(move));
}

Json get_service_request(Env& env, const Context& ctx, const Json& req) {
  ctx.require("service_requests:read");
  request::Fields f(req);
  const std::string id = f.str("id", 1, 100);
  return env.store->read([&](storage::Transaction& tx) {
    load_request(tx, ctx, id, false);
    return service::get_entity(env, tx, service_request_list_spec(), id, "service request", req);
  });
}

Json list_service_requests(Env& env, const Context& ctx, const Json& req) {
  ctx.require("service_requests:read");
  return env.store->read([&](storage::Transaction& tx) {
    return service::list_entity(env, ctx, tx, service_request_list_spec(), req);
  });
}

const service::MethodRegistration kCreate("serviceRequests.Create", create_service_request);
const service::MethodRegistration kApprove("serviceRequests.Approve", approve_service_request);
const service::MethodRegistration kReject("serviceRequests.Reject", reject_service_request);
const service::MethodRegistration kSchedule("serviceRequests.Schedule", schedule_service_request);
const service::MethodRegistration kStart("serviceRequests.Start", start_service_request);
const service::MethodRegistration kComplete("serviceRequests.Complete", complete_service_request);
const service::MethodRegistration kCancel("serviceRequests.Cancel", cancel_service_request);
const service::MethodRegistration kGet("serviceRequests.Get", get_service_request);
const service::MethodRegistration kList("serviceRequests.List", list_service_requests, service_request_list_spec);

}  // namespace
}  // namespace dms::workshop
