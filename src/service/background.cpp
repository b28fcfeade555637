#include "service/background.hpp"

#include <condition_variable>
#include <exception>
#include <thread>
#include <utility>

namespace dms::service {

struct Background::Worker {
  std::mutex mutex;
  std::condition_variable cv;
  bool stopping = false;
  bool woken = false;
  std::string last_error;
  std::thread thread;

  void loop(std::chrono::milliseconds interval, const Task& task) {
    for (;;) {
      bool more = false;
      std::string error;
      try {
        more = task();
      } catch (const std::exception& e) {
        error = e.what();
      } catch (...) {
        error = "unknown exception";
      }
      std::unique_lock<std::mutex> lock(mutex);
      if (!error.empty()) last_error = std::move(error);
      if (!more) cv.wait_for(lock, interval, [&] { return stopping || woken; });
      woken = false;
      if (stopping) return;
    }
  }
};

Background::~Background() {
  stop_all();
}

bool Background::start(const std::string& name, std::chrono::milliseconds interval, Task task) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (workers_.count(name) != 0) return false;
  auto worker = std::make_shared<Worker>();
  Worker* raw = worker.get();
  worker->thread =
      std::thread([raw, interval, task = std::move(task)] { raw->loop(interval, task); });
  workers_.emplace(name, std::move(worker));
  return true;
}

bool Background::stop(const std::string& name) {
  std::shared_ptr<Worker> worker;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    auto it = workers_.find(name);
    if (it == workers_.end()) return false;
    worker = it->second;
    workers_.erase(it);
  }
  {
    std::lock_guard<std::mutex> lock(worker->mutex);
    worker->stopping = true;
  }
  worker->cv.notify_all();
  if (worker->thread.joinable()) worker->thread.join();
  return true;
}

void Background::wake(const std::string& name) {
  std::shared_ptr<Worker> worker;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    auto it = workers_.find(name);
    if (it == workers_.end()) return;
    worker = it->second;
  }
  {
    std::lock_guard<std::mutex> lock(worker->mutex);
    worker->woken = true;
  }
  worker->cv.notify_all();
}

bool Background::running(const std::string& name) const {
  std::lock_guard<std::mutex> lock(mutex_);
  return workers_.count(name) != 0;
}

std::vector<std::string> Background::names() const {
  std::lock_guard<std::mutex> lock(mutex_);
  std::vector<std::string> out;
  for (const auto& entry : workers_) out.push_back(entry.first);
  return out;
}

std::string Background::last_error(const std::string& name) const {
  std::shared_ptr<Worker> worker;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    auto it = workers_.find(name);
    if (it == workers_.end()) return {};
    worker = it->second;
  }
  std::lock_guard<std::mutex> lock(worker->mutex);
  return worker->last_error;
}

void Background::stop_all() {
  for (const std::string& name : names()) stop(name);
}

}  // namespace dms::service
