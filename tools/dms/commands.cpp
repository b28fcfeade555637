// The dms commands other than import: init, migrate, verify, users, backup/restore, export, jobs.
// They work through Database::call (the same service methods as any caller) with the system
// context or a named user's; only the schema status and the SQLite backup reach below it.
#include <sqlite3.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <set>
#include <thread>

#include "cli.hpp"
#include "csv.hpp"
#include "dms/error.hpp"
#include "service/service.hpp"
#include "storage/engine.hpp"

// The report engine and the exporters (src/reports/engine.hpp, export.hpp) when the library has
// them: `dms export --report NAME` then renders a report to CSV, XLSX or PDF.
#if __has_include("reports/engine.hpp") && __has_include("reports/export.hpp")
#include "reports/engine.hpp"
#include "reports/export.hpp"
#define DMS_CLI_HAS_REPORTS 1
#endif

namespace dms::cli {

std::unique_ptr<Database> open_database(const Options& o) {
  if (o.db_url.empty()) {
    throw Error::Validation("db", "no database: pass --db URL or set DMS_DATABASE_URL");
  }
  return Database::open(o.db_url);
}

Progress::Style progress_style(const Options& o) {
  if (o.json || o.quiet || o.progress == "none") return Progress::Style::kQuiet;
  if (o.progress == "bar") return Progress::Style::kBar;
  if (o.progress == "lines") return Progress::Style::kLines;
  return Progress::Style::kAuto;
}

void emit(const Options& o, const Json& doc, const std::string& text) {
  if (o.json) {
    std::cout << doc.dump() << "\n";
  } else if (!text.empty()) {
    std::cout << text << (text.back() == '\n' ? "" : "\n");
  }
  std::cout.flush();
}

namespace {

bool has_method(std::string_view name) {
  const auto names = Database::methods();
  return std::binary_search(names.begin(), names.end(), std::string(name));
}

// The secret of a just-queued sensitive message (a temporary password or a reset code) for the
// operator at the terminal: taken out of the outbox (marked sent, body erased) in one
// transaction, so it is shown once and never delivered as well. Returns the body.
std::string take_secret_message(Database& db, const std::string& user_id,
                                const std::string& purpose) {
  return db.impl().store->write([&](storage::Transaction& tx) {
    auto row = tx.query_one(
        "SELECT id, body FROM outbound_messages WHERE user_id = ? AND purpose = ? AND "
        "sent_at IS NULL ORDER BY id DESC LIMIT 1",
        {user_id, purpose});
    if (!row) throw Error::Internal("the " + purpose + " message was not queued");
    tx.exec("UPDATE outbound_messages SET body = '', sent_at = ? WHERE id = ?",
            {db.clock().now().unix_micros(), row->i64("id")});
    return row->str("body");
  });
}

// "... Temporary password: Xy12... (change it" -> "Xy12..."
std::string secret_after(const std::string& body, const std::string& label) {
  const size_t at = body.find(label);
  if (at == std::string::npos) throw Error::Internal("no '" + label + "' in the message");
  size_t begin = at + label.size();
  while (begin < body.size() && body[begin] == ' ') ++begin;
  size_t end = begin;
  while (end < body.size() && !std::isspace(static_cast<unsigned char>(body[end]))) ++end;
  return body.substr(begin, end - begin);
}

Json create_user(Database& db, const Options& o, const std::string& role, bool send,
                 std::string* password) {
  Json request = {{"email", o.email},
                  {"phone", o.phone},
                  {"firstName", o.first_name},
                  {"lastName", o.last_name},
                  {"role", role}};
  if (!o.service_center_id.empty()) request["serviceCenterId"] = o.service_center_id;
  Json user = db.call(db.system_context(), "users.Create", request);
  if (!send) {
    *password =
        secret_after(take_secret_message(db, user["id"].get<std::string>(), "temporary_password"),
                     "Temporary password:");
  }
  return user;
}

int64_t count_admins(Database& db) {
  Json page =
      db.call(db.system_context(), "users.List", {{"filter", {{"role", "admin"}}}, {"limit", 1}});
  return page["pagination"].value("total", int64_t{0});
}

std::set<int> applied_versions(storage::Store& store) {
  return store.read([](storage::Transaction& tx) {
    std::set<int> versions;
    for (const auto& row : tx.query("SELECT version FROM schema_migrations")) {
      versions.insert(static_cast<int>(row.i64(0)));
    }
    return versions;
  });
}

// The Store of --db without migrating it (migrate status / up).
std::unique_ptr<storage::Store> open_store_unmigrated(const Options& o) {
  if (o.db_url.empty()) {
    throw Error::Validation("db", "no database: pass --db URL or set DMS_DATABASE_URL");
  }
  storage::OpenOptions options;
  options.url = o.db_url;
  return storage::detail::is_postgres_url(o.db_url) ? storage::detail::open_postgres(options)
                                                    : storage::detail::open_sqlite(options);
}

std::set<int> applied_or_none(storage::Store& store) {
  try {
    return applied_versions(store);
  } catch (const Error&) {  // no schema_migrations table yet: a new database
    return {};
  }
}

}  // namespace

int cmd_init(Options& o) {
  const bool existed = !storage::detail::is_postgres_url(o.db_url) && !o.db_url.empty() &&
                       access(o.db_url.c_str(), F_OK) == 0;
  int before = 0;
  if (existed) before = static_cast<int>(applied_or_none(*open_store_unmigrated(o)).size());
  auto db = open_database(o);  // creates and migrates
  const int after = db->impl().store->schema_version();
  const int applied = static_cast<int>(applied_versions(*db->impl().store).size());
  Json doc = {{"ok", true},
              {"database", o.db_url},
              {"created", !existed && !storage::detail::is_postgres_url(o.db_url)},
              {"schemaVersion", after},
              {"migrationsApplied", applied - before}};
  std::string text = (existed ? "migrated " : "created ") + o.db_url + " (schema " +
                     std::to_string(after) + ", " + std::to_string(applied - before) +
                     " migrations applied)\n";
  if (count_admins(*db) > 0) {
    doc["adminCreated"] = false;
    text += "an admin exists already: no user created\n";
    emit(o, doc, text);
    return kExitOk;
  }
  if (o.email.empty() || o.phone.empty()) {
    throw Error::Validation(o.email.empty() ? "email" : "phone",
                            "the database has no admin yet: pass --email and --phone for the "
                            "first admin");
  }
  std::string password;
  Json user = create_user(*db, o, "admin", o.send, &password);
  doc["adminCreated"] = true;
  doc["admin"] = {{"id", user["id"]}, {"email", user["email"]}};
  text += "created the first admin " + user["email"].get<std::string>() + "\n";
  if (o.send) {
    doc["temporaryPassword"] = nullptr;
    text += "the temporary password is queued for delivery\n";
  } else {
    doc["temporaryPassword"] = password;
    text +=
        "temporary password (shown once; changing it is required at first sign-in): " + password +
        "\n";
  }
  emit(o, doc, text);
  return kExitOk;
}

int cmd_migrate_status(Options& o) {
  auto store = open_store_unmigrated(o);
  const std::set<int> applied = applied_or_none(*store);
  Json list = Json::array();
  std::string text;
  int pending = 0;
  for (const auto& m : storage::registered_migrations()) {
    const bool done = applied.count(m.version) > 0;
    pending += done ? 0 : 1;
    list.push_back({{"version", m.version}, {"name", m.name}, {"applied", done}});
    char line[256];
    std::snprintf(line, sizeof line, "%5d  %-8s %s\n", m.version, done ? "applied" : "PENDING",
                  m.name);
    text += line;
  }
  text += std::to_string(applied.size()) + " applied, " + std::to_string(pending) + " pending\n";
  emit(o, {{"ok", true}, {"applied", applied.size()}, {"pending", pending}, {"migrations", list}},
       text);
  return kExitOk;
}

int cmd_migrate_up(Options& o) {
  auto store = open_store_unmigrated(o);
  const size_t before = applied_or_none(*store).size();
  storage::detail::migrate(*store);
  const size_t after = applied_versions(*store).size();
  const int version = store->schema_version();
  emit(o, {{"ok", true}, {"applied", after - before}, {"schemaVersion", version}},
       "applied " + std::to_string(after - before) + " migrations; schema " +
           std::to_string(version));
  return kExitOk;
}

int cmd_verify(Options& o) {
  auto db = open_database(o);
  const Context system = db->system_context();
  const Json stock = db->call(system, "inventory.VerifyStock");
  const Json audit = db->call(system, "auditLogs.Verify");
  const bool ok = stock.value("ok", false) && audit.value("ok", false);
  std::string text;
  if (stock.value("ok", false)) {
    text += "stock ledger: ok (" + stock.dump() + ")\n";
  } else {
    text += "stock ledger: FAILED: " + stock.dump() + "\n";
  }
  if (audit.value("ok", false)) {
    text += "audit chains: ok (" + std::to_string(audit.value("rows", int64_t{0})) + " rows in " +
            std::to_string(audit["chains"].size()) + " chains, head " +
            audit.value("headHash", "") + ")\n";
  } else {
    text += "audit chains: FAILED: chain " + audit.value("firstBadChain", "") + ", first bad row " +
            (audit["firstBadId"].is_string() ? audit["firstBadId"].get<std::string>() : "?") +
            " at position " + audit["firstBadSeq"].dump() + ": " + audit.value("reason", "") + "\n";
  }
  emit(o, {{"ok", ok}, {"stock", stock}, {"audit", audit}}, text);
  return ok ? kExitOk : kExitFailed;
}

int cmd_users_create(Options& o) {
  auto db = open_database(o);
  std::string password;
  Json user = create_user(*db, o, o.role, o.send, &password);
  Json doc = {{"ok", true}, {"user", user}};
  std::string text = "created user " + user["email"].get<std::string>() + " (" +
                     user["id"].get<std::string>() + ", " + o.role + ")\n";
  if (o.send) {
    doc["temporaryPassword"] = nullptr;
    text += "the temporary password is queued for delivery\n";
  } else {
    doc["temporaryPassword"] = password;
    text += "temporary password (shown once): " + password + "\n";
  }
  emit(o, doc, text);
  return kExitOk;
}

int cmd_users_reset_password(Options& o) {
  auto db = open_database(o);
  // Which user: users.List by e-mail or phone (ForgotPassword does not say, by design).
  const bool by_phone = o.login.find('@') == std::string::npos;
  Json found = db->call(db->system_context(), "users.List",
                        {{"filter", {{by_phone ? "phone" : "email", o.login}}}, {"limit", 1}});
  if (found["data"].empty()) throw Error::NotFound("user", o.login);
  const std::string user_id = found["data"][0]["id"].get<std::string>();
  db->call(db->system_context(), "auth.ForgotPassword", {{"login", o.login}});
  if (o.send && !o.password_stdin) {
    emit(o, {{"ok", true}, {"userId", user_id}, {"resetCode", nullptr}},
         "a reset code is queued for delivery to " + o.login);
    return kExitOk;
  }
  const std::string code =
      secret_after(take_secret_message(*db, user_id, "password_reset"), "Reset code:");
  if (!o.password_stdin) {
    emit(o, {{"ok", true}, {"userId", user_id}, {"resetCode", code}},
         "reset code (shown once; use it with auth.ResetPassword): " + code);
    return kExitOk;
  }
  std::string password;
  std::getline(std::cin, password);
  if (!password.empty() && password.back() == '\r') password.pop_back();
  db->call(db->system_context(), "auth.ResetPassword",
           {{"token", code}, {"newPassword", password}});
  emit(o, {{"ok", true}, {"userId", user_id}}, "password set for " + o.login);
  return kExitOk;
}

namespace {

// Copies SQLite database `from` into `to` with the online backup API, in steps of 256 pages
// (readers and writers of `from` proceed between steps), with progress.
void sqlite_copy(const std::string& from, const std::string& to, const Options& o,
                 const std::string& label) {
  sqlite3* src = nullptr;
  sqlite3* dst = nullptr;
  auto close_both = [&] {
    sqlite3_close(src);
    sqlite3_close(dst);
  };
  if (sqlite3_open_v2(from.c_str(), &src, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
    const std::string message = sqlite3_errmsg(src);
    close_both();
    throw Error::Storage("cannot open " + from + ": " + message);
  }
  if (sqlite3_open_v2(to.c_str(), &dst, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr) !=
      SQLITE_OK) {
    const std::string message = sqlite3_errmsg(dst);
    close_both();
    throw Error::Storage("cannot open " + to + ": " + message);
  }
  sqlite3_backup* backup = sqlite3_backup_init(dst, "main", src, "main");
  if (backup == nullptr) {
    const std::string message = sqlite3_errmsg(dst);
    close_both();
    throw Error::Storage("cannot start the backup: " + message);
  }
  Progress progress(label, 0, "pages", progress_style(o));
  int rc = SQLITE_OK;
  do {
    rc = sqlite3_backup_step(backup, 256);
    progress.set_total(sqlite3_backup_pagecount(backup));
    progress.update(sqlite3_backup_pagecount(backup) - sqlite3_backup_remaining(backup));
    if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED) sqlite3_sleep(50);
  } while (rc == SQLITE_OK || rc == SQLITE_BUSY || rc == SQLITE_LOCKED);
  progress.finish();
  sqlite3_backup_finish(backup);
  const int final_rc = sqlite3_errcode(dst);
  const std::string message = sqlite3_errmsg(dst);
  close_both();
  if (rc != SQLITE_DONE || final_rc != SQLITE_OK) {
    throw Error::Storage("backup failed: " + message);
  }
}

void refuse_postgres(const Options& o, const char* what) {
  if (storage::detail::is_postgres_url(o.db_url)) {
    throw Error::Validation(
        "db", std::string(what) +
                  " covers SQLite files; for PostgreSQL use its own tools: pg_dump --format=custom "
                  "--file=dms.dump '" +
                  o.db_url + "' (restore: pg_restore --clean --dbname=URL dms.dump)");
  }
}

}  // namespace

int cmd_backup(Options& o) {
  refuse_postgres(o, "dms backup");
  if (o.db_url.empty()) throw Error::Validation("db", "pass --db or set DMS_DATABASE_URL");
  if (access(o.db_url.c_str(), R_OK) != 0) throw Error::NotFound("database", o.db_url);
  sqlite_copy(o.db_url, o.file, o, "backup");
  emit(o, {{"ok", true}, {"database", o.db_url}, {"backup", o.file}},
       "backed up " + o.db_url + " to " + o.file);
  return kExitOk;
}

int cmd_restore(Options& o) {
  refuse_postgres(o, "dms restore");
  if (o.db_url.empty()) throw Error::Validation("db", "pass --db or set DMS_DATABASE_URL");
  if (access(o.file.c_str(), R_OK) != 0) throw Error::NotFound("backup", o.file);
  sqlite_copy(o.file, o.db_url, o, "restore");
  emit(o, {{"ok", true}, {"database", o.db_url}, {"backup", o.file}},
       "restored " + o.db_url + " from " + o.file);
  return kExitOk;
}

int cmd_jobs_run(Options& o) {
  // The scheduler registers jobs.RunDue when it is part of the library (docs/cli.md).
  if (!has_method("jobs.RunDue")) {
    throw Error::Validation("jobs",
                            "this libdms has no scheduler (jobs.RunDue): dms jobs run "
                            "needs the jobs module");
  }
  auto db = open_database(o);
  Json request = Json::object();
  if (!o.job.empty()) request["name"] = o.job;
  for (;;) {
    Json result = db->call(db->system_context(), "jobs.RunDue", request);
    std::string text;
    bool failed = false;
    const Json runs = result.value("runs", Json::array());
    for (const Json& run : runs) {
      const std::string outcome = run.value("result", "");
      failed = failed || outcome != "ok";
      text +=
          run.value("jobName", "?") + ": " + outcome + " " +
          (run.contains("summary") ? run["summary"].dump() : std::string()) +
          (run.contains("error") && run["error"].is_string() ? " " + run["error"].get<std::string>()
                                                             : std::string()) +
          "\n";
    }
    if (runs.empty()) text = "no job was due\n";
    emit(o, result, text);
    if (o.once) return failed ? kExitFailed : kExitOk;
    std::this_thread::sleep_for(std::chrono::seconds(o.interval_seconds));
  }
}

namespace {

// A cell of the export: text as it is, other JSON values as JSON text, null empty.
std::string cell_text(const Json& v) {
  if (v.is_null()) return "";
  if (v.is_string()) return v.get<std::string>();
  return v.dump();
}

}  // namespace

namespace {

// "field=value" options into an object ({"field": "value"}).
Json pairs_of(const std::vector<std::string>& items, const char* option) {
  Json out = Json::object();
  for (const std::string& f : items) {
    const size_t eq = f.find('=');
    if (eq == std::string::npos || eq == 0) {
      throw Error::Validation(option,
                              std::string("--") + option + " takes field=value, not '" + f + "'");
    }
    out[f.substr(0, eq)] = f.substr(eq + 1);
  }
  return out;
}

int export_report(Options& o) {
#ifdef DMS_CLI_HAS_REPORTS
  if (o.file == "-") throw Error::Validation("output", "a report is written to a file");
  const reports::ExportFormat format = reports::parse_export_format(o.format);
  Json params = pairs_of(o.params, "param");
  if (!o.filters.empty()) params["filter"] = pairs_of(o.filters, "filter");
  auto db = open_database(o);
  const Context ctx = db->system_context();
  const reports::Report report = db->impl().store->read([&](storage::Transaction& tx) {
    return reports::run_report(tx, ctx, o.report_name, params);
  });
  Progress progress("export " + o.report_name, 0, "rows", progress_style(o));
  reports::ExportOptions options;
  options.progress = [&](int64_t done, int64_t total) {
    progress.set_total(total);
    progress.update(done);
    return true;
  };
  reports::export_to_file(report, format, o.file, options);
  progress.finish();
  int64_t rows = 0;
  for (const auto& table : report.tables) rows += static_cast<int64_t>(table.rows.size());
  emit(o,
       {{"ok", true},
        {"report", o.report_name},
        {"title", report.title},
        {"format", reports::format_name(format)},
        {"tables", report.tables.size()},
        {"rows", rows},
        {"file", o.file}},
       "exported " + report.title + " (" + std::to_string(rows) + " rows) to " + o.file);
  return kExitOk;
#else
  (void)o;
  throw Error::Validation(o.report_name.empty() ? "format" : "report",
                          "reports and XLSX/PDF exports need the reports and exports modules "
                          "(src/reports/engine.hpp, export.hpp), which this libdms lacks");
#endif
}

}  // namespace

int cmd_export(Options& o) {
  if (!o.report_name.empty()) return export_report(o);
  if (o.format != "csv") {
    throw Error::Validation("format",
                            "a list query is exported to CSV; XLSX and PDF are for "
                            "reports (--report NAME)");
  }
  if (o.entity.empty()) throw Error::Validation("entity", "name what to export: customers, ...");
  const std::string method =
      o.entity.find('.') == std::string::npos ? o.entity + ".List" : o.entity;
  auto db = open_database(o);
  const Json filter = pairs_of(o.filters, "filter");
  std::ofstream file;
  const bool to_stdout = o.file == "-";
  if (!to_stdout) {
    file.open(o.file, std::ios::binary | std::ios::trunc);
    if (!file) throw Error::Validation("output", "cannot write " + o.file);
  }
  std::ostream& out = to_stdout ? std::cout : file;
  std::vector<std::string> columns;
  if (!o.fields.empty()) {
    size_t start = 0;
    while (start <= o.fields.size()) {
      const size_t comma = std::min(o.fields.find(',', start), o.fields.size());
      if (comma > start) columns.push_back(o.fields.substr(start, comma - start));
      start = comma + 1;
    }
  }
  Progress progress("export " + o.entity, 0, "rows", progress_style(o));
  int64_t rows = 0;
  std::string cursor;
  bool header_written = false;
  for (;;) {
    Json request = {{"limit", 100}, {"cursor", cursor}};
    if (!filter.empty()) request["filter"] = filter;
    if (!o.fields.empty()) request["fields"] = o.fields;
    Json page = db->call(db->system_context(), method, request);
    const Json& data = page["data"];
    if (!header_written) {
      if (columns.empty() && !data.empty()) {
        for (const auto& [key, value] : data[0].items()) columns.push_back(key);
      }
      for (size_t i = 0; i < columns.size(); ++i) out << (i ? "," : "") << csv_escape(columns[i]);
      out << "\r\n";
      header_written = true;
    }
    for (const Json& row : data) {
      for (size_t i = 0; i < columns.size(); ++i) {
        auto it = row.find(columns[i]);
        out << (i ? "," : "") << csv_escape(it == row.end() ? "" : cell_text(*it));
      }
      out << "\r\n";
      ++rows;
    }
    progress.update(rows);
    const Json& pagination = page["pagination"];
    if (!pagination.value("hasNext", false)) break;
    cursor = pagination.value("nextCursor", "");
    if (cursor.empty()) break;
  }
  progress.finish();
  out.flush();
  if (!out) throw Error::Storage("writing " + o.file + " failed");
  if (!to_stdout) {
    emit(o, {{"ok", true}, {"method", method}, {"rows", rows}, {"file", o.file}},
         "exported " + std::to_string(rows) + " rows of " + method + " to " + o.file);
  }
  return kExitOk;
}

}  // namespace dms::cli
