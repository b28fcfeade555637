// reports.Export, reports.GenerateMonthly, reports.GetFile, and dms::export_report (the file
// variant with progress, include/dms/export.hpp).
#include "reports/export_service.hpp"

#include <cstdio>
#include <filesystem>

#include "audit/audit.hpp"
#include "dms/error.hpp"
#include "dms/export.hpp"
#include "events/outbox.hpp"
#include "jobs/jobs.hpp"
#include "render/base64.hpp"
#include "reports/engine.hpp"
#include "reports/export.hpp"
#include "service/centers.hpp"
#include "service/request.hpp"
#include "service/rows.hpp"
#include "service/service.hpp"

namespace dms::reports {
namespace {

struct ExportRequest {
  std::string name;
  Json params;
  ExportFormat format;
};

ExportRequest read_export_request(const Context& ctx, const Json& req) {
  ctx.require("reports:export");
  request::Fields f(req);
  ExportRequest r;
  r.name = f.str("name", 1, 100);
  r.params = req.contains("params") && !req["params"].is_null() ? req["params"] : Json::object();
  if (!r.params.is_object()) throw Error::Validation("params", "must be an object");
  r.format = parse_export_format(f.str("format", 1, 20));
  return r;
}

std::string period_suffix(const Report& report) {
  // "Pune Central, 2026-11-01 to 2026-11-30" -> "2026-11-01-2026-11-30"
  const size_t comma = report.subtitle.rfind(", ");
  std::string s = comma == std::string::npos ? "" : report.subtitle.substr(comma + 2);
  const size_t to = s.find(" to ");
  if (to != std::string::npos) s = s.substr(0, to) + "-" + s.substr(to + 4);
  return s;
}

Json export_method(Env& env, const Context& ctx, const Json& req) {
  const ExportRequest r = read_export_request(ctx, req);
  const Report report = env.report_store().read(
      [&](storage::Transaction& tx) { return run_report(tx, ctx, r.name, r.params); });
  return Json{{"filename", export_filename(report.name, period_suffix(report), r.format)},
              {"contentType", content_type(r.format)},
              {"content", render::base64_encode(export_to_bytes(report, r.format))}};
}

// ---- The monthly report
// --------------------------------------------------------------------------

struct Month {
  Date first;
  Date last;
  std::string text;
};

Month parse_month(const std::string& text) {
  int y = 0;
  int m = 0;
  char extra = 0;
  if (text.size() != 7 || std::sscanf(text.c_str(), "%4d-%2d%c", &y, &m, &extra) != 2 ||
      text[4] != '-' || m < 1 || m > 12 || y < 2000 || y > 2999) {
    throw Error::Validation("month", "month must be YYYY-MM, e.g. 2026-11");
  }
  Month out;
  out.text = text;
  out.first = Date::from_ymd(y, m, 1, "month");
  out.last = (m == 12 ? Date::from_ymd(y + 1, 1, 1, "month") : Date::from_ymd(y, m + 1, 1, "month"))
                 .plus_days(-1);
  return out;
}

Json file_json(const storage::Row& row) {
  return Json{{"id", row.str("id")},
              {"kind", row.str("kind")},
              {"period", rows::text_json(row, "period")},
              {"serviceCenterId", rows::text_json(row, "service_center_id")},
              {"name", row.str("name")},
              {"contentType", row.str("content_type")},
              {"sizeBytes", row.i64("size_bytes")},
              {"createdAt", rows::time_json(row, "created_at")}};
}

std::string store_file(storage::Transaction& tx, const Context& ctx, const Month& month,
                       const std::optional<std::string>& center, const std::string& name,
                       ExportFormat format, const std::string& bytes) {
  const std::string id = storage::new_id();
  tx.exec(
      "INSERT INTO generated_files (id, kind, period, service_center_id, name, content_type, "
      "size_bytes, content_base64, created_by, created_at) VALUES (?, 'monthly_report', ?, ?, ?, "
      "?, ?, ?, ?, ?)",
      {id, month.text, rows::text(center), name, std::string(content_type(format)),
       static_cast<int64_t>(bytes.size()), render::base64_encode(bytes), rows::actor(ctx),
       rows::micros(ctx.now())});
  audit::record(tx, ctx, "CREATE", "generated_file", id, Json(),
                {{"name", name}, {"period", month.text}, {"sizeBytes", bytes.size()}}, center);
  return id;
}

Json generate_monthly_method(Env& env, const Context& ctx, const Json& req) {
  ctx.require("reports:generate");
  request::Fields f(req);
  const std::string month = f.str("month", 7, 7);
  std::optional<std::string> center = f.opt_str("serviceCenterId", 100);
  return env.store->write(
      [&](storage::Transaction& tx) { return generate_monthly(tx, ctx, month, center); });
}

Json get_file(Env& env, const Context& ctx, const Json& req) {
  ctx.require("reports:export");
  request::Fields f(req);
  const std::string id = f.str("id", 1, 100);
  return env.store->read([&](storage::Transaction& tx) {
    const auto row = tx.query_one("SELECT * FROM generated_files WHERE id = ?", {id});
    if (!row) throw Error::NotFound("generated file", id);
    service::require_in_scope(ctx, row->opt_str("service_center_id"), "generated file", id);
    return Json{{"filename", row->str("name")},
                {"contentType", row->str("content_type")},
                {"content", row->str("content_base64")}};
  });
}

const service::MethodRegistration kExport("reports.Export", export_method);
const service::MethodRegistration kGenerateMonthly("reports.GenerateMonthly",
                                                   generate_monthly_method);
const service::MethodRegistration kGetFile("reports.GetFile", get_file);

}  // namespace

Json generate_monthly(storage::Transaction& tx, const Context& ctx, const std::string& month_text,
                      const std::optional<std::string>& requested_center) {
  const Month month = parse_month(month_text);
  if (month.first > ctx.now().business_date()) {
    throw Error::Validation("month", "month " + month.text + " has not begun");
  }
  std::optional<std::string> center = requested_center;
  if (const auto scope = service::tenant_scope(ctx)) {
    if (center && *center != *scope) throw Error::NotFound("service center", *center);
    center = scope;
  }
  std::string scope_name = "All service centers";
  if (center) scope_name = service::load_service_center(tx, *center).name;
  Json params = {{"from", month.first.to_string()}, {"to", month.last.to_string()}};
  if (center) params["serviceCenterId"] = *center;
  std::vector<Report> reports;
  Json names = Json::array();
  for (const ReportInfo& info : report_catalog()) {
    if (!ctx.has_permission(info.permission)) continue;
    reports.push_back(run_report(tx, ctx, info.name, params));
    names.push_back(info.name);
  }
  ExportOptions options;
  options.title = "Monthly report " + month.text + ", " + scope_name;
  options.creation_date = ctx.now().to_string();
  const std::string suffix =
      month.text + (center ? "-" + service::load_service_center(tx, *center).code : "-all");
  Json files = Json::array();
  for (ExportFormat format : {ExportFormat::kPdf, ExportFormat::kXlsx}) {
    const std::string bytes = export_to_bytes(reports, format, options);
    const std::string name = export_filename("monthly-report", suffix, format);
    const std::string id = store_file(tx, ctx, month, center, name, format, bytes);
    files.push_back(file_json(*tx.query_one("SELECT * FROM generated_files WHERE id = ?", {id})));
  }
  Json payload = {{"reportName", "monthly"}, {"period", month.text}};
  if (center) payload["serviceCenterId"] = *center;
  events::emit(tx, ctx, "report.generated", payload, center);
  return Json{{"month", month.text},
              {"serviceCenterId", center ? Json(*center) : Json()},
              {"reports", std::move(names)},
              {"files", std::move(files)}};
}

Json run_monthly_report_job(storage::Transaction& tx, const Context& ctx, const Json& config,
                            Date local_date) {
  const Date first = Date::from_ymd(local_date.year(), local_date.month(), 1);
  const Date previous = first.plus_days(-1);
  char month[8];
  std::snprintf(month, sizeof month, "%04d-%02d", previous.year(), previous.month());
  std::optional<std::string> center;
  if (config.is_object() && config.contains("serviceCenterId") &&
      config["serviceCenterId"].is_string()) {
    center = config["serviceCenterId"].get<std::string>();
  }
  const Json result = generate_monthly(tx, ctx, month, center);
  return Json{{"month", result["month"]}, {"files", result["files"].size()}};
}

namespace {

// Job kind monthly_report (docs/jobs.md): on the 1st, last month's compiled report. Config:
// {"serviceCenterId": "..."} for one center, {} for the whole group.
void check_monthly_config(const Json& config) {
  for (const auto& [key, value] : config.items()) {
    if (key != "serviceCenterId") throw Error::Validation("config." + key, "unknown setting");
    if (!value.is_string() || value.get<std::string>().empty()) {
      throw Error::Validation("config.serviceCenterId", "must be a service center id");
    }
  }
}

Json monthly_report_job(storage::Transaction& tx, const jobs::JobRun& run) {
  return run_monthly_report_job(tx, *run.ctx, run.config, run.local_date());
}

const jobs::JobRegistration kMonthlyJob("monthly_report", monthly_report_job, check_monthly_config);

const storage::MigrationRegistration kMonthlyJobRow({483, "reports: the monthly report job", R"SQL(
INSERT INTO jobs (name, kind, description, schedule, config, created_at, updated_at) VALUES
  ('monthly_report', 'monthly_report', 'The compiled report of last month (PDF and workbook) for the whole group', 'monthly on day 1 at 07:00', '{}', 0, 0);
)SQL"});

}  // namespace

}  // namespace dms::reports

namespace dms {

Json export_report(Database& db, const Context& ctx, const Json& request, const std::string& path,
                   const ExportProgress& progress) {
  using namespace reports;
  const ExportRequest r = read_export_request(ctx, request);
  Env& env = db.impl();
  const Report report = env.report_store().read(
      [&](storage::Transaction& tx) { return run_report(tx, ctx, r.name, r.params); });
  ExportOptions options;
  options.progress = progress;
  export_to_file(report, r.format, path, options);
  return Json{{"filename", export_filename(report.name, period_suffix(report), r.format)},
              {"contentType", content_type(r.format)},
              {"sizeBytes", static_cast<int64_t>(std::filesystem::file_size(path))}};
}

}  // namespace dms
