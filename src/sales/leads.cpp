// leads.*: sales leads (seed 000 Lead, sections 3.1.3 and 4.5): a person who called, walked in,
// wrote online or was referred, interested in a service, spare parts or a new vehicle. The
// customer may not exist yet: the lead keeps a name and phone. NEW -> CONTACTED -> QUALIFIED ->
// CONVERTED (by accepting one of its quotations, src/sales/quotations.cpp), LOST with a reason
// from any open state. Notes are appended, never edited. Tenant-scoped by service center.
#include <string>

#include "audit/audit.hpp"
#include "dms/error.hpp"
#include "events/outbox.hpp"
#include "sales/documents.hpp"
#include "sales/leads.hpp"
#include "sales/workflows.hpp"
#include "service/entity.hpp"
#include "service/request.hpp"
#include "service/service.hpp"
#include "service/transition.hpp"
#include "workshop/records.hpp"
#include "workshop/validation.hpp"

namespace dms::sales {

using workshop::actor;
using workshop::micros;
using workshop::opt_trimmed;
using workshop::text;

storage::Row load_lead(storage::Transaction& tx, const Context& ctx, const std::string& id,
                       bool lock, std::string_view field) {
  return workshop::load_in_center(tx, ctx, "sales_leads", "lead", id, lock, field);
}

void move_lead(storage::Transaction& tx, const Context& ctx, const storage::Row& lead,
               LeadStatus to, std::vector<std::pair<std::string, storage::Value>> columns,
               std::optional<std::string> reason) {
  const std::string id = lead.str("id");
  service::StatusChange change{"sales_leads", "lead", id};
  change.service_center_id = lead.str("service_center_id");
  change.columns = std::move(columns);
  if (reason) change.audit_new = {{"reason", *reason}};
  change.event = {
      std::string("lead.") + (to == LeadStatus::kLost        ? "lost"
                              : to == LeadStatus::kConverted ? "converted"
                                                             : "status_changed"),
      {{"leadId", id}, {"leadNumber", lead.str("lead_number")}, {"status", kLeadFlow.name(to)}},
      ""};
  service::transition(tx, ctx, kLeadFlow, kLeadFlow.parse(lead.str("status")), to,
                      std::move(change));
}

namespace {

Json lead_document(storage::Transaction& tx, const std::string& id) {
  return service::render_entity(tx, lead_spec(), id, "lead");
}

void check_assignee(storage::Transaction& tx, const std::string& center_id,
                    const std::string& user_id) {
  auto user = workshop::find_user(tx, user_id);
  if (!user || !user->active) workshop::reference_not_found("assignedTo", "user", user_id);
  if (user->service_center_id && *user->service_center_id != center_id) {
    workshop::reference_not_found("assignedTo", "user", user_id);
  }
}

Json create_lead(Env& env, const Context& ctx, const Json& req) {
  ctx.require("leads:create");
  request::Fields f(req);
  const std::string center_id = workshop::center_for_new_record(ctx, f);
  const auto customer_id = f.opt_str("customerId", 100);
  auto name = opt_trimmed(f, "customerName", 100);
  auto phone = opt_trimmed(f, "phone", 20);
  auto email = opt_trimmed(f, "email", 200);
  const std::string source = f.one_of("source", {"call_center", "walk_in", "online", "referral"});
  const std::string type = f.one_of("leadType", {"service", "spare_part", "new_vehicle"});
  const auto description = opt_trimmed(f, "description", 2000);
  const auto assigned = f.opt_str("assignedTo", 100);
  const auto follow_up = f.opt_date("followUpDate");
  const auto note = opt_trimmed(f, "notes", 2000);
  if (phone) workshop::check_indian_mobile(*phone, "phone");
  if (email) workshop::check_email(*email, "email");
  if (!customer_id && (!name || name->size() < 2)) {
    throw Error::Validation("customerName", "customerName is required without a customerId");
  }
  if (!customer_id && !phone) {
    throw Error::Validation("phone", "phone is required without a customerId");
  }
  return env.store->write([&](storage::Transaction& tx) {
    const workshop::ServiceCenterInfo center = workshop::load_service_center(tx, center_id);
    if (customer_id) {
      const storage::Row c = workshop::load_customer(tx, *customer_id, "customerId");
      if (!name) name = c.str("name");
      if (!phone) phone = c.str("phone");
      if (!email) email = c.opt_str("email");
    }
    if (assigned) check_assignee(tx, center_id, *assigned);
    const Timestamp now = ctx.now();
    const std::string id = storage::new_id();
    const std::string number = next_number(tx, series::kLead, center, now.business_date());
    tx.exec(
        "INSERT INTO sales_leads (id, lead_number, service_center_id, customer_id, customer_name, "
        "phone, email, source, lead_type, description, assigned_to, follow_up_date, status, "
        "created_by, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
        "?)",
        {id, number, center_id, text(customer_id), *name, *phone, text(email), source, type,
         text(description), text(assigned), workshop::date_text(follow_up),
         std::string(kLeadFlow.name(LeadStatus::kNew)), actor(ctx), micros(now), micros(now)});
    if (note) {
      tx.exec(
          "INSERT INTO sales_lead_notes (id, lead_id, note, created_by, created_at) VALUES (?, ?, "
          "?, ?, ?)",
          {storage::new_id(), id, *note, actor(ctx), micros(now)});
    }
    Json doc = lead_document(tx, id);
    audit::record(tx, ctx, "CREATE", "lead", id, Json(), doc, center_id);
    events::emit(tx, ctx, "lead.created",
                 {{"leadId", id}, {"leadNumber", number}, {"assignedTo", doc["assignedTo"]}},
                 center_id, "service_advisor");
    return doc;
  });
}

Json update_lead(Env& env, const Context& ctx, const Json& req) {
  ctx.require("leads:update");
  request::Fields f(req);
  const std::string id = f.str("id", 1, 100);
  workshop::UpdateBuilder update;
  if (auto v = opt_trimmed(f, "customerName", 100)) update.set("customer_name", *v);
  if (auto v = opt_trimmed(f, "phone", 20)) {
    workshop::check_indian_mobile(*v, "phone");
    update.set("phone", *v);
  }
  if (auto v = opt_trimmed(f, "email", 200)) {
    workshop::check_email(*v, "email");
    update.set("email", *v);
  }
  if (auto v = f.opt_one_of("leadType", {"service", "spare_part", "new_vehicle"}))
    update.set("lead_type", *v);
  if (auto v = opt_trimmed(f, "description", 2000)) update.set("description", *v);
  if (auto v = f.opt_date("followUpDate")) update.set("follow_up_date", v->to_string());
  const auto assigned = f.opt_str("assignedTo", 100);
  const auto customer_id = f.opt_str("customerId", 100);
  return env.store->write([&](storage::Transaction& tx) {
    const storage::Row lead = load_lead(tx, ctx, id, true);
    if (!lead_is_open(kLeadFlow.parse(lead.str("status")))) {
      throw Error::BusinessRule(ErrorCode::kLeadClosed, "lead " + lead.str("lead_number") + " is " +
                                                            lead.str("status") +
                                                            ": only an open lead is changed");
    }
    if (assigned) {
      check_assignee(tx, lead.str("service_center_id"), *assigned);
      update.set("assigned_to", *assigned);
    }
    if (customer_id) {
      workshop::load_customer(tx, *customer_id, "customerId");
      update.set("customer_id", *customer_id);
    }
    const Json before = lead_document(tx, id);
    update.set("updated_at", micros(ctx.now()));
    update.apply(tx, "sales_leads", id);
    Json after = lead_document(tx, id);
    auto [old_values, new_values] = audit::changed_fields(before, after);
    audit::record(tx, ctx, "UPDATE", "lead", id, old_values, new_values,
                  lead.str("service_center_id"));
    return after;
  });
}

Json add_note(Env& env, const Context& ctx, const Json& req) {
  ctx.require("leads:update");
  request::Fields f(req);
  const std::string id = f.str("id", 1, 100);
  const std::string note = workshop::trim(f.str("note", 1, 2000));
  const auto follow_up = f.opt_date("followUpDate");
  return env.store->write([&](storage::Transaction& tx) {
    const storage::Row lead = load_lead(tx, ctx, id, true);
    const Timestamp now = ctx.now();
    const std::string note_id = storage::new_id();
    tx.exec(
        "INSERT INTO sales_lead_notes (id, lead_id, note, created_by, created_at) VALUES (?, ?, ?, "
        "?, ?)",
        {note_id, id, note, actor(ctx), micros(now)});
    tx.exec(
        "UPDATE sales_leads SET follow_up_date = COALESCE(?, follow_up_date), updated_at = ? "
        "WHERE id = ?",
        {workshop::date_text(follow_up), micros(now), id});
    audit::record(tx, ctx, "CREATE", "lead_note", note_id, Json(), {{"leadId", id}, {"note", note}},
                  lead.str("service_center_id"));
    return lead_document(tx, id);
  });
}

Json move(Env& env, const Context& ctx, const Json& req, LeadStatus to, const char* at_column) {
  ctx.require("leads:update");
  request::Fields f(req);
  const std::string id = f.str("id", 1, 100);
  std::optional<std::string> reason;
  if (to == LeadStatus::kLost) reason = workshop::trim(f.str("reason", 1, 1000));
  return env.store->write([&](storage::Transaction& tx) {
    const storage::Row lead = load_lead(tx, ctx, id, true);
    std::vector<std::pair<std::string, storage::Value>> columns;
    columns.emplace_back(at_column, micros(ctx.now()));
    if (reason) columns.emplace_back("lost_reason", *reason);
    move_lead(tx, ctx, lead, to, std::move(columns), reason);
    return lead_document(tx, id);
  });
}

Json contact_lead(Env& env, const Context& ctx, const Json& req) {
  return move(env, ctx, req, LeadStatus::kContacted, "contacted_at");
}
Json qualify_lead(Env& env, const Context& ctx, const Json& req) {
  return move(env, ctx, req, LeadStatus::kQualified, "qualified_at");
}
Json lose_lead(Env& env, const Context& ctx, const Json& req) {
  return move(env, ctx, req, LeadStatus::kLost, "lost_at");
}

Json get_lead(Env& env, const Context& ctx, const Json& req) {
  ctx.require("leads:read");
  request::Fields f(req);
  const std::string id = f.str("id", 1, 100);
  return env.store->read([&](storage::Transaction& tx) {
    load_lead(tx, ctx, id, false);
    return service::get_entity(env, tx, lead_spec(), id, "lead", req);
  });
}

Json list_leads(Env& env, const Context& ctx, const Json& req) {
  ctx.require("leads:read");
  return env.store->read([&](storage::Transaction& tx) {
    return service::list_entity(env, ctx, tx, lead_spec(), req);
  });
}

// Open leads whose follow-up date is on or before `asOf` (default today), earliest first.
Json due_follow_ups(Env& env, const Context& ctx, const Json& req) {
  ctx.require("leads:read");
  request::Fields f(req);
  const Date as_of = f.opt_date("asOf").value_or(ctx.now().business_date());
  Json query = req;
  query.erase("asOf");
  if (!query.contains("sort")) query["sort"] = "followUpDate";
  std::vector<storage::Value> params = service::names_of(
      kLeadFlow, {LeadStatus::kNew, LeadStatus::kContacted, LeadStatus::kQualified});
  params.emplace_back(as_of.to_string());
  storage::Condition due{
      "ld.status IN (?, ?, ?) AND ld.follow_up_date IS NOT NULL AND "
      "ld.follow_up_date <= ?",
      params};
  return env.store->read([&](storage::Transaction& tx) {
    Json page = service::list_entity(env, ctx, tx, lead_spec(), query, {due});
    page["asOf"] = as_of.to_string();
    return page;
  });
}

const service::MethodRegistration kCreate("leads.Create", create_lead);
const service::MethodRegistration kUpdate("leads.Update", update_lead);
const service::MethodRegistration kAddNote("leads.AddNote", add_note);
const service::MethodRegistration kContact("leads.Contact", contact_lead);
const service::MethodRegistration kQualify("leads.Qualify", qualify_lead);
const service::MethodRegistration kLose("leads.MarkLost", lose_lead);
const service::MethodRegistration kGet("leads.Get", get_lead);
const service::MethodRegistration kList("leads.List", list_leads, lead_spec);
const service::MethodRegistration kDue("leads.DueFollowUps", due_follow_ups, lead_spec);

}  // namespace
}  // namespace dms::sales
