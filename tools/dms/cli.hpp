// The dms command: shared pieces of its commands (tools/dms/main.cpp holds the command table).
//
// Exit status of every command: 0 success; 1 a failure or a problem found (verify); 2 a usage
// error; 3 an import that finished with rejected rows (see the report).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "dms/database.hpp"
#include "dms/json.hpp"
#include "progress.hpp"

namespace dms::cli {

inline constexpr int kExitOk = 0;
inline constexpr int kExitFailed = 1;
inline constexpr int kExitUsage = 2;
inline constexpr int kExitRejectedRows = 3;

// Every option of every command (CLI11 binds to these fields).
struct Options {
  std::string db_url;             // --db or DMS_DATABASE_URL
  bool json = false;              // --json: one JSON document on stdout, no progress
  bool quiet = false;             // --quiet: no progress
  std::string progress = "auto";  // --progress auto|bar|lines|none

  // init / users create
  std::string email, phone, first_name, last_name, role, service_center_id;
  bool send = false;  // leave the temporary password or reset code in the outbox
  // users reset-password
  std::string login;
  bool password_stdin = false;
  // import / export / backup / restore
  std::string file;
  std::string report;  // import: where the bad rows go (default FILE.rejects.csv)
  int batch_size = 500;
  std::string as_user;  // import: act as this user (e-mail); default the system context
  std::string entity;   // export: customers, vehicles, jobCards, ... or a method name
  std::vector<std::string> filters;  // export: field=value
  std::vector<std::string> params;   // export --report: param=value (from, to, groupBy, ...)
  std::string fields;                // export: id,name,...
  std::string format = "csv";
  std::string report_name;  // export --report NAME (reports module)
  bool yes = false;         // restore: replace the database
  // jobs run
  bool once = false;
  std::string job;  // only this job
  int interval_seconds = 60;
};

// Opens --db (creating and migrating it, as Database::open does).
std::unique_ptr<Database> open_database(const Options& o);
Progress::Style progress_style(const Options& o);
// Prints `doc` (with --json) or `text` (without) on stdout.
void emit(const Options& o, const Json& doc, const std::string& text);

// The commands (one function each; main.cpp's table maps names to them).
int cmd_init(Options& o);
int cmd_migrate_status(Options& o);
int cmd_migrate_up(Options& o);
int cmd_verify(Options& o);
int cmd_import(Options& o, const std::string& kind);
int cmd_export(Options& o);
int cmd_jobs_run(Options& o);
int cmd_backup(Options& o);
int cmd_restore(Options& o);
int cmd_users_create(Options& o);
int cmd_users_reset_password(Options& o);

}  // namespace dms::cli
