// RetrievalStore on PostgreSQL: each transition reads its row, applies the rules shared with
// the memory and file stores (internal/retrieval_transitions.hpp) with the database's clock, and writes
// the row back with a compare-and-set on its version (a conditional UPDATE: of racing
// claimers exactly one wins); a trigger NOTIFYs state changes to every instance's LISTEN
// connection.
#include <algorithm>

#include "internal/civil_date.hpp"
#include "internal/retrieval_transitions.hpp"
#include "myna/postgres/stores.hpp"
#include "notify_listener.hpp"
#include "pool.hpp"

namespace myna::pg {
namespace {

using internal::pg::Connection;
using internal::pg::Param;
using internal::pg::Rows;
using myna::internal::SysClock;

constexpr std::chrono::milliseconds kCancelSlice{50};  // to notice cancellation while waiting
constexpr int kMaxRaces = 50;                          // compare-and-set attempts of one transition under contention

#define MYNA_RETRIEVAL_COLUMNS                                                                               \
  "telegram_id, process_id, citizen, record_type, to_char(from_date, 'YYYYMMDD'), "                          \
  "to_char(to_date, 'YYYYMMDD'), state, error_code, owner, "                                                 \
  "(extract(epoch from created_at) * 1000000)::bigint, (extract(epoch from updated_at) * 1000000)::bigint, " \
  "provisional"

constexpr const char* kFind = "SELECT " MYNA_RETRIEVAL_COLUMNS " FROM myna_retrievals WHERE telegram_id = $1";
// The row, its version and the database's clock: the input of one transition.
constexpr const char* kRead = "SELECT " MYNA_RETRIEVAL_COLUMNS
                              ", version, (extract(epoch from clock_timestamp()) * 1000000)::bigint"
                              " FROM myna_retrievals WHERE telegram_id = $1";
constexpr const char* kUnfinished = "SELECT " MYNA_RETRIEVAL_COLUMNS
                                    " FROM myna_retrievals WHERE state NOT IN ('fetched', 'failed', 'timed_out')"
                                    " ORDER BY created_at, telegram_id";
constexpr const char* kCreate =
    "INSERT INTO myna_retrievals (telegram_id, process_id, citizen, record_type, from_date, to_date, state,"
    " error_code, owner, created_at, updated_at)"
    " VALUES ($1, $2, $3, $4, to_date($5, 'YYYYMMDD'), to_date($6, 'YYYYMMDD'), $7, $8, $9,"
    " 'epoch'::timestamptz + $10::bigint * interval '1 microsecond', clock_timestamp())"
    " ON CONFLICT (telegram_id) DO NOTHING";
// Compare-and-set: applies only if nobody changed the row since it was read.
constexpr const char* kWrite =
    "UPDATE myna_retrievals SET process_id = $2, state = $3, error_code = $4, owner = $5,"
    " updated_at = 'epoch'::timestamptz + $6::bigint * interval '1 microsecond', provisional = $7,"
    " version = version + 1 WHERE telegram_id = $1 AND version = $8";
constexpr const char* kPurge =
    "DELETE FROM myna_retrievals WHERE state IN ('fetched', 'failed', 'timed_out')"
    " AND updated_at <= clock_timestamp() - $1::bigint * interval '1 second'";

#undef MYNA_RETRIEVAL_COLUMNS

std::int64_t micros(SysClock::time_point t) {
  return std::chrono::duration_cast<std::chrono::microseconds>(t.time_since_epoch()).count();
}

SysClock::time_point from_micros(std::int64_t us) {
  return SysClock::time_point(std::chrono::duration_cast<SysClock::duration>(std::chrono::microseconds(us)));
}

std::optional<RetrievalState> parse_state(std::string_view text) {
  for (auto s : {RetrievalState::requested, RetrievalState::waiting, RetrievalState::notified, RetrievalState::fetching,
                 RetrievalState::fetched, RetrievalState::failed, RetrievalState::timed_out})
    if (text == to_string(s)) return s;
  return std::nullopt;
}

Param date_param(const Date& d) { return d.has_value() ? Param::text(internal::compact_date(d)) : Param::null(); }

Error corrupt_row() {
  return Error(ErrorCategory::storage, "a row of myna_retrievals holds an invalid date, state or provisional list");
}

/// A nullable date column written as YYYYMMDD; false when it does not parse.
bool read_date(const Rows& rows, int i, int col, Date& out) {
  if (rows.null(i, col)) return true;
  auto d = Date::parse(rows.text(i, col));
  if (d) out = *d;
  return d.ok();
}

Result<Retrieval> parse_row(const Rows& rows, int i) {
  Retrieval r;
  r.telegram_id = rows.str(i, 0);
  r.process_id = rows.str(i, 1);
  r.citizen = rows.str(i, 2);
  r.type = static_cast<RecordType>(rows.integer(i, 3));
  auto state = parse_state(rows.text(i, 6));
  if (!read_date(rows, i, 4, r.from) || !read_date(rows, i, 5, r.to) || !state ||
      !myna::internal::decode_provisional(rows.text(i, 11), r.provisional))
    return corrupt_row();
  r.state = *state;
  r.error_code = rows.str(i, 7);
  r.owner = rows.str(i, 8);
  r.created_at = from_micros(rows.integer(i, 9));
  r.updated_at = from_micros(rows.integer(i, 10));
  return r;
}

Result<std::vector<Retrieval>> parse_rows(const Rows& rows) {
  std::vector<Retrieval> out;
  out.reserve(static_cast<std::size_t>(rows.size()));
  for (int i = 0; i < rows.size(); ++i) {
    auto r = parse_row(rows, i);
    if (!r) return std::move(r).error();
    out.push_back(std::move(*r));
  }
  return out;
}

class PgRetrievalStore final : public RetrievalStore {
 public:
  PgRetrievalStore(std::shared_ptr<Database> db, RetrievalStoreOptions options)
      : db_(std::move(db)), options_(options) {
    if (options_.listen) listener_ = std::make_unique<internal::pg::NotifyListener>(db_, waiters_);
  }

