// vehicles.Components / UpdateComponent / AddComponentIssue: the graphical component data of a
// vehicle (seed 000 section 4.13), and the recording of serviced components by job cards.
#include "workshop/components.hpp"

#include <string>
#include <vector>

#include "audit/audit.hpp"
#include "dms/error.hpp"
#include "events/outbox.hpp"
#include "service/service.hpp"
#include "workshop/common.hpp"
#include "workshop/records.hpp"
#include "workshop/validation.hpp"

namespace dms::workshop {
namespace {

constexpr std::initializer_list<const char*> kComponentStatuses = {"healthy", "warning", "critical",
                                                                   "unknown"};
constexpr std::initializer_list<const char*> kIssueSeverities = {"low", "medium", "high",
                                                                 "critical"};

Json issue_json(const storage::Row& row) {
  return Json{{"id", row.str("id")},
              {"description", row.str("description")},
              {"severity", row.str("severity")},
              {"reportedDate", row.str("reported_date")},
              {"resolvedDate", text_json(row, "resolved_date")},
              {"resolved", row.flag("resolved")},
              {"resolution", text_json(row, "resolution")},
              {"jobCardId", text_json(row, "job_card_id")}};
}

Json history_json(const storage::Row& row) {
  return Json{{"id", row.str("id")},
              {"date", row.str("service_date")},
              {"type", row.str("service_type")},
              {"description", text_json(row, "description")},
              {"cost", money_text(row, "cost")},
              {"jobCardId", text_json(row, "job_card_id")}};
}

Json component_json(storage::Transaction& tx, const storage::Row& row) {
  const std::string id = row.str("id");
  Json issues = Json::array();
  for (const auto& issue : tx.query(
           "SELECT * FROM vehicle_component_issues WHERE component_id = ? ORDER BY created_at, id",
           {id})) {
    issues.push_back(issue_json(issue));
  }
  Json history = Json::array();
  for (const auto& entry :
       tx.query("SELECT * FROM vehicle_component_history WHERE component_id = ? "
                "ORDER BY service_date, created_at, id",
                {id})) {
    history.push_back(history_json(entry));
  }
  Json position = nullptr;
  if (!row.is_null("position_x")) {
    position = {{"x", row.i64("position_x")}, {"y", row.i64("position_y")}};
  }
  return Json{{"id", id},
              {"name", row.str("name")},
              {"category", row.str("category")},
              {"position", position},
              {"status", row.str("status")},
              {"lastServiceDate", text_json(row, "last_service_date")},
              {"nextServiceDate", text_json(row, "next_service_date")},
              {"serviceInterval", int_json(row, "service_interval_days")},
              {"issues", issues},
              {"serviceHistory", history},
              {"updatedAt", time_json(row, "updated_at")}};
}

storage::Row load_component(storage::Transaction& tx, const std::string& vehicle_id,
                            const std::string& component_id, const std::string& field) {
  auto row = tx.query_one("SELECT * FROM vehicle_components WHERE id = ? AND vehicle_id = ?",
                          {component_id, vehicle_id});
  if (!row) reference_not_found(field, "component", component_id);
  return std::move(*row);
}

void touch_vehicle(storage::Transaction& tx, const std::string& vehicle_id, Timestamp now) {
  tx.exec("UPDATE vehicles SET updated_at = ? WHERE id = ?", {micros(now), vehicle_id});
}

// The component fields of an UpdateComponent request, validated.
struct ComponentInput {
  std::optional<std::string> name;
  std::optional<std::string> category;
  std::optional<std::pair<int64_t, int64_t>> position;
  std::optional<std::string> status;
  std::optional<int64_t> interval_days;
  std::optional<Date> last_service_date;
  std::optional<Date> next_service_date;
};

ComponentInput read_component(const request::Fields& f) {
  ComponentInput in;
  in.name = opt_trimmed(f, "name", 100);
  in.category = opt_trimmed(f, "category", 50);
  if (f.has("position")) {
    request::Fields p = f.object("position");
    in.position = std::make_pair(p.integer("x"), p.integer("y"));
  }
  in.status = f.opt_one_of("status", kComponentStatuses);
  in.interval_days = f.opt_integer("serviceInterval");
  if (in.interval_days && (*in.interval_days < 1 || *in.interval_days > 3650)) {
    throw Error::Validation("serviceInterval", "serviceInterval must be 1 to 3650 days");
  }
  in.last_service_date = f.opt_date("lastServiceDate");
  in.next_service_date = f.opt_date("nextServiceDate");
  return in;
}

std::string insert_component(storage::Transaction& tx, const std::string& vehicle_id,
                             const ComponentInput& in, Timestamp now) {
  if (!in.name) throw Error::Validation("name", "name is required for a new component");
  if (!in.category) throw Error::Validation("category", "category is required for a new component");
  if (tx.query_one("SELECT id FROM vehicle_components WHERE vehicle_id = ? AND name = ?",
                   {vehicle_id, *in.name})) {
    throw Error::Duplicate("name", "the vehicle already has a component named " + *in.name);
  }
  const std::string id = storage::new_id();
  tx.exec(
      "INSERT INTO vehicle_components (id, vehicle_id, name, category, position_x, position_y, "
      "status, last_service_date, next_service_date, service_interval_days, created_at, "
      "updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
      {id, vehicle_id, *in.name, *in.category, in.position ? Value(in.position->first) : Value(),
       in.position ? Value(in.position->second) : Value(), in.status.value_or("unknown"),
       date_text(in.last_service_date), date_text(in.next_service_date), integer(in.interval_days),
       micros(now), micros(now)});
  return id;
}

void update_component_row(storage::Transaction& tx, const std::string& component_id,
                          const ComponentInput& in, Timestamp now) {
  UpdateBuilder update;
  if (in.name) update.set("name", *in.name);
  if (in.category) update.set("category", *in.category);
  if (in.position) {
    update.set("position_x", in.position->first);
    update.set("position_y", in.position->second);
  }
  if (in.status) update.set("status", *in.status);
  if (in.interval_days) update.set("service_interval_days", *in.interval_days);
  if (in.last_service_date) update.set("last_service_date", in.last_service_date->to_string());
  if (in.next_service_date) update.set("next_service_date", in.next_service_date->to_string());
  update.set("updated_at", micros(now));
  update.apply(tx, "vehicle_components", component_id);
}

Json list_components(Env& env, const Context& ctx, const Json& req) {
  ctx.require("vehicles:read");
  request::Fields f(req);
  const std::string vehicle_id = f.str("vehicleId", 1, 100);
  return env.store->read([&](storage::Transaction& tx) {
    load_vehicle(tx, vehicle_id, "vehicleId");
    return components_document(tx, vehicle_id);
  });
}

// Creates the component when no componentId is given, else changes the fields given.
Json update_component(Env& env, const Context& ctx, const Json& req) {
  ctx.require("vehicles:update");
  request::Fields f(req);
  const std::string vehicle_id = f.str("vehicleId", 1, 100);
  const auto component_id = f.opt_str("componentId", 100);
  const ComponentInput in = read_component(f);
  return env.store->write([&](storage::Transaction& tx) {
    load_vehicle(tx, vehicle_id, "vehicleId", true);
    const Timestamp now = ctx.now();
    std::string id;
    Json before;
    if (component_id) {
      before = component_json(tx, load_component(tx, vehicle_id, *component_id, "componentId"));
      id = *component_id;
      update_component_row(tx, id, in, now);
    } else {
      id = insert_component(tx, vehicle_id, in, now);
    }
    touch_vehicle(tx, vehicle_id, now);
    Json after = component_json(tx, load_component(tx, vehicle_id, id, "componentId"));
    auto [old_values, new_values] = audit::changed_fields(before, after);
    audit::record(tx, ctx, component_id ? "UPDATE" : "CREATE", "vehicle_component", id, old_values,
                  new_values);
    return after;
  });
}

// A new issue raises the component's status: critical issues make it critical, others make a
// healthy or unknown component a warning.
std::string status_with_issue(const std::string& current, const std::string& severity) {
  if (severity == "critical") return "critical";
  if (current == "healthy" || current == "unknown") return "warning";
  return current;
}

Json add_component_issue(Env& env, const Context& ctx, const Json& req) {
  ctx.require("vehicles:update");
  request::Fields f(req);
  const std::string vehicle_id = f.str("vehicleId", 1, 100);
  const std::string component_id = f.str("componentId", 1, 100);
  const std::string description = trim(f.str("description", 1, 1000));
  const std::string severity = f.one_of("severity", kIssueSeverities);
  const auto reported = f.opt_date("reportedDate");
  return env.store->write([&](storage::Transaction& tx) {
    load_vehicle(tx, vehicle_id, "vehicleId", true);
    const storage::Row component = load_component(tx, vehicle_id, component_id, "componentId");
    const Timestamp now = ctx.now();
    const std::string id = storage::new_id();
    tx.exec(
        "INSERT INTO vehicle_component_issues (id, component_id, vehicle_id, description, "
        "severity, reported_date, reported_by, resolved, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, "
        "0, ?)",
        {id, component_id, vehicle_id, description, severity,
         reported.value_or(now.business_date()).to_string(), actor(ctx), micros(now)});
    tx.exec("UPDATE vehicle_components SET status = ?, updated_at = ? WHERE id = ?",
            {status_with_issue(component.str("status"), severity), micros(now), component_id});
    touch_vehicle(tx, vehicle_id, now);
    Json issue =
        issue_json(*tx.query_one("SELECT * FROM vehicle_component_issues WHERE id = ?", {id}));
    audit::record(tx, ctx, "CREATE", "vehicle_component_issue", id, Json(), issue);
    events::emit(tx, ctx, "vehicle.component_issue_reported",
                 {{"vehicleId", vehicle_id},
                  {"componentId", component_id},
                  {"issueId", id},
                  {"severity", severity}});
    Json response = component_json(tx, load_component(tx, vehicle_id, component_id, "componentId"));
    response["issue"] = issue;
    return response;
  });
}

const service::MethodRegistration kComponents("vehicles.Components", list_components);
const service::MethodRegistration kUpdateComponent("vehicles.UpdateComponent", update_component);
const service::MethodRegistration kAddIssue("vehicles.AddComponentIssue", add_component_issue);

}  // namespace

ComponentService read_component_service(const request::Fields& f) {
  ComponentService s;
  s.component_id = f.str("componentId", 1, 100);
  s.status = f.opt_one_of("status", kComponentStatuses).value_or("healthy");
  s.description = opt_trimmed(f, "description", 1000);
  s.cost = f.opt_money("cost").value_or(Money());
  if (s.cost.is_negative()) throw Error::Validation(f.path("cost"), "cost must not be negative");
  if (f.has("resolvedIssueIds")) {
    const Json& ids = f.raw("resolvedIssueIds");
    if (!ids.is_array()) {
      throw Error::Validation(f.path("resolvedIssueIds"), "resolvedIssueIds must be an array");
    }
    for (const auto& id : ids) {
      if (!id.is_string()) {
        throw Error::Validation(f.path("resolvedIssueIds"), "resolvedIssueIds must list ids");
      }
      s.resolved_issue_ids.push_back(id.get<std::string>());
    }
  }
  return s;
}

void record_component_service(storage::Transaction& tx, const Context& ctx,
                              const std::string& vehicle_id, const std::string& job_card_id,
                              const std::string& service_type, Date date,
                              const ComponentService& service, const std::string& field) {
  const storage::Row component =
      load_component(tx, vehicle_id, service.component_id, field + ".componentId");
  const Timestamp now = ctx.now();
  // The next service falls one interval after this one; without an interval it stays as set.
  auto interval = component.opt_i64("service_interval_days");
  Value next = interval ? Value(date.plus_days(static_cast<int32_t>(*interval)).to_string())
                        : text(component.opt_str("next_service_date"));
  tx.exec(
      "UPDATE vehicle_components SET status = ?, last_service_date = ?, next_service_date = ?, "
      "updated_at = ? WHERE id = ?",
      {service.status, date.to_string(), next, micros(now), service.component_id});
  tx.exec(
      "INSERT INTO vehicle_component_history (id, component_id, vehicle_id, service_date, "
      "service_type, description, cost, job_card_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, "
      "?)",
      {storage::new_id(), service.component_id, vehicle_id, date.to_string(), service_type,
       text(service.description), paise(service.cost), job_card_id, micros(now)});
  for (size_t i = 0; i < service.resolved_issue_ids.size(); ++i) {
    const int64_t changed = tx.exec(
        "UPDATE vehicle_component_issues SET resolved = 1, resolved_date = ?, resolution = ?, "
        "job_card_id = ? WHERE id = ? AND component_id = ? AND resolved = 0",
        {date.to_string(), text(service.description), job_card_id, service.resolved_issue_ids[i],
         service.component_id});
    if (changed != 1) {
      reference_not_found(field + ".resolvedIssueIds[" + std::to_string(i) + "]", "open issue",
                          service.resolved_issue_ids[i]);
    }
  }
}

Json components_document(storage::Transaction& tx, const std::string& vehicle_id) {
  Json components = Json::array();
  int64_t last_updated = 0;
  for (const auto& row :
       tx.query("SELECT * FROM vehicle_components WHERE vehicle_id = ? ORDER BY category, name",
                {vehicle_id})) {
    last_updated = std::max(last_updated, row.i64("updated_at"));
    components.push_back(component_json(tx, row));
  }
  return Json{
      {"vehicleId", vehicle_id},
      {"components", components},
      {"lastUpdated",
       last_updated ? Json(Timestamp::from_unix_micros(last_updated).to_string()) : Json(nullptr)}};
}

}  // namespace dms::workshop
