// The module kit's status change: see service/transition.hpp.
#include "service/transition.hpp"

#include <variant>

#include "audit/audit.hpp"
#include "dms/error.hpp"
#include "events/outbox.hpp"

namespace dms::service {
namespace {

using storage::Value;

Json json_of_value(const Value& v) {
  if (const auto* s = std::get_if<std::string>(&v)) return *s;
  if (const auto* i = std::get_if<int64_t>(&v)) return *i;
  return nullptr;
}

void write_status(storage::Transaction& tx, const Context& ctx, const StatusChange& change,
                  const Value& from, const Value& to) {
  std::string sql = "UPDATE " + change.table + " SET " + change.column + " = ?";
  std::vector<Value> params{to};
  for (const auto& [name, value] : change.columns) {
    sql += ", " + name + " = ?";
    params.push_back(value);
  }
  if (change.touch_updated_at) {
    sql += ", updated_at = ?";
    params.emplace_back(ctx.now().unix_micros());
  }
  sql += " WHERE id = ? AND ";
  params.emplace_back(change.id);
  if (std::holds_alternative<std::monostate>(from)) {
    sql += change.column + " IS NULL";
  } else {
    sql += change.column + " = ?";
    params.push_back(from);
  }
  if (tx.exec(sql, params) != 1) {
    throw Error::Conflict(change.entity_type + " " + change.id +
                          " changed status meanwhile: retry the request");
  }
}

void append_history(storage::Transaction& tx, const Context& ctx, const StatusChange& change,
                    const Json& from, const Json& to) {
  if (change.history_table.empty()) return;
  const auto text = [](const Json& j) {
    return j.is_string() ? Value(j.get<std::string>()) : Value();
  };
  tx.exec("INSERT INTO " + change.history_table + " (id, " + change.history_key +
              ", from_status, to_status, notes, changed_by, changed_at) VALUES (?, ?, ?, ?, ?, ?, "
              "?)",
          {storage::new_id(), change.id, text(from), text(to),
           change.notes ? Value(*change.notes) : Value(),
           ctx.user_id.empty() ? Value() : Value(ctx.user_id), ctx.now().unix_micros()});
}

}  // namespace

std::string placeholders(size_t n) {
  std::string out;
  for (size_t i = 0; i < n; ++i) out += i == 0 ? "?" : ", ?";
  return out;
}

void apply_status_change(storage::Transaction& tx, const Context& ctx, const char* from,
                         const char* to, StatusChange change) {
  const Value stored_from = change.stored_from.value_or(Value(std::string(from)));
  const Value stored_to = change.stored_to.value_or(Value(std::string(to)));
  const Json from_json = json_of_value(stored_from);
  const Json to_json = json_of_value(stored_to);
  write_status(tx, ctx, change, stored_from, stored_to);
  append_history(tx, ctx, change, from_json, to_json);

  TransitionEvent& event = change.event;
  if (event.type.empty()) {
    event.type = change.entity_type + ".status_changed";
    event.payload["id"] = change.id;
    event.payload["from"] = from_json;
    event.payload["to"] = to_json;
  }
  events::emit(tx, ctx, event.type, event.payload, change.service_center_id, event.audience_role);

  Json old_values = std::move(change.audit_old);
  Json new_values = change.audit_after ? change.audit_after() : std::move(change.audit_new);
  if (!old_values.contains(change.audit_field)) old_values[change.audit_field] = from_json;
  if (!new_values.contains(change.audit_field)) new_values[change.audit_field] = to_json;
  if (change.audit_changed_only) {
    auto [o, n] = audit::changed_fields(old_values, new_values);
    old_values = std::move(o);
    new_values = std::move(n);
  }
  audit::record(tx, ctx, change.action, change.entity_type, change.id, old_values, new_values,
                change.service_center_id);
}

}  // namespace dms::service
