// customers.*: dealer-wide customer records (seed 002 section 4, bulk create from section 10).
//
// Customers belong to no service center: any center may serve them, so reads are not
// tenant-filtered; permissions still apply. Deletion is soft (deleted_at), and a deleted
// customer's phone number may be reused.
#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "audit/audit.hpp"
#include "dms/error.hpp"
#include "dms/gst.hpp"
#include "events/outbox.hpp"
#include "service/entity.hpp"
#include "service/request.hpp"
#include "service/service.hpp"
#include "workshop/common.hpp"
#include "workshop/lists.hpp"
#include "workshop/numbering.hpp"
#include "workshop/records.hpp"
#include "workshop/validation.hpp"

namespace dms::workshop {
namespace {

constexpr const char* kCustomerColumns =
    "id, customer_number, name, phone, whatsapp_number, alternate_number, email, address, "
    "city_state, pincode, customer_type, gstin, last_service_center_id, last_service_date, "
    "last_invoice_number, created_at, updated_at";

// Unicode code points in UTF-8 text (continuation bytes are not counted).
size_t utf8_length(std::string_view s) {
  size_t n = 0;
  for (char c : s) {
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++n;
  }
  return n;
}

// An optional text field of the customer: its request name, column and format check.
struct OptionalText {
  const char* field;
  const char* column;
  size_t max_len;
  void (*check)(std::string_view value, std::string_view field);
};

constexpr OptionalText kOptionalTexts[] = {
    {"whatsappNumber", "whatsapp_number", 20, check_indian_mobile},
    {"alternateNumber", "alternate_number", 20, check_indian_mobile},
    {"email", "email", 254, check_email},
    {"address", "address", 500, nullptr},
    {"cityState", "city_state", 200, nullptr},
    {"pincode", "pincode", 10, check_pincode},
};

// The validated fields of a create or update request: a field absent from the request is
// absent here; `cleared` lists optional columns the request set to null.
struct CustomerInput {
  std::optional<std::string> name;
  std::optional<std::string> phone;
  std::optional<std::string> customer_type;
  std::optional<std::string> gstin;
  std::vector<std::pair<std::string, std::string>> texts;  // column, value
  std::vector<std::string> cleared;                        // columns
};

std::string read_name(const request::Fields& f) {
  std::string name = trim(f.str("name", 1, 400));
  const size_t length = utf8_length(name);
  if (length < 2 || length > 100) {
    throw Error::Validation("name", "name must have 2 to 100 characters");
  }
  return name;
}

bool explicitly_null(const Json& req, const char* field) {
  auto it = req.find(field);
  return it != req.end() && it->is_null();
}

CustomerInput read_customer(const Json& req, bool partial) {
  request::Fields f(req);
  CustomerInput in;
  if (!partial || f.has("name")) in.name = read_name(f);
  if (!partial || f.has("phone")) {
    in.phone = trim(f.str("phone", 1, 20));
    check_indian_mobile(*in.phone, "phone");
  }
  in.customer_type = f.opt_one_of("customerType", {"B2C", "B2B"});
  if (!partial && !in.customer_type) in.customer_type = "B2C";
  if (auto gstin = opt_trimmed(f, "gstin", 20)) {
    in.gstin = normalize_vehicle_identifier(*gstin);
    validate_gstin(*in.gstin, "gstin");
  } else if (explicitly_null(req, "gstin")) {
    in.cleared.emplace_back("gstin");
  }
  for (const OptionalText& t : kOptionalTexts) {
    if (auto v = opt_trimmed(f, t.field, t.max_len)) {
      if (t.check) t.check(*v, t.field);
      in.texts.emplace_back(t.column, std::move(*v));
    } else if (explicitly_null(req, t.field)) {
      in.cleared.emplace_back(t.column);
    }
  }
  return in;
}

// A B2B customer is GST-registered: a GSTIN is required; a B2C customer has none.
void check_type_and_gstin(const std::string& customer_type, bool has_gstin) {
  if (customer_type == "B2B" && !has_gstin) {
    throw Error::Validation("gstin", "gstin is required for a B2B customer");
  }
  if (customer_type == "B2C" && has_gstin) {
    throw Error::Validation("gstin", "gstin is only for B2B customers; set customerType B2B");
  }
}

void check_phone_free(storage::Transaction& tx, const std::string& phone,
                      const std::string& except_id) {
  auto row =
      tx.query_one("SELECT id FROM customers WHERE phone = ? AND deleted_at IS NULL AND id <> ?",
                   {phone, except_id});
  if (row) throw Error::Duplicate("phone", "a customer with phone " + phone + " already exists");
}

Json select_customer(storage::Transaction& tx, const std::string& id) {
  return customer_json(load_customer(tx, id));
}

const std::string* text_of(const CustomerInput& in, std::string_view column) {
  for (const auto& [c, v] : in.texts) {
    if (c == column) return &v;
  }
  return nullptr;
}

Json insert_customer(storage::Transaction& tx, const Context& ctx, const CustomerInput& in) {
  check_type_and_gstin(*in.customer_type, in.gstin.has_value());
  check_phone_free(tx, *in.phone, "");
  const std::string id = storage::new_id();
  const std::string number = next_customer_number(tx);
  const Timestamp now = ctx.now();
  auto optional = [&](std::string_view column) {
    const std::string* v = text_of(in, column);
    return v ? Value(*v) : Value();
  };
  const std::string* email = text_of(in, "email");
  tx.exec(
      "INSERT INTO customers (id, customer_number, name, name_lower, phone, whatsapp_number, "
      "alternate_number, email, email_lower, address, city_state, pincode, customer_type, gstin, "
      "created_by, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
      "?)",
      {id, number, *in.name, lower(*in.name), *in.phone, optional("whatsapp_number"),
       optional("alternate_number"), optional("email"), email ? Value(lower(*email)) : Value(),
       optional("address"), optional("city_state"), optional("pincode"), *in.customer_type,
       text(in.gstin), actor(ctx), micros(now), micros(now)});
  Json created = select_customer(tx, id);
  audit::record(tx, ctx, "CREATE", "customer", id, Json(), created);
  events::emit(tx, ctx, "customer.created",
               {{"customerId", id}, {"customerNumber", number}, {"name", *in.name}});
  return created;
}

Json create_customer(Env& env, const Context& ctx, const Json& req) {
  ctx.require("customers:create");
  const CustomerInput in = read_customer(req, false);
  return env.store->write([&](storage::Transaction& tx) { return insert_customer(tx, ctx, in); });
}

Json get_customer(Env& env, const Context& ctx, const Json& req) {
  ctx.require("customers:read");
  request::Fields f(req);
  const std::string id = f.str("id", 1, 100);
  return env.store->read([&](storage::Transaction& tx) {
    return service::get_entity(env, tx, customer_list_spec(), id, "customer", req);
  });
}

// Applies `in` to the stored customer: the merged type/GSTIN rule, phone uniqueness, then one
// UPDATE of the changed columns.
void apply_customer_update(storage::Transaction& tx, const Context& ctx, const storage::Row& before,
                           const CustomerInput& in) {
  const std::string id = before.str("id");
  std::string type = in.customer_type.value_or(before.str("customer_type"));
  bool has_gstin = in.gstin.has_value() ||
                   (before.opt_str("gstin").has_value() &&
                    std::find(in.cleared.begin(), in.cleared.end(), "gstin") == in.cleared.end());
  check_type_and_gstin(type, has_gstin);
  UpdateBuilder update;
  if (in.name) {
    update.set("name", *in.name);
    update.set("name_lower", lower(*in.name));
  }
  if (in.phone) {
    check_phone_free(tx, *in.phone, id);
    update.set("phone", *in.phone);
  }
  if (in.customer_type) update.set("customer_type", *in.customer_type);
  if (in.gstin) update.set("gstin", *in.gstin);
  for (const auto& [column, value] : in.texts) {
    update.set(column, value);
    if (column == "email") update.set("email_lower", lower(value));
  }
  for (const auto& column : in.cleared) {
    update.set(column, Value());
    if (column == "email") update.set("email_lower", Value());
  }
  update.set("updated_at", micros(ctx.now()));
  update.apply(tx, "customers", id);
}

Json update_customer(Env& env, const Context& ctx, const Json& req) {
  ctx.require("customers:update");
  request::Fields f(req);
  const std::string id = f.str("id", 1, 100);
  const CustomerInput in = read_customer(req, true);
  return env.store->write([&](storage::Transaction& tx) {
    const storage::Row before = load_customer(tx, id, "id", true);
    const Json old_doc = customer_json(before);
    apply_customer_update(tx, ctx, before, in);
    Json updated = select_customer(tx, id);
    auto [old_values, new_values] = audit::changed_fields(old_doc, updated);
    audit::record(tx, ctx, "UPDATE", "customer", id, old_values, new_values);
    return updated;
  });
}

Json delete_customer(Env& env, const Context& ctx, const Json& req) {
  ctx.require("customers:delete");
  request::Fields f(req);
  const std::string id = f.str("id", 1, 100);
  return env.store->write([&](storage::Transaction& tx) {
    const Json before = customer_json(load_customer(tx, id, "id", true));
    auto busy = tx.query_one("SELECT id FROM vehicles WHERE customer_id = ? AND current_status = ?",
                             {id, std::string(kVehicleActiveJobCard)});
    if (busy) {
      throw Error::BusinessRule(ErrorCode::kCustomerHasOpenJobCard,
                                "the customer has a vehicle with an open job card");
    }
    const Timestamp now = ctx.now();
    tx.exec("UPDATE customers SET deleted_at = ?, updated_at = ? WHERE id = ?",
            {micros(now), micros(now), id});
    audit::record(tx, ctx, "DELETE", "customer", id, before, Json());
    events::emit(tx, ctx, "customer.deleted", {{"customerId", id}});
    return Json{{"id", id}, {"deleted", true}, {"message", "Customer deleted successfully"}};
  });
}

// ---- Search -------------------------------------------------------------------------------------

std::string like_pattern(std::string_view needle, bool prefix_only) {
  std::string out = prefix_only ? "" : "%";
  for (char c : needle) {
    if (c == '%' || c == '_' || c == '\\') out.push_back('\\');
    out.push_back(c);
  }
  out.push_back('%');
  return out;
}

// The WHERE clause (over customers c and, for vehicle searches, vehicles v) and its value.
std::pair<std::string, std::vector<Value>> search_condition(SearchKind kind,
                                                            const std::string& query) {
  switch (kind) {
    case SearchKind::kPhone: {
      const std::string p = "%" + phone_digits(query);
      return {"(c.phone LIKE ? OR c.whatsapp_number LIKE ? OR c.alternate_number LIKE ?)",
              {p, p, p}};
    }
    case SearchKind::kEmail:
      return {"c.email_lower LIKE ? ESCAPE '\\'", {like_pattern(lower(query), false)}};
    case SearchKind::kRegistration:
      return {"c.id IN (SELECT customer_id FROM vehicles WHERE registration LIKE ? ESCAPE '\\')",
              {like_pattern(normalize_vehicle_identifier(query), true)}};
    case SearchKind::kVin:
      return {"c.id IN (SELECT customer_id FROM vehicles WHERE vin LIKE ? ESCAPE '\\')",
              {like_pattern(normalize_vehicle_identifier(query), false)}};
    case SearchKind::kName:
      break;
  }
  return {"c.name_lower LIKE ? ESCAPE '\\'", {like_pattern(lower(query), false)}};
}

Json search_customers(Env& env, const Context& ctx, const Json& req) {
  ctx.require("customers:read");
  request::Fields f(req);
  const std::string query = trim(f.str("query", 1, 200));
  if (query.empty()) throw Error::Validation("query", "query must not be blank");
  const SearchKind kind = parse_search_kind(f.opt_str("type", 20).value_or("auto"), query);
  const int64_t limit = f.opt_integer("limit").value_or(20);
  if (limit < 1 || limit > env.settings.list_limit_cap) {
    throw Error::Validation(
        "limit", "limit must be between 1 and " + std::to_string(env.settings.list_limit_cap));
  }
  auto [condition, values] = search_condition(kind, query);
  values.emplace_back(limit);
  return env.store->read([&](storage::Transaction& tx) {
    Json data = Json::array();
    for (const auto& row :
         tx.query("SELECT c.* FROM customers c WHERE c.deleted_at IS NULL AND " + condition +
                      " ORDER BY c.name_lower, c.customer_number LIMIT ?",
                  values)) {
      data.push_back(customer_json(row));
    }
    if (wants_expansion(req, "vehicles")) expand_vehicles(tx, data);
    return Json{{"data", data}, {"searchType", search_kind_name(kind)}};
  });
}

// ---- List ---------------------------------------------------------------------------------------

Json list_customers(Env& env, const Context& ctx, const Json& req) {
  ctx.require("customers:read");
  return env.store->read([&](storage::Transaction& tx) {
    return service::list_entity(env, ctx, tx, customer_list_spec(), req);
  });
}

// ---- Bulk create (seed 002 section 10) ----------------------------------------------------------

Json error_document(const Error& e) {
  Json doc{{"code", e.info().name}, {"message", e.message()}};
  if (!e.field().empty()) doc["field"] = e.field();
  return doc;
}

Json bulk_create_customers(Env& env, const Context& ctx, const Json& req) {
  ctx.require("customers:create");
  request::Fields f(req);
  const Json& items = f.array("customers", 1000);
  Json results = Json::array();
  Json errors = Json::array();
  int64_t created = 0;
  for (size_t i = 0; i < items.size(); ++i) {
    try {
      if (!items[i].is_object()) {
        throw Error::Validation("customers[" + std::to_string(i) + "]", "must be an object");
      }
      const CustomerInput in = read_customer(items[i], false);
      Json customer =
          env.store->write([&](storage::Transaction& tx) { return insert_customer(tx, ctx, in); });
      ++created;
      results.push_back(
          {{"index", i},
           {"success", true},
           {"data", {{"id", customer["id"]}, {"customerNumber", customer["customerNumber"]}}}});
    } catch (const Error& e) {
      Json error = error_document(e);
      error["index"] = i;
      errors.push_back(error);
      results.push_back({{"index", i}, {"success", false}, {"error", error_document(e)}});
    }
  }
  return Json{{"created", created},
              {"failed", static_cast<int64_t>(items.size()) - created},
              {"results", results},
              {"errors", errors}};
}

const service::MethodRegistration kCreate("customers.Create", create_customer);
const service::MethodRegistration kGet("customers.Get", get_customer);
const service::MethodRegistration kUpdate("customers.Update", update_customer);
const service::MethodRegistration kDelete("customers.Delete", delete_customer);
const service::MethodRegistration kList("customers.List", list_customers, customer_list_spec);
const service::MethodRegistration kSearch("customers.Search", search_customers);
const service::MethodRegistration kBulkCreate("customers.BulkCreate", bulk_create_customers);

}  // namespace

// ---- Shared records -----------------------------------------------------------------------------

storage::Row load_customer(storage::Transaction& tx, const std::string& id, std::string_view field,
                           bool lock) {
  auto row =
      tx.query_one(std::string("SELECT * FROM customers WHERE id = ? AND deleted_at IS NULL") +
                       (lock ? tx.for_update() : ""),
                   {id});
  if (!row) reference_not_found(field, "customer", id);
  return std::move(*row);
}

// The customer's document, from its description (customer_list_spec).
Json customer_json(const storage::Row& row) {
  return storage::render_row(customer_list_spec(), row);
}

void expand_vehicles(storage::Transaction& tx, Json& customers) {
  for (Json& customer : customers) {
    Json vehicles = Json::array();
    for (const auto& row :
         tx.query("SELECT * FROM vehicles WHERE customer_id = ? ORDER BY created_at, id",
                  {customer["id"].get<std::string>()})) {
      vehicles.push_back(vehicle_json(row));
    }
    customer["vehicles"] = std::move(vehicles);
  }
}

bool wants_expansion(const Json& request, std::string_view relation) {
  auto it = request.find("expand");
  if (it == request.end()) return false;
  auto matches = [&](std::string_view item) { return trim(item) == relation; };
  if (it->is_array()) {
    for (const auto& v : *it) {
      if (v.is_string() && matches(v.get_ref<const std::string&>())) return true;
    }
    return false;
  }
  if (!it->is_string()) return false;
  std::string_view all = it->get_ref<const std::string&>();
  while (!all.empty()) {
    const size_t comma = all.find(',');
    if (matches(all.substr(0, comma))) return true;
    if (comma == std::string_view::npos) break;
    all.remove_prefix(comma + 1);
  }
  return false;
}

}  // namespace dms::workshop
