// The exporters (src/reports/export.hpp) on Reports built by hand: exact CSV bytes, XLSX and PDF
// files that exist and are reproducible, progress and cancellation. The files are left in
// $DMS_EXPORT_DIR when it is set: tests/python/test_export_readback.py (run by
// scripts/suites/exports.sh) reads them back with csv, openpyxl, pdftotext, pdftoppm, pdffonts.
#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "dms/error.hpp"
#include "reports/export.hpp"

namespace {

using dms::ErrorCode;
using namespace dms::reports;

std::string out_dir() {
  const char* dir = std::getenv("DMS_EXPORT_DIR");
  std::string d =
      dir && *dir ? dir : (std::filesystem::temp_directory_path() / "dms-exports").string();
  std::filesystem::create_directories(d);
  return d;
}

Column col(std::string key, std::string label, ColumnType type, int scale = 0) {
  return Column{std::move(key), std::move(label), type, scale};
}

// Revenue by month: the figures the readback test looks for.
Report sample_report() {
  Report r;
  r.name = "financial.revenue";
  r.title = "Revenue";
  r.subtitle = "Pune Central, 2026-06-01 to 2026-11-30";
  r.generated_at = "2026-12-01T06:30:00Z";
  Table months;
  months.name = "revenue_by_period";
  months.title = "Revenue by month";
  months.columns = {col("period", "Month", ColumnType::kText),
                    col("firstDay", "From", ColumnType::kDate),
                    col("invoices", "Invoices", ColumnType::kInteger),
                    col("revenue", "Revenue", ColumnType::kMoney, 2),
                    col("growth", "Growth", ColumnType::kPercent, 2),
                    col("lastInvoiceAt", "Last invoice", ColumnType::kDateTime)};
  const int64_t revenue[] = {12345650, 9876543210, 100, 0, 55500075, 123456789012};
  const int64_t growth[] = {0, 1250, -375, -10000, 5000, 33};
  const char* months_text[] = {"2026-06", "2026-07", "2026-08", "2026-09", "2026-10", "2026-11"};
  int64_t sum = 0;
  int64_t count = 0;
  for (int i = 0; i < 6; ++i) {
    months.rows.push_back({Cell::of_text(months_text[i]),
                           Cell::of_text(std::string(months_text[i]) + "-01"), Cell::number(10 + i),
                           Cell::number(revenue[i]),
                           i == 0 ? Cell::none() : Cell::number(growth[i]),
                           Cell::of_text(std::string(months_text[i]) + "-28T17:45:09Z")});
    sum += revenue[i];
    count += 10 + i;
  }
  months.totals = {Cell::none(),      Cell::none(), Cell::number(count),
                   Cell::number(sum), Cell::none(), Cell::none()};
  months.charts = {{ChartKind::kBar, "Revenue by month", "period", "revenue"},
                   {ChartKind::kLine, "Invoices by month", "period", "invoices"}};
  Table methods;
  methods.name = "payment_methods";
  methods.title = "Payment methods";
  methods.columns = {col("method", "Method", ColumnType::kText),
                     col("amount", "Amount", ColumnType::kMoney, 2),
                     col("share", "Share", ColumnType::kPercent, 2)};
  methods.rows = {
      {Cell::of_text("UPI"), Cell::number(5000000), Cell::number(5000)},
      {Cell::of_text("Cash, \"counter\""), Cell::number(3000000), Cell::number(3000)},
      {Cell::of_text("Card\r\nterminal 2"), Cell::number(1500000), Cell::number(1500)},
      {Cell::of_text("Cheque \u20b9 \u0928\u0915\u0926"), Cell::number(500000), Cell::number(500)}};
  methods.charts = {{ChartKind::kPie, "Payment methods", "method", "amount"}};
  r.tables = {months, methods};
  return r;
}

}  // namespace

TEST_CASE("exports: CSV is RFC 4180 with exact decimals", "[exports]") {
  const std::string csv = export_to_bytes(sample_report(), ExportFormat::kCsv);
  const std::string expected =
      "Month,From,Invoices,Revenue,Growth,Last invoice\r\n"
      "2026-06,2026-06-01,10,123456.50,,2026-06-28T17:45:09Z\r\n"
      "2026-07,2026-07-01,11,98765432.10,12.50,2026-07-28T17:45:09Z\r\n"
      "2026-08,2026-08-01,12,1.00,-3.75,2026-08-28T17:45:09Z\r\n"
      "2026-09,2026-09-01,13,0.00,-100.00,2026-09-28T17:45:09Z\r\n"
      "2026-10,2026-10-01,14,555000.75,50.00,2026-10-28T17:45:09Z\r\n"
      "2026-11,2026-11-01,15,1234567890.12,0.33,2026-11-28T17:45:09Z\r\n"
      "\r\n"
      "Payment methods\r\n"
      "Method,Amount,Share\r\n"
      "UPI,50000.00,50.00\r\n"
      "\"Cash, \"\"counter\"\"\",30000.00,30.00\r\n"
      "\"Card\r\nterminal 2\",15000.00,15.00\r\n"
      "Cheque \u20b9 \u0928\u0915\u0926,5000.00,5.00\r\n";
  CHECK(csv == expected);
  export_to_file(sample_report(), ExportFormat::kCsv, out_dir() + "/sample.csv");
}

