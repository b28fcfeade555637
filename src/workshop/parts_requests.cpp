// jobCards.RequestParts and partsRequests.*: seed 002 workflow 3.
//
// An engineer asks for parts on a job card: the request is PENDING, the job card PARTS_PENDING
// and the center's inventory managers are told (outbox event, audience inventory_manager).
// Nothing is reserved at request time: an engineer may ask for parts the store does not hold yet.
// An inventory manager approves and issues (approvedQty per line, at most the requested
// quantity): the stock moves from the center's store to workshop consumption, and job-card part
// lines record the unit price, GST rate and warranty flag; or rejects. Once no request is pending
// the engineer resumes the job (IN_PROGRESS). An unused part goes back with ReturnPart.
#include <string>
#include <vector>

#include "audit/audit.hpp"
#include "dms/error.hpp"
#include "events/outbox.hpp"
#include "service/entity.hpp"
#include "service/request.hpp"
#include "service/service.hpp"
#include "service/transition.hpp"
#include "workshop/job_cards.hpp"
#include "workshop/lists.hpp"
#include "workshop/stock_link.hpp"
#include "workshop/validation.hpp"

namespace dms::workshop {
namespace {

struct RequestedPart {
  std::string part_id;
  Quantity quantity;
  bool warranty = false;
  std::optional<std::string> notes;
};

std::vector<RequestedPart> read_requested_parts(const request::Fields& f) {
  std::vector<RequestedPart> parts;
  const Json& items = f.array("parts", 100);
  for (size_t i = 0; i < items.size(); ++i) {
    request::Fields item = f.element("parts", i);
    RequestedPart p;
    p.part_id = item.has("inventoryPartId") ? item.str("inventoryPartId", 1, 100)
                                            : item.str("partId", 1, 100);
    p.quantity = item.quantity("requestedQty");
    if (!(p.quantity > Quantity())) {
      throw Error::Validation(item.path("requestedQty"), "requestedQty must be greater than zero");
    }
    p.warranty = item.boolean("isWarranty", false);
    p.notes = opt_trimmed(item, "notes", 1000);
    parts.push_back(std::move(p));
  }
  return parts;
}

// The parts request's document with its lines, from its description (parts_request_list_spec).
Json parts_request_json(storage::Transaction& tx, const storage::Row& row) {
  return service::render_entity(tx, parts_request_list_spec(), row.str("id"), "parts request");
}

storage::Row load_parts_request(storage::Transaction& tx, const Context& ctx, const std::string& id,
                                bool lock) {
  return load_in_center(tx, ctx, "parts_requests", "parts request", id, lock);
}

void insert_request(storage::Transaction& tx, const Context& ctx, const storage::Row& job_card,
                    const std::string& id, const std::string& urgency,
                    const std::optional<std::string>& notes,
                    const std::vector<RequestedPart>& parts) {
  const Timestamp now = ctx.now();
  tx.exec(
      "INSERT INTO parts_requests (id, job_card_id, service_center_id, status, urgency, notes, "
      "requested_by, requested_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
      {id, job_card.str("id"), job_card.str("service_center_id"),
       std::string(kPartsRequestFlow.name(PartsRequestStatus::kPending)), urgency, text(notes),
       actor(ctx), micros(now), micros(now)});
  for (size_t i = 0; i < parts.size(); ++i) {
    const CatalogPart part =
        load_catalog_part(tx, parts[i].part_id, "parts[" + std::to_string(i) + "].inventoryPartId");
    if (!part.active) {
      throw Error::Validation("parts[" + std::to_string(i) + "].inventoryPartId",
                              "part " + part.part_number + " is discontinued");
    }
    tx.exec(
        "INSERT INTO parts_request_lines (id, parts_request_id, line_no, part_id, requested_qty, "
        "is_warranty, notes) VALUES (?, ?, ?, ?, ?, ?, ?)",
        {storage::new_id(), id, static_cast<int64_t>(i + 1), parts[i].part_id,
         thousandths(parts[i].quantity), static_cast<int64_t>(parts[i].warranty ? 1 : 0),
         text(parts[i].notes)});
  }
}

// Each requested part the store cannot give in full now: the engineer and the center's inventory
// managers are told (parts.not_available; the jobs module tells them when it arrives).
void emit_not_available(storage::Transaction& tx, const Context& ctx, const storage::Row& job_card,
                        const std::vector<RequestedPart>& parts) {
  const std::string center = job_card.str("service_center_id");
  for (const RequestedPart& p : parts) {
    const Quantity available = available_in_store(tx, center, p.part_id);
    if (!(available < p.quantity)) continue;
    events::emit(tx, ctx, "parts.not_available",
                 {{"jobCardId", job_card.str("id")},
                  {"jobCardNumber", job_card.str("job_card_number")},
                  {"partId", p.part_id},
                  {"serviceCenterId", center},
                  {"engineerUserId", text_json(job_card, "assigned_engineer_id")},
                  {"requestedQuantity", p.quantity.to_string()},
                  {"availableQuantity", available.to_string()}},
                 center, "inventory_manager");
  }
}

Json request_parts(Env& env, const Context& ctx, const Json& req) {
  ctx.require("parts_requests:create");
  request::Fields f(req);
  const std::string job_card_id = f.str("id", 1, 100);
  const std::vector<RequestedPart> parts = read_requested_parts(f);
  const std::string urgency =
      f.opt_one_of("urgency", {"LOW", "MEDIUM", "HIGH", "URGENT"}).value_or("MEDIUM");
  const auto notes = opt_trimmed(f, "notes", 2000);
  return env.store->write([&](storage::Transaction& tx) {
    const storage::Row job_card = load_job_card(tx, ctx, job_card_id, true);
    require_assigned_engineer(ctx, job_card);
    const JobCardStatus status = job_card_status(job_card);
    if (status != JobCardStatus::kPartsPending) {
      kJobCardFlow.require(status, JobCardStatus::kPartsPending);
    }
    const std::string id = storage::new_id();
    insert_request(tx, ctx, job_card, id, urgency, notes, parts);
    if (status == JobCardStatus::kInProgress) {
      move_job_card(tx, ctx, job_card, JobCardStatus::kPartsPending, "parts requested");
    }
    Json created = parts_request_json(tx, load_parts_request(tx, ctx, id, false));
    const std::string center = job_card.str("service_center_id");
    audit::record(tx, ctx, "CREATE", "parts_request", id, Json(), created, center);
    events::emit(tx, ctx, "parts_request.created",
                 {{"partsRequestId", id},
                  {"jobCardId", job_card_id},
                  {"jobCardNumber", job_card.str("job_card_number")},
                  {"urgency", urgency}},
                 center, "inventory_manager");
    emit_not_available(tx, ctx, job_card, parts);
    return created;
  });
}

// ---- Decisions ----------------------------------------------------------------------------------

// The approved quantity of each line: the request's approvedQty by lineId, else all requested.
std::vector<Quantity> approved_quantities(const request::Fields& f, const storage::Rows& lines) {
  std::vector<Quantity> approved;
  for (const auto& line : lines) approved.push_back(quantity_or_zero(line, "requested_qty"));
  if (!f.has("lines")) return approved;
  const Json& items = f.array("lines", 100);
  for (size_t i = 0; i < items.size(); ++i) {
    request::Fields item = f.element("lines", i);
    const std::string line_id = item.str("lineId", 1, 100);
    const Quantity qty = item.quantity("approvedQty");
    size_t k = 0;
    while (k < lines.size() && lines[k].str("id") != line_id) ++k;
    if (k == lines.size()) reference_not_found(item.path("lineId"), "parts request line", line_id);
    if (qty.is_negative() || qty > quantity_or_zero(lines[k], "requested_qty")) {
      throw Error::Validation(item.path("approvedQty"),
                              "approvedQty must be between 0 and the requested quantity");
    }
    approved[k] = qty;
  }
  return approved;
}

void issue_line(storage::Transaction& tx, const Context& ctx, const storage::Row& job_card,
                const std::string& request_id, const storage::Row& line, Quantity quantity) {
  const CatalogPart part = load_catalog_part(tx, line.str("part_id"), "lines.partId");
  if (part.hsn_code.empty()) {  // its invoice line would need one: refuse now, not at invoicing
    throw Error::BusinessRule(
        ErrorCode::kPartHsnMissing,
        "part " + part.part_number + " (" + part.name +
            ") has no HSN code: set its hsnCode (inventory.UpdatePart) before "
            "issuing it, since the job card's invoice needs one");
  }
  const std::string center = job_card.str("service_center_id");
  const Money unit_cost =
      move_out_of_store(tx, ctx, center, part.id, quantity, StockCounterpart::kWorkshop,
                        {"PARTS_REQUEST", request_id, job_card.str("job_card_number"),
                         line.str("id"), "Job card parts issue"});
  const auto next = tx.query_one(
      "SELECT COALESCE(MAX(line_no), 0) + 1 AS n FROM job_card_parts WHERE job_card_id = ?",
      {job_card.str("id")});
  tx.exec(
      "INSERT INTO job_card_parts (id, job_card_id, line_no, parts_request_id, "
      "parts_request_line_id, part_id, part_number, part_name, hsn_code, issued_qty, returned_qty, "
      "unit_price, unit_cost, gst_rate, is_warranty, issued_by, issued_at) VALUES (?, ?, ?, ?, ?, "
      "?, ?, ?, ?, ?, 0, ?, ?, ?, ?, ?, ?)",
      {storage::new_id(), job_card.str("id"), next->i64("n"), request_id, line.str("id"), part.id,
       part.part_number, part.name, part.hsn_code, thousandths(quantity), paise(part.sale_price),
       paise(unit_cost), Value(part.gst_rate.units()), line.i64("is_warranty"), actor(ctx),
       micros(ctx.now())});
}

// The job card must still be in the workshop for parts to be issued to it.
void require_job_in_work(const storage::Row& job_card) {
  if (!job_card_is_in_work(job_card_status(job_card))) {
    throw Error::BusinessRule(ErrorCode::kJobCardClosedForParts,
                              "job card " + job_card.str("job_card_number") + " is " +
                                  job_card.str("status") + ": parts cannot be issued to it");
  }
}

Json approve_parts_request(Env& env, const Context& ctx, const Json& req) {
  ctx.require("parts_requests:approve");
  request::Fields f(req);
  const std::string id = f.str("id", 1, 100);
  const auto notes = opt_trimmed(f, "notes", 2000);
  return env.store->write([&](storage::Transaction& tx) {
    const storage::Row request = load_parts_request(tx, ctx, id, true);
    const PartsRequestStatus from = kPartsRequestFlow.parse(request.str("status"));
    kPartsRequestFlow.require(from, PartsRequestStatus::kIssued);
    const storage::Row job_card =
        load_job_card(tx, ctx, request.str("job_card_id"), true, "jobCardId");
    require_job_in_work(job_card);
    const storage::Rows lines = tx.query(
        "SELECT * FROM parts_request_lines WHERE parts_request_id = ? ORDER BY line_no", {id});
    const std::vector<Quantity> approved = approved_quantities(f, lines);
    bool all = true;
    bool any = false;
    for (size_t i = 0; i < lines.size(); ++i) {
      all = all && approved[i] == quantity_or_zero(lines[i], "requested_qty");
      any = any || approved[i] > Quantity();
    }
    if (!any) throw Error::Validation("lines", "nothing approved: reject the request instead");
    for (size_t i = 0; i < lines.size(); ++i) {
      tx.exec("UPDATE parts_request_lines SET approved_qty = ? WHERE id = ?",
              {thousandths(approved[i]), lines[i].str("id")});
      if (approved[i] > Quantity()) issue_line(tx, ctx, job_card, id, lines[i], approved[i]);
    }
    const PartsRequestStatus to =
        all ? PartsRequestStatus::kIssued : PartsRequestStatus::kPartiallyIssued;
    const Timestamp now = ctx.now();
    const std::string center = request.str("service_center_id");
    service::StatusChange change{"parts_requests", "parts_request", id};
    change.action = "APPROVE";
    change.service_center_id = center;
    change.set("decided_by", actor(ctx))
        .set("decided_at", micros(now))
        .set("decision_notes", text(notes));
    change.audit_after = [&] {
      return parts_request_json(tx, load_parts_request(tx, ctx, id, false));
    };
    change.event = {"parts_request.issued",
                    {{"partsRequestId", id},
                     {"jobCardId", job_card.str("id")},
                     {"jobCardNumber", job_card.str("job_card_number")},
                     {"engineerId", text_json(job_card, "assigned_engineer_id")},
                     {"status", kPartsRequestFlow.name(to)}},
                    "service_engineer"};
    service::transition(tx, ctx, kPartsRequestFlow, from, to, std::move(change));
    return parts_request_json(tx, load_parts_request(tx, ctx, id, false));
  });
}

Json reject_parts_request(Env& env, const Context& ctx, const Json& req) {
  ctx.require("parts_requests:approve");
  request::Fields f(req);
  const std::string id = f.str("id", 1, 100);
  const std::string reason = trim(f.str("reason", 1, 1000));
  return env.store->write([&](storage::Transaction& tx) {
    const storage::Row request = load_parts_request(tx, ctx, id, true);
    const Timestamp now = ctx.now();
    const std::string center = request.str("service_center_id");
    service::StatusChange change{"parts_requests", "parts_request", id};
    change.action = "REJECT";
    change.service_center_id = center;
    change.set("decided_by", actor(ctx))
        .set("decided_at", micros(now))
        .set("decision_notes", reason);
    change.audit_new = {{"reason", reason}};
    change.event = {
        "parts_request.rejected",
        {{"partsRequestId", id}, {"jobCardId", request.str("job_card_id")}, {"reason", reason}},
        "service_engineer"};
    service::transition(tx, ctx, kPartsRequestFlow, kPartsRequestFlow.parse(request.str("status")),
                        PartsRequestStatus::kRejected, std::move(change));
    return parts_request_json(tx, load_parts_request(tx, ctx, id, false));
  });
}

// Before the job card is invoiced, unused parts may go back to the store.
Json return_part(Env& env, const Context& ctx, const Json& req) {
  ctx.require("parts_requests:approve");
  request::Fields f(req);
  const std::string line_id = f.str("jobCardPartId", 1, 100);
  const Quantity quantity = f.quantity("quantity");
  const std::string reason = opt_trimmed(f, "reason", 1000).value_or("Unused part returned");
  if (!(quantity > Quantity())) {
    throw Error::Validation("quantity", "quantity must be greater than zero");
  }
  return env.store->write([&](storage::Transaction& tx) {
    auto line = tx.query_one(
        std::string("SELECT * FROM job_card_parts WHERE id = ?") + tx.for_update(), {line_id});
    if (!line) reference_not_found("jobCardPartId", "job card part", line_id);
    const storage::Row job_card =
        load_job_card(tx, ctx, line->str("job_card_id"), true, "jobCardPartId");
    const JobCardStatus status = job_card_status(job_card);
    if (status != JobCardStatus::kCreated && status != JobCardStatus::kCompleted &&
        !job_card_is_in_work(status)) {
      throw Error::BusinessRule(ErrorCode::kPartsReturnClosed,
                                "job card " + job_card.str("job_card_number") + " is " +
                                    job_card.str("status") +
                                    ": its parts can no longer be returned");
    }
    const Quantity unused =
        quantity_or_zero(*line, "issued_qty") - quantity_or_zero(*line, "returned_qty");
    if (quantity > unused) {
      throw Error::Validation("quantity", "only " + unused.to_string() + " can be returned");
    }
    move_back_to_store(
        tx, ctx, job_card.str("service_center_id"), line->str("part_id"), quantity,
        StockCounterpart::kWorkshop, money_or_zero(*line, "unit_cost"),
        {"JOB_CARD", job_card.str("id"), job_card.str("job_card_number"), line_id, reason});
    tx.exec("UPDATE job_card_parts SET returned_qty = returned_qty + ? WHERE id = ?",
            {thousandths(quantity), line_id});
    audit::record(
        tx, ctx, "RETURN", "job_card_part", line_id,
        {{"returnedQty", quantity_or_zero(*line, "returned_qty").to_string()}},
        {{"returnedQty", (quantity_or_zero(*line, "returned_qty") + quantity).to_string()},
         {"reason", reason}},
        job_card.str("service_center_id"));
    return reload_job_card(tx, ctx, job_card.str("id"));
  });
}

// ---- Reads --------------------------------------------------------------------------------------

Json get_parts_request(Env& env, const Context& ctx, const Json& req) {
  ctx.require("parts_requests:read");
  request::Fields f(req);
  const std::string id = f.str("id", 1, 100);
  return env.store->read([&](storage::Transaction& tx) {
    load_parts_request(tx, ctx, id, false);
    return service::get_entity(env, tx, parts_request_list_spec(), id, "parts request", req);
  });
}

// Lines are always included (expand=lines is implied).
Json list_parts_requests(Env& env, const Context& ctx, const Json& req) {
  ctx.require("parts_requests:read");
  Json query = req;
  if (!query.contains("expand")) query["expand"] = "lines";
  return env.store->read([&](storage::Transaction& tx) {
    return service::list_entity(env, ctx, tx, parts_request_list_spec(), query);
  });
}

const service::MethodRegistration kRequestParts("jobCards.RequestParts", request_parts);
const service::MethodRegistration kApprove("partsRequests.Approve", approve_parts_request);
const service::MethodRegistration kReject("partsRequests.Reject", reject_parts_request);
const service::MethodRegistration kReturn("partsRequests.ReturnPart", return_part);
const service::MethodRegistration kGet("partsRequests.Get", get_parts_request);
const service::MethodRegistration kList("partsRequests.List", list_parts_requests,
                                        parts_request_list_spec);

}  // namespace
}  // namespace dms::workshop
