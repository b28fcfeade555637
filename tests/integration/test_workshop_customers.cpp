// customers.* and vehicles.*: validation naming the field, uniqueness, soft delete, search
// auto-detection, lists, bulk create with per-index results, permissions.
#include <catch2/catch.hpp>

#include "workshop_fixture.hpp"

using namespace dms;
using dms::test::caught;

TEST_CASE("workshop: customer validation errors name the field") {
  test::WorkshopFixture f(GENERATE(test::engines()));
  INFO("engine: " << storage::engine_name(f.database.engine()));
  const Json good{{"name", "Asha Rao"}, {"phone", "+919812345678"}};
  std::string bad_gstin = test::valid_gstin("27");
  bad_gstin.back() = bad_gstin.back() == 'A' ? 'B' : 'A';  // wrong check character
  struct Case {
    const char* field;
    Json value;
  };
  for (const Case& c :
       {Case{"name", "A"}, Case{"name", std::string(101, 'x')}, Case{"phone", "9812345678"},
        Case{"phone", "+915812345678"}, Case{"email", "asha@"}, Case{"whatsappNumber", "+91123"},
        Case{"pincode", "0400"}, Case{"customerType", "B2X"}, Case{"gstin", bad_gstin}}) {
    Json request = good;
    request[c.field] = c.value;
    if (std::string(c.field) == "gstin") request["customerType"] = "B2B";
    const auto e = caught([&] { f.call(f.advisor, "customers.Create", request); });
    INFO(c.field << " = " << c.value.dump());
    CHECK(e.code == ErrorCode::kValidation);
    CHECK(e.field == c.field);
  }
  // A B2B customer needs a GSTIN; a B2C customer has none.
  auto e = caught([&] {
    f.call(f.advisor, "customers.Create",
           {{"name", "Acme"}, {"phone", "+919812345678"}, {"customerType", "B2B"}});
  });
  CHECK(e.field == "gstin");
  const Json b2b = f.call(f.advisor, "customers.Create",
                          {{"name", "Acme Fleet"},
                           {"phone", "+919812345678"},
                           {"customerType", "B2B"},
                           {"gstin", test::valid_gstin("29")}});
  CHECK(b2b["gstin"] == test::valid_gstin("29"));
  // Phone numbers are unique.
  e = caught([&] {
    f.call(f.advisor, "customers.Create", {{"name", "Asha"}, {"phone", "+919812345678"}});
  });
  CHECK(e.code == ErrorCode::kDuplicate);
  CHECK(e.field == "phone");
}

TEST_CASE("workshop: customer create, number, update, soft delete") {
  test::WorkshopFixture f(GENERATE(test::engines()));
  INFO("engine: " << storage::engine_name(f.database.engine()));
  const Json c1 = f.customer();
  const Json c2 = f.customer();
  CHECK(c1["customerNumber"] == "CUST-0001");
  CHECK(c2["customerNumber"] == "CUST-0002");
  CHECK(c1["customerType"] == "B2C");
  CHECK(c1["lastServiceCenterId"].is_null());
  CHECK(c1["lastInvoiceNumber"].is_null());

  const Json updated =
      f.call(f.manager, "customers.Update",
             {{"id", c1["id"]}, {"email", "new@mail.example"}, {"address", "456 New St"}});
  CHECK(updated["email"] == "new@mail.example");
  CHECK(updated["address"] == "456 New St");
  CHECK(updated["phone"] == c1["phone"]);
  auto e = caught([&] {
    f.call(f.manager, "customers.Update", {{"id", c1["id"]}, {"phone", c2["phone"]}});
  });
  CHECK(e.code == ErrorCode::kDuplicate);

  // The call center may create and read customers, not change them; engineers may not create.
  CHECK(caught([&] {
          f.call(f.call_center, "customers.Update", {{"id", c1["id"]}, {"name", "Xy"}});
        }).code == ErrorCode::kForbidden);
  CHECK(caught([&] {
          f.call(f.engineer, "customers.Create", {{"name", "Xy"}, {"phone", "+919999999999"}});
        }).code == ErrorCode::kForbidden);

  f.call(f.manager, "customers.Delete", {{"id", c1["id"]}});
  CHECK(caught([&] {
          f.call(f.manager, "customers.Get", {{"id", c1["id"]}});
        }).code == ErrorCode::kNotFound);
  // A deleted customer's phone may be used again.
  const Json again =
      f.call(f.advisor, "customers.Create", {{"name", "Returning"}, {"phone", c1["phone"]}});
  CHECK(again["customerNumber"] == "CUST-0003");
  const Json list = f.call(f.manager, "customers.List", {{"sort", "customerNumber"}});
  CHECK(list["pagination"]["total"] == 2);
}

