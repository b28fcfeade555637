// jobCards.AddServiceLine / UpdateServiceLine / RequestAdditionalService /
// RespondAdditionalService: the labour and service lines of a job card (seed 000 section 3.1.4's
// services and additionalServices).
//
// A line is charged quantity x rate (rounded half away from zero to the paisa) plus GST at its
// rate; its estimated and actual hours are for planning and the engineers' workload. Additional
// work found during the job needs the customer's approval: the job card waits in
// WAITING_CUSTOMER_APPROVAL until the answer is recorded; approved lines add to the estimated
// cost and are invoiced, declined lines are skipped.
#include <string>
#include <vector>

#include "audit/audit.hpp"
#include "dms/error.hpp"
#include "dms/pricing.hpp"
#include "events/outbox.hpp"
#include "service/request.hpp"
#include "service/service.hpp"
#include "service/transition.hpp"
#include "workshop/job_cards.hpp"
#include "workshop/validation.hpp"

namespace dms::workshop {
namespace {

constexpr const char* kDefaultServiceSac = "9987";  // maintenance and repair services

struct LineInput {
  std::string line_type;
  std::string service_type;
  std::optional<std::string> description;
  std::string hsn_sac;
  Quantity quantity;
  Money rate;
  Percent gst_rate;
  std::optional<Quantity> estimated_hours;
  std::optional<Quantity> actual_hours;
  ServiceLineStatus status = ServiceLineStatus::kPending;
};

void check_hsn_sac(const std::string& code, const std::string& field) {
  const bool digits = !code.empty() && code.find_first_not_of("0123456789") == std::string::npos;
  if (!digits || (code.size() != 4 && code.size() != 6 && code.size() != 8)) {
    throw Error::Validation(field, field + " must be an HSN/SAC code of 4, 6 or 8 digits");
  }
}

void check_gst_slab(Percent rate, const std::string& field) {
  for (Percent slab : default_gst_slabs()) {
    if (slab == rate) return;
  }
  throw Error::Validation(field, field + " " + rate.to_string() + " is not a GST rate in force");
}

void check_hours(const std::optional<Quantity>& hours, const std::string& field) {
  if (hours && hours->is_negative()) {
    throw Error::Validation(field, field + " must not be negative");
  }
}

LineInput read_line(const request::Fields& f) {
  LineInput in;
  in.line_type = f.opt_one_of("type", {"labour", "service"}).value_or("labour");
  in.service_type = trim(f.str("serviceType", 1, 100));
  in.description = opt_trimmed(f, "description", 2000);
  in.hsn_sac = opt_trimmed(f, "hsnSac", 8).value_or(kDefaultServiceSac);
  check_hsn_sac(in.hsn_sac, f.path("hsnSac"));
  in.quantity = f.opt_quantity("quantity").value_or(Quantity::from_int(1));
  if (!(in.quantity > Quantity())) {
    throw Error::Validation(f.path("quantity"), f.path("quantity") + " must be greater than zero");
  }
  in.rate = f.money("rate");
  if (in.rate.is_negative()) {
    throw Error::Validation(f.path("rate"), f.path("rate") + " must not be negative");
  }
  in.gst_rate = f.opt_percent("gstRate").value_or(Percent::from_int(18));
  check_gst_slab(in.gst_rate, f.path("gstRate"));
  in.estimated_hours = f.opt_quantity("estimatedHours");
  check_hours(in.estimated_hours, f.path("estimatedHours"));
  in.actual_hours = f.opt_quantity("actualHours");
  check_hours(in.actual_hours, f.path("actualHours"));
  in.status = f.has("status") ? kServiceLineFlow.parse(f.str("status", 1, 40), f.path("status"))
                              : ServiceLineStatus::kPending;
  return in;
}

Money line_amount(const LineInput& in) {
  return in.rate.times(in.quantity, Rounding::kHalfAwayFromZero);
}

std::string insert_line(storage::Transaction& tx, const Context& ctx,
                        const std::string& job_card_id, const LineInput& in, bool additional) {
  const auto next = tx.query_one(
      "SELECT COALESCE(MAX(line_no), 0) + 1 AS n FROM job_card_services WHERE job_card_id = ?",
      {job_card_id});
  const std::string id = storage::new_id();
  const Timestamp now = ctx.now();
  const bool done = in.status == ServiceLineStatus::kCompleted;
  tx.exec(
      "INSERT INTO job_card_services (id, job_card_id, line_no, line_type, service_type, "
      "description, hsn_sac, quantity, rate, gst_rate, estimated_hours, actual_hours, status, "
      "is_additional, approval_status, completed_by, completed_at, created_by, created_at) "
      "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
      {id, job_card_id, next->i64("n"), in.line_type, in.service_type, text(in.description),
       in.hsn_sac, thousandths(in.quantity), paise(in.rate), Value(in.gst_rate.units()),
       in.estimated_hours ? thousandths(*in.estimated_hours) : Value(),
       in.actual_hours ? thousandths(*in.actual_hours) : Value(),
       std::string(kServiceLineFlow.name(additional ? ServiceLineStatus::kPending : in.status)),
       static_cast<int64_t>(additional ? 1 : 0),
       std::string(kServiceLineApprovalFlow.name(additional ? ServiceLineApproval::kPending
                                                            : ServiceLineApproval::kNotRequired)),
       done && !additional ? actor(ctx) : Value(), done && !additional ? micros(now) : Value(),
       actor(ctx), micros(now)});
  return id;
}

Json line_audit(const LineInput& in) {
  return Json{{"serviceType", in.service_type},
              {"quantity", in.quantity.to_string()},
              {"rate", in.rate.to_string()},
              {"gstRate", in.gst_rate.to_string()}};
}

// Lines may be added from creation until the work is completed.
void require_open_for_lines(const storage::Row& job_card) {
  const JobCardStatus status = job_card_status(job_card);
  if (status != JobCardStatus::kCreated && !job_card_is_in_work(status)) {
    throw Error::BusinessRule(ErrorCode::kServiceLinesClosed,
                              "job card " + job_card.str("job_card_number") + " is " +
                                  job_card.str("status") + ": its service lines are closed");
  }
}

template <class Op>
Json on_locked_job_card(Env& env, const Context& ctx, const std::string& id, Op op) {
  return env.store->write([&](storage::Transaction& tx) {
    const storage::Row job_card = load_job_card(tx, ctx, id, true);
    op(tx, job_card);
    return reload_job_card(tx, ctx, id);
  });
}

Json add_service_line(Env& env, const Context& ctx, const Json& req) {
  ctx.require("job_cards:update");
  request::Fields f(req);
  const std::string id = f.str("id", 1, 100);
  const LineInput in = read_line(f);
  return on_locked_job_card(env, ctx, id, [&](storage::Transaction& tx, const storage::Row& jc) {
    require_assigned_engineer(ctx, jc);
    require_open_for_lines(jc);
    const std::string line_id = insert_line(tx, ctx, id, in, false);
    audit::record(tx, ctx, "CREATE", "job_card_service", line_id, Json(), line_audit(in),
                  jc.str("service_center_id"));
  });
}

Json update_service_line(Env& env, const Context& ctx, const Json& req) {
  ctx.require("job_cards:update");
  request::Fields f(req);
  const std::string id = f.str("id", 1, 100);
  const std::string line_id = f.str("lineId", 1, 100);
  std::optional<ServiceLineStatus> status;
  if (f.has("status")) status = kServiceLineFlow.parse(f.str("status", 1, 40), "status");
  const auto actual = f.opt_quantity("actualHours");
  check_hours(actual, "actualHours");
  const auto estimated = f.opt_quantity("estimatedHours");
  check_hours(estimated, "estimatedHours");
  return on_locked_job_card(env, ctx, id, [&](storage::Transaction& tx, const storage::Row& jc) {
    require_assigned_engineer(ctx, jc);
    require_open_for_lines(jc);
    auto line = tx.query_one("SELECT * FROM job_card_services WHERE id = ? AND job_card_id = ?",
                             {line_id, id});
    if (!line) reference_not_found("lineId", "service line", line_id);
    if (status == ServiceLineStatus::kCompleted &&
        !approval_is_billable(kServiceLineApprovalFlow.parse(line->str("approval_status")))) {
      throw Error::BusinessRule(ErrorCode::kServiceLineNotApproved,
                                "the customer has not approved service line " + line_id);
    }
    JobCardColumns columns;
    if (status == ServiceLineStatus::kCompleted) {
      columns.emplace_back("completed_by", actor(ctx));
      columns.emplace_back("completed_at", micros(ctx.now()));
    }
    if (actual) columns.emplace_back("actual_hours", thousandths(*actual));
    if (estimated) columns.emplace_back("estimated_hours", thousandths(*estimated));
    if (!status && columns.empty()) throw Error::Validation("status", "nothing to update");
    const Json details{{"actualHours", actual ? Json(actual->to_string()) : Json()}};
    const ServiceLineStatus from = kServiceLineFlow.parse(line->str("status"));
    if (status && *status != from) {
      move_service_line(tx, ctx, *line, *status, jc.str("service_center_id"), details,
                        std::move(columns));
      return;
    }
    UpdateBuilder update;  // the same status: hours only, not a move
    for (auto& [column, value] : columns) update.set(column, value);
    update.apply(tx, "job_card_services", line_id);
    audit::record(tx, ctx, "UPDATE", "job_card_service", line_id, {{"status", line->str("status")}},
                  {{"status", line->str("status")}, {"actualHours", details["actualHours"]}},
                  jc.str("service_center_id"));
  });
}

Json request_additional_service(Env& env, const Context& ctx, const Json& req) {
  ctx.require("job_cards:update");
  request::Fields f(req);
  const std::string id = f.str("id", 1, 100);
  std::vector<LineInput> lines;
  const Json& items = f.array("services", 50);
  for (size_t i = 0; i < items.size(); ++i) lines.push_back(read_line(f.element("services", i)));
  const auto notes = opt_trimmed(f, "notes", 2000);
  return on_locked_job_card(env, ctx, id, [&](storage::Transaction& tx, const storage::Row& jc) {
    require_assigned_engineer(ctx, jc);
    kJobCardFlow.require(job_card_status(jc), JobCardStatus::kWaitingCustomerApproval);
    Json added = Json::array();
    Money extra_cost;
    for (const LineInput& in : lines) {
      const std::string line_id = insert_line(tx, ctx, id, in, true);
      added.push_back(line_audit(in));
      added.back()["id"] = line_id;
      extra_cost += line_amount(in);
    }
    move_job_card(tx, ctx, jc, JobCardStatus::kWaitingCustomerApproval, notes);
    events::emit(tx, ctx, "job_card.additional_service_requested",
                 {{"jobCardId", id},
                  {"jobCardNumber", jc.str("job_card_number")},
                  {"customerId", jc.str("customer_id")},
                  {"services", added},
                  {"additionalCost", extra_cost.to_string()}},
                 jc.str("service_center_id"), "service_advisor");
  });
}

Json respond_additional_service(Env& env, const Context& ctx, const Json& req) {
  ctx.require("job_cards:update");
  request::Fields f(req);
  const std::string id = f.str("id", 1, 100);
  if (!f.has("approved")) throw Error::Validation("approved", "approved is required");
  const bool approved = f.boolean("approved", false);
  const auto note = opt_trimmed(f, "note", 2000);
  return on_locked_job_card(env, ctx, id, [&](storage::Transaction& tx, const storage::Row& jc) {
    if (job_card_status(jc) != JobCardStatus::kWaitingCustomerApproval) {
      throw Error::BusinessRule(ErrorCode::kNoAdditionalServicePending,
                                "job card " + jc.str("job_card_number") + " is " +
                                    jc.str("status") + ": no additional service awaits an answer");
    }
    Money approved_cost;
    const Timestamp now = ctx.now();
    const std::string center = jc.str("service_center_id");
    for (const auto& line : tx.query(
             "SELECT * FROM job_card_services WHERE job_card_id = ? AND approval_status = ? "
             "ORDER BY line_no",
             {id, std::string(kServiceLineApprovalFlow.name(ServiceLineApproval::kPending))})) {
      approved_cost +=
          money_of(line, "rate").times(quantity_of(line, "quantity"), Rounding::kHalfAwayFromZero);
      service::StatusChange change{"job_card_services", "job_card_service", line.str("id")};
      change.column = "approval_status";
      change.audit_field = "approvalStatus";
      change.action = approved ? "APPROVE" : "DECLINE";
      change.touch_updated_at = false;
      change.service_center_id = center;
      change.set("approval_note", text(note))
          .set("approved_by", actor(ctx))
          .set("approved_at", micros(now));
      change.event.type = "job_card_service.approval_changed";
      change.event.payload = {
          {"jobCardId", id}, {"lineId", line.str("id")}, {"approved", approved}};
      service::transition(
          tx, ctx, kServiceLineApprovalFlow, ServiceLineApproval::kPending,
          approved ? ServiceLineApproval::kApproved : ServiceLineApproval::kDeclined,
          std::move(change));
      // A declined line will not be done.
      if (!approved && kServiceLineFlow.parse(line.str("status")) != ServiceLineStatus::kSkipped) {
        move_service_line(tx, ctx, line, ServiceLineStatus::kSkipped, center, Json::object(), {});
      }
    }
    JobCardColumns extra;
    if (approved) {
      extra.emplace_back("estimated_cost", paise(money_of(jc, "estimated_cost") + approved_cost));
    }
    move_job_card(tx, ctx, jc, JobCardStatus::kInProgress,
                  std::string(approved ? "customer approved" : "customer declined") +
                      (note ? ": " + *note : ""),
                  std::move(extra));
    audit::record(tx, ctx, approved ? "APPROVE" : "DECLINE", "job_card_additional_service", id,
                  Json(), {{"approved", approved}, {"cost", approved_cost.to_string()}},
                  jc.str("service_center_id"));
  });
}

const service::MethodRegistration kAdd("jobCards.AddServiceLine", add_service_line);
const service::MethodRegistration kUpdate("jobCards.UpdateServiceLine", update_service_line);
const service::MethodRegistration kRequest("jobCards.RequestAdditionalService",
                                           request_additional_service);
const service::MethodRegistration kRespond("jobCards.RespondAdditionalService",
                                           respond_additional_service);

}  // namespace
}  // namespace dms::workshop
