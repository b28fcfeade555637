// The committed-event feed: reading outbox events in commit order, and subscriptions.
#include "events/feed.hpp"

#include <algorithm>
#include <charconv>
#include <exception>
#include <thread>
#include <utility>

#include "dms/error.hpp"
#include "dms/time.hpp"
#include "service/service.hpp"

namespace dms::events {
namespace {

constexpr int kMaxLimit = 1000;

Json event_json(const storage::Row& row) {
  Json payload = Json::parse(row.str("payload"), nullptr, /*allow_exceptions=*/false);
  if (payload.is_discarded()) payload = Json::object();
  const auto center = row.opt_str("service_center_id");
  const auto audience = row.opt_str("audience_role");
  return Json{{"cursor", std::to_string(row.i64("feed_seq"))},
              {"id", std::to_string(row.i64("id"))},
              {"type", row.str("type")},
              {"payload", std::move(payload)},
              {"serviceCenterId", center ? Json(*center) : Json()},
              {"audienceRole", audience ? Json(*audience) : Json()},
              {"occurredAt", Timestamp::from_unix_micros(row.i64("created_at")).to_string()}};
}

}  // namespace

int64_t parse_cursor(const std::string& cursor) {
  if (cursor.empty()) return 0;
  int64_t value = -1;
  const char* end = cursor.data() + cursor.size();
  auto [ptr, ec] = std::from_chars(cursor.data(), end, value);
  if (ec != std::errc() || ptr != end || value < 0) {
    throw Error::Validation("cursor", "cursor is not a cursor of this feed");
  }
  return value;
}

Database::EventPage events_since(storage::Store& store, const std::string& cursor, int limit) {
  const int64_t after = parse_cursor(cursor);
  if (limit < 1 || limit > kMaxLimit) {
    throw Error::Validation("limit", "limit must be 1 to " + std::to_string(kMaxLimit));
  }
  Database::EventPage page;
  page.cursor = std::to_string(after);
  store.read([&](storage::Transaction& tx) {
    const storage::Rows rows = tx.query(
        "SELECT id, feed_seq, type, payload, service_center_id, audience_role, created_at "
        "FROM outbox_events WHERE feed_seq > ? ORDER BY feed_seq LIMIT ?",
        {after, static_cast<int64_t>(limit)});
    page.events.clear();
    for (const storage::Row& row : rows) page.events.push_back(event_json(row));
  });
  if (!page.events.empty()) page.cursor = page.events.back()["cursor"].get<std::string>();
  return page;
}

std::string events_head(storage::Store& store) {
  return store.read([](storage::Transaction& tx) {
    const auto row = tx.query_one("SELECT COALESCE(MAX(feed_seq), 0) FROM outbox_events");
    return std::to_string(row ? row->i64(0) : 0);
  });
}

void FeedHub::wake() {
  {
    std::lock_guard<std::mutex> lock(mutex);
    ++generation;
  }
  changed.notify_all();
}

}  // namespace dms::events

// ---- Subscriptions ------------------------------------------------------------------------------

namespace dms {

struct EventSubscription::State {
  std::shared_ptr<events::FeedHub> hub;
  std::function<void(const Json&)> on_event;
  std::function<void(const Error&)> on_error;
  Database::SubscribeOptions options;
  // Guarded by hub->mutex:
  std::string cursor;
  bool stop = false;
  bool finished = false;
  std::thread thread;
  std::thread::id runner;  // the thread's id, kept after a detach