TEST_CASE("exports: number text", "[exports]") {
  CHECK(plain_decimal(-5, 2) == "-0.05");
  CHECK(plain_decimal(INT64_MIN, 2) == "-92233720368547758.08");
  CHECK(indian_grouped(12345678950, 2) == "12,34,56,789.50");
  CHECK(indian_grouped(100000, 2) == "1,000.00");
  CHECK(indian_grouped(-99999, 0) == "-99,999");
  CHECK(indian_grouped(123, 0) == "123");
  CHECK(indian_grouped(1234567, 3) == "1,234.567");
  CHECK(export_filename("financial.revenue", "2026-11", ExportFormat::kPdf) ==
        "financial-revenue-2026-11.pdf");
  CHECK(parse_export_format("xlsx") == ExportFormat::kXlsx);
  try {
    parse_export_format("docx");
    FAIL("docx accepted");
  } catch (const dms::Error& e) {
    CHECK(e.code() == ErrorCode::kExportFormatUnsupported);
    CHECK(e.field() == "format");
  }
}

TEST_CASE("exports: XLSX and PDF files, reproducible with a fixed creation date", "[exports]") {
  const std::string dir = out_dir();
  const Report report = sample_report();
  ExportOptions options;
  options.creation_date = "2026-12-01T06:30:00Z";
  std::vector<std::pair<int64_t, int64_t>> calls;
  options.progress = [&](int64_t done, int64_t total) {
    calls.emplace_back(done, total);
    return true;
  };
  export_to_file(report, ExportFormat::kXlsx, dir + "/sample.xlsx", options);
  REQUIRE(std::filesystem::file_size(dir + "/sample.xlsx") > 1000);
  REQUIRE(calls.size() >= 2);
  CHECK(calls.front() == std::make_pair(int64_t{0}, int64_t{10}));
  CHECK(calls.back() == std::make_pair(int64_t{10}, int64_t{10}));
  calls.clear();
  const std::string a = export_to_bytes(report, ExportFormat::kPdf, options);
  const std::string b = export_to_bytes(report, ExportFormat::kPdf, options);
  CHECK(a.rfind("%PDF-", 0) == 0);
  CHECK(a == b);
  CHECK(a.find("/CreationDate (20261201063000Z)") != std::string::npos);  // cairo 1.16: no "D:"
  export_to_file(report, ExportFormat::kPdf, dir + "/sample.pdf", options);
  // A long table: several pages with repeated headers ("Page n of m").
  Report big = report;
  big.tables.resize(1);
  big.tables[0].charts.clear();
  for (int i = 0; i < 200; ++i) big.tables[0].rows.push_back(big.tables[0].rows[i % 6]);
  export_to_file(big, ExportFormat::kPdf, dir + "/sample-long.pdf", options);
  // Several reports in one file (the monthly report's shape).
  export_to_file(std::vector<Report>{report, big}, ExportFormat::kXlsx, dir + "/sample-book.xlsx",
                 options);
}

TEST_CASE("exports: a cancelled export leaves no file", "[exports]") {
  Report report = sample_report();
  for (int i = 0; i < 5000; ++i) report.tables[0].rows.push_back(report.tables[0].rows[0]);
  const std::string dir = out_dir();
  for (ExportFormat format : {ExportFormat::kCsv, ExportFormat::kXlsx, ExportFormat::kPdf}) {
    const std::string path = dir + "/cancelled." + format_name(format);
    std::filesystem::remove(path);
    ExportOptions options;
    int64_t last = -1;
    options.progress = [&](int64_t done, int64_t) {
      last = done;
      return done < 2000;
    };
    try {
      export_to_file(report, format, path, options);
      FAIL("not cancelled");
    } catch (const dms::Error& e) {
      CHECK(e.code() == ErrorCode::kExportCancelled);
    }
    CHECK(last == 2000);
    CHECK_FALSE(std::filesystem::exists(path));
    for (const auto& entry : std::filesystem::directory_iterator(dir)) {
      CHECK(entry.path().filename().string().find("cancelled." + std::string(format_name(format)) +
                                                  ".part") == std::string::npos);
    }
  }
}
