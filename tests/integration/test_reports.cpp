// Reports and dashboards (issue 14): figures of a fixture dataset built through the services (two
// centers, two months, about two hundred documents) equal a hand computation written here, on both
// engines; confined users see only their center; custom report validation; reads never block a
// writer; the PostgreSQL read replica.
#include <catch2/catch.hpp>
#include <chrono>
#include <cstdlib>
#include <future>
#include <map>
#include <pqxx/pqxx>
#include <string>
#include <thread>
#include <vector>

#include "reports/engine.hpp"
#include "reports/rollups.hpp"
#include "service/service.hpp"
#include "workshop_fixture.hpp"

using namespace dms;
using dms::test::caught;

namespace {

std::string rupees(int64_t paise) {
  return reports::decimal_text(paise, 2);
}

// A finalized one-line service invoice of 1,000.00 + 18% GST (1,180.00) for `customer`.
void finalized_check_invoice(test::WorkshopFixture& f, const Json& customer) {
  const Json inv = f.call(f.manager, "invoices.Create",
                          {{"customerId", customer["id"]},
                           {"items",
                            {{{"type", "service"},
                              {"description", "Check"},
                              {"hsnSac", "998714"},
                              {"quantity", "1"},
                              {"unitPrice", "1000.00"},
                              {"gstRate", "18"}}}}});
  f.call(f.manager, "invoices.Finalize", {{"id", inv["id"]}});
}

// The hand computation's rounding: a / b half away from zero (b > 0).
int64_t half_away(int64_t a, int64_t b) {
  return a >= 0 ? (2 * a + b) / (2 * b) : -((2 * -a + b) / (2 * b));
}

struct Doc {
  int center;       // 0: SC001 (Maharashtra, intra-state), 1: SC002 (Karnataka, inter-state)
  std::string day;  // invoice date
  int64_t gross;    // grand total in paise: price x 1.18, whole rupees by construction
  int64_t paid;     // paise paid
  std::string method;
  bool credited;
  std::string service_type;
};

struct Dealer {
  explicit Dealer(storage::Engine engine) : f(engine) {
    f.clock.set(Timestamp::parse("2025-04-28T09:00:00Z"));
    for (int i = 0; i < 6; ++i) customers.push_back(f.customer()["id"]);
    int n = 0;
    for (int month : {5, 6}) {
      for (int center : {0, 1}) {
        for (int k = 0; k < 25; ++k) {
          const std::string day =
              "2025-0" + std::to_string(month) + "-" + (k < 9 ? "0" : "") + std::to_string(k + 1);
          f.clock.set(Timestamp::parse(day + "T09:00:00Z"));  // 14:30 in India: the same day
          const int64_t price_rupees = 1000 + 100 * ((k * 7 + center * 3 + month) % 13);
          const int64_t gross = price_rupees * 118;  // x 1.18 in paise
          const Context& who = center == 0 ? f.manager : f.other_manager;
          const Json inv = f.call(who, "invoices.Create",
                                  {{"customerId", customers[static_cast<size_t>(n++ % 6)]},
                                   {"items",
                                    {{{"type", "service"},
                                      {"description", "Battery health check"},
                                      {"hsnSac", "998714"},
                                      {"quantity", "1"},
                                      {"unitPrice", std::to_string(price_rupees) + ".00"},
                                      {"gstRate", "18"}}}}});
          const Json fin = f.call(who, "invoices.Finalize", {{"id", inv["id"]}});
          REQUIRE(fin["grandTotal"] == rupees(gross));
          Doc d{center, day, gross, 0, "", false, reports::kManualInvoice};
          if (k % 3 == 1) {
            f.call(who, "invoices.RecordPayment",
                   {{"id", inv["id"]}, {"amount", rupees(gross)}, {"paymentMethod", "cash"}});
            d.paid = gross;
            d.method = "cash";
          } else if (k % 3 == 2) {
            f.call(who, "invoices.RecordPayment",
                   {{"id", inv["id"]},
                    {"amount", rupees(gross / 2)},
                    {"paymentMethod", "upi"},
                    {"transactionId", "UPI" + std::to_string(n)}});
            d.paid = gross / 2;
            d.method = "upi";
          }
          if (k % 10 == 7) {
            f.call(who, "invoices.CreditNote", {{"id", inv["id"]}, {"reason", "billing error"}});
            d.credited = true;
          }
          docs.push_back(d);
        }
      }
      // One delivered job card at SC001 each month: labour 1000.00 + 18 % GST, paid in cash.
      f.clock.set(Timestamp::parse("2025-0" + std::to_string(month) + "-10T10:00:00Z"));
      f.job_card_in("DELIVERED");
      docs.push_back({0, "2025-0" + std::to_string(month) + "-10", 118000, 118000, "cash", false,
                      "Regular Service"});
    }
    // An open job card in June at SC001, assigned to the engineer and in progress.
    f.clock.set(Timestamp::parse("2025-06-15T10:00:00Z"));
    f.job_card_in("IN_PROGRESS");
    f.clock.set(Timestamp::parse("2025-06-20T09:00:00Z"));
  }

