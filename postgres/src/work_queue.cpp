#include "myna/postgres/work_queue.hpp"

#include "internal/json_string.hpp"
#include "pool.hpp"

namespace myna::pg {
namespace {

using internal::pg::Connection;
using internal::pg::Param;

constexpr std::size_t kItemsPerStatement = 5000;
constexpr std::size_t kMaxReasonBytes = 500;

constexpr const char* kEnqueue =
    "INSERT INTO myna_work (queue, item) SELECT $1, x FROM jsonb_array_elements_text($2::jsonb) AS x"
    " ON CONFLICT (queue, item) DO NOTHING";
// Due items: pending and due, or leased to an instance whose lease ran out (it died).
constexpr const char* kClaim =
    "UPDATE myna_work w SET state = 'leased', lease_owner = $2,"
    " lease_until = clock_timestamp() + $4::bigint * interval '1 millisecond',"
    " attempts = w.attempts + 1, updated_at = clock_timestamp()"
    " FROM (SELECT item FROM myna_work WHERE queue = $1 AND ((state = 'pending' AND not_before <= clock_timestamp())"
    "       OR (state = 'leased' AND lease_until < clock_timestamp()))"
    "       ORDER BY not_before LIMIT $3 FOR UPDATE SKIP LOCKED) AS due"
    " WHERE w.queue = $1 AND w.item = due.item RETURNING w.item, w.attempts";
constexpr const char* kExtend =
    "UPDATE myna_work SET lease_until = clock_timestamp() + $4::bigint * interval '1 millisecond',"
    " updated_at = clock_timestamp() WHERE queue = $1 AND item = $2 AND state = 'leased' AND lease_owner = $3";
constexpr const char* kComplete =
    "UPDATE myna_work SET state = 'done', lease_until = NULL, updated_at = clock_timestamp()"
    " WHERE queue = $1 AND item = $2 AND state = 'leased' AND lease_owner = $3";
constexpr const char* kRetryLater =
    "UPDATE myna_work SET state = 'pending', lease_owner = '', lease_until = NULL, last_error = $5,"
    " not_before = clock_timestamp() + $4::bigint * interval '1 millisecond', updated_at = clock_timestamp()"
    " WHERE queue = $1 AND item = $2 AND state = 'leased' AND lease_owner = $3";
constexpr const char* kFail =
    "UPDATE myna_work SET state = 'failed', lease_until = NULL, last_error = $4, updated_at = clock_timestamp()"
    " WHERE queue = $1 AND item = $2 AND state = 'leased' AND lease_owner = $3";
constexpr const char* kCounts = "SELECT state, count(*) FROM myna_work WHERE queue = $1 GROUP BY state";

/// At most kMaxReasonBytes, cut at a UTF-8 character boundary.
std::string bounded(std::string_view reason) {
  if (reason.size() <= kMaxReasonBytes) return std::string(reason);
  std::size_t n = kMaxReasonBytes;
  while (n > 0 && (static_cast<unsigned char>(reason[n]) & 0xC0) == 0x80) --n;
  return std::string(reason.substr(0, n));
}

Status check_owner(const std::string& owner) {
  if (owner.empty()) return Error(ErrorCategory::validation, "the work queue owner name is empty");
  return {};
}

}  // namespace

WorkQueue::WorkQueue(std::shared_ptr<Database> db, std::string name) : db_(std::move(db)), name_(std::move(name)) {}
WorkQueue::~WorkQueue() = default;

Result<std::shared_ptr<WorkQueue>> WorkQueue::create(std::shared_ptr<Database> db, std::string name) {
  if (!db) return Error(ErrorCategory::validation, "the work queue needs a database");
  if (name.empty()) return Error(ErrorCategory::validation, "the work queue name is empty");
  return std::shared_ptr<WorkQueue>(new WorkQueue(std::move(db), std::move(name)));
}

Result<std::size_t> WorkQueue::enqueue(const std::vector<std::string>& items) {
  std::vector<std::string> batches;
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (items[i].empty() || items[i].find('\0') != std::string::npos)
      return Error(ErrorCategory::validation, "work item " + std::to_string(i) + " is empty or holds a NUL character");
    if (i % kItemsPerStatement == 0) batches.emplace_back("[");
    std::string& out = batches.back();
    if (out.size() > 1) out.push_back(',');
    internal::append_json_string(out, items[i]);
    if ((i + 1) % kItemsPerStatement == 0 || i + 1 == items.size()) out.push_back(']');
  }
  return db_->impl().run("adding work items", [&](Connection& c) -> Result<std::size_t> {
    return internal::pg::transaction(c, "adding work items", [&]() -> Result<std::size_t> {
      std::size_t added = 0;
      for (const std::string& batch : batches) {
        auto rows = c.exec("adding work items", kEnqueue, {Param::text(name_), Param::text(batch)});
        if (!rows) return std::move(rows).error();
        added += rows->affected();
      }
      return added;
    });
  });
}

