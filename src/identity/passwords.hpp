// Passwords: the policy, Argon2id hashing and verification, temporary passwords.
//
// Hashes are libsodium's crypto_pwhash_str strings (Argon2id; the cost parameters are stored in
// the string, so a hash made with one cost verifies under any other). The cost used for new
// hashes comes from Settings (INTERACTIVE by default; tests pick the minimum for speed).
//
// Thread-safety: pure functions, except the dummy-hash cache, which is guarded by a mutex.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace dms::identity {

struct PasswordCost {
  uint64_t opslimit;
  size_t memlimit_bytes;
};

// At least 8 and at most 128 characters, with at least one letter and one digit.
// Error(kValidation) naming `field` otherwise.
void check_password_policy(std::string_view password, std::string_view field);

std::string hash_password(std::string_view password, PasswordCost cost);
// True when `password` matches `stored_hash`; false for a wrong password or a malformed hash.
bool verify_password(std::string_view password, std::string_view stored_hash);
// Runs a verification against a fixed hash made with `cost` and discards the result, so that a
// login for an unknown account takes as long as one for a known account.
void burn_verification_time(std::string_view password, PasswordCost cost);

// A new temporary password: 16 characters from an unambiguous alphabet, always with upper and
// lower case letters and digits (about 90 bits of entropy).
std::string generate_temporary_password();

}  // namespace dms::identity
