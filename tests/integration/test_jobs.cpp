// Scheduled jobs (issue 13, item 5) on both engines: one run per slot from three processes and
// from three threads; the jobs.* methods and their coded errors; payment reminders for a fixture
// of invoices as of three dates; the quotation expiry and session clean-up jobs.
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "events/outbox.hpp"
#include "jobs/jobs.hpp"
#include "workshop_fixture.hpp"

using namespace dms;
using dms::test::caught;

namespace {

// A job kind for the tests: holds its transaction a little (so concurrent callers overlap) and
// leaves one outbox event per run.
Json probe(storage::Transaction& tx, const jobs::JobRun& run) {
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  events::emit(tx, *run.ctx, "test.job_probe",
               {{"slot", run.slot.to_string()}, {"asOf", run.as_of.to_string()}});
  if (run.config.value("fail", false)) throw Error::Validation("config.fail", "told to fail");
  return {{"slot", run.slot.to_string()}};
}
const jobs::JobRegistration kProbe("test_probe", probe);

void add_probe_job(test::IdentityFixture& f, const std::string& name,
                   const std::string& config = "{}") {
  f.exec(
      "INSERT INTO jobs (name, kind, schedule, config, next_run, created_at, updated_at) VALUES "
      "(?, 'test_probe', 'every 5 minutes', ?, ?, 0, 0)",
      {name, config, Timestamp::parse("2025-06-02T10:00:00Z").unix_micros()});
}

Json run_due(test::IdentityFixture& f, const std::string& as_of, const std::string& name) {
  return f.call(f.system, "jobs.RunDue", {{"asOf", as_of}, {"name", name}});
}

}  // namespace

TEST_CASE("jobs: a slot run from three processes runs once") {
  test::IdentityFixture f(GENERATE(test::engines()));
  INFO("engine: " << f.database.engine_name());
  add_probe_job(f, "probe");
  const std::string url = f.database.url();
  const std::vector<std::string> slots = {"2025-06-02T10:00:00Z", "2025-06-02T10:05:00Z",
                                          "2025-06-02T10:10:00Z"};
  for (const std::string& as_of : slots) {
    std::vector<pid_t> children;
    int ready[2];
    REQUIRE(pipe(ready) == 0);
    for (int i = 0; i < 3; ++i) {
      const pid_t pid = fork();
      REQUIRE(pid >= 0);
      if (pid == 0) {  // the child: its own Database on the same database; no Catch2 here
        close(ready[1]);
        int code = 9;
        try {
          auto db = Database::open(url);
          char go;
          if (read(ready[0], &go, 1) != 1) _exit(8);
          const Json r =
              db->call(db->system_context(), "jobs.RunDue", {{"asOf", as_of}, {"name", "probe"}});
          code = static_cast<int>(r["runs"].size());
        } catch (...) {
          code = 9;
        }
        _exit(code);
      }
      children.push_back(pid);
    }
    close(ready[0]);
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    REQUIRE(write(ready[1], "ggg", 3) == 3);
    close(ready[1]);
    int runs = 0;
    for (pid_t pid : children) {
      int status = 0;
      waitpid(pid, &status, 0);
      REQUIRE(WIFEXITED(status));
      const int code = WEXITSTATUS(status);
      INFO("child exit " << code);
      REQUIRE(code <= 1);
      runs += code;
    }
    INFO("slot " << as_of);
    CHECK(runs == 1);
    CHECK(f.count("SELECT COUNT(*) FROM job_runs WHERE job_name = 'probe' AND slot = ?",
                  {Timestamp::parse(as_of).unix_micros()}) == 1);
  }
  CHECK(f.count("SELECT COUNT(*) FROM job_runs WHERE job_name = 'probe'") == 3);
  CHECK(f.count("SELECT COUNT(*) FROM outbox_events WHERE type = 'test.job_probe'") == 3);
  const Json job = f.call(f.system, "jobs.Get", {{"id", "probe"}});
  CHECK(job["nextRunAt"] == "2025-06-02T10:15:00Z");
  CHECK(job["lastSlot"] == "2025-06-02T10:10:00Z");
  CHECK(job["lastResult"] == "ok");
}

