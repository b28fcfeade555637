// The audit log's chains on both engines: rows appended at commit, one chain per service center
// plus one without a center, the four kinds of tampering named per chain, the frozen chain of a
// database from the previous release, and (PostgreSQL) appends at different centers that do not
// wait for each other, same-center appends under concurrency and appends of retried transactions.
#include <algorithm>
#include <atomic>
#include <catch2/catch.hpp>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "audit/audit.hpp"
#include "identity_fixture.hpp"

using dms::Json;
using dms::storage::Engine;
using dms::storage::Transaction;
using dms::test::IdentityFixture;

namespace {

dms::audit::AuditCheck verify(IdentityFixture& f) {
  return f.db->impl().store->read([](Transaction& tx) { return dms::audit::verify_chains(tx); });
}

const dms::audit::ChainCheck* chain_of(const dms::audit::AuditCheck& check,
                                       const std::string& chain_id) {
  for (const auto& c : check.chains) {
    if (c.chain_id == chain_id) return &c;
  }
  return nullptr;
}

// Two centers with four rows each (the center and three users) and three rows without a center.
struct Chains {
  std::string a, b;  // center ids
  std::string chain_a, chain_b;
};

Chains populate(IdentityFixture& f) {
  Chains c;
  c.a = f.create_center("SC001");
  c.b = f.create_center("SC002");
  c.chain_a = dms::audit::chain_id_for(c.a);
  c.chain_b = dms::audit::chain_id_for(c.b);
  int n = 0;
  for (const std::string* center : {&c.a, &c.b}) {
    for (int i = 0; i < 3; ++i, ++n) {
      f.create_user("service_engineer", *center, "e" + std::to_string(n) + "@dealer.in",
                    "+91980000011" + std::to_string(n));
    }
  }
  for (int i = 0; i < 3; ++i, ++n) {
    f.create_user("admin", std::nullopt, "a" + std::to_string(n) + "@dealer.in",
                  "+91980000011" + std::to_string(n));
  }
  return c;
}

std::string row_id(IdentityFixture& f, const std::string& chain, int64_t chain_seq) {
  return f.db->impl().store->read([&](Transaction& tx) {
    return tx
        .query_one("SELECT id FROM audit_logs WHERE chain_id = ? AND chain_seq = ?",
                   {chain, chain_seq})
        ->str("id");
  });
}

// Moves the rows of `chain` at positions >= `from` by `by` (in two steps, so that PostgreSQL's
// immediate unique check on (chain_id, chain_seq) never sees two rows at one position).
void shift(IdentityFixture& f, const std::string& chain, int64_t from, int64_t by) {
  f.exec(
      "UPDATE audit_logs SET chain_seq = chain_seq + 1000000 WHERE chain_id = ? AND chain_seq >= ?",
      {chain, from});
  f.exec(
      "UPDATE audit_logs SET chain_seq = chain_seq - 1000000 + ? WHERE chain_id = ? AND chain_seq "
      ">= 1000000",
      {by, chain});
}

// A copy of the row at `source_seq` under a new id at `at_seq`, following the row before it.
std::string insert_copy(IdentityFixture& f, const std::string& chain, int64_t source_seq,
                        int64_t at_seq) {
  const std::string id = dms::storage::new_id();
  f.exec(
      "INSERT INTO audit_logs (id, chain_id, chain_seq, created_at, user_id, user_name, "
      "user_role, action, entity_type, entity_id, old_values, new_values, service_center_id, "
      "request_id, ip_address, user_agent, prev_hash, hash) SELECT CAST(? AS TEXT), chain_id, "
      "CAST(? AS BIGINT), created_at, user_id, user_name, user_role, action, entity_type, "
      "entity_id, old_values, new_values, service_center_id, request_id, ip_address, user_agent, "
      "COALESCE((SELECT p.hash FROM audit_logs p WHERE p.chain_id = s.chain_id AND p.chain_seq = "
      "CAST(? AS BIGINT)), s.prev_hash), hash FROM audit_logs s WHERE chain_id = ? AND chain_seq = "
      "?",
      {id, at_seq, at_seq - 1, chain, source_seq});
  return id;
}

// The verdict names `chain`, position `seq` (and row `id` when given), and every other chain
// still verifies.
void check_broken(IdentityFixture& f, const std::string& chain, int64_t seq, const std::string& id,
                  const std::string& reason_part) {
  const auto check = verify(f);
  CHECK_FALSE(check.ok);
  CHECK(check.first_bad_chain == chain);
  CHECK(check.first_bad_seq == seq);
  CHECK(check.first_bad_id == id);
  CHECK_THAT(check.reason, Catch::Contains(chain) && Catch::Contains(reason_part));
  CHECK(check.head_hash.empty());
  for (const auto& c : check.chains) {
    INFO("chain " << c.chain_id);
    CHECK(c.ok == (c.chain_id != chain));
  }
  const Json verdict = f.call(f.system, "auditLogs.Verify");
  CHECK(verdict["ok"] == false);
  CHECK(verdict["firstBadChain"] == chain);
  CHECK(verdict["firstBadSeq"] == seq);
  CHECK(verdict["firstBadId"] == (id.empty() ? Json() : Json(id)));
  CHECK(verdict["chains"].size() == check.chains.size());
}

}  // namespace

