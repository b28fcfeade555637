// Background work of a Database: named periodic tasks, each on its own thread.
//
//   env.background->start("dispatcher", std::chrono::milliseconds(1000), [&] {
//     return notify::Dispatcher(env).run_batch().claimed > 0;  // true: run again at once
//   });
//   env.background->wake("dispatcher");  // run now instead of after the pause
//   env.background->stop("dispatcher");  // waits for the run in progress
//
// A task runs, then pauses for its interval (or not at all when it returned true, meaning more
// work may be waiting), until stopped or woken. An exception from a task is caught (a library
// must not kill its host): the task pauses and runs again; last_error() tells what it was. The
// Database stops every task before it closes its store. The message dispatcher runs here; the
// scheduler of jobs will run here too.
//
// Thread-safety: every member may be called from any thread, except that a task must not stop
// itself (stop() joins the task's thread).
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace dms::service {

class Background {
 public:
  // One run of a task; true when it did work and should run again without pausing.
  using Task = std::function<bool()>;

  Background() = default;
  ~Background();
  Background(const Background&) = delete;
  Background& operator=(const Background&) = delete;

  // Starts `name` on a new thread; false (and nothing changes) when it is already running.
  bool start(const std::string& name, std::chrono::milliseconds interval, Task task);
  // Stops `name` and waits for its thread; false when it was not running.
  bool stop(const std::string& name);
  // Cuts the pause of `name` short (no-op when it is not running).
  void wake(const std::string& name);
  bool running(const std::string& name) const;
  // The names of the running tasks, sorted.
  std::vector<std::string> names() const;
  // The message of the last exception of `name`'s runs ("" when none or not running).
  std::string last_error(const std::string& name) const;
  // Stops every task (the Database's close).
  void stop_all();

 private:
  struct Worker;
  mutable std::mutex mutex_;
  std::map<std::string, std::shared_ptr<Worker>> workers_;
};

}  // namespace dms::service
