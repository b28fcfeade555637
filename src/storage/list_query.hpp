// List queries: seed 002's "Global Query Parameters" (filters, search, multi-field sort, page or
// cursor pagination, field selection, relation expansion) over a per-entity whitelist.
//
// A module describes each listable entity once with a ListSpec: its FROM clause, and for every
// API field (camelCase) the SQL column behind it, its type, and whether it may be filtered,
// sorted or searched. Requests name only API fields and operators; anything not in the spec is a
// VALIDATION error naming it, and every value is parsed by the field's type (a money filter
// "100.50" is bound as 10050 paise, a timestamp "2025-01-01" as microseconds) and bound as a
// parameter. SQL text is assembled only from the spec, so requests cannot inject SQL.
//
//   static const ListSpec kJobCards = [] {
//     ListSpec s;
//     s.from = "job_cards";
//     s.default_sort = "-createdAt";
//     s.tenant_column("service_center_id");  // confines users of one center to its rows
//     s.field("id", "id", FieldType::kText)
//         .field("status", "status", FieldType::kText, kFilter | kSort)
//         .field("customerName", "customer_name", FieldType::kText, kFilter | kSearch)
//         .field("estimatedCost", "estimated_cost", FieldType::kMoney, kFilter | kSort | kNullable)
//         .field("createdAt", "created_at", FieldType::kTimestamp, kFilter | kSort);
//     s.relation(has_many("parts", "id", kJobCardParts, "jobCardId"));
//     return s;
//   }();
//   // Services answer through service::list_entity / get_entity (src/service/entity.hpp),
//   // which add the spec's tenant condition, the limit cap, fields= and expand=:
//   Json out = env.store->read([&](Transaction& tx) {
//     return service::list_entity(env, ctx, tx, kJobCards, request);
//   });
//   // {"data": [...], "pagination": {"page":1,"limit":20,"total":..,"totalPages":..,
//   //  "hasNext":..,"hasPrev":..}}   or, with a cursor: {"data": [...],
//   //  "pagination": {"limit":20,"hasNext":true,"nextCursor":"..."}}
//
// Query syntax (parse_query_string; the same as a JSON document: parse_list_query):
//   filter[status]=ACTIVE        filter[createdAt][gte]=2025-01-01     filter[status][in]=A,B
//   filter[email][isNull]=true   filter[name][contains]=sharma
//                                (operators: eq ne gt gte lt lte in contains isNull)
//   sort=status,-createdAt       page=2&limit=20       cursor=<opaque> (cursor= for page one)
//   fields=id,name               expand=vehicles,vehicles.serviceHistory&vehicles.limit=5
//   search=john doe&searchFields=name,phone
//                                (each word must occur in one of the fields, ignoring case)
// A timestamp filter given as a bare date means that whole UTC day: lte 2025-12-31 includes the
// 31st, eq 2025-12-31 is the day.
//
// Thread-safety: ListSpec and ListQuery are values (share a spec read-only across threads);
// run_list uses only the caller's Transaction.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "dms/json.hpp"
#include "storage/store.hpp"

namespace dms::storage {

// How a column is stored and shown. Storage is always exact: integers or text.
enum class FieldType {
  kText,       // TEXT -> string
  kInt,        // BIGINT -> number
  kMoney,      // BIGINT minor units -> "1234.50"
  kQuantity,   // BIGINT thousandths -> "1.5"
  kBool,       // BIGINT 0/1 -> true/false
  kTimestamp,  // BIGINT microseconds since the epoch -> "2025-01-01T10:00:00Z"
  kDate,       // TEXT "YYYY-MM-DD" -> the same
  kJsonText,   // TEXT holding a JSON document -> the document (never filtered but by isNull)
  kPercent,    // BIGINT ten-thousandths -> "18" (a GST rate)
};

enum FieldFlag : unsigned {
  kFilter = 1u,    // may appear in filter[...]
  kSort = 2u,      // may appear in sort=
  kSearch = 4u,    // searched by search= (text fields only)
  kNullable = 8u,  // may be NULL: sorts first ascending, last descending, on both engines
};

// A derived field's value from the row's other (already rendered) fields: exact arithmetic that
// SQL would do in floating point or not at all (an amount = rate x quantity, rounded).
using Derivation = std::function<Json(const Json& row)>;

struct ListField {
  std::string name;    // API name, camelCase; the key in output rows
  std::string column;  // SQL expression over the FROM clause ("jc.created_at"); empty if derived
  FieldType type;
  unsigned flags;
  std::vector<std::string> needs;  // derived fields: the fields `derive` reads
  Derivation derive;               // set for derived fields (never filtered, sorted or searched)
};

// What one expand= entry asks of a relation.
struct ExpandRequest {
  std::vector<std::string> nested;  // "vehicles.serviceHistory" -> {"serviceHistory"}
  std::optional<int64_t> limit;     // "vehicles.limit=5": at most this many per parent
  // "vehicles.serviceHistory.limit=3" -> {"serviceHistory": 3}
  std::map<std::string, int64_t> nested_limits;
};

// Attaches a relation to each row: rows[i][name] = an array, object or null. The rows contain at
// least the fields the relation declared in `needs`.
using RelationLoader =
    std::function<void(Transaction& tx, std::vector<Json>& rows, const ExpandRequest& request)>;

struct ListRelation {
  std::string name;                // "vehicles"
  std::vector<std::string> needs;  // parent fields the loader reads ("id")
  RelationLoader load;
};

// One entity's description: the single source of its list (filters, sorts, search, relations),
// of its rendered document (Get and every method that returns the record) and of its tenant
// confinement. See src/service/entity.hpp for the entry points that use it.
struct ListSpec {
  std::string from;  // "job_cards" or "job_cards jc JOIN customers c ON c.id = ..."
  std::vector<ListField> fields;
  std::string default_sort;     // "-createdAt"; empty: by the tiebreak alone
  std::string tiebreak = "id";  // a field that is unique and never NULL: stable order, cursors
  std::vector<ListRelation> relations;
  // The condition that confines a record to one service center, each '?' bound to the actor's
  // center for users confined to theirs ("j.service_center_id = ?"); empty: not confined here.
  std::string tenant;
  // Relations a single record's document always carries (Get, and the records mutations
  // return): a job card's "services" and "parts". A list shows them when expand= names them.
  std::vector<std::string> detail;
  // Reshapes each finished row (after fields= and expand=), e.g. nesting address fields into an
  // "address" object; empty: rows are shown flat.
  std::function<void(Json& row)> shape;

