// The list-query engine on every engine: parsing, typed filters, search, sort, page and cursor
// pagination, field selection, expansion, tenant conditions, and injection attempts.
#include <catch2/catch.hpp>
#include <set>

#include "dms/error.hpp"
#include "engines.hpp"
#include "storage/list_query.hpp"

using dms::Error;
using dms::ErrorCode;
using dms::Json;
using dms::storage::FieldType;
using dms::storage::ListOptions;
using dms::storage::ListQuery;
using dms::storage::ListSpec;
using dms::storage::Transaction;
using dms::storage::Value;
using namespace dms::storage;  // kFilter, kSort, ...

namespace {

const MigrationRegistration kListTables{{90003, "test: list tables", R"SQL(
CREATE TABLE lq_customers (
  id TEXT PRIMARY KEY,
  service_center_id TEXT NOT NULL,
  name TEXT NOT NULL,
  phone TEXT NOT NULL,
  email TEXT,
  customer_type TEXT NOT NULL,
  credit_limit BIGINT NOT NULL,
  fuel_litres BIGINT NOT NULL,
  active BIGINT NOT NULL,
  birthday TEXT,
  tags TEXT,
  rank BIGINT,
  created_at BIGINT NOT NULL
);
CREATE TABLE lq_vehicles (
  id TEXT PRIMARY KEY,
  customer_id TEXT NOT NULL REFERENCES lq_customers(id),
  registration TEXT NOT NULL,
  created_at BIGINT NOT NULL
);
CREATE TABLE lq_services (
  id TEXT PRIMARY KEY,
  vehicle_id TEXT NOT NULL REFERENCES lq_vehicles(id),
  note TEXT NOT NULL
);
)SQL"}};

const ListSpec kServices = [] {
  ListSpec s;
  s.from = "lq_services";
  s.default_sort = "id";
  s.field("id", "id", FieldType::kText, kFilter | kSort)
      .field("vehicleId", "vehicle_id", FieldType::kText)
      .field("note", "note", FieldType::kText);
  return s;
}();

const ListSpec kVehicles = [] {
  ListSpec s;
  s.from = "lq_vehicles";
  s.default_sort = "registration";
  s.field("id", "id", FieldType::kText, kFilter | kSort)
      .field("customerId", "customer_id", FieldType::kText)
      .field("registration", "registration", FieldType::kText, kFilter | kSort | kSearch)
      .field("createdAt", "created_at", FieldType::kTimestamp, kFilter | kSort);
  s.relation(has_many("serviceHistory", "id", kServices, "vehicleId"));
  return s;
}();

extern const ListSpec kCustomers;
const ListSpec kVehiclesWithOwner = [] {
  ListSpec s = kVehicles;
  s.relation(belongs_to("customer", "customerId", kCustomers));
  return s;
}();

const ListSpec kCustomers = [] {
  ListSpec s;
  s.from = "lq_customers";
  s.default_sort = "-createdAt";
  s.field("id", "id", FieldType::kText, kFilter | kSort)
      .field("name", "name", FieldType::kText, kFilter | kSort | kSearch)
      .field("phone", "phone", FieldType::kText, kFilter | kSearch)
      .field("email", "email", FieldType::kText, kFilter | kSort | kSearch | kNullable)
      .field("customerType", "customer_type", FieldType::kText, kFilter | kSort)
      .field("creditLimit", "credit_limit", FieldType::kMoney, kFilter | kSort)
      .field("fuelLitres", "fuel_litres", FieldType::kQuantity, kFilter | kSort)
      .field("active", "active", FieldType::kBool, kFilter)
      .field("birthday", "birthday", FieldType::kDate, kFilter | kSort | kNullable)
      .field("tags", "tags", FieldType::kJsonText, kFilter)
      .field("rank", "rank", FieldType::kInt, kFilter | kSort | kNullable)
      .field("createdAt", "created_at", FieldType::kTimestamp, kFilter | kSort);
  s.relation(has_many("vehicles", "id", kVehicles, "customerId"));
  return s;
}();

constexpr int kCustomerCount = 30;
// 2025-01-01T00:00:00Z plus one day per customer index.
int64_t created_at(int i) {
  return (1735689600LL + i * 86400LL) * 1000000LL;
}

std::string customer_id(int i) {
  return "c" + std::string(i < 10 ? "0" : "") + std::to_string(i);
}

void seed(dms::storage::Store& store) {
  store.write([](Transaction& tx) {
    for (int i = 0; i < kCustomerCount; ++i) {
      std::string id = customer_id(i);
      tx.exec(
          "INSERT INTO lq_customers (id, service_center_id, name, phone, email, customer_type, "
          "credit_limit, fuel_litres, active, birthday, tags, rank, created_at) "
          "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
          {id, std::string(i % 2 == 0 ? "sc-a" : "sc-b"),
           std::string(i == 7   ? "John Doe"
                       : i == 8 ? "Johnny 100%_Sharma"
                                : "Customer " + id),
           "98765" + std::to_string(10000 + i), i % 3 == 0 ? Value{} : Value{id + "@example.in"},
           std::string(i % 4 == 0 ? "B2B" : "B2C"), int64_t{i * 10050}, int64_t{i * 1500},
           int64_t{i % 5 == 0 ? 0 : 1},
           i % 2 == 0 ? Value{"1990-01-" + std::string(i < 9 ? "0" : "") + std::to_string(i + 1)}
                      : Value{},
           std::string(R"({"vip":)") + (i == 1 ? "true}" : "false}"),
           i % 3 == 1 ? Value{} : Value{int64_t{i % 7}}, created_at(i)});
      for (int v = 0; v < i % 3; ++v) {
        std::string vid = id + "-v" + std::to_string(v);
        tx.exec(
            "INSERT INTO lq_vehicles (id, customer_id, registration, created_at) VALUES (?, ?, ?, "
            "?)",
            {vid, id, "KA01AB" + std::to_string(1000 + i * 10 + v), created_at(i)});
        tx.exec("INSERT INTO lq_services (id, vehicle_id, note) VALUES (?, ?, ?), (?, ?, ?)",
                {vid + "-s1", vid, std::string("oil"), vid + "-s2", vid, std::string("brakes")});
      }
    }
  });
}

Json list(dms::storage::Store& store, const std::string& query_string,
          const ListSpec& spec = kCustomers, ListOptions options = {}) {
  return store.read([&](Transaction& tx) {
    return run_list(tx, spec, dms::storage::parse_query_string(query_string), options);
  });
}

std::vector<std::string> ids(const Json& result) {
  std::vector<std::string> out;
  for (const Json& row : result["data"]) out.push_back(row["id"].get<std::string>());
  return out;
}

// The VALIDATION error a list request raises: its field and message.
std::pair<std::string, std::string> validation_error(dms::storage::Store& store,
                                                     const std::string& query_string) {
  try {
    list(store, query_string);
  } catch (const Error& e) {
    if (e.code() == ErrorCode::kValidation) return {e.field(), e.message()};
    FAIL("expected VALIDATION for " << query_string << ", got " << e.what());
  }
  FAIL("expected VALIDATION for " << query_string);
  return {};
}

}  // namespace

TEST_CASE("list: query-string parser") {
  ListQuery q = dms::storage::parse_query_string(
      "?filter[status]=ACTIVE&filter[createdAt][gte]=2025-01-01&filter[type][in]=A,%20B"
      "&sort=status,-createdAt&page=2&limit=5&fields=id,name&expand=vehicles,vehicles.history"
      "&vehicles.limit=3&search=john+doe&searchFields=name,phone&custom=x%2By");
  REQUIRE(q.filters.size() == 3);
  CHECK(q.filters[0].field == "status");
  CHECK(q.filters[0].op == dms::storage::FilterOp::kEq);
  CHECK(q.filters[1].op == dms::storage::FilterOp::kGte);
  CHECK(q.filters[1].values == std::vector<std::string>{"2025-01-01"});
  CHECK(q.filters[2].values == std::vector<std::string>{"A", "B"});
  REQUIRE(q.sort.size() == 2);
  CHECK((q.sort[0].field == "status" && !q.sort[0].descending));
  CHECK((q.sort[1].field == "createdAt" && q.sort[1].descending));
  CHECK(q.page == 2);
  CHECK(q.limit == 5);
  CHECK(*q.fields == std::vector<std::string>{"id", "name"});
  CHECK(q.expand == std::vector<std::string>{"vehicles", "vehicles.history"});
  CHECK(q.expand_limits.at("vehicles") == 3);
  CHECK(q.search == "john doe");
  CHECK(q.search_fields == std::vector<std::string>{"name", "phone"});
  CHECK(q.other.at("custom") == "x+y");
  CHECK_FALSE(q.cursor.has_value());
  CHECK(dms::storage::parse_query_string("cursor=").cursor == std::string());

  for (const char* bad : {"filter[a=1", "filter[]=1", "filter[a][b][c]=1", "filter[a]x=1",
                          "filter[a][between]=1", "page=two", "limit=1e3", "filter[a]=%zz"}) {
    INFO(bad);
    CHECK_THROWS_AS(dms::storage::parse_query_string(bad), Error);
  }
  try {
    dms::storage::parse_query_string("filter[name][like]=x");
  } catch (const Error& e) {
    CHECK(e.code() == ErrorCode::kValidation);
    CHECK(e.field() == "filter[name][like]");
    CHECK_THAT(e.message(), Catch::Contains("like"));
  }
}

TEST_CASE("list: the JSON form parses to the same query") {
  Json request = Json::parse(R"({
    "filter": {"status": "ACTIVE", "createdAt": {"gte": "2025-01-01"}, "type": ["A", "B"],
               "email": null, "total": {"gt": 100.5}},
    "sort": "-createdAt", "page": 1, "limit": 20, "fields": "id,name", "expand": ["vehicles"],
    "vehicles.limit": 2, "search": "john", "searchFields": "name,phone", "serviceCenterId": "x"})");
  ListQuery q = dms::storage::parse_list_query(request);
  REQUIRE(q.filters.size() == 5);
  std::set<std::string> seen;
  for (const auto& f : q.filters)
    seen.insert(f.field + ":" + std::to_string(static_cast<int>(f.op)));
  CHECK(seen.count("status:0") == 1);
  CHECK(seen.count("createdAt:3") == 1);
  CHECK(seen.count("type:6") == 1);
  CHECK(seen.count("email:8") == 1);
  CHECK(seen.count("total:2") == 1);
  for (const auto& f : q.filters) {
    if (f.field == "total") CHECK(f.values == std::vector<std::string>{"100.5"});
  }
  CHECK((q.sort.size() == 1 && q.sort[0].descending));
  CHECK(q.limit == 20);
  CHECK(*q.fields == std::vector<std::string>{"id", "name"});
  CHECK(q.expand == std::vector<std::string>{"vehicles"});
  CHECK(q.expand_limits.at("vehicles") == 2);
  CHECK(q.search == "john");
  CHECK(q.other.at("serviceCenterId") == "x");
  CHECK_THROWS_AS(dms::storage::parse_list_query(Json::parse(R"({"filter": [1]})")), Error);
  CHECK_THROWS_AS(dms::storage::parse_list_query(Json::parse(R"({"page": 1.5})")), Error);
}

