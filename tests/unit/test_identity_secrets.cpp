// The identity module's pure parts: HS256 JWTs, base64url, token digests, the password policy,
// Argon2id hashing and temporary passwords.
#include <catch2/catch.hpp>
#include <set>

#include "dms/context.hpp"
#include "dms/error.hpp"
#include "identity/passwords.hpp"
#include "identity/secrets.hpp"

using namespace dms::identity;
using dms::Json;

namespace {
constexpr PasswordCost kCheap{1, 8192};
}

TEST_CASE("identity unit: base64url round trips without padding") {
  for (const std::string text : {"", "f", "fo", "foo", "foob", "\xff\xfe\x00"}) {
    const std::string encoded = base64url_encode(text);
    CHECK(encoded.find('=') == std::string::npos);
    CHECK(base64url_decode(encoded) == text);
  }
  CHECK(base64url_encode("\xfb\xff") == "-_8");
  CHECK_FALSE(base64url_decode("a+b/").has_value());
  CHECK_FALSE(base64url_decode("Zm9v=").has_value());
}

TEST_CASE("identity unit: HS256 tokens verify only with the right key and algorithm") {
  const Json claims = {{"sub", "u1"}, {"exp", 100}};
  const std::string token = jwt_sign(claims, "key-1");
  CHECK(std::count(token.begin(), token.end(), '.') == 2);
  REQUIRE(jwt_verify(token, "key-1").has_value());
  CHECK(*jwt_verify(token, "key-1") == claims);
  CHECK_FALSE(jwt_verify(token, "key-2").has_value());
  CHECK_FALSE(jwt_verify(token + "x", "key-1").has_value());
  CHECK_FALSE(jwt_verify(token.substr(0, token.rfind('.')), "key-1").has_value());

  // Payload swapped under the original signature.
  const std::string forged_payload = base64url_encode(Json{{"sub", "admin"}, {"exp", 100}}.dump());
  const size_t first = token.find('.');
  const size_t last = token.rfind('.');
  const std::string forged = token.substr(0, first + 1) + forged_payload + token.substr(last);
  CHECK_FALSE(jwt_verify(forged, "key-1").has_value());

  // alg "none" and other algorithms are refused even with an empty or matching signature.
  const std::string none = base64url_encode(R"({"alg":"none","typ":"JWT"})") + "." +
                           base64url_encode(claims.dump()) + ".";
  CHECK_FALSE(jwt_verify(none, "key-1").has_value());
  const std::string hs512 =
      base64url_encode(R"({"alg":"HS512","typ":"JWT"})") + "." + base64url_encode(claims.dump());
  CHECK_FALSE(jwt_verify(hs512 + "." + token.substr(last + 1), "key-1").has_value());
  CHECK_FALSE(jwt_verify("", "key-1").has_value());
  CHECK_FALSE(jwt_verify("...", "key-1").has_value());
}

TEST_CASE("identity unit: opaque tokens are random and stored as digests") {
  std::set<std::string> tokens;
  for (int i = 0; i < 100; ++i) tokens.insert(random_token());
  CHECK(tokens.size() == 100);
  CHECK(random_token().size() == 43);  // 32 bytes
  CHECK(token_digest("abc") == token_digest("abc"));
  CHECK(token_digest("abc") != token_digest("abd"));
  CHECK(token_digest("abc").size() == 64);
  CHECK(constant_time_equal("same", "same"));
  CHECK_FALSE(constant_time_equal("same", "sane"));
  CHECK_FALSE(constant_time_equal("same", "same!"));
}

TEST_CASE("identity unit: password policy") {
  CHECK_NOTHROW(check_password_policy("abcdefg1", "password"));
  CHECK_NOTHROW(check_password_policy("Pass word 2025!", "password"));
  for (const char* weak : {"abc1", "abcdefgh", "12345678", "", "        "}) {
    INFO(weak);
    try {
      check_password_policy(weak, "newPassword");
      FAIL("accepted");
    } catch (const dms::Error& e) {
      CHECK(e.code() == dms::ErrorCode::kValidation);
      CHECK(e.field() == "newPassword");
    }
  }
  CHECK_THROWS_AS(check_password_policy(std::string(129, 'a') + "1", "p"), dms::Error);
}

TEST_CASE("identity unit: Argon2id hashes verify and record their cost") {
  const std::string hash = hash_password("Secret-2025", kCheap);
  CHECK(hash.rfind("$argon2id$", 0) == 0);
  CHECK(verify_password("Secret-2025", hash));
  CHECK_FALSE(verify_password("Secret-2026", hash));
  CHECK_FALSE(verify_password("Secret-2025", ""));
  CHECK_FALSE(verify_password("Secret-2025", "not a hash"));
  CHECK(hash != hash_password("Secret-2025", kCheap));  // salted
  burn_verification_time("anything", kCheap);           // runs, returns nothing
}

TEST_CASE("identity unit: temporary passwords are strong and pass the policy") {
  std::set<std::string> seen;
  for (int i = 0; i < 200; ++i) {
    const std::string password = generate_temporary_password();
    CHECK(password.size() == 16);
    CHECK_NOTHROW(check_password_policy(password, "password"));
    CHECK(password.find_first_of("0O1lI") == std::string::npos);
    CHECK(std::any_of(password.begin(), password.end(), ::isupper));
    CHECK(std::any_of(password.begin(), password.end(), ::islower));
    seen.insert(password);
  }
  CHECK(seen.size() == 200);
}

TEST_CASE("identity unit: permission wildcards") {
  CHECK(dms::permission_matches("*", "users:create"));
  CHECK(dms::permission_matches("users:*", "users:create"));
  CHECK_FALSE(dms::permission_matches("users:*", "users_extra:create"));
  CHECK_FALSE(dms::permission_matches("users:read", "users:create"));
  CHECK_FALSE(dms::permission_matches("job_cards:*", "job:cards"));
}
