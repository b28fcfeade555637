// analytics.Dashboard (seed 000 4.3.2, seed 002 section 8's /analytics/dashboard document) and the
// per-user layout (dashboards.GetLayout / dashboards.SaveLayout). Figures are read in one read
// transaction on the report store (the read replica when configured), scoped by tenancy: a user
// confined to a center gets that center's figures whatever serviceCenterId says.
//
// Definitions (docs/reports.md):
//   revenue        grand totals of numbered invoices net of credit notes on their invoice date
//                  (the rollup); today / this week (from Monday) / this month (from the 1st), each
//                  with growth in percent against the same span of the previous day/week/month,
//                  null when that was zero. Shown only to holders of reports:financial.
//   jobCards       job cards with a service date in the period, by status; avgCompletionHours
//                  over those completed (start to completion), null when none.
//   serviceRequests requests created in the period: total, pending, completed.
//   inventory      now: low-stock balances, stock value at average cost, and the top 5 parts
//                  moved to customers or the workshop in the period.
//   customers      total (dealer-wide, or those last served at the center), new (created in the
//                  period), returning (served in the period, created before it).
//   csi            present only when some job card in the period has a feedback rating.
#include <string>

#include "audit/audit.hpp"
#include "dms/decimal.hpp"
#include "dms/error.hpp"
#include "dms/quantity.hpp"
#include "reports/engine.hpp"
#include "service/request.hpp"
#include "service/rows.hpp"
#include "service/service.hpp"
#include "service/transition.hpp"
#include "workshop/workflows.hpp"

