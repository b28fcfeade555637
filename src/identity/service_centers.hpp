// Service centers: the tenants of libdms. Every center-bound record carries a service center id,
// and users of center-bound roles belong to exactly one center.
//
// Thread-safety: free functions over the caller's transaction.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "dms/json.hpp"
#include "storage/list_query.hpp"
#include "storage/store.hpp"

namespace dms::identity {

// The API document of a service center, or nullopt when `id` does not exist.
std::optional<Json> find_service_center(storage::Transaction& tx, std::string_view id);

// The list description of service centers (for serviceCenters.List and expand=serviceCenter).
// Its rows carry the address fields flat; nest_address() gives them the document's shape.
const storage::ListSpec& service_center_list();
// Moves street, city, state, stateCode, zipCode and country of a list row into "address".
void nest_address(Json& center);

}  // namespace dms::identity
