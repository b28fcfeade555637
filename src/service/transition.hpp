// The module kit's one status-change function. Every status change of every module goes through
// transition(): it checks the move against the entity's workflow table (include/dms/workflow.hpp;
// INVALID_STATUS_TRANSITION naming both states otherwise, nothing changed), writes the new status
// and the columns that come with it in one UPDATE guarded by the old status, appends the status
// history where the entity has one, emits the event and records the audit row, all in the
// caller's transaction.
//
//   service::StatusChange change{"inv_purchase_orders", "purchase_order", po.id};
//   change.set("approved_by", actor).set("approved_at", now);
//   change.action = "APPROVE";
//   change.event = {"purchase_order.approved", payload, "central_inventory_manager"};
//   service::transition(tx, ctx, kPoFlow, po.status, PoStatus::kApproved, std::move(change));
//
// A side effect of a move that changes another entity's status (a job card's pending parts
// requests cancelled with it, the vehicle freed when its invoice is paid) is a transition() of
// that entity too: audited, with its event.
//
// Status names come only from the flow tables (*/workflows.hpp); the test "status names appear
// only in the flow tables" (tests/unit/test_flow_tables.cpp) greps src/ for quoted names.
//
// Thread-safety: free functions over the caller's transaction.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "dms/context.hpp"
#include "dms/json.hpp"
#include "dms/workflow.hpp"
#include "storage/store.hpp"

namespace dms::service {

// An event emitted by a transition. With an empty type the transition emits
// "<entity_type>.status_changed" with {id, from, to}.
struct TransitionEvent {
  std::string type;
  Json payload = Json::object();
  std::string audience_role;
};

// Where the entity's status lives and what comes with a change of it.
struct StatusChange {
  StatusChange(std::string table_name, std::string entity, std::string row_id)
      : table(std::move(table_name)), entity_type(std::move(entity)), id(std::move(row_id)) {}

  std::string table;        // the entity's table ("inv_purchase_orders")
  std::string entity_type;  // the audit entity and default event prefix ("purchase_order")
  std::string id;           // the row's id
  std::string column = "status";
  std::string audit_field = "status";  // the field naming the status in the audit row
  std::optional<std::string> service_center_id;
  bool touch_updated_at = true;  // also sets updated_at (tables that have one)
  // Stored instead of the state's name (a state stored as NULL, for example).
  std::optional<storage::Value> stored_to;
  std::optional<storage::Value> stored_from;

  // The columns that come with the move (timestamps, actor, reason...), written in the same
  // UPDATE as the status.
  std::vector<std::pair<std::string, storage::Value>> columns;
  StatusChange& set(std::string name, storage::Value value) {
    columns.emplace_back(std::move(name), std::move(value));
    return *this;
  }

  // Status history: a row (id, <key>, from_status, to_status, notes, changed_by, changed_at) in
  // `history_table` when it is set.
  std::string history_table;
  std::string history_key;
  std::optional<std::string> notes;

  // The audit row: `action` on entity_type/id. Old values hold audit_field = from, new values
  // audit_field = to, plus what is given here. With `audit_after`, the new values are what it
  // returns, called after the UPDATE (for example the reloaded document); with
  // `audit_changed_only`, both are reduced to the fields that differ (audit::changed_fields).
  std::string action = "UPDATE";
  Json audit_old = Json::object();
  Json audit_new = Json::object();
  std::function<Json()> audit_after;
  bool audit_changed_only = false;

  TransitionEvent event;
};

// The non-template half of transition(): writes the status (named `to`, stored as
// change.stored_to when given), the history row, the event and the audit row. CONFLICT when the
// row is no longer in `from` (REQUIRES: the caller loaded, and on PostgreSQL locked, the row).
void apply_status_change(storage::Transaction& tx, const Context& ctx, const char* from,
                         const char* to, StatusChange change);

template <class State>
void transition(storage::Transaction& tx, const Context& ctx, const Workflow<State>& flow,
                State from, State to, StatusChange change) {
  flow.require(from, to);
  apply_status_change(tx, ctx, flow.name(from), flow.name(to), std::move(change));
}

// The names of `states` in `flow`, for SQL parameters ("status IN (?, ?)").
template <class State>
std::vector<storage::Value> names_of(const Workflow<State>& flow,
                                     std::initializer_list<State> states) {
  std::vector<storage::Value> names;
  for (State s : states) names.emplace_back(std::string(flow.name(s)));
  return names;
}

// "'A', 'B'": the names of `states` as SQL text, for expressions that cannot take parameters (a
// list spec's computed field). The names are the tables' constant identifiers.
template <class State>
std::string sql_names(const Workflow<State>& flow, std::initializer_list<State> states) {
  std::string out;
  for (State s : states) out += std::string(out.empty() ? "'" : ", '") + flow.name(s) + "'";
  return out;
}

// "?, ?, ?" for `n` parameters.
std::string placeholders(size_t n);

}  // namespace dms::service
