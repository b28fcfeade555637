// The document type of the service API: nlohmann::json.
//
// Requests and responses of every service are JSON documents shaped exactly like seed 002's API
// contract (camelCase field names; money, quantities and rates as decimal strings; timestamps as
// RFC 3339 strings). See docs/decisions/0003-service-api.md.
#pragma once

#include <nlohmann/json.hpp>

namespace dms {
using Json = nlohmann::json;
}  // namespace dms
