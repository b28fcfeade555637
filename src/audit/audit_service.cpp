// auditLogs.List / Get / Verify. Reading needs audit_logs:read (admin; seed defaults also give
// it to the service-center manager, who sees only their own center's rows); verifying the chains
// needs audit_logs:verify (admin). List orders by seq (across chains, in append order); each row
// also names its chain and its position in it (chainId, chainSeq).
#include "audit/audit.hpp"
#include "dms/error.hpp"
#include "service/entity.hpp"
#include "service/request.hpp"
#include "service/service.hpp"
#include "storage/list_query.hpp"

namespace dms::audit {
namespace {

const storage::ListSpec& audit_log_list() {
  static const storage::ListSpec spec = [] {
    using storage::FieldType;
    constexpr unsigned kFilterSort = storage::kFilter | storage::kSort;
    storage::ListSpec s;
    s.from = "audit_logs";
    s.default_sort = "-seq";
    s.tiebreak = "seq";
    s.tenant_column("service_center_id");
    s.field("id", "id", FieldType::kText)
        .field("seq", "seq", FieldType::kInt, kFilterSort)
        .field("chainId", "chain_id", FieldType::kText, storage::kFilter)
        .field("chainSeq", "chain_seq", FieldType::kInt, kFilterSort)
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
  return env.store->read([&](storage::Transaction& tx) {
    return service::list_entity(env, ctx, tx, audit_log_list(), req);
  });
}

Json get_log(Env& env, const Context& ctx, const Json& req) {
  ctx.require("audit_logs:read");
  const std::string id = request::Fields(req).str("id", 1, 64);
  return env.store->read([&](storage::Transaction& tx) {
    const auto row = tx.query_one("SELECT * FROM audit_logs WHERE id = ?", {id});
    if (!row) throw Error::NotFound("audit_log", id);
    service::require_in_scope(ctx, row->opt_str("service_center_id"), "audit_log", id);
    return service::get_entity(env, tx, audit_log_list(), id, "audit_log", req);
  });
}

Json chain_document(const ChainCheck& check) {
  return Json{{"chainId", check.chain_id},
              {"ok", check.ok},
              {"rows", check.rows},
              {"firstBadSeq", check.ok ? Json() : Json(check.first_bad_seq)},
              {"firstBadId", check.first_bad_id.empty() ? Json() : Json(check.first_bad_id)},
              {"reason", check.reason},
              {"headHash", check.head_hash}};
}

Json verify_logs(Env& env, const Context& ctx, const Json&) {
  ctx.require("audit_logs:verify");
  const AuditCheck check =
      env.store->read([&](storage::Transaction& tx) { return verify_chains(tx); });
  Json chains = Json::array();
  for (const ChainCheck& chain : check.chains) chains.push_back(chain_document(chain));
  return Json{{"ok", check.ok},
              {"rows", check.rows},
              {"firstBadChain", check.ok ? Json() : Json(check.first_bad_chain)},
              {"firstBadSeq", check.ok ? Json() : Json(check.first_bad_seq)},
              {"firstBadId", check.first_bad_id.empty() ? Json() : Json(check.first_bad_id)},
              {"reason", check.reason},
              {"headHash", check.head_hash},
              {"chains", chains}};
}

const service::MethodRegistration kList("auditLogs.List", list_logs, audit_log_list);
const service::MethodRegistration kGet("auditLogs.Get", get_log);
const service::MethodRegistration kVerify("auditLogs.Verify", verify_logs);

}  // namespace
}  // namespace dms::audit