TEST_CASE("jobs: a slot run from three threads runs once, and a late call finds nothing due") {
  test::IdentityFixture f(GENERATE(test::engines()));
  INFO("engine: " << f.database.engine_name());
  add_probe_job(f, "probe");
  std::atomic<int> runs{0};
  std::vector<std::thread> threads;
  const Timestamp as_of = Timestamp::parse("2025-06-02T10:02:00Z");
  for (int i = 0; i < 3; ++i) {
    threads.emplace_back([&] {
      runs += static_cast<int>(
          jobs::run_due(*f.db->impl().store, f.clock, as_of, std::string("probe")).size());
    });
  }
  for (auto& t : threads) t.join();
  CHECK(runs == 1);
  // The same as-of again: the job is scheduled after it.
  CHECK(run_due(f, "2025-06-02T10:02:00Z", "probe")["runs"].empty());
  // Far later: one run (missed slots are not replayed), scheduled after that time.
  const Json later = run_due(f, "2025-06-02T11:31:00Z", "probe");
  REQUIRE(later["runs"].size() == 1);
  CHECK(later["runs"][0]["slot"] == "2025-06-02T10:05:00Z");
  CHECK(f.call(f.system, "jobs.Get", {{"id", "probe"}})["nextRunAt"] == "2025-06-02T11:35:00Z");
}

