// What other modules need of service requests: creating one inside the caller's transaction (a
// sales quotation accepted as a service request).
//
// Thread-safety: free functions over the caller's transaction.
#pragma once

#include <optional>
#include <string>

#include "dms/context.hpp"
#include "dms/json.hpp"
#include "dms/money.hpp"
#include "dms/time.hpp"
#include "storage/store.hpp"

namespace dms::workshop {

struct ServiceRequestDraft {
  std::string center_id;
  std::string customer_id;
  std::string vehicle_id;
  std::string request_type = "service";  // service | home_service
  std::string service_type = "regular";  // regular | repair | inspection | emergency
  std::string priority = "medium";
  std::string location = "service_station";  // service_station | home
  std::optional<std::string> address;
  std::optional<Date> preferred_date;
  std::optional<std::string> preferred_time;
  std::optional<Money> estimated_cost;
  std::optional<std::string> description;
};

// Stores a PENDING service request (audited, with its event) and returns its document.
// NOT_FOUND for an unknown center, customer or vehicle; VALIDATION when the vehicle is not the
// customer's.
Json insert_service_request(storage::Transaction& tx, const Context& ctx,
                            const ServiceRequestDraft& draft);

}  // namespace dms::workshop
