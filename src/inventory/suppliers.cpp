// Suppliers: suppliers.Create, Update, Get, List. A supplier's GST state (from its GSTIN or
// given) decides whether its purchase orders carry CGST + SGST or IGST.
#include <string>

#include "audit/audit.hpp"
#include "dms/error.hpp"
#include "dms/gst.hpp"
#include "inventory/list_specs.hpp"
#include "inventory/rows.hpp"
#include "inventory/service_util.hpp"
#include "inventory/suppliers.hpp"
#include "service/entity.hpp"
#include "service/request.hpp"
#include "service/service.hpp"

namespace dms::inventory {
namespace {

using request::Fields;
using storage::Row;
using storage::Transaction;
using storage::Value;

struct SupplierInput {
  std::optional<std::string> name, contact_person, phone, email, address, gstin, state_code;
  std::optional<bool> active;
};

std::string upper(std::string text) {
  for (char& c : text) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  }
  return text;
}

// "address" may be text or an object (seed 000: street, city, ...); either is kept as its JSON.
std::optional<std::string> address_text(const Fields& f) {
  const Json& raw = f.raw("address");
  if (raw.is_null()) return std::nullopt;
  if (!raw.is_object() && !raw.is_string()) {
    throw Error::Validation("address", "address must be text or an object");
  }
  std::string text = raw.dump();
  if (text.size() > kLongText) throw Error::Validation("address", "address is too long");
  return text;
}

std::optional<std::string> state_from(const Fields& f, const std::optional<std::string>& gstin) {
  if (auto code = f.opt_str("stateCode", 2)) {
    if (!find_state_by_code(*code)) {
      throw Error::Validation("stateCode", "stateCode must be a two-digit GST state code");
    }
    return code;
  }
  if (auto name = f.opt_str("state", 100)) {
    const IndianState* state = find_state_by_name(*name);
    if (!state) throw Error::Validation("state", "unknown state '" + name->substr(0, 60) + "'");
    return std::string(state->code);
  }
  if (gstin) return gstin->substr(0, 2);
  return std::nullopt;
}

SupplierInput read_supplier(const Fields& f) {
  SupplierInput in;
  in.name = f.opt_str("name", kShortText);
  in.contact_person = f.opt_str("contactPerson", kShortText);
  in.phone = f.opt_str("phone", 30);
  in.email = f.opt_str("email", kShortText);
  in.address = address_text(f);
  if (auto gstin = f.opt_str("gstin", 15)) {
    in.gstin = upper(*gstin);
    validate_gstin(*in.gstin, "gstin");
  }
  in.state_code = state_from(f, in.gstin);
  if (in.gstin && in.state_code && *in.state_code != in.gstin->substr(0, 2)) {
    throw Error::Validation("stateCode", "stateCode differs from the GSTIN's state");
  }
  if (f.has("isActive")) in.active = f.boolean("isActive", true);
  if (in.name && in.name->find_first_not_of(' ') == std::string::npos) {
    throw Error::Validation("name", "name must not be blank");
  }
  if (in.email && !in.email->empty() && in.email->find('@') == std::string::npos) {
    throw Error::Validation("email", "email is not an address");
  }
  return in;
}

// The supplier's document, from its description (supplier_spec).
Json supplier_json(const Row& row) {
  return storage::render_row(supplier_spec(), row);
}

Row load_supplier_row(Transaction& tx, const std::string& id) {
  auto row = tx.query_one("SELECT * FROM inv_suppliers WHERE id = ?", {id});
  if (!row) throw Error::NotFound("supplier", id);
  return *row;
}

Json create_supplier(Env& env, const Context& ctx, const Json& request) {
  require_any(ctx, {"suppliers:create", "central_inventory:create"});
  const SupplierInput in = read_supplier(Fields(request));
  if (!in.name) throw Error::Validation("name", "name is required");
  return env.store->write([&](Transaction& tx) {
    const std::string id = storage::new_id();
    const int64_t now = ctx.now().unix_micros();
    tx.exec(
        "INSERT INTO inv_suppliers (id, name, contact_person, phone, email, address, gstin, "
        "state_code, is_active, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        {id, *in.name, text_or_null(in.contact_person), text_or_null(in.phone),
         text_or_null(in.email), text_or_null(in.address), text_or_null(in.gstin),
         text_or_null(in.state_code), int64_t{in.active.value_or(true) ? 1 : 0}, now, now});
    Json supplier = supplier_json(load_supplier_row(tx, id));
    audit::record(tx, ctx, "CREATE", "supplier", id, Json::object(), supplier);
    return supplier;
  });
}

Json update_supplier(Env& env, const Context& ctx, const Json& request) {
  require_any(ctx, {"suppliers:update", "central_inventory:update"});
  const Fields f(request);
  const std::string id = f.str("id", 1, 100);
  const SupplierInput in = read_supplier(f);
  return env.store->write([&](Transaction& tx) {
    const Json before = supplier_json(load_supplier_row(tx, id));
    const auto set = [&](const char* column, Value value) {
      tx.exec(
          std::string("UPDATE inv_suppliers SET ") + column + " = ?, updated_at = ? WHERE id = ?",
          {std::move(value), ctx.now().unix_micros(), id});
    };
    if (in.name) set("name", *in.name);
    if (in.contact_person) set("contact_person", text_or_null(in.contact_person));
    if (in.phone) set("phone", text_or_null(in.phone));
    if (in.email) set("email", text_or_null(in.email));
    if (in.address) set("address", text_or_null(in.address));
    if (in.gstin) set("gstin", *in.gstin);
    if (in.state_code) set("state_code", *in.state_code);
    if (in.active) set("is_active", int64_t{*in.active ? 1 : 0});
    Json after = supplier_json(load_supplier_row(tx, id));
    auto [old_values, new_values] = audit::changed_fields(before, after);
    if (!new_values.empty())
      audit::record(tx, ctx, "UPDATE", "supplier", id, old_values, new_values);
    return after;
  });
}

Json get_supplier(Env& env, const Context& ctx, const Json& request) {
  require_any(ctx, {"suppliers:read", "central_inventory:read", "purchase_orders:read"});
  const std::string id = Fields(request).str("id", 1, 100);
  return env.store->read([&](Transaction& tx) {
    return service::get_entity(env, tx, supplier_spec(), id, "supplier", request);
  });
}

Json list_suppliers(Env& env, const Context& ctx, const Json& request) {
  require_any(ctx, {"suppliers:read", "central_inventory:read", "purchase_orders:read"});
  return env.store->read([&](Transaction& tx) {
    return service::list_entity(env, ctx, tx, supplier_spec(), request);
  });
}

const service::MethodRegistration kCreate("suppliers.Create", create_supplier);
const service::MethodRegistration kUpdate("suppliers.Update", update_supplier);
const service::MethodRegistration kGet("suppliers.Get", get_supplier);
const service::MethodRegistration kList("suppliers.List", list_suppliers, supplier_spec);

}  // namespace

SupplierSummary load_supplier(Transaction& tx, const std::string& supplier_id) {
  auto row = tx.query_one(
      "SELECT id, name, contact_person, state_code, is_active FROM inv_suppliers WHERE id = ?",
      {supplier_id});
  if (!row)
    throw Error(ErrorCode::kNotFound, "supplier " + supplier_id + " not found", "supplierId");
  SupplierSummary supplier;
  supplier.id = row->str("id");
  supplier.name = row->str("name");
  supplier.contact_person = row->opt_str("contact_person");
  supplier.state_code = row->opt_str("state_code");
  supplier.active = row->flag("is_active");
  return supplier;
}

}  // namespace dms::inventory
