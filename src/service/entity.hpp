// The entry points every entity's Get and List go through, over its one description (a
// storage::ListSpec: table, fields with column, JSON name, type and flags, relations, detail
// relations and tenant column). A record's document comes only from its description, so a Get,
// a List row and the record a mutation returns cannot disagree.
//
//   Json list_suppliers(Env& env, const Context& ctx, const Json& req) {
//     ctx.require("suppliers:read");
//     return env.store->read([&](storage::Transaction& tx) {
//       return service::list_entity(env, ctx, tx, supplier_list_spec(), req);
//     });
//   }
//
// Thread-safety: free functions over the caller's transaction.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "dms/context.hpp"
#include "dms/json.hpp"
#include "service/service.hpp"
#include "storage/list_query.hpp"

namespace dms::service {

// The spec's tenant condition bound to the actor's center, for users confined to theirs; nothing
// for those who see every center or when the spec declares no tenant.
std::vector<storage::Condition> tenant_conditions(const Context& ctx,
                                                  const storage::ListSpec& spec);

// Every list method: the request's list parameters (filter[...], plain parameters naming a
// filterable field, sort, page/cursor, fields, expand, search) over `spec`, confined by the
// spec's tenant column and `conditions`, with the database's limit cap (Settings::list_limit_cap).
Json list_entity(Env& env, const Context& ctx, storage::Transaction& tx,
                 const storage::ListSpec& spec, const Json& request,
                 std::vector<storage::Condition> conditions = {});

// Every Get method: the record whose "id" field is `id`, as a list row with the spec's detail
// relations, honouring the request's fields= and expand= (and limits such as "vehicles.limit").
// NOT_FOUND naming "id" (entity, id) when no such row satisfies `conditions`. Visibility beyond
// `conditions` is the caller's (require_visible before this call).
Json get_entity(Env& env, storage::Transaction& tx, const storage::ListSpec& spec,
                const std::string& id, std::string_view entity, const Json& request,
                std::vector<storage::Condition> conditions = {});

// The record as Get shows it (detail relations included), for methods that return the record
// they changed. NOT_FOUND (entity, id) when absent.
Json render_entity(storage::Transaction& tx, const storage::ListSpec& spec, const std::string& id,
                   std::string_view entity);

}  // namespace dms::service
