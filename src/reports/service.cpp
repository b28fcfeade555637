// reports.List, reports.Run and reports.RunCustom (src/reports/engine.hpp). Reports read in one
// read transaction of the report store: the read replica when DatabaseOptions::reader_url names
// one, else a snapshot of the database (on SQLite a WAL reader that never blocks writers).
#include "service/service.hpp"
#include "dms/error.hpp"
#include "reports/engine.hpp"
#include "service/request.hpp"

namespace dms::reports {
namespace {

Json column_list(const std::vector<Column>& columns) {
  Json out = Json::array();
  const Json wire = report_json(Report{"", "", "", "", {Table{"", "", columns, {}, {}, {}}}});
  return wire["tables"][0]["columns"];
}

Json list_reports(Env&, const Context& ctx, const Json&) {
  ctx.require("reports:read");
  Json data = Json::array();
  for (const ReportInfo& r : report_catalog()) {
    if (!ctx.has_permission(r.permission)) continue;
    Json params = Json::array();
    for (const ParameterInfo& p : r.parameters) {
      params.push_back({{"name", p.name}, {"type", p.type}, {"description", p.description}});
    }
    data.push_back({{"name", r.name},
                    {"title", r.title},
                    {"category", r.category},
                    {"permission", r.permission},
                    {"parameters", std::move(params)},
                    {"columns", column_list(r.columns)}});
  }
  Json sets = Json::array();
  for (const Dataset& d : datasets()) {
    if (!ctx.has_permission(d.permission)) continue;
    Json fields = Json::array();
    for (const storage::ListField& f : d.spec.fields) fields.push_back(f.name);
    sets.push_back({{"name", d.name},
                    {"title", d.title},
                    {"dateField", d.date_field.empty() ? Json(nullptr) : Json(d.date_field)},
                    {"fields", std::move(fields)}});
  }
  return {{"data", std::move(data)}, {"datasets", std::move(sets)}};
}

Json run(Env& env, const Context& ctx, const Json& req) {
  ctx.require("reports:read");
  request::Fields f(req);
  const std::string name = f.str("name", 1, 100);
  const Json params =
      req.contains("params") && !req["params"].is_null() ? req["params"] : Json::object();
  if (!params.is_object()) throw Error::Validation("params", "must be an object");
  return env.report_store().read(
      [&](storage::Transaction& tx) { return report_json(run_report(tx, ctx, name, params)); });
}

Json run_custom_report(Env& env, const Context& ctx, const Json& req) {
  ctx.require("reports:read");
  return env.report_store().read(
      [&](storage::Transaction& tx) { return report_json(run_custom(tx, ctx, req)); });
}

const service::MethodRegistration kList("reports.List", list_reports);
const service::MethodRegistration kRun("reports.Run", run);
const service::MethodRegistration kRunCustom("reports.RunCustom", run_custom_report);

}  // namespace
}  // namespace dms::reports