TEST_CASE("list: page pagination, limit cap, typed output") {
  dms::test::TestDatabase db(GENERATE(dms::test::engines()));
  INFO("engine: " << db.engine_name());
  auto store = db.open_store();
  seed(*store);

  Json first = list(*store, "limit=7");
  CHECK(first["pagination"] == Json::parse(R"({"page":1,"limit":7,"total":30,"totalPages":5,
                                              "hasNext":true,"hasPrev":false})"));
  CHECK(ids(first).front() == "c29");  // default sort -createdAt
  Json last = list(*store, "limit=7&page=5");
  CHECK(last["data"].size() == 2);
  CHECK(last["pagination"]["hasNext"] == false);
  CHECK(last["pagination"]["hasPrev"] == true);
  CHECK(list(*store, "page=9")["data"].empty());
  CHECK(list(*store, "limit=500")["pagination"]["limit"] == 100);
  ListOptions small;
  small.max_limit = 3;
  CHECK(list(*store, "limit=50", kCustomers, small)["data"].size() == 3);
  CHECK(validation_error(*store, "limit=0").first == "limit");
  CHECK(validation_error(*store, "page=0").first == "page");

  Json row = list(*store, "filter[id]=c01")["data"][0];
  CHECK(row["creditLimit"] == "100.50");
  CHECK(row["fuelLitres"] == "1.5");
  CHECK(row["active"] == true);
  CHECK(row["createdAt"] == "2025-01-02T00:00:00Z");
  CHECK(row["birthday"].is_null());
  CHECK(row["tags"] == Json::parse(R"({"vip":true})"));
  CHECK(row["rank"].is_null());
  CHECK(list(*store, "filter[id]=c02")["data"][0]["birthday"] == "1990-01-03");
  CHECK(list(*store, "filter[id]=c02")["data"][0]["rank"] == 2);
}