  // Hand computation: the revenue (net of credit notes) of the documents that match.
  template <class Pred>
  int64_t revenue(Pred pred) const {
    int64_t sum = 0;
    for (const Doc& d : docs) {
      if (pred(d)) sum += d.credited ? 0 : d.gross;  // the credit note falls on the same day
    }
    return sum;
  }
  template <class Pred>
  int64_t count(Pred pred) const {
    int64_t n = 0;
    for (const Doc& d : docs) n += pred(d) ? 1 : 0;
    return n;
  }

  Json run(const Context& ctx, const std::string& name, const Json& params) {
    return f.call(ctx, "reports.Run", {{"name", name}, {"params", params}});
  }

  test::WorkshopFixture f;
  std::vector<std::string> customers;
  std::vector<Doc> docs;
};

// The rows of a report table as maps of column key -> cell.
std::vector<std::map<std::string, Json>> rows_of(const Json& table) {
  std::vector<std::map<std::string, Json>> out;
  for (const Json& row : table["rows"]) {
    std::map<std::string, Json> r;
    for (size_t i = 0; i < row.size(); ++i) r[table["columns"][i]["key"]] = row[i];
    out.push_back(std::move(r));
  }
  return out;
}

std::map<std::string, Json> totals_of(const Json& table) {
  std::map<std::string, Json> r;
  for (size_t i = 0; i < table["totals"].size(); ++i) {
    r[table["columns"][i]["key"]] = table["totals"][i];
  }
  return r;
}

std::string month_of(const std::string& day) {
  return day.substr(0, 7);
}

}  // namespace

