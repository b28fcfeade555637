// Exports of a large report (issue 14: a 100,000-line XLSX and PDF export in at most 5 s each with
// peak RSS under 200 MB). One format per process, so the peak RSS is that export's:
//
//   build/dev/benchmarks/bench_exports xlsx 100000 [out-path]
//   build/dev/benchmarks/bench_exports pdf 100000
//   build/dev/benchmarks/bench_exports csv 100000
//
// The report is built first (an invoice register: number, date, customer, HSN, taxable, CGST,
// SGST, IGST, total, rate; totals); the figures printed are the build time, the export time, the
// file size and the process's peak RSS (getrusage), with the peak before the export for scale.
#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>

#include "reports/export.hpp"

using namespace dms::reports;

namespace {

double peak_rss_mb() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<double>(usage.ru_maxrss) / 1024.0;  // kilobytes on Linux
}

Report invoice_register(int64_t rows) {
  Report r;
  r.name = "financial.invoice_register";
  r.title = "Invoice register";
  r.subtitle = "All centers, 2026-04-01 to 2026-11-30";
  r.generated_at = "2026-12-01T00:00:00Z";
  Table t;
  t.name = "invoices";
  t.title = "Invoices";
  t.columns = {
      {"number", "Invoice no.", ColumnType::kText, 0}, {"date", "Date", ColumnType::kDate, 0},
      {"customer", "Customer", ColumnType::kText, 0},  {"hsn", "HSN/SAC", ColumnType::kText, 0},
      {"taxable", "Taxable", ColumnType::kMoney, 2},   {"cgst", "CGST", ColumnType::kMoney, 2},
      {"sgst", "SGST", ColumnType::kMoney, 2},         {"igst", "IGST", ColumnType::kMoney, 2},
      {"total", "Total", ColumnType::kMoney, 2},       {"rate", "Rate", ColumnType::kPercent, 2}};
  t.rows.reserve(static_cast<size_t>(rows));
  int64_t sums[5] = {0, 0, 0, 0, 0};
  char number[32];
  char date[16];
  for (int64_t i = 0; i < rows; ++i) {
    std::snprintf(number, sizeof number, "SC%03lld/2627/%05lld", static_cast<long long>(i % 40),
                  static_cast<long long>(i % 99999 + 1));
    std::snprintf(date, sizeof date, "2026-%02lld-%02lld", static_cast<long long>(4 + i % 8),
                  static_cast<long long>(1 + i % 28));
    const int64_t taxable = 10000 + (i * 7919) % 5000000;
    const bool inter = i % 5 == 0;
    const int64_t half = (taxable * 9 + 50) / 100;
    const int64_t cgst = inter ? 0 : half;
    const int64_t igst = inter ? 2 * half : 0;
    const int64_t total = taxable + 2 * cgst + igst;
    t.rows.push_back({Cell::of_text(number), Cell::of_text(date),
                      Cell::of_text("Customer " + std::to_string(i % 5000)),
                      Cell::of_text(i % 3 ? "87083000" : "998714"), Cell::number(taxable),
                      Cell::number(cgst), Cell::number(cgst), Cell::number(igst),
                      Cell::number(total), Cell::number(1800)});
    sums[0] += taxable;
    sums[1] += cgst;
    sums[2] += cgst;
    sums[3] += igst;
    sums[4] += total;
  }
  t.totals = {Cell::none(),          Cell::none(),          Cell::none(),
              Cell::none(),          Cell::number(sums[0]), Cell::number(sums[1]),
              Cell::number(sums[2]), Cell::number(sums[3]), Cell::number(sums[4]),
              Cell::none()};
  r.tables.push_back(std::move(t));
  return r;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: %s csv|xlsx|pdf rows [out-path]\n", argv[0]);
    return 2;
  }
  const ExportFormat format = parse_export_format(argv[1]);
  const int64_t rows = std::atoll(argv[2]);
  const std::string path = argc > 3 ? argv[3]
                                    : (std::filesystem::temp_directory_path() /
                                       ("bench-export." + std::string(format_name(format))))
                                          .string();
  using Clock = std::chrono::steady_clock;
  const auto t0 = Clock::now();
  const Report report = invoice_register(rows);
  const auto t1 = Clock::now();
  const double rss_before = peak_rss_mb();
  int64_t callbacks = 0;
  ExportOptions options;
  options.progress = [&](int64_t, int64_t) {
    ++callbacks;
    return true;
  };
  export_to_file(report, format, path, options);
  const auto t2 = Clock::now();
  const double build_ms = std::chrono::duration<double, std::milli>(t1 - t0).count();
  const double export_ms = std::chrono::duration<double, std::milli>(t2 - t1).count();
  std::printf(
      "%s rows=%lld build=%.0f ms export=%.0f ms size=%.1f MB progress_calls=%lld "
      "peak_rss_before_export=%.1f MB peak_rss=%.1f MB\n",
      format_name(format), static_cast<long long>(rows), build_ms, export_ms,
      static_cast<double>(std::filesystem::file_size(path)) / 1e6,
      static_cast<long long>(callbacks), rss_before, peak_rss_mb());
  if (argc <= 3) std::filesystem::remove(path);
  return 0;
}
