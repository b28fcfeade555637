#include "dms/database.hpp"

#include <sodium.h>

#include "delivery/dispatcher.hpp"
#include "dms/error.hpp"
#include "events/feed.hpp"
#include "events/outbox.hpp"
#include "identity/auth.hpp"
#include "jobs/jobs.hpp"
#include "reports/rollups.hpp"
#include "service/background.hpp"
#include "service/schema.hpp"
#include "service/service.hpp"

namespace dms {
namespace {

std::string random_secret() {
  if (sodium_init() < 0) throw Error::Internal("libsodium failed to initialise");
  unsigned char bytes[32];
  randombytes_buf(bytes, sizeof bytes);
  char hex[65];
  sodium_bin2hex(hex, sizeof hex, bytes, sizeof bytes);
  return hex;
}

constexpr const char* kDispatcherTask = "dispatcher";
constexpr const char* kSchedulerTask = "scheduler";

}  // namespace

Database::Impl::Impl() : background(std::make_unique<service::Background>()) {}
// The tasks stop before the store they use closes (members are destroyed after this body).
Database::Impl::~Impl() {
  background->stop_all();
}

Database::Database(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Database::~Database() {
  if (impl_ && impl_->feed) impl_->feed->shutdown();  // no subscription outlives the store
}

std::unique_ptr<Database> Database::open(const std::string& url) {
  DatabaseOptions options;
  options.url = url;
  return open(options);
}

std::unique_ptr<Database> Database::open(const DatabaseOptions& options) {
  if (options.url.empty()) throw Error::Validation("url", "a database path or URL is required");
  storage::OpenOptions store_options;
  store_options.url = options.url;
  store_options.sqlite_synchronous = options.sqlite_synchronous;
  store_options.pool_size = options.pool_size;
  auto impl = std::make_unique<Impl>();
  impl->store = storage::Store::open(store_options);
  impl->feed = std::make_shared<events::FeedHub>(*impl->store);
  reports::ensure_rollups(*impl->store);
  if (!options.reader_url.empty() && impl->store->engine() == storage::Engine::kPostgres) {
    storage::OpenOptions reader_options = store_options;
    reader_options.url = options.reader_url;
    reader_options.migrate = false;
    impl->reader = storage::Store::open(reader_options);
    if (impl->reader->engine() != storage::Engine::kPostgres) {
      throw Error::Validation("readerUrl", "a read replica must be a postgresql:// URL");
    }
  }
  if (options.clock != nullptr) impl->clock = options.clock;
  impl->settings.token_secret =
      options.token_secret.empty() ? random_secret() : options.token_secret;
  impl->settings.delivery = options.delivery;
  impl->settings.background = options.background;
  auto db = std::unique_ptr<Database>(new Database(std::move(impl)));
  if (options.background.dispatcher) db->start_dispatcher();
  if (options.background.scheduler) db->start_scheduler();
  return db;
}

Json Database::call(const Context& ctx, std::string_view method, const Json& request) {
  service::Handler handler = service::find_method(method);
  if (handler == nullptr) {
    throw Error(ErrorCode::kNotFound, "unknown method '" + std::string(method.substr(0, 100)) + "'",
                "method");
  }
  try {
    // Strict requests: nothing reaches a handler that the wire schema does not describe
    // (src/service/schema.hpp), so a typo is an error, never a silently ignored field.
    schema::check_request(method, request, service::find_list_spec(method));
    events::take_emitted();
    Json response = handler(*impl_, ctx, request);
    // The handler's transaction has committed: subscriptions read its events now.
    if (events::take_emitted()) impl_->feed->wake();
    return response;
  } catch (const Error&) {
    events::take_emitted();
    throw;
  } catch (const nlohmann::json::exception& e) {
    throw Error::Validation("request", std::string("malformed request: ") + e.what());
  } catch (const std::bad_alloc&) {
    throw Error::Internal("out of memory");
  } catch (const std::exception& e) {
    throw Error::Internal(e.what());
  }
}

std::vector<std::string> Database::methods() {
  return service::method_names();
}

Json Database::login(const std::string& login, const std::string& password,
                     const RequestMeta& meta) {
  return identity::login(*impl_, login, password, meta);
}

Context Database::context_from_token(const std::string& access_token, const RequestMeta& meta) {
  return identity::context_from_token(*impl_, access_token, meta);
}

Context Database::context_for_user(const std::string& user_id, const RequestMeta& meta) {
  return identity::context_for_user(*impl_, user_id, meta);
}

Context Database::system_context() const {
  return Context::system(*impl_->clock);
}

const Clock& Database::clock() const {
  return *impl_->clock;
}

void Database::start_dispatcher() {
  Env& env = *impl_;
  auto dispatcher = std::shared_ptr<delivery::Dispatcher>(
      delivery::Dispatcher::from_settings(*env.store, *env.clock, env.settings.delivery));
  env.background->start(kDispatcherTask,
                        std::chrono::milliseconds(env.settings.background.dispatcher_interval_ms),
                        [dispatcher, batch = env.settings.delivery.batch_size] {
                          // A full batch: more may be due at once.
                          return dispatcher->run_batch().claimed >= batch;
                        });
}

void Database::stop_dispatcher() {
  impl_->background->stop(kDispatcherTask);
}

void Database::start_scheduler() {
  Env& env = *impl_;
  env.background->start(kSchedulerTask,
                        std::chrono::milliseconds(env.settings.background.scheduler_interval_ms),
                        [&env] {
                          jobs::run_due(*env.store, *env.clock, env.clock->now());
                          return false;  // the next look after the interval
                        });
}

void Database::stop_scheduler() {
  impl_->background->stop(kSchedulerTask);
}

}  // namespace dms
