#include "reports/export.hpp"

#include <unistd.h>
#include <xlsxwriter.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <set>
#include <sstream>

#include "dms/error.hpp"
#include "render/pdf_canvas.hpp"

namespace dms::reports {
namespace {

using Refs = std::vector<const Report*>;

constexpr int64_t kProgressStep = 1000;  // rows between two progress reports

// ---- Progress -----------------------------------------------------------------------------------

class Progress {
 public:
  Progress(const ExportProgress& callback, int64_t total) : callback_(callback), total_(total) {}
  void start() { report(); }
  void step() {
    ++done_;
    if (done_ % kProgressStep == 0) report();
  }
  void end() {
    done_ = total_;
    report();
  }

 private:
  void report() {
    if (callback_ && !callback_(done_, total_)) {
      throw Error::BusinessRule(ErrorCode::kExportCancelled, "the export was cancelled after " +
                                                                 std::to_string(done_) + " of " +
                                                                 std::to_string(total_) + " rows");
    }
  }
  const ExportProgress& callback_;
  int64_t total_;
  int64_t done_ = 0;
};

int64_t row_count(const Refs& reports) {
  int64_t n = 0;
  for (const Report* r : reports) {
    for (const Table& t : r->tables) n += static_cast<int64_t>(t.rows.size());
  }
  return n;
}

// ---- Numbers ------------------------------------------------------------------------------------

bool is_numeric(ColumnType t) {
  return t == ColumnType::kInteger || t == ColumnType::kMoney || t == ColumnType::kDecimal ||
         t == ColumnType::kPercent;
}

int64_t pow10(int scale) {
  int64_t p = 1;
  for (int i = 0; i < scale; ++i) p *= 10;
  return p;
}

// The digits of |units| split at the scale: {"1234", "50"}.
std::pair<std::string, std::string> split_digits(int64_t units, int scale) {
  // |INT64_MIN| does not fit int64: work in unsigned.
  const uint64_t magnitude =
      units < 0 ? static_cast<uint64_t>(-(units + 1)) + 1 : static_cast<uint64_t>(units);
  const uint64_t p = static_cast<uint64_t>(pow10(scale));
  std::string frac;
  if (scale > 0) {
    frac = std::to_string(magnitude % p);
    frac.insert(0, static_cast<size_t>(scale) - frac.size(), '0');
  }
  return {std::to_string(magnitude / p), frac};
}

double as_double(int64_t units, int scale) {
  return static_cast<double>(units) / static_cast<double>(pow10(scale));
}

// Column values at scale 0 are written to XLSX exactly; others as the nearest double of the
// decimal (libxlsxwriter stores IEEE doubles, as Excel does).
double xlsx_number(const Column& c, int64_t units) {
  if (c.type == ColumnType::kPercent) return as_double(units, c.scale) / 100.0;
  return as_double(units, c.scale);
}

// ---- Dates --------------------------------------------------------------------------------------

struct DateTimeParts {
  int year = 0, month = 0, day = 0, hour = 0, minute = 0;
  double second = 0;
};

// "YYYY-MM-DD" or RFC 3339 "YYYY-MM-DDTHH:MM:SS[.fff]Z" (offsets are not shifted: the engine
// writes UTC).
std::optional<DateTimeParts> parse_date_time(const std::string& s) {
  DateTimeParts p;
  if (s.size() < 10 || std::sscanf(s.c_str(), "%4d-%2d-%2d", &p.year, &p.month, &p.day) != 3) {
    return std::nullopt;
  }
  if (s.size() >= 19 && (s[10] == 'T' || s[10] == ' ')) {
    int sec = 0;
    if (std::sscanf(s.c_str() + 11, "%2d:%2d:%2d", &p.hour, &p.minute, &sec) != 3) {
      return std::nullopt;
    }
    p.second = sec;
  }
  return p;
}

std::string display_date_time(const std::string& s) {
  // "2026-11-05T10:20:30Z" -> "2026-11-05 10:20"
  if (s.size() >= 16 && s[10] == 'T') return s.substr(0, 10) + " " + s.substr(11, 5);
  return s;
}

// ---- Text of cells -----------------------------------------------------------------------------

std::string csv_text(const Column& c, const Cell& cell) {
  if (cell.null) return "";
  if (is_numeric(c.type)) return plain_decimal(cell.units, c.scale);
  return cell.text;
}

std::string pdf_text(const Column& c, const Cell& cell) {
  if (cell.null) return "";
  switch (c.type) {
    case ColumnType::kMoney:
    case ColumnType::kDecimal:
    case ColumnType::kInteger:
      return indian_grouped(cell.units, c.scale);
    case ColumnType::kPercent:
      return plain_decimal(cell.units, c.scale) + "%";
    case ColumnType::kDateTime:
      return display_date_time(cell.text);
    default:
      return cell.text;
  }
}

std::string pdf_label(const Column& c) {
  return c.type == ColumnType::kMoney ? c.label + " (\u20b9)" : c.label;
}

size_t utf8_length(const std::string& s) {
  size_t n = 0;
  for (unsigned char ch : s) n += (ch & 0xC0) != 0x80;
  return n;
}

// ---- CSV ----------------------------------------------------------------------------------------

void csv_field(std::ostream& out, const std::string& value) {
  if (value.find_first_of(",\"\r\n") == std::string::npos) {
    out << value;
    return;
  }
  out << '"';
  for (char ch : value) {
    if (ch == '"') out << '"';
    out << ch;
  }
  out << '"';
}

void write_csv(const Refs& reports, const std::string& path, const ExportOptions& options) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (!out) throw Error(ErrorCode::kStorage, "cannot create the CSV file " + path);
  Progress progress(options.progress, row_count(reports));
  progress.start();
  bool first_table = true;
  for (const Report* report : reports) {
    for (const Table& table : report->tables) {
      if (!first_table) {
        out << "\r\n";
        csv_field(out, table.title.empty() ? table.name : table.title);
        out << "\r\n";
      }
      first_table = false;
      for (size_t i = 0; i < table.columns.size(); ++i) {
        if (i) out << ',';
        csv_field(out, table.columns[i].label);
      }
      out << "\r\n";
      for (const auto& row : table.rows) {
        for (size_t i = 0; i < table.columns.size(); ++i) {
          if (i) out << ',';
          if (i < row.size()) csv_field(out, csv_text(table.columns[i], row[i]));
        }
        out << "\r\n";
        progress.step();
      }
    }
  }
  progress.end();
  out.flush();
  if (!out) throw Error(ErrorCode::kStorage, "cannot write the CSV file " + path);
}

// ---- XLSX ---------------------------------------------------------------------------------------

std::string sheet_name(std::string wanted, std::set<std::string>& used) {
  for (char& ch : wanted) {
    if (std::strchr("[]:*?/\\", ch)) ch = '-';
  }
  while (!wanted.empty() && wanted.front() == '\'') wanted.erase(0, 1);
  if (wanted.empty()) wanted = "Sheet";
  auto cut = [](std::string s, size_t max) {
    // cut at a character boundary
    if (s.size() <= max) return s;
    size_t n = max;
    while (n > 0 && (static_cast<unsigned char>(s[n]) & 0xC0) == 0x80) --n;
    return s.substr(0, n);
  };
  std::string name = cut(wanted, 31);
  for (int i = 2; used.count(name); ++i) {
    const std::string suffix = " (" + std::to_string(i) + ")";
    name = cut(wanted, 31 - suffix.size()) + suffix;
  }
  used.insert(name);
  return name;
}

std::string quoted_sheet(const std::string& name) {
  std::string q = "'";
  for (char ch : name) {
    if (ch == '\'') q += '\'';
    q += ch;
  }
  return q + "'";
}

std::string column_letters(size_t col) {
  std::string s;
  ++col;
  while (col > 0) {
    s.insert(s.begin(), static_cast<char>('A' + (col - 1) % 26));
    col = (col - 1) / 26;
  }
  return s;
}

std::string number_format(const Column& c) {
  const std::string frac = c.scale > 0 ? "." + std::string(static_cast<size_t>(c.scale), '0') : "";
  switch (c.type) {
    case ColumnType::kMoney:
      return c.scale == 2 ? "#,##0.00" : "#,##0" + frac;
    case ColumnType::kPercent:
      return "0" + frac + "%";
    default:
      return "#,##0" + frac;
  }
}

class XlsxWriter {
 public:
  XlsxWriter(const std::string& path, const ExportOptions& options) {
    lxw_workbook_options o;
    std::memset(&o, 0, sizeof o);
    o.constant_memory = LXW_TRUE;
    tmpdir_ = std::filesystem::temp_directory_path().string();
    o.tmpdir = tmpdir_.data();
    book_ = workbook_new_opt(path.c_str(), &o);
    if (!book_) throw Error(ErrorCode::kStorage, "cannot create the XLSX file " + path);
    (void)options;
    header_ = workbook_add_format(book_);
    format_set_bold(header_);
    format_set_bg_color(header_, 0xDDE4EE);
    format_set_bottom(header_, LXW_BORDER_THIN);
    date_ = workbook_add_format(book_);
    format_set_num_format(date_, "yyyy-mm-dd");
    date_time_ = workbook_add_format(book_);
    format_set_num_format(date_time_, "yyyy-mm-dd hh:mm:ss");
    bold_ = workbook_add_format(book_);
    format_set_bold(bold_);
    format_set_top(bold_, LXW_BORDER_THIN);
  }
  ~XlsxWriter() {
    if (book_) workbook_close(book_);
  }