TEST_CASE("workshop: customer search auto-detects phone, email, name, registration and VIN") {
  test::WorkshopFixture f(GENERATE(test::engines()));
  INFO("engine: " << storage::engine_name(f.database.engine()));
  const Json john = f.customer({{"name", "John Doe"}, {"email", "john@example.com"}});
  const Json jane = f.customer({{"name", "Jane Smith"}});
  f.vehicle(john["id"], {{"registration", "MH01AB1234"}, {"vin", "1HGCM82633A004352"}});
  auto search = [&](const std::string& q) {
    return f.call(f.call_center, "customers.Search", {{"query", q}, {"expand", "vehicles"}});
  };
  struct Case {
    std::string query;
    const char* type;
    Json expected;
  };
  for (const Case& c :
       {Case{john["phone"].get<std::string>(), "phone", john["id"]},
        Case{john["phone"].get<std::string>().substr(3), "phone", john["id"]},
        Case{"JOHN@example.com", "email", john["id"]},
        Case{"mh01ab1234", "registration", john["id"]},
        Case{"1HGCM82633A004352", "vin", john["id"]}, Case{"smith", "name", jane["id"]}}) {
    INFO(c.query);
    const Json r = search(c.query);
    CHECK(r["searchType"] == c.type);
    REQUIRE(r["data"].size() == 1);
    CHECK(r["data"][0]["id"] == c.expected);
    CHECK(r["data"][0]["vehicles"].is_array());
  }
  CHECK(search("nobody")["data"].empty());
  const Json typed = f.call(f.manager, "customers.Search", {{"query", "doe"}, {"type", "name"}});
  CHECK(typed["data"].size() == 1);
}

TEST_CASE("workshop: bulk create reports per-index results and errors") {
  test::WorkshopFixture f(GENERATE(test::engines()));
  INFO("engine: " << storage::engine_name(f.database.engine()));
  const Json result =
      f.call(f.advisor, "customers.BulkCreate",
             {{"customers",
               {{{"name", "John Doe"}, {"phone", "+919876543210"}, {"email", "john@example.com"}},
                {{"name", "J"}, {"phone", "+919876543211"}},
                {{"name", "Jane Smith"}, {"phone", "+919876543211"}, {"email", "jane@example.com"}},
                {{"name", "Dup John"}, {"phone", "+919876543210"}},
                {{"name", "Bad Mail"}, {"phone", "+919876543212"}, {"email", "nope"}}}}});
  CHECK(result["created"] == 2);
  CHECK(result["failed"] == 3);
  REQUIRE(result["results"].size() == 5);
  CHECK(result["results"][0]["success"] == true);
  CHECK(result["results"][0]["data"]["customerNumber"] == "CUST-0001");
  CHECK(result["results"][1]["success"] == false);
  CHECK(result["results"][1]["error"]["field"] == "name");
  CHECK(result["results"][2]["data"]["customerNumber"] == "CUST-0002");
  CHECK(result["results"][3]["error"]["code"] == "DUPLICATE");
  CHECK(result["results"][4]["error"]["field"] == "email");
  REQUIRE(result["errors"].size() == 3);
  CHECK(result["errors"][0]["index"] == 1);
  CHECK(result["errors"][2]["index"] == 4);
}

