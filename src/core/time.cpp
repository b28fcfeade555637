#include "dms/time.hpp"

#include <boost/date_time/gregorian/gregorian.hpp>

#include <chrono>
#include <cstdio>

#include "dms/error.hpp"

namespace dms {
namespace {

namespace greg = boost::gregorian;

const greg::date& epoch() {
  static const greg::date kEpoch(1970, 1, 1);
  return kEpoch;
}

greg::date to_boost(Date d) {
  return epoch() + greg::days(d.days_since_epoch());
}

Date from_boost(const greg::date& d) {
  return Date::from_days_since_epoch(static_cast<int32_t>((d - epoch()).days()));
}

int64_t floor_div(int64_t a, int64_t b) {
  return a / b - ((a % b != 0) && ((a < 0) != (b < 0)));
}

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

// Reads `count` digits at text[pos]; returns -1 if they are not all digits.
int read_digits(std::string_view text, size_t pos, size_t count) {
  if (pos + count > text.size()) return -1;
  int v = 0;
  for (size_t i = pos; i < pos + count; ++i) {
    if (!is_digit(text[i])) return -1;
    v = v * 10 + (text[i] - '0');
  }
  return v;
}

// The civil (proleptic Gregorian) date of a day count since 1970-01-01, by whole 400-year eras
// (146097 days) from 0000-03-01, so that a year's leap day comes last.
struct Civil {
  int year;
  int month;
  int day;
};
Civil civil_of(int64_t days) {
  const int64_t z = days + 719468;  // days since 0000-03-01
  const int64_t era = floor_div(z, 146097);
  const int64_t doe = z - era * 146097;                                       // [0, 146096]
  const int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;  // [0, 399]
  const int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);                // [0, 365]
  const int64_t mp = (5 * doy + 2) / 153;                                     // March = 0
  const int day = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
  const int month = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  return {static_cast<int>(yoe + era * 400 + (month <= 2)), month, day};
}

// Writes `value` as exactly `width` decimal digits at `out` (value in range).
char* put_digits(char* out, int value, int width) {
  for (int i = width - 1; i >= 0; --i) {
    out[i] = static_cast<char>('0' + value % 10);
    value /= 10;
  }
  return out + width;
}

// "YYYY-MM-DD" at `out` (10 characters; years 0-9999).
char* put_date(char* out, const Civil& c) {
  out = put_digits(out, c.year, 4);
  *out++ = '-';
  out = put_digits(out, c.month, 2);
  *out++ = '-';
  return put_digits(out, c.day, 2);
}

class SystemClock final : public Clock {
 public:
  Timestamp now() const override {
    using namespace std::chrono;
    return Timestamp::from_unix_micros(
        duration_cast<microseconds>(system_clock::now().time_since_epoch()).count());
  }
};

}  // namespace

Date Date::from_ymd(int year, int month, int day, std::string_view field) {
  try {
    return from_boost(greg::date(static_cast<unsigned short>(year),
                                 static_cast<unsigned short>(month),
                                 static_cast<unsigned short>(day)));
  } catch (const std::exception&) {
    throw Error::Validation(std::string(field), std::string(field) + ": " + std::to_string(year) +
                                                    "-" + std::to_string(month) + "-" +
                                                    std::to_string(day) + " is not a valid date");
  }
}

Date Date::parse(std::string_view text, std::string_view field) {
  const int y = read_digits(text, 0, 4), m = read_digits(text, 5, 2), d = read_digits(text, 8, 2);
  if (text.size() != 10 || text[4] != '-' || text[7] != '-' || y < 1900 || m < 0 || d < 0) {
    throw Error::Validation(std::string(field), std::string(field) + ": '" +
                                                    std::string(text.substr(0, 40)) +
                                                    "' is not a YYYY-MM-DD date");
  }
  return from_ymd(y, m, d, field);
}

int Date::year() const {
  return to_boost(*this).year();
}
int Date::month() const {
  return to_boost(*this).month();
}
int Date::day() const {
  return to_boost(*this).day();
}

std::string Date::to_string() const {
  const Civil c = civil_of(days_);
  if (c.year < 0 || c.year > 9999) {
    char buf[24];
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", c.year, c.month, c.day);
    return buf;
  }
  char buf[10];
  return std::string(buf, put_date(buf, c));
}

Timestamp Timestamp::start_of(Date date) {
  return Timestamp(int64_t(date.days_since_epoch()) * 86400 * 1000000);
}

