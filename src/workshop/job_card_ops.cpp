// The job-card lifecycle operations declared in workshop/job_cards.hpp.
#include <string>
#include <vector>

#include "audit/audit.hpp"
#include "dms/error.hpp"
#include "events/outbox.hpp"
#include "service/request.hpp"
#include "service/permissions.hpp"
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

void free_vehicle(storage::Transaction& tx, const storage::Row& job_card, Timestamp now) {
  tx.exec(
      "UPDATE vehicles SET current_status = ?, active_job_card_id = NULL, updated_at = ? "
      "WHERE id = ? AND active_job_card_id = ?",
      {std::string(kVehicleAvailable), micros(now), job_card.str("vehicle_id"),
       job_card.str("id")});
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
  kServiceRequestFlow.require(from, to);
  tx.exec(
      "UPDATE service_requests SET status = ?, cancel_reason = COALESCE(?, cancel_reason), "
      "updated_at = ? WHERE id = ?",
      {std::string(kServiceRequestFlow.name(to)), text(reason), micros(ctx.now()), *request_id});
  audit::record(tx, ctx, "UPDATE", "service_request", *request_id,
                {{"status", kServiceRequestFlow.name(from)}},
                {{"status", kServiceRequestFlow.name(to)}, {"jobCardId", job_card.str("id")}},
                center_of(job_card));
}

void set_line_times(storage::Transaction& tx, const Context& ctx, const std::string& job_card_id,
                    const CompletionInput& input) {
  for (size_t i = 0; i < input.lines.size(); ++i) {
    const auto& line = input.lines[i];
    UpdateBuilder update;
    if (line.actual_hours) update.set("actual_hours", thousandths(*line.actual_hours));
    const std::string status = line.status.value_or("COMPLETED");
    update.set("status", status);
    if (status == "COMPLETED") {
      update.set("completed_by", actor(ctx));
      update.set("completed_at", micros(ctx.now()));
    }
    auto found = tx.query_one(
        "SELECT id, approval_status FROM job_card_services WHERE id = ? AND job_card_id = ?",
        {line.line_id, job_card_id});
    if (!found) {
      reference_not_found("lines[" + std::to_string(i) + "].lineId", "service line", line.line_id);
    }
    if (found->str("approval_status") == "DECLINED" && status == "COMPLETED") {
      throw Error::BusinessRule(
          ErrorCode::kServiceLineDeclined,
          "service line " + line.line_id + " was declined by the customer and cannot be completed");
    }
    update.apply(tx, "job_card_services", line.line_id);
  }
}

void complete_open_lines(storage::Transaction& tx, const Context& ctx,
                         const std::string& job_card_id) {
  tx.exec(
      "UPDATE job_card_services SET status = 'COMPLETED', completed_by = ?, completed_at = ? "
      "WHERE job_card_id = ? AND status IN ('PENDING', 'IN_PROGRESS') AND approval_status IN "
      "('NOT_REQUIRED', 'APPROVED')",
      {actor(ctx), micros(ctx.now()), job_card_id});
}

}  // namespace

storage::Row load_job_card(storage::Transaction& tx, const Context& ctx, const std::string& id,
                           bool lock, std::string_view field) {
  return load_in_center(tx, ctx, "job_cards", "job card", id, lock, field);
}

JobCardStatus job_card_status(const storage::Row& job_card) {
  return kJobCardFlow.parse(job_card.str("status"));
}

Json reload_job_card(storage::Transaction& tx, const Context& ctx, const std::string& id) {
  return job_card_document(tx, load_job_card(tx, ctx, id, false));
}