  ListSpec& field(std::string name, std::string column, FieldType type, unsigned flags = kFilter);
  // A field computed from `needs` (other fields of this spec) by `derive`.
  ListSpec& derived(std::string name, std::vector<std::string> needs, Derivation derive);
  ListSpec& relation(ListRelation relation);
  ListSpec& tenant_column(const std::string& column);  // tenant = column + " = ?"
  ListSpec& detail_relations(std::vector<std::string> names);
  const ListField* find_field(std::string_view name) const;
  const ListRelation* find_relation(std::string_view name) const;
};

enum class FilterOp { kEq, kNe, kGt, kGte, kLt, kLte, kIn, kContains, kIsNull };

struct Filter {
  std::string field;
  FilterOp op;
  std::vector<std::string> values;  // one, except for kIn; "true"/"false" for kIsNull
};

struct SortKey {
  std::string field;
  bool descending = false;
};

// A parsed request. Names and values are checked against a ListSpec by run_list.
struct ListQuery {
  std::vector<Filter> filters;
  std::vector<SortKey> sort;  // empty: the spec's default_sort
  std::optional<int64_t> page;
  std::optional<int64_t> limit;
  std::optional<std::string> cursor;               // set (even to ""): cursor pagination
  std::optional<std::vector<std::string>> fields;  // unset: every field
  std::vector<std::string> expand;
  std::map<std::string, int64_t> expand_limits;
  std::string search;
  std::vector<std::string> search_fields;    // empty: every searchable field
  std::map<std::string, std::string> other;  // parameters that are not list parameters
};

// "filter[status]=ACTIVE&sort=-createdAt&page=2" (with or without a leading '?'; percent- and
// '+'-decoded). Malformed syntax is Error(kValidation) naming the parameter.
ListQuery parse_query_string(std::string_view query_string);
// {"filter":{"status":"ACTIVE","createdAt":{"gte":"2025-01-01"},"type":["A","B"],
//   "email":null}, "sort":"-createdAt", "page":1, "limit":20, "fields":"id,name" (or an array),
//   "expand":"vehicles", "vehicles.limit":5, "search":"john", "searchFields":"name,phone",
//   "cursor":"..."}. Other keys are left to the caller (and copied to `other` when scalar).
ListQuery parse_list_query(const Json& request);

// A fixed SQL condition with bound values, e.g. a tenant filter {"service_center_id = ?", {sc}}.
struct Condition {
  std::string sql;
  std::vector<Value> params;
};

struct ListOptions {
  std::vector<Condition> conditions;
  int64_t max_limit = 100;  // larger requested limits are lowered to this
  int64_t default_limit = 20;
};

Json run_list(Transaction& tx, const ListSpec& spec, const ListQuery& query,
              const ListOptions& options = {});

// The condition of `filters` over `spec`, each checked exactly as run_list checks it (an unknown
// or unfilterable field, a wrong operator or a malformed value is Error(kValidation) naming
// filter[field][op]); an empty sql when there are none. For engines that aggregate over a spec
// instead of listing it (src/reports/engine.hpp).
Condition filter_condition(const ListSpec& spec, const std::vector<Filter>& filters);

// Seed 002 passes filters as plain parameters too (?status=PENDING, ?serviceCenterId=...): each
// plain parameter that names a filterable field of `spec` becomes an equality filter, exactly as
// filter[name]=value would. The rest stay in `other`.
void adopt_plain_filters(ListQuery& query, const ListSpec& spec);

// The record of a table row (SELECT * FROM the spec's table) without a query: every field whose
// column is a plain column ("a.status" or "status") is read from the row's column of that name;
// derived fields are computed. Error(kInternal) for a field the row cannot give (a join or an
// expression): such an entity renders through run_list (service::render_entity). Relations are
// not attached.
Json render_row(const ListSpec& spec, const Row& row);

// Relations built from another ListSpec. The child rows are those whose `child_key` field equals
// the parent's `parent_key` field; they honour the child spec's default sort, its own relations
// (nested expansion) and ExpandRequest::limit per parent.
// has_many attaches an array (empty when none); belongs_to an object or null. The specs must
// outlive the relation (make them static).
ListRelation has_many(std::string name, std::string parent_key, const ListSpec& child,
                      std::string child_key);
ListRelation belongs_to(std::string name, std::string parent_key, const ListSpec& target,
                        std::string target_key = "id");

}  // namespace dms::storage
