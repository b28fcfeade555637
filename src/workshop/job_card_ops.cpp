// The job-card lifecycle operations declared in workshop/job_cards.hpp.
#include <string>
#include <vector>

#include "audit/audit.hpp"
#include "dms/error.hpp"
#include "events/outbox.hpp"
#include "service/request.hpp"
#include "service/permissions.hpp"
#include "service/transition.hpp"
#include "workshop/job_cards.hpp"
#include "workshop/records.hpp"
#include "workshop/stock_link.hpp"
#include "workshop/validation.hpp"

namespace dms::workshop {
namespace {

std::string status_name(JobCardStatus s) {
  return kJobCardFlow.name(s);
}

std::string center_of(const storage::Row& job_card) {
  return job_card.str("service_center_id");
}

bool has_pending_parts_request(storage::Transaction& tx, const std::string& job_card_id) {
  return tx
      .query_one("SELECT id FROM parts_requests WHERE job_card_id = ? AND status = ?",
                 {job_card_id, std::string(kPartsRequestFlow.name(PartsRequestStatus::kPending))})
      .has_value();
}

// The job card's payment status (mirroring its invoice) moves to `to`; NONE is stored as NULL.
void move_payment_status(storage::Transaction& tx, const Context& ctx, const storage::Row& job_card,
                         JobCardPaymentStatus to, Json details = {}) {
  const JobCardPaymentStatus from = job_card_payment_status(job_card);
  if (from == to) return;  // a further part payment is not a move
  service::StatusChange change{"job_cards", "job_card", job_card.str("id")};
  change.column = "payment_status";
  change.audit_field = "paymentStatus";
  change.service_center_id = center_of(job_card);
  if (from == JobCardPaymentStatus::kNone) change.stored_from = Value();
  if (to == JobCardPaymentStatus::kNone) change.stored_to = Value();
  if (details.is_object()) change.audit_new = std::move(details);
  change.event = {"job_card.payment_status_changed",
                  {{"jobCardId", job_card.str("id")},
                   {"jobCardNumber", job_card.str("job_card_number")},
                   {"from", kJobCardPaymentFlow.name(from)},
                   {"to", kJobCardPaymentFlow.name(to)}},
                  ""};
  service::transition(tx, ctx, kJobCardPaymentFlow, from, to, std::move(change));
}

// Moves the job card's service request along with it, when it is in `from`.
void move_linked_request(storage::Transaction& tx, const Context& ctx, const storage::Row& job_card,
                         ServiceRequestStatus from, ServiceRequestStatus to,
                         const std::optional<std::string>& reason) {
  auto request_id = job_card.opt_str("service_request_id");
  if (!request_id) return;
  auto row = tx.query_one(
      std::string("SELECT status FROM service_requests WHERE id = ?") + tx.for_update(),
      {*request_id});
  if (!row || kServiceRequestFlow.parse(row->str("status")) != from) return;
  service::StatusChange change{"service_requests", "service_request", *request_id};
  change.service_center_id = center_of(job_card);
  if (reason) change.set("cancel_reason", *reason);
  change.audit_new = {{"jobCardId", job_card.str("id")}};
  change.event = {"service_request.status_changed",
                  {{"serviceRequestId", *request_id}, {"status", kServiceRequestFlow.name(to)}},
                  ""};
  service::transition(tx, ctx, kServiceRequestFlow, from, to, std::move(change));
}

void set_line_times(storage::Transaction& tx, const Context& ctx, const std::string& job_card_id,
                    const std::string& center, const CompletionInput& input) {
  for (size_t i = 0; i < input.lines.size(); ++i) {
    const auto& line = input.lines[i];
    const std::string field = "lines[" + std::to_string(i) + "]";
    const ServiceLineStatus status = line.status
                                         ? kServiceLineFlow.parse(*line.status, field + ".status")
                                         : ServiceLineStatus::kCompleted;
    std::vector<std::pair<std::string, Value>> extra;
    if (line.actual_hours) extra.emplace_back("actual_hours", thousandths(*line.actual_hours));
    if (status == ServiceLineStatus::kCompleted) {
      extra.emplace_back("completed_by", actor(ctx));
      extra.emplace_back("completed_at", micros(ctx.now()));
    }
    auto found = tx.query_one("SELECT * FROM job_card_services WHERE id = ? AND job_card_id = ?",
                              {line.line_id, job_card_id});
    if (!found) {
      reference_not_found("lines[" + std::to_string(i) + "].lineId", "service line", line.line_id);
    }
    if (kServiceLineApprovalFlow.parse(found->str("approval_status")) ==
            ServiceLineApproval::kDeclined &&
        status == ServiceLineStatus::kCompleted) {
      throw Error::BusinessRule(
          ErrorCode::kServiceLineDeclined,
          "service line " + line.line_id + " was declined by the customer and cannot be completed");
    }
    if (kServiceLineFlow.parse(found->str("status")) == status) {  // not a move: the hours only
      UpdateBuilder update;
      for (auto& [column, value] : extra) update.set(column, value);
      update.apply(tx, "job_card_services", line.line_id);
      continue;
    }
    move_service_line(tx, ctx, *found, status, center, Json::object(), std::move(extra));
  }
}

// Every open billable line (approved or not requiring approval) becomes COMPLETED.
void complete_open_lines(storage::Transaction& tx, const Context& ctx,
                         const std::string& job_card_id, const std::string& center) {
  for (const auto& line : open_billable_lines(tx, job_card_id)) {
    move_service_line(tx, ctx, line, ServiceLineStatus::kCompleted, center, Json::object(),
                      {{"completed_by", actor(ctx)}, {"completed_at", micros(ctx.now())}});
  }
}

// The customer's last-service fields (seed 002 workflow 4), audited with what changed.
void set_customer_last_service(storage::Transaction& tx, const Context& ctx,
                               const std::string& customer_id, const Value& center_id,
                               const Value& date, const Value& invoice_number,
                               const std::string& audit_center) {
  const Json before =
      customer_json(*tx.query_one("SELECT * FROM customers WHERE id = ?", {customer_id}));
  tx.exec(
      "UPDATE customers SET last_service_center_id = ?, last_service_date = ?, "
      "last_invoice_number = ?, updated_at = ? WHERE id = ?",
      {center_id, date, invoice_number, micros(ctx.now()), customer_id});
  const Json after =
      customer_json(*tx.query_one("SELECT * FROM customers WHERE id = ?", {customer_id}));
  auto [old_values, new_values] = audit::changed_fields(before, after);
  audit::record(tx, ctx, "UPDATE", "customer", customer_id, old_values, new_values, audit_center);
}

}  // namespace

storage::Row load_job_card(storage::Transaction& tx, const Context& ctx, const std::string& id,
                           bool lock, std::string_view field) {
  return load_in_center(tx, ctx, "job_cards", "job card", id, lock, field);
}

JobCardStatus job_card_status(const storage::Row& job_card) {
  return kJobCardFlow.parse(job_card.str("status"));
}

void move_service_line(storage::Transaction& tx, const Context& ctx, const storage::Row& line,
                       ServiceLineStatus to, const std::string& center, Json details,
                       std::vector<std::pair<std::string, Value>> extra) {
  service::StatusChange change{"job_card_services", "job_card_service", line.str("id")};
  change.touch_updated_at = false;
  change.service_center_id = center;
  change.columns = std::move(extra);
  if (details.is_object()) change.audit_new = std::move(details);
  service::transition(tx, ctx, kServiceLineFlow, kServiceLineFlow.parse(line.str("status")), to,
                      std::move(change));
}

JobCardPaymentStatus job_card_payment_status(const storage::Row& job_card) {
  auto stored = job_card.opt_str("payment_status");
  return stored ? kJobCardPaymentFlow.parse(*stored, "paymentStatus") : JobCardPaymentStatus::kNone;
}

namespace {
storage::Rows billable_lines(storage::Transaction& tx, const std::string& job_card_id,
                             std::vector<ServiceLineStatus> states) {
  std::vector<Value> params{job_card_id};
  for (auto s : states) params.emplace_back(std::string(kServiceLineFlow.name(s)));
  for (auto a : kBillableApprovals) {
    params.emplace_back(std::string(kServiceLineApprovalFlow.name(a)));
  }
  return tx.query("SELECT * FROM job_card_services WHERE job_card_id = ? AND status IN (" +
                      service::placeholders(states.size()) + ") AND approval_status IN (" +
                      service::placeholders(std::size(kBillableApprovals)) + ") ORDER BY line_no",
                  params);
}
}  // namespace

storage::Rows open_billable_lines(storage::Transaction& tx, const std::string& job_card_id) {
  return billable_lines(tx, job_card_id,
                        {std::begin(kOpenServiceLineStates), std::end(kOpenServiceLineStates)});
}

storage::Rows completed_billable_lines(storage::Transaction& tx, const std::string& job_card_id) {
  return billable_lines(tx, job_card_id, {ServiceLineStatus::kCompleted});
}

void hold_vehicle(storage::Transaction& tx, const Context& ctx, const storage::Row& vehicle,
                  const std::string& job_card_id, const std::string& center) {
  service::StatusChange change{"vehicles", "vehicle", vehicle.str("id")};
  change.column = "current_status";
  change.audit_field = "currentStatus";
  change.service_center_id = center;
  change.set("active_job_card_id", job_card_id);
  change.audit_new = {{"activeJobCardId", job_card_id}};
  change.event.type = "vehicle.status_changed";
  change.event.payload = {{"vehicleId", vehicle.str("id")},
                          {"currentStatus", kVehicleFlow.name(VehicleStatus::kActiveJobCard)},
                          {"activeJobCardId", job_card_id}};
  service::transition(tx, ctx, kVehicleFlow, kVehicleFlow.parse(vehicle.str("current_status")),
                      VehicleStatus::kActiveJobCard, std::move(change));
}

void free_vehicle(storage::Transaction& tx, const Context& ctx, const storage::Row& job_card) {
  const storage::Row vehicle = load_vehicle(tx, job_card.str("vehicle_id"), "vehicleId", true);
  if (vehicle.opt_str("active_job_card_id") != job_card.str("id")) return;  // already freed
  service::StatusChange change{"vehicles", "vehicle", vehicle.str("id")};
  change.column = "current_status";
  change.audit_field = "currentStatus";
  change.service_center_id = center_of(job_card);
  change.set("active_job_card_id", Value());
  change.audit_old = {{"activeJobCardId", job_card.str("id")}};
  change.audit_new = {{"activeJobCardId", nullptr}};
  change.event.type = "vehicle.status_changed";
  change.event.payload = {{"vehicleId", vehicle.str("id")},
                          {"currentStatus", kVehicleFlow.name(VehicleStatus::kAvailable)},
                          {"activeJobCardId", nullptr}};
  service::transition(tx, ctx, kVehicleFlow, kVehicleFlow.parse(vehicle.str("current_status")),
                      VehicleStatus::kAvailable, std::move(change));
}

Json reload_job_card(storage::Transaction& tx, const Context& ctx, const std::string& id) {
  return job_card_document(tx, load_job_card(tx, ctx, id, false));
}

void move_job_card(storage::Transaction& tx, const Context& ctx, const storage::Row& job_card,
                   JobCardStatus to, const std::optional<std::string>& notes,
                   JobCardColumns extra) {
  const JobCardStatus from = job_card_status(job_card);
  const std::string id = job_card.str("id");
  service::StatusChange change{"job_cards", "job_card", id};
  change.columns = std::move(extra);
  change.service_center_id = center_of(job_card);
  change.history_table = "job_card_status_history";
  change.history_key = "job_card_id";
  change.notes = notes;
  if (notes) change.audit_new["notes"] = *notes;
  change.event = {"job_card.status_changed",
                  {{"jobCardId", id},
                   {"jobCardNumber", job_card.str("job_card_number")},
                   {"from", status_name(from)},
                   {"to", status_name(to)}},
                  ""};
  service::transition(tx, ctx, kJobCardFlow, from, to, std::move(change));
}

void require_assigned_engineer(const Context& ctx, const storage::Row& job_card) {
  if (ctx.has_permission(service::kJobCardsViewAll)) return;
  if (job_card.opt_str("assigned_engineer_id") != ctx.user_id) {
    throw Error(ErrorCode::kForbidden, "only the engineer assigned to job card " +
                                           job_card.str("job_card_number") + " may work on it");
  }
}

void require_job_card_visible(const Context& ctx, const storage::Row& job_card) {
  if (ctx.has_permission(service::kJobCardsViewAll)) return;
  if (job_card.opt_str("assigned_engineer_id") != ctx.user_id) {
    throw Error::NotFound("job card", job_card.str("id"));
  }
}

void assign_engineer(storage::Transaction& tx, const Context& ctx, const storage::Row& job_card,
                     const std::string& engineer_id, const std::optional<std::string>& notes) {
  ctx.require("job_cards:assign");
  const JobCardStatus from = job_card_status(job_card);
  const bool reassigning = from != JobCardStatus::kCreated && job_card_is_in_work(from);
  if (!reassigning) kJobCardFlow.require(from, JobCardStatus::kAssigned);
  auto engineer = find_user(tx, engineer_id);
  if (!engineer) reference_not_found("engineerId", "user", engineer_id);
  // Assignable: the role is granted job_cards:work by name (a manager's job_cards:* does not make
  // them a technician).
  const bool assignable =
      tx.query_one("SELECT role FROM role_permissions WHERE role = ? AND permission = ?",
                   {engineer->role, std::string(service::kJobCardsWork)})
          .has_value();
  if (!assignable || !engineer->active ||
      engineer->service_center_id != center_of(job_card)) {
    throw Error::Validation("engineerId",
                            "engineerId must be an active service engineer of the job card's "
                            "service center");
  }
  const Timestamp now = ctx.now();
  if (reassigning) {
    tx.exec(
        "UPDATE job_cards SET assigned_engineer_id = ?, assigned_at = ?, updated_at = ? "
        "WHERE id = ?",
        {engineer_id, micros(now), micros(now), job_card.str("id")});
    audit::record(tx, ctx, "UPDATE", "job_card", job_card.str("id"),
                  {{"assignedEngineerId", text_or_null(job_card, "assigned_engineer_id")}},
                  {{"assignedEngineerId", engineer_id}}, center_of(job_card));
  } else {
    JobCardColumns extra{{"assigned_engineer_id", engineer_id}, {"assigned_at", micros(now)}};
    move_job_card(tx, ctx, job_card, JobCardStatus::kAssigned, notes, std::move(extra));
  }
  events::emit(tx, ctx, "job_card.assigned",
               {{"jobCardId", job_card.str("id")},
                {"jobCardNumber", job_card.str("job_card_number")},
                {"engineerId", engineer_id},
                {"engineerName", engineer->name}},
               center_of(job_card), "service_engineer");
}

void start_or_resume(storage::Transaction& tx, const Context& ctx, const storage::Row& job_card,
                     const std::optional<std::string>& notes) {
  require_assigned_engineer(ctx, job_card);
  const JobCardStatus from = job_card_status(job_card);
  kJobCardFlow.require(from, JobCardStatus::kInProgress);
  JobCardColumns extra;
  if (from == JobCardStatus::kAssigned) {
    extra.emplace_back("started_at", micros(ctx.now()));
  } else if (from == JobCardStatus::kPartsPending) {
    if (has_pending_parts_request(tx, job_card.str("id"))) {
      throw Error::BusinessRule(
          ErrorCode::kPartsRequestPending,
          "job card " + job_card.str("job_card_number") + " still has a pending parts request");
    }
  } else {
    throw Error::BusinessRule(
        ErrorCode::kCustomerAnswerPending,
        "job card " + job_card.str("job_card_number") +
            " waits for the customer's answer: record it with jobCards.RespondAdditionalService");
  }
  move_job_card(tx, ctx, job_card, JobCardStatus::kInProgress, notes, std::move(extra));
}

void complete_job_card(storage::Transaction& tx, const Context& ctx, const storage::Row& job_card,
                       const CompletionInput& input) {
  require_assigned_engineer(ctx, job_card);
  kJobCardFlow.require(job_card_status(job_card), JobCardStatus::kCompleted);
  const std::string id = job_card.str("id");
  if (has_pending_parts_request(tx, id)) {
    throw Error::BusinessRule(
        ErrorCode::kPartsRequestPending,
        "job card " + job_card.str("job_card_number") + " still has a pending parts request");
  }
  set_line_times(tx, ctx, id, center_of(job_card), input);
  complete_open_lines(tx, ctx, id, center_of(job_card));
  const Date today = ctx.now().business_date();
  for (size_t i = 0; i < input.components.size(); ++i) {
    record_component_service(tx, ctx, job_card.str("vehicle_id"), id, job_card.str("service_type"),
                             today, input.components[i], "components[" + std::to_string(i) + "]");
  }
  JobCardColumns extra;
  extra.emplace_back("completed_at", micros(ctx.now()));
  extra.emplace_back("service_date", today.to_string());
  move_job_card(tx, ctx, job_card, JobCardStatus::kCompleted, input.notes, std::move(extra));
  move_linked_request(tx, ctx, job_card, ServiceRequestStatus::kInProgress,
                      ServiceRequestStatus::kCompleted, std::nullopt);
}

void cancel_job_card(storage::Transaction& tx, const Context& ctx, const storage::Row& job_card,
                     const std::string& reason) {
  ctx.require("job_cards:cancel");
  kJobCardFlow.require(job_card_status(job_card), JobCardStatus::kCancelled);
  const std::string id = job_card.str("id");
  const Timestamp now = ctx.now();
  // Its pending parts requests are cancelled with it: each a move of its own, audited.
  for (const auto& request :
       tx.query(std::string("SELECT id, status FROM parts_requests WHERE job_card_id = ? AND "
                            "status = ?") +
                    tx.for_update(),
                {id, std::string(kPartsRequestFlow.name(PartsRequestStatus::kPending))})) {
    const std::string why = "job card cancelled: " + reason;
    service::StatusChange change{"parts_requests", "parts_request", request.str("id")};
    change.action = "CANCEL";
    change.service_center_id = center_of(job_card);
    change.set("decision_notes", why).set("decided_at", micros(now));
    change.audit_new = {{"reason", why}};
    change.event = {"parts_request.cancelled",
                    {{"partsRequestId", request.str("id")},
                     {"jobCardId", id},
                     {"jobCardNumber", job_card.str("job_card_number")},
                     {"reason", why}},
                    ""};
    service::transition(tx, ctx, kPartsRequestFlow, kPartsRequestFlow.parse(request.str("status")),
                        PartsRequestStatus::kCancelled, std::move(change));
  }
  return_all_parts(tx, ctx, job_card, "Job card cancelled");
  JobCardColumns extra;
  extra.emplace_back("cancelled_at", micros(now));
  extra.emplace_back("cancel_reason", reason);
  move_job_card(tx, ctx, job_card, JobCardStatus::kCancelled, reason, std::move(extra));
  free_vehicle(tx, ctx, job_card);
  move_linked_request(tx, ctx, job_card, ServiceRequestStatus::kInProgress,
                      ServiceRequestStatus::kCancelled, "job card cancelled: " + reason);
}

void deliver_job_card(storage::Transaction& tx, const Context& ctx, const storage::Row& job_card,
                      const DeliveryInput& input) {
  kJobCardFlow.require(job_card_status(job_card), JobCardStatus::kDelivered);
  const std::string id = job_card.str("id");
  const JobCardPaymentStatus paid = job_card_payment_status(job_card);
  const std::string payment = kJobCardPaymentFlow.name(paid);
  JobCardColumns extra;
  if (paid != JobCardPaymentStatus::kPaid) {
    if (!input.waive_payment) {
      throw Error::BusinessRule(ErrorCode::kInvoiceNotPaid,
                                "job card " + job_card.str("job_card_number") +
                                    " cannot be delivered: its invoice is not paid (" + payment +
                                    "); a manager may waive payment");
    }
    ctx.require("job_cards:waive_payment");
    if (!input.waiver_reason) {
      throw Error::Validation("waiverReason", "waiverReason is required to waive payment");
    }
    extra.emplace_back("payment_waived_by", actor(ctx));
    extra.emplace_back("payment_waiver_reason", *input.waiver_reason);
    audit::record(tx, ctx, "PAYMENT_WAIVED", "job_card", id, {{"paymentStatus", payment}},
                  {{"waivedBy", ctx.user_id}, {"reason", *input.waiver_reason}},
                  center_of(job_card));
  }
  const Timestamp now = ctx.now();
  extra.emplace_back("delivered_at", micros(now));
  if (input.customer_feedback) extra.emplace_back("customer_feedback", *input.customer_feedback);
  if (input.feedback_rating) extra.emplace_back("feedback_rating", *input.feedback_rating);
  move_job_card(tx, ctx, job_card, JobCardStatus::kDelivered, input.notes, std::move(extra));
  free_vehicle(tx, ctx, job_card);  // already free when the invoice was paid
  events::emit(tx, ctx, "job_card.delivered",
               {{"jobCardId", id},
                {"jobCardNumber", job_card.str("job_card_number")},
                {"customerId", job_card.str("customer_id")},
                {"paymentWaived", paid != JobCardPaymentStatus::kPaid}},
               center_of(job_card));
}

void update_job_card_status(storage::Transaction& tx, const Context& ctx,
                            const storage::Row& job_card, JobCardStatus to, const Json& request) {
  kJobCardFlow.require(job_card_status(job_card), to);
  request::Fields f(request);
  const auto notes = opt_trimmed(f, "notes", 2000);
  switch (to) {
    case JobCardStatus::kAssigned:
      return assign_engineer(tx, ctx, job_card, f.str("engineerId", 1, 100), notes);
    case JobCardStatus::kInProgress:
      return start_or_resume(tx, ctx, job_card, notes);
    case JobCardStatus::kPartsPending:
      require_assigned_engineer(ctx, job_card);
      return move_job_card(tx, ctx, job_card, to, notes);
    case JobCardStatus::kCompleted: {
      CompletionInput input;
      input.notes = notes;
      return complete_job_card(tx, ctx, job_card, input);
    }
    case JobCardStatus::kCancelled: {
      auto reason = opt_trimmed(f, "reason", 1000);
      if (!reason) reason = notes;
      if (!reason) throw Error::Validation("reason", "reason is required to cancel a job card");
      return cancel_job_card(tx, ctx, job_card, *reason);
    }
    case JobCardStatus::kDelivered: {
      DeliveryInput input;
      input.notes = notes;
      input.waive_payment = f.boolean("waivePayment", false);
      input.waiver_reason = opt_trimmed(f, "waiverReason", 1000);
      return deliver_job_card(tx, ctx, job_card, input);
    }
    case JobCardStatus::kWaitingCustomerApproval:
      throw Error::BusinessRule(
          ErrorCode::kCustomerApprovalRequired,
          "additional work needs the customer's approval: use jobCards.RequestAdditionalService");
    case JobCardStatus::kInvoiced:
      throw Error::BusinessRule(ErrorCode::kInvoicedByInvoice,
                                "a job card becomes INVOICED when its invoice is finalized");
    case JobCardStatus::kCreated:
      break;
  }
  throw Error::InvalidTransition(kJobCardFlow.entity(), job_card.str("status"), status_name(to));
}

void mark_job_card_invoiced(storage::Transaction& tx, const Context& ctx,
                            const std::string& job_card_id, const std::string& invoice_id,
                            const std::string& invoice_number, Money parts_cost, Money labour_cost,
                            Money total_cost) {
  const storage::Row job_card = load_job_card(tx, ctx, job_card_id, true, "jobCardId");
  const Timestamp now = ctx.now();
  UpdateBuilder extra;
  extra.set("invoice_id", invoice_id);
  extra.set("invoice_number", invoice_number);
  extra.set("parts_cost", paise(parts_cost));
  extra.set("labour_cost", paise(labour_cost));
  extra.set("total_cost", paise(total_cost));
  extra.set("invoiced_at", micros(now));
  extra.set("updated_at", micros(now));
  extra.apply(tx, "job_cards", job_card_id);
  // Its payment status follows the invoice (NONE -> PENDING), then the job card's own move
  // (re-invoiced after a credit note, it is INVOICED already).
  move_payment_status(tx, ctx, job_card, JobCardPaymentStatus::kPending,
                      {{"invoiceId", invoice_id}, {"invoiceNumber", invoice_number}});
  if (job_card_status(job_card) == JobCardStatus::kInvoiced) return;
  move_job_card(tx, ctx, job_card, JobCardStatus::kInvoiced, "invoice " + invoice_number);
}

void record_partial_payment(storage::Transaction& tx, const Context& ctx,
                            const std::string& job_card_id) {
  const storage::Row job_card = load_job_card(tx, ctx, job_card_id, true, "jobCardId");
  move_payment_status(tx, ctx, job_card, JobCardPaymentStatus::kPartiallyPaid);
}

void record_paid_service(storage::Transaction& tx, const Context& ctx,
                         const std::string& job_card_id, const std::string& invoice_number,
                         Money grand_total) {
  const storage::Row job_card = load_job_card(tx, ctx, job_card_id, true, "jobCardId");
  const std::string center = center_of(job_card);
  const Timestamp now = ctx.now();
  move_payment_status(tx, ctx, job_card, JobCardPaymentStatus::kPaid);
  const std::string customer_id = job_card.str("customer_id");
  const std::string vehicle_id = job_card.str("vehicle_id");
  set_customer_last_service(tx, ctx, customer_id, center, micros(now), invoice_number, center);
  const Json vehicle_before = vehicle_json(load_vehicle(tx, vehicle_id, "vehicleId", true));
  tx.exec(
      "UPDATE vehicles SET last_service_date = ?, last_service_center_id = ?, "
      "total_services = total_services + 1, total_spent = total_spent + ?, updated_at = ? "
      "WHERE id = ?",
      {micros(now), center, paise(grand_total), micros(now), vehicle_id});
  const Json vehicle_after = vehicle_json(load_vehicle(tx, vehicle_id));
  auto [v_old, v_new] = audit::changed_fields(vehicle_before, vehicle_after);
  audit::record(tx, ctx, "UPDATE", "vehicle", vehicle_id, v_old, v_new, center);
  // Seed 002 workflow 4: once paid, the vehicle is free for its next job card; delivery stays
  // the handover record.
  free_vehicle(tx, ctx, job_card);
}

void reverse_invoiced_service(storage::Transaction& tx, const Context& ctx,
                              const std::string& job_card_id, bool was_paid, Money grand_total,
                              const std::string& reason, const PreviousService& previous) {
  const storage::Row job_card = load_job_card(tx, ctx, job_card_id, true, "jobCardId");
  const std::string center = center_of(job_card);
  const Timestamp now = ctx.now();
  // Parts that left with a delivered vehicle are gone: only an explicit customer return brings
  // them back. Before delivery, the unused parts go back to the store.
  if (job_card_status(job_card) != JobCardStatus::kDelivered) {
    return_all_parts(tx, ctx, job_card, reason);
  }
  tx.exec(
      "UPDATE job_cards SET invoice_id = NULL, invoice_number = NULL, parts_cost = NULL, "
      "labour_cost = NULL, total_cost = NULL, updated_at = ? WHERE id = ?",
      {micros(now), job_card_id});
  move_payment_status(tx, ctx, job_card, JobCardPaymentStatus::kNone,
                      {{"invoiceId", nullptr}, {"reversedPaidTotals", was_paid}});
  if (!was_paid) return;
  const std::string vehicle_id = job_card.str("vehicle_id");
  const auto value = [](const std::optional<LastService>& last, auto field) {
    return last ? Value((*last).*field) : Value();
  };
  const auto& c = previous.customer;
  set_customer_last_service(
      tx, ctx, job_card.str("customer_id"), value(c, &LastService::service_center_id),
      c ? Value(micros(c->date)) : Value(), value(c, &LastService::invoice_number), center);
  const auto& v = previous.vehicle;
  const Json vehicle_before = vehicle_json(load_vehicle(tx, vehicle_id, "vehicleId", true));
  tx.exec(
      "UPDATE vehicles SET total_services = total_services - 1, total_spent = total_spent - ?, "
      "last_service_date = ?, last_service_center_id = ?, updated_at = ? WHERE id = ?",
      {paise(grand_total), v ? Value(micros(v->date)) : Value(),
       value(v, &LastService::service_center_id), micros(now), vehicle_id});
  const Json vehicle_after = vehicle_json(load_vehicle(tx, vehicle_id));
  auto [v_old, v_new] = audit::changed_fields(vehicle_before, vehicle_after);
  audit::record(tx, ctx, "UPDATE", "vehicle", vehicle_id, v_old, v_new, center);
}

std::vector<UsedPart> used_parts(storage::Transaction& tx, const std::string& job_card_id) {
  std::vector<UsedPart> parts;
  for (const auto& row :
       tx.query("SELECT * FROM job_card_parts WHERE job_card_id = ? AND issued_qty > returned_qty "
                "ORDER BY line_no, id",
                {job_card_id})) {
    UsedPart p;
    p.line_id = row.str("id");
    p.part_id = row.str("part_id");
    p.part_number = row.str("part_number");
    p.part_name = row.str("part_name");
    p.hsn_code = row.str("hsn_code");
    p.quantity = quantity_of(row, "issued_qty") - quantity_of(row, "returned_qty");
    p.unit_price = money_of(row, "unit_price");
    p.gst_rate = Percent::from_units(row.i64("gst_rate"));
    p.is_warranty = row.flag("is_warranty");
    parts.push_back(std::move(p));
  }
  return parts;
}

void return_all_parts(storage::Transaction& tx, const Context& ctx, const storage::Row& job_card,
                      const std::string& reason) {
  const std::string id = job_card.str("id");
  for (const auto& row :
       tx.query(std::string("SELECT * FROM job_card_parts WHERE job_card_id = ? AND issued_qty > "
                            "returned_qty ORDER BY line_no, id") +
                    tx.for_update(),
                {id})) {
    const Quantity unused = quantity_of(row, "issued_qty") - quantity_of(row, "returned_qty");
    move_back_to_store(tx, ctx, center_of(job_card), row.str("part_id"), unused,
                       StockCounterpart::kWorkshop, money_of(row, "unit_cost"),
                       {"JOB_CARD", id, job_card.str("job_card_number"), row.str("id"), reason});
    tx.exec("UPDATE job_card_parts SET returned_qty = issued_qty WHERE id = ?", {row.str("id")});
  }
}

}  // namespace dms::workshop