TEST_CASE("audit: rows are appended at commit, one chain per service center") {
  IdentityFixture f(GENERATE(dms::test::engines()));
  INFO("engine: " << f.database.engine_name());
  const Chains c = populate(f);

  const Json rows = f.call(f.system, "auditLogs.List", {{"sort", "seq"}, {"limit", 100}})["data"];
  REQUIRE(rows.size() == 11);
  std::map<std::string, int64_t> next;  // each chain counts 1, 2, 3, ... in append order
  for (const Json& row : rows) {
    const std::string expected_chain = row["serviceCenterId"].is_null()
                                           ? "group"
                                           : "center:" + row["serviceCenterId"].get<std::string>();
    CHECK(row["chainId"] == expected_chain);
    CHECK(row["chainSeq"] == ++next[expected_chain]);
  }
  CHECK(next == std::map<std::string, int64_t>{{c.chain_a, 4}, {c.chain_b, 4}, {"group", 3}});
  // Each row follows the previous row of its own chain.
  CHECK(rows[2]["chainId"] == c.chain_a);  // the first user at A, after A's CREATE
  CHECK(rows[2]["prevHash"] == rows[0]["hash"]);
  CHECK(rows[0]["prevHash"] == std::string(64, '0'));
  CHECK(rows[1]["prevHash"] == std::string(64, '0'));
  CHECK(f.call(f.system, "auditLogs.List", {{"filter", {{"chainId", c.chain_b}}}})["data"].size() ==
        4);

  const auto check = verify(f);
  CHECK(check.ok);
  CHECK(check.rows == 11);
  REQUIRE(check.chains.size() == 3);
  CHECK(check.chains[0].chain_id == "group");
  CHECK(check.chains[0].rows == 3);
  CHECK(chain_of(check, c.chain_a)->head_hash == rows[4]["hash"]);  // A's last user
  // Several chains: the anchor is a digest of every head, none of them.
  CHECK(check.head_hash.size() == 64);
  for (const auto& chain : check.chains) CHECK(check.head_hash != chain.head_hash);
  const Json verdict = f.call(f.system, "auditLogs.Verify");
  CHECK(verdict["ok"] == true);
  CHECK(verdict["rows"] == 11);
  CHECK(verdict["headHash"] == check.head_hash);
  CHECK(verdict["chains"].size() == 3);
  CHECK(verdict["firstBadChain"].is_null());

  SECTION("a row is buffered until commit and a rolled-back one leaves nothing") {
    auto& store = *f.db->impl().store;
    const int64_t before = f.count("SELECT COUNT(*) FROM audit_logs");
    store.write([&](Transaction& tx) {
      dms::audit::record(tx, f.system, "TEST", "thing", "t1", Json::object(), Json::object(), c.a);
      // Nothing is written (nor any chain head locked) until the transaction commits.
      CHECK(tx.query_one("SELECT COUNT(*) FROM audit_logs")->i64(0) == before);
    });
    CHECK(f.count("SELECT COUNT(*) FROM audit_logs") == before + 1);
    CHECK(f.count("SELECT MAX(chain_seq) FROM audit_logs WHERE chain_id = ?", {c.chain_a}) == 5);
    CHECK_THROWS(store.write([&](Transaction& tx) {
      dms::audit::record(tx, f.system, "TEST", "thing", "t2", Json::object(), Json::object(), c.a);
      throw dms::Error::Validation("x", "rolled back");
    }));
    CHECK(f.count("SELECT COUNT(*) FROM audit_logs") == before + 1);
    // One transaction writing to several chains.
    store.write([&](Transaction& tx) {
      for (const auto* center : {&c.b, &c.a, &c.b}) {
        dms::audit::record(tx, f.system, "TEST", "thing", "t3", Json::object(), Json::object(),
                           *center);
      }
      dms::audit::record(tx, f.system, "TEST", "thing", "t3", Json::object(), Json::object());
    });
    CHECK(f.count("SELECT MAX(chain_seq) FROM audit_logs WHERE chain_id = ?", {c.chain_b}) == 6);
    CHECK(f.count("SELECT MAX(chain_seq) FROM audit_logs WHERE chain_id = ?", {c.chain_a}) == 6);
    CHECK(f.count("SELECT MAX(chain_seq) FROM audit_logs WHERE chain_id = 'group'") == 4);
    CHECK(verify(f).ok);
  }
}

