// The list specifications of the workshop's records for storage's list-query engine
// (src/storage/list_query.hpp: seed 002's filter, sort, search, page or cursor, fields and
// expand parameters). Each spec's fields are the API fields of the record's document; the
// relations make expand= work (customers?expand=vehicles.serviceHistory, jobCards?expand=parts).
//
// Thread-safety: the specs are immutable statics, built on first use.
#pragma once

#include <string>
#include <vector>

#include "dms/context.hpp"
#include "dms/json.hpp"
#include "service/service.hpp"
#include "storage/list_query.hpp"

namespace dms::workshop {

const storage::ListSpec& customer_list_spec();         // relation: vehicles
const storage::ListSpec& vehicle_list_spec();          // relations: customer, serviceHistory
const storage::ListSpec& service_history_list_spec();  // one row per job card of a vehicle
const storage::ListSpec& service_request_list_spec();
const storage::ListSpec& appointment_list_spec();
const storage::ListSpec& job_card_list_spec();  // relations: customer, vehicle, services, parts
const storage::ListSpec& parts_request_list_spec();  // relation: lines

// `column` = the actor's service center for users confined to theirs; nothing otherwise.
std::vector<storage::Condition> tenant_condition(const Context& ctx, const std::string& column);

// Parses the request's list parameters and runs the list with the database's limit cap.
Json run_request_list(Env& env, storage::Transaction& tx, const storage::ListSpec& spec,
                      const Json& request, std::vector<storage::Condition> conditions = {});

// One record by id through `spec`, honouring the request's fields= and expand= (with limits such
// as "vehicles.limit"): seed 002's GET /customers/{id}?expand=vehicles.serviceHistory.
// NOT_FOUND naming "id" when the spec has no such row.
Json run_request_get(Env& env, storage::Transaction& tx, const storage::ListSpec& spec,
                     const std::string& id, std::string_view entity, const Json& request);

}  // namespace dms::workshop