TEST_CASE("reports: fixture figures equal the hand computation") {
  Dealer d(GENERATE(test::engines()));
  test::WorkshopFixture& f = d.f;
  INFO("engine: " << storage::engine_name(f.database.engine()));
  const Context admin = f.system;
  const Json period{{"from", "2025-05-01"}, {"to", "2025-06-30"}};

  {  // revenue by month, by center, by service type
    Json p = period;
    p["groupBy"] = "month";
    const Json r = d.run(admin, "financial.revenue_by_period", p);
    const auto rows = rows_of(r["tables"][0]);
    REQUIRE(rows.size() == 2);
    for (const auto& row : rows) {
      const std::string m = row.at("period");
      CHECK(row.at("revenue") ==
            rupees(d.revenue([&](const Doc& x) { return month_of(x.day) == m; })));
      CHECK(row.at("invoices") ==
            std::to_string(d.count([&](const Doc& x) { return month_of(x.day) == m; })));
      CHECK(row.at("creditNotes") == std::to_string(d.count([&](const Doc& x) {
              return month_of(x.day) == m && x.credited;
            })));
      const int64_t inv = d.count([&](const Doc& x) { return month_of(x.day) == m; });
      CHECK(row.at("averageInvoice") ==
            rupees(half_away(d.revenue([&](const Doc& x) { return month_of(x.day) == m; }), inv)));
    }
    CHECK(totals_of(r["tables"][0]).at("revenue") ==
          rupees(d.revenue([](const Doc&) { return true; })));
    CHECK(r["tables"][0]["charts"][0]["kind"] == "bar");

    const Json by_center = d.run(admin, "financial.revenue_by_center", period);
    const auto centers = rows_of(by_center["tables"][0]);
    REQUIRE(centers.size() == 2);
    for (const auto& row : centers) {
      const int c = row.at("serviceCenterId") == f.center_id ? 0 : 1;
      CHECK(row.at("revenue") == rupees(d.revenue([&](const Doc& x) { return x.center == c; })));
    }
    const Json by_type = d.run(admin, "financial.revenue_by_service_type", period);
    for (const auto& row : rows_of(by_type["tables"][0])) {
      const std::string t = row.at("serviceType");
      CHECK(row.at("revenue") ==
            rupees(d.revenue([&](const Doc& x) { return x.service_type == t; })));
    }
    CHECK(rows_of(by_type["tables"][0]).size() == 2);
  }

  {  // weeks are keyed by their Monday and add up to the period
    const Json r = d.run(admin, "financial.revenue_by_period",
                         {{"from", "2025-06-01"}, {"to", "2025-06-30"}, {"groupBy", "week"}});
    const auto rows = rows_of(r["tables"][0]);
    REQUIRE(rows.size() == 5);  // weeks of 26 May, 2, 9, 16 and 23 June
    CHECK(rows[0].at("period") == "2025-05-26");
    CHECK(rows[1].at("period") == "2025-06-02");
    // June 2..8 by hand
    CHECK(rows[1].at("revenue") == rupees(d.revenue([](const Doc& x) {
            return x.day >= "2025-06-02" && x.day <= "2025-06-08";
          })));
    CHECK(totals_of(r["tables"][0]).at("revenue") ==
          rupees(d.revenue([](const Doc& x) { return month_of(x.day) == "2025-06"; })));
    const Json days = d.run(admin, "financial.revenue_by_period",
                            {{"from", "2025-06-10"}, {"to", "2025-06-10"}, {"groupBy", "day"}});
    REQUIRE(rows_of(days["tables"][0]).size() == 1);
    CHECK(rows_of(days["tables"][0])[0].at("revenue") ==
          rupees(d.revenue([](const Doc& x) { return x.day == "2025-06-10"; })));
  }

  {  // payment methods and outstanding ageing
    const Json r = d.run(admin, "financial.payment_methods", period);
    for (const auto& row : rows_of(r["tables"][0])) {
      const std::string m = row.at("paymentMethod");
      int64_t sum = 0;
      for (const Doc& x : d.docs) sum += x.method == m ? x.paid : 0;
      CHECK(row.at("amount") == rupees(sum));
    }
    CHECK(rows_of(r["tables"][0]).size() == 2);
    CHECK(r["tables"][0]["charts"][0]["kind"] == "pie");

    const Json o = d.run(admin, "financial.outstanding", {{"to", "2025-07-31"}});
    std::map<std::string, int64_t> expected;
    for (const Doc& x : d.docs) {
      if (x.credited || x.paid == x.gross) continue;
      const int day_of_year = (x.day.substr(5, 2) == "05" ? 120 : 151) + std::stoi(x.day.substr(8));
      const int age = 212 - day_of_year;  // 2025-07-31 is day 212
      const std::string bucket = age <= 30   ? "0-30"
                                 : age <= 60 ? "31-60"
                                 : age <= 90 ? "61-90"
                                             : "90+";
      expected[bucket] += x.gross - x.paid;
    }
    const auto rows = rows_of(o["tables"][0]);
    REQUIRE(rows.size() == expected.size());
    for (const auto& row : rows) CHECK(row.at("balanceDue") == rupees(expected.at(row.at("age"))));
  }

  {  // the dashboard's revenue, growth and counts
    const Json dash = f.call(admin, "analytics.Dashboard");
    CHECK(dash["view"] == "admin");
    const Json& rev = dash["revenue"];
    auto between = [&](const char* a, const char* b) {
      return d.revenue([&](const Doc& x) { return x.day >= a && x.day <= b; });
    };
    CHECK(rev["today"] == rupees(between("2025-06-20", "2025-06-20")));
    CHECK(rev["thisWeek"] == rupees(between("2025-06-16", "2025-06-20")));
    CHECK(rev["lastWeek"] == rupees(between("2025-06-09", "2025-06-13")));
    const int64_t month = between("2025-06-01", "2025-06-20");
    const int64_t last = between("2025-05-01", "2025-05-20");
    CHECK(rev["thisMonth"] == rupees(month));
    CHECK(rev["lastMonth"] == rupees(last));
    CHECK(rev["growth"] == reports::decimal_text(half_away((month - last) * 10000, last), 2));
    CHECK(dash["serviceCenters"] == 2);
    CHECK(dash["activeVehicles"] == 1);     // the job card in progress
    CHECK(dash["jobCards"]["total"] == 2);  // June: delivered on the 10th, in progress on the 15th
    CHECK(dash["jobCards"]["completed"] == 1);
    CHECK(dash["jobCards"]["inProgress"] == 1);
    CHECK(dash["jobCards"]["avgCompletionHours"] == "0.00");
    // six customers, and one new customer per job card (10 May, 10 and 15 June)
    CHECK(dash["customers"]["total"] == 9);
    CHECK(dash["customers"]["new"] == 2);
    CHECK_FALSE(dash.contains("csi"));  // no feedback yet: absent, not zero
  }

  {  // a confined user sees only their center
    const Json r = d.run(f.manager, "financial.revenue_by_center", period);
    const auto rows = rows_of(r["tables"][0]);
    REQUIRE(rows.size() == 1);
    CHECK(rows[0].at("serviceCenterId") == f.center_id);
    CHECK(rows[0].at("revenue") == rupees(d.revenue([](const Doc& x) { return x.center == 0; })));
    Json other = period;
    other["serviceCenterId"] = f.other_center_id;
    CHECK(rows_of(d.run(f.manager, "financial.revenue_by_center", other)["tables"][0]).empty());
    const Json dash =
        f.call(f.manager, "analytics.Dashboard", {{"serviceCenterId", f.other_center_id}});
    CHECK(dash["view"] == "serviceCenter");
    CHECK(dash["serviceCenterId"] == f.center_id);
    CHECK(dash["revenue"]["thisMonth"] == rupees(d.revenue([](const Doc& x) {
            return x.center == 0 && x.day >= "2025-06-01" && x.day <= "2025-06-20";
          })));
    const Json other_dash = f.call(f.other_manager, "analytics.Dashboard");
    CHECK(other_dash["revenue"]["thisMonth"] == rupees(d.revenue([](const Doc& x) {
            return x.center == 1 && x.day >= "2025-06-01" && x.day <= "2025-06-20";
          })));
    CHECK(other_dash["jobCards"]["total"] == 0);
    const Json tech = f.call(f.engineer, "analytics.Dashboard");
    CHECK(tech["view"] == "technician");
    CHECK(tech["technician"]["assignedJobCards"] == 1);
    CHECK_FALSE(tech.contains("revenue"));
    CHECK(caught([&] {
            f.call(f.manager, "analytics.Dashboard", {{"view", "admin"}});
          }).code == ErrorCode::kForbidden);
  }

  {  // every catalogued report runs and the service figures match
    const Json list = f.call(admin, "reports.List");
    REQUIRE(list["data"].size() == reports::report_catalog().size());
    for (const Json& info : list["data"]) {
      INFO(info["name"]);
      const Json r = d.run(admin, info["name"], period);
      CHECK(r["tables"].size() >= 1);
    }
    const Json c = d.run(admin, "service.completion", period);
    CHECK(totals_of(c["tables"][0]).at("jobCards") == "3");
    CHECK(totals_of(c["tables"][0]).at("completed") == "2");
    CHECK(totals_of(c["tables"][0]).at("completionRate") == "66.67");
    const Json s = d.run(admin, "service.satisfaction", period);
    CHECK(s["tables"][0]["rows"].empty());                           // no feedback yet
    CHECK(totals_of(s["tables"][0]).at("averageRating").is_null());  // absent, not 0
    // the manager's list has no financial report hidden from them; the inventory manager's has
    const Json inv_list = f.call(f.inventory_manager, "reports.List");
    for (const Json& info : inv_list["data"]) CHECK(info["permission"] == "reports:read");
    CHECK(caught([&] { d.run(f.inventory_manager, "financial.revenue_by_center", period); }).code ==
          ErrorCode::kForbidden);
    CHECK(caught([&] { d.run(f.advisor, "service.completion", period); }).code ==
          ErrorCode::kForbidden);
  }

  {  // the rollups equal a rebuild from the documents
    auto snapshot = [&] {
      return f.db->impl().store->read([](storage::Transaction& tx) {
        std::vector<std::string> out;
        for (const auto& table : {"rpt_revenue_daily", "rpt_payments_daily"}) {
          for (const auto& row : tx.query(std::string("SELECT * FROM ") + table +
                                          " ORDER BY service_center_id, day, 3")) {
            std::string line = table;
            for (size_t i = 0; i < row.size(); ++i) {
              line +=
                  "|" + (row.is_null(i)                               ? std::string("null")
                         : std::holds_alternative<int64_t>(row.at(i)) ? std::to_string(row.i64(i))
                                                                      : row.str(i));
            }
            out.push_back(line);
          }
        }
        return out;
      });
    };
    const auto before = snapshot();
    CHECK(before.size() > 100);
    f.db->impl().store->write([](storage::Transaction& tx) { reports::rebuild_rollups(tx); });
    CHECK(snapshot() == before);
  }
}