TEST_CASE("audit: altered, deleted, inserted and reordered rows are named per chain") {
  IdentityFixture f(GENERATE(dms::test::engines()));
  const Chains c = populate(f);
  const std::string chain = GENERATE(as<std::string>{}, "group", "a", "b");
  const std::string chain_id = chain == "a" ? c.chain_a : chain == "b" ? c.chain_b : chain;
  const int64_t last = chain == "group" ? 3 : 4;
  INFO("engine: " << f.database.engine_name() << ", chain " << chain_id);
  REQUIRE(verify(f).ok);

  SECTION("an altered row") {
    f.exec("UPDATE audit_logs SET new_values = '{}' WHERE chain_id = ? AND chain_seq = 2",
           {chain_id});
    check_broken(f, chain_id, 2, row_id(f, chain_id, 2), "was altered");
  }
  SECTION("an altered chain id (a row moved to another chain)") {
    const std::string id = row_id(f, chain_id, last);
    f.exec("UPDATE audit_logs SET chain_id = 'center:~moved' WHERE id = ?", {id});
    const auto check = verify(f);
    CHECK_FALSE(check.ok);
    CHECK(check.first_bad_chain == chain_id);  // its own chain lost its last row
    CHECK(check.first_bad_seq == last);
    const auto* elsewhere = chain_of(check, "center:~moved");
    REQUIRE(elsewhere != nullptr);
    CHECK_FALSE(elsewhere->ok);
    CHECK(elsewhere->first_bad_id == id);
  }
  SECTION("a deleted row") {
    f.exec("DELETE FROM audit_logs WHERE chain_id = ? AND chain_seq = 2", {chain_id});
    check_broken(f, chain_id, 2, "", "is missing");
  }
  SECTION("a deleted row, renumbered to hide the gap") {
    f.exec("DELETE FROM audit_logs WHERE chain_id = ? AND chain_seq = 2", {chain_id});
    shift(f, chain_id, 3, -1);
    check_broken(f, chain_id, 2, row_id(f, chain_id, 2), "does not follow its predecessor");
  }
  SECTION("the last row deleted") {
    f.exec("DELETE FROM audit_logs WHERE chain_id = ? AND chain_seq = ?", {chain_id, last});
    check_broken(f, chain_id, last, "", "is missing");
  }
  SECTION("a row inserted in the middle") {
    shift(f, chain_id, 3, 1);
    const std::string id = insert_copy(f, chain_id, 2, 3);
    check_broken(f, chain_id, 3, id, "was altered");
  }
  SECTION("a row inserted at the end") {
    const std::string id = insert_copy(f, chain_id, 2, last + 1);
    check_broken(f, chain_id, last + 1, id, "was altered");
  }
  SECTION("a well-formed row added at the end behind the head") {
    // A forger who hashes correctly but cannot also move the head (or forgot to).
    const auto head = f.db->impl().store->read([&](Transaction& tx) {
      return *tx.query_one("SELECT last_seq, last_hash FROM audit_chains WHERE chain_id = ?",
                           {chain_id});
    });
    const std::string center = chain == "a" ? c.a : chain == "b" ? c.b : "";
    f.db->impl().store->write([&](Transaction& tx) {
      dms::audit::record(tx, f.system, "TEST", "thing", "t", Json::object(), Json::object(),
                         center);
    });
    f.exec("UPDATE audit_chains SET last_seq = ?, last_hash = ? WHERE chain_id = ?",
           {head.i64("last_seq"), head.str("last_hash"), chain_id});
    check_broken(f, chain_id, last + 1, row_id(f, chain_id, last + 1), "was not written by libdms");
  }
  SECTION("two rows swapped") {
    const std::string third = row_id(f, chain_id, 3);
    f.exec("UPDATE audit_logs SET chain_seq = -2 WHERE chain_id = ? AND chain_seq = 2", {chain_id});
    f.exec("UPDATE audit_logs SET chain_seq = 2 WHERE chain_id = ? AND chain_seq = 3", {chain_id});
    f.exec("UPDATE audit_logs SET chain_seq = 3 WHERE chain_id = ? AND chain_seq = -2", {chain_id});
    check_broken(f, chain_id, 2, third, "does not follow its predecessor");
  }
  SECTION("the chain head removed") {
    f.exec("DELETE FROM audit_chains WHERE chain_id = ?", {chain_id});
    check_broken(f, chain_id, 1, row_id(f, chain_id, 1), "has no head");
  }
}

