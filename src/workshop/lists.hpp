// The descriptions of the workshop's records (storage/list_query.hpp ListSpec): one per entity,
// the only source of its list (seed 002's filter, sort, search, page or cursor, fields and
// expand parameters), of its rendered document (Get and the records mutations return, through
// service/entity.hpp) and of its tenant column. The relations make expand= work
// (customers?expand=vehicles.serviceHistory, jobCards?expand=parts).
//
// Thread-safety: the specs are immutable statics, built on first use.
#pragma once

#include "storage/list_query.hpp"

namespace dms::workshop {

const storage::ListSpec& customer_list_spec();         // relation: vehicles
const storage::ListSpec& vehicle_list_spec();          // relations: customer, serviceHistory
const storage::ListSpec& service_history_list_spec();  // one row per job card of a vehicle
const storage::ListSpec& service_request_list_spec();
const storage::ListSpec& appointment_list_spec();
// Relations: customer, vehicle, services, parts; a job card's document always has services and
// parts (its detail relations).
const storage::ListSpec& job_card_list_spec();
const storage::ListSpec& parts_request_list_spec();  // relation (and detail): lines

}  // namespace dms::workshop
