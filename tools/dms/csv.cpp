#include "csv.hpp"

namespace dms::cli {

int CsvReader::get() {
  const int c = in_.get();
  if (c != std::char_traits<char>::eof()) ++bytes_;
  return c;
}

// After a malformed record: resume at the next line.
void CsvReader::skip_line() {
  for (int c = get(); c != std::char_traits<char>::eof(); c = get()) {
    if (c == '\n') {
      ++line_;
      return;
    }
  }
}

std::optional<CsvRecord> CsvReader::next() {
  constexpr int kEof = std::char_traits<char>::eof();
  if (!started_) {
    started_ = true;
    // A UTF-8 byte order mark (spreadsheets write one) is not part of the first field.
    if (in_.peek() == 0xEF) {
      char bom[3];
      in_.read(bom, 3);
      if (in_.gcount() == 3 && static_cast<unsigned char>(bom[1]) == 0xBB &&
          static_cast<unsigned char>(bom[2]) == 0xBF) {
        bytes_ += 3;
      } else {
        in_.clear();
        for (std::streamsize i = in_.gcount(); i > 0; --i) in_.unget();
      }
    }
  }
  for (;;) {
    CsvRecord record;
    record.line = line_;
    std::string field;
    bool quoted = false;      // inside a quoted field
    bool was_quoted = false;  // the current field began with a quote
    bool any = false;         // the record has any character
    for (;;) {
      int c = get();
      if (quoted) {
        if (c == kEof) throw CsvError{record.line, "a quoted field is not closed"};
        if (c == '"') {
          if (in_.peek() == '"') {
            get();
            field.push_back('"');
          } else {
            quoted = false;
          }
          continue;
        }
        if (c == '\n') ++line_;
        field.push_back(static_cast<char>(c));
        continue;
      }
      if (c == kEof) {
        if (!any) return std::nullopt;
        record.fields.push_back(std::move(field));
        return record;
      }
      if (c == '\r' && in_.peek() == '\n') continue;  // CRLF: the LF ends the record
      if (c == '\n') {
        ++line_;
        if (!any) break;  // a blank line
        record.fields.push_back(std::move(field));
        return record;
      }
      any = true;
      if (c == ',') {
        record.fields.push_back(std::move(field));
        field.clear();
        was_quoted = false;
        continue;
      }
      if (c == '"') {
        if (!field.empty() || was_quoted) {
          skip_line();
          throw CsvError{record.line,
                         "a quote inside an unquoted field (quote the field, double the quote)"};
        }
        quoted = true;
        was_quoted = true;
        continue;
      }
      if (was_quoted) {
        skip_line();
        throw CsvError{record.line, "text after a closing quote"};
      }
      field.push_back(static_cast<char>(c));
    }
  }
}

std::string csv_escape(const std::string& field) {
  if (field.find_first_of(",\"\r\n") == std::string::npos) return field;
  std::string out = "\"";
  for (char c : field) {
    if (c == '"') out.push_back('"');
    out.push_back(c);
  }
  out.push_back('"');
  return out;
}

}  // namespace dms::cli