  void properties(const std::string& title, const std::string& subject, time_t created) {
    title_ = title;
    subject_ = subject;
    lxw_doc_properties p;
    std::memset(&p, 0, sizeof p);
    p.title = title_.data();
    p.subject = subject_.data();
    p.author = author_.data();
    p.created = created;
    workbook_set_properties(book_, &p);
  }

  void table(const Table& table, const std::string& wanted_name, Progress& progress) {
    const std::string name = sheet_name(wanted_name, sheets_);
    lxw_worksheet* ws = workbook_add_worksheet(book_, name.c_str());
    if (!ws) throw Error(ErrorCode::kInternal, "cannot add the sheet " + name);
    const size_t ncols = table.columns.size();
    std::vector<lxw_format*> formats(ncols, nullptr);
    std::vector<lxw_format*> total_formats(ncols, bold_);
    for (size_t i = 0; i < ncols; ++i) {
      const Column& c = table.columns[i];
      if (is_numeric(c.type)) {
        formats[i] = number_format_of(number_format(c), false);
        total_formats[i] = number_format_of(number_format(c), true);
      } else if (c.type == ColumnType::kDate) {
        formats[i] = date_;
      } else if (c.type == ColumnType::kDateTime) {
        formats[i] = date_time_;
      }
      worksheet_set_column(ws, static_cast<lxw_col_t>(i), static_cast<lxw_col_t>(i),
                           column_width(table, i), nullptr);
    }
    worksheet_freeze_panes(ws, 1, 0);
    for (size_t i = 0; i < ncols; ++i) {
      worksheet_write_string(ws, 0, static_cast<lxw_col_t>(i), table.columns[i].label.c_str(),
                             header_);
    }
    lxw_row_t r = 1;
    for (const auto& row : table.rows) {
      write_row(ws, r++, table, row, formats);
      progress.step();
    }
    if (!table.totals.empty()) write_row(ws, r++, table, table.totals, total_formats);
    if (!table.rows.empty() && table.rows.size() <= kMaxChartRows) charts(ws, name, table);
  }

