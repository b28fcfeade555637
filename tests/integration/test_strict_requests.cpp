// Strict requests (docs/decisions/0007-strict-requests.md): every registered method rejects,
// before its handler runs, a field its request message does not declare (at any depth), control
// characters in text, integers outside their field's range and over-long text.
#include <catch2/catch.hpp>
#include <string>

#include "dms/database.hpp"
#include "dms/error.hpp"
#include "service/schema.hpp"
#include "workshop_fixture.hpp"

namespace {

using dms::ErrorCode;
using dms::Json;
using dms::test::caught;
using dms::test::CaughtError;
namespace schema = dms::schema;

// The first field of a request message that holds a nested message (singular or repeated).
const schema::Field* nested_message_field(const schema::Message& m) {
  const schema::Schema& s = schema::schema();
  for (size_t i = 0; i < m.field_count; ++i) {
    const schema::Field& f = s.fields[m.first_field + i];
    if (f.type == schema::FieldType::kMessage && (f.flags & schema::kMap) == 0) return &f;
  }
  return nullptr;
}

// Rows written so far: bad requests must change nothing.
int64_t rows_written(dms::test::WorkshopFixture& w) {
  int64_t total = 0;
  for (const char* table : {"audit_logs", "outbox_events", "customers", "job_cards", "invoices",
                            "users", "inv_parts"}) {
    total += w.count(std::string("SELECT COUNT(*) FROM ") + table);
  }
  return total;
}

}  // namespace

TEST_CASE("strict requests: the core's schema describes every registered method") {
  const auto registered = dms::Database::methods();
  for (const auto& method : registered) {
    INFO(method << " has no request message in proto/dms/v1");
    CHECK(schema::schema().find_method(method) != nullptr);
  }
  CHECK(schema::schema().method_count == registered.size());
}

TEST_CASE("strict requests: every method rejects an unknown field, at the top and nested") {
  dms::test::WorkshopFixture w(dms::storage::Engine::kSqlite);
  const int64_t before = rows_written(w);
  const schema::Schema& s = schema::schema();
  size_t nested_checked = 0;
  for (const auto& method : dms::Database::methods()) {
    INFO(method);
    const CaughtError top = caught([&] {
      w.db->call(w.system, method, {{"zzUnknownField", "x"}});
    });
    CHECK(top.code == ErrorCode::kValidation);
    CHECK(top.field == "zzUnknownField");

    const schema::Method* types = s.find_method(method);
    REQUIRE(types != nullptr);
    const schema::Field* nested = nested_message_field(s.message(types->request));
    if (nested == nullptr) continue;
    const bool repeated = (nested->flags & schema::kRepeated) != 0;
    const Json inner = {{"zzInner", 1}};
    const Json request = {{nested->name, repeated ? Json::array({inner}) : inner}};
    const CaughtError deep = caught([&] { w.db->call(w.system, method, request); });
    CHECK(deep.code == ErrorCode::kValidation);
    CHECK(deep.field == std::string(nested->name) + (repeated ? "[0]" : "") + ".zzInner");
    ++nested_checked;
  }
  CHECK(nested_checked >= 20);  // items, lines, parts, customerDetails, preInspection, ...
  CHECK(rows_written(w) == before);
}