TEST_CASE("list: typed filters compare exactly") {
  dms::test::TestDatabase db(GENERATE(dms::test::engines()));
  INFO("engine: " << db.engine_name());
  auto store = db.open_store();
  seed(*store);
  auto count = [&](const std::string& q) {
    return list(*store, q + "&limit=100")["pagination"]["total"].get<int64_t>();
  };
  CHECK(count("filter[creditLimit]=100.50") == 1);
  CHECK(count("filter[creditLimit][gte]=100.5") == 29);
  CHECK(count("filter[creditLimit][lt]=1005") == 10);  // 0 .. 9 x 100.50
  CHECK(count("filter[fuelLitres][lte]=3") == 3);      // 0, 1.5, 3
  CHECK(count("filter[active]=false") == 6);
  CHECK(count("filter[active][ne]=true") == 6);
  CHECK(count("filter[createdAt][gte]=2025-01-11") == 20);
  CHECK(count("filter[createdAt][gt]=2025-01-11") == 19);  // the whole day 11 excluded
  CHECK(count("filter[createdAt][lte]=2025-01-02") == 2);  // the whole day 2 included
  CHECK(count("filter[createdAt]=2025-01-03") == 1);
  CHECK(count("filter[createdAt][lt]=2025-01-03T00:00:00.000001Z") == 3);
  CHECK(count("filter[birthday][gte]=1990-01-20") == 5);  // c20 c22 c24 c26 c28
  CHECK(count("filter[customerType][in]=B2B") == 8);
  CHECK(count("filter[id][in]=c01,c02,nope") == 2);
  CHECK(count("filter[email][isNull]=true") == 10);
  CHECK(count("filter[email][isNull]=false") == 20);
  CHECK(count("filter[name][contains]=JOHN") == 2);
  CHECK(count("filter[name][contains]=100%25_") == 1);  // % and _ are literal
  CHECK(count("filter[name][contains]=0%25") == 1);
  CHECK(count("filter[name][contains]=_") == 1);
  CHECK(count("filter[rank][gte]=3&filter[rank][lt]=5") == 5);  // c03 c17 c24 c11 c18
  CHECK(count("filter[tags][isNull]=false") == 30);

  CHECK(validation_error(*store, "filter[creditLimit]=100.505").first == "filter[creditLimit][eq]");
  CHECK(validation_error(*store, "filter[rank]=1.5").first == "filter[rank][eq]");
  CHECK(validation_error(*store, "filter[createdAt][gte]=yesterday").first ==
        "filter[createdAt][gte]");
  CHECK(validation_error(*store, "filter[birthday]=1990-02-30").first == "filter[birthday][eq]");
  CHECK(validation_error(*store, "filter[active]=maybe").first == "filter[active][eq]");
  CHECK(validation_error(*store, "filter[active][gt]=true").first == "filter[active][gt]");
  CHECK(validation_error(*store, "filter[rank][contains]=1").first == "filter[rank][contains]");
  CHECK(validation_error(*store, "filter[tags]=x").first == "filter[tags][eq]");
  CHECK(validation_error(*store, "filter[nope]=1").first == "filter[nope][eq]");
}