 private:
  lxw_format* number_format_of(const std::string& pattern, bool bold) {
    const std::string key = pattern + (bold ? "|b" : "");
    auto it = numbers_.find(key);
    if (it != numbers_.end()) return it->second;
    lxw_format* f = workbook_add_format(book_);
    format_set_num_format(f, pattern.c_str());
    if (bold) {
      format_set_bold(f);
      format_set_top(f, LXW_BORDER_THIN);
    }
    numbers_[key] = f;
    return f;
  }

  static double column_width(const Table& table, size_t i) {
    const Column& c = table.columns[i];
    size_t width = utf8_length(c.label);
    const size_t sample = std::min<size_t>(table.rows.size(), 500);
    for (size_t r = 0; r < sample; ++r) {
      if (i >= table.rows[r].size()) continue;
      const Cell& cell = table.rows[r][i];
      size_t w = 0;
      if (is_numeric(c.type) && !cell.null) {
        w = indian_grouped(cell.units, c.scale).size() + 1;
      } else if (c.type == ColumnType::kDate) {
        w = 10;
      } else if (c.type == ColumnType::kDateTime) {
        w = 19;
      } else {
        w = utf8_length(cell.text);
      }
      width = std::max(width, w);
    }
    return static_cast<double>(std::min<size_t>(width, 60)) + 2;
  }

  void write_row(lxw_worksheet* ws, lxw_row_t r, const Table& table, const std::vector<Cell>& row,
                 const std::vector<lxw_format*>& formats) {
    for (size_t i = 0; i < table.columns.size() && i < row.size(); ++i) {
      const Column& c = table.columns[i];
      const Cell& cell = row[i];
      const auto col = static_cast<lxw_col_t>(i);
      if (cell.null) {
        if (formats[i] == bold_) worksheet_write_blank(ws, r, col, bold_);
        continue;
      }
      if (is_numeric(c.type)) {
        worksheet_write_number(ws, r, col, xlsx_number(c, cell.units), formats[i]);
      } else if (c.type == ColumnType::kDate || c.type == ColumnType::kDateTime) {
        const auto parts = parse_date_time(cell.text);
        if (parts) {
          lxw_datetime dt{parts->year, parts->month,  parts->day,
                          parts->hour, parts->minute, parts->second};
          worksheet_write_datetime(ws, r, col, &dt, formats[i]);
        } else {
          worksheet_write_string(ws, r, col, cell.text.c_str(), formats[i]);
        }
      } else {
        worksheet_write_string(ws, r, col, cell.text.c_str(), formats[i]);
      }
    }
  }

  void charts(lxw_worksheet* ws, const std::string& sheet, const Table& table) {
    lxw_row_t at = 1;
    for (const Chart& spec : table.charts) {
      size_t label = table.columns.size();
      size_t value = table.columns.size();
      for (size_t i = 0; i < table.columns.size(); ++i) {
        if (table.columns[i].key == spec.label_column) label = i;
        if (table.columns[i].key == spec.value_column) value = i;
      }
      if (label == table.columns.size() || value == table.columns.size()) continue;
      const uint8_t kind = spec.kind == ChartKind::kPie    ? LXW_CHART_PIE
                           : spec.kind == ChartKind::kLine ? LXW_CHART_LINE
                                                           : LXW_CHART_COLUMN;
      lxw_chart* chart = workbook_add_chart(book_, kind);
      const std::string last = std::to_string(table.rows.size() + 1);
      const std::string q = quoted_sheet(sheet);
      const std::string categories =
          "=" + q + "!$" + column_letters(label) + "$2:$" + column_letters(label) + "$" + last;
      const std::string values =
          "=" + q + "!$" + column_letters(value) + "$2:$" + column_letters(value) + "$" + last;
      lxw_chart_series* series = chart_add_series(chart, categories.c_str(), values.c_str());
      chart_series_set_name(series, table.columns[value].label.c_str());
      chart_title_set_name(chart, spec.title.c_str());
      if (spec.kind != ChartKind::kPie) chart_legend_set_position(chart, LXW_CHART_LEGEND_NONE);
      worksheet_insert_chart(ws, at, static_cast<lxw_col_t>(table.columns.size() + 1), chart);
      at += 16;
    }
  }