TEST_CASE("reports: custom reports are validated like list queries") {
  Dealer d(GENERATE(test::engines()));
  test::WorkshopFixture& f = d.f;
  INFO("engine: " << storage::engine_name(f.database.engine()));
  Json ok{{"dataset", "invoices"},
          {"groupBy", {"serviceCenterId", {{"field", "invoiceDate"}, {"bucket", "month"}}}},
          {"aggregates",
           {{{"fn", "count"}},
            {{"fn", "sum"}, {"field", "grandTotal"}},
            {{"fn", "avg"}, {"field", "grandTotal"}, {"as", "average"}},
            {{"fn", "max"}, {"field", "grandTotal"}}}},
          {"filter", {{"documentType", "INVOICE"}}},
          {"sort", "-sumGrandTotal"},
          {"from", "2025-05-01"},
          {"to", "2025-06-30"}};
  const Json r = f.call(f.system, "reports.RunCustom", ok);
  const auto rows = rows_of(r["tables"][0]);
  REQUIRE(rows.size() == 4);
  for (const auto& row : rows) {
    const int c = row.at("serviceCenterId") == f.center_id ? 0 : 1;
    const std::string m = row.at("invoiceDate");
    int64_t sum = 0, n = 0, max = 0;
    for (const Doc& x : d.docs) {
      if (x.center != c || month_of(x.day) != m) continue;
      sum += x.gross;
      ++n;
      max = std::max(max, x.gross);
    }
    CHECK(row.at("count") == std::to_string(n));
    CHECK(row.at("sumGrandTotal") == rupees(sum));
    CHECK(row.at("average") == rupees(half_away(sum, n)));  // half up to the paisa
    CHECK(row.at("maxGrandTotal") == rupees(max));
  }
  for (size_t i = 1; i < rows.size(); ++i) {  // sorted by the sum, largest first
    CHECK(std::stod(rows[i - 1].at("sumGrandTotal").get<std::string>()) >=
          std::stod(rows[i].at("sumGrandTotal").get<std::string>()));
  }
  // confined: the manager's custom report has their center only
  const auto mine = rows_of(f.call(f.manager, "reports.RunCustom", ok)["tables"][0]);
  REQUIRE(mine.size() == 2);
  for (const auto& row : mine) CHECK(row.at("serviceCenterId") == f.center_id);

  auto field_of = [&](Json request) {
    const auto e = caught([&] { f.call(f.system, "reports.RunCustom", request); });
    CHECK(e.code == ErrorCode::kValidation);
    return e.field;
  };
  Json bad = ok;
  bad["dataset"] = "users";
  CHECK(field_of(bad) == "dataset");
  bad = ok;
  bad["groupBy"] = {"password"};
  CHECK(field_of(bad) == "groupBy[0]");
  bad = ok;
  bad["groupBy"] = {{{"field", "status"}, {"bucket", "month"}}};
  CHECK(field_of(bad) == "groupBy[0]");
  bad = ok;
  bad["aggregates"] = {{{"fn", "sum"}, {"field", "status"}}};
  CHECK(field_of(bad) == "aggregates[0].field");
  bad = ok;
  bad["aggregates"] = {{{"fn", "median"}, {"field", "grandTotal"}}};
  CHECK(field_of(bad) == "aggregates[0].fn");
  bad = ok;
  bad["filter"] = {{"nope", "x"}};
  CHECK(field_of(bad) == "filter[nope][eq]");
  bad = ok;
  bad["filter"] = {{"grandTotal", {{"gt", "12.345.6"}}}};
  CHECK(field_of(bad) == "filter[grandTotal][gt]");
  bad = ok;
  bad["sort"] = "nope";
  CHECK(field_of(bad) == "sort");
  bad = ok;
  bad["aggregates"] = Json::array();
  CHECK(field_of(bad) == "aggregates");
  CHECK(caught([&] {
          d.run(f.system, "financial.revenue_by_period", {{"groupBy", "year"}});
        }).field == "groupBy");
  CHECK(caught([&] { d.run(f.system, "financial.nope", Json::object()); }).code ==
        ErrorCode::kNotFound);
}

