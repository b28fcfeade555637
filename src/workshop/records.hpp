// Loading customers and vehicles, and their response documents: shared by the customer, vehicle,
// job-card and billing services.
//
// Thread-safety: free functions over the caller's transaction.
#pragma once

#include <string>
#include <string_view>

#include "dms/json.hpp"
#include "storage/store.hpp"
#include "workshop/workflows.hpp"

namespace dms::workshop {

// A customer that is not deleted; NOT_FOUND naming `field` otherwise. `lock` adds FOR UPDATE.
storage::Row load_customer(storage::Transaction& tx, const std::string& id,
                           std::string_view field = "id", bool lock = false);
// NOT_FOUND naming `field` when the vehicle does not exist.
storage::Row load_vehicle(storage::Transaction& tx, const std::string& id,
                          std::string_view field = "id", bool lock = false);

// Both exist and the vehicle is the customer's: NOT_FOUND naming customerId or vehicleId, or
// VALIDATION on vehicleId when the vehicle belongs to someone else. Returns the vehicle.
storage::Row require_vehicle_of_customer(storage::Transaction& tx, const std::string& customer_id,
                                         const std::string& vehicle_id, bool lock_vehicle = false);

// Seed 002 section 4's customer document.
Json customer_json(const storage::Row& row);
// Seed 002 section 5's vehicle document.
Json vehicle_json(const storage::Row& row);

// The vehicles of each customer in `customers` (documents with "id"), added as "vehicles".
void expand_vehicles(storage::Transaction& tx, Json& customers);

// Whether the request's "expand" (a comma-separated string or an array) names `relation`.
bool wants_expansion(const Json& request, std::string_view relation);

inline constexpr const char* kVehicleAvailable = kVehicleFlow.name(VehicleStatus::kAvailable);
inline constexpr const char* kVehicleActiveJobCard =
    kVehicleFlow.name(VehicleStatus::kActiveJobCard);

}  // namespace dms::workshop