  lxw_workbook* book_ = nullptr;
  std::string tmpdir_;
  std::string title_, subject_, author_ = "libdms";
  lxw_format* header_ = nullptr;
  lxw_format* date_ = nullptr;
  lxw_format* date_time_ = nullptr;
  lxw_format* bold_ = nullptr;
  std::map<std::string, lxw_format*> numbers_;
  std::set<std::string> sheets_;

 public:
  // Closes the workbook (writes the file); STORAGE_ERROR on failure.
  void close() {
    lxw_workbook* book = book_;
    book_ = nullptr;
    const lxw_error e = workbook_close(book);
    if (e != LXW_NO_ERROR) {
      throw Error(ErrorCode::kStorage,
                  std::string("cannot write the XLSX file: ") + lxw_strerror(e));
    }
  }
};

time_t epoch_of(const std::string& rfc3339) {
  const auto p = parse_date_time(rfc3339);
  if (!p) return 0;
  std::tm tm{};
  tm.tm_year = p->year - 1900;
  tm.tm_mon = p->month - 1;
  tm.tm_mday = p->day;
  tm.tm_hour = p->hour;
  tm.tm_min = p->minute;
  tm.tm_sec = static_cast<int>(p->second);
  return timegm(&tm);
}

std::string creation_date_of(const Refs& reports, const ExportOptions& options) {
  if (!options.creation_date.empty()) return options.creation_date;
  return reports.empty() ? std::string() : reports.front()->generated_at;
}

void write_xlsx(const Refs& reports, const std::string& path, const ExportOptions& options) {
  XlsxWriter book(path, options);
  const std::string title =
      !options.title.empty() ? options.title : (reports.empty() ? "" : reports.front()->title);
  book.properties(title, reports.size() == 1 ? reports.front()->subtitle : "",
                  epoch_of(creation_date_of(reports, options)));
  Progress progress(options.progress, row_count(reports));
  progress.start();
  size_t sheets = 0;
  for (const Report* report : reports) {
    for (const Table& table : report->tables) {
      // One report: the tables' titles; several: the report's title (and the table's).
      std::string name = table.title.empty() ? table.name : table.title;
      if (reports.size() > 1) {
        name = report->tables.size() > 1 ? report->title + " - " + name : report->title;
      }
      book.table(table, name, progress);
      ++sheets;
    }
  }
  if (sheets == 0) book.table(Table{"empty", "No data", {}, {}, {}, {}}, "No data", progress);
  progress.end();
  book.close();
}

// ---- PDF ----------------------------------------------------------------------------------------

using render::Align;
using render::PdfCanvas;
using render::Rgb;

constexpr double kMargin = 36;
constexpr double kRowHeight = 12;
constexpr double kHeaderRowHeight = 15;
constexpr double kRowFont = 7.5;
constexpr double kChartHeight = 180;
constexpr double kRunningHeader = 26;  // below the top margin
constexpr double kFooter = 20;         // above the bottom margin
constexpr Rgb kGrid{0.75, 0.78, 0.82};
constexpr Rgb kHeaderFill{0.87, 0.89, 0.93};
constexpr Rgb kStripe{0.965, 0.97, 0.98};
constexpr Rgb kMuted{0.35, 0.35, 0.4};
constexpr Rgb kPalette[] = {{0.20, 0.40, 0.69}, {0.93, 0.49, 0.19}, {0.30, 0.65, 0.36},
                            {0.80, 0.25, 0.27}, {0.55, 0.42, 0.72}, {0.55, 0.36, 0.29},
                            {0.89, 0.47, 0.76}, {0.50, 0.50, 0.50}};

struct PageSize {
  double width = render::kA4Width;
  double height = render::kA4Height;
  bool operator!=(const PageSize& o) const { return width != o.width || height != o.height; }
};
constexpr PageSize kPortrait{render::kA4Width, render::kA4Height};
constexpr PageSize kLandscape{render::kA4Height, render::kA4Width};

// Column widths estimated from the characters (the same in the counting and the drawing pass).
struct TableLayout {
  PageSize page;
  std::vector<double> widths;
};

TableLayout layout_table(const Table& table) {
  const size_t n = table.columns.size();
  std::vector<double> natural(n, 0);
  const size_t sample = std::min<size_t>(table.rows.size(), 300);
  constexpr double kChar = kRowFont * 0.56;
  for (size_t i = 0; i < n; ++i) {
    const Column& c = table.columns[i];
    double w = static_cast<double>(utf8_length(pdf_label(c))) * kChar * 1.05;
    for (size_t r = 0; r < sample; ++r) {
      if (i < table.rows[r].size()) {
        w = std::max(w, static_cast<double>(utf8_length(pdf_text(c, table.rows[r][i]))) * kChar);
      }
    }
    if (!table.totals.empty() && i < table.totals.size()) {
      w = std::max(w, static_cast<double>(utf8_length(pdf_text(c, table.totals[i]))) * kChar);
    }
    natural[i] = std::min(w, 200.0) + 8;
  }
  double sum = 0;
  for (double w : natural) sum += w;
  TableLayout layout;
  const double portrait = kPortrait.width - 2 * kMargin;
  const double landscape = kLandscape.width - 2 * kMargin;
  layout.page = sum <= portrait ? kPortrait : kLandscape;
  const double avail = sum <= portrait ? portrait : landscape;
  // Fill the width: spread what is left (or shrink, when too wide) in proportion.
  layout.widths = natural;
  if (sum > 0) {
    for (double& w : layout.widths) w = w * avail / sum;
  }
  return layout;
}

struct ChartData {
  std::vector<std::string> labels;
  std::vector<double> values;
  std::string value_text_suffix;
};

std::optional<ChartData> chart_data(const Table& table, const Chart& chart) {
  size_t label = table.columns.size();
  size_t value = table.columns.size();
  for (size_t i = 0; i < table.columns.size(); ++i) {
    if (table.columns[i].key == chart.label_column) label = i;
    if (table.columns[i].key == chart.value_column) value = i;
  }
  if (label == table.columns.size() || value == table.columns.size() ||
      !is_numeric(table.columns[value].type)) {
    return std::nullopt;
  }
  ChartData d;
  for (const auto& row : table.rows) {
    if (label >= row.size() || value >= row.size()) continue;
    d.labels.push_back(pdf_text(table.columns[label], row[label]));
    d.values.push_back(row[value].null ? 0.0
                                       : as_double(row[value].units, table.columns[value].scale));
  }
  return d;
}

// A compact axis label: 1.5K, 12L (lakh), 3.2Cr (crore).
std::string compact(double v) {
  char buf[32];
  const double a = std::fabs(v);
  if (a >= 1e7) {
    std::snprintf(buf, sizeof buf, "%.1fCr", v / 1e7);
  } else if (a >= 1e5) {
    std::snprintf(buf, sizeof buf, "%.1fL", v / 1e5);
  } else if (a >= 1e3) {
    std::snprintf(buf, sizeof buf, "%.1fK", v / 1e3);
  } else {
    std::snprintf(buf, sizeof buf, "%.0f", v);
  }
  return buf;
}

void draw_axes_chart(PdfCanvas& pdf, double x, double y, double w, double h, const Chart& chart,
                     const ChartData& d) {
  pdf.text(x, y, w, chart.title, 8.5, true, Align::kCenter);
  const double left = x + 40;
  const double top = y + 18;
  const double right = x + w - 6;
  const double bottom = y + h - 26;
  double hi = 0;
  double lo = 0;
  for (double v : d.values) {
    hi = std::max(hi, v);
    lo = std::min(lo, v);
  }
  if (hi == lo) hi = lo + 1;
  auto ypos = [&](double v) { return bottom - (v - lo) / (hi - lo) * (bottom - top); };
  for (int t = 0; t <= 4; ++t) {
    const double v = lo + (hi - lo) * t / 4;
    const double yy = ypos(v);
    pdf.line(left, yy, right, yy, 0.3, kGrid);
    pdf.text(x, yy - 4, 36, compact(v), 6, false, Align::kRight, kMuted);
  }
  pdf.line(left, top, left, bottom, 0.6);
  pdf.line(left, ypos(0), right, ypos(0), 0.6);
  const size_t n = d.values.size();
  if (n == 0) return;
  const double slot = (right - left) / static_cast<double>(n);
  const size_t label_every = std::max<size_t>(1, static_cast<size_t>(std::ceil(28.0 / slot)));
  std::vector<double> xs(n);
  std::vector<double> ys(n);
  for (size_t i = 0; i < n; ++i) {
    const double cx = left + slot * (static_cast<double>(i) + 0.5);
    xs[i] = cx;
    ys[i] = ypos(d.values[i]);
    if (chart.kind == ChartKind::kBar) {
      const double bw = std::max(1.0, slot * 0.7);
      const double y0 = ypos(0);
      pdf.fill_rect(cx - bw / 2, std::min(y0, ys[i]), bw, std::fabs(y0 - ys[i]), kPalette[0]);
    }
    if (i % label_every == 0) {
      const double lw = slot * static_cast<double>(label_every);
      pdf.text(cx - lw / 2, bottom + 3, lw, d.labels[i], 6, false, Align::kCenter, kMuted);
    }
  }
  if (chart.kind == ChartKind::kLine) {
    pdf.polyline(xs.data(), ys.data(), n, 1.4, kPalette[0]);
    for (size_t i = 0; i < n; ++i) pdf.fill_circle(xs[i], ys[i], 1.8, kPalette[0]);
  }
}

void draw_pie_chart(PdfCanvas& pdf, double x, double y, double w, double h, const Chart& chart,
                    const ChartData& d) {
  pdf.text(x, y, w, chart.title, 8.5, true, Align::kCenter);
  // Positive slices, largest first; more than 8: the rest as "Others".
  std::vector<std::pair<double, std::string>> slices;
  for (size_t i = 0; i < d.values.size(); ++i) {
    if (d.values[i] > 0) slices.emplace_back(d.values[i], d.labels[i]);
  }
  std::stable_sort(slices.begin(), slices.end(),
                   [](const auto& a, const auto& b) { return a.first > b.first; });
  if (slices.size() > 8) {
    double rest = 0;
    for (size_t i = 7; i < slices.size(); ++i) rest += slices[i].first;
    slices.resize(7);
    slices.emplace_back(rest, "Others");
  }
  double sum = 0;
  for (const auto& s : slices) sum += s.first;
  const double radius = std::min(w * 0.45, h - 30) / 2;
  const double cx = x + radius + 10;
  const double cy = y + 20 + radius;
  if (sum <= 0) {
    pdf.text(x, cy, w, "no positive values", 7, false, Align::kCenter, kMuted);
    return;
  }
  double angle = -M_PI / 2;
  const double legend_x = cx + radius + 14;
  double legend_y = y + 22;
  for (size_t i = 0; i < slices.size(); ++i) {
    const double sweep = 2 * M_PI * slices[i].first / sum;
    const Rgb color = kPalette[i % std::size(kPalette)];
    pdf.fill_slice(cx, cy, radius, angle, angle + sweep, color);
    angle += sweep;
    pdf.fill_rect(legend_x, legend_y + 2, 7, 7, color);
    char pct[16];
    std::snprintf(pct, sizeof pct, "%.1f%%", 100.0 * slices[i].first / sum);
    pdf.text(legend_x + 10, legend_y, x + w - legend_x - 10,
             slices[i].second + "  " + std::string(pct), 6.5);
    legend_y += 11;
  }
}

class PdfReportWriter {
 public:
  PdfReportWriter(const Refs& reports, const ExportOptions& options)
      : reports_(reports), options_(options) {}

