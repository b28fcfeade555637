// The report engine: every report is DATA (a ReportDef: the tables it shows, each a dataset from
// the whitelist, its group-by, aggregates, fixed filters, sort and charts), executed by one engine
// on the list-query machinery (storage::ListSpec fields and storage::filter_condition), never one
// hand-written SQL function per report. The custom report (run_custom) is the same TableDef built
// from a caller's request and validated like a list query: unknown datasets, fields, operators or
// aggregates are VALIDATION errors naming the parameter, and no SQL text comes from the caller.
//
// Arithmetic is exact: SQL sums integers (paise, thousandths, microseconds); averages and ratios
// are divided in C++ and rounded half away from zero at the column's scale (an average of money
// to the paisa). A figure that cannot be computed (an average of nothing, a rate of zero cases) is
// a null cell, never 0. Periods are India business dates; a week is keyed by its Monday.
//
// Tenancy: a user confined to a service center gets that center's rows only (the dataset's tenant
// condition); `serviceCenterId` narrows an unconfined user's report to one center.
//
//   Json params = {{"from", "2026-01-01"}, {"to", "2026-12-31"}, {"groupBy", "month"}};
//   reports::Report r = env.report_store().read([&](storage::Transaction& tx) {
//     return reports::run_report(tx, ctx, "financial.revenue_by_period", params);
//   });
//
// Thread-safety: the catalogue is immutable; run_* use only the caller's transaction.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "dms/context.hpp"
#include "dms/json.hpp"
#include "dms/time.hpp"
#include "reports/table.hpp"
#include "storage/list_query.hpp"
#include "storage/store.hpp"

namespace dms::reports {

// ---- Definitions -------------------------------------------------------------------------------

// A whitelisted dataset: a list spec (fields, tenant condition) over fixed SQL, the permission
// that reads it, the field the report's period applies to (empty: a snapshot, no period).
struct Dataset {
  std::string name;        // "invoices"
  std::string title;       // "Invoices and credit notes"
  std::string permission;  // "reports:financial"
  storage::ListSpec spec;
  std::string base_where;  // a fixed condition ("i.invoice_date IS NOT NULL"), or empty
  std::string date_field;  // a kDate or kTimestamp field of spec, or empty
};

enum class Aggregate { kCount, kSum, kAvg, kMin, kMax };
// How a group field's values are folded into report groups.
enum class Bucket {
  kValue,   // as stored
  kDay,     // a date field as its day
  kWeek,    // a date field as the Monday of its week
  kMonth,   // a date field as "YYYY-MM"
  kPeriod,  // day, week or month by the request's groupBy (default month)
  kAgeing,  // a date field as days before the period's end: "0-30", "31-60", "61-90", "90+"
};

struct GroupDef {
  std::string field;  // a field of the dataset
  Bucket bucket = Bucket::kValue;
  std::string key;    // the column key; default: the field's name ("period" for periods)
  std::string label;  // default: derived from the key
};

struct MeasureDef {
  std::string key;
  std::string label;
  Aggregate aggregate = Aggregate::kCount;
  std::string field;  // empty with kCount: rows
  // The output's type and scale; unset: from the field (money 2, quantity 3, integer 0; an
  // average of integers at scale 2). `divisor` converts the field's units first (microseconds
  // to hours: 3,600,000,000), rounding half away from zero.
  std::optional<ColumnType> type;
  std::optional<int> scale;
  int64_t divisor = 1;
  bool hidden = false;  // computed for ratios, not shown
};

// numerator / denominator (two measures' raw sums or counts) x factor, rounded half away from
// zero; null when the denominator is zero.
struct RatioDef {
  std::string key;
  std::string label;
  std::string numerator;    // a MeasureDef key
  std::string denominator;  // a MeasureDef key
  ColumnType type = ColumnType::kPercent;
  int scale = 2;
  int64_t factor = 10000;  // percent at scale 2: x 100 x 100
};

enum class Range { kPeriod, kUpTo, kNone };  // from..to on date_field, ..to, or everything

struct TableDef {
  std::string name;
  std::string title;
  std::string dataset;
  std::vector<GroupDef> groups;
  std::vector<MeasureDef> measures;
  std::vector<RatioDef> ratios;
  std::vector<storage::Filter> filters;  // fixed filters on the dataset's fields
  std::string sort;                      // "-revenue,period"; empty: by the groups
  int64_t limit = 0;                     // 0: every row
  bool totals = false;
  Range range = Range::kPeriod;
  std::vector<Chart> charts;
};

struct ParameterInfo {
  std::string name;         // "groupBy"
  std::string type;         // "date", "text", "id", "enum"
  std::string description;  // "day, week or month (default month)"
};

struct ReportDef {
  std::string name;      // "financial.revenue_by_period"
  std::string title;     // "Revenue by period"
  std::string category;  // "service", "sales", "inventory", "financial"
  std::vector<TableDef> tables;
};

struct ReportInfo {
  std::string name;
  std::string title;
  std::string category;
  std::string permission;  // reports:financial when any table reads a financial dataset
  std::vector<ParameterInfo> parameters;
  std::vector<Column> columns;  // of the first table
};

// ---- Entry points ------------------------------------------------------------------------------

// The whitelist of datasets (for custom reports and the catalogue).
const std::vector<Dataset>& datasets();
const Dataset* find_dataset(std::string_view name);
// Every report, in catalogue order.
const std::vector<ReportDef>& report_definitions();
std::vector<ReportInfo> report_catalog();

// Runs the report `name` (NOT_FOUND for an unknown one). params: from, to (dates, default the
// current month to today), groupBy (day|week|month), serviceCenterId, filter (list-query filters
// applied to every table's dataset that has the fields). Checks each dataset's permission.
Report run_report(storage::Transaction& tx, const Context& ctx, std::string_view name,
                  const Json& params);
// A custom report: {dataset, groupBy: [field | {field, bucket}], aggregates: [{fn, field, as}],
// filter, sort, limit, from, to, serviceCenterId, title}.
Report run_custom(storage::Transaction& tx, const Context& ctx, const Json& request);

// Executes one table definition (what run_report does per table).
Table run_table(storage::Transaction& tx, const Context& ctx, const TableDef& def,
                const Json& params);

// The wire form of a report: money and every number as exact decimal strings, null cells null.
Json report_json(const Report& report);
// A cell's exact decimal text at `scale` ("1234.50", "-0.05", "12").
std::string decimal_text(int64_t units, int scale);

// The period the request asks for: params from/to (dates), defaulting to the first of `today`'s
// month and `today`. VALIDATION when from > to or a span longer than 10 years.
struct Period {
  Date from;
  Date to;
};
Period period_of(const Json& params, Date today);

}  // namespace dms::reports
