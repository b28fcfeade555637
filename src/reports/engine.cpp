// The one engine every report definition runs on (src/reports/engine.hpp).
#include "reports/engine.hpp"

#include <algorithm>
#include <cctype>
#include <map>
#include <set>

#include "dms/decimal.hpp"
#include "dms/error.hpp"
#include "service/permissions.hpp"
#include "service/service.hpp"

namespace dms::reports {
namespace {

using storage::FieldType;
using storage::ListField;
using storage::Value;

constexpr size_t kMaxSqlGroups = 200000;
constexpr int64_t kMaxSpanDays = 3660;

// ---- Exact arithmetic
// ----------------------------------------------------------------------------

// a x b / c rounded half away from zero, exact (128-bit intermediate). REQUIRES: c != 0.
int64_t mul_div(int64_t a, int64_t b, int64_t c) {
  if (c < 0) {
    b = -b;
    c = -c;
  }
  return fixed::mul_div(a, b, c, Rounding::kHalfAwayFromZero, "report figure");
}

int64_t pow10(int n) {
  int64_t p = 1;
  for (int i = 0; i < n; ++i) p *= 10;
  return p;
}

int64_t checked_add(int64_t a, int64_t b) {
  int64_t out;
  if (__builtin_add_overflow(a, b, &out)) throw Error::Internal("report figure out of range");
  return out;
}

int64_t checked_mul(int64_t a, int64_t b) {
  int64_t out;
  if (__builtin_mul_overflow(a, b, &out)) throw Error::Internal("report figure out of range");
  return out;
}

int natural_scale(FieldType type) {
  switch (type) {
    case FieldType::kMoney:
      return 2;
    case FieldType::kQuantity:
      return 3;
    case FieldType::kPercent:
      return 4;
    default:
      return 0;
  }
}

bool is_numeric(FieldType type) {
  return type == FieldType::kMoney || type == FieldType::kQuantity || type == FieldType::kInt ||
         type == FieldType::kPercent;
}

ColumnType column_type_of(FieldType type) {
  switch (type) {
    case FieldType::kMoney:
      return ColumnType::kMoney;
    case FieldType::kQuantity:
      return ColumnType::kDecimal;
    case FieldType::kInt:
      return ColumnType::kInteger;
    case FieldType::kPercent:
      return ColumnType::kPercent;
    case FieldType::kDate:
      return ColumnType::kDate;
    case FieldType::kTimestamp:
      return ColumnType::kDateTime;
    default:
      return ColumnType::kText;
  }
}

std::string label_of(const std::string& key) {
  std::string out;
  for (char c : key) {
    if (out.empty()) {
      out.push_back(static_cast<char>(std::toupper(static_cast<unsigned char>(c))));
    } else if (std::isupper(static_cast<unsigned char>(c))) {
      out.push_back(' ');
      out.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
    } else {
      out.push_back(c);
    }
  }
  return out;
}

const char* bucket_name(Bucket b) {
  switch (b) {
    case Bucket::kValue:
      return "value";
    case Bucket::kDay:
      return "day";
    case Bucket::kWeek:
      return "week";
    case Bucket::kMonth:
      return "month";
    case Bucket::kPeriod:
      return "period";
    case Bucket::kAgeing:
      return "ageing";
  }
  return "value";
}

// ---- Parameters
// ----------------------------------------------------------------------------------

std::optional<std::string> text_param(const Json& params, const char* name) {
  if (!params.is_object() || !params.contains(name) || params[name].is_null()) return std::nullopt;
  if (!params[name].is_string()) throw Error::Validation(name, "must be a string");
  return params[name].get<std::string>();
}

Bucket period_bucket(const Json& params) {
  const auto g = text_param(params, "groupBy");
  if (!g || *g == "month") return Bucket::kMonth;
  if (*g == "day") return Bucket::kDay;
  if (*g == "week") return Bucket::kWeek;
  throw Error::Validation("groupBy", "must be day, week or month");
}

// ---- The query
// -----------------------------------------------------------------------------------

struct Resolved {
  const ListField* field;
  Bucket bucket;
  std::string key;
  std::string label;
};

struct ResolvedMeasure {
  MeasureDef def;
  const ListField* field;  // null: COUNT(*)
  ColumnType type;
  int scale;
  int first_sql_column = 0;  // the value (and, for averages, the count after it)
};

// One group's accumulated raw figures: per measure the SQL value (sum, min, max or count) and for
// averages the count of values.
struct Acc {
  std::vector<std::optional<int64_t>> value;
  std::vector<int64_t> count;
};

void merge(Acc& into, const Acc& from, const std::vector<ResolvedMeasure>& measures) {
  for (size_t m = 0; m < measures.size(); ++m) {
    const auto& v = from.value[m];
    into.count[m] = checked_add(into.count[m], from.count[m]);
    if (!v) continue;
    auto& t = into.value[m];
    if (!t) {
      t = v;
      continue;
    }
    switch (measures[m].def.aggregate) {
      case Aggregate::kMin:
        t = std::min(*t, *v);
        break;
      case Aggregate::kMax:
        t = std::max(*t, *v);
        break;
      default:
        *t = checked_add(*t, *v);
    }
  }
}

std::string bucket_key(Bucket bucket, const std::string& text, Date period_end) {
  if (bucket == Bucket::kValue) return text;
  const Date d = Date::parse(text.substr(0, 10));
  switch (bucket) {
    case Bucket::kDay:
      return d.to_string();
    case Bucket::kMonth:
      return d.to_string().substr(0, 7);
    case Bucket::kWeek: {
      const int32_t days = d.days_since_epoch();
      const int32_t monday_offset = ((days + 3) % 7 + 7) % 7;  // 1970-01-01 was a Thursday
      return d.plus_days(-monday_offset).to_string();
    }
    case Bucket::kAgeing: {
      const int32_t age = period_end.days_since_epoch() - d.days_since_epoch();
      if (age <= 30) return "0-30";
      if (age <= 60) return "31-60";
      if (age <= 90) return "61-90";
      return "90+";
    }
    default:
      return text;
  }
}

Cell group_cell(const Resolved& g, const Value& v, Date period_end) {
  if (std::holds_alternative<std::monostate>(v)) return Cell::none();
  if (const auto* n = std::get_if<int64_t>(&v)) {
    if (g.field->type == FieldType::kBool) return Cell::of_text(*n != 0 ? "true" : "false");
    if (g.field->type == FieldType::kTimestamp) {
      return Cell::of_text(Timestamp::from_unix_micros(*n).to_string());
    }
    return Cell::number(*n);
  }
  return Cell::of_text(bucket_key(g.bucket, std::get<std::string>(v), period_end));
}

ColumnType group_type(const Resolved& g) {
  switch (g.bucket) {
    case Bucket::kDay:
    case Bucket::kWeek:
      return ColumnType::kDate;
    case Bucket::kMonth:
    case Bucket::kAgeing:
      return ColumnType::kText;
    default:
      return g.field->type == FieldType::kBool ? ColumnType::kText : column_type_of(g.field->type);
  }
}

bool cell_less(const Cell& a, const Cell& b) {
  if (a.null != b.null) return a.null;
  if (a.null) return false;
  if (a.text.empty() && b.text.empty()) return a.units < b.units;
  return a.text < b.text;
}

bool cell_equal(const Cell& a, const Cell& b) {
  return a.null == b.null && a.units == b.units && a.text == b.text;
}

Cell measure_cell(const ResolvedMeasure& m, const std::optional<int64_t>& v, int64_t count) {
  const int in_scale = m.field ? natural_scale(m.field->type) : 0;
  const int64_t up = m.scale > in_scale ? pow10(m.scale - in_scale) : 1;
  const int64_t down = m.scale < in_scale ? pow10(in_scale - m.scale) : 1;
  switch (m.def.aggregate) {
    case Aggregate::kCount:
      return Cell::number(v.value_or(0));
    case Aggregate::kAvg:
      if (!v || count == 0) return Cell::none();
      return Cell::number(mul_div(*v, up, checked_mul(checked_mul(count, m.def.divisor), down)));
    default:
      if (!v) return m.def.aggregate == Aggregate::kSum ? Cell::number(0) : Cell::none();
      return Cell::number(mul_div(*v, up, checked_mul(m.def.divisor, down)));
  }
}

// The raw figure of a measure for ratios: counts and sums as accumulated.
std::optional<int64_t> raw_of(const Acc& acc, size_t m, const ResolvedMeasure& rm) {
  if (rm.def.aggregate == Aggregate::kCount || rm.def.aggregate == Aggregate::kSum) {
    return acc.value[m].value_or(0);
  }
  return acc.value[m];
}

Cell ratio_cell(const RatioDef& r, const std::optional<int64_t>& num,
                const std::optional<int64_t>& den) {
  if (!num || !den || *den == 0) return Cell::none();
  return Cell::number(mul_div(*num, r.factor, *den));
}

size_t measure_index(const std::vector<ResolvedMeasure>& measures, const std::string& key,
                     const std::string& param) {
  for (size_t i = 0; i < measures.size(); ++i) {
    if (measures[i].def.key == key) return i;
  }
  throw Error::Validation(param, "no aggregate named '" + key.substr(0, 64) + "'");
}

// Adds the dataset's period condition (dates are India business days; a timestamp field is
// compared with the bounds of those days).
void add_range(const Dataset& ds, const TableDef& def, const Period& p,
               std::vector<std::string>& where, std::vector<Value>& params) {
  if (def.range == Range::kNone || ds.date_field.empty()) return;
  const ListField* f = ds.spec.find_field(ds.date_field);
  if (f == nullptr) throw Error::Internal("dataset " + ds.name + " has no " + ds.date_field);
  if (f->type == FieldType::kDate) {
    if (def.range == Range::kPeriod) {
      where.push_back(f->column + " >= ?");
      params.emplace_back(p.from.to_string());
    }
    where.push_back(f->column + " <= ?");
    params.emplace_back(p.to.to_string());
    return;
  }
  const int64_t offset = int64_t{kIndiaUtcOffsetMinutes} * 60 * 1000000;
  if (def.range == Range::kPeriod) {
    where.push_back(f->column + " >= ?");
    params.emplace_back(Timestamp::start_of(p.from).unix_micros() - offset);
  }
  where.push_back(f->column + " < ?");
  params.emplace_back(Timestamp::start_of(p.to.plus_days(1)).unix_micros() - offset);
}

// The tenant condition of the dataset bound to `center` (each '?').
void add_center(const Dataset& ds, const std::string& center, std::vector<std::string>& where,
                std::vector<Value>& params) {
  where.push_back(ds.spec.tenant);
  for (char c : ds.spec.tenant) {
    if (c == '?') params.emplace_back(center);
  }
}

void require_dataset_permission(const Context& ctx, const Dataset& ds) {
  ctx.require(ds.permission);
}

}  // namespace

// ---- Public helpers
// ------------------------------------------------------------------------------

std::string decimal_text(int64_t units, int scale) {
  const bool negative = units < 0;
  // The magnitude as unsigned: also right for INT64_MIN.
  uint64_t magnitude = negative ? 0 - static_cast<uint64_t>(units) : static_cast<uint64_t>(units);
  std::string digits;
  do {
    digits.insert(digits.begin(), static_cast<char>('0' + static_cast<int>(magnitude % 10)));
    magnitude /= 10;
  } while (magnitude != 0);
  if (scale > 0) {
    if (digits.size() <= static_cast<size_t>(scale)) {
      digits.insert(0, static_cast<size_t>(scale) + 1 - digits.size(), '0');
    }
    digits.insert(digits.size() - static_cast<size_t>(scale), ".");
  }
  return negative ? "-" + digits : digits;
}

Period period_of(const Json& params, Date today) {
  const auto from_text = text_param(params, "from");
  const auto to_text = text_param(params, "to");
  const Date to = to_text ? Date::parse(*to_text, "to") : today;
  const Date from =
      from_text ? Date::parse(*from_text, "from") : Date::from_ymd(to.year(), to.month(), 1);
  if (to < from) throw Error::Validation("to", "is before from");
  if (to.days_since_epoch() - from.days_since_epoch() > kMaxSpanDays) {
    throw Error::Validation("from", "a report spans at most 10 years");
  }
  return {from, to};
}

const Dataset* find_dataset(std::string_view name) {
  for (const Dataset& d : datasets()) {
    if (d.name == name) return &d;
  }
  return nullptr;
}

Table run_table(storage::Transaction& tx, const Context& ctx, const TableDef& def,
                const Json& params) {
  const Dataset* ds = find_dataset(def.dataset);
  if (ds == nullptr) throw Error::Internal("report table " + def.name + " names no dataset");
  require_dataset_permission(ctx, *ds);
  const Period period = period_of(params, ctx.now().business_date());
  const Bucket requested_period = period_bucket(params);

  // Groups and measures, resolved against the dataset's fields.
  std::vector<Resolved> groups;
  for (size_t i = 0; i < def.groups.size(); ++i) {
    const GroupDef& g = def.groups[i];
    const std::string param = "groupBy[" + std::to_string(i) + "]";
    const ListField* f = ds->spec.find_field(g.field);
    if (f == nullptr || f->derive || f->column.empty()) {
      throw Error::Validation(
          param, "unknown field '" + g.field.substr(0, 64) + "' of dataset " + ds->name);
    }
    if (f->type == FieldType::kJsonText) {
      throw Error::Validation(param, "field '" + f->name + "' cannot be grouped");
    }
    Bucket b = g.bucket == Bucket::kPeriod ? requested_period : g.bucket;
    if (b != Bucket::kValue && f->type != FieldType::kDate) {
      throw Error::Validation(param, "a " + std::string(bucket_name(b)) +
                                         " bucket needs a date field, not '" + f->name + "'");
    }
    std::string key = !g.key.empty() ? g.key : g.bucket == Bucket::kPeriod ? "period" : f->name;
    std::string label = !g.label.empty() ? g.label : label_of(key);
    groups.push_back({f, b, std::move(key), std::move(label)});
  }
  std::vector<ResolvedMeasure> measures;
  for (size_t i = 0; i < def.measures.size(); ++i) {
    const MeasureDef& m = def.measures[i];
    const std::string param = "aggregates[" + std::to_string(i) + "]";
    const ListField* f = nullptr;
    if (!m.field.empty()) {
      f = ds->spec.find_field(m.field);
      if (f == nullptr || f->derive || f->column.empty()) {
        throw Error::Validation(param + ".field", "unknown field '" + m.field.substr(0, 64) +
                                                      "' of dataset " + ds->name);
      }
      if (m.aggregate != Aggregate::kCount && !is_numeric(f->type)) {
        throw Error::Validation(param + ".field", "field '" + f->name + "' is not a number");
      }
    } else if (m.aggregate != Aggregate::kCount) {
      throw Error::Validation(param + ".field", "is required for this aggregate");
    }
    ColumnType type = ColumnType::kInteger;
    int scale = 0;
    if (m.aggregate != Aggregate::kCount && f != nullptr) {
      type = column_type_of(f->type);
      scale = natural_scale(f->type);
      if (m.aggregate == Aggregate::kAvg && f->type == FieldType::kInt) {
        type = ColumnType::kDecimal;
        scale = 2;
      }
    }
    if (m.type) type = *m.type;
    if (m.scale) scale = *m.scale;
    measures.push_back({m, f, type, scale});
  }

  // SELECT the groups' raw values and the measures' SQL aggregates.
  std::string select;
  std::string group_by;
  for (size_t i = 0; i < groups.size(); ++i) {
    select += (select.empty() ? "" : ", ") + groups[i].field->column;
    group_by += (group_by.empty() ? "" : ", ") + groups[i].field->column;
  }
  int column = static_cast<int>(groups.size());
  for (ResolvedMeasure& m : measures) {
    m.first_sql_column = column;
    std::string expr;
    const std::string c = m.field ? m.field->column : "";
    switch (m.def.aggregate) {
      case Aggregate::kCount:
        expr = m.field ? "COUNT(" + c + ")" : "COUNT(*)";
        break;
      case Aggregate::kSum:
        expr = "CAST(SUM(" + c + ") AS BIGINT)";
        break;
      case Aggregate::kAvg:
        expr = "CAST(SUM(" + c + ") AS BIGINT), COUNT(" + c + ")";
        ++column;
        break;
      case Aggregate::kMin:
        expr = "MIN(" + c + ")";
        break;
      case Aggregate::kMax:
        expr = "MAX(" + c + ")";
        break;
    }
    ++column;
    select += (select.empty() ? "" : ", ") + expr;
  }
  if (select.empty()) select = "COUNT(*)";

  std::vector<std::string> where;
  std::vector<Value> sql_params;
  if (!ds->base_where.empty()) where.push_back(ds->base_where);
  if (const auto scope = service::tenant_scope(ctx); scope && !ds->spec.tenant.empty()) {
    add_center(*ds, *scope, where, sql_params);
  }
  if (const auto center = text_param(params, "serviceCenterId")) {
    if (ds->spec.tenant.empty()) {
      throw Error::Validation("serviceCenterId", "dataset " + ds->name + " is not per center");
    }
    add_center(*ds, *center, where, sql_params);
  }
  add_range(*ds, def, period, where, sql_params);
  std::vector<storage::Filter> filters = def.filters;
  if (params.is_object() && params.contains("filter") && !params["filter"].is_null()) {
    const storage::ListQuery q = storage::parse_list_query(Json{{"filter", params["filter"]}});
    filters.insert(filters.end(), q.filters.begin(), q.filters.end());
  }
  const storage::Condition filter = storage::filter_condition(ds->spec, filters);
  if (!filter.sql.empty()) {
    where.push_back(filter.sql);
    sql_params.insert(sql_params.end(), filter.params.begin(), filter.params.end());
  }
  std::string sql = "SELECT " + select + " FROM " + ds->spec.from;
  for (size_t i = 0; i < where.size(); ++i)
    sql += (i == 0 ? " WHERE (" : " AND (") + where[i] + ")";
  if (!group_by.empty()) sql += " GROUP BY " + group_by;
  sql += " LIMIT " + std::to_string(kMaxSqlGroups + 1);
  const storage::Rows rows = tx.query(sql, sql_params);
  if (rows.size() > kMaxSqlGroups) {
    throw Error::Validation("groupBy", "too many groups: narrow the period or the filters");
  }

  // Fold the SQL groups into the report's groups (periods, ageing buckets).
  struct Group {
    std::vector<Cell> key;
    Acc acc;
  };
  std::vector<Group> folded;
  std::map<std::string, size_t> index;
  for (const storage::Row& r : rows) {
    Group g;
    std::string signature;
    for (size_t i = 0; i < groups.size(); ++i) {
      Cell c = group_cell(groups[i], r.at(i), period.to);
      signature += (c.null ? "\x01" : c.text.empty() ? std::to_string(c.units) : c.text) + '\x00';
      g.key.push_back(std::move(c));
    }
    g.acc.value.resize(measures.size());
    g.acc.count.assign(measures.size(), 0);
    for (size_t m = 0; m < measures.size(); ++m) {
      const size_t at = static_cast<size_t>(measures[m].first_sql_column);
      if (!r.is_null(at)) g.acc.value[m] = r.i64(at);
      if (measures[m].def.aggregate == Aggregate::kAvg) g.acc.count[m] = r.i64(at + 1);
    }
    auto [it, fresh] = index.emplace(signature, folded.size());
    if (fresh) {
      folded.push_back(std::move(g));
    } else {
      merge(folded[it->second].acc, g.acc, measures);
    }
  }
  if (groups.empty() && folded.empty()) {  // no groups: always one row
    Group g;
    g.acc.value.resize(measures.size());
    g.acc.count.assign(measures.size(), 0);
    folded.push_back(std::move(g));
  }

  // Columns.
  Table table;
  table.name = def.name;
  table.title = def.title;
  table.charts = def.charts;
  for (const Resolved& g : groups) {
    table.columns.push_back({g.key, g.label, group_type(g),
                             g.bucket == Bucket::kValue ? natural_scale(g.field->type) : 0});
  }
  std::vector<size_t> shown;
  for (size_t m = 0; m < measures.size(); ++m) {
    if (measures[m].def.hidden) continue;
    shown.push_back(m);
    const MeasureDef& d = measures[m].def;
    table.columns.push_back(
        {d.key, d.label.empty() ? label_of(d.key) : d.label, measures[m].type, measures[m].scale});
  }
  struct ResolvedRatio {
    const RatioDef* def;
    size_t num;
    size_t den;
  };
  std::vector<ResolvedRatio> ratios;
  for (const RatioDef& r : def.ratios) {
    ratios.push_back({&r, measure_index(measures, r.numerator, "ratios"),
                      measure_index(measures, r.denominator, "ratios")});
    table.columns.push_back({r.key, r.label.empty() ? label_of(r.key) : r.label, r.type, r.scale});
  }
  auto figures = [&](const Acc& acc, std::vector<Cell>& out) {
    for (size_t m : shown) out.push_back(measure_cell(measures[m], acc.value[m], acc.count[m]));
    for (const ResolvedRatio& r : ratios) {
      out.push_back(ratio_cell(*r.def, raw_of(acc, r.num, measures[r.num]),
                               raw_of(acc, r.den, measures[r.den])));
    }
  };
  for (Group& g : folded) {
    std::vector<Cell> row = g.key;
    figures(g.acc, row);
    table.rows.push_back(std::move(row));
  }

  // Sort: the definition's keys, then the groups in order.
  std::vector<std::pair<size_t, bool>> order;
  if (!def.sort.empty()) {
    size_t start = 0;
    while (start <= def.sort.size()) {
      size_t comma = def.sort.find(',', start);
      std::string k =
          def.sort.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
      const bool desc = !k.empty() && k[0] == '-';
      if (desc) k.erase(0, 1);
      size_t col = table.columns.size();
      for (size_t c = 0; c < table.columns.size(); ++c) {
        if (table.columns[c].key == k) col = c;
      }
      if (col == table.columns.size()) {
        throw Error::Validation("sort", "'" + k.substr(0, 64) + "' is not a column of the report");
      }
      order.emplace_back(col, desc);
      if (comma == std::string::npos) break;
      start = comma + 1;
    }
  }
  for (size_t c = 0; c < groups.size(); ++c) order.emplace_back(c, false);
  std::stable_sort(table.rows.begin(), table.rows.end(),
                   [&](const std::vector<Cell>& a, const std::vector<Cell>& b) {
                     for (const auto& [c, desc] : order) {
                       if (cell_equal(a[c], b[c])) continue;
                       return desc ? cell_less(b[c], a[c]) : cell_less(a[c], b[c]);
                     }
                     return false;
                   });

  if (def.totals) {
    Acc all;
    all.value.resize(measures.size());
    all.count.assign(measures.size(), 0);
    for (const Group& g : folded) merge(all, g.acc, measures);
    table.totals.assign(groups.size(), Cell::none());
    figures(all, table.totals);
  }
  if (def.limit > 0 && table.rows.size() > static_cast<size_t>(def.limit)) {
    table.rows.resize(static_cast<size_t>(def.limit));
  }
  return table;
}

Report run_report(storage::Transaction& tx, const Context& ctx, std::string_view name,
                  const Json& params) {
  const ReportDef* def = nullptr;
  for (const ReportDef& d : report_definitions()) {
    if (d.name == name) def = &d;
  }
  if (def == nullptr) {
    throw Error(ErrorCode::kNotFound, "unknown report '" + std::string(name.substr(0, 100)) + "'",
                "name");
  }
  const Period period = period_of(params, ctx.now().business_date());
  Report report;
  report.name = def->name;
  report.title = def->title;
  report.generated_at = ctx.now().to_string();
  std::string scope = "All service centers";
  if (const auto center = service::tenant_scope(ctx)) {
    scope = "Service center " + *center;
  } else if (const auto c = text_param(params, "serviceCenterId")) {
    scope = "Service center " + *c;
  }
  if (const auto row = [&]() -> std::optional<storage::Row> {
        const auto c = service::tenant_scope(ctx) ? service::tenant_scope(ctx)
                                                  : text_param(params, "serviceCenterId");
        if (!c) return std::nullopt;
        return tx.query_one("SELECT name FROM service_centers WHERE id = ?", {*c});
      }()) {
    scope = row->str("name");
  }
  report.subtitle = scope + ", " + period.from.to_string() + " to " + period.to.to_string();
  for (const TableDef& t : def->tables) report.tables.push_back(run_table(tx, ctx, t, params));
  return report;
}

// ---- The custom report
// ---------------------------------------------------------------------------

Report run_custom(storage::Transaction& tx, const Context& ctx, const Json& request) {
  const auto name = text_param(request, "dataset");
  if (!name) throw Error::Validation("dataset", "is required");
  const Dataset* ds = find_dataset(*name);
  if (ds == nullptr) {
    std::string known;
    for (const Dataset& d : datasets()) known += (known.empty() ? "" : ", ") + d.name;
    throw Error::Validation(
        "dataset", "unknown dataset '" + name->substr(0, 64) + "' (one of: " + known + ")");
  }
  TableDef def;
  def.name = "custom";
  def.title = text_param(request, "title").value_or(ds->title);
  def.dataset = ds->name;
  def.totals = true;
  def.range = ds->date_field.empty() ? Range::kNone : Range::kPeriod;
  if (request.contains("groupBy") && !request["groupBy"].is_null()) {
    const Json& gs = request["groupBy"];
    if (!gs.is_array() || gs.size() > 5) {
      throw Error::Validation("groupBy", "must be a list of at most 5 fields");
    }
    for (size_t i = 0; i < gs.size(); ++i) {
      const std::string param = "groupBy[" + std::to_string(i) + "]";
      GroupDef g;
      if (gs[i].is_string()) {
        g.field = gs[i].get<std::string>();
      } else if (gs[i].is_object() && gs[i].contains("field") && gs[i]["field"].is_string()) {
        g.field = gs[i]["field"].get<std::string>();
        const std::string b = gs[i].value("bucket", std::string("value"));
        static const std::pair<const char*, Bucket> kBuckets[] = {{"value", Bucket::kValue},
                                                                  {"day", Bucket::kDay},
                                                                  {"week", Bucket::kWeek},
                                                                  {"month", Bucket::kMonth},
                                                                  {"ageing", Bucket::kAgeing}};
        bool found = false;
        for (const auto& [n, v] : kBuckets) {
          if (b == n) {
            g.bucket = v;
            found = true;
          }
        }
        if (!found) {
          throw Error::Validation(param + ".bucket", "must be value, day, week, month or ageing");
        }
        for (const auto& [k, v] : gs[i].items()) {
          if (k != "field" && k != "bucket") {
            throw Error::Validation(param + "." + k.substr(0, 64), "is not a group-by field");
          }
        }
      } else {
        throw Error::Validation(param, "must be a field name or {field, bucket}");
      }
      def.groups.push_back(std::move(g));
    }
  }
  if (!request.contains("aggregates") || !request["aggregates"].is_array() ||
      request["aggregates"].empty() || request["aggregates"].size() > 20) {
    throw Error::Validation("aggregates", "must list 1 to 20 aggregates");
  }
  std::set<std::string> keys;
  for (const GroupDef& g : def.groups) keys.insert(g.field);
  const Json& aggs = request["aggregates"];
  for (size_t i = 0; i < aggs.size(); ++i) {
    const std::string param = "aggregates[" + std::to_string(i) + "]";
    const Json& a = aggs[i];
    if (!a.is_object() || !a.contains("fn") || !a["fn"].is_string()) {
      throw Error::Validation(param + ".fn", "is required: count, sum, avg, min or max");
    }
    for (const auto& [k, v] : a.items()) {
      if (k != "fn" && k != "field" && k != "as") {
        throw Error::Validation(param + "." + k.substr(0, 64), "is not an aggregate field");
      }
      if (!v.is_string()) throw Error::Validation(param + "." + k, "must be a string");
    }
    MeasureDef m;
    const std::string fn = a["fn"];
    static const std::pair<const char*, Aggregate> kFns[] = {{"count", Aggregate::kCount},
                                                             {"sum", Aggregate::kSum},
                                                             {"avg", Aggregate::kAvg},
                                                             {"min", Aggregate::kMin},
                                                             {"max", Aggregate::kMax}};
    bool found = false;
    for (const auto& [n, v] : kFns) {
      if (fn == n) {
        m.aggregate = v;
        found = true;
      }
    }
    if (!found) throw Error::Validation(param + ".fn", "must be count, sum, avg, min or max");
    m.field = a.value("field", std::string());
    m.key = a.value("as",
                    m.field.empty() ? fn : fn + char(std::toupper(m.field[0])) + m.field.substr(1));
    if (m.key.empty() || m.key.size() > 64 || !std::all_of(m.key.begin(), m.key.end(), [](char c) {
          return std::isalnum(static_cast<unsigned char>(c)) != 0;
        })) {
      throw Error::Validation(param + ".as", "must be 1 to 64 letters and digits");
    }
    if (!keys.insert(m.key).second) {
      throw Error::Validation(param + ".as", "names a column twice: '" + m.key + "'");
    }
    def.measures.push_back(std::move(m));
  }
  if (const auto sort = text_param(request, "sort")) def.sort = *sort;
  if (request.contains("limit") && !request["limit"].is_null()) {
    if (!request["limit"].is_number_integer() || request["limit"].get<int64_t>() < 1 ||
        request["limit"].get<int64_t>() > 10000) {
      throw Error::Validation("limit", "must be 1 to 10000");
    }
    def.limit = request["limit"].get<int64_t>();
  } else {
    def.limit = 1000;
  }
  const Period period = period_of(request, ctx.now().business_date());
  Report report;
  report.name = "custom." + ds->name;
  report.title = def.title;
  report.generated_at = ctx.now().to_string();
  report.subtitle = ds->date_field.empty()
                        ? std::string("Now")
                        : period.from.to_string() + " to " + period.to.to_string();
  Json params = request;
  params.erase("groupBy");  // the custom report's own group-by, not a report period
  report.tables.push_back(run_table(tx, ctx, def, params));
  return report;
}

// ---- Catalogue and wire form
// ---------------------------------------------------------------------

std::vector<ReportInfo> report_catalog() {
  std::vector<ReportInfo> out;
  for (const ReportDef& d : report_definitions()) {
    ReportInfo info{d.name, d.title, d.category, "reports:read", {}, {}};
    bool periodic = false;
    bool grouped_by_period = false;
    for (const TableDef& t : d.tables) {
      const Dataset* ds = find_dataset(t.dataset);
      if (ds != nullptr && ds->permission == "reports:financial") info.permission = ds->permission;
      if (ds != nullptr && !ds->date_field.empty() && t.range != Range::kNone) periodic = true;
      for (const GroupDef& g : t.groups) grouped_by_period |= g.bucket == Bucket::kPeriod;
    }
    if (periodic) {
      info.parameters.push_back({"from", "date", "first day (default: the 1st of this month)"});
      info.parameters.push_back({"to", "date", "last day (default: today)"});
    }
    if (grouped_by_period) {
      info.parameters.push_back({"groupBy", "enum", "day, week or month (default month)"});
    }
    info.parameters.push_back(
        {"serviceCenterId", "id", "one service center (confined users: always their own)"});
    info.parameters.push_back({"filter", "filter", "list-query filters on the dataset's fields"});
    if (!d.tables.empty()) {
      const TableDef& t = d.tables.front();
      const Dataset* ds = find_dataset(t.dataset);
      for (const GroupDef& g : t.groups) {
        const ListField* f = ds ? ds->spec.find_field(g.field) : nullptr;
        const std::string key = !g.key.empty()                ? g.key
                                : g.bucket == Bucket::kPeriod ? "period"
                                                              : g.field;
        info.columns.push_back(
            {key, g.label.empty() ? label_of(key) : g.label,
             f && g.bucket == Bucket::kValue ? column_type_of(f->type) : ColumnType::kText, 0});
      }
      for (const MeasureDef& m : t.measures) {
        if (m.hidden) continue;
        const ListField* f = ds && !m.field.empty() ? ds->spec.find_field(m.field) : nullptr;
        ColumnType type = m.aggregate == Aggregate::kCount || f == nullptr
                              ? ColumnType::kInteger
                              : column_type_of(f->type);
        int scale = m.aggregate == Aggregate::kCount || f == nullptr ? 0 : natural_scale(f->type);
        if (m.aggregate == Aggregate::kAvg && f && f->type == FieldType::kInt) {
          type = ColumnType::kDecimal;
          scale = 2;
        }
        if (m.type) type = *m.type;
        if (m.scale) scale = *m.scale;
        info.columns.push_back({m.key, m.label.empty() ? label_of(m.key) : m.label, type, scale});
      }
      for (const RatioDef& r : t.ratios) {
        info.columns.push_back(
            {r.key, r.label.empty() ? label_of(r.key) : r.label, r.type, r.scale});
      }
    }
    out.push_back(std::move(info));
  }
  return out;
}

namespace {

const char* type_name(ColumnType t) {
  switch (t) {
    case ColumnType::kText:
      return "text";
    case ColumnType::kInteger:
      return "integer";
    case ColumnType::kMoney:
      return "money";
    case ColumnType::kDecimal:
      return "decimal";
    case ColumnType::kPercent:
      return "percent";
    case ColumnType::kDate:
      return "date";
    case ColumnType::kDateTime:
      return "datetime";
  }
  return "text";
}

const char* chart_name(ChartKind k) {
  switch (k) {
    case ChartKind::kBar:
      return "bar";
    case ChartKind::kLine:
      return "line";
    case ChartKind::kPie:
      return "pie";
  }
  return "bar";
}

Json cell_json(const Column& c, const Cell& cell) {
  if (cell.null) return nullptr;
  switch (c.type) {
    case ColumnType::kInteger:
    case ColumnType::kMoney:
    case ColumnType::kDecimal:
    case ColumnType::kPercent:
      return cell.text.empty() ? decimal_text(cell.units, c.scale) : cell.text;
    default:
      return cell.text.empty() ? std::to_string(cell.units) : cell.text;
  }
}

Json columns_json(const std::vector<Column>& columns) {
  Json out = Json::array();
  for (const Column& c : columns) {
    out.push_back(
        {{"key", c.key}, {"label", c.label}, {"type", type_name(c.type)}, {"scale", c.scale}});
  }
  return out;
}

}  // namespace

Json report_json(const Report& report) {
  Json tables = Json::array();
  for (const Table& t : report.tables) {
    Json rows = Json::array();
    for (const auto& row : t.rows) {
      Json r = Json::array();
      for (size_t i = 0; i < row.size(); ++i) r.push_back(cell_json(t.columns[i], row[i]));
      rows.push_back(std::move(r));
    }
    Json totals = Json::array();
    for (size_t i = 0; i < t.totals.size(); ++i)
      totals.push_back(cell_json(t.columns[i], t.totals[i]));
    Json charts = Json::array();
    for (const Chart& c : t.charts) {
      charts.push_back({{"kind", chart_name(c.kind)},
                        {"title", c.title},
                        {"labelColumn", c.label_column},
                        {"valueColumn", c.value_column}});
    }
    tables.push_back({{"name", t.name},
                      {"title", t.title},
                      {"columns", columns_json(t.columns)},
                      {"rows", std::move(rows)},
                      {"totals", std::move(totals)},
                      {"charts", std::move(charts)}});
  }
  return {{"name", report.name},
          {"title", report.title},
          {"subtitle", report.subtitle},
          {"generatedAt", report.generated_at},
          {"tables", std::move(tables)}};
}

}  // namespace dms::reports
