#include "service/entity.hpp"

#include <algorithm>

#include "dms/error.hpp"

namespace dms::service {
namespace {

storage::ListQuery single_record(const storage::ListSpec& spec, const std::string& id) {
  storage::ListQuery query;
  query.filters.push_back({"id", storage::FilterOp::kEq, {id}});
  query.limit = 1;
  query.cursor = "";  // no COUNT(*)
  for (const std::string& name : spec.detail) query.expand.push_back(name);
  return query;
}

Json only_row(Json page, std::string_view entity, const std::string& id) {
  if (page["data"].empty()) {
    throw Error(ErrorCode::kNotFound,
                std::string(entity) + " '" + id.substr(0, 100) + "' not found", "id");
  }
  return std::move(page["data"][0]);
}

}  // namespace

std::vector<storage::Condition> tenant_conditions(const Context& ctx,
                                                  const storage::ListSpec& spec) {
  if (spec.tenant.empty()) return {};
  auto scope = tenant_scope(ctx);
  if (!scope) return {};
  const auto placeholders = std::count(spec.tenant.begin(), spec.tenant.end(), '?');
  return {storage::Condition{
      spec.tenant, std::vector<storage::Value>(static_cast<size_t>(placeholders), *scope)}};
}

Json list_entity(Env& env, const Context& ctx, storage::Transaction& tx,
                 const storage::ListSpec& spec, const Json& request,
                 std::vector<storage::Condition> conditions) {
  storage::ListQuery query = storage::parse_list_query(request);
  storage::adopt_plain_filters(query, spec);
  storage::ListOptions options;
  options.conditions = tenant_conditions(ctx, spec);
  for (storage::Condition& c : conditions) options.conditions.push_back(std::move(c));
  options.max_limit = env.settings.list_limit_cap;
  return storage::run_list(tx, spec, query, options);
}

Json get_entity(Env& env, storage::Transaction& tx, const storage::ListSpec& spec,
                const std::string& id, std::string_view entity, const Json& request,
                std::vector<storage::Condition> conditions) {
  (void)env;
  storage::ListQuery query = single_record(spec, id);
  if (request.is_object()) {
    const storage::ListQuery asked = storage::parse_list_query(request);
    query.fields = asked.fields;
    for (const std::string& path : asked.expand) {
      if (std::find(query.expand.begin(), query.expand.end(), path) == query.expand.end()) {
        query.expand.push_back(path);
      }
    }
    query.expand_limits = asked.expand_limits;
  }
  storage::ListOptions options;
  options.conditions = std::move(conditions);
  options.max_limit = 1;
  return only_row(storage::run_list(tx, spec, query, options), entity, id);
}

Json render_entity(storage::Transaction& tx, const storage::ListSpec& spec, const std::string& id,
                   std::string_view entity) {
  storage::ListOptions options;
  options.max_limit = 1;
  return only_row(storage::run_list(tx, spec, single_record(spec, id), options), entity, id);
}

}  // namespace dms::service
