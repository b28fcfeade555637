// auditLogs.List / Get / Verify. Reading needs audit_logs:read (admin; seed defaults also give
// it to the service-center manager, who sees only their own center's rows); verifying the chain
// needs audit_logs:verify (admin).
#include "audit/audit.hpp"
#include "dms/error.hpp"
#include "service/request.hpp"
#include "service/service.hpp"
#include "storage/list_query.hpp"

namespace dms::audit {
namespace {

Json text_or_null(const storage::Row& row, const char* column) {
  auto value = row.opt_str(column);
  return value ? Json(*value) : Json();
}

Json parsed_values(const std::string& text) {
  Json values = Json::parse(text, nullptr, /*allow_exceptions=*/false);
  return values.is_discarded() ? Json(text) : values;
}

Json document_of(const storage::Row& row) {
  return Json{{"id", row.str("id")},
              {"seq", row.i64("seq")},
              {"timestamp", Timestamp::from_unix_micros(row.i64("created_at")).to_string()},
              {"userId", text_or_null(row, "user_id")},
              {"userName", row.str("user_name")},
              {"userRole", row.str("user_role")},
              {"action", row.str("action")},
              {"entityType", row.str("entity_type")},
              {"entityId", row.str("entity_id")},
              {"oldValues", parsed_values(row.str("old_values"))},
              {"newValues", parsed_values(row.str("new_values"))},
              {"serviceCenterId", text_or_null(row, "service_center_id")},
              {"requestId", row.str("request_id")},
              {"ipAddress", row.str("ip_address")},
              {"userAgent", row.str("user_agent")},
              {"prevHash", row.str("prev_hash")},
              {"hash", row.str("hash")}};
}

const storage::ListSpec& audit_log_list() {
  static const storage::ListSpec spec = [] {
    using storage::FieldType;
    constexpr unsigned kFilterSort = storage::kFilter | storage::kSort;
    storage::ListSpec s;
    s.from = "audit_logs";
    s.default_sort = "-seq";
    s.tiebreak = "seq";
    s.field("id", "id", FieldType::kText)
        .field("seq", "seq", FieldType::kInt, kFilterSort)
        .field("timestamp", "created_at", FieldType::kTimestamp, kFilterSort)
        .field("userId", "user_id", FieldType::kText, storage::kFilter | storage::kNullable)
        .field("userName", "user_name", FieldType::kText, kFilterSort | storage::kSearch)
        .field("userRole", "user_role", FieldType::kText)
        .field("action", "action", FieldType::kText, kFilterSort)
        .field("entityType", "entity_type", FieldType::kText, kFilterSort)
        .field("entityId", "entity_id", FieldType::kText, storage::kFilter | storage::kSearch)
        .field("oldValues", "old_values", FieldType::kJsonText, 0)
        .field("newValues", "new_values", FieldType::kJsonText, 0)
        .field("serviceCenterId", "service_center_id", FieldType::kText,
               storage::kFilter | storage::kNullable)
        .field("requestId", "request_id", FieldType::kText)
        .field("ipAddress", "ip_address", FieldType::kText)
        .field("userAgent", "user_agent", FieldType::kText)
        .field("prevHash", "prev_hash", FieldType::kText, 0)
        .field("hash", "hash", FieldType::kText, 0);
    return s;
  }();
  return spec;
}

Json list_logs(Env& env, const Context& ctx, const Json& req) {
  ctx.require("audit_logs:read");
  storage::ListOptions options;
  options.max_limit = env.settings.list_limit_cap;
  if (auto scope = service::tenant_scope(ctx)) {
    options.conditions.push_back({"service_center_id = ?", {*scope}});
  }
  return env.store->read([&](storage::Transaction& tx) {
    return storage::run_list(tx, audit_log_list(), storage::parse_list_query(req), options);
  });
}

Json get_log(Env& env, const Context& ctx, const Json& req) {
  ctx.require("audit_logs:read");
  const std::string id = request::Fields(req).str("id", 1, 64);
  return env.store->read([&](storage::Transaction& tx) {
    const auto row = tx.query_one("SELECT * FROM audit_logs WHERE id = ?", {id});
    if (!row) throw Error::NotFound("audit_log", id);
    service::require_in_scope(ctx, row->opt_str("service_center_id"), "audit_log", id);
    return document_of(*row);
  });
}

Json verify_logs(Env& env, const Context& ctx, const Json&) {
  ctx.require("audit_logs:verify");
  const ChainCheck check =
      env.store->read([&](storage::Transaction& tx) { return verify_chain(tx); });
  return Json{{"ok", check.ok},
              {"rows", check.rows},
              {"firstBadSeq", check.ok ? Json() : Json(check.first_bad_seq)},
              {"reason", check.reason},
              {"headHash", check.head_hash}};
}

const service::MethodRegistration kList("auditLogs.List", list_logs, audit_log_list);
const service::MethodRegistration kGet("auditLogs.Get", get_log);
const service::MethodRegistration kVerify("auditLogs.Verify", verify_logs);

}  // namespace
}  // namespace dms::audit