TEST_CASE("reports: a long report read never blocks a writer") {
  test::WorkshopFixture f(GENERATE(test::engines()));
  INFO("engine: " << storage::engine_name(f.database.engine()));
  const Json c = f.customer();
  auto invoice = [&] { finalized_check_invoice(f, c); };
  invoice();
  const Json today{{"from", "2025-06-02"}, {"to", "2025-06-02"}};
  f.db->impl().report_store().read([&](storage::Transaction& tx) {
    const reports::Report before =
        reports::run_report(tx, f.system, "financial.revenue_by_center", today);
    REQUIRE(before.tables[0].rows.size() == 1);
    CHECK(before.tables[0].rows[0][6].units == 118000);
    // A writer commits while this read transaction is open.
    auto writer = std::async(std::launch::async, invoice);
    REQUIRE(writer.wait_for(std::chrono::seconds(20)) == std::future_status::ready);
    writer.get();
    // The read keeps its snapshot.
    const reports::Report again =
        reports::run_report(tx, f.system, "financial.revenue_by_center", today);
    CHECK(again.tables[0].rows[0][6].units == 118000);
  });
  const Json after =
      f.call(f.system, "reports.Run", {{"name", "financial.revenue_by_center"}, {"params", today}});
  CHECK(rows_of(after["tables"][0])[0].at("revenue") == "2360.00");
}

