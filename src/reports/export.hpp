// Exporters of any reports::Report (src/reports/table.hpp) to CSV, XLSX and PDF.
//
//   CSV   RFC 4180: UTF-8 without a byte-order mark, CRLF line ends, fields quoted when they hold
//         a comma, a quote, CR or LF (quotes doubled); a header row of column labels, then one
//         record per row. Numbers are plain decimals ("1234.50", "-3"), dates "YYYY-MM-DD".
//         A report of several tables writes them one after another, each but the first preceded
//         by an empty record and a record holding the table's title.
//   XLSX  libxlsxwriter in constant-memory mode (rows written in order, one row in memory): one
//         sheet per table (for several reports: one per table of each report), a bold header row
//         frozen above the data, column widths from the content, numbers as numbers (money with
//         the format "#,##0.00", decimals with their scale, percentages as fractions with
//         "0.00%"), dates and date-times as Excel dates, totals in a bold last row, and a native
//         chart per Chart spec of tables of at most kMaxChartRows rows.
//   PDF   cairo + pango in Noto Sans (with the rupee sign): A4, portrait or landscape by the
//         table's width; a running header (report title and scope), "Page n of m" and the
//         generation time in the footer, the table's header row repeated on every page, money
//         in Indian digit grouping (1,23,456.50), totals in bold, and the table's charts (bars,
//         line, pie) drawn above it for tables of at most kMaxChartRows rows.
//
// Progress: the callback gets (rows done, rows in all) at the start, every few hundred rows and
// at the end; returning false cancels: the partial file is removed and EXPORT_CANCELLED thrown.
// Files are written next to their final path and renamed into place, so a failed or cancelled
// export leaves nothing behind.
//
// Thread-safety: free functions; independent exports may run on different threads.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "reports/table.hpp"

namespace dms::reports {

enum class ExportFormat : uint8_t { kCsv, kXlsx, kPdf };

// "csv", "xlsx", "pdf"; EXPORT_FORMAT_UNSUPPORTED otherwise (naming `field`).
ExportFormat parse_export_format(std::string_view name, std::string_view field = "format");
const char* format_name(ExportFormat format);
const char* content_type(ExportFormat format);  // "text/csv; charset=utf-8", ...

// Rows done and rows in all; return false to cancel the export.
using ExportProgress = std::function<bool(int64_t done, int64_t total)>;

// Charts are drawn for tables with at most this many rows (a chart of more is unreadable).
inline constexpr size_t kMaxChartRows = 60;

struct ExportOptions {
  ExportProgress progress;  // may be empty
  // RFC 3339 UTC, the PDF's CreationDate and the XLSX's created time. Empty: the reports'
  // generated_at (so the same report gives the same bytes).
  std::string creation_date;
  // Title of a file of several reports (the monthly report); empty: the first report's title.
  std::string title;
};

// Writes the reports (usually one) to `path` in `format`. STORAGE_ERROR when the file cannot be
// written; EXPORT_CANCELLED when the progress callback returned false.
void export_to_file(const std::vector<Report>& reports, ExportFormat format,
                    const std::string& path, const ExportOptions& options = {});
void export_to_file(const Report& report, ExportFormat format, const std::string& path,
                    const ExportOptions& options = {});
// The same into memory (through a temporary file for XLSX and PDF).
std::string export_to_bytes(const std::vector<Report>& reports, ExportFormat format,
                            const ExportOptions& options = {});
std::string export_to_bytes(const Report& report, ExportFormat format,
                            const ExportOptions& options = {});

// "financial-revenue-2026-11.pdf": a file name from the report's name and a suffix, safe on
// every file system.
std::string export_filename(std::string_view report_name, std::string_view suffix,
                            ExportFormat format);

// The text of a numeric cell: `units` at `scale` as a plain decimal ("-1234.50").
std::string plain_decimal(int64_t units, int scale);
// The same with Indian digit grouping ("-12,34,567.50").
std::string indian_grouped(int64_t units, int scale);

// A temporary file path next to `path` that is removed when the guard is destroyed, unless
// commit() renamed it to `path` (shared with the invoice PDF writer).
class PartialFile {
 public:
  explicit PartialFile(std::string path);
  ~PartialFile();
  PartialFile(const PartialFile&) = delete;
  PartialFile& operator=(const PartialFile&) = delete;
  const std::string& temp_path() const { return temp_; }
  void commit();

 private:
  std::string path_;
  std::string temp_;
  bool committed_ = false;
};

// A file read whole (STORAGE_ERROR when it cannot be read).
std::string read_whole_file(const std::string& path);
// A unique path in the temporary directory ending in `suffix`; the file is created empty.
std::string temporary_path(std::string_view suffix);

}  // namespace dms::reports
