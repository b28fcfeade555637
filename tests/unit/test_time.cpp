#include <catch2/catch.hpp>

#include <cstdio>

#include "dms/error.hpp"
#include "dms/time.hpp"

using dms::Date;
using dms::FinancialYear;
using dms::Timestamp;

TEST_CASE("financial year boundaries") {
  CHECK(FinancialYear::of(Date::parse("2025-03-31")).label() == "2024-25");
  CHECK(FinancialYear::of(Date::parse("2025-04-01")).label() == "2025-26");
  CHECK(FinancialYear::of(Date::parse("2025-04-01")).short_code() == "2526");
  CHECK(FinancialYear::of(Date::parse("2000-01-01")).label() == "1999-00");
  CHECK(FinancialYear::starting(2024).first_day() == Date::parse("2024-04-01"));
  CHECK(FinancialYear::starting(2024).last_day() == Date::parse("2025-03-31"));
}

TEST_CASE("dates parse, validate and print") {
  CHECK(Date::parse("2024-02-29").to_string() == "2024-02-29");
  CHECK(Date::parse("1970-01-01").days_since_epoch() == 0);
  CHECK(Date::parse("2025-12-20").plus_days(12).to_string() == "2026-01-01");
  CHECK_THROWS_AS(Date::parse("2025-02-29"), dms::Error);
  CHECK_THROWS_AS(Date::parse("2025-13-01"), dms::Error);
  CHECK_THROWS_AS(Date::parse("2025-1-01"), dms::Error);
  CHECK_THROWS_AS(Date::parse("20250101"), dms::Error);
  try {
    Date::parse("nope", "purchaseDate");
    FAIL("no error");
  } catch (const dms::Error& e) {
    CHECK(e.code() == dms::ErrorCode::kValidation);
    CHECK(e.field() == "purchaseDate");
  }
}

TEST_CASE("timestamps parse RFC 3339 and print UTC") {
  const Timestamp t = Timestamp::parse("2025-12-20T10:00:00Z");
  CHECK(t.to_string() == "2025-12-20T10:00:00Z");
  CHECK(Timestamp::parse("2025-12-20T15:30:00+05:30") == t);
  CHECK(Timestamp::parse("2025-12-20T10:00:00.25Z").to_string() == "2025-12-20T10:00:00.250000Z");
  CHECK(Timestamp::parse("2025-12-20").to_string() == "2025-12-20T00:00:00Z");
  CHECK(Timestamp::from_unix_seconds(-1).to_string() == "1969-12-31T23:59:59Z");
  CHECK_THROWS_AS(Timestamp::parse("2025-12-20T25:00:00Z"), dms::Error);
  CHECK_THROWS_AS(Timestamp::parse("2025-12-20T10:00:00"), dms::Error);
  CHECK_THROWS_AS(Timestamp::parse("2025-12-20T10:00:00Zjunk"), dms::Error);
}

TEST_CASE("business date uses the India offset") {
  // 2025-03-31 20:00 UTC is already 1 April in India: a new financial year there.
  const Timestamp t = Timestamp::parse("2025-03-31T20:00:00Z");
  CHECK(t.utc_date().to_string() == "2025-03-31");
  CHECK(t.business_date().to_string() == "2025-04-01");
  CHECK(FinancialYear::of(t.business_date()).label() == "2025-26");
}

TEST_CASE("manual clock is injectable") {
  dms::ManualClock clock(Timestamp::parse("2025-01-01T00:00:00Z"));
  const dms::Clock& c = clock;
  CHECK(c.now().to_string() == "2025-01-01T00:00:00Z");
  clock.advance_seconds(15 * 60);
  CHECK(c.now().to_string() == "2025-01-01T00:15:00Z");
  CHECK(dms::Clock::system().now() > Timestamp::parse("2026-01-01"));
}

TEST_CASE("Date and Timestamp text agree with the calendar for every day of 1900-2199", "[time]") {
  // year()/month()/day() go through Boost's calendar; to_string has its own day arithmetic.
  const Date first = Date::parse("1900-01-01");
  const Date last = Date::parse("2199-12-31");
  int checked = 0;
  for (Date d = first; d.days_since_epoch() <= last.days_since_epoch(); d = d.plus_days(1)) {
    char expected[16];
    std::snprintf(expected, sizeof expected, "%04d-%02d-%02d", d.year(), d.month(), d.day());
    if (d.to_string() != expected) FAIL("day " << d.days_since_epoch() << ": " << d.to_string());
    ++checked;
  }
  CHECK(checked == 109573);
  CHECK(Timestamp::from_unix_micros(-1).to_string() == "1969-12-31T23:59:59.999999Z");
  CHECK(Timestamp::from_unix_micros(951782400000000).to_string() == "2000-02-29T00:00:00Z");
  CHECK(Timestamp::from_unix_micros(4102444799000001).to_string() == "2099-12-31T23:59:59.000001Z");
  CHECK(Timestamp::parse("1901-03-01T12:34:56.000789Z").to_string() ==
        "1901-03-01T12:34:56.000789Z");
}
