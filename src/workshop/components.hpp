// A vehicle's graphical component data (seed 000 section 4.13): components with a status, a
// service interval and dates, open and resolved issues, and a service history linked to job
// cards. Completing a job card records the components it serviced through
// record_component_service().
//
// Thread-safety: free functions over the caller's transaction.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "dms/context.hpp"
#include "dms/json.hpp"
#include "dms/money.hpp"
#include "dms/time.hpp"
#include "service/request.hpp"
#include "storage/store.hpp"

namespace dms::workshop {

// One component serviced on a job card.
struct ComponentService {
  std::string component_id;
  std::string status = "healthy";  // healthy, warning, critical, unknown
  std::optional<std::string> description;
  Money cost;
  std::vector<std::string> resolved_issue_ids;  // issues of this component the work resolved
};

// Reads {componentId, status?, description?, cost?, resolvedIssueIds?}; VALIDATION naming the
// field.
ComponentService read_component_service(const request::Fields& f);

// Sets the component's status and last service date (and the next one from its interval),
// appends a history row linked to the job card and resolves the listed issues. NOT_FOUND
// naming `field` when the component is not the vehicle's.
void record_component_service(storage::Transaction& tx, const Context& ctx,
                              const std::string& vehicle_id, const std::string& job_card_id,
                              const std::string& service_type, Date date,
                              const ComponentService& service, const std::string& field);

// {vehicleId, components: [...], lastUpdated}: every component with its issues and history.
Json components_document(storage::Transaction& tx, const std::string& vehicle_id);

}  // namespace dms::workshop
