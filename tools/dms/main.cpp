// dms: the administrator's command-line tool over libdms (docs/cli.md). One table below names
// every command, its help text, its options and the function that runs it.
#include <CLI/CLI.hpp>

#include <cstdio>
#include <functional>
#include <iostream>
#include <map>

#include "cli.hpp"
#include "dms/error.hpp"

namespace {

using dms::cli::Options;

struct Command {
  const char* path;  // "init", "migrate status", "import customers", ...
  const char* help;
  std::function<void(CLI::App&, Options&)> options;  // the command's own options
  std::function<int(Options&)> run;
};

void user_fields(CLI::App& c, Options& o, bool with_role) {
  c.add_option("--email", o.email, "E-mail address (the login)")->required();
  c.add_option("--phone", o.phone, "Mobile number, +91 and 10 digits")->required();
  c.add_option("--first-name", o.first_name, "First name")->required();
  c.add_option("--last-name", o.last_name, "Last name")->required();
  if (with_role) {
    c.add_option("--role", o.role, "Role (admin, service_center_manager, ...)")->required();
    c.add_option("--service-center", o.service_center_id, "Service center id of the user");
  }
  c.add_flag("--send", o.send,
             "Queue the temporary password for delivery (e-mail/SMS) instead of printing it");
}

void import_options(CLI::App& c, Options& o) {
  c.add_option("FILE", o.file, "CSV file (RFC 4180) with a header row")->required();
  c.add_option("--report", o.report, "Where to write the rejected rows (default FILE.rejects.csv)");
  c.add_option("--batch-size", o.batch_size, "Rows per transaction")->check(CLI::Range(1, 100000));
  c.add_option("--as", o.as_user, "Act as this user (e-mail); default: the system context");
}

const std::vector<Command>& commands() {
  static const std::vector<Command> table = {
      {"init",
       "Create or migrate the database and create the first admin (prints the "
       "temporary password once)",
       [](CLI::App& c, Options& o) {
         c.add_option("--email", o.email, "The first admin's e-mail address");
         c.add_option("--phone", o.phone, "The first admin's mobile number (+91...)");
         c.add_option("--first-name", o.first_name, "First name")->default_val("Admin");
         c.add_option("--last-name", o.last_name, "Last name")->default_val("User");
         c.add_flag("--send", o.send, "Queue the temporary password for delivery instead");
       },
       dms::cli::cmd_init},
      {"migrate", "Schema migrations", nullptr, nullptr},
      {"migrate status", "List every migration and whether the database has it", nullptr,
       dms::cli::cmd_migrate_status},
      {"migrate up", "Apply the pending migrations", nullptr, dms::cli::cmd_migrate_up},
      {"verify", "Check the stock ledger and every audit chain (exit 1 on any problem)", nullptr,
       dms::cli::cmd_verify},
      {"import", "Import records from CSV through the services", nullptr, nullptr},
      {"import customers", "Import customers (natural key: phone)", import_options,
       [](Options& o) { return dms::cli::cmd_import(o, "customers"); }},
      {"import vehicles",
       "Import vehicles (natural keys: registration, vin; owner by customerPhone or customerId)",
       import_options, [](Options& o) { return dms::cli::cmd_import(o, "vehicles"); }},
      {"import parts", "Import catalogue parts (natural key: partNumber)", import_options,
       [](Options& o) { return dms::cli::cmd_import(o, "parts"); }},
      {"export", "Write a list query (or a report, with the reports module) to CSV",
       [](CLI::App& c, Options& o) {
         c.add_option("ENTITY", o.entity,
                      "customers, vehicles, jobCards, invoices, ... or a list method "
                      "(inventory.ListParts)");
         c.add_option("-o,--output", o.file, "Output file ('-' for stdout)")->required();
         c.add_option("--filter", o.filters, "field=value (repeatable)");
         c.add_option("--fields", o.fields, "Columns: id,name,...");
         c.add_option("--format", o.format, "csv; xlsx or pdf for a report");
         c.add_option("--report", o.report_name,
                      "A report by name (financial.revenue_by_period, ...; the reports module)");
         c.add_option("--param", o.params, "A report parameter: from=2026-11-01, groupBy=month");
       },
       dms::cli::cmd_export},
      {"jobs", "The scheduler's jobs", nullptr, nullptr},
      {"jobs run", "Run the due jobs (needs the scheduler module)",
       [](CLI::App& c, Options& o) {
         c.add_flag("--once", o.once, "Run once and exit");
         c.add_option("--job", o.job, "Only this job (when it is due)");
         c.add_option("--interval", o.interval_seconds, "Seconds between runs")
             ->check(CLI::Range(1, 86400));
       },
       dms::cli::cmd_jobs_run},
      {"backup", "Copy the database to FILE (SQLite's online backup; PostgreSQL: pg_dump)",
       [](CLI::App& c, Options& o) {
         c.add_option("FILE", o.file, "The backup file to write")->required();
       },
       dms::cli::cmd_backup},
      {"restore", "Replace the database's contents with a backup FILE (SQLite)",
       [](CLI::App& c, Options& o) {
         c.add_option("FILE", o.file, "The backup file to read")->required();
         c.add_flag("--yes", o.yes, "Yes, replace the database")->required();
       },
       dms::cli::cmd_restore},
      {"users", "User accounts", nullptr, nullptr},
      {"users create", "Create a user (prints the temporary password once)",
       [](CLI::App& c, Options& o) { user_fields(c, o, true); }, dms::cli::cmd_users_create},
      {"users reset-password",
       "Issue a password reset code (printed once), or set a new password from stdin",
       [](CLI::App& c, Options& o) {
         c.add_option("LOGIN", o.login, "E-mail address or phone number")->required();
         c.add_flag("--send", o.send, "Queue the reset code for delivery instead of printing it");
         c.add_flag("--password-stdin", o.password_stdin,
                    "Read the new password from stdin and set it");
       },
       dms::cli::cmd_users_reset_password},
  };
  return table;
}

}  // namespace

