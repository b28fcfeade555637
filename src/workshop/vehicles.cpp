// vehicles.*: dealer-wide vehicle records (seed 002 section 5) and their service history.
//
// A vehicle's currentStatus, activeJobCardId and service totals are owned by the job-card and
// invoice workflows; requests cannot set them. The service history spans every service center
// (each row names its center), like the vehicle record itself.
#include <string>
#include <utility>
#include <vector>

#include "audit/audit.hpp"
#include "dms/error.hpp"
#include "events/outbox.hpp"
#include "service/entity.hpp"
#include "service/request.hpp"
#include "service/service.hpp"
#include "workshop/common.hpp"
#include "workshop/lists.hpp"
#include "workshop/records.hpp"
#include "workshop/validation.hpp"

namespace dms::workshop {
namespace {

struct TextColumn {
  const char* field;
  const char* column;
  size_t max_len;
};

constexpr TextColumn kVehicleTexts[] = {
    {"vehicleMake", "vehicle_make", 100},
    {"vehicleModel", "vehicle_model", 100},
    {"variant", "variant", 100},
    {"vehicleColor", "vehicle_color", 50},
    {"motorNumber", "motor_number", 100},
    {"chargerSerialNumber", "charger_serial_number", 100},
    {"warrantyStatus", "warranty_status", 50},
    {"insuranceCompanyName", "insurance_company_name", 200},
};

constexpr TextColumn kVehicleDates[] = {
    {"purchaseDate", "purchase_date", 10},
    {"insuranceStartDate", "insurance_start_date", 10},
    {"insuranceEndDate", "insurance_end_date", 10},
};

// Validated vehicle fields; absent fields are absent.
struct VehicleInput {
  std::optional<std::string> customer_id;
  std::optional<std::string> registration;
  std::optional<std::string> vin;
  std::optional<int64_t> year;
  std::vector<std::pair<std::string, Value>> columns;  // the other columns to set
};

std::optional<Value> column_value(const VehicleInput& in, std::string_view column) {
  for (const auto& [c, v] : in.columns) {
    if (c == column) return v;
  }
  return std::nullopt;
}

void read_texts_and_dates(const request::Fields& f, VehicleInput& in) {
  for (const TextColumn& t : kVehicleTexts) {
    if (auto v = opt_trimmed(f, t.field, t.max_len)) in.columns.emplace_back(t.column, *v);
  }
  for (const TextColumn& d : kVehicleDates) {
    if (auto v = f.opt_date(d.field)) in.columns.emplace_back(d.column, v->to_string());
  }
}

VehicleInput read_vehicle(const Json& req, bool partial, int current_year) {
  request::Fields f(req);
  VehicleInput in;
  if (!partial || f.has("customerId")) in.customer_id = f.str("customerId", 1, 100);
  if (!partial || f.has("registration")) {
    in.registration = normalize_vehicle_identifier(f.str("registration", 1, 30));
    check_registration(*in.registration, "registration");
  }
  if (!partial || f.has("vin")) {
    in.vin = normalize_vehicle_identifier(f.str("vin", 1, 40));
    check_vin(*in.vin, "vin");
  }
  if (auto year = f.opt_integer("vehicleYear")) {
    if (*year < 1900 || *year > current_year + 1) {
      throw Error::Validation("vehicleYear", "vehicleYear must be between 1900 and " +
                                                 std::to_string(current_year + 1));
    }
    in.year = *year;
  }
  read_texts_and_dates(f, in);
  if (!partial) {
    for (const char* required : {"vehicleMake", "vehicleModel"}) {
      if (!f.has(required) || !opt_trimmed(f, required)) {
        throw Error::Validation(required, std::string(required) + " is required");
      }
    }
  }
  return in;
}

// Insurance must end after it starts (checked on the merged record for updates).
void check_insurance_dates(const std::optional<std::string>& start,
                           const std::optional<std::string>& end) {
  if (start && end && *end < *start) {
    throw Error::Validation("insuranceEndDate", "insuranceEndDate is before insuranceStartDate");
  }
}

std::optional<std::string> text_value(const std::optional<Value>& v) {
  if (!v) return std::nullopt;
  if (auto* s = std::get_if<std::string>(&*v)) return *s;
  return std::nullopt;
}

void check_unique(storage::Transaction& tx, const char* column, const char* field,
                  const std::string& value, const std::string& except_id) {
  auto row =
      tx.query_one(std::string("SELECT id FROM vehicles WHERE ") + column + " = ? AND id <> ?",
                   {value, except_id});
  if (row) {
    throw Error::Duplicate(
        field, std::string("a vehicle with ") + field + " " + value + " already exists");
  }
}

Json create_vehicle(Env& env, const Context& ctx, const Json& req) {
  ctx.require("vehicles:create");
  const VehicleInput in = read_vehicle(req, false, ctx.now().business_date().year());
  check_insurance_dates(text_value(column_value(in, "insurance_start_date")),
                        text_value(column_value(in, "insurance_end_date")));
  return env.store->write([&](storage::Transaction& tx) {
    load_customer(tx, *in.customer_id, "customerId");
    check_unique(tx, "registration", "registration", *in.registration, "");
    check_unique(tx, "vin", "vin", *in.vin, "");
    const std::string id = storage::new_id();
    const Timestamp now = ctx.now();
    std::string columns =
        "id, customer_id, registration, vin, vehicle_year, current_status, total_services, "
        "total_spent, created_by, created_at, updated_at";
    std::string marks = "?, ?, ?, ?, ?, ?, 0, 0, ?, ?, ?";
    std::vector<Value> values{id,         *in.customer_id,  *in.registration,
                              *in.vin,    integer(in.year), std::string(kVehicleAvailable),
                              actor(ctx), micros(now),      micros(now)};
    for (const auto& [column, value] : in.columns) {
      columns += ", " + column;
      marks += ", ?";
      values.push_back(value);
    }
    tx.exec("INSERT INTO vehicles (" + columns + ") VALUES (" + marks + ")", values);
    Json created = vehicle_json(load_vehicle(tx, id));
    audit::record(tx, ctx, "CREATE", "vehicle", id, Json(), created);
    events::emit(
        tx, ctx, "vehicle.created",
        {{"vehicleId", id}, {"customerId", *in.customer_id}, {"registration", *in.registration}});
    return created;
  });
}

Json get_vehicle(Env& env, const Context& ctx, const Json& req) {
  ctx.require("vehicles:read");
  request::Fields f(req);
  const std::string id = f.str("id", 1, 100);
  return env.store->read([&](storage::Transaction& tx) {
    return service::get_entity(env, tx, vehicle_list_spec(), id, "vehicle", req);
  });
}

Json update_vehicle(Env& env, const Context& ctx, const Json& req) {
  ctx.require("vehicles:update");
  request::Fields f(req);
  const std::string id = f.str("id", 1, 100);
  const VehicleInput in = read_vehicle(req, true, ctx.now().business_date().year());
  return env.store->write([&](storage::Transaction& tx) {
    const storage::Row before = load_vehicle(tx, id, "id", true);
    const Json old_doc = vehicle_json(before);
    auto merged = [&](const char* column) {
      auto v = text_value(column_value(in, column));
      return v ? v : before.opt_str(column);
    };
    check_insurance_dates(merged("insurance_start_date"), merged("insurance_end_date"));
    UpdateBuilder update;
    if (in.customer_id) {
      load_customer(tx, *in.customer_id, "customerId");
      update.set("customer_id", *in.customer_id);
    }
    if (in.registration) {
      check_unique(tx, "registration", "registration", *in.registration, id);
      update.set("registration", *in.registration);
    }
    if (in.vin) {
      check_unique(tx, "vin", "vin", *in.vin, id);
      update.set("vin", *in.vin);
    }
    if (in.year) update.set("vehicle_year", *in.year);
    for (const auto& [column, value] : in.columns) update.set(column, value);
    update.set("updated_at", micros(ctx.now()));
    update.apply(tx, "vehicles", id);
    Json updated = vehicle_json(load_vehicle(tx, id));
    auto [old_values, new_values] = audit::changed_fields(old_doc, updated);
    audit::record(tx, ctx, "UPDATE", "vehicle", id, old_values, new_values);
    return updated;
  });
}

Json list_vehicles(Env& env, const Context& ctx, const Json& req) {
  ctx.require("vehicles:read");
  return env.store->read([&](storage::Transaction& tx) {
    return service::list_entity(env, ctx, tx, vehicle_list_spec(), req);
  });
}

// ---- Service history ----------------------------------------------------------------------------

// The names of the parts used (issued and not all returned) on each job card of the page.
void add_part_names(storage::Transaction& tx, Json& rows) {
  for (Json& row : rows) {
    if (!row.contains("id")) continue;
    Json parts = Json::array();
    for (const auto& part :
         tx.query("SELECT part_name FROM job_card_parts WHERE job_card_id = ? AND issued_qty > "
                  "returned_qty ORDER BY line_no, id",
                  {row["id"].get<std::string>()})) {
      parts.push_back(part.str("part_name"));
    }
    row["parts"] = std::move(parts);
  }
}

Json vehicle_service_history(Env& env, const Context& ctx, const Json& req) {
  ctx.require("vehicles:read");
  request::Fields f(req);
  const std::string vehicle_id = f.str("vehicleId", 1, 100);
  return env.store->read([&](storage::Transaction& tx) {
    load_vehicle(tx, vehicle_id, "vehicleId");
    Json page = service::list_entity(env, ctx, tx, service_history_list_spec(), req,
                                     {storage::Condition{"h.vehicle_id = ?", {vehicle_id}}});
    add_part_names(tx, page["data"]);
    return page;
  });
}

const service::MethodRegistration kCreate("vehicles.Create", create_vehicle);
const service::MethodRegistration kGet("vehicles.Get", get_vehicle);
const service::MethodRegistration kUpdate("vehicles.Update", update_vehicle);
const service::MethodRegistration kList("vehicles.List", list_vehicles, vehicle_list_spec);
const service::MethodRegistration kHistory("vehicles.ServiceHistory", vehicle_service_history, service_history_list_spec);

}  // namespace

storage::Row load_vehicle(storage::Transaction& tx, const std::string& id, std::string_view field,
                          bool lock) {
  auto row = tx.query_one(
      std::string("SELECT * FROM vehicles WHERE id = ?") + (lock ? tx.for_update() : ""), {id});
  if (!row) reference_not_found(field, "vehicle", id);
  return std::move(*row);
}

storage::Row require_vehicle_of_customer(storage::Transaction& tx, const std::string& customer_id,
                                         const std::string& vehicle_id, bool lock_vehicle) {
  load_customer(tx, customer_id, "customerId");
  storage::Row vehicle = load_vehicle(tx, vehicle_id, "vehicleId", lock_vehicle);
  if (vehicle.str("customer_id") != customer_id) {
    throw Error::Validation("vehicleId", "the vehicle does not belong to the customer");
  }
  return vehicle;
}

// The vehicle's document, from its description (vehicle_list_spec).
Json vehicle_json(const storage::Row& row) {
  return storage::render_row(vehicle_list_spec(), row);
}

}  // namespace dms::workshop
