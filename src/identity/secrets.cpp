#include "identity/secrets.hpp"

#include <sodium.h>

#include <vector>

#include "dms/error.hpp"

namespace dms::identity {
namespace {

constexpr int kBase64Url = sodium_base64_VARIANT_URLSAFE_NO_PADDING;

const unsigned char* bytes_of(std::string_view s) {
  return reinterpret_cast<const unsigned char*>(s.data());
}

std::string hmac_sha256(std::string_view message, std::string_view secret) {
  crypto_auth_hmacsha256_state state;
  crypto_auth_hmacsha256_init(&state, bytes_of(secret), secret.size());
  crypto_auth_hmacsha256_update(&state, bytes_of(message), message.size());
  unsigned char mac[crypto_auth_hmacsha256_BYTES];
  crypto_auth_hmacsha256_final(&state, mac);
  return std::string(reinterpret_cast<const char*>(mac), sizeof mac);
}

}  // namespace

void ensure_sodium() {
  if (sodium_init() < 0) throw Error::Internal("libsodium failed to initialise");
}

std::string random_token(size_t bytes) {
  ensure_sodium();
  std::string raw(bytes, '\0');
  randombytes_buf(raw.data(), raw.size());
  return base64url_encode(raw);
}

std::string token_digest(std::string_view token) {
  ensure_sodium();
  unsigned char digest[32];
  crypto_generichash(digest, sizeof digest, bytes_of(token), token.size(), nullptr, 0);
  char hex[sizeof digest * 2 + 1];
  sodium_bin2hex(hex, sizeof hex, digest, sizeof digest);
  return hex;
}

bool constant_time_equal(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  if (a.empty()) return true;
  return sodium_memcmp(a.data(), b.data(), a.size()) == 0;
}

std::string base64url_encode(std::string_view bytes) {
  ensure_sodium();
  std::string out(sodium_base64_ENCODED_LEN(bytes.size(), kBase64Url), '\0');
  sodium_bin2base64(out.data(), out.size(), bytes_of(bytes), bytes.size(), kBase64Url);
  out.resize(out.size() - 1);  // the terminating NUL
  return out;
}

std::optional<std::string> base64url_decode(std::string_view text) {
  ensure_sodium();
  std::string out(text.size(), '\0');
  size_t length = 0;
  const char* end = nullptr;
  if (sodium_base642bin(reinterpret_cast<unsigned char*>(out.data()), out.size(), text.data(),
                        text.size(), nullptr, &length, &end, kBase64Url) != 0 ||
      end != text.data() + text.size()) {
    return std::nullopt;
  }
  out.resize(length);
  return out;
}

std::string jwt_sign(const Json& claims, std::string_view secret) {
  static const std::string header = base64url_encode(R"({"alg":"HS256","typ":"JWT"})");
  const std::string signing_input = header + "." + base64url_encode(claims.dump());
  return signing_input + "." + base64url_encode(hmac_sha256(signing_input, secret));
}

std::optional<Json> jwt_verify(std::string_view token, std::string_view secret) {
  if (token.size() > 8192) return std::nullopt;
  const size_t first_dot = token.find('.');
  const size_t last_dot = token.rfind('.');
  if (first_dot == std::string_view::npos || first_dot == last_dot) return std::nullopt;
  const auto header_text = base64url_decode(token.substr(0, first_dot));
  const auto signature = base64url_decode(token.substr(last_dot + 1));
  if (!header_text || !signature) return std::nullopt;
  const Json header = Json::parse(*header_text, nullptr, /*allow_exceptions=*/false);
  // Only HS256: "none" and every other algorithm are refused before any other work.
  if (!header.is_object() || header.value("alg", "") != "HS256") return std::nullopt;
  const std::string_view signing_input = token.substr(0, last_dot);
  if (!constant_time_equal(hmac_sha256(signing_input, secret), *signature)) return std::nullopt;
  const auto payload_text = base64url_decode(token.substr(first_dot + 1, last_dot - first_dot - 1));
  if (!payload_text) return std::nullopt;
  Json claims = Json::parse(*payload_text, nullptr, /*allow_exceptions=*/false);
  if (!claims.is_object()) return std::nullopt;
  return claims;
}

}  // namespace dms::identity