namespace {

// The audit tables of schema 110 and six rows with their chain head, as the previous release
// wrote them (two centers, users at each and without a center, an update; captured from a
// database written by libdms at schema 110, commit d4df586).
const char* const
    kLegacySchema[] =
        {
            R"SQL(CREATE TABLE audit_logs (seq BIGINT PRIMARY KEY, id TEXT NOT NULL UNIQUE,
  created_at BIGINT NOT NULL, user_id TEXT, user_name TEXT NOT NULL, user_role TEXT NOT NULL,
  action TEXT NOT NULL, entity_type TEXT NOT NULL, entity_id TEXT NOT NULL,
  old_values TEXT NOT NULL, new_values TEXT NOT NULL, service_center_id TEXT,
  request_id TEXT NOT NULL, ip_address TEXT NOT NULL, user_agent TEXT NOT NULL,
  prev_hash TEXT NOT NULL, hash TEXT NOT NULL))SQL",
            "CREATE INDEX idx_audit_logs_center ON audit_logs(service_center_id, seq)",
            "CREATE INDEX idx_audit_logs_entity ON audit_logs(entity_type, entity_id)",
            "CREATE TABLE audit_chain_head (id BIGINT PRIMARY KEY, last_seq BIGINT NOT NULL, "
            "last_hash "
            "TEXT NOT NULL)",
            "INSERT INTO audit_chain_head (id, last_seq, last_hash) VALUES (1, 0, "
            "'0000000000000000000000000000000000000000000000000000000000000000')",
            R"SQL(INSERT INTO audit_logs (seq, id, created_at, user_id, user_name, user_role, action, entity_type, entity_id, old_values, new_values, service_center_id, request_id, ip_address, user_agent, prev_hash, hash) VALUES (1, 'a481c9a5-653c-48f4-b968-4f02e61e936e', 1796117753357546, NULL, 'system', 'system', 'CREATE', 'service_center', '5a999165-42aa-4614-ad4c-093afc068744', '{}', '{"address":{"city":"Pune","country":null,"state":"Maharashtra","stateCode":"27","street":null,"zipCode":null},"code":"SC001","createdAt":"2026-12-01T09:35:53.357404Z","email":null,"gstin":null,"id":"5a999165-42aa-4614-ad4c-093afc068744","isActive":true,"managerId":null,"name":"SC001 service center","phone":null,"updatedAt":"2026-12-01T09:35:53.357404Z"}', '5a999165-42aa-4614-ad4c-093afc068744', '', '', '', '0000000000000000000000000000000000000000000000000000000000000000', '0567cc6c0f8b027853d7cc8c997317ad5bdc75787c3fb46b8d6133fae7e216f3'))SQL",
            R"SQL(INSERT INTO audit_logs (seq, id, created_at, user_id, user_name, user_role, action, entity_type, entity_id, old_values, new_values, service_center_id, request_id, ip_address, user_agent, prev_hash, hash) VALUES (2, '16b77f48-5224-43df-b19c-c931a609733c', 1796117753369362, NULL, 'system', 'system', 'CREATE', 'service_center', '955f7f07-a0bd-4fce-ae0e-e9096933f122', '{}', '{"address":{"city":"Pune","country":null,"state":"Maharashtra","stateCode":"27","street":null,"zipCode":null},"code":"SC002","createdAt":"2026-12-01T09:35:53.369268Z","email":null,"gstin":null,"id":"955f7f07-a0bd-4fce-ae0e-e9096933f122","isActive":true,"managerId":null,"name":"SC002 service center","phone":null,"updatedAt":"2026-12-01T09:35:53.369268Z"}', '955f7f07-a0bd-4fce-ae0e-e9096933f122', '', '', '', '0567cc6c0f8b027853d7cc8c997317ad5bdc75787c3fb46b8d6133fae7e216f3', '29d28dcc339f3ba71e8d2d801f65927e67a744562e7903b816c556262762f531'))SQL",
            R"SQL(INSERT INTO audit_logs (seq, id, created_at, user_id, user_name, user_role, action, entity_type, entity_id, old_values, new_values, service_center_id, request_id, ip_address, user_agent, prev_hash, hash) VALUES (3, '4f9c8b71-6ad2-448f-b360-0ba3e6b61d44', 1796117753602825, NULL, 'system', 'system', 'CREATE', 'user', 'bb603987-6614-4f02-b19d-3296e6d16fe6', '{}', '{"createdAt":"2026-12-01T09:35:53.602642Z","deliveryChannel":"email","email":"admin@dealer.in","failedLoginCount":0,"firstName":"Asha","id":"bb603987-6614-4f02-b19d-3296e6d16fe6","isActive":true,"isFirstLogin":true,"lastLogin":null,"lastName":"Rao","lockedUntil":null,"name":"Asha Rao","phone":"+919800000001","role":"admin","serviceCenterId":null,"updatedAt":"2026-12-01T09:35:53.602642Z"}', NULL, '', '', '', '29d28dcc339f3ba71e8d2d801f65927e67a744562e7903b816c556262762f531', '0fc64febb1a86c0f65b3f442f2a97a79640fed36060c204e50b1c7afca55c058'))SQL",
            R"SQL(INSERT INTO audit_logs (seq, id, created_at, user_id, user_name, user_role, action, entity_type, entity_id, old_values, new_values, service_center_id, request_id, ip_address, user_agent, prev_hash, hash) VALUES (4, '65bb0412-1e93-4b2d-881a-bcbda546cb9b', 1796117753825604, NULL, 'system', 'system', 'CREATE', 'user', 'd4272a37-37f1-466a-ae51-0fa26d5ef48b', '{}', '{"createdAt":"2026-12-01T09:35:53.825425Z","deliveryChannel":"email","email":"m1@dealer.in","failedLoginCount":0,"firstName":"M","id":"d4272a37-37f1-466a-ae51-0fa26d5ef48b","isActive":true,"isFirstLogin":true,"lastLogin":null,"lastName":"One","lockedUntil":null,"name":"M One","phone":"+919800000002","role":"sc_manager","serviceCenterId":"5a999165-42aa-4614-ad4c-093afc068744","updatedAt":"2026-12-01T09:35:53.825425Z"}', '5a999165-42aa-4614-ad4c-093afc068744', '', '', '', '0fc64febb1a86c0f65b3f442f2a97a79640fed36060c204e50b1c7afca55c058', 'a0c19d1f71136f6bfa63c3c21bc54c055c7c3c4415fddab5fa07f49304c4d265'))SQL",
            R"SQL(INSERT INTO audit_logs (seq, id, created_at, user_id, user_name, user_role, action, entity_type, entity_id, old_values, new_values, service_center_id, request_id, ip_address, user_agent, prev_hash, hash) VALUES (5, 'b9fd81fc-8f04-44f6-a9c0-f5d866d6a6e0', 1796117754036702, NULL, 'system', 'system', 'CREATE', 'user', 'fca3a0ca-8c30-43e2-8c7d-6d0193777630', '{}', '{"createdAt":"2026-12-01T09:35:54.036542Z","deliveryChannel":"email","email":"m2@dealer.in","failedLoginCount":0,"firstName":"M","id":"fca3a0ca-8c30-43e2-8c7d-6d0193777630","isActive":true,"isFirstLogin":true,"lastLogin":null,"lastName":"Two","lockedUntil":null,"name":"M Two","phone":"+919800000003","role":"sc_manager","serviceCenterId":"955f7f07-a0bd-4fce-ae0e-e9096933f122","updatedAt":"2026-12-01T09:35:54.036542Z"}', '955f7f07-a0bd-4fce-ae0e-e9096933f122', '', '', '', 'a0c19d1f71136f6bfa63c3c21bc54c055c7c3c4415fddab5fa07f49304c4d265', '41a12e704fc3b1a439d54615be8778fbf26e36427a03fa72128b94b76be87a68'))SQL",
            R"SQL(INSERT INTO audit_logs (seq, id, created_at, user_id, user_name, user_role, action, entity_type, entity_id, old_values, new_values, service_center_id, request_id, ip_address, user_agent, prev_hash, hash) VALUES (6, '733d1280-c52b-4574-8b84-38fa65a44ca3', 1796117754049597, NULL, 'system', 'system', 'UPDATE', 'user', 'bb603987-6614-4f02-b19d-3296e6d16fe6', '{"lastName":"Rao","name":"Asha Rao","updatedAt":"2026-12-01T09:35:53.602642Z"}', '{"lastName":"Rao-Shah","name":"Asha Rao-Shah","updatedAt":"2026-12-01T09:35:54.049496Z"}', NULL, '', '', '', '41a12e704fc3b1a439d54615be8778fbf26e36427a03fa72128b94b76be87a68', 'b3a7890b081c6b19431ed56908a4fd11a4dada3f6c2febd1dad4b4d17ea9c539'))SQL",
            R"SQL(UPDATE audit_chain_head SET last_seq = 6, last_hash = 'b3a7890b081c6b19431ed56908a4fd11a4dada3f6c2febd1dad4b4d17ea9c539' WHERE id = 1)SQL",
};

