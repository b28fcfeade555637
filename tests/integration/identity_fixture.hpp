// A libdms Database for identity tests: one per engine (see engines.hpp), a manual clock, cheap
// password hashing, and helpers to create service centers and users and to read what the
// library "sent" (the outbound_messages outbox).
//
// Thread-safety: created and used by the test's thread; db may be shared with worker threads.
#pragma once

#include <catch2/catch.hpp>
#include <functional>
#include <memory>
#include <string>

#include "conformance.hpp"
#include "dms/database.hpp"
#include "dms/error.hpp"
#include "engines.hpp"
#include "service/service.hpp"

namespace dms::test {

inline ErrorCode error_code_of(const std::function<void()>& fn) {
  try {
    fn();
  } catch (const Error& e) {
    return e.code();
  }
  return ErrorCode::kOk;
}

#define CHECK_CODE(expr, code) CHECK(::dms::test::error_code_of([&] { (void)(expr); }) == (code))
#define REQUIRE_CODE(expr, code) \
  REQUIRE(::dms::test::error_code_of([&] { (void)(expr); }) == (code))

struct SentMessage {
  std::string channel;
  std::string recipient;
  std::string subject;
  std::string body;
  std::string purpose;
};

class IdentityFixture {
 public:
  explicit IdentityFixture(storage::Engine engine)
      : database(engine), clock(Timestamp::parse("2025-06-02T09:00:00Z")) {
    DatabaseOptions options;
    options.url = database.url();
    options.clock = &clock;
    options.sqlite_synchronous = "NORMAL";
    options.pool_size = 4;
    options.token_secret = "identity-test-secret";
    db = Database::open(options);
    // Argon2id at libsodium's minimum cost: the tests check logic, not hashing strength.
    db->impl().settings.password_hash_opslimit = 1;
    db->impl().settings.password_hash_memlimit_bytes = 8192;
    system = db->system_context();
  }

  // Every response is checked against the wire schema (conformance.hpp).
  Json call(const Context& ctx, std::string_view method, const Json& request = Json::object()) {
    return checked_call(*db, ctx, method, request);
  }

  std::string create_center(const std::string& code, const std::string& state_code = "27") {
    return call(system, "serviceCenters.Create",
                {{"code", code},
                 {"name", code + " service center"},
                 {"address", {{"city", "Pune"}, {"stateCode", state_code}}}})["id"];
  }

  // Creates a user through users.Create as `creator` (the system context by default).
  Json create_user(const std::string& role, const std::optional<std::string>& center,
                   const std::string& email, const std::string& phone,
                   const std::string& channel = "email", const Context* creator = nullptr) {
    Json request = {{"email", email},   {"phone", phone}, {"firstName", "Test"},
                    {"lastName", role}, {"role", role},   {"deliveryChannel", channel}};
    if (center) request["serviceCenterId"] = *center;
    return call(creator ? *creator : system, "users.Create", request);
  }

  // The messages queued for a user, oldest first.
  std::vector<SentMessage> messages_for(const std::string& user_id) {
    return db->impl().store->read([&](storage::Transaction& tx) {
      std::vector<SentMessage> out;
      for (const auto& row :
           tx.query("SELECT * FROM outbound_messages WHERE user_id = ? ORDER BY id", {user_id})) {
        out.push_back({row.str("channel"), row.str("recipient"), row.str("subject"),
                       row.str("body"), row.str("purpose")});
      }
      return out;
    });
  }

  // The secret after `marker` in the newest message of `purpose` ("Temporary password: ").
  std::string secret_in_message(const std::string& user_id, const std::string& purpose,
                                const std::string& marker) {
    std::string body;
    for (const auto& m : messages_for(user_id)) {
      if (m.purpose == purpose) body = m.body;
    }
    const size_t at = body.find(marker);
    REQUIRE(at != std::string::npos);
    const size_t start = at + marker.size();
    const size_t end = body.find_first_of(" \n", start);
    return body.substr(start, end == std::string::npos ? std::string::npos : end - start);
  }

  std::string temporary_password(const std::string& user_id) {
    return secret_in_message(user_id, "temporary_password", "Temporary password: ");
  }

  // A signed-in user who has completed the first-login password change.
  Context sign_in(const Json& user, const std::string& new_password = "Secret-2025") {
    const std::string email = user["email"];
    Json session = db->login(email, temporary_password(user["id"]));
    Context first = db->context_from_token(session["accessToken"]);
    call(first, "auth.ChangePassword",
         {{"currentPassword", temporary_password(user["id"])}, {"newPassword", new_password}});
    return db->context_from_token(session["accessToken"]);
  }

  int64_t count(const std::string& sql, const std::vector<storage::Value>& params = {}) {
    return db->impl().store->read(
        [&](storage::Transaction& tx) { return tx.query_one(sql, params)->i64(0); });
  }

  void exec(const std::string& sql, const std::vector<storage::Value>& params = {}) {
    db->impl().store->write([&](storage::Transaction& tx) { tx.exec(sql, params); });
  }

  TestDatabase database;
  ManualClock clock;
  std::unique_ptr<Database> db;
  Context system;
};

}  // namespace dms::test
