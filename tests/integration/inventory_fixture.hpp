// The world of the inventory integration tests: a fresh database per engine, service centers and
// users made through the identity methods, typed shortcuts for the inventory methods, and
// verify() — inventory::verify_stock() over a transaction and the inventory.VerifyStock method,
// which tests call after every step.
//
// Thread-safety: call() and verify() may run from many threads at once (the Database is shared);
// construction and destruction belong to the test's thread.
#pragma once

#include <catch2/catch.hpp>
#include <functional>
#include <memory>
#include <string>

#include "conformance.hpp"
#include "dms/database.hpp"
#include "dms/error.hpp"
#include "dms/json.hpp"
#include "engines.hpp"
#include "inventory/stock.hpp"
#include "service/service.hpp"

namespace dms::test {

// 2025-12-20 10:00 UTC, the date of seed 002's examples.
inline const Timestamp kSeedTime = Timestamp::parse("2025-12-20T10:00:00Z");

class InventoryWorld {
 public:
  explicit InventoryWorld(storage::Engine engine) : database_(engine), clock_(kSeedTime) {
    DatabaseOptions options;
    options.url = database_.url();
    options.sqlite_synchronous = "NORMAL";
    options.clock = &clock_;
    options.pool_size = 12;
    db_ = Database::open(options);
    system_ = db_->system_context();
    admin_ = user("admin", std::nullopt);
  }

  Database& db() { return *db_; }
  ManualClock& clock() { return clock_; }
  const TestDatabase& database() const { return database_; }
  const Context& system() const { return system_; }
  const Context& admin() const { return admin_; }
  storage::Store& store() { return *db_->impl().store; }

  // Every response is checked against the wire schema (conformance.hpp).
  Json call(const Context& ctx, std::string_view method, const Json& request = Json::object()) {
    return checked_call(*db_, ctx, method, request);
  }

  // The error code of a call that must fail (kOk when it succeeded).
  ErrorCode error_of(const Context& ctx, std::string_view method, const Json& request) {
    try {
      db_->call(ctx, method, request);
    } catch (const Error& e) {
      return e.code();
    }
    return ErrorCode::kOk;
  }

  // A service center in GST state `state_code` ("27" Maharashtra), made by the system context.
  std::string service_center(const std::string& code, const std::string& state_code = "27") {
    Json center = call(system_, "serviceCenters.Create",
                       {{"code", code},
                        {"name", code + " service center"},
                        {"address", {{"stateCode", state_code}}}});
    return center["id"].get<std::string>();
  }

  // A user of `role` (seed 002's roles), confined to `center` when given, as a Context.
  Context user(const std::string& role, const std::optional<std::string>& center) {
    const std::string n = std::to_string(++users_);
    Json request = {{"email", role + n + "@dealer.test"},
                    {"phone", "+9198" + std::string(8 - n.size(), '0') + n},
                    {"firstName", role},
                    {"lastName", n},
                    {"role", role}};
    if (center) request["serviceCenterId"] = *center;
    const Json created = call(system_, "users.Create", request);
    return db_->context_for_user(created["id"].get<std::string>());
  }

  // Both faces of the invariant check must agree and pass.
  void verify() {
    const inventory::StockVerification direct =
        store().read([](storage::Transaction& tx) { return inventory::verify_stock(tx); });
    INFO("verify_stock: " << direct.rule << " " << direct.message);
    REQUIRE(direct.ok);
    const Json method = call(system_, "inventory.VerifyStock");
    INFO("inventory.VerifyStock: " << method.dump());
    REQUIRE(method["ok"].get<bool>());
  }

  // ---- Shortcuts -------------------------------------------------------------------------------
  std::string part(const std::string& number, const std::string& cost = "40000.00",
                   const std::string& gst = "18") {
    return call(system_, "inventory.CreatePart",
                {{"partNumber", number},
                 {"partName", "Part " + number},
                 {"partCode", number},
                 {"category", "Battery"},
                 {"hsnCode", "8507"},
                 {"gstRate", gst},
                 {"costPrice", cost},
                 {"unitPrice", cost}})["id"]
        .get<std::string>();
  }

  std::string supplier(const std::string& name, const std::string& state_code = "27") {
    return call(system_, "suppliers.Create",
                {{"name", name}, {"contactPerson", "John Smith"}, {"stateCode", state_code}})["id"]
        .get<std::string>();
  }

  std::string central_id() {
    return store().read(
        [](storage::Transaction& tx) { return inventory::central_location(tx).id; });
  }

  std::string store_of(const std::string& center) {
    return store().write(
        [&](storage::Transaction& tx) { return inventory::store_location_of(tx, center).id; });
  }

  std::string location_of(inventory::LocationKind kind) {
    return store().read(
        [&](storage::Transaction& tx) { return inventory::virtual_location(tx, kind).id; });
  }

  inventory::Balance balance(const std::string& part_id, const std::string& location_id) {
    return store().read(
        [&](storage::Transaction& tx) { return inventory::balance_of(tx, part_id, location_id); });
  }

  // Adds stock at a location through inventory.AdjustStock (ADD, STOCK_RECEIVED).
  Json add_stock(const std::string& part_id, const std::string& location_id,
                 const std::string& quantity) {
    return call(system_, "inventory.AdjustStock",
                {{"partId", part_id},
                 {"locationId", location_id},
                 {"adjustmentType", "ADD"},
                 {"quantity", quantity},
                 {"reason", "STOCK_RECEIVED"}});
  }

  int64_t count(const std::string& sql, const std::vector<storage::Value>& params = {}) {
    return store().read([&](storage::Transaction& tx) {
      return tx.query_one("SELECT COUNT(*) AS n FROM " + sql, params)->i64("n");
    });
  }

 private:
  TestDatabase database_;
  ManualClock clock_;
  std::unique_ptr<Database> db_;
  Context system_;
  Context admin_;
  int users_ = 0;
};

inline dms::Quantity qty(const char* text) {
  return dms::Quantity::parse(text);
}

}  // namespace dms::test
