// The audit log: one hash-chained row per mutation, committed atomically with the mutation.
//
// record() only buffers the row on the transaction; the rows are appended right before COMMIT
// (a storage::Transaction commit hook), so the chain lock is held only for the append at the
// very end of the transaction, after every other lock it takes. A rolled-back transaction leaves
// no row; a retried one (PostgreSQL 40001/40P01) buffers its rows again from scratch.
//
// There is one chain per service center ("center:<id>"), one for records without a center
// ("group"), and the frozen chain of rows written before schema 111 ("legacy"). Appends to a
// chain are serialized by a lock on its head row in audit_chains (SELECT ... FOR UPDATE on
// PostgreSQL; SQLite's write transaction is already exclusive), so writers at different centers
// never wait on each other. A transaction touching several chains locks their heads in chain-id
// order. See docs/security.md and docs/decisions/0008-audit-chains.md.
//
// Thread-safety: free functions over the caller's transaction; the test seam below is global.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "dms/context.hpp"
#include "dms/json.hpp"
#include "storage/store.hpp"

namespace dms::audit {

// Buffers an audit row on `tx`, appended to its chain when `tx` commits: actor, time (now),
// action (CREATE, UPDATE, DELETE, LOGIN, LOGOUT, LOGIN_FAILED, PASSWORD_CHANGE, ...), entity, old
// and new values (for updates only the changed fields; see changed_fields), service center (which
// also picks the chain), request metadata. The row's hash covers the chain id, its position, its
// content and the previous row's hash in the same chain.
void record(storage::Transaction& tx, const Context& ctx, std::string_view action,
            std::string_view entity_type, std::string_view entity_id, const Json& old_values,
            const Json& new_values,
            const std::optional<std::string>& service_center_id = std::nullopt);

// {old: {...}, new: {...}} holding only the top-level fields that differ.
std::pair<Json, Json> changed_fields(const Json& before, const Json& after);

// The chain a row with this service center belongs to: "center:<id>", or "group" without one.
std::string chain_id_for(const std::optional<std::string>& service_center_id);
inline constexpr const char* kLegacyChain = "legacy";  // rows written before schema 111
inline constexpr const char* kGroupChain = "group";

// The verdict on one chain.
struct ChainCheck {
  std::string chain_id;
  bool ok = true;
  int64_t rows = 0;
  int64_t first_bad_seq = 0;  // the position (chain_seq) of the first bad row (0 when ok)
  std::string first_bad_id;   // that row's id, when there is a row at that position
  std::string reason;
  std::string head_hash;  // the hash of the chain's last row when ok
};

// The verdict on every chain.
struct AuditCheck {
  bool ok = true;
  int64_t rows = 0;             // in all chains
  std::string first_bad_chain;  // the first chain that does not verify (in `chains` order)
  int64_t first_bad_seq = 0;    // and its first bad position, row id and reason
  std::string first_bad_id;
  std::string reason;
  // When ok, the anchor to keep outside the database: with one chain its head hash (so a
  // database of the previous release keeps the anchor it had), with none the genesis hash, with
  // several a BLAKE2b digest over every chain's id, length and head hash in `chains` order.
  std::string head_hash;
  std::vector<ChainCheck> chains;  // legacy first, then group, then centers by id
};

// Recomputes every chain from its first row and compares it with its head; names, per chain, the
// first edited, inserted, deleted or reordered row, and rows in a chain that has no head.
AuditCheck verify_chains(storage::Transaction& tx);

// Test seam: called inside the commit-time append, with the chain's head locked, once per chain
// appended to. Pass nullptr to remove. Not for production use.
void set_append_hook_for_testing(std::function<void(const std::string& chain_id)> hook);

}  // namespace dms::audit