TEST_CASE("list: search, multi-field sort, NULL order, field selection") {
  dms::test::TestDatabase db(GENERATE(dms::test::engines()));
  INFO("engine: " << db.engine_name());
  auto store = db.open_store();
  seed(*store);
  CHECK(ids(list(*store, "search=john")) == std::vector<std::string>{"c08", "c07"});
  CHECK(ids(list(*store, "search=doe+JOHN")) == std::vector<std::string>{"c07"});
  CHECK(ids(list(*store, "search=c05%40example&searchFields=email")) ==
        std::vector<std::string>{"c05"});
  CHECK(list(*store, "search=c05%40example&searchFields=name")["data"].empty());
  CHECK(validation_error(*store, "search=x&searchFields=creditLimit").first == "searchFields");

  Json sorted = list(*store, "sort=customerType,-createdAt&limit=10");
  CHECK(ids(sorted) == std::vector<std::string>{"c28", "c24", "c20", "c16", "c12", "c08", "c04",
                                                "c00", "c29", "c27"});
  // NULL ranks first ascending and last descending, on both engines; ties broken by id.
  CHECK(ids(list(*store, "sort=rank&limit=4")) ==
        std::vector<std::string>{"c01", "c04", "c07", "c10"});
  CHECK(ids(list(*store, "sort=-rank,id&limit=3")) ==
        std::vector<std::string>{"c06", "c20", "c27"});
  CHECK(ids(list(*store, "sort=-rank&limit=3")) == std::vector<std::string>{"c27", "c20", "c06"});

  Json narrow = list(*store, "fields=name,id&limit=1");
  CHECK(narrow["data"][0] == Json{{"id", "c29"}, {"name", "Customer c29"}});
  CHECK(validation_error(*store, "fields=id,secret").first == "fields");
  CHECK(validation_error(*store, "sort=tags").first == "sort");
  CHECK(validation_error(*store, "sort=active").first == "sort");
}

