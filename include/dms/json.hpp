// The document type of the service API: nlohmann::json.
//
// Requests and responses of every service are JSON documents shaped exactly like seed 002's API
// contract (camelCase field names; money, quantities and rates as decimal strings; timestamps as
// RFC 3339 strings). See docs/decisions/0003-service-api.md.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

namespace dms {
using Json = nlohmann::json;

// The compact text of `document`: byte for byte what document.dump(-1, ' ', false,
// Json::error_handler_t::replace) writes (UTF-8 kept as it is, control characters escaped,
// invalid UTF-8 replaced by U+FFFD), written faster: runs of plain characters are copied at
// once. Every JSON text the C ABI hands out is written by it.
std::string json_text(const Json& document);
// The same, appended to `out`.
void append_json_text(std::string& out, const Json& document);
}  // namespace dms