constexpr const char* kLegacyHead =
    "b3a7890b081c6b19431ed56908a4fd11a4dada3f6c2febd1dad4b4d17ea9c539";

}  // namespace

TEST_CASE("audit: the chain of a database from the previous release verifies as 'legacy'") {
  IdentityFixture f(GENERATE(dms::test::engines()));
  INFO("engine: " << f.database.engine_name());
  // Back to schema 110's audit tables and rows, then upgrade again.
  f.db->impl().store->write([&](Transaction& tx) {
    tx.exec("DROP TABLE audit_logs");
    tx.exec("DROP TABLE audit_chains");
    for (const char* sql : kLegacySchema) tx.exec(sql);
    tx.exec("DELETE FROM schema_migrations WHERE version = 111");
  });
  f.database.open_store();  // migrates

  auto check = verify(f);
  CHECK(check.ok);
  CHECK(check.rows == 6);
  REQUIRE(check.chains.size() == 1);
  CHECK(check.chains[0].chain_id == "legacy");
  // With only the legacy chain, the anchor is the head hash the previous release reported.
  CHECK(check.head_hash == kLegacyHead);
  CHECK(f.call(f.system, "auditLogs.Verify")["headHash"] == kLegacyHead);

  // The listing keeps the old order; new rows go to the new chains, after the old ones.
  const std::string center = f.create_center("SC009");
  const Json rows = f.call(f.system, "auditLogs.List", {{"sort", "seq"}})["data"];
  REQUIRE(rows.size() == 7);
  for (int i = 0; i < 6; ++i) {
    CHECK(rows[i]["seq"] == i + 1);
    CHECK(rows[i]["chainId"] == "legacy");
    CHECK(rows[i]["chainSeq"] == i + 1);
  }
  CHECK(rows[5]["hash"] == kLegacyHead);
  CHECK(rows[6]["chainId"] == "center:" + center);
  CHECK(rows[6]["chainSeq"] == 1);
  check = verify(f);
  CHECK(check.ok);
  CHECK(check.rows == 7);
  CHECK(check.chains.size() == 2);

  SECTION("an altered legacy row") {
    f.exec(
        "UPDATE audit_logs SET user_name = 'someone else' WHERE chain_id = 'legacy' AND "
        "chain_seq = 4");
    check_broken(f, "legacy", 4, rows[3]["id"].get<std::string>(), "was altered");
  }
  SECTION("a deleted legacy row") {
    f.exec("DELETE FROM audit_logs WHERE chain_id = 'legacy' AND chain_seq = 6");
    check_broken(f, "legacy", 6, "", "is missing");
  }
}