TEST_CASE("list: cursor pagination walks every row once, in order") {
  dms::test::TestDatabase db(GENERATE(dms::test::engines()));
  INFO("engine: " << db.engine_name());
  auto store = db.open_store();
  seed(*store);
  for (const char* sort :
       {"-createdAt", "rank", "-rank", "customerType,-rank", "-birthday,name", "email"}) {
    INFO("sort=" << sort);
    std::vector<std::string> expected = ids(list(*store, std::string("limit=100&sort=") + sort));
    REQUIRE(expected.size() == 30);
    std::vector<std::string> walked;
    std::string cursor;
    for (int pages = 0; pages < 20; ++pages) {
      Json page = list(*store, "limit=7&sort=" + std::string(sort) + "&cursor=" + cursor);
      for (const std::string& id : ids(page)) walked.push_back(id);
      if (page["pagination"]["nextCursor"].is_null()) break;
      CHECK(page["pagination"]["hasNext"] == true);
      cursor = page["pagination"]["nextCursor"].get<std::string>();
    }
    CHECK(walked == expected);
  }
  std::string cursor = list(*store, "limit=2&cursor=")["pagination"]["nextCursor"];
  CHECK(validation_error(*store, "sort=name&cursor=" + cursor).first == "cursor");
  CHECK(validation_error(*store, "cursor=bm9wZQ").first == "cursor");
  CHECK(validation_error(*store, "cursor=%27%20OR%201%3D1").first == "cursor");
  CHECK(validation_error(*store, "page=2&cursor=").first == "page");
}