TEST_CASE("reports: dashboard layouts are stored per user") {
  test::WorkshopFixture f(GENERATE(test::engines()));
  CHECK(f.call(f.manager, "dashboards.GetLayout")["widgets"].empty());
  const Json saved =
      f.call(f.manager, "dashboards.SaveLayout",
             {{"widgets",
               {{{"type", "revenue"}, {"position", 0}, {"config", {{"period", "month"}}}},
                {{"type", "jobCards"}, {"position", 1}}}}});
  CHECK(saved["widgets"].size() == 2);
  CHECK(saved["widgets"][0]["config"]["period"] == "month");
  CHECK(f.call(f.manager, "dashboards.GetLayout") == saved);
  CHECK(f.call(f.advisor, "dashboards.GetLayout")["widgets"].empty());
  CHECK(caught([&] {
          f.call(f.manager, "dashboards.SaveLayout",
                 {{"widgets", {{{"type", "revenue"}, {"position", -1}}}}});
        }).code == ErrorCode::kValidation);
}

TEST_CASE("reports: PostgreSQL reports read the replica") {
  const char* replica = std::getenv("DMS_TEST_PG_REPLICA_URL");
  if (replica == nullptr || *replica == '\0') {
    FAIL("DMS_TEST_PG_REPLICA_URL is not set: dms_pg_start (scripts/pg.sh) starts the replica");
  }
  test::WorkshopFixture f(storage::Engine::kPostgres);
  const std::string primary_server = std::getenv("DMS_TEST_PG_URL");
  const std::string suffix = f.database.url().substr(primary_server.size());
  DatabaseOptions options;
  options.url = f.database.url();
  options.reader_url = std::string(replica) + suffix;
  options.clock = &f.clock;
  options.token_secret = "identity-test-secret";
  auto db = Database::open(options);
  CHECK(db->impl().report_store().read([](storage::Transaction& tx) {
    return tx.query_one("SELECT CAST(CASE WHEN pg_is_in_recovery() THEN 1 ELSE 0 END AS BIGINT)")
        ->i64(0);
  }) == 1);
  const Json c = f.customer();
  auto invoice = [&] { finalized_check_invoice(f, c); };
  const Json today{{"name", "financial.revenue_by_center"},
                   {"params", {{"from", "2025-06-02"}, {"to", "2025-06-02"}}}};
  auto replica_revenue = [&]() -> std::string {
    const Json r = test::checked_call(*db, f.system, "reports.Run", today);
    if (r["tables"][0]["rows"].empty()) return "none";
    return r["tables"][0]["rows"][0][6];
  };
  // Until the replica has replayed the fixture's migrations its schema lacks the report's
  // tables (STORAGE_ERROR): that is "not yet" too, for up to 10 s.
  auto replica_revenue_yet = [&]() -> std::string {
    try {
      return replica_revenue();
    } catch (const Error& e) {
      if (e.code() != ErrorCode::kStorage) throw;
      return "not replayed yet: " + e.message();
    }
  };
  auto wait_for = [&](const std::string& want) {
    for (int i = 0; i < 200 && replica_revenue_yet() != want; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return replica_revenue_yet();
  };
  invoice();
  REQUIRE(wait_for("1180.00") == "1180.00");
  // With replay paused, a new invoice is on the primary only: the report still reads the replica.
  pqxx::connection standby(replica);
  pqxx::nontransaction(standby).exec("SELECT pg_wal_replay_pause()");
  invoice();
  CHECK(replica_revenue() == "1180.00");
  const Json primary = f.call(f.system, "reports.Run", today);  // the fixture's db: no replica
  CHECK(primary["tables"][0]["rows"][0][6] == "2360.00");
  pqxx::nontransaction(standby).exec("SELECT pg_wal_replay_resume()");
  CHECK(wait_for("2360.00") == "2360.00");
}
