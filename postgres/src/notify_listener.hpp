// LISTEN myna_retrieval on a dedicated connection and wake the local waiters of the
// retrievals named in the notifications; reconnects with backoff. Internal header.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <unordered_map>

#include "myna/postgres/database.hpp"

namespace myna::internal::pg {

class Connection;

/// Threads waiting for one retrieval register a slot; a signal bumps its counter.
class Waiters {
 public:
  struct Slot {
    std::condition_variable cv;
    std::uint64_t signals = 0;
    int users = 0;
  };

  std::shared_ptr<Slot> enter(const std::string& id);
  void leave(const std::string& id);
  void wake(const std::string& id);
  void wake_all();
  std::mutex& mutex() noexcept { return mu_; }

 private:
  std::mutex mu_;
  std::unordered_map<std::string, std::shared_ptr<Slot>> slots_;
};

class NotifyListener {
 public:
  NotifyListener(std::shared_ptr<myna::pg::Database> db, Waiters& waiters);
  ~NotifyListener();
  NotifyListener(const NotifyListener&) = delete;
  NotifyListener& operator=(const NotifyListener&) = delete;

 private:
  void run();
  void pump(Connection& c);
  bool pause(std::chrono::milliseconds d);

  std::shared_ptr<myna::pg::Database> db_;
  Waiters& waiters_;
  int wake_pipe_[2] = {-1, -1};  // written on stop, so poll() returns at once
  std::mutex mu_;
  std::condition_variable stop_cv_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace myna::internal::pg
