#include "audit/audit.hpp"

#include <sodium.h>

#include <vector>

#include "dms/error.hpp"

namespace dms::audit {
namespace {

// One row per audited mutation; seq is the position in the chain (1, 2, 3, ... with no gaps,
// assigned under the chain-head lock). audit_chain_head holds the last position and hash: it is
// the lock that serializes appends, and it lets verification notice rows cut from the end.
const storage::MigrationRegistration kAuditTables({110, "audit log", R"SQL(
CREATE TABLE audit_logs (
  seq BIGINT PRIMARY KEY,
  id TEXT NOT NULL UNIQUE,
  created_at BIGINT NOT NULL,
  user_id TEXT,
  user_name TEXT NOT NULL,
  user_role TEXT NOT NULL,
  action TEXT NOT NULL,
  entity_type TEXT NOT NULL,
  entity_id TEXT NOT NULL,
  old_values TEXT NOT NULL,
  new_values TEXT NOT NULL,
  service_center_id TEXT,
  request_id TEXT NOT NULL,
  ip_address TEXT NOT NULL,
  user_agent TEXT NOT NULL,
  prev_hash TEXT NOT NULL,
  hash TEXT NOT NULL
);
CREATE INDEX idx_audit_logs_center ON audit_logs(service_center_id, seq);
CREATE INDEX idx_audit_logs_entity ON audit_logs(entity_type, entity_id);
CREATE TABLE audit_chain_head (
  id BIGINT PRIMARY KEY,
  last_seq BIGINT NOT NULL,
  last_hash TEXT NOT NULL
);
INSERT INTO audit_chain_head (id, last_seq, last_hash) VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000')
)SQL"});

constexpr const char* kGenesisHash =
    "0000000000000000000000000000000000000000000000000000000000000000";

// The hashed content of a row, in a fixed order. Every field is length-prefixed (NULL has its own
// marker), so no two different rows serialize to the same bytes.
struct RowContent {
  int64_t seq = 0;
  std::string id;
  int64_t created_at = 0;
  std::optional<std::string> user_id;
  std::string user_name, user_role, action, entity_type, entity_id;
  std::string old_values, new_values;
  std::optional<std::string> service_center_id;
  std::string request_id, ip_address, user_agent, prev_hash;
};

class ChainHasher {
 public:
  ChainHasher() {
    crypto_generichash_init(&state_, nullptr, 0, 32);
    add(std::string_view("dms-audit-v1"));
  }
  void add(std::string_view field) {
    add_length(field.size());
    crypto_generichash_update(&state_, reinterpret_cast<const unsigned char*>(field.data()),
                              field.size());
  }
  void add(const std::optional<std::string>& field) {
    if (field) return add(std::string_view(*field));
    add_length(UINT64_MAX);
  }
  void add(int64_t value) { add(std::string_view(std::to_string(value))); }
  std::string hex() {
    unsigned char digest[32];
    crypto_generichash_final(&state_, digest, sizeof digest);
    char out[65];
    sodium_bin2hex(out, sizeof out, digest, sizeof digest);
    return out;
  }

 private:
  void add_length(uint64_t length) {
    unsigned char bytes[8];
    for (int i = 0; i < 8; ++i) bytes[i] = static_cast<unsigned char>(length >> (8 * i));
    crypto_generichash_update(&state_, bytes, sizeof bytes);
  }
  crypto_generichash_state state_;
};

std::string row_hash(const RowContent& r) {
  ChainHasher h;
  h.add(r.seq);
  h.add(std::string_view(r.id));
  h.add(r.created_at);
  h.add(r.user_id);
  for (const std::string* f : {&r.user_name, &r.user_role, &r.action, &r.entity_type, &r.entity_id,
                               &r.old_values, &r.new_values}) {
    h.add(std::string_view(*f));
  }
  h.add(r.service_center_id);
  for (const std::string* f : {&r.request_id, &r.ip_address, &r.user_agent, &r.prev_hash}) {
    h.add(std::string_view(*f));
  }
  return h.hex();
}

storage::Value text_or_null(const std::optional<std::string>& s) {
  if (!s || s->empty()) return storage::null_value();
  return *s;
}

RowContent content_of(const storage::Row& row) {
  RowContent r;
  r.seq = row.i64("seq");
  r.id = row.str("id");
  r.created_at = row.i64("created_at");
  r.user_id = row.opt_str("user_id");
  r.user_name = row.str("user_name");
  r.user_role = row.str("user_role");
  r.action = row.str("action");
  r.entity_type = row.str("entity_type");
  r.entity_id = row.str("entity_id");
  r.old_values = row.str("old_values");
  r.new_values = row.str("new_values");
  r.service_center_id = row.opt_str("service_center_id");
  r.request_id = row.str("request_id");
  r.ip_address = row.str("ip_address");
  r.user_agent = row.str("user_agent");
  r.prev_hash = row.str("prev_hash");
  return r;
}

std::string values_text(const Json& values) {
  return values.is_null() ? "{}" : values.dump();
}

ChainCheck bad_row(ChainCheck check, int64_t seq, std::string reason) {
  check.ok = false;
  check.first_bad_seq = seq;
  check.reason = std::move(reason);
  return check;
}

}  // namespace

void record(storage::Transaction& tx, const Context& ctx, std::string_view action,
            std::string_view entity_type, std::string_view entity_id, const Json& old_values,
            const Json& new_values, const std::optional<std::string>& service_center_id) {
  if (sodium_init() < 0) throw Error::Internal("libsodium failed to initialise");
  const std::string lock_sql =
      std::string("SELECT last_seq, last_hash FROM audit_chain_head WHERE id = 1") +
      tx.for_update();
  const auto head = tx.query_one(lock_sql);
  if (!head) throw Error::Internal("the audit chain head row is missing");
  RowContent r;
  r.seq = head->i64("last_seq") + 1;
  r.prev_hash = head->str("last_hash");
  r.id = storage::new_id();
  r.created_at = ctx.now().unix_micros();
  if (!ctx.user_id.empty()) r.user_id = ctx.user_id;
  r.user_name = ctx.user_name;
  r.user_role = ctx.role;
  r.action = std::string(action);
  r.entity_type = std::string(entity_type);
  r.entity_id = std::string(entity_id);
  r.old_values = values_text(old_values);
  r.new_values = values_text(new_values);
  if (service_center_id && !service_center_id->empty()) r.service_center_id = service_center_id;
  r.request_id = ctx.meta.request_id;
  r.ip_address = ctx.meta.ip;
  r.user_agent = ctx.meta.user_agent;
  const std::string hash = row_hash(r);
  tx.exec(
      "INSERT INTO audit_logs (seq, id, created_at, user_id, user_name, user_role, action, "
      "entity_type, entity_id, old_values, new_values, service_center_id, request_id, ip_address, "
      "user_agent, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
      {r.seq, r.id, r.created_at, text_or_null(r.user_id), r.user_name, r.user_role, r.action,
       r.entity_type, r.entity_id, r.old_values, r.new_values, text_or_null(r.service_center_id),
       r.request_id, r.ip_address, r.user_agent, r.prev_hash, hash});
  tx.exec("UPDATE audit_chain_head SET last_seq = ?, last_hash = ? WHERE id = 1", {r.seq, hash});
}

std::pair<Json, Json> changed_fields(const Json& before, const Json& after) {
  Json old_values = Json::object();
  Json new_values = Json::object();
  if (!before.is_object() || !after.is_object()) return {before, after};
  for (const auto& [key, value] : after.items()) {
    auto it = before.find(key);
    if (it == before.end() || *it != value) {
      old_values[key] = it == before.end() ? Json() : *it;
      new_values[key] = value;
    }
  }
  for (const auto& [key, value] : before.items()) {
    if (!after.contains(key)) {
      old_values[key] = value;
      new_values[key] = nullptr;
    }
  }
  return {old_values, new_values};
}

ChainCheck verify_chain(storage::Transaction& tx) {
  if (sodium_init() < 0) throw Error::Internal("libsodium failed to initialise");
  constexpr int64_t kBatch = 500;
  ChainCheck check;
  int64_t expected_seq = 1;
  std::string running_hash = kGenesisHash;
  for (;;) {
    const storage::Rows rows = tx.query(
        "SELECT * FROM audit_logs WHERE seq >= ? ORDER BY seq LIMIT ?", {expected_seq, kBatch});
    for (const storage::Row& row : rows) {
      const RowContent r = content_of(row);
      if (r.seq != expected_seq) {
        return bad_row(check, expected_seq,
                       "audit row " + std::to_string(expected_seq) + " is missing");
      }
      if (r.prev_hash != running_hash) {
        return bad_row(check, r.seq,
                       "audit row " + std::to_string(r.seq) + " does not follow its predecessor");
      }
      const std::string recomputed = row_hash(r);
      if (recomputed != row.str("hash")) {
        return bad_row(check, r.seq, "audit row " + std::to_string(r.seq) + " was altered");
      }
      running_hash = recomputed;
      ++check.rows;
      ++expected_seq;
    }
    if (static_cast<int64_t>(rows.size()) < kBatch) break;
  }
  const auto head = tx.query_one("SELECT last_seq, last_hash FROM audit_chain_head WHERE id = 1");
  if (!head) return bad_row(check, expected_seq, "the audit chain head row is missing");
  const int64_t head_seq = head->i64("last_seq");
  if (head_seq > check.rows) {
    return bad_row(check, check.rows + 1,
                   "audit rows " + std::to_string(check.rows + 1) + " to " +
                       std::to_string(head_seq) + " are missing");
  }
  if (head_seq < check.rows) {
    return bad_row(check, head_seq + 1,
                   "audit row " + std::to_string(head_seq + 1) + " was not written by libdms");
  }
  if (head->str("last_hash") != running_hash) {
    return bad_row(check, head_seq, "audit row " + std::to_string(head_seq) + " was replaced");
  }
  check.head_hash = running_hash;
  return check;
}

}  // namespace dms::audit