TEST_CASE("audit: concurrent writers at one center append one valid chain") {
  IdentityFixture f(GENERATE(dms::test::engines()));
  INFO("engine: " << f.database.engine_name());
  const std::string a = f.create_center("SC001");
  const std::string b = f.create_center("SC002");
  constexpr int kThreads = 8;
  constexpr int kWritesPerThread = 10;
  auto& store = *f.db->impl().store;
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int n = 0; n < kWritesPerThread; ++n) {
        try {
          store.write([&](Transaction& tx) {
            const std::string entity = std::to_string(t) + "/" + std::to_string(n);
            dms::audit::record(tx, f.system, "TEST", "thing", entity, Json::object(),
                               Json::object(), a);
            // Half of the writers also append to B (recorded first): heads lock in one order.
            if (t % 2 == 1) {
              dms::audit::record(tx, f.system, "TEST", "thing", entity, Json::object(),
                                 Json::object(), b);
            }
          });
        } catch (const dms::Error&) {
          ++failures;
        }
      }
    });
  }
  for (auto& thread : threads) thread.join();
  CHECK(failures == 0);
  const auto check = verify(f);
  CHECK(check.ok);
  CHECK(chain_of(check, dms::audit::chain_id_for(a))->rows == 1 + kThreads * kWritesPerThread);
  CHECK(chain_of(check, dms::audit::chain_id_for(b))->rows == 1 + kThreads / 2 * kWritesPerThread);
}

