// auditLogs.List / Get / Verify. Reading needs audit_logs:read (admin; seed defaults also give
// it to the service-center manager, who sees only their own center's rows); verifying the chain
// needs audit_logs:verify (admin).
#include "audit/audit.hpp"
#include "dms/error.hpp"
#include "identity/listing.hpp"
#include "service/request.hpp"
#include "service/service.hpp"

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

Json list_logs(Env& env, const Context& ctx, const Json& req) {
  ctx.require("audit_logs:read");
  using identity::ColumnKind;
  identity::ListQuery query;
  query.table = "audit_logs";
  query.columns = {{"seq", "seq", ColumnKind::kInteger},
                   {"timestamp", "created_at", ColumnKind::kTimestamp},
                   {"userId", "user_id", ColumnKind::kText},
                   {"userName", "user_name", ColumnKind::kText, true},
                   {"action", "action", ColumnKind::kText},
                   {"entityType", "entity_type", ColumnKind::kText},
                   {"entityId", "entity_id", ColumnKind::kText, true},
                   {"serviceCenterId", "service_center_id", ColumnKind::kText},
                   {"requestId", "request_id", ColumnKind::kText}};
  query.default_order = "seq DESC";
  query.tie_breaker = "id";
  if (auto scope = service::tenant_scope(ctx)) query.require("service_center_id = ?", *scope);
  return env.store->read([&](storage::Transaction& tx) {
    return identity::run_list(tx, req, query, env.settings.list_limit_cap, document_of);
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

const service::MethodRegistration kList("auditLogs.List", list_logs);
const service::MethodRegistration kGet("auditLogs.Get", get_log);
const service::MethodRegistration kVerify("auditLogs.Verify", verify_logs);

}  // namespace
}  // namespace dms::audit