  Status create(const Retrieval& retrieval) override {
    auto r = myna::internal::as_created(retrieval, SysClock::now());
    if (!r) return std::move(r).error();
    return db_->impl().run("registering a retrieval", [&](Connection& c) -> Status {
      auto rows = c.exec("registering a retrieval", kCreate,
                         {Param::text(r->telegram_id), Param::text(r->process_id), Param::text(r->citizen),
                          Param::integer(static_cast<int>(r->type)), date_param(r->from), date_param(r->to),
                          Param::text(to_string(r->state)), Param::text(r->error_code), Param::text(r->owner),
                          Param::integer(micros(r->created_at))});
      if (!rows) return std::move(rows).error();
      if (rows->affected() == 0) return myna::internal::duplicate_retrieval();
      return {};
    });
  }

  Result<std::optional<Retrieval>> find(const std::string& telegram_id) override {
    return db_->impl().run("reading a retrieval", [&](Connection& c) -> Result<std::optional<Retrieval>> {
      auto rows = c.exec("reading a retrieval", kFind, {Param::text(telegram_id)});
      if (!rows) return std::move(rows).error();
      if (rows->empty()) return std::optional<Retrieval>();
      auto r = parse_row(*rows, 0);
      if (!r) return std::move(r).error();
      return std::optional<Retrieval>(std::move(*r));
    });
  }

  Status set_process_id(const std::string& telegram_id, const std::string& process_id) override {
    auto out =
        transition<bool>("recording a processId", telegram_id,
                         [&](std::optional<Retrieval>& r, SysClock::time_point now, bool& changed) -> Result<bool> {
                           if (!r) return myna::internal::unknown_retrieval();
                           Status st = myna::internal::apply_process_id(*r, process_id, now, changed);
                           if (!st) return std::move(st).error();
                           return true;
                         });
    if (!out) return std::move(out).error();
    return {};
  }

  Result<std::optional<RetrievalState>> mark_notified(const std::string& telegram_id, const std::string& process_id,
                                                      const std::string& error_code) override {
    return transition<std::optional<RetrievalState>>("recording a notification", telegram_id,
                                                     [&](std::optional<Retrieval>& r, SysClock::time_point now,
                                                         bool& changed) -> Result<std::optional<RetrievalState>> {
                                                       if (!r) return std::optional<RetrievalState>();
                                                       return myna::internal::apply_notified(*r, process_id, error_code,
                                                                                             now, changed);
                                                     });
  }

  Result<bool> claim_fetch(const std::string& telegram_id, const std::string& owner,
                           std::chrono::seconds stale_after) override {
    return transition<bool>("claiming a result fetch", telegram_id,
                            [&](std::optional<Retrieval>& r, SysClock::time_point now, bool& changed) -> Result<bool> {
                              if (!r) return myna::internal::unknown_retrieval();
                              changed = myna::internal::apply_claim(*r, owner, stale_after, now);
                              return changed;
                            });
  }

  Status finish(const std::string& telegram_id, RetrievalState state) override {
    auto out =
        transition<bool>("finishing a retrieval", telegram_id,
                         [&](std::optional<Retrieval>& r, SysClock::time_point now, bool& changed) -> Result<bool> {
                           if (!r) return myna::internal::unknown_retrieval();
                           Status st = myna::internal::apply_finish(*r, state, now, changed);
                           if (!st) return std::move(st).error();
                           return true;
                         });
    if (!out) return std::move(out).error();
    return {};
  }

  Result<RetrievalState> wait(const std::string& telegram_id, const Context& context) override;

