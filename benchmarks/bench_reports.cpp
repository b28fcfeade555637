// The admin dashboard and a 12-month revenue report over 10,000 / 100,000 / 1,000,000 invoices
// (two lines each), on SQLite and PostgreSQL (issue 14's scale goal: 50 ms and 200 ms at 1M).
//
// The data is bulk-inserted through the storage layer (multi-row INSERTs in large transactions,
// not the services: creating a million invoices through invoices.Create/Finalize would take hours
// on this machine), spread over the 365 days of 2025 and 10 service centers; then the rollups are
// built with reports::rebuild_rollups (what the services keep up to date invoice by invoice) and
// the database is ANALYZEd. The timed calls go through Database::call as a host would:
// analytics.Dashboard (admin view, every center) and reports.Run financial.revenue_by_period for
// 2025 by month. Each is run 30 times after 3 warm-up calls; the median and the slowest are shown.
//
// Run: build/dev/benchmarks/bench_reports [sizes...]            (SQLite, files under /tmp)
//      DMS_BENCH_PG_URL=postgresql://... build/dev/benchmarks/bench_reports 10000 100000 1000000
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

#include "dms/database.hpp"
#include "reports/rollups.hpp"
#include "service/service.hpp"
#include "storage/store.hpp"

namespace {

using dms::Json;
using Clock = std::chrono::steady_clock;

double ms_since(Clock::time_point start) {
  return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

std::string padded(int64_t n, int width) {
  std::string s = std::to_string(n);
  return std::string(static_cast<size_t>(std::max(0, width - static_cast<int>(s.size()))), '0') + s;
}

struct Timing {
  double median;
  double slowest;
};

template <class F>
Timing time_calls(F&& fn) {
  for (int i = 0; i < 3; ++i) fn();
  std::vector<double> ms;
  for (int i = 0; i < 30; ++i) {
    const auto start = Clock::now();
    fn();
    ms.push_back(ms_since(start));
  }
  std::sort(ms.begin(), ms.end());
  return {ms[ms.size() / 2], ms.back()};
}

void run(const std::string& engine_url, const std::string& label, int64_t invoices) {
  dms::ManualClock clock(dms::Timestamp::parse("2025-12-20T09:00:00Z"));
  dms::DatabaseOptions options;
  options.url = engine_url;
  options.clock = &clock;
  options.sqlite_synchronous = "NORMAL";
  auto db = dms::Database::open(options);
  db->impl().settings.password_hash_opslimit = 1;
  db->impl().settings.password_hash_memlimit_bytes = 8192;
  const dms::Context system = db->system_context();
  std::vector<std::string> centers;
  for (int c = 0; c < 10; ++c) {
    centers.push_back(db->call(system, "serviceCenters.Create",
                               {{"code", "SC0" + padded(c, 2)},
                                {"name", "Center " + std::to_string(c)},
                                {"address", {{"city", "Pune"}, {"stateCode", "27"}}}})["id"]);
  }
  const std::string customer = db->call(system, "customers.Create",
                                        {{"name", "Bench Customer"},
                                         {"phone", "+919812345678"},
                                         {"cityState", "Pune, Maharashtra"}})["id"];
  auto& store = *db->impl().store;
  const auto load_start = Clock::now();
  const int64_t per_statement = 400;
  const int64_t per_transaction = 50000;
  const int64_t created = dms::Timestamp::parse("2025-01-01T00:00:00Z").unix_micros();
  for (int64_t first = 0; first < invoices; first += per_transaction) {
    const int64_t last = std::min(invoices, first + per_transaction);
    store.write([&](dms::storage::Transaction& tx) {
      for (int64_t s = first; s < last; s += per_statement) {
        const int64_t e = std::min(last, s + per_statement);
        std::string inv =
            "INSERT INTO invoices (id, document_type, invoice_number, financial_year, "
            "sequence_no, service_center_id, customer_id, customer_details, supplier_state_code, "
            "place_of_supply, supply_type, status, gross, net, taxable, cgst, sgst, total, "
            "grand_total, paid_amount, invoice_date, due_date, finalized_at, created_at, "
            "updated_at) VALUES ";
        std::string lines =
            "INSERT INTO invoice_lines (id, invoice_id, line_no, line_type, description, hsn_sac, "
            "quantity, unit_price, gst_rate, part_id, unit_cost, gross, line_discount, net, "
            "document_discount_share, amount, taxable, cgst, sgst, igst, total) VALUES ";
        std::vector<dms::storage::Value> ip;
        std::vector<dms::storage::Value> lp;
        for (int64_t i = s; i < e; ++i) {
          const std::string id = "bench-" + padded(i, 9);
          const auto day = dms::Date::from_ymd(2025, 1, 1).plus_days(static_cast<int32_t>(i % 365));
          const int64_t labour = 50000 + (i % 97) * 1000;  // paise
          const int64_t part = 20000 + (i % 89) * 500;
          const int64_t taxable = labour + part;
          const int64_t half_tax = taxable * 9 / 100;
          const int64_t total = taxable + 2 * half_tax;
          inv += std::string(i == s ? "" : ", ") +
                 "(?, 'INVOICE', ?, 2025, ?, ?, ?, '{}', '27', '27', 'intra_state', ?, ?, ?, ?, "
                 "?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
          const bool paid = i % 4 != 0;
          for (dms::storage::Value v : std::vector<dms::storage::Value>{
                   id, "INV-" + padded(i, 9), i, centers[static_cast<size_t>(i % 10)], customer,
                   std::string(paid ? "PAID" : "FINALIZED"), taxable, taxable, taxable, half_tax,
                   half_tax, total, total, paid ? total : int64_t{0}, day.to_string(),
                   day.plus_days(15).to_string(), created, created, created}) {
            ip.push_back(std::move(v));
          }
          for (int n = 1; n <= 2; ++n) {
            const int64_t amount = n == 1 ? labour : part;
            const int64_t tax = amount * 9 / 100;
            lines += std::string(i == s && n == 1 ? "" : ", ") +
                     "(?, ?, ?, ?, 'Work', '998714', 1000, ?, 180000, ?, ?, ?, 0, ?, 0, ?, ?, ?, "
                     "?, 0, ?)";
            for (dms::storage::Value v : std::vector<dms::storage::Value>{
                     id + "-" + std::to_string(n), id, int64_t{n},
                     std::string(n == 1 ? "service" : "part"), amount,
                     n == 1 ? dms::storage::Value() : dms::storage::Value(std::string("part-1")),
                     n == 1 ? dms::storage::Value() : dms::storage::Value(amount * 7 / 10), amount,
                     amount, amount, amount, tax, tax, amount + 2 * tax}) {
              lp.push_back(std::move(v));
            }
          }
        }
        tx.exec(inv, ip);
        tx.exec(lines, lp);
      }
    });
  }
  const double load_ms = ms_since(load_start);
  const auto rollup_start = Clock::now();
  store.write([](dms::storage::Transaction& tx) { dms::reports::rebuild_rollups(tx); });
  const double rollup_ms = ms_since(rollup_start);
  store.write([](dms::storage::Transaction& tx) { tx.exec("ANALYZE"); });

  Json dash;
  const Timing dashboard = time_calls([&] { dash = db->call(system, "analytics.Dashboard"); });
  const Json revenue_request{
      {"name", "financial.revenue_by_period"},
      {"params", {{"from", "2025-01-01"}, {"to", "2025-12-31"}, {"groupBy", "month"}}}};
  Json last;
  const Timing revenue =
      time_calls([&] { last = db->call(system, "reports.Run", revenue_request); });
  const Json outstanding_request{{"name", "financial.outstanding"},
                                 {"params", {{"to", "2025-12-31"}}}};
  const Timing outstanding =
      time_calls([&] { db->call(system, "reports.Run", outstanding_request); });
  std::printf(
      "%-8s %9lld invoices | load %8.0f ms, rollups %7.0f ms | dashboard %7.2f ms (max %7.2f) | "
      "revenue 12 months %7.2f ms (max %7.2f) | outstanding (no rollup) %9.2f ms | 2025 revenue %s, "
      "December to date %s\n",
      label.c_str(), static_cast<long long>(invoices), load_ms, rollup_ms, dashboard.median,
      dashboard.slowest, revenue.median, revenue.slowest, outstanding.median,
      last["tables"][0]["totals"][5].get<std::string>().c_str(),
      dash["revenue"]["thisMonth"].get<std::string>().c_str());
  std::fflush(stdout);
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<int64_t> sizes;
  for (int i = 1; i < argc; ++i) sizes.push_back(std::atoll(argv[i]));
  if (sizes.empty()) sizes = {10000, 100000, 1000000};
  const char* pg = std::getenv("DMS_BENCH_PG_URL");
  for (int64_t n : sizes) {
    if (pg != nullptr && *pg != '\0') {
      // A fresh schema per size.
      const std::string schema = "bench_reports_" + std::to_string(n);
      {
        auto admin = dms::storage::Store::open([&] {
          dms::storage::OpenOptions o;
          o.url = pg;
          o.migrate = false;
          return o;
        }());
        admin->write([&](dms::storage::Transaction& tx) {
          tx.exec("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
          tx.exec("CREATE SCHEMA " + schema);
        });
      }
      const std::string url = std::string(pg) +
                              (std::string(pg).find('?') == std::string::npos ? "?" : "&") +
                              "options=-csearch_path%3D" + schema;
      run(url, "postgres", n);
    } else {
      const std::string path = "/tmp/dms-bench-reports-" + std::to_string(n) + ".db";
      for (const char* suffix : {"", "-wal", "-shm"}) std::remove((path + suffix).c_str());
      run(path, "sqlite", n);
      for (const char* suffix : {"", "-wal", "-shm"}) std::remove((path + suffix).c_str());
    }
  }
  return 0;
}