Result<std::vector<WorkItem>> WorkQueue::claim(const std::string& owner, std::size_t max,
                                               std::chrono::milliseconds lease) {
  if (Status st = check_owner(owner); !st) return std::move(st).error();
  if (max == 0 || lease.count() <= 0)
    return Error(ErrorCategory::validation, "claim at least one item for a positive lease");
  return db_->impl().run("claiming work items", [&](Connection& c) -> Result<std::vector<WorkItem>> {
    auto rows = c.exec("claiming work items", kClaim,
                       {Param::text(name_), Param::text(owner), Param::integer(static_cast<std::int64_t>(max)),
                        Param::integer(lease.count())});
    if (!rows) return std::move(rows).error();
    std::vector<WorkItem> out;
    out.reserve(static_cast<std::size_t>(rows->size()));
    for (int i = 0; i < rows->size(); ++i) out.push_back({rows->str(i, 0), static_cast<int>(rows->integer(i, 1))});
    return out;
  });
}

namespace {

/// One UPDATE of an item held by owner; true when it applied (the lease was still ours).
Result<bool> update_held(Database& db, const char* what, const char* sql, std::vector<Param> params) {
  return db.impl().run(what, [&](Connection& c) -> Result<bool> {
    auto rows = c.exec(what, sql, params);
    if (!rows) return std::move(rows).error();
    return rows->affected() == 1;
  });
}

}  // namespace

Result<bool> WorkQueue::extend(const std::string& item, const std::string& owner, std::chrono::milliseconds lease) {
  if (Status st = check_owner(owner); !st) return std::move(st).error();
  return update_held(*db_, "extending a lease", kExtend,
                     {Param::text(name_), Param::text(item), Param::text(owner), Param::integer(lease.count())});
}

Result<bool> WorkQueue::complete(const std::string& item, const std::string& owner) {
  if (Status st = check_owner(owner); !st) return std::move(st).error();
  return update_held(*db_, "completing a work item", kComplete,
                     {Param::text(name_), Param::text(item), Param::text(owner)});
}

Result<bool> WorkQueue::retry_later(const std::string& item, const std::string& owner, std::chrono::milliseconds delay,
                                    std::string_view reason) {
  if (Status st = check_owner(owner); !st) return std::move(st).error();
  return update_held(*db_, "postponing a work item", kRetryLater,
                     {Param::text(name_), Param::text(item), Param::text(owner),
                      Param::integer(std::max<std::int64_t>(0, delay.count())), Param::text(bounded(reason))});
}

Result<bool> WorkQueue::fail(const std::string& item, const std::string& owner, std::string_view reason) {
  if (Status st = check_owner(owner); !st) return std::move(st).error();
  return update_held(*db_, "failing a work item", kFail,
                     {Param::text(name_), Param::text(item), Param::text(owner), Param::text(bounded(reason))});
}

Result<QueueCounts> WorkQueue::counts() {
  return db_->impl().run("counting work items", [&](Connection& c) -> Result<QueueCounts> {
    auto rows = c.exec("counting work items", kCounts, {Param::text(name_)});
    if (!rows) return std::move(rows).error();
    QueueCounts q;
    for (int i = 0; i < rows->size(); ++i) {
      const auto n = static_cast<std::size_t>(rows->integer(i, 1));
      const std::string_view state = rows->text(i, 0);
      if (state == "pending")
        q.pending = n;
      else if (state == "leased")
        q.leased = n;
      else if (state == "done")
        q.done = n;
      else if (state == "failed")
        q.failed = n;
    }
    return q;
  });
}

}  // namespace myna::pg