TEST_CASE("jobs: methods, a failing run recorded and coded errors") {
  test::IdentityFixture f(GENERATE(test::engines()));
  INFO("engine: " << f.database.engine_name());
  // The built-in jobs are seeded, each due at once.
  const Json list = f.call(f.system, "jobs.List", {{"sort", "name"}});
  std::set<std::string> names;
  for (const Json& j : list["data"]) names.insert(j["name"]);
  CHECK(names == std::set<std::string>{"low_stock_scan", "monthly_report", "payment_reminders",
                                       "quotation_expiry", "session_cleanup"});
  const Json reminders = f.call(f.system, "jobs.Get", {{"id", "payment_reminders"}});
  CHECK(reminders["schedule"] == "daily at 09:00");
  CHECK(reminders["utcOffsetMinutes"] == 330);
  CHECK(reminders["config"]["daysAfterDue"] == Json::array({1, 7, 15, 30}));
  CHECK(reminders["enabled"] == true);

  // Update: schedule, config, enabled; audited.
  Json updated = f.call(f.system, "jobs.Update",
                        {{"id", "payment_reminders"},
                         {"schedule", "Daily at 10:30"},
                         {"config", {{"daysAfterDue", {3, 10}}}},
                         {"enabled", false}});
  CHECK(updated["schedule"] == "daily at 10:30");
  CHECK(updated["config"]["daysAfterDue"] == Json::array({3, 10}));
  CHECK(updated["enabled"] == false);
  CHECK(updated["nextRunAt"] == "2025-06-03T05:00:00Z");  // the clock is 09:00 UTC, 14:30 IST
  CHECK(f.count("SELECT COUNT(*) FROM audit_logs WHERE entity_type = 'job' AND entity_id = "
                "'payment_reminders'") == 1);

  // Bad input: nothing changes.
  const auto bad_schedule = caught([&] {
    f.call(f.system, "jobs.Update", {{"id", "payment_reminders"}, {"schedule", "sometimes"}});
  });
  CHECK(bad_schedule.code == ErrorCode::kValidation);
  CHECK(bad_schedule.field == "schedule");
  const auto bad_config = caught([&] {
    f.call(f.system, "jobs.Update",
           {{"id", "payment_reminders"}, {"config", {{"daysAfterDue", {7, 3}}}}});
  });
  CHECK(bad_config.code == ErrorCode::kValidation);
  CHECK(bad_config.field == "config.daysAfterDue");
  CHECK(caught([&] {
          f.call(f.system, "jobs.Update",
                 {{"id", "session_cleanup"}, {"config", {{"retentionDays", -1}}}});
        }).field == "config.retentionDays");
  CHECK(caught([&] {
          f.call(f.system, "jobs.Update", {{"id", "payment_reminders"}, {"utcOffsetMinutes", 900}});
        }).code == ErrorCode::kValidation);
  CHECK(caught([&] {
          f.call(f.system, "jobs.Update", {{"id", "nope"}, {"enabled", true}});
        }).code == ErrorCode::kNotFound);
  CHECK(caught([&] {
          f.call(f.system, "jobs.RunDue", {{"name", "nope"}});
        }).code == ErrorCode::kNotFound);
  CHECK(caught([&] {
          f.call(f.system, "jobs.RunDue", {{"asOf", "yesterday"}});
        }).code == ErrorCode::kValidation);
  CHECK(f.call(f.system, "jobs.Get", {{"id", "payment_reminders"}})["schedule"] ==
        "daily at 10:30");

  // A kind this build lacks (complaint escalation, until that module exists) cannot be enabled.
  f.exec(
      "INSERT INTO jobs (name, kind, schedule, enabled, created_at, updated_at) VALUES "
      "('complaint_escalation', 'complaint_escalation', 'daily at 08:00', 0, 0, 0)");
  CHECK(caught([&] {
          f.call(f.system, "jobs.Update", {{"id", "complaint_escalation"}, {"enabled", true}});
        }).code == ErrorCode::kJobKindNotRegistered);

  // Only holders of jobs:* (admin) may read or run jobs.
  const Context manager = f.db->context_for_user(f.create_user(
      "sc_manager", f.create_center("SC009"), "m9@dealer.example", "+919800000909")["id"]);
  CHECK(caught([&] { f.call(manager, "jobs.List"); }).code == ErrorCode::kForbidden);
  CHECK(caught([&] { f.call(manager, "jobs.RunDue"); }).code == ErrorCode::kForbidden);
  CHECK(caught([&] {
          f.call(manager, "jobs.Update", {{"id", "probe"}});
        }).code == ErrorCode::kForbidden);

  // A failing run rolls its work back, is recorded as failed, and the job moves on.
  add_probe_job(f, "failing", R"({"fail": true})");
  const Json failed = run_due(f, "2025-06-02T10:00:00Z", "failing");
  REQUIRE(failed["runs"].size() == 1);
  CHECK(failed["runs"][0]["result"] == "failed");
  CHECK(failed["runs"][0]["error"].get<std::string>().find("told to fail") != std::string::npos);
  CHECK(f.count("SELECT COUNT(*) FROM outbox_events WHERE type = 'test.job_probe'") == 0);
  const Json job = f.call(f.system, "jobs.Get", {{"id", "failing"}});
  CHECK(job["lastResult"] == "failed");
  CHECK(job["nextRunAt"] == "2025-06-02T10:05:00Z");
  const Json runs = f.call(f.system, "jobs.ListRuns", {{"jobName", "failing"}});
  REQUIRE(runs["data"].size() == 1);
  CHECK(runs["data"][0]["result"] == "failed");
}

