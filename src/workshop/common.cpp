#include "workshop/common.hpp"

#include "dms/error.hpp"
#include "service/service.hpp"
#include "workshop/validation.hpp"

namespace dms::workshop {

Json text_or_null(const storage::Row& row, std::string_view column) {
  auto v = row.opt_str(column);
  return v ? Json(*v) : Json(nullptr);
}

Json time_or_null(const storage::Row& row, std::string_view column) {
  auto v = row.opt_i64(column);
  return v ? Json(Timestamp::from_unix_micros(*v).to_string()) : Json(nullptr);
}

Json money_or_null(const storage::Row& row, std::string_view column) {
  auto v = row.opt_i64(column);
  return v ? Json(Money::from_minor(*v).to_string()) : Json(nullptr);
}

std::string money_text(const storage::Row& row, std::string_view column) {
  return Money::from_minor(row.opt_i64(column).value_or(0)).to_string();
}

Json quantity_or_null(const storage::Row& row, std::string_view column) {
  auto v = row.opt_i64(column);
  return v ? Json(Quantity::from_units(*v).to_string()) : Json(nullptr);
}

std::string percent_text(const storage::Row& row, std::string_view column) {
  return Percent::from_units(row.i64(column)).to_string();
}

Json int_or_null(const storage::Row& row, std::string_view column) {
  auto v = row.opt_i64(column);
  return v ? Json(*v) : Json(nullptr);
}

Json document_or_null(const storage::Row& row, std::string_view column) {
  auto v = row.opt_str(column);
  return v ? Json::parse(*v) : Json(nullptr);
}

Money money_of(const storage::Row& row, std::string_view column) {
  return Money::from_minor(row.opt_i64(column).value_or(0));
}

Quantity quantity_of(const storage::Row& row, std::string_view column) {
  return Quantity::from_units(row.opt_i64(column).value_or(0));
}

std::optional<std::string> opt_trimmed(const request::Fields& f, std::string_view name,
                                       size_t max_len) {
  auto v = f.opt_str(name, max_len);
  if (!v) return std::nullopt;
  std::string t = trim(*v);
  if (t.empty()) return std::nullopt;
  return t;
}

void UpdateBuilder::set(std::string_view column, Value value) {
  if (!assignments_.empty()) assignments_ += ", ";
  assignments_.append(column).append(" = ?");
  values_.push_back(std::move(value));
}

int64_t UpdateBuilder::apply(storage::Transaction& tx, std::string_view table,
                             const std::string& id) {
  std::string sql = "UPDATE ";
  sql.append(table).append(" SET ").append(assignments_).append(" WHERE id = ?");
  std::vector<Value> values = values_;
  values.emplace_back(id);
  return tx.exec(sql, values);
}

ServiceCenterInfo load_service_center(storage::Transaction& tx, const std::string& id,
                                      std::string_view field) {
  auto row = tx.query_one(
      "SELECT id, code, name, state, state_code, gstin FROM service_centers WHERE id = ?", {id});
  if (!row) reference_not_found(field, "service center", id);
  ServiceCenterInfo sc;
  sc.id = row->str("id");
  sc.code = row->str("code");
  sc.name = row->str("name");
  sc.state = row->opt_str("state").value_or("");
  sc.state_code = row->opt_str("state_code").value_or("");
  sc.gstin = row->opt_str("gstin").value_or("");
  return sc;
}

std::optional<UserInfo> find_user(storage::Transaction& tx, const std::string& id) {
  auto row = tx.query_one(
      "SELECT id, first_name, last_name, role, service_center_id, is_active FROM users "
      "WHERE id = ?",
      {id});
  if (!row) return std::nullopt;
  UserInfo user;
  user.id = row->str("id");
  user.name = row->str("first_name") + " " + row->str("last_name");
  user.role = row->str("role");
  user.service_center_id = row->opt_str("service_center_id");
  user.active = row->flag("is_active");
  return user;
}

std::string user_name(storage::Transaction& tx, const std::optional<std::string>& id) {
  if (!id) return {};
  auto user = find_user(tx, *id);
  return user ? user->name : std::string();
}

std::string center_for_new_record(const Context& ctx, const request::Fields& f) {
  auto requested = f.opt_str("serviceCenterId", 100);
  if (!requested || requested->empty()) {
    if (ctx.service_center_id) return *ctx.service_center_id;
    throw Error::Validation("serviceCenterId", "serviceCenterId is required");
  }
  service::require_visible(ctx, *requested, "service center", *requested);
  return *requested;
}

storage::Row load_in_center(storage::Transaction& tx, const Context& ctx, std::string_view table,
                            std::string_view entity, const std::string& id, bool lock,
                            std::string_view field) {
  std::string sql = "SELECT * FROM ";
  sql.append(table).append(" WHERE id = ?").append(lock ? tx.for_update() : "");
  auto row = tx.query_one(sql, {id});
  if (!row) reference_not_found(field, entity, id);
  try {
    service::require_visible(ctx, row->opt_str("service_center_id"), entity, id);
  } catch (const Error&) {
    reference_not_found(field, entity, id);
  }
  return std::move(*row);
}

void reference_not_found(std::string_view field, std::string_view entity, std::string_view id) {
  throw Error(ErrorCode::kNotFound,
              std::string(entity) + " '" + std::string(id.substr(0, 100)) + "' not found",
              std::string(field));
}

}  // namespace dms::workshop