  Result<std::vector<Retrieval>> unfinished() override {
    return db_->impl().run("listing unfinished retrievals", [&](Connection& c) -> Result<std::vector<Retrieval>> {
      auto rows = c.exec("listing unfinished retrievals", kUnfinished);
      if (!rows) return std::move(rows).error();
      return parse_rows(*rows);
    });
  }

  Status purge(std::chrono::seconds older_than) override {
    return db_->impl().run("purging retrievals", [&](Connection& c) -> Status {
      auto rows = c.exec("purging retrievals", kPurge, {Param::integer(older_than.count())});
      if (!rows) return std::move(rows).error();
      return {};
    });
  }

 private:
  /// One transition as a compare-and-set: reads the row with its version and the database's
  /// clock, lets apply() change it with the shared rules, and writes it back only if the
  /// version is still the one read (else reads again). A duplicate changes nothing and costs
  /// one read.
  template <class T, class Apply>
  Result<T> transition(const char* what, const std::string& id, Apply&& apply) {
    return db_->impl().run(what, [&](Connection& c) -> Result<T> {
      for (int race = 0; race < kMaxRaces; ++race) {
        auto rows = c.exec(what, kRead, {Param::text(id)});
        if (!rows) return std::move(rows).error();
        std::optional<Retrieval> r;
        SysClock::time_point now;
        if (!rows->empty()) {
          auto parsed = parse_row(*rows, 0);
          if (!parsed) return std::move(parsed).error();
          r = std::move(*parsed);
          now = from_micros(rows->integer(0, 13));
        }
        bool changed = false;
        Result<T> out = apply(r, now, changed);
        if (!out || !changed) return out;
        auto written = write(c, what, *r, rows->integer(0, 12));
        if (!written) return std::move(written).error();
        if (*written) return out;
      }
      return Error(ErrorCategory::storage, std::string(what) + ": the retrieval kept changing concurrently; try again");
    });
  }

  /// True when the row still had the version read.
  static Result<bool> write(Connection& c, const char* what, const Retrieval& r, std::int64_t version) {
    auto rows = c.exec(what, kWrite,
                       {Param::text(r.telegram_id), Param::text(r.process_id), Param::text(to_string(r.state)),
                        Param::text(r.error_code), Param::text(r.owner), Param::integer(micros(r.updated_at)),
                        Param::text(myna::internal::encode_provisional(r.provisional)), Param::integer(version)});
    if (!rows) return std::move(rows).error();
    return rows->affected() == 1;
  }

  std::shared_ptr<Database> db_;
  RetrievalStoreOptions options_;
  internal::pg::Waiters waiters_;
  std::unique_ptr<internal::pg::NotifyListener> listener_;  // declared last: stops first
};

Result<RetrievalState> PgRetrievalStore::wait(const std::string& telegram_id, const Context& context) {
  auto slot = waiters_.enter(telegram_id);
  struct Leave {
    internal::pg::Waiters& w;
    const std::string& id;
    ~Leave() { w.leave(id); }
  } leave{waiters_, telegram_id};
  auto poll = std::max(options_.poll_initial, std::chrono::milliseconds(1));
  for (;;) {
    std::uint64_t seen = 0;
    {
      std::lock_guard<std::mutex> lock(waiters_.mutex());
      seen = slot->signals;
    }
    auto found = find(telegram_id);
    if (!found) return std::move(found).error();
    if (!*found) return myna::internal::unknown_retrieval();
    const RetrievalState state = (*found)->state;
    if (!myna::internal::is_pending(state)) return state;
    const auto next_poll = std::chrono::steady_clock::now() + poll;
    std::unique_lock<std::mutex> lock(waiters_.mutex());
    while (slot->signals == seen && std::chrono::steady_clock::now() < next_poll) {
      if (context.cancelled()) return myna::internal::wait_cancelled();
      const auto left = context.remaining();
      if (left && *left <= Context::Clock::duration::zero()) return state;
      Context::Clock::duration slice =
          std::min<Context::Clock::duration>(kCancelSlice, next_poll - std::chrono::steady_clock::now());
      if (left) slice = std::min(slice, *left);
      slot->cv.wait_for(lock, slice);
    }
    if (slot->signals == seen) poll = std::min(poll * 2, std::max(options_.poll_max, poll));
  }
}

}  // namespace

Result<std::shared_ptr<RetrievalStore>> make_retrieval_store(std::shared_ptr<Database> db,
                                                             RetrievalStoreOptions options) {
  if (!db) return Error(ErrorCategory::validation, "the PostgreSQL retrieval store needs a database");
  if (options.poll_initial.count() <= 0 || options.poll_max < options.poll_initial)
    return Error(ErrorCategory::validation,
                 "the retrieval store's poll intervals must be positive and poll_max >= poll_initial");
  return std::shared_ptr<RetrievalStore>(std::make_shared<PgRetrievalStore>(std::move(db), options));
}

}  // namespace myna::pg
