// The audit log: one hash-chained row per mutation, written in the mutation's transaction.
//
// Appends are serialized by a lock on the chain-head row (SELECT ... FOR UPDATE on PostgreSQL;
// SQLite's write transaction is already exclusive), so concurrent transactions cannot fork the
// chain. Call record() as the last statement of a transaction: the head lock is then held for
// the shortest time and is always taken after the transaction's other row locks.
//
// Thread-safety: free functions over the caller's transaction.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "dms/context.hpp"
#include "dms/json.hpp"
#include "storage/store.hpp"

namespace dms::audit {

// Appends an audit row: actor, time, action (CREATE, UPDATE, DELETE, LOGIN, LOGOUT,
// LOGIN_FAILED, PASSWORD_CHANGE, ...), entity, old and new values (for updates only the changed
// fields; see changed_fields), service center, request metadata. The row's hash covers the
// previous row's hash and its own content.
void record(storage::Transaction& tx, const Context& ctx, std::string_view action,
            std::string_view entity_type, std::string_view entity_id, const Json& old_values,
            const Json& new_values,
            const std::optional<std::string>& service_center_id = std::nullopt);

// {old: {...}, new: {...}} holding only the top-level fields that differ.
std::pair<Json, Json> changed_fields(const Json& before, const Json& after);

struct ChainCheck {
  bool ok = true;
  int64_t rows = 0;
  int64_t first_bad_seq = 0;  // the first row that does not verify (0 when ok)
  std::string reason;
  std::string head_hash;  // the hash of the last row when ok: anchor it outside the database
};
// Recomputes the chain from the first row; names the first edited, inserted or deleted row.
ChainCheck verify_chain(storage::Transaction& tx);

}  // namespace dms::audit