  void write(const std::string& path) {
    // Pass 1 counts the pages ("Page n of m"), pass 2 draws them: the layout is arithmetic, so
    // both passes break pages at the same rows.
    run(nullptr, nullptr);
    total_pages_ = page_;
    const std::string title = !options_.title.empty()
                                  ? options_.title
                                  : (reports_.empty() ? "Report" : reports_.front()->title);
    PdfCanvas pdf(path, first_page_.width, first_page_.height, title,
                  creation_date_of(reports_, options_));
    Progress progress(options_.progress, row_count(reports_));
    progress.start();
    run(&pdf, &progress);
    progress.end();
    pdf.finish();
  }

 private:
  void run(PdfCanvas* pdf, Progress* progress) {
    pdf_ = pdf;
    page_ = 0;
    for (const Report* report : reports_) {
      report_ = report;
      bool first_table = true;
      for (const Table& table : report->tables) {
        const TableLayout layout = layout_table(table);
        if (first_table) {
          new_page(layout.page);
          report_title(*report);
        }
        first_table = false;
        draw_table(table, layout, progress);
      }
      if (report->tables.empty()) {
        new_page(kPortrait);
        report_title(*report);
      }
    }
    if (page_ == 0) new_page(kPortrait);
  }

  double bottom() const { return size_.height - kMargin - kFooter; }