namespace {

// Installs an append hook for the scope of a test.
struct AppendHook {
  explicit AppendHook(std::function<void(const std::string&)> hook) {
    dms::audit::set_append_hook_for_testing(std::move(hook));
  }
  ~AppendHook() { dms::audit::set_append_hook_for_testing(nullptr); }
};

// Two writers, each recording one row at `centers[i]` and pausing inside its commit-time append
// (its chain head locked) until both are inside or `patience` runs out. Returns how many saw the
// other inside at the same time.
int appends_inside_together(IdentityFixture& f, const std::string (&centers)[2],
                            std::chrono::milliseconds patience) {
  std::mutex mutex;
  std::condition_variable changed;
  int inside = 0;
  int together = 0;
  std::atomic<int> failures{0};
  const std::string chains[2] = {dms::audit::chain_id_for(centers[0]),
                                 dms::audit::chain_id_for(centers[1])};
  AppendHook hook([&](const std::string& chain) {
    if (chain != chains[0] && chain != chains[1]) return;
    std::unique_lock<std::mutex> lock(mutex);
    ++inside;
    changed.notify_all();
    if (changed.wait_for(lock, patience, [&] { return inside >= 2; })) ++together;
  });
  auto& store = *f.db->impl().store;
  std::vector<std::thread> writers;
  for (const std::string& center : centers) {
    writers.emplace_back([&, center] {
      try {
        store.write([&](Transaction& tx) {
          tx.exec("UPDATE service_centers SET name = name WHERE id = ?", {center});
          dms::audit::record(tx, f.system, "TEST", "service_center", center, Json::object(),
                             Json::object(), center);
        });
      } catch (const dms::Error&) {
        ++failures;
      }
    });
  }
  for (auto& writer : writers) writer.join();
  return failures == 0 ? together : -failures;
}

}  // namespace