TEST_CASE("strict requests: a misspelled field is named with a hint, and nothing is written") {
  dms::test::WorkshopFixture w(dms::storage::Engine::kSqlite);
  const Json customer = w.customer();
  const int64_t before = rows_written(w);
  const Json item = {{"description", "Brake pads"},
                     {"hsnSac", "8708"},
                     {"quantity", "1"},
                     {"unitPrice", "1000.00"},
                     {"gstRate", "18"}};

  Json request = {
      {"customerId", customer["id"]}, {"items", Json::array({item})}, {"documentDiscountt", "100"}};
  CaughtError e = caught([&] { w.db->call(w.manager, "invoices.Create", request); });
  CHECK(e.code == ErrorCode::kValidation);
  CHECK(e.field == "documentDiscountt");
  CHECK_THAT(e.message, Catch::Contains("did you mean `documentDiscount`?"));

  Json misspelled_item = item;
  misspelled_item["discountPercnt"] = "50";
  request = {{"customerId", customer["id"]}, {"items", Json::array({item, misspelled_item})}};
  e = caught([&] { w.db->call(w.manager, "invoices.Create", request); });
  CHECK(e.code == ErrorCode::kValidation);
  CHECK(e.field == "items[1].discountPercnt");
  CHECK_THAT(e.message, Catch::Contains("did you mean `discountPercent`?"));

  request = {
      {"customerId", customer["id"]}, {"items", Json::array({item})}, {"taxInclusive", true}};
  e = caught([&] { w.db->call(w.manager, "invoices.Create", request); });
  CHECK(e.code == ErrorCode::kValidation);
  CHECK(e.field == "taxInclusive");

  // Nothing far from every field gets a hint.
  e = caught([&] { w.db->call(w.manager, "invoices.Create", {{"colour", "red"}}); });
  CHECK(e.field == "colour");
  CHECK_THAT(e.message, !Catch::Contains("did you mean"));
  CHECK(rows_written(w) == before);

  // The same invoice without the typos is created.
  request = {
      {"customerId", customer["id"]}, {"items", Json::array({item})}, {"documentDiscount", "100"}};
  CHECK(w.db->call(w.manager, "invoices.Create", request)["status"] == "DRAFT");
}

TEST_CASE("strict requests: control characters, line breaks, ranges and lengths") {
  dms::test::WorkshopFixture w(dms::storage::Engine::kSqlite);
  const Json base = {{"name", "Asha Rao"}, {"phone", "+919812345678"}};
  auto create = [&](const char* field, const Json& value) {
    Json request = base;
    request[field] = value;
    return caught([&] { w.db->call(w.advisor, "customers.Create", request); });
  };

  CaughtError e = create("name", std::string("ab\0cd", 5));
  CHECK(e.code == ErrorCode::kValidation);
  CHECK(e.field == "name");
  CHECK_THAT(e.message, Catch::Contains("U+0000"));
  e = create("name", "ab\x1b[31mcd");  // an escape sequence
  CHECK(e.field == "name");
  e = create("name",
             "ab\xc2\x85"
             "cd");  // C1 control NEL
  CHECK(e.field == "name");
  e = create("name", "ab\xff");
  CHECK(e.field == "name");
  CHECK_THAT(e.message, Catch::Contains("UTF-8"));

  // A line break or a tab only where the field is multi-line.
  e = create("name", "Asha\nRao");
  CHECK(e.code == ErrorCode::kValidation);
  CHECK(e.field == "name");
  CHECK_THAT(e.message, Catch::Contains("one line"));
  CHECK(create("name", "Asha\tRao").field == "name");
  Json request = base;
  request["address"] = "Flat 4, Sai Residency\nMG Road\r\n\tPune";
  const Json created = w.db->call(w.advisor, "customers.Create", request);
  CHECK(created["address"] == request["address"]);
  CHECK(created["name"] == "Asha Rao");

  // Non-ASCII text is counted in characters: 300 Devanagari letters are a name of 300.
  std::string hindi;
  for (int i = 0; i < 1001; ++i) hindi += "\xe0\xa4\x85";  // U+0905
  e = create("name", hindi);
  CHECK(e.field == "name");
  CHECK_THAT(e.message, Catch::Contains("longer than 1000 characters"));
  e = create("name", std::string(1001, 'a'));
  CHECK(e.code == ErrorCode::kValidation);
  CHECK(e.field == "name");
  // Columns with a documented, shorter maximum keep it (the handler's reader).
  CHECK(create("pincode", std::string(50, '4')).code == ErrorCode::kValidation);

  // Integers outside their 32-bit field: an odometer of 10^12 km.
  const Json card = w.job_card();
  for (const Json& reading : {Json(int64_t{1000000000000}), Json("1000000000000"), Json(1e12),
                              Json(int64_t{-2147483649})}) {
    e = caught([&] {
      w.db->call(w.engineer, "jobCards.PreInspection",
                 {{"id", card["id"]}, {"odometerReading", reading}});
    });
    CHECK(e.code == ErrorCode::kValidation);
    CHECK(e.field == "odometerReading");
  }
  e = caught([&] {
    w.db->call(w.advisor, "jobCards.Create",
               {{"customerId", card["customerId"]},
                {"vehicleId", card["vehicleId"]},
                {"serviceType", "Regular Service"},
                {"preInspection", {{"fuelLevel", int64_t{1} << 40}}}});
  });
  CHECK(e.field == "preInspection.fuelLevel");
  CHECK_THAT(e.message, Catch::Contains("out of range"));
  e = caught([&] { w.db->call(w.system, "system.Ping", {{"delayMs", 1.5}}); });
  CHECK(e.field == "delayMs");
}

