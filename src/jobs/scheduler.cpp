// The scheduler (src/jobs/jobs.hpp): the jobs and job_runs tables (migrations 450-451), the
// kind registry, run_due, and the methods jobs.List, Get, Update, RunDue, ListRuns (admin:
// jobs:read, jobs:update, jobs:run).
#include <algorithm>
#include <map>
#include <string>
#include <vector>

#include "audit/audit.hpp"
#include "dms/error.hpp"
#include "jobs/jobs.hpp"
#include "service/entity.hpp"
#include "service/request.hpp"
#include "service/rows.hpp"
#include "service/service.hpp"
#include "storage/list_query.hpp"

namespace dms::jobs {
namespace {

using storage::FieldType;
using storage::ListSpec;

// next_run 0: due at once (a seeded job's first run). result: "ok" | "failed".
const storage::MigrationRegistration kJobTables({450, "jobs: scheduled jobs and their runs", R"SQL(
CREATE TABLE jobs (
  name TEXT PRIMARY KEY,
  kind TEXT NOT NULL,
  description TEXT,
  schedule TEXT NOT NULL,
  utc_offset_minutes BIGINT NOT NULL DEFAULT 330,
  config TEXT NOT NULL DEFAULT '{}',
  enabled BIGINT NOT NULL DEFAULT 1,
  next_run BIGINT NOT NULL DEFAULT 0,
  last_run_at BIGINT,
  last_slot BIGINT,
  last_result TEXT,
  last_error TEXT,
  last_run_id TEXT,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE INDEX idx_jobs_due ON jobs(enabled, next_run);
CREATE TABLE job_runs (
  id TEXT PRIMARY KEY,
  job_name TEXT NOT NULL REFERENCES jobs(name),
  kind TEXT NOT NULL,
  slot BIGINT NOT NULL,
  as_of BIGINT NOT NULL,
  started_at BIGINT NOT NULL,
  finished_at BIGINT NOT NULL,
  result TEXT NOT NULL,
  summary TEXT,
  error TEXT,
  UNIQUE (job_name, slot)
);
CREATE INDEX idx_job_runs_started ON job_runs(started_at);
)SQL"});

// The built-in jobs (docs/jobs.md documents each one's configuration). Times are India's.
const storage::MigrationRegistration kBuiltinJobs({451, "jobs: the built-in jobs", R"SQL(
INSERT INTO jobs (name, kind, description, schedule, config, created_at, updated_at) VALUES
  ('payment_reminders', 'payment_reminders', 'Payment reminders for overdue invoices', 'daily at 09:00', '{"daysAfterDue":[1,7,15,30]}', 0, 0),
  ('low_stock_scan', 'low_stock_scan', 'Purchase requests for parts at or below their reorder level', 'daily at 06:00', '{}', 0, 0),
  ('quotation_expiry', 'quotation_expiry', 'Unanswered quotations past validUntil become EXPIRED', 'daily at 00:30', '{}', 0, 0),
  ('session_cleanup', 'session_cleanup', 'Delete expired sessions, refresh tokens and reset codes', 'daily at 03:00', '{"retentionDays":30}', 0, 0);
)SQL"});

std::vector<JobKind>& registry() {
  static std::vector<JobKind> kinds;
  return kinds;
}

const ListSpec& job_spec() {
  static const ListSpec spec = [] {
    constexpr unsigned kFs = storage::kFilter | storage::kSort;
    constexpr unsigned kFsn = kFs | storage::kNullable;
    ListSpec s;
    s.from = "jobs j";
    s.default_sort = "name";
    s.field("id", "j.name", FieldType::kText, kFs)
        .field("name", "j.name", FieldType::kText, kFs | storage::kSearch)
        .field("kind", "j.kind", FieldType::kText, kFs)
        .field("description", "j.description", FieldType::kText, storage::kNullable)
        .field("schedule", "j.schedule", FieldType::kText, 0)
        .field("utcOffsetMinutes", "j.utc_offset_minutes", FieldType::kInt, 0)
        .field("config", "j.config", FieldType::kJsonText, 0)
        .field("enabled", "j.enabled", FieldType::kBool, kFs)
        .field("nextRunAt", "j.next_run", FieldType::kTimestamp, kFs)
        .field("lastRunAt", "j.last_run_at", FieldType::kTimestamp, kFsn)
        .field("lastSlot", "j.last_slot", FieldType::kTimestamp, kFsn)
        .field("lastResult", "j.last_result", FieldType::kText, kFsn)
        .field("lastError", "j.last_error", FieldType::kText, storage::kNullable)
        .field("lastRunId", "j.last_run_id", FieldType::kText, storage::kNullable)
        .field("createdAt", "j.created_at", FieldType::kTimestamp, kFs)
        .field("updatedAt", "j.updated_at", FieldType::kTimestamp, kFs);
    s.tiebreak = "id";
    return s;
  }();
  return spec;
}

const ListSpec& run_spec() {
  static const ListSpec spec = [] {
    constexpr unsigned kFs = storage::kFilter | storage::kSort;
    ListSpec s;
    s.from = "job_runs r";
    s.default_sort = "-startedAt";
    s.field("id", "r.id", FieldType::kText, kFs)
        .field("jobName", "r.job_name", FieldType::kText, kFs)
        .field("kind", "r.kind", FieldType::kText, kFs)
        .field("slot", "r.slot", FieldType::kTimestamp, kFs)
        .field("asOf", "r.as_of", FieldType::kTimestamp, kFs)
        .field("startedAt", "r.started_at", FieldType::kTimestamp, kFs)
        .field("finishedAt", "r.finished_at", FieldType::kTimestamp, kFs)
        .field("result", "r.result", FieldType::kText, kFs)
        .field("summary", "r.summary", FieldType::kJsonText, storage::kNullable)
        .field("error", "r.error", FieldType::kText, storage::kNullable);
    return s;
  }();
  return spec;
}

enum class Claim { kRan, kSkipped };

// The run of one due job in one transaction: the claim, the work and the run row. Returns
// kSkipped when the slot is not (or no longer) this caller's to run.
Claim run_one(storage::Transaction& tx, const Clock& clock, const std::string& name,
              Timestamp as_of, RunOutcome& out) {
  const auto row =
      tx.query_one(std::string("SELECT * FROM jobs WHERE name = ?") + tx.for_update(), {name});
  if (!row || !row->flag("enabled") || row->i64("next_run") > as_of.unix_micros()) {
    return Claim::kSkipped;
  }
  const int64_t due = row->i64("next_run");
  const int offset = static_cast<int>(row->i64("utc_offset_minutes"));
  const Schedule schedule = Schedule::parse(row->str("schedule"));
  const Timestamp next = schedule.next_after(as_of, offset);
  const Timestamp slot = due == 0 ? as_of : Timestamp::from_unix_micros(due);
  const Timestamp started = clock.now();
  if (tx.exec("UPDATE jobs SET next_run = ?, last_run_at = ?, last_slot = ?, updated_at = ? "
              "WHERE name = ? AND next_run = ?",
              {next.unix_micros(), as_of.unix_micros(), slot.unix_micros(), started.unix_micros(),
               name, due}) == 0) {
    return Claim::kSkipped;
  }
  const std::string kind = row->str("kind");
  out.run_id = storage::new_id();
  out.job = name;
  out.slot = slot;
  const auto registered = find_kind(kind);
  if (!registered) {
    throw Error::BusinessRule(
        ErrorCode::kJobKindNotRegistered,
        "job " + name + " has kind " + kind + ", which this build does not implement");
  }
  ManualClock fixed(as_of);
  const Context ctx = Context::system(fixed);
  JobRun run{name, kind, Json::parse(row->str("config")), slot, as_of, offset, &ctx};
  out.summary = registered->fn(tx, run);
  if (!out.summary.is_object()) out.summary = Json::object();
  const Timestamp finished = clock.now();
  tx.exec(
      "INSERT INTO job_runs (id, job_name, kind, slot, as_of, started_at, finished_at, result, "
      "summary) VALUES (?, ?, ?, ?, ?, ?, ?, 'ok', ?)",
      {out.run_id, name, kind, slot.unix_micros(), as_of.unix_micros(), started.unix_micros(),
       finished.unix_micros(), out.summary.dump()});
  tx.exec("UPDATE jobs SET last_result = 'ok', last_error = NULL, last_run_id = ? WHERE name = ?",
          {out.run_id, name});
  return Claim::kRan;
}

// After a failed run rolled back: claims the same slot again and records the failure, so the
// job moves on to its next slot. Nothing when another caller has moved the job meanwhile.
bool record_failure(storage::Transaction& tx, const Clock& clock, const std::string& name,
                    Timestamp as_of, const std::string& error, RunOutcome& out) {
  const auto row =
      tx.query_one(std::string("SELECT * FROM jobs WHERE name = ?") + tx.for_update(), {name});
  if (!row || row->i64("next_run") > as_of.unix_micros()) return false;
  const int64_t due = row->i64("next_run");
  const Timestamp slot = due == 0 ? as_of : Timestamp::from_unix_micros(due);
  const Timestamp next = Schedule::parse(row->str("schedule"))
                             .next_after(as_of, static_cast<int>(row->i64("utc_offset_minutes")));
  const Timestamp now = clock.now();
  if (tx.exec("UPDATE jobs SET next_run = ?, last_run_at = ?, last_slot = ?, updated_at = ?, "
              "last_result = 'failed', last_error = ?, last_run_id = ? WHERE name = ? AND "
              "next_run = ?",
              {next.unix_micros(), as_of.unix_micros(), slot.unix_micros(), now.unix_micros(),
               error, out.run_id, name, due}) == 0) {
    return false;
  }
  tx.exec(
      "INSERT INTO job_runs (id, job_name, kind, slot, as_of, started_at, finished_at, result, "
      "error) VALUES (?, ?, ?, ?, ?, ?, ?, 'failed', ?)",
      {out.run_id, name, row->str("kind"), slot.unix_micros(), as_of.unix_micros(),
       now.unix_micros(), now.unix_micros(), error});
  out.job = name;
  out.slot = slot;
  out.ok = false;
  out.error = error;
  return true;
}

Json job_json(storage::Transaction& tx, const std::string& name) {
  return service::render_entity(tx, job_spec(), name, "job");
}

// ---- Methods -----------------------------------------------------------------------------------

Json list_jobs(Env& env, const Context& ctx, const Json& req) {
  ctx.require("jobs:read");
  return env.store->read([&](storage::Transaction& tx) {
    return service::list_entity(env, ctx, tx, job_spec(), req);
  });
}

Json get_job(Env& env, const Context& ctx, const Json& req) {
  ctx.require("jobs:read");
  const std::string id = request::Fields(req).str("id", 1, 100);
  return env.store->read([&](storage::Transaction& tx) {
    return service::get_entity(env, tx, job_spec(), id, "job", req);
  });
}

Json update_job(Env& env, const Context& ctx, const Json& req) {
  ctx.require("jobs:update");
  const request::Fields f(req);
  const std::string id = f.str("id", 1, 100);
  std::optional<Schedule> schedule;
  if (f.has("schedule")) schedule = Schedule::parse(f.str("schedule", 1, 100), "schedule");
  const auto offset = f.opt_integer("utcOffsetMinutes");
  if (offset && (*offset < -720 || *offset > 840)) {
    throw Error::Validation("utcOffsetMinutes", "utcOffsetMinutes must be between -720 and 840");
  }
  std::optional<Json> config;
  if (f.has("config")) {
    config = f.raw("config");
    if (!config->is_object()) throw Error::Validation("config", "config must be an object");
  }
  const std::optional<bool> enabled =
      f.has("enabled") ? std::optional<bool>(f.boolean("enabled", true)) : std::nullopt;
  return env.store->write([&](storage::Transaction& tx) {
    const auto row =
        tx.query_one(std::string("SELECT * FROM jobs WHERE name = ?") + tx.for_update(), {id});
    if (!row) throw Error::NotFound("job", id);
    const auto kind = find_kind(row->str("kind"));
    if (config && kind && kind->check) kind->check(*config);
    if (enabled.value_or(false) && !kind) {
      throw Error::BusinessRule(ErrorCode::kJobKindNotRegistered,
                                "job " + id + " has kind " + row->str("kind") +
                                    ", which this build does not implement: it cannot be enabled");
    }
    const Json before = job_json(tx, id);
    const Timestamp now = ctx.now();
    std::string sets;
    std::vector<storage::Value> values;
    const auto set = [&](const char* column, storage::Value value) {
      sets += std::string(sets.empty() ? "" : ", ") + column + " = ?";
      values.push_back(std::move(value));
    };
    if (schedule) set("schedule", schedule->to_string());
    if (offset) set("utc_offset_minutes", *offset);
    if (config) set("config", config->dump());
    if (enabled) set("enabled", int64_t{*enabled ? 1 : 0});
    if (schedule || offset || (enabled && *enabled && !row->flag("enabled"))) {
      const Schedule s = schedule ? *schedule : Schedule::parse(row->str("schedule"));
      const int zone = static_cast<int>(offset.value_or(row->i64("utc_offset_minutes")));
      set("next_run", s.next_after(now, zone).unix_micros());
    }
    if (!sets.empty()) {
      set("updated_at", now.unix_micros());
      values.emplace_back(id);
      tx.exec("UPDATE jobs SET " + sets + " WHERE name = ?", values);
    }
    Json after = job_json(tx, id);
    auto [old_values, new_values] = audit::changed_fields(before, after);
    old_values.erase("updatedAt");
    new_values.erase("updatedAt");
    if (!new_values.empty()) audit::record(tx, ctx, "UPDATE", "job", id, old_values, new_values);
    return after;
  });
}

Json run_due_method(Env& env, const Context& ctx, const Json& req) {
  ctx.require("jobs:run");
  const request::Fields f(req);
  const Timestamp as_of = f.opt_timestamp("asOf").value_or(ctx.now());
  const auto name = f.opt_str("name", 100);
  if (name) {
    const bool exists = env.store->read([&](storage::Transaction& tx) {
      return tx.query_one("SELECT 1 FROM jobs WHERE name = ?", {*name}).has_value();
    });
    if (!exists) throw Error(ErrorCode::kNotFound, "job '" + *name + "' not found", "name");
  }
  const std::vector<RunOutcome> runs = run_due(*env.store, *env.clock, as_of, name);
  return env.store->read([&](storage::Transaction& tx) {
    Json out = Json::array();
    for (const RunOutcome& r : runs) out.push_back(run_json(tx, r.run_id));
    return Json{{"asOf", as_of.to_string()}, {"runs", out}};
  });
}

Json list_runs(Env& env, const Context& ctx, const Json& req) {
  ctx.require("jobs:read");
  return env.store->read([&](storage::Transaction& tx) {
    return service::list_entity(env, ctx, tx, run_spec(), req);
  });
}

const service::MethodRegistration kList("jobs.List", list_jobs, job_spec);
const service::MethodRegistration kGet("jobs.Get", get_job);
const service::MethodRegistration kUpdate("jobs.Update", update_job);
const service::MethodRegistration kRunDue("jobs.RunDue", run_due_method);
const service::MethodRegistration kListRuns("jobs.ListRuns", list_runs, run_spec);

}  // namespace

JobRegistration::JobRegistration(const char* kind, JobFn fn, ConfigCheck check) {
  registry().push_back({kind, fn, check});
}

std::optional<JobKind> find_kind(std::string_view kind) {
  for (const JobKind& k : registry()) {
    if (k.kind == kind) return k;
  }
  return std::nullopt;
}

std::vector<std::string> kind_names() {
  std::vector<std::string> names;
  for (const JobKind& k : registry()) names.push_back(k.kind);
  std::sort(names.begin(), names.end());
  return names;
}

Json run_json(storage::Transaction& tx, const std::string& run_id) {
  return service::render_entity(tx, run_spec(), run_id, "job run");
}

std::vector<RunOutcome> run_due(storage::Store& store, const Clock& clock, Timestamp as_of,
                                const std::optional<std::string>& only) {
  const std::vector<std::string> due = store.read([&](storage::Transaction& tx) {
    std::vector<std::string> names;
    for (const auto& row : tx.query("SELECT name FROM jobs WHERE enabled = 1 AND next_run <= ? "
                                    "ORDER BY name",
                                    {as_of.unix_micros()})) {
      if (!only || row.str("name") == *only) names.push_back(row.str("name"));
    }
    return names;
  });
  std::vector<RunOutcome> outcomes;
  for (const std::string& name : due) {
    RunOutcome out;
    std::string error;
    try {
      const Claim claim = store.write([&](storage::Transaction& tx) {
        out = RunOutcome{};
        return run_one(tx, clock, name, as_of, out);
      });
      if (claim == Claim::kRan) outcomes.push_back(out);
      continue;
    } catch (const Error& e) {
      error = e.what();  // record_failure finds the slot gone if another caller ran it
    } catch (const std::exception& e) {
      error = e.what();
    }
    if (out.run_id.empty()) out.run_id = storage::new_id();
    const bool recorded = store.write([&](storage::Transaction& tx) {
      return record_failure(tx, clock, name, as_of, error, out);
    });
    if (recorded) outcomes.push_back(out);
  }
  return outcomes;
}

}  // namespace dms::jobs
