// Standard base64 (RFC 4648 section 4, with padding): the JSON form of protobuf `bytes` fields
// (file contents in responses) and of stored generated files.
//
// Thread-safety: pure functions.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace dms::render {

std::string base64_encode(std::string_view bytes);
// nullopt when `text` is not padded standard base64.
std::optional<std::string> base64_decode(std::string_view text);

}  // namespace dms::render
