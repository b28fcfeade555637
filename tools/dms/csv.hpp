// An RFC 4180 CSV reader for the importer: comma-separated fields, optional double quotes
// around a field ("" inside quotes is one quote; quoted fields may hold commas and line breaks),
// CRLF or LF line ends, a UTF-8 byte order mark before the header ignored. Each record knows the
// line it starts on, so a report can name it.
//
// Thread-safety: a CsvReader is used by one thread.
#pragma once

#include <cstdint>
#include <istream>
#include <optional>
#include <string>
#include <vector>

namespace dms::cli {

struct CsvRecord {
  int64_t line = 0;  // the 1-based line the record starts on
  std::vector<std::string> fields;
};

// Thrown for text that is not CSV (a quote inside an unquoted field, an unterminated quote).
struct CsvError {
  int64_t line;
  std::string message;
};

class CsvReader {
 public:
  explicit CsvReader(std::istream& in) : in_(in) {}
  // The next record, or nullopt at the end. Blank lines are skipped. Throws CsvError; after a
  // malformed record (not after an unclosed quote) reading resumes at the next line.
  std::optional<CsvRecord> next();
  // Bytes consumed so far (for progress over a file of known size).
  int64_t bytes_read() const { return bytes_; }

 private:
  int get();
  void skip_line();
  std::istream& in_;
  int64_t line_ = 1;
  int64_t bytes_ = 0;
  bool started_ = false;
};

// One field as RFC 4180 writes it: quoted when it holds a comma, quote or line break.
std::string csv_escape(const std::string& field);

}  // namespace dms::cli
