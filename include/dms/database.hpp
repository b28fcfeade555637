// Database: the entry point of libdms. Open one per process and share it.
//
//   auto db = dms::Database::open("dealer.db");               // embedded SQLite file
//   auto db = dms::Database::open("postgresql://u@host/dms");  // PostgreSQL
//   dms::Json session = db->login("admin@dealer.in", "...");   // tokens + user
//   dms::Context ctx = db->context_from_token(session["accessToken"]);
//   dms::Json jc = db->call(ctx, "jobCards.Create", {{"vehicleId", ...}, ...});
//
// Every service method is reachable through call(method, request) with a JSON document shaped
// like seed 002's contract; methods() lists them. Errors are dms::Error (see error.hpp).
//
// Thread-safety: a Database is safe to use from many threads at once.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "dms/context.hpp"
#include "dms/json.hpp"
#include "dms/time.hpp"

namespace dms {

struct DatabaseOptions {
  // "dealer.db", ":memory:", or "postgresql://...".
  std::string url;
  // SQLite PRAGMA synchronous: FULL (durable commits, default) or NORMAL (faster, WAL-safe).
  std::string sqlite_synchronous = "FULL";
  // PostgreSQL connections kept open.
  int pool_size = 8;
  // PostgreSQL: a read replica ("postgresql://..." of a hot standby of `url`) that reports and
  // dashboards read from (src/reports/engine.hpp); empty: they read the primary. Its schema
  // follows the primary's (it is never migrated), and it may lag by the replication delay.
  // Ignored for SQLite, where reports read a WAL snapshot that never blocks writers.
  std::string reader_url;
  // The clock services read "now" from; must outlive the Database. Null: the system clock.
  const Clock* clock = nullptr;
  // HS256 secret for access tokens. Empty: a random secret per Database (tokens then do not
  // survive a restart).
  std::string token_secret;
};

class Database {
 public:
  static std::unique_ptr<Database> open(const std::string& url);
  static std::unique_ptr<Database> open(const DatabaseOptions& options);
  ~Database();
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  // Runs a service method ("inventory.AdjustStock") for `ctx`. Unknown method: NOT_FOUND with
  // field "method".
  Json call(const Context& ctx, std::string_view method, const Json& request = Json::object());
  // The names of every registered method, sorted.
  static std::vector<std::string> methods();

  // Authentication: the same as call("auth.Login", ...) without a context.
  Json login(const std::string& login, const std::string& password, const RequestMeta& meta = {});
  // A Context from an access token (INVALID_TOKEN, TOKEN_EXPIRED, ACCOUNT_INACTIVE).
  Context context_from_token(const std::string& access_token, const RequestMeta& meta = {});
  // A Context for a user without a password: for trusted in-process hosts and tests. It does not
  // impose the first-login password change, which gates password sessions (docs/security.md).
  Context context_for_user(const std::string& user_id, const RequestMeta& meta = {});
  // The system context (all permissions), for bootstrap: creating the first admin with
  // call(system_context(), "users.Create", {..., "role": "admin"}) (docs/security.md).
  Context system_context() const;

  const Clock& clock() const;

  struct Impl;
  Impl& impl() { return *impl_; }

 private:
  explicit Database(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace dms
