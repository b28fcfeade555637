#include "identity/listing.hpp"

#include <algorithm>
#include <cctype>

#include "dms/error.hpp"
#include "dms/time.hpp"
#include "service/request.hpp"

namespace dms::identity {
namespace {

constexpr int64_t kDefaultLimit = 20;

const ListColumn& column_named(const ListQuery& query, std::string_view field,
                               const std::string& path) {
  for (const ListColumn& c : query.columns) {
    if (field == c.field) return c;
  }
  throw Error::Validation(path,
                          "cannot sort or filter on '" + std::string(field.substr(0, 60)) + "'");
}

storage::Value filter_value(const ListColumn& column, const Json& value, const std::string& path) {
  switch (column.kind) {
    case ColumnKind::kBool:
      if (!value.is_boolean()) throw Error::Validation(path, path + " must be true or false");
      return int64_t{value.get<bool>() ? 1 : 0};
    case ColumnKind::kInteger:
      if (!value.is_number_integer()) throw Error::Validation(path, path + " must be an integer");
      return value.get<int64_t>();
    case ColumnKind::kTimestamp:
      if (!value.is_string()) throw Error::Validation(path, path + " must be a timestamp");
      return Timestamp::parse(value.get<std::string>(), path).unix_micros();
    case ColumnKind::kText:
      break;
  }
  if (!value.is_string()) throw Error::Validation(path, path + " must be a string");
  return value.get<std::string>();
}

void add_filters(ListQuery& query, const Json& filter) {
  if (filter.is_null()) return;
  if (!filter.is_object()) throw Error::Validation("filter", "filter must be an object");
  for (const auto& [field, value] : filter.items()) {
    const std::string path = "filter." + field;
    const ListColumn& column = column_named(query, field, path);
    if (value.is_null()) {
      query.where += " AND " + std::string(column.column) + " IS NULL";
    } else if (value.is_object()) {
      for (const auto& [op, bound] : value.items()) {
        const char* sql_op = op == "gte"   ? " >= ?"
                             : op == "lte" ? " <= ?"
                             : op == "gt"  ? " > ?"
                             : op == "lt"  ? " < ?"
                                           : nullptr;
        if (sql_op == nullptr) throw Error::Validation(path, path + ": unknown operator " + op);
        query.require(column.column + std::string(sql_op),
                      filter_value(column, bound, path + "." + op));
      }
    } else {
      query.require(column.column + std::string(" = ?"), filter_value(column, value, path));
    }
  }
}

std::string escaped_like_pattern(const std::string& term) {
  std::string pattern = "%";
  for (char c : term) {
    if (c == '%' || c == '_' || c == '!') pattern += '!';
    pattern += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return pattern + "%";
}

void add_search(ListQuery& query, const std::optional<std::string>& term) {
  if (!term || term->empty()) return;
  std::string any;
  for (const ListColumn& c : query.columns) {
    if (!c.searchable) continue;
    any += (any.empty() ? "" : " OR ") + std::string("LOWER(") + c.column + ") LIKE ? ESCAPE '!'";
    query.params.push_back(escaped_like_pattern(*term));
  }
  if (!any.empty()) query.where += " AND (" + any + ")";
}

std::string order_by(const ListQuery& query, const std::optional<std::string>& sort) {
  std::string order;
  size_t start = 0;
  const std::string text = sort.value_or("");
  while (start < text.size()) {
    size_t end = text.find(',', start);
    if (end == std::string::npos) end = text.size();
    std::string_view item(text.data() + start, end - start);
    const bool descending = !item.empty() && item.front() == '-';
    if (descending) item.remove_prefix(1);
    const ListColumn& column = column_named(query, item, "sort");
    order +=
        (order.empty() ? "" : ", ") + std::string(column.column) + (descending ? " DESC" : " ASC");
    start = end + 1;
  }
  if (order.empty()) order = query.default_order;
  return order + ", " + query.tie_breaker;
}

}  // namespace

Json run_list(storage::Transaction& tx, const Json& request, ListQuery query, int limit_cap,
              const std::function<Json(const storage::Row&)>& document) {
  static const Json kNoOptions = Json::object();
  // Fields keeps a reference: it must see an object that outlives it.
  const request::Fields fields(request.is_null() ? kNoOptions : request);
  const int64_t page = fields.opt_integer("page").value_or(1);
  const int64_t limit = fields.opt_integer("limit").value_or(kDefaultLimit);
  if (page < 1 || page > 1000000) throw Error::Validation("page", "page must be at least 1");
  if (limit < 1 || limit > limit_cap) {
    throw Error::Validation("limit", "limit must be between 1 and " + std::to_string(limit_cap));
  }
  add_filters(query, fields.raw("filter"));
  add_search(query, fields.opt_str("search", 200));
  const std::string order = order_by(query, fields.opt_str("sort", 200));

  const auto count = tx.query_one(
      "SELECT COUNT(*) AS n FROM " + query.table + " WHERE " + query.where, query.params);
  const int64_t total = count ? count->i64("n") : 0;
  std::vector<storage::Value> params = query.params;
  params.push_back(limit);
  params.push_back((page - 1) * limit);
  Json data = Json::array();
  for (const storage::Row& row : tx.query("SELECT * FROM " + query.table + " WHERE " + query.where +
                                              " ORDER BY " + order + " LIMIT ? OFFSET ?",
                                          params)) {
    data.push_back(document(row));
  }
  const int64_t total_pages = (total + limit - 1) / limit;
  return Json{{"data", std::move(data)},
              {"pagination",
               {{"page", page},
                {"limit", limit},
                {"total", total},
                {"totalPages", total_pages},
                {"hasNext", page < total_pages},
                {"hasPrev", page > 1}}}};
}

}  // namespace dms::identity
