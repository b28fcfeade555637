// The audit log on both engines: one row per mutation in the same transaction, only changed
// fields for updates, a hash chain that names the first edited or deleted row, and appends that
// stay a single chain under concurrency.
#include <atomic>
#include <catch2/catch.hpp>
#include <thread>

#include "audit/audit.hpp"
#include "identity_fixture.hpp"

using dms::ErrorCode;
using dms::Json;
using dms::test::IdentityFixture;

namespace {

dms::audit::AuditCheck verify(IdentityFixture& f) {
  return f.db->impl().store->read(
      [](dms::storage::Transaction& tx) { return dms::audit::verify_chains(tx); });
}

// Creates a center and a few users, so the chain has several rows.
void populate(IdentityFixture& f) {
  const std::string center = f.create_center("SC001");
  for (int i = 0; i < 4; ++i) {
    f.create_user("service_engineer", center, "e" + std::to_string(i) + "@dealer.in",
                  "+91980000010" + std::to_string(i));
  }
}

}  // namespace

TEST_CASE("identity: mutations write audit rows with changed fields and request metadata") {
  IdentityFixture f(GENERATE(dms::test::engines()));
  INFO("engine: " << f.database.engine_name());
  f.system.meta = {"req-42", "10.0.0.7", "tests/1.0", ""};
  const std::string center = f.create_center("SC001");
  const Json user = f.create_user("sc_manager", center, "m@dealer.in", "+919800000010");
  f.clock.advance_seconds(60);
  f.call(f.system, "users.Update", {{"id", user["id"]}, {"lastName", "Rao"}});

  const Json rows = f.call(f.system, "auditLogs.List", {{"sort", "seq"}})["data"];
  REQUIRE(rows.size() == 3);
  CHECK(rows[0]["action"] == "CREATE");
  CHECK(rows[0]["entityType"] == "service_center");
  CHECK(rows[1]["entityType"] == "user");
  CHECK(rows[1]["newValues"]["email"] == "m@dealer.in");
  CHECK_FALSE(rows[1]["newValues"].contains("passwordHash"));
  CHECK(rows[1]["serviceCenterId"] == center);
  CHECK(rows[2]["action"] == "UPDATE");
  CHECK(rows[2]["oldValues"] == Json({{"lastName", "sc_manager"},
                                      {"name", "Test sc_manager"},
                                      {"updatedAt", "2025-06-02T09:00:00Z"}}));
  CHECK(rows[2]["newValues"]["updatedAt"] == "2025-06-02T09:01:00Z");
  CHECK(rows[2]["newValues"]["lastName"] == "Rao");
  CHECK(rows[2]["requestId"] == "req-42");
  CHECK(rows[2]["ipAddress"] == "10.0.0.7");
  CHECK(rows[2]["userAgent"] == "tests/1.0");
  CHECK(rows[2]["userRole"] == "system");
  CHECK(rows[2]["prevHash"] == rows[1]["hash"]);
  CHECK(f.call(f.system, "auditLogs.Get", {{"id", rows[2]["id"]}}) == rows[2]);

  // A failed mutation leaves nothing behind: the audit row shares its transaction.
  CHECK_CODE(f.call(f.system, "users.Update", {{"id", user["id"]}, {"email", "bad"}}),
             ErrorCode::kValidation);
  CHECK(f.count("SELECT COUNT(*) FROM audit_logs") == 3);

  // Filters and ranges of the list.
  CHECK(f.call(f.system, "auditLogs.List", {{"filter", {{"action", "UPDATE"}}}})["data"].size() ==
        1);
  CHECK(f.call(f.system, "auditLogs.List",
               {{"filter", {{"timestamp", {{"gte", "2025-06-02T09:00:00Z"}}}}}})["data"]
            .size() == 3);
  CHECK_CODE(f.call(f.system, "auditLogs.List", {{"filter", {{"hash", "x"}}}}),
             ErrorCode::kValidation);

  const Json verdict = f.call(f.system, "auditLogs.Verify");
  CHECK(verdict["ok"] == true);
  CHECK(verdict["rows"] == 3);
  CHECK(verdict["headHash"] == rows[2]["hash"]);
}

