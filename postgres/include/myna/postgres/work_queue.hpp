// A work queue in PostgreSQL that several instances drain together: items (e.g. citizen
// keys) are claimed with SELECT … FOR UPDATE SKIP LOCKED under a lease, so no two instances
// hold the same item, and an item whose instance died is claimed again when its lease ends.
#pragma once

#include <chrono>
#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "myna/postgres/database.hpp"
#include "myna/postgres/export.hpp"

namespace myna::pg {

struct WorkItem {
  std::string item;
  int attempts = 0;  ///< claims so far, this one included
};

struct QueueCounts {
  std::size_t pending = 0, leased = 0, done = 0, failed = 0;
  std::size_t open() const noexcept { return pending + leased; }
};

/// Thread-safe: each call takes a connection of the Database's pool.
class MYNA_PG_API WorkQueue {
 public:
  /// A named queue (table myna_work; many queues share it).
  static Result<std::shared_ptr<WorkQueue>> create(std::shared_ptr<Database> db, std::string name);
  ~WorkQueue();

  /// Adds items that are not in the queue yet (any state); returns how many were new.
  Result<std::size_t> enqueue(const std::vector<std::string>& items);
  /// Claims up to max ready items (pending and due, or leased with an expired lease) for
  /// owner until now + lease.
  Result<std::vector<WorkItem>> claim(const std::string& owner, std::size_t max, std::chrono::milliseconds lease);
  /// Extends the lease of an item this owner holds; false when the lease was lost.
  Result<bool> extend(const std::string& item, const std::string& owner, std::chrono::milliseconds lease);
  /// Done (only by the lease holder; false when the lease was lost to another instance). The
  /// last failure of a retried item stays in myna_work.last_error.
  Result<bool> complete(const std::string& item, const std::string& owner);
  /// Back to pending, due after delay (a transient failure); the reason is kept.
  Result<bool> retry_later(const std::string& item, const std::string& owner, std::chrono::milliseconds delay,
                           std::string_view reason);
  /// Failed for good (e.g. consent needed again); the reason is kept.
  Result<bool> fail(const std::string& item, const std::string& owner, std::string_view reason);
  Result<QueueCounts> counts();

 private:
  WorkQueue(std::shared_ptr<Database> db, std::string name);
  std::shared_ptr<Database> db_;
  std::string name_;
};

}  // namespace myna::pg