TEST_CASE("strict requests: list parameters, free-form documents and nulls") {
  dms::test::WorkshopFixture w(dms::storage::Engine::kSqlite);
  w.job_card();
  // Seed 002's query forms: filter, sort, pages, expansion with nested limits, plain filters.
  const Json list = w.db->call(w.manager, "customers.List",
                               {{"filter", {{"customerType", "B2C"}}},
                                {"sort", "-createdAt"},
                                {"page", 1},
                                {"limit", 5},
                                {"fields", Json::array({"id", "name"})},
                                {"expand", "vehicles"},
                                {"vehicles.limit", 2},
                                {"search", "Customer"}});
  CHECK(list["data"].size() == 1);
  // Plain filter parameters name filterable fields of the list's spec (seed 002's
  // ?status=PENDING); anything else is unknown, with a hint from the parameters and the fields.
  CHECK_NOTHROW(w.db->call(w.system, "purchaseOrders.List", {{"status", "COMPLETED"}}));
  CHECK_NOTHROW(w.db->call(w.manager, "jobCards.List", {{"status", "IN_PROGRESS"}}));
  CHECK_NOTHROW(w.db->call(w.system, "partsRequests.List", {{"status", "PENDING"}}));
  CaughtError e = caught([&] {
    w.db->call(w.manager, "jobCards.List", {{"sortt", "-createdAt"}});
  });
  CHECK(e.code == ErrorCode::kValidation);
  CHECK(e.field == "sortt");
  CHECK_THAT(e.message, Catch::Contains("did you mean `sort`?"));
  e = caught([&] { w.db->call(w.manager, "jobCards.List", {{"statuss", "OPEN"}}); });
  CHECK(e.field == "statuss");
  CHECK_THAT(e.message, Catch::Contains("did you mean `status`?"));
  e = caught([&] { w.db->call(w.manager, "jobCards.List", {{"status", {{"in", "A"}}}}); });
  CHECK(e.field == "status");
  e = caught([&] {
    w.db->call(w.manager, "jobCards.List", {{"vehicles.limit", int64_t{1} << 40}});
  });
  CHECK(e.code == ErrorCode::kValidation);
  // Expansion limits belong to requests that expand.
  e = caught([&] { w.db->call(w.manager, "jobCards.Cancel", {{"vehicles.limit", 1}}); });
  CHECK(e.field == "vehicles.limit");

  // google.protobuf.Struct fields stay free-form; nulls are absent fields.
  CHECK_NOTHROW(schema::check_request(
      "jobCards.Create", {{"part1Data", {{"anything", {{"goes", Json::array({1, "two"})}}}}},
                          {"description", nullptr}}));
  CHECK_NOTHROW(schema::check_request("system.Version", nullptr));
  e = caught([] { schema::check_request("system.Version", Json::array()); });
  CHECK(e.field == "request");
  e = caught([] { schema::check_request("jobCards.Create", {{"preInspection", "full"}}); });
  CHECK(e.field == "preInspection");
  e = caught([] { schema::check_request("invoices.Create", {{"items", {{"type", "part"}}}}); });
  CHECK(e.field == "items");
  e = caught([] { schema::check_request("no.SuchMethod", Json::object()); });
  CHECK(e.code == ErrorCode::kInternal);
}
