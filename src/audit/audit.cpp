#include "audit/audit.hpp"

#include <sodium.h>

#include <algorithm>
#include <map>
#include <memory>
#include <mutex>
#include <vector>

#include "dms/error.hpp"
#include "service/rows.hpp"

namespace dms::audit {
namespace {

// Schema 110 (the previous release): one chain for the whole database. seq was the position in
// it (1, 2, 3, ... with no gaps, assigned under the lock of the single audit_chain_head row).
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

// Schema 111: one chain per service center. audit_logs gains chain_id and chain_seq (the
// position in that chain: 1, 2, 3, ... with no gaps, assigned at commit under the lock of the
// chain's audit_chains row); seq becomes an auto-assigned number that orders rows across chains
// for listing (on PostgreSQL it may have gaps) and is not part of any hash. The rows of the
// single chain of schema 110 keep their hashes as the frozen chain "legacy" (chain_seq = their
// old seq, hashed with the v1 rule); the old head becomes its audit_chains row. Nothing is
// re-hashed: re-hashing would bless whatever had been edited before the upgrade.
const storage::MigrationRegistration kAuditChains({111, "audit log: one chain per service center",
                                                   R"SQL(
CREATE TABLE audit_entries (
  seq {{ID}},
  id TEXT NOT NULL UNIQUE,
  chain_id TEXT NOT NULL,
  chain_seq BIGINT NOT NULL,
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
  hash TEXT NOT NULL,
  UNIQUE (chain_id, chain_seq)
);
INSERT INTO audit_entries (id, chain_id, chain_seq, created_at, user_id, user_name, user_role,
  action, entity_type, entity_id, old_values, new_values, service_center_id, request_id,
  ip_address, user_agent, prev_hash, hash)
SELECT id, 'legacy', seq, created_at, user_id, user_name, user_role, action, entity_type,
  entity_id, old_values, new_values, service_center_id, request_id, ip_address, user_agent,
  prev_hash, hash FROM audit_logs ORDER BY seq;
DROP TABLE audit_logs;
ALTER TABLE audit_entries RENAME TO audit_logs;
CREATE INDEX idx_audit_logs_center ON audit_logs(service_center_id, seq);
CREATE INDEX idx_audit_logs_entity ON audit_logs(entity_type, entity_id);
CREATE TABLE audit_chains (
  chain_id TEXT PRIMARY KEY,
  last_seq BIGINT NOT NULL,
  last_hash TEXT NOT NULL
);
INSERT INTO audit_chains (chain_id, last_seq, last_hash)
SELECT 'legacy', last_seq, last_hash FROM audit_chain_head WHERE id = 1 AND last_seq > 0;
DROP TABLE audit_chain_head
)SQL"});

constexpr const char* kGenesisHash =
    "0000000000000000000000000000000000000000000000000000000000000000";
constexpr const char* kCenterPrefix = "center:";

// The hashed content of a row, in a fixed order. Every field is length-prefixed (NULL has its own
// marker), so no two different rows serialize to the same bytes.
struct RowContent {
  std::string chain_id;
  int64_t chain_seq = 0;
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
  explicit ChainHasher(std::string_view domain) {
    crypto_generichash_init(&state_, nullptr, 0, 32);
    add(domain);
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

// The fields after the position, shared by both rules.
void add_content(ChainHasher& h, const RowContent& r) {
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
}

// v2 (schema 111 on): the chain id, the position in the chain, then the content.
std::string row_hash(const RowContent& r) {
  ChainHasher h("dms-audit-v2");
  h.add(std::string_view(r.chain_id));
  h.add(r.chain_seq);
  add_content(h, r);
  return h.hex();
}

// v1 (schema 110, the "legacy" chain): the position in the single chain, then the content.
std::string legacy_row_hash(const RowContent& r) {
  ChainHasher h("dms-audit-v1");
  h.add(r.chain_seq);
  add_content(h, r);
  return h.hex();
}

RowContent content_of(const storage::Row& row) {
  RowContent r;
  r.chain_id = row.str("chain_id");
  r.chain_seq = row.i64("chain_seq");
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

void ensure_sodium() {
  if (sodium_init() < 0) throw Error::Internal("libsodium failed to initialise");
}

// ---- The test seam ----------------------------------------------------------------------------

std::mutex& append_hook_mutex() {
  static std::mutex mutex;
  return mutex;
}
std::shared_ptr<const std::function<void(const std::string&)>>& append_hook() {
  static std::shared_ptr<const std::function<void(const std::string&)>> hook;
  return hook;
}

void call_append_hook(const std::string& chain_id) {
  std::shared_ptr<const std::function<void(const std::string&)>> hook;
  {
    std::lock_guard<std::mutex> lock(append_hook_mutex());
    hook = append_hook();
  }
  if (hook) (*hook)(chain_id);
}

// ---- Appending at commit ----------------------------------------------------------------------

// Appends the rows of one chain, in the order they were recorded, under the chain's head lock.
void append_chain(storage::Transaction& tx, const std::string& chain_id,
                  const std::vector<RowContent*>& rows) {
  const std::string lock_sql =
      std::string("SELECT last_seq, last_hash FROM audit_chains WHERE chain_id = ?") +
      tx.for_update();
  auto head = tx.query_one(lock_sql, {chain_id});
  if (!head) {
    // The chain's first row. Concurrent first writers meet on the primary key: the later one
    // waits for the earlier to commit, then locks the row it created.
    tx.exec(
        "INSERT INTO audit_chains (chain_id, last_seq, last_hash) VALUES (?, 0, ?) "
        "ON CONFLICT (chain_id) DO NOTHING",
        {chain_id, std::string(kGenesisHash)});
    head = tx.query_one(lock_sql, {chain_id});
    if (!head) throw Error::Internal("the audit chain head of " + chain_id + " is missing");
  }
  call_append_hook(chain_id);
  int64_t seq = head->i64("last_seq");
  std::string prev_hash = head->str("last_hash");
  for (RowContent* r : rows) {
    r->chain_seq = ++seq;
    r->prev_hash = prev_hash;
    std::string hash = row_hash(*r);
    tx.exec(
        "INSERT INTO audit_logs (id, chain_id, chain_seq, created_at, user_id, user_name, "
        "user_role, action, entity_type, entity_id, old_values, new_values, service_center_id, "
        "request_id, ip_address, user_agent, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, "
        "?, ?, ?, ?, ?, ?, ?, ?, ?)",
        {r->id, r->chain_id, r->chain_seq, r->created_at, rows::null_if_empty(r->user_id),
         r->user_name, r->user_role, r->action, r->entity_type, r->entity_id, r->old_values,
         r->new_values, rows::null_if_empty(r->service_center_id), r->request_id, r->ip_address,
         r->user_agent, r->prev_hash, hash});
    prev_hash = std::move(hash);
  }
  tx.exec("UPDATE audit_chains SET last_seq = ?, last_hash = ? WHERE chain_id = ?",
          {seq, prev_hash, chain_id});
}

// The rows record() buffered on one transaction.
class PendingRows final : public storage::Transaction::CommitHook {
 public:
  std::vector<RowContent> rows;

  void before_commit(storage::Transaction& tx) override {
    if (rows.empty()) return;
    ensure_sodium();
    // Chains in id order: two transactions appending to the same chains lock them in one order.
    std::map<std::string, std::vector<RowContent*>> by_chain;
    for (RowContent& r : rows) by_chain[r.chain_id].push_back(&r);
    for (const auto& [chain_id, chain_rows] : by_chain) append_chain(tx, chain_id, chain_rows);
    rows.clear();
  }
};

// ---- Verification -----------------------------------------------------------------------------

struct Head {
  int64_t last_seq = 0;
  std::string last_hash;
};

ChainCheck bad_row(ChainCheck check, int64_t seq, std::string id, const std::string& reason) {
  check.ok = false;
  check.first_bad_seq = seq;
  check.first_bad_id = std::move(id);
  check.reason = "chain " + check.chain_id + ": " + reason;
  return check;
}

std::string row_name(int64_t seq) {
  return "audit row " + std::to_string(seq);
}

ChainCheck verify_one(storage::Transaction& tx, const std::string& chain_id,
                      const std::optional<Head>& head) {
  constexpr int64_t kBatch = 500;
  const bool legacy = chain_id == kLegacyChain;
  ChainCheck check;
  check.chain_id = chain_id;
  if (!head) {
    const auto first = tx.query_one(
        "SELECT id, chain_seq FROM audit_logs WHERE chain_id = ? ORDER BY chain_seq LIMIT 1",
        {chain_id});
    return bad_row(check, first ? first->i64("chain_seq") : 1, first ? first->str("id") : "",
                   "the chain has no head: its rows were not appended by libdms");
  }
  int64_t expected_seq = 1;
  std::string running_hash = kGenesisHash;
  for (;;) {
    const storage::Rows rows = tx.query(
        "SELECT * FROM audit_logs WHERE chain_id = ? AND chain_seq >= ? ORDER BY chain_seq LIMIT ?",
        {chain_id, expected_seq, kBatch});
    for (const storage::Row& row : rows) {
      const RowContent r = content_of(row);
      if (r.chain_seq != expected_seq) {
        return bad_row(check, expected_seq, "", row_name(expected_seq) + " is missing");
      }
      if (r.prev_hash != running_hash) {
        return bad_row(check, r.chain_seq, r.id,
                       row_name(r.chain_seq) + " does not follow its predecessor");
      }
      const std::string recomputed = legacy ? legacy_row_hash(r) : row_hash(r);
      if (recomputed != row.str("hash")) {
        return bad_row(check, r.chain_seq, r.id, row_name(r.chain_seq) + " was altered");
      }
      running_hash = recomputed;
      ++check.rows;
      ++expected_seq;
    }
    if (static_cast<int64_t>(rows.size()) < kBatch) break;
  }
  if (head->last_seq > check.rows) {
    return bad_row(check, check.rows + 1, "",
                   head->last_seq == check.rows + 1
                       ? row_name(check.rows + 1) + " is missing"
                       : "audit rows " + std::to_string(check.rows + 1) + " to " +
                             std::to_string(head->last_seq) + " are missing");
  }
  if (head->last_seq < check.rows) {
    const auto extra =
        tx.query_one("SELECT id FROM audit_logs WHERE chain_id = ? AND chain_seq = ?",
                     {chain_id, head->last_seq + 1});
    return bad_row(check, head->last_seq + 1, extra ? extra->str("id") : "",
                   row_name(head->last_seq + 1) + " was not written by libdms");
  }
  if (head->last_hash != running_hash) {
    return bad_row(check, head->last_seq, "", row_name(head->last_seq) + " was replaced");
  }
  check.head_hash = running_hash;
  return check;
}

// legacy, group, then the centers in id order.
int chain_rank(const std::string& chain_id) {
  if (chain_id == kLegacyChain) return 0;
  if (chain_id == kGroupChain) return 1;
  return 2;
}

}  // namespace

void record(storage::Transaction& tx, const Context& ctx, std::string_view action,
            std::string_view entity_type, std::string_view entity_id, const Json& old_values,
            const Json& new_values, const std::optional<std::string>& service_center_id) {
  RowContent r;
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
  r.chain_id = chain_id_for(r.service_center_id);
  r.request_id = ctx.meta.request_id;
  r.ip_address = ctx.meta.ip;
  r.user_agent = ctx.meta.user_agent;
  tx.commit_hook<PendingRows>().rows.push_back(std::move(r));
}

std::string chain_id_for(const std::optional<std::string>& service_center_id) {
  if (!service_center_id || service_center_id->empty()) return kGroupChain;
  return kCenterPrefix + *service_center_id;
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

AuditCheck verify_chains(storage::Transaction& tx) {
  ensure_sodium();
  std::map<std::string, std::optional<Head>> chains;
  for (const storage::Row& row :
       tx.query("SELECT chain_id, last_seq, last_hash FROM audit_chains")) {
    chains[row.str("chain_id")] = Head{row.i64("last_seq"), row.str("last_hash")};
  }
  // Rows of a chain that has no head (inserted behind the library's back) are checked too.
  for (const storage::Row& row : tx.query("SELECT DISTINCT chain_id FROM audit_logs")) {
    chains.emplace(row.str("chain_id"), std::nullopt);
  }
  std::vector<std::string> order;
  for (const auto& entry : chains) order.push_back(entry.first);
  std::stable_sort(order.begin(), order.end(), [](const std::string& a, const std::string& b) {
    return chain_rank(a) < chain_rank(b);
  });

  AuditCheck all;
  for (const std::string& chain_id : order) {
    ChainCheck check = verify_one(tx, chain_id, chains[chain_id]);
    all.rows += check.rows;
    if (!check.ok && all.ok) {
      all.ok = false;
      all.first_bad_chain = check.chain_id;
      all.first_bad_seq = check.first_bad_seq;
      all.first_bad_id = check.first_bad_id;
      all.reason = check.reason;
    }
    all.chains.push_back(std::move(check));
  }
  if (!all.ok) return all;
  if (all.chains.empty()) {
    all.head_hash = kGenesisHash;
  } else if (all.chains.size() == 1) {
    all.head_hash = all.chains.front().head_hash;
  } else {
    ChainHasher h("dms-audit-heads-v1");
    for (const ChainCheck& c : all.chains) {
      h.add(std::string_view(c.chain_id));
      h.add(c.rows);
      h.add(std::string_view(c.head_hash));
    }
    all.head_hash = h.hex();
  }
  return all;
}

void set_append_hook_for_testing(std::function<void(const std::string& chain_id)> hook) {
  std::lock_guard<std::mutex> lock(append_hook_mutex());
  append_hook() =
      hook ? std::make_shared<const std::function<void(const std::string&)>>(std::move(hook))
           : nullptr;
}

}  // namespace dms::audit
