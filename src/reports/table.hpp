// A report's result: titled tables of typed cells, and the charts drawn from them.
//
// This is the seam between the report engine (which computes figures on the list-query
// machinery) and the exporters (CSV, XLSX, PDF), which render any Report without knowing which
// report it is. Numbers stay exact: a numeric cell holds integer units at its column's scale
// (money in paise at scale 2, quantities and percentages at their own scale), never a double.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace dms::reports {

enum class ColumnType : uint8_t {
  kText,
  kInteger,   // units at scale 0
  kMoney,     // minor units (paise) at the column's scale (2 for INR)
  kDecimal,   // quantities and other exact numbers at the column's scale
  kPercent,   // a percentage at the column's scale: 1250 at scale 2 is 12.50 %
  kDate,      // text "YYYY-MM-DD"
  kDateTime,  // text, RFC 3339 in UTC
};

struct Column {
  std::string key;    // the wire name, camelCase: "revenue"
  std::string label;  // what a person reads: "Revenue"
  ColumnType type = ColumnType::kText;
  int scale = 0;  // digits after the point of numeric columns
};

struct Cell {
  bool null = true;
  int64_t units = 0;  // numeric columns: the value at the column's scale
  std::string text;   // text, date and date-time columns

  static Cell none() { return {}; }
  static Cell number(int64_t units) { return Cell{false, units, {}}; }
  static Cell of_text(std::string text) { return Cell{false, 0, std::move(text)}; }
};

enum class ChartKind : uint8_t { kBar, kLine, kPie };

// A chart of one table: one bar, point or slice per row, labelled by one column, sized by another.
struct Chart {
  ChartKind kind = ChartKind::kBar;
  std::string title;
  std::string label_column;  // a Column::key of the table
  std::string value_column;  // a numeric Column::key of the table
};

struct Table {
  std::string name;   // "revenue_by_period"
  std::string title;  // "Revenue by month"
  std::vector<Column> columns;
  std::vector<std::vector<Cell>> rows;  // each row has one cell per column
  std::vector<Cell> totals;             // empty, or one cell per column (null where no total)
  std::vector<Chart> charts;
};

struct Report {
  std::string name;      // "financial.revenue"
  std::string title;     // "Revenue"
  std::string subtitle;  // scope and period: "Pune Central, 2026-11-01 to 2026-11-30"
  std::string generated_at;  // RFC 3339 UTC
  std::vector<Table> tables;
};

}  // namespace dms::reports