int main(int argc, char** argv) {
  Options o;
  CLI::App app{"dms: administer a libdms database (docs/cli.md)", "dms"};
  app.set_help_all_flag("--help-all", "Every command's help");
  app.require_subcommand(1);
  app.fallthrough();
  app.add_option("--db", o.db_url, "SQLite file path or postgresql:// URL")
      ->envname("DMS_DATABASE_URL");
  app.add_flag("--json", o.json, "Print one JSON document on stdout (no progress)");
  app.add_flag("-q,--quiet", o.quiet, "No progress output");
  app.add_option("--progress", o.progress, "auto (bar on a terminal), bar, lines or none")
      ->check(CLI::IsMember({"auto", "bar", "lines", "none"}));

  std::map<std::string, CLI::App*> apps;
  std::function<int(Options&)> chosen;
  for (const Command& command : commands()) {
    const std::string path = command.path;
    const size_t space = path.rfind(' ');
    CLI::App* parent = space == std::string::npos ? &app : apps.at(path.substr(0, space));
    const std::string name = space == std::string::npos ? path : path.substr(space + 1);
    CLI::App* sub = parent->add_subcommand(name, command.help);
    apps[path] = sub;
    if (command.options) command.options(*sub, o);
    if (command.run) {
      sub->callback([&chosen, run = command.run] { chosen = run; });
    } else {
      sub->require_subcommand(1);
    }
  }

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int rc = app.exit(e);
    return rc == 0 ? 0 : dms::cli::kExitUsage;
  }
  if (!chosen) return dms::cli::kExitUsage;
  try {
    return chosen(o);
  } catch (const dms::Error& e) {
    if (o.json) {
      std::cout << dms::Json{{"ok", false},
                             {"error",
                              {{"code", e.info().name},
                               {"codeNumber", static_cast<int>(e.code())},
                               {"field", e.field()},
                               {"message", e.message()}}}}
                       .dump()
                << "\n";
    }
    std::fprintf(stderr, "dms: %s%s%s: %s\n", e.info().name, e.field().empty() ? "" : " ",
                 e.field().c_str(), e.message().c_str());
    return dms::cli::kExitFailed;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "dms: %s\n", e.what());
    return dms::cli::kExitFailed;
  }
}
