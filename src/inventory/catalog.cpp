// The parts catalog: inventory.CreatePart, UpdatePart, GetPart, ListParts (seed 002 sections 7.1
// and 7.2). A part is global; its stock, levels and bin are per location.
#include <algorithm>
#include <string>
#include <vector>

#include "audit/audit.hpp"
#include "dms/error.hpp"
#include "dms/pricing.hpp"
#include "inventory/catalog.hpp"
#include "inventory/service_util.hpp"
#include "inventory/stock.hpp"
#include "service/request.hpp"
#include "service/rows.hpp"
#include "service/service.hpp"

namespace dms::inventory {

using namespace rows;  // NOLINT(google-build-using-namespace)
namespace {

using request::Fields;
using storage::Row;
using storage::Transaction;

constexpr const char* kPartColumns =
    "id, part_number, part_code, name, description, category_id, category_path, unit, hsn_code, "
    "gst_rate, cost_price, sale_price, default_supplier_id, is_active, created_at, updated_at, mrp";

// ---- Categories --------------------------------------------------------------------------------

// "Engine > Turbocharger" or ["Engine", "Turbocharger"] as its levels.
std::vector<std::string> category_levels(const Fields& fields) {
  const Json& raw = fields.raw("category");
  std::vector<std::string> levels;
  if (raw.is_array()) {
    for (size_t i = 0; i < raw.size(); ++i) {
      if (!raw[i].is_string()) throw Error::Validation("category", "category levels are strings");
      levels.push_back(trim(raw[i].get<std::string>()));
    }
  } else {
    const std::string text = fields.str("category", 1, kShortText);
    size_t start = 0;
    while (start <= text.size()) {
      const size_t end = std::min(text.find('>', start), text.size());
      levels.push_back(trim(std::string_view(text).substr(start, end - start)));
      start = end + 1;
    }
  }
  if (levels.empty() || levels.size() > 8 ||
      std::any_of(levels.begin(), levels.end(), [](const auto& l) { return l.empty(); })) {
    throw Error::Validation("category", "category must be 1 to 8 non-empty levels");
  }
  return levels;
}

struct Category {
  std::string id;
  std::string path;
};

// Finds or creates every level of a category path; returns the deepest.
Category ensure_category(Transaction& tx, const std::vector<std::string>& levels, Timestamp now) {
  Category category;
  std::optional<std::string> parent;
  for (const auto& level : levels) {
    category.path += (category.path.empty() ? "" : " > ") + level;
    auto row = tx.query_one("SELECT id FROM inv_categories WHERE path = ?", {category.path});
    if (!row) {
      tx.exec(
          "INSERT INTO inv_categories (id, name, parent_id, path, created_at) VALUES (?, ?, ?, ?, "
          "?) ON CONFLICT (path) DO NOTHING",
          {storage::new_id(), level, null_if_empty(parent), category.path, now.unix_micros()});
      row = tx.query_one("SELECT id FROM inv_categories WHERE path = ?", {category.path});
    }
    category.id = row->str("id");
    parent = category.id;
  }
  return category;
}

// ---- Part fields -------------------------------------------------------------------------------

bool is_hsn(const std::string& code) {
  return (code.size() == 4 || code.size() == 6 || code.size() == 8) &&
         std::all_of(code.begin(), code.end(), [](char c) { return c >= '0' && c <= '9'; });
}

struct PartInput {
  std::optional<std::string> part_number, part_code, name, description, unit, hsn_code;
  std::optional<std::vector<std::string>> category;
  std::optional<Percent> gst_rate;
  std::optional<Money> cost_price, sale_price, mrp;
  bool clear_mrp = false;  // "mrp": null on an update
  std::optional<std::string> supplier_id;
  std::optional<bool> active;
};

void require_non_negative(const std::optional<Money>& money, const char* field) {
  if (money && money->is_negative()) {
    throw Error::Validation(field, std::string(field) + " must not be negative");
  }
}

PartInput read_part_input(const Fields& f) {
  PartInput in;
  in.part_number = f.opt_str("partNumber", 100);
  in.part_code = f.opt_str("partCode", 100);
  in.name = f.has("partName") ? f.opt_str("partName", kShortText) : f.opt_str("name", kShortText);
  in.description = f.opt_str("description", kLongText);
  in.unit = f.opt_str("unit", 20);
  in.hsn_code = f.opt_str("hsnCode", 8);
  if (f.has("category")) in.category = category_levels(f);
  in.gst_rate = f.opt_percent("gstRate");
  in.cost_price = f.opt_money("costPrice");
  in.sale_price = f.has("unitPrice") ? f.opt_money("unitPrice") : f.opt_money("salePrice");
  in.mrp = f.opt_money("mrp");
  in.supplier_id =
      f.has("supplierId") ? f.opt_str("supplierId", 100) : f.opt_str("defaultSupplierId", 100);
  if (f.has("isActive")) in.active = f.boolean("isActive", true);
  for (auto* text : {&in.part_number, &in.name, &in.unit}) {
    if (text->has_value() && trim(**text).empty()) {
      throw Error::Validation(text == &in.unit   ? "unit"
                              : text == &in.name ? "partName"
                                                 : "partNumber",
                              "must not be blank");
    }
  }
  if (in.hsn_code && !in.hsn_code->empty() && !is_hsn(*in.hsn_code)) {
    throw Error::Validation("hsnCode", "hsnCode must be 4, 6 or 8 digits");
  }
  if (in.gst_rate) {
    const auto slabs = default_gst_slabs();
    if (std::find(slabs.begin(), slabs.end(), *in.gst_rate) == slabs.end()) {
      throw Error::Validation("gstRate", "gstRate " + in.gst_rate->to_string() +
                                             " is not a GST slab (0, 0.25, 3, 5, 12, 18, 28)");
    }
  }
  require_non_negative(in.cost_price, "costPrice");
  require_non_negative(in.sale_price, "unitPrice");
  require_non_negative(in.mrp, "mrp");
  return in;
}

void require_supplier(Transaction& tx, const std::optional<std::string>& supplier_id) {
  if (supplier_id && !supplier_id->empty() &&
      !tx.query_one("SELECT 1 FROM inv_suppliers WHERE id = ?", {*supplier_id})) {
    throw Error(ErrorCode::kNotFound, "supplier " + *supplier_id + " not found", "supplierId");
  }
}

Row load_part_row(Transaction& tx, const std::string& id) {
  auto row =
      tx.query_one(std::string("SELECT ") + kPartColumns + " FROM inv_parts WHERE id = ?", {id});
  if (!row) throw Error::NotFound("part", id);
  return *row;
}

// ---- Stock per location in responses -----------------------------------------------------------

Json stock_json(const Row& row) {
  const Quantity on_hand = quantity_of(row, "on_hand");
  const Quantity allocated = quantity_of(row, "allocated");
  StockLevels levels{opt_quantity(row, "min_level"), opt_quantity(row, "max_level"),
                     opt_quantity(row, "reorder_point")};
  return {{"locationId", row.str("location_id")},
          {"locationName", row.str("location_name")},
          {"locationKind", row.str("kind")},
          {"serviceCenterId", text_json(row, "service_center_id")},
          {"stockQuantity", json_of(on_hand)},
          {"allocated", json_of(allocated)},
          {"available", json_of(on_hand - allocated)},
          {"averageCost", json_of(money_of(row, "average_cost"))},
          {"minStockLevel", json_of(levels.min_level)},
          {"maxStockLevel", json_of(levels.max_level)},
          {"reorderPoint", json_of(levels.reorder_point)},
          {"location", text_json(row, "bin_location")},
          {"lowStock", is_low_stock(on_hand, levels)},
          {"lastRestocked", time_json(row, "last_restocked_at")}};
}

Json stock_of_part(Transaction& tx, const Context& ctx, const std::string& part_id) {
  std::string sql =
      "SELECT b.location_id, l.name AS location_name, l.kind, l.service_center_id, b.on_hand, "
      "b.allocated, b.average_cost, b.min_level, b.max_level, b.reorder_point, b.bin_location, "
      "b.last_restocked_at FROM inv_balances b JOIN inv_locations l ON l.id = b.location_id "
      "WHERE b.part_id = ? AND l.kind IN ('WAREHOUSE', 'STORE')";
  std::vector<storage::Value> params{part_id};
  if (auto scope = service::tenant_scope(ctx)) {
    sql += " AND l.service_center_id = ?";
    params.push_back(*scope);
  }
  Json stock = Json::array();
  for (const auto& row : tx.query(sql + " ORDER BY l.code", params))
    stock.push_back(stock_json(row));
  return stock;
}

// Levels, bin and opening stock given with a new part ("stockQuantity": 10, ...).
void apply_location_fields(Transaction& tx, const Context& ctx, const Fields& f,
                           const std::string& part_id, Money cost_price, const Json& request) {
  const bool has_levels = f.has("minStockLevel") || f.has("maxStockLevel") ||
                          f.has("reorderPoint") || f.has("location");
  const auto opening = f.opt_quantity("stockQuantity");
  if (!has_levels && (!opening || opening->is_zero())) return;
  const Location location = requested_location(tx, ctx, request, true);
  require_stock_permission(ctx, location, "update");
  if (has_levels) {
    StockSettings settings;
    settings.levels = {f.opt_quantity("minStockLevel"), f.opt_quantity("maxStockLevel"),
                       f.opt_quantity("reorderPoint")};
    settings.bin_location = f.opt_str("location", kShortText);
    store_stock_settings(tx, part_id, location.id, settings, ctx.now());
  }
  if (opening && !opening->is_zero()) {
    if (opening->is_negative()) {
      throw Error::Validation("stockQuantity", "stockQuantity must not be negative");
    }
    MoveRequest move;
    move.part_id = part_id;
    move.from_location = virtual_location(tx, LocationKind::kAdjustment).id;
    move.to_location = location.id;
    move.quantity = *opening;
    move.type = TxnType::kAdjust;
    move.reason = "OPENING_STOCK";
    move.reference_type = "PART";
    move.reference_id = part_id;
    move.unit_cost = cost_price;
    move_stock(tx, ctx, move);
  }
}

// ---- Methods -----------------------------------------------------------------------------------

Json create_part(Env& env, const Context& ctx, const Json& request) {
  require_any(ctx, {"central_inventory:create", "inventory:create"});
  const Fields f(request);
  const PartInput in = read_part_input(f);
  if (!in.part_number) throw Error::Validation("partNumber", "partNumber is required");
  if (!in.name) throw Error::Validation("partName", "partName is required");
  if (!in.gst_rate) throw Error::Validation("gstRate", "gstRate is required");
  return env.store->write([&](Transaction& tx) {
    require_supplier(tx, in.supplier_id);
    const Timestamp now = ctx.now();
    std::optional<Category> category;
    if (in.category) category = ensure_category(tx, *in.category, now);
    const std::string id = storage::new_id();
    const Money cost = in.cost_price.value_or(Money());
    tx.exec(
        std::string("INSERT INTO inv_parts (") + kPartColumns +
            ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        {id, trim(*in.part_number), null_if_empty(in.part_code), trim(*in.name),
         null_if_empty(in.description), category ? storage::Value(category->id) : storage::Value(),
         category ? storage::Value(category->path) : storage::Value(),
         trim(in.unit.value_or("piece")), null_if_empty(in.hsn_code), in.gst_rate->units(),
         cost.minor(), in.sale_price.value_or(Money()).minor(), null_if_empty(in.supplier_id),
         int64_t{in.active.value_or(true) ? 1 : 0}, now.unix_micros(), now.unix_micros(),
         paise(in.mrp)});
    // Every part is listed in the central inventory, stocked or not (seed 002 section 7.2).
    locked_balance_of(tx, id, central_location(tx).id, now);
    apply_location_fields(tx, ctx, f, id, cost, request);
    Json part = part_json(load_part_row(tx, id));
    audit::record(tx, ctx, "CREATE", "part", id, Json::object(), part);
    part["stock"] = stock_of_part(tx, ctx, id);
    return part;
  });
}

Json update_part(Env& env, const Context& ctx, const Json& request) {
  require_any(ctx, {"central_inventory:update", "inventory:update"});
  const Fields f(request);
  const std::string id = f.str("id", 1, 100);
  PartInput in = read_part_input(f);
  in.clear_mrp = request.contains("mrp") && request["mrp"].is_null();
  return env.store->write([&](Transaction& tx) {
    const Json before = part_json(load_part_row(tx, id));
    require_supplier(tx, in.supplier_id);
    const Timestamp now = ctx.now();
    const auto set = [&](const char* column, storage::Value value) {
      tx.exec(std::string("UPDATE inv_parts SET ") + column + " = ?, updated_at = ? WHERE id = ?",
              {std::move(value), now.unix_micros(), id});
    };
    if (in.part_number) set("part_number", trim(*in.part_number));
    if (in.part_code) set("part_code", null_if_empty(in.part_code));
    if (in.name) set("name", trim(*in.name));
    if (in.description) set("description", null_if_empty(in.description));
    if (in.unit) set("unit", trim(*in.unit));
    if (in.hsn_code) set("hsn_code", null_if_empty(in.hsn_code));
    if (in.gst_rate) set("gst_rate", in.gst_rate->units());
    if (in.cost_price) set("cost_price", in.cost_price->minor());
    if (in.sale_price) set("sale_price", in.sale_price->minor());
    if (in.mrp) set("mrp", in.mrp->minor());
    if (in.clear_mrp) set("mrp", storage::Value());
    if (in.supplier_id) set("default_supplier_id", null_if_empty(in.supplier_id));
    if (in.active) set("is_active", int64_t{*in.active ? 1 : 0});
    if (in.category) {
      const Category category = ensure_category(tx, *in.category, now);
      set("category_id", category.id);
      set("category_path", category.path);
    }
    Json after = part_json(load_part_row(tx, id));
    auto [old_values, new_values] = audit::changed_fields(before, after);
    if (!new_values.empty()) audit::record(tx, ctx, "UPDATE", "part", id, old_values, new_values);
    after["stock"] = stock_of_part(tx, ctx, id);
    return after;
  });
}

Json get_part(Env& env, const Context& ctx, const Json& request) {
  require_any(ctx, {"central_inventory:read", "inventory:read"});
  const std::string id = Fields(request).str("id", 1, 100);
  return env.store->read([&](Transaction& tx) {
    Json part = part_json(load_part_row(tx, id));
    part["stock"] = stock_of_part(tx, ctx, id);
    return part;
  });
}

const service::MethodRegistration kCreatePart("inventory.CreatePart", create_part);
const service::MethodRegistration kUpdatePart("inventory.UpdatePart", update_part);
const service::MethodRegistration kGetPart("inventory.GetPart", get_part);

}  // namespace

Json part_json(const Row& row) {
  return {{"id", row.str("id")},
          {"partNumber", row.str("part_number")},
          {"partCode", text_json(row, "part_code")},
          {"partName", row.str("name")},
          {"description", text_json(row, "description")},
          {"categoryId", text_json(row, "category_id")},
          {"category", text_json(row, "category_path")},
          {"unit", row.str("unit")},
          {"hsnCode", text_json(row, "hsn_code")},
          {"gstRate", json_of(percent_of(row, "gst_rate"))},
          {"costPrice", json_of(money_of(row, "cost_price"))},
          {"unitPrice", json_of(money_of(row, "sale_price"))},
          {"mrp", row.opt_i64("mrp") ? json_of(money_of(row, "mrp")) : Json()},
          {"supplierId", text_json(row, "default_supplier_id")},
          {"isActive", row.flag("is_active")},
          {"createdAt", json_time(row.i64("created_at"))},
          {"updatedAt", json_time(row.i64("updated_at"))}};
}

namespace {

constexpr const char* kSummaryColumns =
    "SELECT id, part_number, name, hsn_code, gst_rate, cost_price, is_active FROM inv_parts ";

PartSummary summary_of(const Row& row) {
  PartSummary part;
  part.id = row.str("id");
  part.part_number = row.str("part_number");
  part.name = row.str("name");
  part.hsn_code = row.opt_str("hsn_code").value_or("");
  part.gst_rate = percent_of(row, "gst_rate");
  part.cost_price = money_of(row, "cost_price");
  part.active = row.flag("is_active");
  return part;
}

}  // namespace

PartSummary load_part(Transaction& tx, const std::string& part_id, const std::string& field) {
  auto row = tx.query_one(std::string(kSummaryColumns) + "WHERE id = ?", {part_id});
  if (!row) throw Error(ErrorCode::kNotFound, "part " + part_id + " not found", field);
  return summary_of(*row);
}

std::map<std::string, PartSummary> load_parts(Transaction& tx,
                                              const std::vector<std::string>& part_ids,
                                              const std::string& array) {
  constexpr size_t kChunk = 200;
  std::map<std::string, PartSummary> parts;
  std::vector<std::string> wanted;
  for (const auto& id : part_ids) {
    if (!parts.count(id)) parts.emplace(id, PartSummary{});
  }
  for (const auto& entry : parts) wanted.push_back(entry.first);
  parts.clear();
  for (size_t start = 0; start < wanted.size(); start += kChunk) {
    const size_t end = std::min(wanted.size(), start + kChunk);
    std::string sql = std::string(kSummaryColumns) + "WHERE id IN (";
    std::vector<storage::Value> params;
    for (size_t i = start; i < end; ++i) {
      sql += i == start ? "?" : ", ?";
      params.push_back(wanted[i]);
    }
    for (const auto& row : tx.query(sql + ")", params))
      parts.emplace(row.str("id"), summary_of(row));
  }
  for (size_t i = 0; i < part_ids.size(); ++i) {
    if (!parts.count(part_ids[i])) {
      throw Error(ErrorCode::kNotFound, "part " + part_ids[i] + " not found",
                  array + "[" + std::to_string(i) + "].partId");
    }
  }
  return parts;
}

}  // namespace dms::inventory