namespace dms::reports {
namespace {

using storage::Transaction;
using storage::Value;
using workshop::JobCardStatus;

int64_t scalar(Transaction& tx, const std::string& sql, const std::vector<Value>& params) {
  const auto row = tx.query_one(sql, params);
  return row && !row->is_null(0) ? row->i64(0) : 0;
}

std::string money(int64_t paise) {
  return decimal_text(paise, 2);
}

// Growth of `now` over `before` in percent at scale 2, rounded half away from zero; null when
// before is zero.
Json growth(int64_t now, int64_t before) {
  if (before == 0) return nullptr;
  const int64_t sign = before < 0 ? -1 : 1;
  return decimal_text(fixed::mul_div(now - before, 10000 * sign, before * sign,
                                     Rounding::kHalfAwayFromZero, "growth"),
                      2);
}

Date month_start(Date d) {
  return Date::from_ymd(d.year(), d.month(), 1);
}

Date week_start(Date d) {
  const int32_t days = d.days_since_epoch();
  return d.plus_days(-(((days + 3) % 7 + 7) % 7));
}

// The same day of the previous month, clamped to its last day.
Date same_day_previous_month(Date d) {
  const int y = d.month() == 1 ? d.year() - 1 : d.year();
  const int m = d.month() == 1 ? 12 : d.month() - 1;
  const Date first_next = d.month() == 1 ? Date::from_ymd(d.year(), 1, 1) : month_start(d);
  const int last = first_next.plus_days(-1).day();
  return Date::from_ymd(y, m, std::min(d.day(), last));
}

// " AND <column> = ?" for a scoped dashboard.
struct Scope {
  std::optional<std::string> center;
  std::string where(const std::string& column, std::vector<Value>& params) const {
    if (!center) return "";
    params.emplace_back(*center);
    return " AND " + column + " = ?";
  }
};

Json revenue_figures(Transaction& tx, const Scope& scope, Date today) {
  const Date yesterday = today.plus_days(-1);
  const Date week = week_start(today);
  const Date prev_week = week.plus_days(-7);
  const Date month = month_start(today);
  const Date prev_month = month_start(month.plus_days(-1));
  const Date prev_month_end = same_day_previous_month(today);
  std::vector<Value> p;
  auto between = [&](Date from, Date to) {
    p.emplace_back(from.to_string());
    p.emplace_back(to.to_string());
    return "CAST(SUM(CASE WHEN day >= ? AND day <= ? THEN revenue ELSE 0 END) AS BIGINT)";
  };
  std::string sql = "SELECT ";  // one statement at a time: the parameters go in order
  sql += between(today, today);
  sql += std::string(", ") + between(yesterday, yesterday);
  sql += std::string(", ") + between(week, today);
  sql += std::string(", ") + between(prev_week, today.plus_days(-7));
  sql += std::string(", ") + between(month, today);
  sql += std::string(", ") + between(prev_month, prev_month_end);
  sql += " FROM rpt_revenue_daily WHERE day >= ? AND day <= ?";
  p.emplace_back(std::min(prev_month, prev_week).to_string());
  p.emplace_back(today.to_string());
  sql += scope.where("service_center_id", p);
  const auto row = tx.query_one(sql, p);
  auto at = [&](size_t i) { return row && !row->is_null(i) ? row->i64(i) : 0; };
  return {{"today", money(at(0))},
          {"yesterday", money(at(1))},
          {"thisWeek", money(at(2))},
          {"lastWeek", money(at(3))},
          {"thisMonth", money(at(4))},
          {"lastMonth", money(at(5))},
          {"growthToday", growth(at(0), at(1))},
          {"growthWeek", growth(at(2), at(3))},
          {"growth", growth(at(4), at(5))}};
}

Json job_card_figures(Transaction& tx, const Scope& scope, const Period& period) {
  const auto& flow = workshop::kJobCardFlow;
  std::vector<Value> p{period.from.to_string(), period.to.to_string()};
  const std::string scoped = scope.where("service_center_id", p);
  const storage::Rows rows = tx.query(
      "SELECT status, COUNT(*) AS n FROM job_cards WHERE service_date >= ? AND service_date <= ?" +
          scoped + " GROUP BY status",
      p);
  int64_t total = 0, pending = 0, in_progress = 0, completed = 0, cancelled = 0;
  for (const auto& r : rows) {
    const int64_t n = r.i64("n");
    total += n;
    switch (flow.parse(r.str("status"))) {
      case JobCardStatus::kCreated:
      case JobCardStatus::kAssigned:
        pending += n;
        break;
      case JobCardStatus::kInProgress:
      case JobCardStatus::kPartsPending:
      case JobCardStatus::kWaitingCustomerApproval:
        in_progress += n;
        break;
      case JobCardStatus::kCancelled:
        cancelled += n;
        break;
      default:
        completed += n;
    }
  }
  std::vector<Value> q{period.from.to_string(), period.to.to_string()};
  const std::string scoped_q = scope.where("service_center_id", q);
  const auto avg = tx.query_one(
      "SELECT CAST(SUM(completed_at - started_at) AS BIGINT) AS micros, COUNT(*) AS n "
      "FROM job_cards WHERE service_date >= ? AND service_date <= ? AND completed_at IS NOT NULL "
      "AND started_at IS NOT NULL" +
          scoped_q,
      q);
  Json hours = nullptr;
  if (avg && avg->i64("n") > 0) {
    hours = decimal_text(fixed::mul_div(avg->i64("micros"), 100, avg->i64("n") * 3600 * 1000000,
                                        Rounding::kHalfAwayFromZero, "hours"),
                         2);
  }
  return {{"total", total},         {"pending", pending},     {"inProgress", in_progress},
          {"completed", completed}, {"cancelled", cancelled}, {"avgCompletionHours", hours}};
}

Json service_request_figures(Transaction& tx, const Scope& scope, const Period& period) {
  using workshop::ServiceRequestStatus;
  const auto& flow = workshop::kServiceRequestFlow;
  const int64_t offset = int64_t{kIndiaUtcOffsetMinutes} * 60 * 1000000;
  std::vector<Value> p{Timestamp::start_of(period.from).unix_micros() - offset,
                       Timestamp::start_of(period.to.plus_days(1)).unix_micros() - offset};
  const std::string scoped = scope.where("service_center_id", p);
  const storage::Rows rows = tx.query(
      "SELECT status, COUNT(*) AS n FROM service_requests WHERE created_at >= ? AND "
      "created_at < ?" +
          scoped + " GROUP BY status",
      p);
  int64_t total = 0, pending = 0, completed = 0;
  for (const auto& r : rows) {
    const int64_t n = r.i64("n");
    total += n;
    const auto s = flow.parse(r.str("status"));
    if (s == ServiceRequestStatus::kPending) pending += n;
    if (s == ServiceRequestStatus::kCompleted) completed += n;
  }
  return {{"total", total}, {"pending", pending}, {"completed", completed}};
}

Json inventory_figures(Transaction& tx, const Scope& scope, const Period& period) {
  std::vector<Value> p;
  const std::string scoped = scope.where("l.service_center_id", p);
  const auto row = tx.query_one(
      "SELECT CAST(SUM(CASE WHEN (b.min_level IS NOT NULL AND b.on_hand - b.allocated <= "
      "b.min_level) OR (b.reorder_point IS NOT NULL AND b.on_hand - b.allocated <= "
      "b.reorder_point) THEN 1 ELSE 0 END) AS BIGINT) AS low, "
      "CAST(SUM(CASE WHEN b.on_hand >= 0 THEN (b.on_hand * b.average_cost + 500) / 1000 "
      "ELSE -(((-b.on_hand) * b.average_cost + 500) / 1000) END) AS BIGINT) AS value "
      "FROM inv_balances b JOIN inv_locations l ON l.id = b.location_id "
      "WHERE l.kind IN ('WAREHOUSE', 'STORE')" +
          scoped,
      p);
  const int64_t offset = int64_t{kIndiaUtcOffsetMinutes} * 60 * 1000000;
  std::vector<Value> q{Timestamp::start_of(period.from).unix_micros() - offset,
                       Timestamp::start_of(period.to.plus_days(1)).unix_micros() - offset};
  const std::string scoped_q = scope.where("fl.service_center_id", q);
  const storage::Rows top = tx.query(
      "SELECT m.part_id, p.name, p.part_number, CAST(SUM(m.quantity) AS BIGINT) AS qty "
      "FROM inv_moves m JOIN inv_locations tl ON tl.id = m.to_location_id "
      "JOIN inv_locations fl ON fl.id = m.from_location_id JOIN inv_parts p ON p.id = m.part_id "
      "WHERE m.created_at >= ? AND m.created_at < ? AND tl.kind IN ('CUSTOMER', 'WORKSHOP')" +
          scoped_q +
          " GROUP BY m.part_id, p.name, p.part_number ORDER BY qty DESC, p.part_number LIMIT 5",
      q);
  Json parts = Json::array();
  for (const auto& r : top) {
    parts.push_back({{"partId", r.str("part_id")},
                     {"partNumber", r.str("part_number")},
                     {"name", r.str("name")},
                     {"quantity", Quantity::from_units(r.i64("qty")).to_string()}});
  }
  return {{"lowStockCount", row && !row->is_null(0) ? row->i64(0) : 0},
          {"totalValue", money(row && !row->is_null(1) ? row->i64(1) : 0)},
          {"topMovingParts", std::move(parts)}};
}

Json customer_figures(Transaction& tx, const Scope& scope, const Period& period) {
  const int64_t offset = int64_t{kIndiaUtcOffsetMinutes} * 60 * 1000000;
  const int64_t start = Timestamp::start_of(period.from).unix_micros() - offset;
  const int64_t end = Timestamp::start_of(period.to.plus_days(1)).unix_micros() - offset;
  std::vector<Value> p{start, end, start, end, start};
  const std::string scoped = scope.where("last_service_center_id", p);
  const auto row = tx.query_one(
      "SELECT COUNT(*) AS total, "
      "CAST(SUM(CASE WHEN created_at >= ? AND created_at < ? THEN 1 ELSE 0 END) AS BIGINT), "
      "CAST(SUM(CASE WHEN last_service_date >= ? AND last_service_date < ? AND created_at < ? "
      "THEN 1 ELSE 0 END) AS BIGINT) FROM customers WHERE deleted_at IS NULL" +
          scoped,
      p);
  auto at = [&](size_t i) { return row && !row->is_null(i) ? row->i64(i) : 0; };
  return {{"total", at(0)}, {"new", at(1)}, {"returning", at(2)}};
}

// Customer satisfaction: absent (nullopt) until some job card of the period has a rating.
std::optional<Json> csi(Transaction& tx, const Scope& scope, const Period& period) {
  std::vector<Value> p{period.from.to_string(), period.to.to_string()};
  const std::string scoped = scope.where("service_center_id", p);
  const auto row = tx.query_one(
      "SELECT CAST(SUM(feedback_rating) AS BIGINT) AS total, COUNT(feedback_rating) AS n "
      "FROM job_cards WHERE service_date >= ? AND service_date <= ? AND feedback_rating IS NOT "
      "NULL" +
          scoped,
      p);
  if (!row || row->i64("n") == 0) return std::nullopt;
  const int64_t n = row->i64("n");
  const int64_t avg = (2 * row->i64("total") * 100 + n) / (2 * n);
  return Json{{"averageRating", decimal_text(avg, 2)}, {"ratings", n}};
}

Json center_figures(Transaction& tx, const Scope& scope) {
  using workshop::PartsRequestStatus;
  using workshop::ServiceLineApproval;
  using workshop::ServiceRequestStatus;
  std::vector<Value> p{
      std::string(workshop::kServiceRequestFlow.name(ServiceRequestStatus::kPending))};
  const int64_t requests = scalar(tx,
                                  "SELECT COUNT(*) FROM service_requests WHERE status = ?" +
                                      scope.where("service_center_id", p),
                                  p);
  std::vector<Value> q{
      std::string(workshop::kServiceLineApprovalFlow.name(ServiceLineApproval::kPending))};
  const int64_t additional = scalar(
      tx,
      "SELECT COUNT(*) FROM job_card_services s JOIN job_cards j ON j.id = s.job_card_id WHERE "
      "s.approval_status = ?" +
          scope.where("j.service_center_id", q),
      q);
  std::vector<Value> r{std::string(workshop::kPartsRequestFlow.name(PartsRequestStatus::kPending))};
  const int64_t parts = scalar(
      tx,
      "SELECT COUNT(*) FROM parts_requests WHERE status = ?" + scope.where("service_center_id", r),
      r);
  // Engineers: users of the center ever assigned a job card; busy: with a job card in work.
  std::vector<Value> e =
      service::names_of(workshop::kJobCardFlow,
                        {JobCardStatus::kAssigned, JobCardStatus::kInProgress,
                         JobCardStatus::kPartsPending, JobCardStatus::kWaitingCustomerApproval});
  const std::string scoped_e = scope.where("j.service_center_id", e);
  std::vector<Value> e2;
  const std::string scoped_e2 = scope.where("j.service_center_id", e2);
  const int64_t engineers = scalar(
      tx,
      "SELECT COUNT(DISTINCT j.assigned_engineer_id) FROM job_cards j JOIN users u ON u.id = "
      "j.assigned_engineer_id WHERE u.is_active = 1" +
          scoped_e2,
      e2);
  const int64_t busy = scalar(
      tx,
      "SELECT COUNT(DISTINCT j.assigned_engineer_id) FROM job_cards j WHERE j.status IN (?, ?, "
      "?, ?)" +
          scoped_e,
      e);
  Json utilization = nullptr;
  if (engineers > 0) utilization = decimal_text((busy * 20000 + engineers) / (2 * engineers), 2);
  return {{"pendingApprovals",
           {{"serviceRequests", requests},
            {"additionalServices", additional},
            {"partsRequests", parts},
            {"total", requests + additional + parts}}},
          {"engineerUtilization",
           {{"engineers", engineers}, {"busy", busy}, {"utilization", utilization}}}};
}

Json technician_figures(Transaction& tx, const Context& ctx, Date today) {
  using workshop::PartsRequestStatus;
  const auto& flow = workshop::kJobCardFlow;
  const storage::Rows rows = tx.query(
      "SELECT status, COUNT(*) AS n FROM job_cards WHERE assigned_engineer_id = ? GROUP BY status",
      {ctx.user_id});
  int64_t assigned = 0, pending = 0;
  for (const auto& r : rows) {
    switch (flow.parse(r.str("status"))) {
      case JobCardStatus::kAssigned:
      case JobCardStatus::kPartsPending:
      case JobCardStatus::kWaitingCustomerApproval:
        pending += r.i64("n");
        assigned += r.i64("n");
        break;
      case JobCardStatus::kInProgress:
      case JobCardStatus::kCreated:
        assigned += r.i64("n");
        break;
      default:
        break;
    }
  }
  const int64_t offset = int64_t{kIndiaUtcOffsetMinutes} * 60 * 1000000;
  const int64_t completed_today = scalar(
      tx,
      "SELECT COUNT(*) FROM job_cards WHERE assigned_engineer_id = ? AND completed_at >= ? AND "
      "completed_at < ?",
      {ctx.user_id, Timestamp::start_of(today).unix_micros() - offset,
       Timestamp::start_of(today.plus_days(1)).unix_micros() - offset});
  const int64_t parts = scalar(
      tx,
      "SELECT COUNT(*) FROM parts_requests r JOIN job_cards j ON j.id = r.job_card_id WHERE "
      "j.assigned_engineer_id = ? AND r.status = ?",
      {ctx.user_id, std::string(workshop::kPartsRequestFlow.name(PartsRequestStatus::kPending))});
  return {{"assignedJobCards", assigned},
          {"completedToday", completed_today},
          {"pendingWork", pending},
          {"partsRequired", parts}};
}

Json dashboard(Env& env, const Context& ctx, const Json& req) {
  ctx.require("dashboards:read");
  request::Fields f(req);
  const Date today = ctx.now().business_date();
  Json period_params = Json::object();
  if (auto from = f.opt_date("dateFrom")) period_params["from"] = from->to_string();
  if (auto to = f.opt_date("dateTo")) period_params["to"] = to->to_string();
  const Period period = period_of(period_params, today);
  Scope scope;
  scope.center = service::tenant_scope(ctx);
  if (!scope.center) scope.center = f.opt_str("serviceCenterId", 100);
  std::string view = f.opt_one_of("view", {"admin", "serviceCenter", "technician"})
                         .value_or(ctx.sees_all_service_centers() && !scope.center ? "admin"
                                   : ctx.has_permission("job_cards:work") &&
                                           !ctx.has_permission("job_cards:view_all")
                                       ? "technician"
                                       : "serviceCenter");
  if (view == "admin" && !ctx.sees_all_service_centers()) {
    throw Error(ErrorCode::kForbidden, "the admin dashboard shows every service center", "view");
  }
  return env.report_store().read([&](Transaction& tx) {
    if (scope.center &&
        !tx.query_one("SELECT id FROM service_centers WHERE id = ?", {*scope.center}) &&
        !service::tenant_scope(ctx)) {
      throw Error(ErrorCode::kNotFound, "service center not found", "serviceCenterId");
    }
    Json out{{"view", view},
             {"serviceCenterId", scope.center ? Json(*scope.center) : Json(nullptr)},
             {"dateFrom", period.from.to_string()},
             {"dateTo", period.to.to_string()}};
    if (view == "technician") {
      out["technician"] = technician_figures(tx, ctx, today);
      return out;
    }
    if (ctx.has_permission("reports:financial")) out["revenue"] = revenue_figures(tx, scope, today);
    out["jobCards"] = job_card_figures(tx, scope, period);
    out["serviceRequests"] = service_request_figures(tx, scope, period);
    out["inventory"] = inventory_figures(tx, scope, period);
    out["customers"] = customer_figures(tx, scope, period);
    if (auto score = csi(tx, scope, period)) out["csi"] = *score;
    if (view == "admin") {
      out["serviceCenters"] =
          scalar(tx, "SELECT COUNT(*) FROM service_centers WHERE is_active = 1", {});
      out["activeVehicles"] = scalar(
          tx, "SELECT COUNT(*) FROM vehicles WHERE current_status = ?",
          {std::string(workshop::kVehicleFlow.name(workshop::VehicleStatus::kActiveJobCard))});
      out["vehicles"] = scalar(tx, "SELECT COUNT(*) FROM vehicles", {});
    } else {
      Json c = center_figures(tx, scope);
      out["pendingApprovals"] = c["pendingApprovals"];
      out["engineerUtilization"] = c["engineerUtilization"];
    }
    return out;
  });
}

// ---- Layouts

Json layout_of(Transaction& tx, const std::string& user_id) {
  const auto row =
      tx.query_one("SELECT layout, updated_at FROM dashboard_layouts WHERE user_id = ?", {user_id});
  if (!row) return {{"widgets", Json::array()}, {"updatedAt", nullptr}};
  Json layout = Json::parse(row->str("layout"));
  layout["updatedAt"] = rows::json_time(row->i64("updated_at"));
  return layout;
}

Json get_layout(Env& env, const Context& ctx, const Json&) {
  ctx.require("dashboards:read");
  return env.store->read([&](Transaction& tx) { return layout_of(tx, ctx.user_id); });
}

Json save_layout(Env& env, const Context& ctx, const Json& req) {
  ctx.require("dashboards:read");
  if (ctx.user_id.empty()) throw Error::Validation("user", "the system context has no layout");
  request::Fields f(req);
  const Json& widgets = f.array("widgets", 100);
  Json clean = Json::array();
  for (size_t i = 0; i < widgets.size(); ++i) {
    request::Fields w = f.element("widgets", i);
    Json item{{"type", w.str("type", 1, 64)}, {"position", w.integer("position")}};
    if (item["position"].get<int64_t>() < 0 || item["position"].get<int64_t>() > 1000) {
      throw Error::Validation(w.path("position"), "must be 0 to 1000");
    }
    const Json& config = w.raw("config");
    if (!config.is_null()) {
      if (!config.is_object()) throw Error::Validation(w.path("config"), "must be an object");
      if (config.dump().size() > 4000) {
        throw Error::Validation(w.path("config"), "is longer than 4000 characters");
      }
      item["config"] = config;
    } else {
      item["config"] = Json::object();
    }
    clean.push_back(std::move(item));
  }
  const Json layout{{"widgets", clean}};
  return env.store->write([&](Transaction& tx) {
    const Json before = layout_of(tx, ctx.user_id);
    tx.exec(
        "INSERT INTO dashboard_layouts (user_id, layout, updated_at) VALUES (?, ?, ?) "
        "ON CONFLICT (user_id) DO UPDATE SET layout = excluded.layout, "
        "updated_at = excluded.updated_at",
        {ctx.user_id, layout.dump(), rows::micros(ctx.now())});
    audit::record(tx, ctx, "UPDATE", "dashboard_layout", ctx.user_id, before, layout,
                  ctx.service_center_id);
    return layout_of(tx, ctx.user_id);
  });
}

const service::MethodRegistration kDashboard("analytics.Dashboard", dashboard);
const service::MethodRegistration kGetLayout("dashboards.GetLayout", get_layout);
const service::MethodRegistration kSaveLayout("dashboards.SaveLayout", save_layout);

}  // namespace
}  // namespace dms::reports