  void run();
  void close();
  void report(const Error& e) noexcept {
    if (!on_error) return;
    try {
      on_error(e);
    } catch (...) {  // the host's error handler failed too: nothing more to tell
    }
  }
  // With hub->mutex held by `lock`: waits up to `timeout` for a wake-up after `since` or a stop.
  void sleep(std::unique_lock<std::mutex>& lock, uint64_t since,
             std::chrono::milliseconds timeout) {
    hub->changed.wait_for(lock, timeout, [&] { return stop || hub->generation != since; });
  }
};

void EventSubscription::State::run() {
  std::unique_lock<std::mutex> lock(hub->mutex);
  int failures = 0;
  while (!stop) {
    // The generation is read before the query: a commit while it runs ends the wait below.
    const uint64_t since = hub->generation;
    const std::string from = cursor;
    lock.unlock();
    Database::EventPage page;
    bool failed = false;
    try {
      page = events::events_since(hub->store, from, options.batch);
      failures = 0;
    } catch (const Error& e) {
      report(e);
      failed = true;
    } catch (const std::exception& e) {
      report(Error::Internal(e.what()));
      failed = true;
    }
    if (failed) {  // the database is unreachable or busy: try again after a growing pause
      failures = std::min(failures + 1, 6);
      lock.lock();
      hub->changed.wait_for(lock, options.poll_interval * (1 << failures), [&] { return stop; });
      continue;
    }
    bool callback_failed = false;
    for (const Json& event : page.events) {
      try {
        on_event(event);
      } catch (const std::exception& e) {
        report(Error::Internal(std::string("the event callback failed: ") + e.what()));
        callback_failed = true;
      } catch (...) {
        report(Error::Internal("the event callback failed"));
        callback_failed = true;
      }
      lock.lock();
      if (callback_failed) {
        stop = true;
        break;
      }
      cursor = event["cursor"].get<std::string>();
      if (stop) break;
      lock.unlock();
    }
    if (!lock.owns_lock()) lock.lock();
    if (!stop && static_cast<int>(page.events.size()) < options.batch) {
      sleep(lock, since, options.poll_interval);
    }
  }
  finished = true;
  hub->changed.notify_all();
}

void EventSubscription::State::close() {
  std::thread joining;
  {
    std::unique_lock<std::mutex> lock(hub->mutex);
    stop = true;
    hub->changed.notify_all();
    if (runner == std::this_thread::get_id()) {
      // Closed from its own callback: that callback is the last; the thread ends after it.
      if (thread.joinable()) thread.detach();
      return;
    }
    if (!thread.joinable()) {  // another close() is joining, or the thread was detached
      hub->changed.wait(lock, [&] { return finished; });
      return;
    }
    joining = std::move(thread);
  }
  joining.join();
}

EventSubscription::EventSubscription(std::shared_ptr<State> state) : state_(std::move(state)) {}

EventSubscription::~EventSubscription() {
  close();
}

void EventSubscription::close() {
  if (state_) state_->close();
}

bool EventSubscription::active() const {
  std::lock_guard<std::mutex> lock(state_->hub->mutex);
  return !state_->stop && !state_->finished;
}

std::string EventSubscription::cursor() const {
  std::lock_guard<std::mutex> lock(state_->hub->mutex);
  return state_->cursor;
}

namespace events {

void FeedHub::shutdown() {
  std::vector<std::shared_ptr<EventSubscription::State>> live;
  {
    std::lock_guard<std::mutex> lock(mutex);
    shut_down = true;
    for (const auto& weak : subscriptions) {
      if (auto state = weak.lock()) live.push_back(std::move(state));
    }
    subscriptions.clear();
  }
  for (const auto& state : live) state->close();
}

}  // namespace events

// ---- Database's feed methods --------------------------------------------------------------------

Database::EventPage Database::events_since(const std::string& cursor, int limit,
                                           std::chrono::milliseconds wait) {
  events::FeedHub& hub = *impl_->feed;
  const auto deadline = std::chrono::steady_clock::now() + wait;
  const auto poll = SubscribeOptions{}.poll_interval;
  for (;;) {
    uint64_t since = 0;
    {
      std::lock_guard<std::mutex> lock(hub.mutex);
      since = hub.generation;
    }
    EventPage page = events::events_since(*impl_->store, cursor, limit);
    const auto now = std::chrono::steady_clock::now();
    if (!page.events.empty() || now >= deadline) return page;
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - now) +
                      std::chrono::milliseconds(1);
    std::unique_lock<std::mutex> lock(hub.mutex);
    hub.changed.wait_for(lock, std::min(left, poll),
                         [&] { return hub.generation != since || hub.shut_down; });
  }
}

std::string Database::events_head() {
  return events::events_head(*impl_->store);
}

std::unique_ptr<EventSubscription> Database::subscribe(
    const std::string& cursor, std::function<void(const Json& event)> on_event,
    std::function<void(const Error& error)> on_error, const SubscribeOptions& options) {
  if (!on_event) throw Error::Validation("callback", "an event callback is required");
  if (options.batch < 1 || options.batch > 1000) {
    throw Error::Validation("batch", "batch must be 1 to 1000");
  }
  if (options.poll_interval < std::chrono::milliseconds(1) ||
      options.poll_interval > std::chrono::minutes(10)) {
    throw Error::Validation("pollIntervalMs", "the poll interval must be 1 ms to 10 minutes");
  }
  auto state = std::make_shared<EventSubscription::State>();
  state->hub = impl_->feed;
  state->on_event = std::move(on_event);
  state->on_error = std::move(on_error);
  state->options = options;
  state->cursor = std::to_string(events::parse_cursor(cursor));
  {
    std::lock_guard<std::mutex> lock(state->hub->mutex);
    if (state->hub->shut_down) throw Error::Validation("database", "the database is closed");
    auto& subs = state->hub->subscriptions;
    subs.erase(std::remove_if(subs.begin(), subs.end(), [](const auto& w) { return w.expired(); }),
               subs.end());
    subs.push_back(state);
    state->thread = std::thread([state] { state->run(); });
    state->runner = state->thread.get_id();
  }
  return std::make_unique<EventSubscription>(std::move(state));
}

}  // namespace dms
