// Stock methods: inventory.AdjustStock, Allocate, Release, SetStockLevels, LowStock, Value,
// PartTransactions, ListParts, VerifyStock, and the location settings (ListLocations,
// CreateLocation, UpdateLocation). Each is one transaction, audited when it changes anything.
#include <map>
#include <string>
#include <vector>

#include "audit/audit.hpp"
#include "dms/error.hpp"
#include "dms/gst.hpp"
#include "inventory/catalog.hpp"
#include "inventory/list_specs.hpp"
#include "inventory/rows.hpp"
#include "inventory/service_util.hpp"
#include "inventory/stock.hpp"
#include "service/request.hpp"
#include "service/service.hpp"

namespace dms::inventory {
namespace {

using request::Fields;
using storage::Row;
using storage::Transaction;
using storage::Value;

// ---- AdjustStock -------------------------------------------------------------------------------

struct AdjustReason {
  const char* name;
  LocationKind counterpart;  // where added stock comes from and removed stock goes
  TxnType type;
};
constexpr AdjustReason kAdjustReasons[] = {
    {"STOCK_RECEIVED", LocationKind::kAdjustment, TxnType::kAdjust},
    {"STOCK_DAMAGED", LocationKind::kScrap, TxnType::kAdjust},
    {"STOCK_COUNT", LocationKind::kAdjustment, TxnType::kAdjust},
    {"RETURNED", LocationKind::kCustomer, TxnType::kReturn},
};

const AdjustReason& adjust_reason(const std::string& name) {
  for (const auto& reason : kAdjustReasons) {
    if (name == reason.name) return reason;
  }
  throw Error::Internal("unknown adjustment reason");
}

AdjustmentType adjustment_type(const std::string& name) {
  if (name == "ADD") return AdjustmentType::kAdd;
  if (name == "SUBTRACT") return AdjustmentType::kSubtract;
  return AdjustmentType::kSet;
}

Json adjust_stock(Env& env, const Context& ctx, const Json& request) {
  const Fields f(request);
  const std::string part_id = f.str("partId", 1, 100);
  const AdjustmentType type =
      adjustment_type(f.one_of("adjustmentType", {"ADD", "SUBTRACT", "SET"}));
  const Quantity quantity = f.quantity("quantity");
  const AdjustReason& reason = adjust_reason(
      f.one_of("reason", {"STOCK_RECEIVED", "STOCK_DAMAGED", "STOCK_COUNT", "RETURNED"}));
  const std::string notes = f.opt_str("notes", kLongText).value_or("");
  const std::string reference = f.opt_str("referenceNumber", kShortText).value_or("");
  const auto unit_cost = f.opt_money("unitCost");
  if (unit_cost && unit_cost->is_negative()) {
    throw Error::Validation("unitCost", "unitCost must not be negative");
  }
  return env.store->write([&](Transaction& tx) {
    const Location location = requested_location(tx, ctx, request, true);
    require_stock_permission(ctx, location, "adjust");
    if (!location.real())
      throw Error::Validation("locationId", "stock is adjusted at a real location");
    load_part(tx, part_id, "partId");
    const Balance current = locked_balance_of(tx, part_id, location.id, ctx.now());
    const Quantity delta = adjustment_delta(current.on_hand, type, quantity);
    Json result = {{"partId", part_id},
                   {"locationId", location.id},
                   {"previousStock", json_of(current.on_hand)},
                   {"newStock", json_of(current.on_hand + delta)},
                   {"adjustmentQuantity", json_of(delta)},
                   {"transactionId", nullptr},
                   {"lowStock", false}};
    if (delta.is_zero()) return result;
    const std::string counterpart = virtual_location(tx, reason.counterpart).id;
    MoveRequest move;
    move.part_id = part_id;
    move.from_location = delta.is_negative() ? location.id : counterpart;
    move.to_location = delta.is_negative() ? counterpart : location.id;
    move.quantity = delta.is_negative() ? -delta : delta;
    move.type = reason.type;
    move.reason = reason.name;
    move.reference_type = "STOCK_ADJUSTMENT";
    move.reference_number = reference;
    move.notes = notes;
    move.unit_cost = unit_cost;
    const MoveRecord record = move_stock(tx, ctx, move);
    result["transactionId"] = record.move_id;
    result["lowStock"] = record.became_low_stock;
    audit::record(tx, ctx, "STOCK_ADJUST", "part", part_id,
                  {{"stockQuantity", json_of(current.on_hand)}},
                  {{"stockQuantity", result["newStock"]},
                   {"locationId", location.id},
                   {"adjustmentType", adjustment_type_name(type)},
                   {"quantity", json_of(quantity)},
                   {"reason", reason.name},
                   {"referenceNumber", reference}},
                  location.service_center_id);
    return result;
  });
}

// ---- Allocate / Release ------------------------------------------------------------------------

// A release gives back only what the same reference reserved: a manual release cannot take a
// parts issue's or a job card's reservation away from it.
void require_held_by_reference(Transaction& tx, const AllocationRequest& release) {
  const Quantity held = net_allocated_for_reference(tx, release.part_id, release.location_id,
                                                    release.reference_type, release.reference_id);
  if (held < release.quantity) {
    throw Error::BusinessRule(ErrorCode::kReleaseExceedsReservation,
                              "cannot release " + release.quantity.to_string() + ": " +
                                  release.reference_type + " " + release.reference_id + " holds " +
                                  held.to_string());
  }
}

Json change_allocation(Env& env, const Context& ctx, const Json& request, bool allocating) {
  const Fields f(request);
  AllocationRequest allocation;
  allocation.part_id = f.str("partId", 1, 100);
  allocation.quantity = f.quantity("quantity");
  allocation.reference_type = f.opt_str("referenceType", 50).value_or("MANUAL");
  allocation.reference_id = f.opt_str("referenceId", 100).value_or("");
  allocation.reference_number = f.opt_str("referenceNumber", kShortText).value_or("");
  allocation.notes = f.opt_str("notes", kLongText).value_or("");
  allocation.reason = allocating ? "Manual allocation" : "Manual release";
  return env.store->write([&](Transaction& tx) {
    const Location location = requested_location(tx, ctx, request, true);
    require_stock_permission(ctx, location, "allocate");
    load_part(tx, allocation.part_id, "partId");
    allocation.location_id = location.id;
    if (!allocating) {
      locked_balance_of(tx, allocation.part_id, location.id, ctx.now());  // serializes releases
      require_held_by_reference(tx, allocation);
    }
    const AllocationRecord record =
        allocating ? allocate(tx, ctx, allocation) : release(tx, ctx, allocation);
    Json result = {{"partId", allocation.part_id},
                   {"locationId", location.id},
                   {"stockQuantity", json_of(record.on_hand)},
                   {"allocated", json_of(record.allocated_after)},
                   {"available", json_of(record.on_hand - record.allocated_after)},
                   {"transactionId", record.move_id}};
    audit::record(tx, ctx, allocating ? "STOCK_ALLOCATE" : "STOCK_RELEASE", "part",
                  allocation.part_id, {{"allocated", json_of(record.allocated_before)}},
                  {{"allocated", result["allocated"]},
                   {"locationId", location.id},
                   {"referenceType", allocation.reference_type},
                   {"referenceId", allocation.reference_id}},
                  location.service_center_id);
    return result;
  });
}

Json allocate_method(Env& env, const Context& ctx, const Json& request) {
  return change_allocation(env, ctx, request, true);
}
Json release_method(Env& env, const Context& ctx, const Json& request) {
  return change_allocation(env, ctx, request, false);
}

// ---- SetStockLevels ----------------------------------------------------------------------------

// A level present in the request replaces the stored one (null clears it); absent keeps it.
void merge_level(const Fields& f, const Json& request, const char* name,
                 std::optional<Quantity>& level) {
  if (!request.contains(name)) return;
  level = f.opt_quantity(name);
}

Json settings_json(const StockSettings& s) {
  return {{"minStockLevel", json_of(s.levels.min_level)},
          {"maxStockLevel", json_of(s.levels.max_level)},
          {"reorderPoint", json_of(s.levels.reorder_point)},
          {"location", json_of(s.bin_location)}};
}

Json set_stock_levels(Env& env, const Context& ctx, const Json& request) {
  const Fields f(request);
  const std::string part_id = f.str("partId", 1, 100);
  return env.store->write([&](Transaction& tx) {
    const Location location = requested_location(tx, ctx, request, true);
    require_stock_permission(ctx, location, "update");
    if (!location.real()) throw Error::Validation("locationId", "levels belong to a real location");
    load_part(tx, part_id, "partId");
    const StockSettings before = stock_settings_of(tx, part_id, location.id);
    StockSettings after = before;
    merge_level(f, request, "minStockLevel", after.levels.min_level);
    merge_level(f, request, "maxStockLevel", after.levels.max_level);
    merge_level(f, request, "reorderPoint", after.levels.reorder_point);
    if (request.contains("location")) after.bin_location = f.opt_str("location", kShortText);
    store_stock_settings(tx, part_id, location.id, after, ctx.now());
    Json result = settings_json(after);
    auto [old_values, new_values] = audit::changed_fields(settings_json(before), result);
    if (!new_values.empty()) {
      audit::record(tx, ctx, "UPDATE", "stock_levels", part_id + "@" + location.id, old_values,
                    new_values, location.service_center_id);
    }
    result["partId"] = part_id;
    result["locationId"] = location.id;
    return result;
  });
}

// ---- Reads: LowStock, Value, PartTransactions, ListParts, VerifyStock ---------------------------

// The real locations a read covers: one named location, the actor's store, or (for those who
// see every center and name none) all of them. Appends the SQL condition on `column`.
void scope_locations(Transaction& tx, const Context& ctx, const Json& request,
                     const std::string& column, std::string& where, std::vector<Value>& params) {
  const Fields f(request);
  if (f.has("locationId") || f.has("serviceCenterId") || !ctx.sees_all_service_centers()) {
    const Location location = requested_location(tx, ctx, request, false);
    require_stock_permission(ctx, location, "read");
    where += " AND " + column + " = ?";
    params.push_back(location.id);
    return;
  }
  ctx.require("central_inventory:read");
}

Json low_stock(Env& env, const Context& ctx, const Json& request) {
  require_any(ctx, {"central_inventory:read", "inventory:read"});
  return env.store->read([&](Transaction& tx) {
    std::string where =
        " WHERE l.kind IN ('WAREHOUSE', 'STORE') AND ((b.min_level IS NOT NULL AND "
        "b.on_hand - b.allocated <= b.min_level) OR (b.reorder_point IS NOT NULL AND "
        "b.on_hand - b.allocated <= b.reorder_point))";
    std::vector<Value> params;
    scope_locations(tx, ctx, request, "b.location_id", where, params);
    const auto rows = tx.query(
        "SELECT b.part_id, p.name, p.part_number, b.location_id, l.name AS location_name, "
        "l.service_center_id, b.on_hand, b.allocated, b.min_level, b.reorder_point, "
        "b.last_restocked_at "
        "FROM inv_balances b JOIN inv_parts p ON p.id = b.part_id "
        "JOIN inv_locations l ON l.id = b.location_id" +
            where + " ORDER BY l.code, p.part_number",
        params);
    Json data = Json::array();
    for (const auto& row : rows) {
      const StockLevels levels{opt_quantity(row, "min_level"), std::nullopt,
                               opt_quantity(row, "reorder_point")};
      // Low is judged on what can still be promised: available = on_hand - allocated.
      const Quantity on_hand = quantity_of(row, "on_hand");
      const Quantity allocated = quantity_of(row, "allocated");
      const Quantity available = on_hand - allocated;
      const auto restocked = row.opt_i64("last_restocked_at");
      data.push_back(
          {{"partId", row.str("part_id")},
           {"partName", row.str("name")},
           {"partNumber", row.str("part_number")},
           {"locationId", row.str("location_id")},
           {"locationName", row.str("location_name")},
           {"serviceCenterId", text_json(row, "service_center_id")},
           {"stockQuantity", json_of(on_hand)},
           {"allocated", json_of(allocated)},
           {"available", json_of(available)},
           {"minStockLevel", json_of(levels.min_level)},
           {"reorderPoint", json_of(levels.reorder_point)},
           {"deficit", json_of(low_stock_deficit(available, levels))},
           {"lastRestocked",
            restocked ? Json(Timestamp::from_unix_micros(*restocked).business_date().to_string())
                      : Json()}});
    }
    return Json{{"data", data}};
  });
}

Json inventory_value(Env& env, const Context& ctx, const Json& request) {
  require_any(ctx, {"central_inventory:read", "inventory:read"});
  return env.store->read([&](Transaction& tx) {
    std::string where = " WHERE l.kind IN ('WAREHOUSE', 'STORE')";
    std::vector<Value> params;
    scope_locations(tx, ctx, request, "l.id", where, params);
    const auto rows = tx.query(
        "SELECT l.id, l.code, l.name, l.kind, l.service_center_id, b.on_hand, b.average_cost "
        "FROM inv_locations l LEFT JOIN inv_balances b ON b.location_id = l.id" +
            where + " ORDER BY l.code",
        params);
    Json locations = Json::array();
    Money total;
    for (const auto& row : rows) {
      if (locations.empty() || locations.back()["locationId"] != row.str("id")) {
        locations.push_back({{"locationId", row.str("id")},
                             {"code", row.str("code")},
                             {"name", row.str("name")},
                             {"kind", row.str("kind")},
                             {"serviceCenterId", text_json(row, "service_center_id")},
                             {"value", "0.00"},
                             {"partsInStock", 0}});
      }
      if (row.is_null("on_hand")) continue;
      const Money value = stock_value(quantity_of(row, "on_hand"), money_of(row, "average_cost"));
      Json& entry = locations.back();
      entry["value"] = json_of(Money::parse(entry["value"].get<std::string>()) + value);
      if (row.i64("on_hand") != 0) entry["partsInStock"] = entry["partsInStock"].get<int64_t>() + 1;
      total += value;
    }
    return Json{{"locations", locations}, {"totalValue", json_of(total)}};
  });
}

// previousStock/newStock of ALLOCATE and RELEASE rows are the allocated quantity.
Json part_transactions(Env& env, const Context& ctx, const Json& request) {
  require_any(ctx, {"central_inventory:read", "inventory:read"});
  const Fields f(request);
  const std::string part_id = f.str("partId", 1, 100);
  storage::ListQuery query = storage::parse_list_query(request);
  query.other.erase("partId");
  query.other.erase("locationId");
  query.other.erase("serviceCenterId");
  storage::adopt_plain_filters(query, move_spec());
  return env.store->read([&](Transaction& tx) {
    load_part(tx, part_id, "partId");
    storage::ListOptions options;
    options.max_limit = env.settings.list_limit_cap;
    options.conditions.push_back({"m.part_id = ?", {part_id}});
    if (f.has("locationId") || f.has("serviceCenterId") || !ctx.sees_all_service_centers()) {
      const Location location = requested_location(tx, ctx, request, false);
      require_stock_permission(ctx, location, "read");
      options.conditions.push_back(
          {"(m.from_location_id = ? OR m.to_location_id = ?)", {location.id, location.id}});
    } else {
      ctx.require("central_inventory:read");
    }
    return storage::run_list(tx, move_spec(), query, options);
  });
}

// The stock rows of one location (the requested one, the actor's store, or the central
// warehouse). A store that never held stock has no rows yet.
Json list_parts(Env& env, const Context& ctx, const Json& request) {
  require_any(ctx, {"central_inventory:read", "inventory:read"});
  const Fields f(request);
  storage::ListQuery query = storage::parse_list_query(request);
  query.other.erase("locationId");
  query.other.erase("serviceCenterId");
  storage::adopt_plain_filters(query, part_stock_spec());
  return env.store->read([&](Transaction& tx) {
    std::optional<Location> location;
    try {
      location = requested_location(tx, ctx, request, false);
    } catch (const Error& e) {
      if (e.code() != ErrorCode::kNotFound || f.has("locationId")) throw;
    }
    if (location) require_stock_permission(ctx, *location, "read");
    storage::ListOptions options;
    options.max_limit = env.settings.list_limit_cap;
    options.conditions.push_back(
        {"b.location_id = ?", {location ? Value(location->id) : Value(std::string())}});
    Json page = storage::run_list(tx, part_stock_spec(), query, options);
    return page;
  });
}

Json verification_json(const StockVerification& v) {
  Json result = {{"ok", v.ok},
                 {"partsChecked", v.parts_checked},
                 {"balancesChecked", v.balances_checked},
                 {"movesReplayed", v.moves_replayed}};
  if (!v.ok) {
    result["violation"] = {{"rule", v.rule},
                           {"message", v.message},
                           {"partId", v.part_id.empty() ? Json() : Json(v.part_id)},
                           {"locationId", v.location_id.empty() ? Json() : Json(v.location_id)},
                           {"referenceId", v.reference_id.empty() ? Json() : Json(v.reference_id)}};
  }
  return result;
}

Json verify_stock_method(Env& env, const Context& ctx, const Json& request) {
  ctx.require("central_inventory:read");
  const Fields no_parameters(request);  // none, but it must be an object
  (void)no_parameters;
  return env.store->read([&](Transaction& tx) { return verification_json(verify_stock(tx)); });
}

// ---- Locations ---------------------------------------------------------------------------------

Json list_locations(Env& env, const Context& ctx, const Json& request) {
  require_any(ctx, {"central_inventory:read", "inventory:read"});
  const Fields no_parameters(request);
  (void)no_parameters;
  return env.store->read([&](Transaction& tx) {
    std::string where = " WHERE 1 = 1";
    std::vector<Value> params;
    if (auto scope = service::tenant_scope(ctx)) {
      where += " AND service_center_id = ?";
      params.push_back(*scope);
    }
    Json data = Json::array();
    for (const auto& row :
         tx.query("SELECT id FROM inv_locations" + where + " ORDER BY code", params)) {
      data.push_back(location_json(location_by_id(tx, row.str("id"))));
    }
    return Json{{"data", data}};
  });
}

std::optional<std::string> state_code_field(const Fields& f) {
  auto code = f.opt_str("stateCode", 2);
  if (code && (code->size() != 2 || !find_state_by_code(*code))) {
    throw Error::Validation("stateCode", "stateCode must be a two-digit GST state code");
  }
  return code;
}

Json create_location(Env& env, const Context& ctx, const Json& request) {
  ctx.require("central_inventory:create");
  const Fields f(request);
  const std::string code = f.str("code", 1, 50);
  const std::string name = f.str("name", 1, kShortText);
  const auto state = state_code_field(f);
  const bool allow_negative = f.boolean("allowNegativeStock", false);
  return env.store->write([&](Transaction& tx) {
    const std::string id = storage::new_id();
    tx.exec(
        "INSERT INTO inv_locations (id, code, name, kind, state_code, allow_negative, "
        "created_at) VALUES (?, ?, ?, 'WAREHOUSE', ?, ?, ?)",
        {id, code, name, text_or_null(state), int64_t{allow_negative ? 1 : 0},
         ctx.now().unix_micros()});
    Json result = location_json(location_by_id(tx, id));
    audit::record(tx, ctx, "CREATE", "location", id, Json::object(), result);
    return result;
  });
}

Json update_location(Env& env, const Context& ctx, const Json& request) {
  const Fields f(request);
  const std::string id = f.str("id", 1, 100);
  const auto name = f.opt_str("name", kShortText);
  const auto state = state_code_field(f);
  return env.store->write([&](Transaction& tx) {
    const Location location = location_by_id(tx, id);
    require_stock_permission(ctx, location, "configure");
    const Json before = location_json(location);
    if (name) tx.exec("UPDATE inv_locations SET name = ? WHERE id = ?", {*name, id});
    if (state) tx.exec("UPDATE inv_locations SET state_code = ? WHERE id = ?", {*state, id});
    if (f.has("allowNegativeStock")) {
      if (!location.real()) throw Error::Validation("allowNegativeStock", "real locations only");
      tx.exec("UPDATE inv_locations SET allow_negative = ? WHERE id = ?",
              {int64_t{f.boolean("allowNegativeStock", false) ? 1 : 0}, id});
    }
    Json after = location_json(location_by_id(tx, id));
    auto [old_values, new_values] = audit::changed_fields(before, after);
    if (!new_values.empty()) {
      audit::record(tx, ctx, "UPDATE", "location", id, old_values, new_values,
                    location.service_center_id);
    }
    return after;
  });
}

const service::MethodRegistration kAdjust("inventory.AdjustStock", adjust_stock);
const service::MethodRegistration kAllocate("inventory.Allocate", allocate_method);
const service::MethodRegistration kRelease("inventory.Release", release_method);
const service::MethodRegistration kLevels("inventory.SetStockLevels", set_stock_levels);
const service::MethodRegistration kLowStock("inventory.LowStock", low_stock);
const service::MethodRegistration kValue("inventory.Value", inventory_value);
const service::MethodRegistration kMoves("inventory.PartTransactions", part_transactions, move_spec);
const service::MethodRegistration kListParts("inventory.ListParts", list_parts, part_stock_spec);
const service::MethodRegistration kVerify("inventory.VerifyStock", verify_stock_method);
const service::MethodRegistration kListLocations("inventory.ListLocations", list_locations);
const service::MethodRegistration kCreateLocation("inventory.CreateLocation", create_location);
const service::MethodRegistration kUpdateLocation("inventory.UpdateLocation", update_location);

}  // namespace
}  // namespace dms::inventory