TEST_CASE("jobs: the session clean-up and quotation expiry jobs run") {
  test::WorkshopFixture f(GENERATE(test::engines()));
  INFO("engine: " << f.database.engine_name());
  // A signed-in user's session and refresh token.
  const Json user =
      f.create_user("service_advisor", f.center_id, "adv7@dealer.example", "+919800000707");
  f.sign_in(user);
  const int64_t sessions = f.count("SELECT COUNT(*) FROM sessions");
  REQUIRE(sessions >= 1);
  // Nothing has expired yet (refresh tokens live 7 days; retention 30 days).
  Json run = f.call(f.system, "jobs.RunDue",
                    {{"asOf", "2025-06-02T21:30:00Z"}, {"name", "session_cleanup"}});
  REQUIRE(run["runs"].size() == 1);
  CHECK(run["runs"][0]["summary"]["sessionsDeleted"] == 0);
  // 40 days on, every session of today is past its expiry and retention.
  run = f.call(f.system, "jobs.RunDue",
               {{"asOf", "2025-07-12T21:30:00Z"}, {"name", "session_cleanup"}});
  REQUIRE(run["runs"].size() == 1);
  CHECK(run["runs"][0]["summary"]["sessionsDeleted"] == sessions);
  CHECK(f.count("SELECT COUNT(*) FROM sessions") == 0);
  CHECK(f.count("SELECT COUNT(*) FROM refresh_tokens") == 0);

  const Json quotation = f.call(f.advisor, "quotations.Create",
                                {{"customerId", f.customer()["id"]},
                                 {"validUntil", "2025-06-10"},
                                 {"items",
                                  {{{"type", "service"},
                                    {"description", "Battery check"},
                                    {"hsnSac", "998714"},
                                    {"quantity", "1"},
                                    {"unitPrice", "500.00"},
                                    {"gstRate", "18"}}}}});
  run = f.call(f.system, "jobs.RunDue",
               {{"asOf", "2025-06-10T19:30:00Z"}, {"name", "quotation_expiry"}});  // 11 June IST
  REQUIRE(run["runs"].size() == 1);
  CHECK(run["runs"][0]["summary"]["expired"] == 1);
  CHECK(f.call(f.advisor, "quotations.Get", {{"id", quotation["id"]}})["status"] == "EXPIRED");
}

// ---- Payment reminders -------------------------------------------------------------------------

namespace {

Json finalized_invoice(test::WorkshopFixture& f, const std::string& customer_id,
                       const std::string& due_date) {
  const Json draft = f.call(f.manager, "invoices.Create",
                            {{"customerId", customer_id},
                             {"dueDate", due_date},
                             {"items",
                              {{{"type", "service"},
                                {"description", "Battery health check"},
                                {"hsnSac", "998714"},
                                {"quantity", "1"},
                                {"unitPrice", "1000.00"},
                                {"gstRate", "18"}}}}});
  return f.call(f.manager, "invoices.Finalize", {{"id", draft["id"]}});
}

// The customers reminded by the events of one run, and the events' days overdue by customer.
std::map<std::string, int64_t> reminded(test::WorkshopFixture& f, int64_t after_event_id) {
  std::map<std::string, int64_t> out;
  f.db->impl().store->read([&](storage::Transaction& tx) {
    for (const auto& row :
         tx.query("SELECT payload FROM outbox_events WHERE type = 'invoice.payment_reminder' AND "
                  "id > ? ORDER BY id",
                  {after_event_id})) {
      const Json p = Json::parse(row.str("payload"));
      CHECK(
          out.emplace(p["customerId"].get<std::string>(), p["daysOverdue"].get<int64_t>()).second);
      CHECK(p.contains("invoiceNumber"));
      CHECK(p.contains("balanceDue"));
    }
  });
  return out;
}

int64_t last_event_id(test::WorkshopFixture& f) {
  return f.count("SELECT COALESCE(MAX(id), 0) FROM outbox_events");
}

}  // namespace