Timestamp Timestamp::parse(std::string_view text, std::string_view field) {
  auto invalid = [&] {
    return Error::Validation(std::string(field), std::string(field) + ": '" +
                                                     std::string(text.substr(0, 40)) +
                                                     "' is not an RFC 3339 timestamp");
  };
  if (text.size() < 10) throw invalid();
  const Date date = Date::parse(text.substr(0, 10), field);
  if (text.size() == 10) return start_of(date);
  if (text[10] != 'T' && text[10] != 't' && text[10] != ' ') throw invalid();
  const int hh = read_digits(text, 11, 2), mi = read_digits(text, 14, 2),
            ss = read_digits(text, 17, 2);
  if (hh < 0 || mi < 0 || ss < 0 || text[13] != ':' || text[16] != ':' || hh > 23 || mi > 59 ||
      ss > 60) {
    throw invalid();
  }
  size_t pos = 19;
  int64_t micros = 0;
  if (pos < text.size() && text[pos] == '.') {
    ++pos;
    int digits = 0;
    while (pos < text.size() && is_digit(text[pos])) {
      if (digits < 6) micros = micros * 10 + (text[pos] - '0');
      ++digits;
      ++pos;
    }
    if (digits == 0) throw invalid();
    for (int i = digits; i < 6; ++i) micros *= 10;
  }
  int offset_minutes = 0;
  if (pos < text.size() && (text[pos] == 'Z' || text[pos] == 'z')) {
    ++pos;
  } else if (pos < text.size() && (text[pos] == '+' || text[pos] == '-')) {
    const int oh = read_digits(text, pos + 1, 2), om = read_digits(text, pos + 4, 2);
    if (oh < 0 || om < 0 || pos + 3 >= text.size() || text[pos + 3] != ':' || oh > 23 || om > 59) {
      throw invalid();
    }
    offset_minutes = (oh * 60 + om) * (text[pos] == '-' ? -1 : 1);
    pos += 6;
  } else {
    throw invalid();
  }
  if (pos != text.size()) throw invalid();
  const int64_t seconds = int64_t(date.days_since_epoch()) * 86400 + hh * 3600 + mi * 60 + ss -
                          int64_t(offset_minutes) * 60;
  return Timestamp(seconds * 1000000 + micros);
}

std::string Timestamp::to_string() const {
  const int64_t seconds = floor_div(micros_, 1000000);
  const int64_t frac = micros_ - seconds * 1000000;
  const int64_t days = floor_div(seconds, 86400);
  const int64_t rem = seconds - days * 86400;
  const Civil c = civil_of(days);
  if (c.year < 0 || c.year > 9999) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d", c.year, c.month, c.day,
                  int(rem / 3600), int(rem / 60 % 60), int(rem % 60));
    std::string out = buf;
    if (frac != 0) {
      std::snprintf(buf, sizeof buf, ".%06d", int(frac));
      out += buf;
    }
    return out + "Z";
  }
  char buf[32];  // YYYY-MM-DDTHH:MM:SS.ffffffZ
  char* out = put_date(buf, c);
  *out++ = 'T';
  out = put_digits(out, static_cast<int>(rem / 3600), 2);
  *out++ = ':';
  out = put_digits(out, static_cast<int>(rem / 60 % 60), 2);
  *out++ = ':';
  out = put_digits(out, static_cast<int>(rem % 60), 2);
  if (frac != 0) {
    *out++ = '.';
    out = put_digits(out, static_cast<int>(frac), 6);
  }
  *out++ = 'Z';
  return std::string(buf, out);
}

Date Timestamp::business_date(int utc_offset_minutes) const {
  const int64_t local_seconds = floor_div(micros_, 1000000) + int64_t(utc_offset_minutes) * 60;
  return Date::from_days_since_epoch(static_cast<int32_t>(floor_div(local_seconds, 86400)));
}

FinancialYear FinancialYear::of(Date date) {
  return FinancialYear(date.month() >= 4 ? date.year() : date.year() - 1);
}

Date FinancialYear::first_day() const {
  return Date::from_ymd(start_year_, 4, 1);
}
Date FinancialYear::last_day() const {
  return Date::from_ymd(start_year_ + 1, 3, 31);
}

std::string FinancialYear::label() const {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02d", start_year_, (start_year_ + 1) % 100);
  return buf;
}

std::string FinancialYear::short_code() const {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%02d%02d", start_year_ % 100, (start_year_ + 1) % 100);
  return buf;
}

const Clock& Clock::system() {
  static const SystemClock kClock;
  return kClock;
}

}  // namespace dms
