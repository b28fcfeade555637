// Small cryptographic building blocks of the identity module, all over libsodium: random
// tokens, token digests for storage, constant-time comparison, base64url and HS256 JWTs.
//
// Why opaque tokens are stored as digests: refresh and reset tokens are 256-bit random values, so
// a fast keyless hash (BLAKE2b) is enough to make a stolen table useless; no salt or slow hash is
// needed for values nobody can guess.
//
// Thread-safety: pure functions; libsodium is initialised once, thread-safely.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "dms/json.hpp"

namespace dms::identity {

// Initialises libsodium (idempotent). Error(kInternal) when it cannot.
void ensure_sodium();

// A new random token of `bytes` random bytes, base64url without padding.
std::string random_token(size_t bytes = 32);
// The hex BLAKE2b-256 digest of a token: what the database stores in place of the token.
std::string token_digest(std::string_view token);
// Equality in time independent of where the inputs differ (lengths are not secret).
bool constant_time_equal(std::string_view a, std::string_view b);

std::string base64url_encode(std::string_view bytes);
// nullopt when `text` is not valid unpadded base64url.
std::optional<std::string> base64url_decode(std::string_view text);

// JSON Web Tokens signed with HMAC-SHA256 (RFC 7519, alg "HS256" only).
std::string jwt_sign(const Json& claims, std::string_view secret);
// The claims of a token whose header says HS256 and whose signature verifies; nullopt for any
// other token (malformed, other algorithm, bad signature). Expiry is the caller's check.
std::optional<Json> jwt_verify(std::string_view token, std::string_view secret);

}  // namespace dms::identity