void move_job_card(storage::Transaction& tx, const Context& ctx, const storage::Row& job_card,
                   JobCardStatus to, const std::optional<std::string>& notes, UpdateBuilder extra) {
  const JobCardStatus from = job_card_status(job_card);
  kJobCardFlow.require(from, to);
  const std::string id = job_card.str("id");
  const Timestamp now = ctx.now();
  extra.set("status", status_name(to));
  extra.set("updated_at", micros(now));
  extra.apply(tx, "job_cards", id);
  tx.exec(
      "INSERT INTO job_card_status_history (id, job_card_id, from_status, to_status, notes, "
      "changed_by, changed_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
      {storage::new_id(), id, status_name(from), status_name(to), text(notes), actor(ctx),
       micros(now)});
  Json new_values{{"status", status_name(to)}};
  if (notes) new_values["notes"] = *notes;
  audit::record(tx, ctx, "UPDATE", "job_card", id, {{"status", status_name(from)}}, new_values,
                center_of(job_card));
  events::emit(tx, ctx, "job_card.status_changed",
               {{"jobCardId", id},
                {"jobCardNumber", job_card.str("job_card_number")},
                {"from", status_name(from)},
                {"to", status_name(to)}},
               center_of(job_card));
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
    UpdateBuilder extra;
    extra.set("assigned_engineer_id", engineer_id);
    extra.set("assigned_at", micros(now));
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
  UpdateBuilder extra;
  if (from == JobCardStatus::kAssigned) {
    extra.set("started_at", micros(ctx.now()));
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
  set_line_times(tx, ctx, id, input);
  complete_open_lines(tx, ctx, id);
  const Date today = ctx.now().business_date();
  for (size_t i = 0; i < input.components.size(); ++i) {
    record_component_service(tx, ctx, job_card.str("vehicle_id"), id, job_card.str("service_type"),
                             today, input.components[i], "components[" + std::to_string(i) + "]");
  }
  UpdateBuilder extra;
  extra.set("completed_at", micros(ctx.now()));
  extra.set("service_date", today.to_string());
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
  for (const auto& request : tx.query(
           "SELECT id FROM parts_requests WHERE job_card_id = ? AND status = 'PENDING'", {id})) {
    kPartsRequestFlow.require(PartsRequestStatus::kPending, PartsRequestStatus::kCancelled);
    tx.exec(
        "UPDATE parts_requests SET status = 'CANCELLED', decision_notes = ?, decided_at = ?, "
        "updated_at = ? WHERE id = ?",
        {"job card cancelled: " + reason, micros(now), micros(now), request.str("id")});
  }
  return_all_parts(tx, ctx, job_card, "Job card cancelled");
  UpdateBuilder extra;
  extra.set("cancelled_at", micros(now));
  extra.set("cancel_reason", reason);
  move_job_card(tx, ctx, job_card, JobCardStatus::kCancelled, reason, std::move(extra));
  free_vehicle(tx, job_card, now);
  move_linked_request(tx, ctx, job_card, ServiceRequestStatus::kInProgress,
                      ServiceRequestStatus::kCancelled, "job card cancelled: " + reason);
}

void deliver_job_card(storage::Transaction& tx, const Context& ctx, const storage::Row& job_card,
                      const DeliveryInput& input) {
  kJobCardFlow.require(job_card_status(job_card), JobCardStatus::kDelivered);
  const std::string id = job_card.str("id");
  const std::string payment = job_card.opt_str("payment_status").value_or("NONE");
  UpdateBuilder extra;
  if (payment != "PAID") {
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
    extra.set("payment_waived_by", actor(ctx));
    extra.set("payment_waiver_reason", *input.waiver_reason);
    audit::record(tx, ctx, "PAYMENT_WAIVED", "job_card", id, {{"paymentStatus", payment}},
                  {{"waivedBy", ctx.user_id}, {"reason", *input.waiver_reason}},
                  center_of(job_card));
  }
  const Timestamp now = ctx.now();
  extra.set("delivered_at", micros(now));
  if (input.customer_feedback) extra.set("customer_feedback", *input.customer_feedback);
  if (input.feedback_rating) extra.set("feedback_rating", *input.feedback_rating);
  move_job_card(tx, ctx, job_card, JobCardStatus::kDelivered, input.notes, std::move(extra));
  free_vehicle(tx, job_card, now);
  events::emit(tx, ctx, "job_card.delivered",
               {{"jobCardId", id},
                {"jobCardNumber", job_card.str("job_card_number")},
                {"customerId", job_card.str("customer_id")},
                {"paymentWaived", payment != "PAID"}},
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
  UpdateBuilder extra;
  extra.set("invoice_id", invoice_id);
  extra.set("invoice_number", invoice_number);
  extra.set("payment_status", std::string("PENDING"));
  extra.set("parts_cost", paise(parts_cost));
  extra.set("labour_cost", paise(labour_cost));
  extra.set("total_cost", paise(total_cost));
  const Timestamp now = ctx.now();
  extra.set("invoiced_at", micros(now));
  if (job_card_status(job_card) == JobCardStatus::kInvoiced) {  // re-invoiced after a credit note
    extra.set("updated_at", micros(now));
    extra.apply(tx, "job_cards", job_card_id);
    audit::record(tx, ctx, "UPDATE", "job_card", job_card_id, Json::object(),
                  {{"invoiceId", invoice_id}, {"invoiceNumber", invoice_number}},
                  center_of(job_card));
    return;
  }
  move_job_card(tx, ctx, job_card, JobCardStatus::kInvoiced, "invoice " + invoice_number,
                std::move(extra));
}

void record_paid_service(storage::Transaction& tx, const Context& ctx,
                         const std::string& job_card_id, const std::string& invoice_number,
                         Money grand_total) {
  const storage::Row job_card = load_job_card(tx, ctx, job_card_id, true, "jobCardId");
  const std::string center = center_of(job_card);
  const Timestamp now = ctx.now();
  tx.exec("UPDATE job_cards SET payment_status = 'PAID', updated_at = ? WHERE id = ?",
          {micros(now), job_card_id});
  const std::string customer_id = job_card.str("customer_id");
  const std::string vehicle_id = job_card.str("vehicle_id");
  const Json customer_before =
      customer_json(*tx.query_one("SELECT * FROM customers WHERE id = ?", {customer_id}));
  tx.exec(
      "UPDATE customers SET last_service_center_id = ?, last_service_date = ?, "
      "last_invoice_number = ?, updated_at = ? WHERE id = ?",
      {center, micros(now), invoice_number, micros(now), customer_id});
  const Json customer_after =
      customer_json(*tx.query_one("SELECT * FROM customers WHERE id = ?", {customer_id}));
  auto [c_old, c_new] = audit::changed_fields(customer_before, customer_after);
  audit::record(tx, ctx, "UPDATE", "customer", customer_id, c_old, c_new, center);
  const Json vehicle_before = vehicle_json(load_vehicle(tx, vehicle_id, "vehicleId", true));
  tx.exec(
      "UPDATE vehicles SET last_service_date = ?, last_service_center_id = ?, "
      "total_services = total_services + 1, total_spent = total_spent + ?, updated_at = ? "
      "WHERE id = ?",
      {micros(now), center, paise(grand_total), micros(now), vehicle_id});
  const Json vehicle_after = vehicle_json(load_vehicle(tx, vehicle_id));
  auto [v_old, v_new] = audit::changed_fields(vehicle_before, vehicle_after);
  audit::record(tx, ctx, "UPDATE", "vehicle", vehicle_id, v_old, v_new, center);
}

void reverse_invoiced_service(storage::Transaction& tx, const Context& ctx,
                              const std::string& job_card_id, bool was_paid, Money grand_total) {
  const storage::Row job_card = load_job_card(tx, ctx, job_card_id, true, "jobCardId");
  const Timestamp now = ctx.now();
  tx.exec(
      "UPDATE job_cards SET invoice_id = NULL, invoice_number = NULL, payment_status = NULL, "
      "parts_cost = NULL, labour_cost = NULL, total_cost = NULL, updated_at = ? WHERE id = ?",
      {micros(now), job_card_id});
  if (was_paid) {
    tx.exec(
        "UPDATE vehicles SET total_services = total_services - 1, total_spent = total_spent - ?, "
        "updated_at = ? WHERE id = ?",
        {paise(grand_total), micros(now), job_card.str("vehicle_id")});
  }
  audit::record(tx, ctx, "UPDATE", "job_card", job_card_id,
                {{"invoiceId", text_or_null(job_card, "invoice_id")}},
                {{"invoiceId", nullptr}, {"reversedPaidTotals", was_paid}}, center_of(job_card));
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
