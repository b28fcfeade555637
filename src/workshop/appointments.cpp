// appointments.*: a customer's booked visit to a service center. SCHEDULED, CONFIRMED, ARRIVED,
// then CONVERTED when jobCards.Create opens a job card from it; NO_SHOW; CANCELLED. Tenant-scoped
// by service center.
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
#include "workshop/validation.hpp"
#include "workshop/workflows.hpp"

namespace dms::workshop {
namespace {

// The appointment's document, from its description (appointment_list_spec).
Json appointment_json(const storage::Row& row) {
  return storage::render_row(appointment_list_spec(), row);
}

storage::Row load_appointment(storage::Transaction& tx, const Context& ctx, const std::string& id,
                              bool lock) {
  return load_in_center(tx, ctx, "appointments", "appointment", id, lock);
}

// A linked service request must be the same center's and the same vehicle's.
void check_linked_request(storage::Transaction& tx, const Context& ctx,
                          const std::string& request_id, const std::string& center_id,
                          const std::string& vehicle_id) {
  const storage::Row sr = load_in_center(tx, ctx, "service_requests", "service request", request_id,
                                         false, "serviceRequestId");
  if (sr.str("service_center_id") != center_id || sr.str("vehicle_id") != vehicle_id) {
    throw Error::Validation("serviceRequestId",
                            "the service request is for another center or vehicle");
  }
}

Json create_appointment(Env& env, const Context& ctx, const Json& req) {
  ctx.require("appointments:create");
  request::Fields f(req);
  const std::string center_id = center_for_new_record(ctx, f);
  const std::string customer_id = f.str("customerId", 1, 100);
  const std::string vehicle_id = f.str("vehicleId", 1, 100);
  const Timestamp scheduled_at = f.timestamp("scheduledAt");
  const std::string service_type = trim(f.str("serviceType", 1, 100));
  const auto notes = opt_trimmed(f, "notes", 2000);
  const auto request_id = f.opt_str("serviceRequestId", 100);
  return env.store->write([&](storage::Transaction& tx) {
    const ServiceCenterInfo center = load_service_center(tx, center_id);
    require_vehicle_of_customer(tx, customer_id, vehicle_id);
    if (request_id) check_linked_request(tx, ctx, *request_id, center_id, vehicle_id);
    const Timestamp now = ctx.now();
    const std::string id = storage::new_id();
    const std::string number =
        allocate_number(tx, series::kAppointment, center, now.business_date()).number;
    tx.exec(
        "INSERT INTO appointments (id, appointment_number, service_center_id, customer_id, "
        "vehicle_id, service_request_id, scheduled_at, service_type, notes, status, created_by, "
        "created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        {id, number, center_id, customer_id, vehicle_id, text(request_id), micros(scheduled_at),
         service_type, text(notes), kAppointmentFlow.name(AppointmentStatus::kScheduled),
         actor(ctx), micros(now), micros(now)});
    Json created = appointment_json(load_appointment(tx, ctx, id, false));
    audit::record(tx, ctx, "CREATE", "appointment", id, Json(), created, center_id);
    events::emit(tx, ctx, "appointment.created",
                 {{"appointmentId", id},
                  {"appointmentNumber", number},
                  {"scheduledAt", scheduled_at.to_string()}},
                 center_id);
    return created;
  });
}

Json move_appointment(Env& env, const Context& ctx, const Json& req, AppointmentStatus to,
                      const char* timestamp_column) {
  ctx.require("appointments:update");
  request::Fields f(req);
  const std::string id = f.str("id", 1, 100);
  const auto reason = opt_trimmed(f, "reason", 1000);
  return env.store->write([&](storage::Transaction& tx) {
    const storage::Row row = load_appointment(tx, ctx, id, true);
    const std::string center = row.str("service_center_id");
    const Timestamp now = ctx.now();
    service::StatusChange change{"appointments", "appointment", id};
    change.service_center_id = center;
    if (timestamp_column) change.set(timestamp_column, micros(now));
    if (to == AppointmentStatus::kCancelled) change.set("cancel_reason", text(reason));
    change.audit_old = appointment_json(row);
    change.audit_after = [&] { return appointment_json(load_appointment(tx, ctx, id, false)); };
    change.audit_changed_only = true;
    change.event = {"appointment.status_changed",
                    {{"appointmentId", id}, {"status", kAppointmentFlow.name(to)}},
                    ""};
    service::transition(tx, ctx, kAppointmentFlow, kAppointmentFlow.parse(row.str("status")), to,
                        std::move(change));
    return appointment_json(load_appointment(tx, ctx, id, false));
  });
}

Json confirm_appointment(Env& env, const Context& ctx, const Json& req) {
  return move_appointment(env, ctx, req, AppointmentStatus::kConfirmed, "confirmed_at");
}
Json arrive_appointment(Env& env, const Context& ctx, const Json& req) {
  return move_appointment(env, ctx, req, AppointmentStatus::kArrived, "arrived_at");
}
Json no_show_appointment(Env& env, const Context& ctx, const Json& req) {
  return move_appointment(env, ctx, req, AppointmentStatus::kNoShow, nullptr);
}
Json cancel_appointment(Env& env, const Context& ctx, const Json& req) {
  return move_appointment(env, ctx, req, AppointmentStatus::kCancelled, nullptr);
}

Json get_appointment(Env& env, const Context& ctx, const Json& req) {
  ctx.require("appointments:read");
  request::Fields f(req);
  const std::string id = f.str("id", 1, 100);
  return env.store->read([&](storage::Transaction& tx) {
    load_appointment(tx, ctx, id, false);
    return service::get_entity(env, tx, appointment_list_spec(), id, "appointment", req);
  });
}

Json list_appointments(Env& env, const Context& ctx, const Json& req) {
  ctx.require("appointments:read");
  return env.store->read([&](storage::Transaction& tx) {
    return service::list_entity(env, ctx, tx, appointment_list_spec(), req);
  });
}

const service::MethodRegistration kCreate("appointments.Create", create_appointment);
const service::MethodRegistration kConfirm("appointments.Confirm", confirm_appointment);
const service::MethodRegistration kArrive("appointments.Arrive", arrive_appointment);
const service::MethodRegistration kNoShow("appointments.NoShow", no_show_appointment);
const service::MethodRegistration kCancel("appointments.Cancel", cancel_appointment);
const service::MethodRegistration kGet("appointments.Get", get_appointment);
const service::MethodRegistration kList("appointments.List", list_appointments, appointment_list_spec);

}  // namespace
}  // namespace dms::workshop
