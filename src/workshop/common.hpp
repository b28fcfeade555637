// Small helpers shared by the workshop and billing services: converting between stored values
// and response documents, building UPDATE statements, and reading the identity module's service
// centers and users.
//
// Thread-safety: free functions over their arguments.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "dms/context.hpp"
#include "dms/json.hpp"
#include "dms/money.hpp"
#include "dms/time.hpp"
#include "service/request.hpp"
#include "storage/store.hpp"

namespace dms::workshop {

using storage::Value;

// ---- Stored value -> document -----------------------------------------------------------------

// The column as a JSON string, or null.
Json text_or_null(const storage::Row& row, std::string_view column);
// A microsecond timestamp column as RFC 3339, or null.
Json time_or_null(const storage::Row& row, std::string_view column);
// A paise column as "1234.50", or null.
Json money_or_null(const storage::Row& row, std::string_view column);
// A paise column as "1234.50" (NULL reads as zero).
std::string money_text(const storage::Row& row, std::string_view column);
// A thousandths column as a trimmed decimal ("1.5"), or null.
Json quantity_or_null(const storage::Row& row, std::string_view column);
// A ten-thousandths-of-a-percent column as "18".
std::string percent_text(const storage::Row& row, std::string_view column);
// An integer column, or null.
Json int_or_null(const storage::Row& row, std::string_view column);
// A JSON document stored as TEXT, or null.
Json document_or_null(const storage::Row& row, std::string_view column);
Money money_of(const storage::Row& row, std::string_view column);
Quantity quantity_of(const storage::Row& row, std::string_view column);

// ---- Document -> stored value -----------------------------------------------------------------

inline Value text(std::string s) {
  return Value(std::move(s));
}
inline Value text(const std::optional<std::string>& s) {
  return s ? Value(*s) : Value();
}
inline Value integer(int64_t v) {
  return Value(v);
}
inline Value integer(const std::optional<int64_t>& v) {
  return v ? Value(*v) : Value();
}
inline Value micros(Timestamp t) {
  return Value(t.unix_micros());
}
inline Value paise(Money m) {
  return Value(m.minor());
}
inline Value paise(const std::optional<Money>& m) {
  return m ? Value(m->minor()) : Value();
}
inline Value thousandths(Quantity q) {
  return Value(q.units());
}
inline Value date_text(const std::optional<Date>& d) {
  return d ? Value(d->to_string()) : Value();
}

// An optional trimmed string field: absent, null or blank all read as nullopt.
std::optional<std::string> opt_trimmed(const request::Fields& f, std::string_view name,
                                       size_t max_len = 1000);

// Collects "column = ?" assignments for one UPDATE.
class UpdateBuilder {
 public:
  void set(std::string_view column, Value value);
  bool empty() const { return assignments_.empty(); }
  // "UPDATE <table> SET a = ?, b = ? WHERE id = ?" executed with `id` appended.
  int64_t apply(storage::Transaction& tx, std::string_view table, const std::string& id);

 private:
  std::string assignments_;
  std::vector<Value> values_;
};

// ---- Identity lookups (tables of the identity module) -----------------------------------------

struct ServiceCenterInfo {
  std::string id;
  std::string code;
  std::string name;
  std::string state_code;  // GST state code of the center ("27"); may be empty
  std::string state;       // state name
  std::string gstin;
};

struct UserInfo {
  std::string id;
  std::string name;
  std::string role;
  std::optional<std::string> service_center_id;
  bool active = true;
};

// NOT_FOUND naming `field` when the center does not exist.
ServiceCenterInfo load_service_center(storage::Transaction& tx, const std::string& id,
                                      std::string_view field = "serviceCenterId");
std::optional<UserInfo> find_user(storage::Transaction& tx, const std::string& id);
// The display name of a user, or empty.
std::string user_name(storage::Transaction& tx, const std::optional<std::string>& id);

// The service center a new record of `ctx` belongs to: the request's serviceCenterId, or the
// actor's own. Users confined to their center may only name their own (NOT_FOUND otherwise, as
// for any record of another center); VALIDATION when neither gives one.
std::string center_for_new_record(const Context& ctx, const request::Fields& f);

// A row of `table` that belongs to a service center (column service_center_id) the actor may
// see; NOT_FOUND naming `field` otherwise (another center's record is reported as missing).
// `lock` adds FOR UPDATE.
storage::Row load_in_center(storage::Transaction& tx, const Context& ctx, std::string_view table,
                            std::string_view entity, const std::string& id, bool lock = false,
                            std::string_view field = "id");

// The user id of the actor, or NULL for the system context.
inline Value actor(const Context& ctx) {
  return ctx.user_id.empty() ? Value() : Value(ctx.user_id);
}

// NOT_FOUND with `field` set, for references in a request.
[[noreturn]] void reference_not_found(std::string_view field, std::string_view entity,
                                      std::string_view id);

}  // namespace dms::workshop
