// serviceCenters.Create / Update / Get / List.
#include "identity/service_centers.hpp"

#include <algorithm>
#include <cctype>

#include "audit/audit.hpp"
#include "dms/error.hpp"
#include "dms/gst.hpp"
#include "events/outbox.hpp"
#include "identity/accounts.hpp"
#include "service/entity.hpp"
#include "service/request.hpp"
#include "service/rows.hpp"
#include "service/service.hpp"

namespace dms::identity {
namespace {

constexpr const char* kEntity = "service_center";
constexpr const char* kEditableFields[] = {"code",  "name",      "address",  "gstin", "phone",
                                           "email", "managerId", "isActive", "upiId"};
constexpr const char* kAddressFields[] = {"street",    "city",    "state",
                                          "stateCode", "zipCode", "country"};

// The validated content of a service center (everything but id and timestamps).
struct CenterInput {
  std::string code;
  std::string name;
  std::optional<std::string> street, city, state, state_code, zip_code, country;
  std::optional<std::string> gstin, phone, email, manager_id;
  std::optional<std::string> upi_id;  // the payee of the UPI link printed on invoices
  bool is_active = true;
};

// A UPI virtual payment address: "name@bank", 3-255 characters of letters, digits, '.', '-', '_'
// before the '@' and letters after it (NPCI's format).
std::string parse_upi_id(const std::string& text) {
  const std::string id = rows::trim(text);
  const size_t at = id.find('@');
  bool ok = at != std::string::npos && at >= 2 && at + 2 <= id.size() && id.size() <= 255 &&
            id.find('@', at + 1) == std::string::npos;
  for (size_t i = 0; ok && i < id.size(); ++i) {
    const char c = id[i];
    const bool alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    ok = i == at || (i < at ? alnum || c == '.' || c == '-' || c == '_' : alnum);
  }
  if (!ok) throw Error::Validation("upiId", "upiId must be a UPI address such as dealer@okbank");
  return id;
}

void reject_unknown_fields(const Json& doc) {
  for (const auto& [key, value] : doc.items()) {
    const bool known = std::any_of(std::begin(kEditableFields), std::end(kEditableFields),
                                   [&](const char* f) { return key == f; });
    if (!known) throw Error::Validation(key, key + " is not a field of a service center");
  }
}

std::string parse_code(const request::Fields& fields) {
  const std::string code = rows::upper(fields.str("code", 2, 20));
  const bool ok = std::all_of(code.begin(), code.end(), [](char c) {
    return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-';
  });
  if (!ok) throw Error::Validation("code", "code may hold only letters, digits and '-'");
  return code;
}

// Resolves the state name and GST state code from whichever of stateCode, state and the GSTIN
// were given, and checks that they agree.
void resolve_state(CenterInput& c) {
  if (c.state_code) {
    const IndianState* s = find_state_by_code(*c.state_code);
    if (!s) throw Error::Validation("address.stateCode", "unknown GST state code");
    if (!c.state) c.state = s->name;
  } else if (c.state) {
    const IndianState* s = find_state_by_name(*c.state);
    if (!s) throw Error::Validation("address.state", "unknown Indian state");
    c.state_code = s->code;
  }
  if (!c.gstin) return;
  c.gstin = rows::upper(*c.gstin);
  const IndianState& gstin_state = validate_gstin(*c.gstin, "gstin");
  if (!c.state_code) {
    c.state_code = gstin_state.code;
    c.state = gstin_state.name;
  } else if (*c.state_code != gstin_state.code) {
    throw Error::Validation("gstin", "the GSTIN is registered in state " +
                                         std::string(gstin_state.code) +
                                         ", not the service center's state " + *c.state_code);
  }
}

CenterInput parse_center(const Json& doc) {
  const request::Fields fields(doc);
  CenterInput c;
  c.code = parse_code(fields);
  c.name = fields.str("name", 1, 200);
  if (fields.has("address")) {
    const request::Fields address = fields.object("address");
    for (const auto& [key, value] : fields.raw("address").items()) {
      if (std::none_of(std::begin(kAddressFields), std::end(kAddressFields),
                       [&](const char* f) { return key == f; })) {
        throw Error::Validation("address." + key, key + " is not a field of an address");
      }
    }
    c.street = address.opt_str("street", 300);
    c.city = address.opt_str("city", 100);
    c.state = address.opt_str("state", 100);
    c.state_code = address.opt_str("stateCode", 2);
    c.zip_code = address.opt_str("zipCode", 12);
    c.country = address.opt_str("country", 100);
  }
  c.gstin = fields.opt_str("gstin", 15);
  resolve_state(c);
  if (auto phone = fields.opt_str("phone", 30)) c.phone = normalize_phone(*phone, "phone");
  if (auto email = fields.opt_str("email", 254)) c.email = normalize_email(*email, "email");
  c.manager_id = fields.opt_str("managerId", 64);
  if (auto upi = fields.opt_str("upiId", 255)) c.upi_id = parse_upi_id(*upi);
  c.is_active = fields.boolean("isActive", true);
  return c;
}

// The center's document, from its description (service_center_list).
Json document_of(const storage::Row& row) {
  return storage::render_row(service_center_list(), row);
}

// A manager must be an active user who either works across centers or belongs to this one.
void check_manager(storage::Transaction& tx, const CenterInput& c, const std::string& center_id) {
  if (!c.manager_id) return;
  const auto manager = find_user(tx, *c.manager_id);
  if (!manager || !manager->is_active) {
    throw Error::Validation("managerId", "managerId must name an active user");
  }
  if (manager->service_center_id && *manager->service_center_id != center_id) {
    throw Error::Validation("managerId", "the manager belongs to another service center");
  }
}

void check_code_free(storage::Transaction& tx, const std::string& code, const std::string& id) {
  if (tx.query_one("SELECT id FROM service_centers WHERE code = ? AND id <> ?", {code, id})) {
    throw Error::Duplicate("code", "a service center with code " + code + " exists");
  }
}

std::vector<storage::Value> column_values(const CenterInput& c) {
  return {c.code,
          c.name,
          rows::null_if_empty(c.street),
          rows::null_if_empty(c.city),
          rows::null_if_empty(c.state),
          rows::null_if_empty(c.state_code),
          rows::null_if_empty(c.zip_code),
          rows::null_if_empty(c.country),
          rows::null_if_empty(c.gstin),
          rows::null_if_empty(c.phone),
          rows::null_if_empty(c.email),
          rows::null_if_empty(c.manager_id),
          int64_t{c.is_active ? 1 : 0},
          rows::null_if_empty(c.upi_id)};
}

Json load_visible(storage::Transaction& tx, const Context& ctx, const std::string& id) {
  auto doc = find_service_center(tx, id);
  // A confined user sees only their own center; any other is "not found".
  if (!doc) throw Error::NotFound(kEntity, id);
  service::require_in_scope(ctx, id, kEntity, id);
  return *doc;
}

Json create_center(Env& env, const Context& ctx, const Json& req) {
  ctx.require("service_centers:create");
  reject_unknown_fields(req);
  const CenterInput c = parse_center(req);
  return env.store->write([&](storage::Transaction& tx) {
    const std::string id = storage::new_id();
    check_code_free(tx, c.code, id);
    check_manager(tx, c, id);
    const int64_t now = ctx.now().unix_micros();
    std::vector<storage::Value> values = column_values(c);
    values.insert(values.begin(), id);
    values.push_back(now);
    values.push_back(now);
    tx.exec(
        "INSERT INTO service_centers (id, code, name, street, city, state, state_code, zip_code, "
        "country, gstin, phone, email, manager_id, is_active, upi_id, created_at, updated_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        values);
    const Json doc = *find_service_center(tx, id);
    events::emit(tx, ctx, "service_center.created", {{"serviceCenterId", id}, {"code", c.code}},
                 id);
    audit::record(tx, ctx, "CREATE", kEntity, id, Json::object(), doc, id);
    return doc;
  });
}

Json update_center(Env& env, const Context& ctx, const Json& req) {
  ctx.require("service_centers:update");
  const std::string id = request::Fields(req).str("id", 1, 64);
  Json patch = req;
  patch.erase("id");
  reject_unknown_fields(patch);
  return env.store->write([&](storage::Transaction& tx) {
    const Json before = load_visible(tx, ctx, id);
    Json merged = before;
    merged.merge_patch(patch);
    // A new state name without a code replaces the old code rather than contradicting it.
    const Json& address_patch = patch.contains("address") ? patch["address"] : Json();
    if (address_patch.is_object() && address_patch.contains("state") &&
        !address_patch.contains("stateCode") && merged["address"].is_object()) {
      merged["address"]["stateCode"] = nullptr;
    }
    const CenterInput c = parse_center(merged);
    check_code_free(tx, c.code, id);
    check_manager(tx, c, id);
    std::vector<storage::Value> values = column_values(c);
    values.push_back(ctx.now().unix_micros());
    values.push_back(id);
    tx.exec(
        "UPDATE service_centers SET code = ?, name = ?, street = ?, city = ?, state = ?, "
        "state_code = ?, zip_code = ?, country = ?, gstin = ?, phone = ?, email = ?, "
        "manager_id = ?, is_active = ?, upi_id = ?, updated_at = ? WHERE id = ?",
        values);
    const Json after = *find_service_center(tx, id);
    auto [old_values, new_values] = audit::changed_fields(before, after);
    audit::record(tx, ctx, "UPDATE", kEntity, id, old_values, new_values, id);
    return after;
  });
}

Json get_center(Env& env, const Context& ctx, const Json& req) {
  ctx.require("service_centers:read");
  const std::string id = request::Fields(req).str("id", 1, 64);
  return env.store->read([&](storage::Transaction& tx) {
    load_visible(tx, ctx, id);
    return service::get_entity(env, tx, service_center_list(), id, kEntity, req);
  });
}

Json list_centers(Env& env, const Context& ctx, const Json& req) {
  ctx.require("service_centers:read");
  return env.store->read([&](storage::Transaction& tx) {
    return service::list_entity(env, ctx, tx, service_center_list(), req);
  });
}

const service::MethodRegistration kCreate("serviceCenters.Create", create_center);
const service::MethodRegistration kUpdate("serviceCenters.Update", update_center);
const service::MethodRegistration kGet("serviceCenters.Get", get_center);
const service::MethodRegistration kList("serviceCenters.List", list_centers, service_center_list);

}  // namespace

const storage::ListSpec& service_center_list() {
  static const storage::ListSpec spec = [] {
    using storage::FieldType;
    constexpr unsigned kFilterSort = storage::kFilter | storage::kSort;
    constexpr unsigned kOptional = storage::kFilter | storage::kNullable;
    storage::ListSpec s;
    s.from = "service_centers";
    s.default_sort = "code";
    s.tenant_column("id");  // a confined user sees their own center only
    s.shape = nest_address;
    s.field("id", "id", FieldType::kText, kFilterSort)
        .field("code", "code", FieldType::kText, kFilterSort | storage::kSearch)
        .field("name", "name", FieldType::kText, kFilterSort | storage::kSearch)
        .field("street", "street", FieldType::kText, kOptional)
        .field("city", "city", FieldType::kText, kOptional | storage::kSort | storage::kSearch)
        .field("state", "state", FieldType::kText, kOptional | storage::kSort)
        .field("stateCode", "state_code", FieldType::kText, kOptional)
        .field("zipCode", "zip_code", FieldType::kText, kOptional)
        .field("country", "country", FieldType::kText, kOptional)
        .field("gstin", "gstin", FieldType::kText, kOptional)
        .field("phone", "phone", FieldType::kText, kOptional)
        .field("email", "email", FieldType::kText, kOptional)
        .field("managerId", "manager_id", FieldType::kText, kOptional)
        .field("isActive", "is_active", FieldType::kBool, kFilterSort)
        .field("upiId", "upi_id", FieldType::kText, kOptional)
        .field("createdAt", "created_at", FieldType::kTimestamp, kFilterSort)
        .field("updatedAt", "updated_at", FieldType::kTimestamp, kFilterSort);
    return s;
  }();
  return spec;
}

void nest_address(Json& center) {
  if (!center.is_object()) return;
  Json address = Json::object();
  for (const char* field : kAddressFields) {
    auto it = center.find(field);
    if (it == center.end()) continue;
    address[field] = *it;
    center.erase(it);
  }
  if (!address.empty()) center["address"] = std::move(address);
}

std::optional<Json> find_service_center(storage::Transaction& tx, std::string_view id) {
  const auto row = tx.query_one("SELECT * FROM service_centers WHERE id = ?", {std::string(id)});
  if (!row) return std::nullopt;
  return document_of(*row);
}

}  // namespace dms::identity