TEST_CASE("audit: on PostgreSQL, appends at different centers do not wait for each other") {
  IdentityFixture f(Engine::kPostgres);
  const std::string a = f.create_center("SC001");
  const std::string b = f.create_center("SC002");
  // Both transactions are inside their appends, chain heads locked, at the same time. With one
  // chain head for everything the second would wait for the first's commit and this would fail.
  const auto start = std::chrono::steady_clock::now();
  CHECK(appends_inside_together(f, {a, b}, std::chrono::seconds(20)) == 2);
  CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(10));
  // The control: at one center the second append waits for the first to commit, so the first
  // runs out of patience alone.
  CHECK(appends_inside_together(f, {a, a}, std::chrono::milliseconds(1500)) == 1);
  const auto check = verify(f);
  CHECK(check.ok);
  CHECK(chain_of(check, dms::audit::chain_id_for(a))->rows == 4);
  CHECK(chain_of(check, dms::audit::chain_id_for(b))->rows == 2);
}

TEST_CASE("audit: on PostgreSQL, a transaction retried after a deadlock appends its rows once") {
  IdentityFixture f(Engine::kPostgres);
  const std::string a = f.create_center("SC001");
  const std::string b = f.create_center("SC002");
  auto& store = *f.db->impl().store;
  // Each writer locks its own center's row, waits until the other has done the same, then locks
  // the other's: one of them is chosen as the deadlock victim (40P01) and re-run.
  std::mutex mutex;
  std::condition_variable changed;
  int locked = 0;
  std::atomic<int> attempts{0};
  std::atomic<int> failures{0};
  auto writer = [&](const std::string& mine, const std::string& theirs) {
    bool first_attempt = true;
    try {
      store.write([&](Transaction& tx) {
        ++attempts;
        dms::audit::record(tx, f.system, "TEST", "service_center", mine, Json::object(),
                           Json::object(), mine);
        tx.exec("UPDATE service_centers SET name = name WHERE id = ?", {mine});
        if (first_attempt) {
          first_attempt = false;
          std::unique_lock<std::mutex> lock(mutex);
          ++locked;
          changed.notify_all();
          changed.wait_for(lock, std::chrono::seconds(10), [&] { return locked >= 2; });
        }
        tx.exec("UPDATE service_centers SET name = name WHERE id = ?", {theirs});
      });
    } catch (const dms::Error&) {
      ++failures;
    }
  };
  std::thread one(writer, a, b);
  std::thread two(writer, b, a);
  one.join();
  two.join();
  CHECK(failures == 0);
  // At least one victim ran twice (rarely both: each backend may detect the cycle itself).
  CHECK(attempts >= 3);
  const auto check = verify(f);
  CHECK(check.ok);
  CHECK(chain_of(check, dms::audit::chain_id_for(a))->rows == 2);
  CHECK(chain_of(check, dms::audit::chain_id_for(b))->rows == 2);
  CHECK(f.count("SELECT COUNT(*) FROM audit_logs WHERE action = 'TEST'") == 2);
}