  void new_page(PageSize size) {
    if (page_ == 0) {
      first_page_ = size;
    } else if (pdf_) {
      pdf_->next_page(size.width, size.height);
    }
    size_ = size;
    ++page_;
    y_ = kMargin + kRunningHeader;
    if (!pdf_) return;
    const double w = size.width - 2 * kMargin;
    pdf_->text(kMargin, kMargin, w * 0.5, report_ ? report_->title : "", 8, true);
    pdf_->text(kMargin + w * 0.5, kMargin, w * 0.5, report_ ? report_->subtitle : "", 8, false,
               Align::kRight, kMuted);
    pdf_->line(kMargin, kMargin + 14, kMargin + w, kMargin + 14, 0.5, kGrid);
    const double fy = size.height - kMargin - 10;
    pdf_->line(kMargin, fy - 4, kMargin + w, fy - 4, 0.5, kGrid);
    pdf_->text(
        kMargin, fy, w * 0.6,
        "Generated " + display_date_time(report_ ? report_->generated_at : "") + " UTC by libdms",
        7, false, Align::kLeft, kMuted);
    pdf_->text(kMargin + w * 0.6, fy, w * 0.4,
               "Page " + std::to_string(page_) + " of " + std::to_string(total_pages_), 7, false,
               Align::kRight, kMuted);
  }

  void report_title(const Report& report) {
    if (pdf_) {
      const double w = size_.width - 2 * kMargin;
      pdf_->text(kMargin, y_, w, report.title, 15, true);
      pdf_->text(kMargin, y_ + 21, w, report.subtitle, 9, false, Align::kLeft, kMuted);
    }
    y_ += 40;
  }

