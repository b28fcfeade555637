// Scheduled jobs as data (issue 13, item 5): the `jobs` table holds each job's name, kind,
// schedule, configuration and its last and next run; `job_runs` records every run. A job KIND is
// code, registered statically like a method:
//
//   const jobs::JobRegistration kReminders("payment_reminders", send_payment_reminders,
//                                          check_reminder_config);
//
// and a job ROW (seeded by migration, edited by jobs.Update) says when it runs and with what
// configuration. Kinds of this build: payment_reminders (billing/payment_reminders.cpp),
// low_stock_scan (inventory/purchase_requests.cpp), quotation_expiry (sales/quotations.cpp),
// session_cleanup (identity/session_cleanup.cpp); other modules register theirs the same way
// (exports: monthly_report; complaint escalation once the complaints module exists:
// JobRegistration("complaint_escalation", ...) in that module plus a seeded row).
//
// Schedules (one line of text, in the job's time zone, a fixed UTC offset: India +05:30):
//   "every N minutes"                  N in 1..1440; slots aligned to local midnight
//   "daily at HH:MM"                   once a day
//   "monthly on day D at HH:MM"        D in 1..31 (a shorter month: its last day)
//
// Once per slot, with any number of processes: run_due() claims a due job with
//   UPDATE jobs SET next_run = <next slot> WHERE name = ? AND next_run = <the due slot>
// in the same transaction as the job's work and its job_runs row (UNIQUE (job_name, slot)): a
// second process waits for the row lock and then changes no row (PostgreSQL READ COMMITTED
// re-checks the condition; SQLite serializes writers), so it skips the slot. Each job runs in its
// own transaction: its effects, its run record and the claim commit together or not at all. A job
// that throws rolls back; its failure is then recorded (result "failed" with the error) and the
// slot is passed, so the next slot runs again (the jobs are written as catch-up-safe "as of"
// scans). Missed slots are not replayed: a job due long ago runs once and is scheduled after as_of.
//
// Thread-safety: run_due may be called from any number of threads and processes at once; each
// call uses its own transactions. The registry is filled before main() and only read afterwards.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "dms/context.hpp"
#include "dms/json.hpp"
#include "dms/time.hpp"
#include "storage/store.hpp"

namespace dms::jobs {

// ---- Schedules ---------------------------------------------------------------------------------

struct Schedule {
  enum class Kind { kEveryMinutes, kDaily, kMonthly };
  Kind kind = Kind::kDaily;
  int minutes = 0;  // kEveryMinutes: the period
  int hour = 0;     // kDaily, kMonthly: local time of day
  int minute = 0;
  int day = 1;  // kMonthly: day of the month

  // VALIDATION naming `field` for text that is none of the forms above.
  static Schedule parse(std::string_view text, std::string_view field = "schedule");
  std::string to_string() const;
  // The first slot strictly after `t`, with local time = UTC + utc_offset_minutes.
  Timestamp next_after(Timestamp t, int utc_offset_minutes) const;
};

// ---- Job kinds
// -----------------------------------------------------------------------------------

// What a job's function is given: its row, the slot being run and the as-of time. `ctx` is the
// system context on a clock fixed at as_of, so rows the job writes are stamped as of the run.
struct JobRun {
  std::string name;
  std::string kind;
  Json config;  // the row's configuration (an object)
  Timestamp slot;
  Timestamp as_of;
  int utc_offset_minutes = kIndiaUtcOffsetMinutes;
  const Context* ctx = nullptr;

  // The as-of date in the job's time zone.
  Date local_date() const { return as_of.business_date(utc_offset_minutes); }
};

// The work of one run, inside the run's transaction; returns a summary ({"sent": 3}) recorded on
// the run. Throws to fail the run (everything it wrote is rolled back).
using JobFn = Json (*)(storage::Transaction& tx, const JobRun& run);
// Checks a configuration before jobs.Update stores it: VALIDATION naming "config.<key>".
using ConfigCheck = void (*)(const Json& config);

struct JobRegistration {
  JobRegistration(const char* kind, JobFn fn, ConfigCheck check = nullptr);
};

struct JobKind {
  std::string kind;
  JobFn fn = nullptr;
  ConfigCheck check = nullptr;
};
// The kind registered as `kind`, or nullopt.
std::optional<JobKind> find_kind(std::string_view kind);
std::vector<std::string> kind_names();

// ---- Running -----------------------------------------------------------------------------------

struct RunOutcome {
  std::string run_id;
  std::string job;
  Timestamp slot;
  bool ok = true;
  Json summary;       // the job's summary when ok
  std::string error;  // the error text when not
};

// Runs every enabled job whose next run is at or before `as_of`, each once for its due slot
// (skipping those another process claimed meanwhile); `only` restricts it to one job name.
// Returns the runs this call performed, in name order.
std::vector<RunOutcome> run_due(storage::Store& store, const Clock& clock, Timestamp as_of,
                                const std::optional<std::string>& only = std::nullopt);

// The document of a run (jobs.ListRuns / jobs.RunDue), by id.
Json run_json(storage::Transaction& tx, const std::string& run_id);

}  // namespace dms::jobs
