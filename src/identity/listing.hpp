// Paged lists of the identity module's tables (users, service centers, audit logs), in seed
// 002's shape: {data: [...], pagination: {page, limit, total, totalPages, hasNext, hasPrev}}.
//
// Request fields: page (from 1), limit (1..Settings::list_limit_cap, default 20), sort
// ("name,-createdAt"), filter ({field: value} for equality, {field: {gte, lte}} for ranges) and
// search (a case-insensitive substring of the searchable columns). Only declared columns can be
// sorted, filtered or searched; anything else is VALIDATION naming the field.
// TODO(storage list engine): switch to the shared list-query engine when it lands on main.
//
// Thread-safety: free functions over the caller's transaction.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "dms/json.hpp"
#include "storage/store.hpp"

namespace dms::identity {

enum class ColumnKind { kText, kBool, kInteger, kTimestamp };

struct ListColumn {
  const char* field;   // API name: "createdAt"
  const char* column;  // SQL column: "created_at"
  ColumnKind kind;
  bool searchable = false;
};

struct ListQuery {
  std::string table;
  std::vector<ListColumn> columns;  // what may be sorted and filtered
  std::string default_order;        // "created_at DESC"
  std::string tie_breaker;          // a unique column, for stable pages: "id"
  std::string where = "1 = 1";      // fixed conditions (tenant scope), AND-ed with filters
  std::vector<storage::Value> params;

  void require(const std::string& condition, storage::Value value) {
    where += " AND " + condition;
    params.push_back(std::move(value));
  }
};

Json run_list(storage::Transaction& tx, const Json& request, ListQuery query, int limit_cap,
              const std::function<Json(const storage::Row&)>& document);

}  // namespace dms::identity