  std::vector<const Chart*> drawable_charts(const Table& table) const {
    std::vector<const Chart*> charts;
    if (table.rows.empty() || table.rows.size() > kMaxChartRows) return charts;
    for (const Chart& c : table.charts) {
      if (chart_data(table, c)) charts.push_back(&c);
    }
    return charts;
  }

  void draw_table(const Table& table, const TableLayout& layout, Progress* progress) {
    const std::vector<const Chart*> charts = drawable_charts(table);
    const size_t per_line = layout.page.width > layout.page.height ? 3 : 2;
    const size_t chart_lines = (charts.size() + per_line - 1) / per_line;
    const double need = 18 + static_cast<double>(chart_lines) * kChartHeight + kHeaderRowHeight +
                        kRowHeight * static_cast<double>(std::min<size_t>(table.rows.size(), 3) +
                                                         (table.totals.empty() ? 0 : 1));
    if (layout.page != size_ || y_ + need > bottom()) new_page(layout.page);
    const double x0 = kMargin;
    const double width = size_.width - 2 * kMargin;
    if (pdf_) pdf_->text(x0, y_, width, table.title, 11, true);
    y_ += 18;
    for (size_t line = 0; line < chart_lines; ++line) {
      if (y_ + kChartHeight > bottom()) new_page(layout.page);
      const double cw = width / static_cast<double>(per_line);
      for (size_t k = 0; k < per_line && line * per_line + k < charts.size(); ++k) {
        const Chart& chart = *charts[line * per_line + k];
        if (!pdf_) continue;
        const ChartData d = *chart_data(table, chart);
        const double cx = x0 + cw * static_cast<double>(k);
        if (chart.kind == ChartKind::kPie) {
          draw_pie_chart(*pdf_, cx + 4, y_, cw - 8, kChartHeight - 10, chart, d);
        } else {
          draw_axes_chart(*pdf_, cx + 4, y_, cw - 8, kChartHeight - 10, chart, d);
        }
      }
      y_ += kChartHeight;
    }
    header_row(table, layout);
    if (table.rows.empty()) {
      if (pdf_)
        pdf_->text(x0 + 2, y_ + 2, width, "No rows.", kRowFont, false, Align::kLeft, kMuted);
      y_ += kRowHeight;
    }
    size_t stripe = 0;
    for (const auto& row : table.rows) {
      if (y_ + kRowHeight > bottom()) {
        new_page(layout.page);
        if (pdf_) {
          pdf_->text(x0, y_, width, table.title + " (continued)", 9, true, Align::kLeft, kMuted);
        }
        y_ += 14;
        header_row(table, layout);
        stripe = 0;
      }
      if (pdf_) draw_row(table, layout, row, false, (stripe++ % 2) == 1);
      y_ += kRowHeight;
      if (progress) progress->step();
    }
    if (!table.totals.empty()) {
      if (y_ + kRowHeight > bottom()) {
        new_page(layout.page);
        header_row(table, layout);
      }
      if (pdf_) {
        pdf_->line(x0, y_, x0 + width, y_, 0.8);
        draw_row(table, layout, table.totals, true, false);
      }
      y_ += kRowHeight;
    }
    y_ += 14;
  }

  void header_row(const Table& table, const TableLayout& layout) {
    if (pdf_) {
      const double width = size_.width - 2 * kMargin;
      pdf_->fill_rect(kMargin, y_, width, kHeaderRowHeight, kHeaderFill);
      double x = kMargin;
      for (size_t i = 0; i < table.columns.size(); ++i) {
        const Column& c = table.columns[i];
        pdf_->text(x + 3, y_ + 3, layout.widths[i] - 6, pdf_label(c), kRowFont, true,
                   is_numeric(c.type) ? Align::kRight : Align::kLeft);
        x += layout.widths[i];
      }
    }
    y_ += kHeaderRowHeight;
  }

  void draw_row(const Table& table, const TableLayout& layout, const std::vector<Cell>& row,
                bool bold, bool striped) {
    const double width = size_.width - 2 * kMargin;
    if (striped) pdf_->fill_rect(kMargin, y_, width, kRowHeight, kStripe);
    double x = kMargin;
    for (size_t i = 0; i < table.columns.size(); ++i) {
      const Column& c = table.columns[i];
      std::string text = i < row.size() ? pdf_text(c, row[i]) : "";
      if (bold && i == 0 && text.empty()) text = "Total";
      if (!text.empty()) {
        pdf_->text(x + 3, y_ + 1.5, layout.widths[i] - 6, text, kRowFont, bold,
                   is_numeric(c.type) ? Align::kRight : Align::kLeft);
      }
      x += layout.widths[i];
    }
  }

  const Refs& reports_;
  const ExportOptions& options_;
  PdfCanvas* pdf_ = nullptr;
  const Report* report_ = nullptr;
  int page_ = 0;
  int total_pages_ = 0;
  PageSize size_;
  PageSize first_page_;
  double y_ = 0;
};

void write_pdf(const Refs& reports, const std::string& path, const ExportOptions& options) {
  PdfReportWriter(reports, options).write(path);
}

const char* extension(ExportFormat format) {
  switch (format) {
    case ExportFormat::kCsv:
      return "csv";
    case ExportFormat::kXlsx:
      return "xlsx";
    case ExportFormat::kPdf:
      return "pdf";
  }
  return "bin";
}

}  // namespace

