// Database::Impl: the connection pool of one instance and the operation runner that the
// stores use. Internal header.
#pragma once

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <vector>

#include "connection.hpp"
#include "myna/postgres/database.hpp"

namespace myna::pg {

struct Database::Impl {
  /// A pooled connection held for one operation; given back when destroyed.
  class Lease {
   public:
    Lease(Impl& pool, std::unique_ptr<internal::pg::Connection> c) : pool_(&pool), c_(std::move(c)) {}
    Lease(Lease&& other) noexcept = default;
    Lease& operator=(Lease&&) = delete;
    ~Lease() {
      if (c_) pool_->give_back(std::move(c_));
    }
    internal::pg::Connection& operator*() noexcept { return *c_; }

   private:
    Impl* pool_;
    std::unique_ptr<internal::pg::Connection> c_;
  };

  explicit Impl(DatabaseOptions o);

  /// A connection outside the pool (the LISTEN connection of a retrieval store).
  Result<std::unique_ptr<internal::pg::Connection>> connect();
  Result<Lease> acquire(const char* what);
  void give_back(std::unique_ptr<internal::pg::Connection> c);
  /// After a lost connection the idle ones are most likely dead too (server restart).
  void drop_idle();
  DatabaseStats stats();

  /// Runs fn(Connection&) on a pooled connection. It runs again, once, on a fresh connection
  /// when the connection was found dead before anything of the operation succeeded, and up
  /// to twice after a serialization failure or deadlock: operations must be safe to re-run.
  template <class Fn>
  auto run(const char* what, Fn&& fn) -> decltype(fn(std::declval<internal::pg::Connection&>())) {
    constexpr int kAttempts = 3;
    for (int attempt = 1;; ++attempt) {
      auto lease = acquire(what);
      if (!lease) return std::move(lease).error();
      internal::pg::Connection& c = **lease;
      c.begin_operation();
      auto out = fn(c);
      if (out || attempt >= kAttempts || !c.retryable()) return out;
      const bool lost = c.failure() == internal::pg::Failure::connection_lost;
      if (lost && attempt >= 2) return out;
      if (lost) drop_idle();
      options.logger.log(LogLevel::info, std::string("database: ") + what + ": " +
                                             (lost ? "connection lost, reconnecting" : "conflict, running again"));
    }
  }

  DatabaseOptions options;
  internal::pg::ConnectSettings settings;

 private:
  std::mutex mu_;
  std::condition_variable freed_;
  std::vector<std::unique_ptr<internal::pg::Connection>> idle_;
  std::size_t open_ = 0;  // idle + leased
  std::atomic<std::uint64_t> connects_{0}, lost_{0}, statements_{0};
};

}  // namespace myna::pg
