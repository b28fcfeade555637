// Schedule text of the scheduled jobs (src/jobs/jobs.hpp): parsing and the next slot.
#include <sstream>
#include <string>
#include <vector>

#include "dms/error.hpp"
#include "jobs/jobs.hpp"

namespace dms::jobs {
namespace {

constexpr int64_t kMinute = int64_t{60} * 1000000;
constexpr int64_t kDay = 24 * 60 * kMinute;

std::vector<std::string> words(std::string_view text) {
  std::vector<std::string> out;
  std::istringstream in{std::string(text)};
  for (std::string w; in >> w;) {
    for (char& c : w) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    out.push_back(w);
  }
  return out;
}

bool number(const std::string& w, int lo, int hi, int& out) {
  if (w.empty() || w.size() > 4) return false;
  int v = 0;
  for (char c : w) {
    if (c < '0' || c > '9') return false;
    v = v * 10 + (c - '0');
  }
  if (v < lo || v > hi) return false;
  out = v;
  return true;
}

bool time_of_day(const std::string& w, int& hour, int& minute) {
  return w.size() == 5 && w[2] == ':' && number(w.substr(0, 2), 0, 23, hour) &&
         number(w.substr(3, 2), 0, 59, minute);
}

int days_in_month(int year, int month) {
  const Date first_next =
      month == 12 ? Date::from_ymd(year + 1, 1, 1) : Date::from_ymd(year, month + 1, 1);
  return first_next.plus_days(-1).day();
}

// Midnight of the local date `d`, as UTC.
Timestamp local_midnight(Date d, int offset) {
  return Timestamp::start_of(d).plus_seconds(-int64_t{offset} * 60);
}

std::string two(int v) {
  return (v < 10 ? "0" : "") + std::to_string(v);
}

}  // namespace

Schedule Schedule::parse(std::string_view text, std::string_view field) {
  const std::vector<std::string> w = words(text);
  Schedule s;
  const auto bad = [&] {
    return Error::Validation(
        std::string(field),
        std::string(field) +
            " must be \"every N minutes\" (N 1-1440), \"daily at HH:MM\" or \"monthly on "
            "day D at HH:MM\" (D 1-31)");
  };
  if (w.size() == 3 && w[0] == "every" && (w[2] == "minutes" || w[2] == "minute")) {
    s.kind = Kind::kEveryMinutes;
    if (!number(w[1], 1, 1440, s.minutes)) throw bad();
    return s;
  }
  if (w.size() == 3 && w[0] == "daily" && w[1] == "at") {
    s.kind = Kind::kDaily;
    if (!time_of_day(w[2], s.hour, s.minute)) throw bad();
    return s;
  }
  if ((w.size() == 4 || w.size() == 6) && w[0] == "monthly" && w[1] == "on" && w[2] == "day") {
    s.kind = Kind::kMonthly;
    if (!number(w[3], 1, 31, s.day)) throw bad();
    if (w.size() == 6 && (w[4] != "at" || !time_of_day(w[5], s.hour, s.minute))) throw bad();
    return s;
  }
  throw bad();
}

std::string Schedule::to_string() const {
  switch (kind) {
    case Kind::kEveryMinutes:
      return "every " + std::to_string(minutes) + " minutes";
    case Kind::kDaily:
      return "daily at " + two(hour) + ":" + two(minute);
    case Kind::kMonthly:
      return "monthly on day " + std::to_string(day) + " at " + two(hour) + ":" + two(minute);
  }
  return {};
}

Timestamp Schedule::next_after(Timestamp t, int offset) const {
  const Date today = t.business_date(offset);
  const int64_t at = (int64_t{hour} * 60 + minute) * kMinute;
  switch (kind) {
    case Kind::kEveryMinutes: {
      const Timestamp base = local_midnight(today, offset);
      const int64_t period = int64_t{minutes} * kMinute;
      const int64_t elapsed = t.unix_micros() - base.unix_micros();
      const int64_t next = (elapsed / period + 1) * period;
      return base.plus_micros(next < kDay ? next : kDay);
    }
    case Kind::kDaily: {
      for (int32_t d = 0;; ++d) {
        const Timestamp slot = local_midnight(today.plus_days(d), offset).plus_micros(at);
        if (slot > t) return slot;
      }
    }
    case Kind::kMonthly: {
      int year = today.year();
      int month = today.month();
      for (;;) {
        const int dom = std::min(day, days_in_month(year, month));
        const Timestamp slot =
            local_midnight(Date::from_ymd(year, month, dom), offset).plus_micros(at);
        if (slot > t) return slot;
        if (++month == 13) {
          month = 1;
          ++year;
        }
      }
    }
  }
  return t;
}

}  // namespace dms::jobs