TEST_CASE("list: expansion of relations, nested and limited") {
  dms::test::TestDatabase db(GENERATE(dms::test::engines()));
  INFO("engine: " << db.engine_name());
  auto store = db.open_store();
  seed(*store);
  Json out = list(*store, "filter[id][in]=c02,c03,c05&sort=id&fields=name&expand=vehicles");
  REQUIRE(out["data"].size() == 3);
  CHECK(out["data"][0].count("id") == 0);  // selected for the relation only
  CHECK(out["data"][0]["vehicles"].size() == 2);
  CHECK(out["data"][1]["vehicles"].empty());
  CHECK(out["data"][2]["vehicles"][1]["registration"] == "KA01AB1051");

  Json nested = list(*store,
                     "filter[id]=c05&expand=vehicles.serviceHistory&vehicles.limit=1"
                     "&vehicles.serviceHistory.limit=1");
  const Json& vehicles = nested["data"][0]["vehicles"];
  REQUIRE(vehicles.size() == 1);
  REQUIRE(vehicles[0]["serviceHistory"].size() == 1);
  CHECK(vehicles[0]["serviceHistory"][0]["note"] == "oil");

  Json owners = list(*store, "filter[registration]=KA01AB1051&expand=customer", kVehiclesWithOwner);
  CHECK(owners["data"][0]["customer"]["name"] == "Customer c05");
  CHECK(validation_error(*store, "expand=owner").first == "expand");
}

TEST_CASE("list: fixed conditions confine rows and totals") {
  dms::test::TestDatabase db(GENERATE(dms::test::engines()));
  INFO("engine: " << db.engine_name());
  auto store = db.open_store();
  seed(*store);
  ListOptions tenant;
  tenant.conditions.push_back({"service_center_id = ?", {std::string("sc-b")}});
  Json out = list(*store, "limit=100&filter[customerType]=B2C", kCustomers, tenant);
  CHECK(out["pagination"]["total"] == 15);
  for (const Json& row : out["data"])
    CHECK(std::stoi(row["id"].get<std::string>().substr(1)) % 2 == 1);
}

TEST_CASE("list: injection attempts are VALIDATION errors and change nothing") {
  dms::test::TestDatabase db(GENERATE(dms::test::engines()));
  INFO("engine: " << db.engine_name());
  auto store = db.open_store();
  seed(*store);
  const char* attempts[] = {
      "sort=name;DROP TABLE lq_vehicles",
      "sort=name%3B%20DROP%20TABLE%20lq_vehicles",
      "sort=-(SELECT 1)",
      "filter[x' OR 1=1]=1",
      "filter[x'%20OR%201%3D1]=1",
      "filter[name) OR (1=1][eq]=x",
      "filter[name][eq) OR (1=1]=x",
      "fields=id,name FROM lq_customers; DROP TABLE lq_vehicles; --",
      "fields=*",
      "expand=vehicles;DROP TABLE lq_vehicles",
      "searchFields=name) OR 1=1 --&search=x",
      "filter[rank]=1 OR 1=1",
      "filter[createdAt][gte]=2025-01-01' OR '1'='1",
      "limit=1;DROP TABLE lq_vehicles",
  };
  for (const char* attempt : attempts) {
    INFO(attempt);
    auto [field, message] = validation_error(*store, attempt);
    CHECK_FALSE(field.empty());
  }
  auto [field, message] = validation_error(*store, "filter[x'%20OR%201%3D1]=1");
  CHECK(field == "filter[x' OR 1=1][eq]");
  CHECK_THAT(message, Catch::Contains("x' OR 1=1"));
  // Values are data, never SQL.
  CHECK(list(*store, "filter[name]=x' OR '1'='1")["data"].empty());
  CHECK(list(*store, "search='; DROP TABLE lq_vehicles; --")["data"].empty());
  CHECK(list(*store, "filter[name][contains]=%27)%20OR%20(1%3D1")["data"].empty());
  auto vehicles = store->read(
      [](Transaction& tx) { return tx.query_one("SELECT COUNT(*) FROM lq_vehicles")->i64(0); });
  CHECK(vehicles == 30);
  CHECK(list(*store, "")["pagination"]["total"] == 30);
}
