// The scheduled jobs' schedule text (src/jobs/jobs.hpp): the three forms, bad text, and the next
// slot in the job's time zone (India, UTC+05:30, unless told otherwise).
#include <catch2/catch.hpp>
#include <string>

#include "dms/error.hpp"
#include "jobs/jobs.hpp"

using dms::ErrorCode;
using dms::Timestamp;
using dms::jobs::Schedule;

namespace {

std::string next(const char* schedule, const char* after, int offset = 330) {
  return Schedule::parse(schedule).next_after(Timestamp::parse(after), offset).to_string();
}

ErrorCode code_of(const char* text) {
  try {
    Schedule::parse(text);
  } catch (const dms::Error& e) {
    CHECK(e.field() == "schedule");
    return e.code();
  }
  return ErrorCode::kOk;
}

}  // namespace

TEST_CASE("jobs: schedule forms parse and print canonically") {
  CHECK(Schedule::parse("every 15 minutes").to_string() == "every 15 minutes");
  CHECK(Schedule::parse("  Every 1 minute ").to_string() == "every 1 minutes");
  CHECK(Schedule::parse("daily at 09:00").to_string() == "daily at 09:00");
  CHECK(Schedule::parse("monthly on day 31 at 23:59").to_string() == "monthly on day 31 at 23:59");
  CHECK(Schedule::parse("monthly on day 1").to_string() == "monthly on day 1 at 00:00");
  for (const char* bad :
       {"", "every 0 minutes", "every 1441 minutes", "every x minutes", "daily at 24:00",
        "daily at 9:00", "daily 09:00", "monthly on day 0", "monthly on day 32 at 10:00",
        "monthly on day 5 at 10:60", "hourly", "daily at 09:00 extra"}) {
    INFO(bad);
    CHECK(code_of(bad) == ErrorCode::kValidation);
  }
}

TEST_CASE("jobs: the next slot is strictly after, in the job's time zone") {
  // 09:00 IST is 03:30 UTC.
  CHECK(next("daily at 09:00", "2025-06-02T03:29:59Z") == "2025-06-02T03:30:00Z");
  CHECK(next("daily at 09:00", "2025-06-02T03:30:00Z") == "2025-06-03T03:30:00Z");
  CHECK(next("daily at 00:30", "2025-06-02T18:59:00Z") == "2025-06-02T19:00:00Z");  // 00:30 IST
  CHECK(next("daily at 09:00", "2025-06-02T03:30:00Z", 0) == "2025-06-02T09:00:00Z");
  // Every N minutes: aligned to local midnight, restarting there.
  CHECK(next("every 15 minutes", "2025-06-02T03:31:00Z") == "2025-06-02T03:45:00Z");
  CHECK(next("every 15 minutes", "2025-06-02T03:45:00Z") == "2025-06-02T04:00:00Z");
  CHECK(next("every 7 minutes", "2025-06-02T18:29:00Z") == "2025-06-02T18:30:00Z");  // midnight
  // Monthly: a short month runs on its last day; December rolls over.
  CHECK(next("monthly on day 31 at 10:00", "2025-02-01T00:00:00Z") == "2025-02-28T04:30:00Z");
  CHECK(next("monthly on day 31 at 10:00", "2025-02-28T04:30:00Z") == "2025-03-31T04:30:00Z");
  CHECK(next("monthly on day 1 at 00:00", "2025-12-15T00:00:00Z") == "2025-12-31T18:30:00Z");
  CHECK(next("monthly on day 29 at 00:00", "2024-02-01T00:00:00Z") == "2024-02-28T18:30:00Z");
}