TEST_CASE("jobs: payment reminders as of three dates go to exactly the expected customers") {
  test::WorkshopFixture f(GENERATE(test::engines()));
  INFO("engine: " << f.database.engine_name());
  f.call(f.system, "jobs.Update",
         {{"id", "payment_reminders"}, {"config", {{"daysAfterDue", {1, 7}}}}});
  // The fixture (the clock is 2025-06-02): A due 5 June unpaid; B due 10 June unpaid; C due 5
  // June paid in full; D due 5 June paid in part; E a draft; F due 1 July.
  const std::string a = f.customer()["id"], b = f.customer()["id"], c = f.customer()["id"],
                    d = f.customer()["id"], e = f.customer()["id"], g = f.customer()["id"];
  const Json inv_a = finalized_invoice(f, a, "2025-06-05");
  finalized_invoice(f, b, "2025-06-10");
  const Json inv_c = finalized_invoice(f, c, "2025-06-05");
  f.call(f.manager, "invoices.RecordPayment",
         {{"id", inv_c["id"]}, {"amount", inv_c["grandTotal"]}, {"paymentMethod", "cash"}});
  const Json inv_d = finalized_invoice(f, d, "2025-06-05");
  f.call(f.manager, "invoices.RecordPayment",
         {{"id", inv_d["id"]}, {"amount", "100.00"}, {"paymentMethod", "cash"}});
  f.call(f.manager, "invoices.Create",
         {{"customerId", e},
          {"dueDate", "2025-06-03"},
          {"items",
           {{{"type", "service"},
             {"description", "Draft only"},
             {"hsnSac", "998714"},
             {"quantity", "1"},
             {"unitPrice", "10.00"},
             {"gstRate", "18"}}}}});
  finalized_invoice(f, g, "2025-07-01");
  const auto run_on = [&](const std::string& as_of) {
    const int64_t before = last_event_id(f);
    const Json r =
        f.call(f.system, "jobs.RunDue", {{"asOf", as_of}, {"name", "payment_reminders"}});
    REQUIRE(r["runs"].size() == 1);
    CHECK(r["runs"][0]["result"] == "ok");
    return reminded(f, before);
  };

  // 6 June (09:30 IST): A and D are 1 day overdue (step 1); B is not due yet.
  CHECK(run_on("2025-06-06T04:00:00Z") == std::map<std::string, int64_t>{{a, 1}, {d, 1}});
  // The same day again (a new slot forced): nothing is repeated.
  f.exec("UPDATE jobs SET next_run = 0 WHERE name = 'payment_reminders'");
  CHECK(run_on("2025-06-06T10:00:00Z").empty());
  // 12 June: A and D reach step 7; B is 2 days overdue (step 1).
  CHECK(run_on("2025-06-12T04:00:00Z") == std::map<std::string, int64_t>{{a, 7}, {b, 2}, {d, 7}});
  // 18 June: only B reaches step 7; A and D had theirs; C paid; E a draft; F not yet due.
  CHECK(run_on("2025-06-18T04:00:00Z") == std::map<std::string, int64_t>{{b, 8}});
  CHECK(f.count("SELECT COUNT(*) FROM payment_reminders") == 6);
  CHECK(f.count("SELECT COUNT(*) FROM audit_logs WHERE action = 'PAYMENT_REMINDER'") == 6);
  const Json audit = f.call(f.system, "auditLogs.Verify");
  CHECK(audit["ok"] == true);
  // The reminder carries the balance: D owes 1180.00 - 100.00.
  const int64_t d_events = f.count(
      "SELECT COUNT(*) FROM outbox_events WHERE type = 'invoice.payment_reminder' AND payload "
      "LIKE ?",
      {"%\"balanceDue\":\"1080.00\"%"});
  CHECK(d_events == 2);
  (void)inv_a;
}

TEST_CASE("jobs: the scheduler runs due jobs on the Database's background thread") {
  test::TestDatabase database(GENERATE(test::engines()));
  INFO("engine: " << database.engine_name());
  ManualClock clock(Timestamp::parse("2025-06-02T10:00:30Z"));
  DatabaseOptions options;
  options.url = database.url();
  options.clock = &clock;
  options.sqlite_synchronous = "NORMAL";
  options.background = BackgroundSettings::from_json(
      Json::parse(R"({"scheduler": true, "schedulerIntervalMs": 20})"));
  CHECK(options.background.scheduler);
  auto db = Database::open(options);
  const auto runs = [&] {
    return db->impl().store->read([](storage::Transaction& tx) {
      return tx.query_one("SELECT COUNT(*) FROM job_runs")->i64(0);
    });
  };
  const int64_t seeded = db->impl().store->read([](storage::Transaction& tx) {
    return tx.query_one("SELECT COUNT(*) FROM jobs WHERE enabled = 1")->i64(0);
  });
  CHECK(seeded == 5);
  // Every seeded job is due at once: the thread runs each of them once.
  for (int i = 0; i < 500 && runs() < seeded; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  CHECK(runs() == seeded);
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  CHECK(runs() == seeded);  // nothing more is due until the clock moves
  db->stop_scheduler();
  CHECK(caught([] { BackgroundSettings::from_json(Json::parse(R"({"scheduler": 1})")); }).field ==
        "background.scheduler");
}