ExportFormat parse_export_format(std::string_view name, std::string_view field) {
  if (name == "csv") return ExportFormat::kCsv;
  if (name == "xlsx") return ExportFormat::kXlsx;
  if (name == "pdf") return ExportFormat::kPdf;
  throw Error(
      ErrorCode::kExportFormatUnsupported,
      std::string(field) + " must be csv, xlsx or pdf, not " + std::string(name.substr(0, 20)),
      std::string(field));
}

const char* format_name(ExportFormat format) {
  return extension(format);
}

const char* content_type(ExportFormat format) {
  switch (format) {
    case ExportFormat::kCsv:
      return "text/csv; charset=utf-8";
    case ExportFormat::kXlsx:
      return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    case ExportFormat::kPdf:
      return "application/pdf";
  }
  return "application/octet-stream";
}

std::string plain_decimal(int64_t units, int scale) {
  auto [whole, frac] = split_digits(units, scale);
  std::string s = units < 0 ? "-" : "";
  s += whole;
  if (scale > 0) s += "." + frac;
  return s;
}

std::string indian_grouped(int64_t units, int scale) {
  auto [whole, frac] = split_digits(units, scale);
  // The last three digits, then groups of two: 1,23,45,678.
  std::string grouped;
  const size_t n = whole.size();
  for (size_t i = 0; i < n; ++i) {
    grouped += whole[i];
    const size_t left = n - 1 - i;  // digits after this one
    if (left > 0 && (left == 3 || (left > 3 && (left - 3) % 2 == 0))) grouped += ',';
  }
  std::string s = units < 0 ? "-" : "";
  s += grouped;
  if (scale > 0) s += "." + frac;
  return s;
}

std::string export_filename(std::string_view report_name, std::string_view suffix,
                            ExportFormat format) {
  std::string name;
  for (char ch : std::string(report_name) + (suffix.empty() ? "" : "-" + std::string(suffix))) {
    const bool ok =
        (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9');
    name += ok ? ch : '-';
  }
  if (name.empty()) name = "report";
  return name + "." + extension(format);
}

PartialFile::PartialFile(std::string path) : path_(std::move(path)) {
  temp_ = path_ + ".part-" + std::to_string(::getpid()) + "-" +
          std::to_string(reinterpret_cast<uintptr_t>(this) & 0xffffff);
}

PartialFile::~PartialFile() {
  if (!committed_) std::remove(temp_.c_str());
}

void PartialFile::commit() {
  std::error_code ec;
  std::filesystem::rename(temp_, path_, ec);
  if (ec) throw Error(ErrorCode::kStorage, "cannot write " + path_ + ": " + ec.message());
  committed_ = true;
}

std::string read_whole_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error(ErrorCode::kStorage, "cannot read " + path);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string temporary_path(std::string_view suffix) {
  std::string pattern =
      (std::filesystem::temp_directory_path() / "dms-export-XXXXXX").string() + std::string(suffix);
  const int fd = ::mkstemps(pattern.data(), static_cast<int>(suffix.size()));
  if (fd < 0) throw Error(ErrorCode::kStorage, "cannot create a temporary file");
  ::close(fd);
  return pattern;
}

namespace {

void export_refs(const Refs& reports, ExportFormat format, const std::string& path,
                 const ExportOptions& options) {
  PartialFile file(path);
  switch (format) {
    case ExportFormat::kCsv:
      write_csv(reports, file.temp_path(), options);
      break;
    case ExportFormat::kXlsx:
      write_xlsx(reports, file.temp_path(), options);
      break;
    case ExportFormat::kPdf:
      write_pdf(reports, file.temp_path(), options);
      break;
  }
  file.commit();
}

std::string refs_to_bytes(const Refs& reports, ExportFormat format, const ExportOptions& options) {
  const std::string path = temporary_path(std::string(".") + extension(format));
  struct Remove {
    const std::string& p;
    ~Remove() { std::remove(p.c_str()); }
  } remove{path};
  export_refs(reports, format, path, options);
  return read_whole_file(path);
}

Refs refs_of(const std::vector<Report>& reports) {
  Refs refs;
  for (const Report& r : reports) refs.push_back(&r);
  return refs;
}

}  // namespace

void export_to_file(const std::vector<Report>& reports, ExportFormat format,
                    const std::string& path, const ExportOptions& options) {
  export_refs(refs_of(reports), format, path, options);
}

void export_to_file(const Report& report, ExportFormat format, const std::string& path,
                    const ExportOptions& options) {
  export_refs({&report}, format, path, options);
}

std::string export_to_bytes(const std::vector<Report>& reports, ExportFormat format,
                            const ExportOptions& options) {
  return refs_to_bytes(refs_of(reports), format, options);
}

std::string export_to_bytes(const Report& report, ExportFormat format,
                            const ExportOptions& options) {
  return refs_to_bytes({&report}, format, options);
}

}  // namespace dms::reports
