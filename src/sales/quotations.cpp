// quotations.*: priced offers to a lead or a customer (seed 000 Quotation, sections 3.1.3 and
// 6.3): service, spare-part and vehicle lines with a discount each, a document discount, priced
// by the one pricing engine with prices that exclude or include GST (pricesIncludeTax), valid
// until a date. DRAFT -> APPROVED -> SENT (a message to the customer through the outbox) ->
// ACCEPTED (creating the counter order or service request the caller names, and converting the
// lead) or REJECTED (the lead is lost); any unanswered quotation EXPIRES past its validUntil.
// Tenant-scoped by service center.
#include <string>

#include "audit/audit.hpp"
#include "dms/error.hpp"
#include "events/outbox.hpp"
#include "jobs/jobs.hpp"
#include "notify/messages.hpp"
#include "notify/templates.hpp"
#include "sales/counter_orders.hpp"
#include "sales/documents.hpp"
#include "sales/leads.hpp"
#include "sales/workflows.hpp"
#include "service/entity.hpp"
#include "service/request.hpp"
#include "service/service.hpp"
#include "service/transition.hpp"
#include "workshop/records.hpp"
#include "workshop/service_requests.hpp"
#include "workshop/validation.hpp"

namespace dms::sales {
namespace {

using workshop::actor;
using workshop::micros;
using workshop::opt_trimmed;
using workshop::text;

// The default validity of a quotation.
constexpr int32_t kDefaultValidityDays = 30;

storage::Row load_quotation(storage::Transaction& tx, const Context& ctx, const std::string& id,
                            bool lock) {
  return workshop::load_in_center(tx, ctx, "sales_quotations", "quotation", id, lock);
}

Json quotation_document(storage::Transaction& tx, const std::string& id) {
  return service::render_entity(tx, quotation_spec(), id, "quotation");
}

QuotationStatus status_of(const storage::Row& q) {
  return kQuotationFlow.parse(q.str("status"));
}

// The party of a quotation: its customer, else its lead's person, else the names given.
Party quotation_party(storage::Transaction& tx, const Context& ctx,
                      const std::optional<std::string>& customer_id,
                      const std::optional<storage::Row>& lead, const request::Fields& f) {
  if (customer_id)
    return party_of_customer_row(workshop::load_customer(tx, *customer_id, "customerId"));
  if (lead) {
    if (auto c = lead->opt_str("customer_id")) {
      return party_of_customer_row(workshop::load_customer(tx, *c, "leadId"));
    }
    Party p;
    p.name = lead->str("customer_name");
    p.phone = lead->str("phone");
    p.email = lead->opt_str("email");
    return p;
  }
  (void)ctx;
  Party p;
  p.name = workshop::trim(f.str("customerName", 2, 100));
  p.phone = opt_trimmed(f, "customerPhone", 20);
  if (p.phone) workshop::check_indian_mobile(*p.phone, "customerPhone");
  p.email = opt_trimmed(f, "customerEmail", 200);
  if (p.email) workshop::check_email(*p.email, "customerEmail");
  return p;
}

Json create_quotation(Env& env, const Context& ctx, const Json& req) {
  ctx.require("quotations:create");
  request::Fields f(req);
  const std::string center_id = workshop::center_for_new_record(ctx, f);
  const auto lead_id = f.opt_str("leadId", 100);
  const auto customer_id = f.opt_str("customerId", 100);
  const std::vector<ItemRequest> items = read_items(f, false);
  const bool inclusive = f.boolean("pricesIncludeTax", false);
  const Money discount = f.opt_money("documentDiscount").value_or(Money());
  const auto valid_until = f.opt_date("validUntil");
  const auto notes = opt_trimmed(f, "notes", 2000);
  return env.store->write([&](storage::Transaction& tx) {
    const workshop::ServiceCenterInfo center = workshop::load_service_center(tx, center_id);
    std::optional<storage::Row> lead;
    if (lead_id) {
      lead = load_lead(tx, ctx, *lead_id, false, "leadId");
      if (lead->str("service_center_id") != center_id) {
        workshop::reference_not_found("leadId", "lead", *lead_id);
      }
      if (!lead_is_open(kLeadFlow.parse(lead->str("status")))) {
        throw Error::BusinessRule(ErrorCode::kLeadClosed, "lead " + lead->str("lead_number") +
                                                              " is " + lead->str("status") +
                                                              ": quote an open lead");
      }
    }
    const Party party = quotation_party(tx, ctx, customer_id, lead, f);
    const SupplyType supply = supply_for(center, party);
    const std::vector<SalesLine> lines = resolve_items(tx, items, inclusive);
    const PricedDocument priced =
        price_lines(lines, DocumentType::kQuotation, supply, inclusive, discount);
    const Timestamp now = ctx.now();
    const Date today = now.business_date();
    const Date until = valid_until.value_or(today.plus_days(kDefaultValidityDays));
    if (until < today) throw Error::Validation("validUntil", "validUntil must not be in the past");
    const std::string id = storage::new_id();
    const std::string number = next_number(tx, series::kQuotation, center, today);
    tx.exec(
        "INSERT INTO sales_quotations (id, quotation_number, service_center_id, lead_id, "
        "customer_id, customer_name, customer_phone, customer_email, supply_type, "
        "prices_include_tax, valid_until, status, notes, created_by, created_at, updated_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        {id, number, center_id, text(lead_id), text(party.customer_id), party.name,
         text(party.phone), text(party.email), supply_type_name(supply),
         static_cast<int64_t>(inclusive), until.to_string(),
         std::string(kQuotationFlow.name(QuotationStatus::kDraft)), text(notes), actor(ctx),
         micros(now), micros(now)});
    write_lines(tx, "sales_quotations", id, lines, priced);
    Json doc = quotation_document(tx, id);
    audit::record(tx, ctx, "CREATE", "quotation", id, Json(), doc, center_id);
    events::emit(
        tx, ctx, "quotation.created",
        {{"quotationId", id}, {"quotationNumber", number}, {"grandTotal", doc["grandTotal"]}},
        center_id, "sc_manager");
    return doc;
  });
}

Json update_quotation(Env& env, const Context& ctx, const Json& req) {
  ctx.require("quotations:update");
  request::Fields f(req);
  const std::string id = f.str("id", 1, 100);
  std::optional<std::vector<ItemRequest>> items;
  if (f.has("items")) items = read_items(f, false);
  const std::optional<bool> inclusive =
      f.has("pricesIncludeTax") ? std::optional<bool>(f.boolean("pricesIncludeTax", false))
                                : std::nullopt;
  const auto discount = f.opt_money("documentDiscount");
  const auto valid_until = f.opt_date("validUntil");
  const auto notes = opt_trimmed(f, "notes", 2000);
  return env.store->write([&](storage::Transaction& tx) {
    const storage::Row q = load_quotation(tx, ctx, id, true);
    if (status_of(q) != QuotationStatus::kDraft) {
      throw Error::BusinessRule(ErrorCode::kQuotationNotDraft,
                                "quotation " + q.str("quotation_number") + " is " +
                                    q.str("status") + ": only a draft can be changed");
    }
    const Json before = quotation_document(tx, id);
    const bool incl = inclusive.value_or(q.flag("prices_include_tax"));
    const std::vector<SalesLine> lines =
        items ? resolve_items(tx, *items, incl) : stored_lines(tx, id);
    const SupplyType supply = q.str("supply_type") == supply_type_name(SupplyType::kInterState)
                                  ? SupplyType::kInterState
                                  : SupplyType::kIntraState;
    const PricedDocument priced =
        price_lines(lines, DocumentType::kQuotation, supply, incl,
                    discount.value_or(rows::money_or_zero(q, "document_discount")));
    workshop::UpdateBuilder update;
    update.set("prices_include_tax", static_cast<int64_t>(incl));
    if (valid_until) {
      if (*valid_until < ctx.now().business_date()) {
        throw Error::Validation("validUntil", "validUntil must not be in the past");
      }
      update.set("valid_until", valid_until->to_string());
    }
    if (notes) update.set("notes", *notes);
    update.set("updated_at", micros(ctx.now()));
    update.apply(tx, "sales_quotations", id);
    write_lines(tx, "sales_quotations", id, lines, priced);
    Json after = quotation_document(tx, id);
    auto [old_values, new_values] = audit::changed_fields(before, after);
    audit::record(tx, ctx, "UPDATE", "quotation", id, old_values, new_values,
                  q.str("service_center_id"));
    return after;
  });
}

// One status change of a quotation, with its columns and event, inside `tx`.
void move_quotation(storage::Transaction& tx, const Context& ctx, const storage::Row& q,
                    QuotationStatus to, std::vector<std::pair<std::string, storage::Value>> columns,
                    const char* event, Json payload = Json::object()) {
  const std::string id = q.str("id");
  service::StatusChange change{"sales_quotations", "quotation", id};
  change.service_center_id = q.str("service_center_id");
  change.columns = std::move(columns);
  payload["quotationId"] = id;
  payload["quotationNumber"] = q.str("quotation_number");
  payload["status"] = kQuotationFlow.name(to);
  change.event = {event, payload, ""};
  service::transition(tx, ctx, kQuotationFlow, status_of(q), to, std::move(change));
}

Json approve_quotation(Env& env, const Context& ctx, const Json& req) {
  ctx.require("quotations:approve");
  request::Fields f(req);
  const std::string id = f.str("id", 1, 100);
  return env.store->write([&](storage::Transaction& tx) {
    const storage::Row q = load_quotation(tx, ctx, id, true);
    move_quotation(tx, ctx, q, QuotationStatus::kApproved,
                   {{"approved_by", actor(ctx)}, {"approved_at", micros(ctx.now())}},
                   "quotation.approved");
    return quotation_document(tx, id);
  });
}

Json send_quotation(Env& env, const Context& ctx, const Json& req) {
  ctx.require("quotations:update");
  request::Fields f(req);
  const std::string id = f.str("id", 1, 100);
  const auto channel_name = f.opt_one_of("channel", {"email", "sms"});
  return env.store->write([&](storage::Transaction& tx) {
    const storage::Row q = load_quotation(tx, ctx, id, true);
    kQuotationFlow.require(status_of(q), QuotationStatus::kSent);
    const auto email = q.opt_str("customer_email");
    const auto phone = q.opt_str("customer_phone");
    const std::string channel = channel_name.value_or(email ? "email" : "sms");
    const notify::ChannelKind kind = *notify::parse_channel(channel);
    const auto recipient = kind == notify::ChannelKind::kEmail ? email : phone;
    if (!recipient) {
      throw Error::Validation("channel",
                              "quotation " + q.str("quotation_number") + " has no customer " +
                                  (channel == "email" ? "e-mail" : "phone") + " to send it to");
    }
    const notify::Message message =
        notify::templated_message(tx, "quotation", kind, *recipient,
                                  {{"customerName", q.str("customer_name")},
                                   {"recipientName", q.str("customer_name")},
                                   {"quotationNumber", q.str("quotation_number")},
                                   {"amount", workshop::money_text(q, "grand_total")},
                                   {"validUntil", q.str("valid_until")}});
    const int64_t message_id = notify::enqueue(tx, ctx, message);
    move_quotation(tx, ctx, q, QuotationStatus::kSent,
                   {{"sent_at", micros(ctx.now())}, {"sent_via", channel}}, "quotation.sent",
                   {{"channel", channel}, {"messageId", message_id}});
    return quotation_document(tx, id);
  });
}

void refuse_expired(const storage::Row& q, Date today) {
  if (Date::parse(q.str("valid_until")) < today) {
    throw Error::BusinessRule(ErrorCode::kQuotationExpired,
                              "quotation " + q.str("quotation_number") + " was valid until " +
                                  q.str("valid_until") + ": it has expired");
  }
}

std::optional<storage::Row> lead_of(storage::Transaction& tx, const Context& ctx,
                                    const storage::Row& q) {
  if (auto lead_id = q.opt_str("lead_id")) return load_lead(tx, ctx, *lead_id, true, "leadId");
  return std::nullopt;
}

Json accept_quotation(Env& env, const Context& ctx, const Json& req) {
  ctx.require("quotations:update");
  request::Fields f(req);
  const std::string id = f.str("id", 1, 100);
  const std::string convert_to = f.one_of("convertTo", {"counter_order", "service_request"});
  ctx.require(convert_to == "counter_order" ? "counter_orders:create" : "service_requests:create");
  const auto delivery = f.opt_one_of("deliveryMethod", {"PICKUP", "SHIPPING"});
  const auto shipping_address = opt_trimmed(f, "shippingAddress", 500);
  const auto shipping_charge = f.opt_money("shippingCharge");
  const auto vehicle_id = f.opt_str("vehicleId", 100);
  const auto service_type =
      f.opt_one_of("serviceType", {"regular", "repair", "inspection", "emergency"});
  const auto preferred_date = f.opt_date("preferredDate");
  return env.store->write([&](storage::Transaction& tx) {
    const storage::Row q = load_quotation(tx, ctx, id, true);
    kQuotationFlow.require(status_of(q), QuotationStatus::kAccepted);
    const Timestamp now = ctx.now();
    refuse_expired(q, now.business_date());
    const std::optional<storage::Row> lead = lead_of(tx, ctx, q);
    std::vector<std::pair<std::string, storage::Value>> columns{{"accepted_at", micros(now)},
                                                                {"converted_to", convert_to}};
    Json payload{{"convertedTo", convert_to}};
    if (convert_to == "counter_order") {
      OrderDraft draft;
      draft.center_id = q.str("service_center_id");
      if (auto c = q.opt_str("customer_id")) {
        draft.party = party_of_customer_row(workshop::load_customer(tx, *c, "customerId"));
      } else {
        draft.party.name = q.str("customer_name");
        draft.party.phone = q.opt_str("customer_phone");
      }
      draft.quotation_id = id;
      draft.delivery_method = delivery.value_or("PICKUP");
      draft.shipping_address = shipping_address;
      draft.shipping_charge = shipping_charge.value_or(Money());
      draft.prices_include_tax = q.flag("prices_include_tax");
      draft.document_discount = rows::money_or_zero(q, "document_discount");
      draft.notes = q.opt_str("notes");
      draft.lines = stored_lines(tx, id);
      const std::string order_id = insert_counter_order(tx, ctx, draft);
      columns.emplace_back("counter_order_id", order_id);
      payload["counterOrderId"] = order_id;
    } else {
      const auto customer_id = q.opt_str("customer_id");
      if (!customer_id) {
        throw Error::Validation("convertTo",
                                "a service request needs the quotation's customer: this "
                                "quotation names none");
      }
      if (!vehicle_id) throw Error::Validation("vehicleId", "vehicleId is required");
      workshop::ServiceRequestDraft draft;
      draft.center_id = q.str("service_center_id");
      draft.customer_id = *customer_id;
      draft.vehicle_id = *vehicle_id;
      draft.service_type = service_type.value_or("regular");
      draft.preferred_date = preferred_date;
      draft.estimated_cost = rows::money_or_zero(q, "grand_total");
      draft.description = "Quotation " + q.str("quotation_number");
      const Json sr = workshop::insert_service_request(tx, ctx, draft);
      columns.emplace_back("service_request_id", sr.at("id").get<std::string>());
      payload["serviceRequestId"] = sr.at("id");
    }
    move_quotation(tx, ctx, q, QuotationStatus::kAccepted, std::move(columns), "quotation.accepted",
                   payload);
    if (lead && kLeadFlow.parse(lead->str("status")) != LeadStatus::kConverted) {
      move_lead(tx, ctx, *lead, LeadStatus::kConverted, {{"converted_at", micros(now)}});
    }
    return quotation_document(tx, id);
  });
}

Json reject_quotation(Env& env, const Context& ctx, const Json& req) {
  ctx.require("quotations:update");
  request::Fields f(req);
  const std::string id = f.str("id", 1, 100);
  const std::string reason = workshop::trim(f.str("reason", 1, 1000));
  return env.store->write([&](storage::Transaction& tx) {
    const storage::Row q = load_quotation(tx, ctx, id, true);
    kQuotationFlow.require(status_of(q), QuotationStatus::kRejected);
    const std::optional<storage::Row> lead = lead_of(tx, ctx, q);
    const Timestamp now = ctx.now();
    move_quotation(tx, ctx, q, QuotationStatus::kRejected,
                   {{"rejected_at", micros(now)}, {"rejection_reason", reason}},
                   "quotation.rejected", {{"reason", reason}});
    if (lead && lead_is_open(kLeadFlow.parse(lead->str("status")))) {
      const std::string why = "quotation " + q.str("quotation_number") + " rejected: " + reason;
      move_lead(tx, ctx, *lead, LeadStatus::kLost, {{"lost_at", micros(now)}, {"lost_reason", why}},
                why);
    }
    return quotation_document(tx, id);
  });
}

// Every unanswered quotation (DRAFT, APPROVED, SENT) of the actor's centers whose validUntil is
// before `as_of` becomes EXPIRED, one audited transition each; their documents.
Json expire_quotations(storage::Transaction& tx, const Context& ctx, Date as_of) {
  std::vector<storage::Value> params = service::names_of(
      kQuotationFlow,
      {QuotationStatus::kDraft, QuotationStatus::kApproved, QuotationStatus::kSent});
  params.emplace_back(as_of.to_string());
  std::string sql = "SELECT * FROM sales_quotations WHERE status IN (?, ?, ?) AND valid_until < ?";
  if (auto scope = service::tenant_scope(ctx)) {
    sql += " AND service_center_id = ?";
    params.emplace_back(*scope);
  }
  sql += " ORDER BY valid_until, id";
  if (tx.engine() == storage::Engine::kPostgres) sql += " FOR UPDATE";
  Json expired = Json::array();
  for (const storage::Row& q : tx.query(sql, params)) {
    move_quotation(tx, ctx, q, QuotationStatus::kExpired, {{"expired_at", micros(ctx.now())}},
                   "quotation.expired", {{"validUntil", q.str("valid_until")}});
    expired.push_back(quotation_document(tx, q.str("id")));
  }
  return expired;
}

// quotations.ExpireDue: expire_quotations as of `asOf` (default today).
Json expire_due(Env& env, const Context& ctx, const Json& req) {
  ctx.require("quotations:update");
  request::Fields f(req);
  const Date as_of = f.opt_date("asOf").value_or(ctx.now().business_date());
  return env.store->write([&](storage::Transaction& tx) {
    return Json{{"asOf", as_of.to_string()}, {"expired", expire_quotations(tx, ctx, as_of)}};
  });
}

// Job kind quotation_expiry (src/jobs/jobs.hpp): the same as of the run's local date, for every
// center. Config: none.
Json expire_quotations_job(storage::Transaction& tx, const jobs::JobRun& run) {
  const Json expired = expire_quotations(tx, *run.ctx, run.local_date());
  Json ids = Json::array();
  for (const Json& q : expired) ids.push_back(q["id"]);
  return {{"asOfDate", run.local_date().to_string()},
          {"expired", static_cast<int64_t>(ids.size())},
          {"quotationIds", ids}};
}

const jobs::JobRegistration kExpiryJob("quotation_expiry", expire_quotations_job);

Json get_quotation(Env& env, const Context& ctx, const Json& req) {
  ctx.require("quotations:read");
  request::Fields f(req);
  const std::string id = f.str("id", 1, 100);
  return env.store->read([&](storage::Transaction& tx) {
    load_quotation(tx, ctx, id, false);
    return service::get_entity(env, tx, quotation_spec(), id, "quotation", req);
  });
}

Json list_quotations(Env& env, const Context& ctx, const Json& req) {
  ctx.require("quotations:read");
  return env.store->read([&](storage::Transaction& tx) {
    return service::list_entity(env, ctx, tx, quotation_spec(), req);
  });
}

const service::MethodRegistration kCreate("quotations.Create", create_quotation);
const service::MethodRegistration kUpdate("quotations.Update", update_quotation);
const service::MethodRegistration kApprove("quotations.Approve", approve_quotation);
const service::MethodRegistration kSend("quotations.Send", send_quotation);
const service::MethodRegistration kAccept("quotations.Accept", accept_quotation);
const service::MethodRegistration kReject("quotations.Reject", reject_quotation);
const service::MethodRegistration kExpire("quotations.ExpireDue", expire_due);
const service::MethodRegistration kGet("quotations.Get", get_quotation);
const service::MethodRegistration kList("quotations.List", list_quotations, quotation_spec);

}  // namespace
}  // namespace dms::sales
