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

#include <chrono>
#include <functional>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "dms/context.hpp"
#include "dms/json.hpp"
#include "dms/time.hpp"

namespace dms {

class Error;
class EventSubscription;

// A page of the committed-event feed (Database::events_since).
struct EventPage {
  std::vector<Json> events;  // oldest first
  std::string cursor;        // after the last of `events` (the given cursor when none)
};

// Options of Database::subscribe.
struct SubscribeOptions {
  // How often the subscription looks for other processes' commits (this Database's own commits
  // wake it at once).
  std::chrono::milliseconds poll_interval{100};
  int batch = 100;  // events read per query
};

// How queued e-mail and SMS leave the library (docs/settings.md). Credentials (the SMTP password,
// gateway headers) are never printed: not in errors, logs, message lists or audit rows.
struct SmtpSettings {
  // "smtp://host:587" (plain or STARTTLS) or "smtps://host:465" (TLS). Empty: e-mail stays queued.
  std::string url;
  std::string username;  // AUTH login when not empty
  std::string password;
  std::string from;          // the sender: "noreply@dealer.in" or "Dealer DMS <noreply@dealer.in>"
  bool starttls = false;     // smtp:// only: require STARTTLS before login and mail
  int timeout_seconds = 30;  // connect and whole-transfer limit of one message
};
struct SmsGatewaySettings {
  // The provider's HTTP(S) endpoint. Empty: SMS stays queued.
  std::string url;
  std::string method = "POST";
  // Request headers ("Authorization": "Bearer ..."); their values are credentials.
  std::vector<std::pair<std::string, std::string>> headers;
  // The request body with placeholders {{to}}, {{body}} and {{messageId}}, replaced by the
  // JSON-string-escaped value (no quotes added): {"to": "{{to}}", "text": "{{body}}"}.
  std::string body_template = R"({"to":"{{to}}","body":"{{body}}"})";
  int timeout_seconds = 30;
};
struct RetrySettings {
  int max_attempts = 5;              // tries before a message is dead-lettered
  int64_t base_delay_seconds = 30;   // delay after the first failure
  int64_t factor = 2;                // each further failure multiplies the delay
  int64_t max_delay_seconds = 3600;  // the delay's cap
};
struct DeliverySettings {
  SmtpSettings smtp;
  SmsGatewaySettings sms;
  RetrySettings retry;
  int batch_size = 50;          // messages claimed at once by one dispatcher
  int64_t lease_seconds = 120;  // a claim's lifetime: a dispatcher that died releases it then
  // The settings of an options document {"smtp": {...}, "sms": {...}, "retry": {...},
  // "batchSize": 50, "leaseSeconds": 120} (camelCase keys, docs/settings.md); VALIDATION naming
  // the key for an unknown key or a bad value.
  static DeliverySettings from_json(const Json& document);
};
struct BackgroundSettings {
  bool dispatcher = false;                // run the message dispatcher on a background thread
  int64_t dispatcher_interval_ms = 1000;  // pause between batches when nothing was due
  bool scheduler = false;                 // run the due scheduled jobs on a background thread
  int64_t scheduler_interval_ms = 60000;  // how often the scheduler looks for due jobs
  // {"dispatcher": true, "dispatcherIntervalMs": 1000, "scheduler": true,
  //  "schedulerIntervalMs": 60000}
  static BackgroundSettings from_json(const Json& document);
};

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
  // Delivery of e-mail and SMS; background threads (docs/settings.md).
  DeliverySettings delivery;
  BackgroundSettings background;
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

  // ---- The committed-event feed (docs/bindings.md "Committed events", decision 0017) --------
  // Every outbox event (what events::emit writes in a mutation's transaction), in commit order,
  // each once its transaction has committed, as
  //   {cursor, id, type, payload, serviceCenterId|null, audienceRole|null, occurredAt}.
  // A cursor is an opaque string ("" is the beginning); resume with the cursor of the last event
  // handled. HOST-LEVEL API: no context, no permission check. The host holds the database and must
  // filter events per user (serviceCenterId, audienceRole) before showing them to anyone.
  using EventPage = dms::EventPage;
  // The events committed after `cursor` (limit 1..1000, else VALIDATION on "limit"; a malformed
  // cursor is VALIDATION on "cursor"). With `wait` > 0 and nothing committed yet, waits up to
  // `wait` for the first one (woken by this Database's own commits, polling for other processes').
  EventPage events_since(const std::string& cursor, int limit = 100,
                         std::chrono::milliseconds wait = std::chrono::milliseconds(0));
  // The cursor after the newest committed event: to follow the feed from now on.
  std::string events_head();

  using SubscribeOptions = dms::SubscribeOptions;
  // Calls `on_event` with each event committed after `cursor`, in commit order, on the
  // subscription's own thread (one at a time), from now until the subscription is closed. At least
  // once: after a restart, subscribe again with the cursor of the last event handled. Storage
  // failures are passed to `on_error` (when given) and retried after a pause; an exception thrown
  // by `on_event` ends the subscription (after `on_error`). Destroying the Database closes its
  // subscriptions (REQUIRES: not from inside a callback).
  std::unique_ptr<EventSubscription> subscribe(
      const std::string& cursor, std::function<void(const Json& event)> on_event,
      std::function<void(const Error& error)> on_error = {}, const SubscribeOptions& options = {});
  // The message dispatcher on the Database's background thread (docs/settings.md): delivers due
  // messages batch after batch while running. start is idempotent; stop waits for the batch in
  // progress. Closing the Database stops it. One batch on the caller's thread instead:
  // call(ctx, "messages.DeliverBatch").
  void start_dispatcher();
  void stop_dispatcher();
  // The scheduler of jobs (docs/jobs.md) on the Database's background thread: every
  // BackgroundSettings::scheduler_interval_ms it runs the jobs due as of the clock's now, each
  // once per slot however many processes do the same. start is idempotent; stop waits for the
  // run in progress. Without it: call(ctx, "jobs.RunDue") from the host's own timer.
  void start_scheduler();
  void stop_scheduler();

  struct Impl;
  Impl& impl() { return *impl_; }

 private:
  explicit Database(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// A running subscription (Database::subscribe). Thread-safe.
class EventSubscription {
 public:
  struct State;
  explicit EventSubscription(std::shared_ptr<State> state);
  ~EventSubscription();  // close()
  EventSubscription(const EventSubscription&) = delete;
  EventSubscription& operator=(const EventSubscription&) = delete;

  // Stops delivering and waits for a callback in flight to return (from inside a callback it
  // only stops: that callback is the last). Idempotent; fine after the Database is gone.
  void close();
  // False once closed, after the Database was destroyed, or after `on_event` threw.
  bool active() const;
  // The cursor after the last event delivered (the starting cursor before the first).
  std::string cursor() const;

 private:
  std::shared_ptr<State> state_;
};

}  // namespace dms
