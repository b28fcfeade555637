#include "service/centers.hpp"

#include <algorithm>

#include "dms/error.hpp"
#include "service/service.hpp"

namespace dms::service {

ServiceCenterInfo load_service_center(storage::Transaction& tx, const std::string& id,
                                      std::string_view field) {
  auto row = tx.query_one(
      "SELECT id, code, name, street, city, state, state_code, zip_code, gstin, phone, email, "
      "upi_id FROM service_centers WHERE id = ?",
      {id});
  if (!row) reference_not_found(field, "service center", id);
  ServiceCenterInfo sc;
  sc.id = row->str("id");
  sc.code = row->str("code");
  sc.name = row->str("name");
  sc.state = row->opt_str("state").value_or("");
  sc.state_code = row->opt_str("state_code").value_or("");
  sc.gstin = row->opt_str("gstin").value_or("");
  sc.street = row->opt_str("street").value_or("");
  sc.city = row->opt_str("city").value_or("");
  sc.zip_code = row->opt_str("zip_code").value_or("");
  sc.phone = row->opt_str("phone").value_or("");
  sc.email = row->opt_str("email").value_or("");
  sc.upi_id = row->opt_str("upi_id").value_or("");
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
  require_visible(ctx, *requested, "service center", *requested);
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
    require_visible(ctx, row->opt_str("service_center_id"), entity, id);
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

AllocatedNumber allocate_number(storage::Transaction& tx, const storage::NumberSeries& s,
                                const ServiceCenterInfo& center, Date date) {
  const storage::NumberFields fields = storage::date_fields(date, {{"scCode", center.code}});
  const std::string scope = storage::format_number(s.scope, 0, fields);
  const std::string longest = storage::format_number(s.pattern, 0, fields);  // checks the pattern
  if (s.max_length > 0 && longest.size() > s.max_length) {
    const size_t rest = longest.size() - std::min(longest.size(), center.code.size());
    const size_t longest_code = s.max_length > rest ? s.max_length - rest : 0;
    throw Error::Validation("numberFormat", std::string(s.name) + " numbers of service center " +
                                                center.code + " would be longer than " +
                                                std::to_string(s.max_length) + " characters ('" +
                                                longest + "'): a center numbering " + s.name +
                                                "s needs a code of at most " +
                                                std::to_string(longest_code) + " characters");
  }
  AllocatedNumber out;
  out.sequence = storage::next_number(tx, s.name, scope);
  out.number = storage::format_number(s.pattern, out.sequence, fields);
  if (s.max_length > 0 && out.number.size() > s.max_length) {
    throw Error::Validation("numberFormat", "number " + out.number + " exceeds " +
                                                std::to_string(s.max_length) + " characters");
  }
  return out;
}

}  // namespace dms::service