TEST_CASE("identity: editing or deleting an audit row breaks the chain at that row") {
  IdentityFixture f(GENERATE(dms::test::engines()));
  INFO("engine: " << f.database.engine_name());
  populate(f);
  REQUIRE(verify(f).ok);
  REQUIRE(verify(f).rows == 5);

  SECTION("an edited row") {
    f.exec("UPDATE audit_logs SET new_values = '{}' WHERE seq = 3");
    const auto check = verify(f);
    CHECK_FALSE(check.ok);
    CHECK(check.first_bad_seq == 3);
    const Json verdict = f.call(f.system, "auditLogs.Verify");
    CHECK(verdict["ok"] == false);
    CHECK(verdict["firstBadSeq"] == 3);
  }
  SECTION("an edited actor") {
    f.exec("UPDATE audit_logs SET user_name = 'someone else' WHERE seq = 2");
    CHECK(verify(f).first_bad_seq == 2);
  }
  SECTION("a deleted row") {
    f.exec("DELETE FROM audit_logs WHERE seq = 2");
    const auto check = verify(f);
    CHECK_FALSE(check.ok);
    CHECK(check.first_bad_seq == 2);
  }
  SECTION("a deleted row, renumbered to hide the gap") {
    f.exec("DELETE FROM audit_logs WHERE seq = 2");
    f.exec("UPDATE audit_logs SET seq = seq - 1 WHERE seq > 2");
    CHECK(verify(f).first_bad_seq == 2);
  }
  SECTION("the newest row deleted") {
    f.exec("DELETE FROM audit_logs WHERE seq = 5");
    const auto check = verify(f);
    CHECK_FALSE(check.ok);
    CHECK(check.first_bad_seq == 5);
  }
  SECTION("the first row deleted") {
    f.exec("DELETE FROM audit_logs WHERE seq = 1");
    CHECK(verify(f).first_bad_seq == 1);
  }
}

TEST_CASE("identity: concurrent mutations append one unbroken chain") {
  IdentityFixture f(GENERATE(dms::test::engines()));
  INFO("engine: " << f.database.engine_name());
  const std::string center = f.create_center("SC001");
  std::vector<std::string> users;
  for (int i = 0; i < 4; ++i) {
    users.push_back(f.create_user("service_engineer", center, "e" + std::to_string(i) + "@d.in",
                                  "+91980000020" + std::to_string(i))["id"]);
  }
  constexpr int kUpdatesPerThread = 10;
  std::vector<std::thread> threads;
  std::atomic<int> failures{0};
  for (const std::string& id : users) {
    threads.emplace_back([&, id] {
      for (int n = 0; n < kUpdatesPerThread; ++n) {
        try {
          f.call(f.system, "users.Update", {{"id", id}, {"lastName", "L" + std::to_string(n)}});
        } catch (const dms::Error&) {
          ++failures;
        }
      }
    });
  }
  for (auto& t : threads) t.join();
  CHECK(failures == 0);
  const auto check = verify(f);
  CHECK(check.ok);
  CHECK(check.rows == 1 + 4 + 4 * kUpdatesPerThread);
}

TEST_CASE("identity: a failed login is audited even though the call fails") {
  IdentityFixture f(GENERATE(dms::test::engines()));
  INFO("engine: " << f.database.engine_name());
  const std::string center = f.create_center("SC001");
  const Json user = f.create_user("sc_manager", center, "m@dealer.in", "+919800000010");
  CHECK_CODE(f.db->login("m@dealer.in", "wrong-pass1"), ErrorCode::kInvalidCredentials);
  CHECK_CODE(f.db->login("ghost@dealer.in", "wrong-pass1"), ErrorCode::kInvalidCredentials);
  f.db->login("m@dealer.in", f.temporary_password(user["id"]));
  const Json rows = f.call(f.system, "auditLogs.List", {{"sort", "seq"}})["data"];
  REQUIRE(rows.size() == 5);
  CHECK(rows[2]["action"] == "LOGIN_FAILED");
  CHECK(rows[2]["userId"] == user["id"]);
  CHECK(rows[2]["serviceCenterId"] == center);
  CHECK(rows[3]["action"] == "LOGIN_FAILED");
  CHECK(rows[3]["userId"].is_null());
  CHECK(rows[3]["newValues"]["login"] == "ghost@dealer.in");
  CHECK(rows[4]["action"] == "LOGIN");
  CHECK(verify(f).ok);
}