TEST_CASE("workshop: vehicle validation, uniqueness, list and expansion") {
  test::WorkshopFixture f(GENERATE(test::engines()));
  INFO("engine: " << storage::engine_name(f.database.engine()));
  const Json c = f.customer();
  const Json good{{"customerId", c["id"]},
                  {"registration", "MH01AB1234"},
                  {"vin", "VIN123456789"},
                  {"vehicleMake", "Tesla"},
                  {"vehicleModel", "Model 3"},
                  {"vehicleYear", 2023},
                  {"purchaseDate", "2023-01-15"},
                  {"insuranceStartDate", "2023-01-15"},
                  {"insuranceEndDate", "2024-01-15"},
                  {"insuranceCompanyName", "HDFC ERGO"}};
  struct Case {
    const char* field;
    Json value;
    ErrorCode code;
  };
  for (const Case& k : {Case{"customerId", "no-such-customer", ErrorCode::kNotFound},
                        Case{"registration", "MH1AB1234", ErrorCode::kValidation},
                        Case{"vin", "V1", ErrorCode::kValidation},
                        Case{"vehicleYear", 1800, ErrorCode::kValidation},
                        Case{"purchaseDate", "2023-02-30", ErrorCode::kValidation},
                        Case{"insuranceEndDate", "2022-01-01", ErrorCode::kValidation},
                        Case{"vehicleMake", nullptr, ErrorCode::kValidation}}) {
    Json request = good;
    request[k.field] = k.value;
    const auto e = caught([&] { f.call(f.advisor, "vehicles.Create", request); });
    INFO(k.field);
    CHECK(e.code == k.code);
    CHECK(e.field == k.field);
  }
  const Json v = f.call(f.advisor, "vehicles.Create", good);
  CHECK(v["currentStatus"] == "AVAILABLE");
  CHECK(v["activeJobCardId"].is_null());
  CHECK(v["totalServices"] == 0);
  CHECK(v["totalSpent"] == "0.00");
  Json dup = good;
  dup["vin"] = "VIN999999999";
  auto e = caught([&] { f.call(f.advisor, "vehicles.Create", dup); });
  CHECK(e.code == ErrorCode::kDuplicate);
  CHECK(e.field == "registration");
  dup = good;
  dup["registration"] = "MH01AB9999";
  e = caught([&] { f.call(f.advisor, "vehicles.Create", dup); });
  CHECK(e.code == ErrorCode::kDuplicate);
  CHECK(e.field == "vin");

  const Json list = f.call(f.manager, "vehicles.List",
                           {{"filter", {{"customerId", c["id"]}}}, {"expand", "customer"}});
  REQUIRE(list["data"].size() == 1);
  CHECK(list["data"][0]["customer"]["id"] == c["id"]);
  const Json customers = f.call(f.manager, "customers.List",
                                {{"expand", "vehicles"}, {"filter", {{"customerType", "B2C"}}}});
  REQUIRE(customers["data"].size() == 1);
  CHECK(customers["data"][0]["vehicles"][0]["registration"] == "MH01AB1234");
  // The call center reads vehicles through customers only; it has no vehicles:create.
  CHECK(caught([&] { f.call(f.call_center, "vehicles.Create", dup); }).code ==
        ErrorCode::kForbidden);
}

TEST_CASE("workshop: graphical components, issues and per-component history") {
  test::WorkshopFixture f(GENERATE(test::engines()));
  INFO("engine: " << storage::engine_name(f.database.engine()));
  const Json c = f.customer();
  const Json v = f.vehicle(c["id"]);
  const Json battery = f.call(f.manager, "vehicles.UpdateComponent",
                              {{"vehicleId", v["id"]},
                               {"name", "Battery pack"},
                               {"category", "electrical"},
                               {"position", {{"x", 120}, {"y", 40}}},
                               {"status", "healthy"},
                               {"serviceInterval", 180}});
  CHECK(battery["status"] == "healthy");
  CHECK(battery["position"]["x"] == 120);
  CHECK(caught([&] {
          f.call(f.manager, "vehicles.UpdateComponent",
                 {{"vehicleId", v["id"]}, {"name", "Battery pack"}, {"category", "electrical"}});
        }).code == ErrorCode::kDuplicate);
  const Json with_issue = f.call(f.manager, "vehicles.AddComponentIssue",
                                 {{"vehicleId", v["id"]},
                                  {"componentId", battery["id"]},
                                  {"description", "Cell imbalance"},
                                  {"severity", "high"}});
  CHECK(with_issue["status"] == "warning");
  CHECK(with_issue["issues"].size() == 1);
  CHECK(with_issue["issue"]["resolved"] == false);
  auto e = caught([&] {
    f.call(f.manager, "vehicles.AddComponentIssue",
           {{"vehicleId", v["id"]},
            {"componentId", battery["id"]},
            {"description", "x"},
            {"severity", "severe"}});
  });
  CHECK(e.field == "severity");
  const Json updated =
      f.call(f.manager, "vehicles.UpdateComponent",
             {{"vehicleId", v["id"]}, {"componentId", battery["id"]}, {"status", "critical"}});
  CHECK(updated["status"] == "critical");
  CHECK(updated["name"] == "Battery pack");
  const Json all = f.call(f.advisor, "vehicles.Components", {{"vehicleId", v["id"]}});
  REQUIRE(all["components"].size() == 1);
  CHECK(all["components"][0]["issues"][0]["description"] == "Cell imbalance");
}
