// Time: UTC timestamps, calendar dates, the Indian financial year, and an injectable clock.
//
// Timestamp is microseconds since the Unix epoch, always UTC. Date is a proleptic Gregorian
// calendar day with no time zone; business_date() turns a timestamp into the local date of a
// business (India is UTC+05:30). Services read the time only through a Clock, so tests inject a
// ManualClock.
//
// Thread-safety: Timestamp, Date and FinancialYear are values. SystemClock is stateless;
// ManualClock may be read and moved from several threads.
#pragma once

#include <atomic>
#include <cstdint>
#include <string>
#include <string_view>

namespace dms {

inline constexpr int kIndiaUtcOffsetMinutes = 330;

class Date {
 public:
  constexpr Date() = default;  // 1970-01-01
  // Error(kValidation) naming `field` for an impossible date.
  static Date from_ymd(int year, int month, int day, std::string_view field = "date");
  // "YYYY-MM-DD" exactly; Error(kValidation) naming `field` otherwise.
  static Date parse(std::string_view text, std::string_view field = "date");
  static constexpr Date from_days_since_epoch(int32_t days) { return Date(days); }

  int year() const;
  int month() const;  // 1-12
  int day() const;    // 1-31
  constexpr int32_t days_since_epoch() const noexcept { return days_; }
  Date plus_days(int32_t days) const { return Date(days_ + days); }
  std::string to_string() const;  // "2025-03-31"

  friend constexpr bool operator==(Date a, Date b) { return a.days_ == b.days_; }
  friend constexpr bool operator!=(Date a, Date b) { return a.days_ != b.days_; }
  friend constexpr bool operator<(Date a, Date b) { return a.days_ < b.days_; }
  friend constexpr bool operator<=(Date a, Date b) { return a.days_ <= b.days_; }
  friend constexpr bool operator>(Date a, Date b) { return a.days_ > b.days_; }
  friend constexpr bool operator>=(Date a, Date b) { return a.days_ >= b.days_; }

 private:
  constexpr explicit Date(int32_t days) : days_(days) {}
  int32_t days_ = 0;
};

class Timestamp {
 public:
  constexpr Timestamp() = default;  // the epoch
  static constexpr Timestamp from_unix_micros(int64_t micros) { return Timestamp(micros); }
  static constexpr Timestamp from_unix_seconds(int64_t seconds) {
    return Timestamp(seconds * 1000000);
  }
  // Midnight UTC of a date.
  static Timestamp start_of(Date date);
  // RFC 3339 ("2025-12-20T10:00:00Z", "2025-12-20T15:30:00.25+05:30") or a bare date
  // ("2025-12-20", midnight UTC). Error(kValidation) naming `field` otherwise.
  static Timestamp parse(std::string_view text, std::string_view field = "timestamp");

  constexpr int64_t unix_micros() const noexcept { return micros_; }
  constexpr int64_t unix_seconds() const noexcept {
    return micros_ >= 0 ? micros_ / 1000000 : -((-micros_ + 999999) / 1000000);
  }
  constexpr Timestamp plus_seconds(int64_t s) const { return Timestamp(micros_ + s * 1000000); }
  constexpr Timestamp plus_micros(int64_t us) const { return Timestamp(micros_ + us); }

  // RFC 3339 in UTC; fractional seconds only when non-zero (microsecond precision).
  std::string to_string() const;
  // The calendar date at UTC plus `utc_offset_minutes`.
  Date business_date(int utc_offset_minutes = kIndiaUtcOffsetMinutes) const;
  Date utc_date() const { return business_date(0); }

  friend constexpr bool operator==(Timestamp a, Timestamp b) { return a.micros_ == b.micros_; }
  friend constexpr bool operator!=(Timestamp a, Timestamp b) { return a.micros_ != b.micros_; }
  friend constexpr bool operator<(Timestamp a, Timestamp b) { return a.micros_ < b.micros_; }
  friend constexpr bool operator<=(Timestamp a, Timestamp b) { return a.micros_ <= b.micros_; }
  friend constexpr bool operator>(Timestamp a, Timestamp b) { return a.micros_ > b.micros_; }
  friend constexpr bool operator>=(Timestamp a, Timestamp b) { return a.micros_ >= b.micros_; }

 private:
  constexpr explicit Timestamp(int64_t micros) : micros_(micros) {}
  int64_t micros_ = 0;
};

// The Indian financial year, 1 April to 31 March. FY 2024-25 has start_year 2024.
class FinancialYear {
 public:
  static FinancialYear of(Date date);
  static constexpr FinancialYear starting(int start_year) { return FinancialYear(start_year); }

  constexpr int start_year() const noexcept { return start_year_; }
  Date first_day() const;
  Date last_day() const;
  std::string label() const;       // "2024-25"
  std::string short_code() const;  // "2425", for document numbers

  friend constexpr bool operator==(FinancialYear a, FinancialYear b) {
    return a.start_year_ == b.start_year_;
  }
  friend constexpr bool operator!=(FinancialYear a, FinancialYear b) { return !(a == b); }

 private:
  constexpr explicit FinancialYear(int start_year) : start_year_(start_year) {}
  int start_year_;
};

// The source of "now" for every service call.
class Clock {
 public:
  virtual ~Clock() = default;
  virtual Timestamp now() const = 0;
  // The process-wide real clock.
  static const Clock& system();
};

// A clock that only moves when told to: for tests (token expiry, financial-year rollover).
class ManualClock final : public Clock {
 public:
  explicit ManualClock(Timestamp start) : micros_(start.unix_micros()) {}
  Timestamp now() const override { return Timestamp::from_unix_micros(micros_.load()); }
  void set(Timestamp t) { micros_.store(t.unix_micros()); }
  void advance_seconds(int64_t seconds) { micros_.fetch_add(seconds * 1000000); }

 private:
  std::atomic<int64_t> micros_;
};

}  // namespace dms
