#include "identity/passwords.hpp"

#include <sodium.h>

#include <map>
#include <mutex>
#include <utility>

#include "dms/error.hpp"
#include "identity/secrets.hpp"

namespace dms::identity {
namespace {

constexpr size_t kMinPasswordLength = 8;
constexpr size_t kMaxPasswordLength = 128;  // bounds the hashing work one request can cause

bool is_ascii_letter(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
bool is_ascii_digit(char c) {
  return c >= '0' && c <= '9';
}

// A hash of a random password nobody knows, one per cost, made on first use.
std::string dummy_hash(PasswordCost cost) {
  static std::mutex mutex;
  static std::map<std::pair<uint64_t, size_t>, std::string> by_cost;
  const std::lock_guard<std::mutex> lock(mutex);
  auto& hash = by_cost[{cost.opslimit, cost.memlimit_bytes}];
  if (hash.empty()) hash = hash_password(random_token(), cost);
  return hash;
}

char random_char_from(std::string_view alphabet) {
  return alphabet[randombytes_uniform(static_cast<uint32_t>(alphabet.size()))];
}

}  // namespace

void check_password_policy(std::string_view password, std::string_view field) {
  const std::string name(field);
  if (password.size() < kMinPasswordLength) {
    throw Error::Validation(name, name + " must have at least 8 characters");
  }
  if (password.size() > kMaxPasswordLength) {
    throw Error::Validation(name, name + " must have at most 128 characters");
  }
  bool has_letter = false;
  bool has_digit = false;
  for (char c : password) {
    has_letter = has_letter || is_ascii_letter(c);
    has_digit = has_digit || is_ascii_digit(c);
  }
  if (!has_letter || !has_digit) {
    throw Error::Validation(name, name + " must contain letters and digits");
  }
}

std::string hash_password(std::string_view password, PasswordCost cost) {
  ensure_sodium();
  char out[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str_alg(out, password.data(), password.size(), cost.opslimit,
                            cost.memlimit_bytes, crypto_pwhash_ALG_ARGON2ID13) != 0) {
    throw Error::Internal("password hashing ran out of memory");
  }
  return out;
}

bool verify_password(std::string_view password, std::string_view stored_hash) {
  ensure_sodium();
  if (stored_hash.empty() || stored_hash.size() >= crypto_pwhash_STRBYTES) return false;
  const std::string hash(stored_hash);  // crypto_pwhash_str_verify wants a NUL-terminated string
  return crypto_pwhash_str_verify(hash.c_str(), password.data(), password.size()) == 0;
}

void burn_verification_time(std::string_view password, PasswordCost cost) {
  (void)verify_password(password, dummy_hash(cost));
}

std::string generate_temporary_password() {
  ensure_sodium();
  // No 0/O, 1/l/I: the password is read from an SMS or e-mail and typed by hand.
  static constexpr std::string_view kUpper = "ABCDEFGHJKLMNPQRSTUVWXYZ";
  static constexpr std::string_view kLower = "abcdefghijkmnopqrstuvwxyz";
  static constexpr std::string_view kDigits = "23456789";
  static constexpr std::string_view kAll =
      "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
  constexpr size_t kLength = 16;
  std::string password;
  password += random_char_from(kUpper);
  password += random_char_from(kLower);
  password += random_char_from(kDigits);
  while (password.size() < kLength) password += random_char_from(kAll);
  // Shuffle so the guaranteed classes are not always in front (Fisher-Yates).
  for (size_t i = password.size() - 1; i > 0; --i) {
    const size_t j = randombytes_uniform(static_cast<uint32_t>(i + 1));
    std::swap(password[i], password[j]);
  }
  return password;
}

}  // namespace dms::identity
