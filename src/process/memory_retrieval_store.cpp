#include <condition_variable>
#include <map>
#include <mutex>

#include "process/transitions.hpp"

namespace myna {

namespace {

using detail::SysClock;
constexpr std::chrono::milliseconds kWaitSlice{50};  // to notice cancellation

class MemoryRetrievalStore final : public RetrievalStore {
 public:
  Status create(const Retrieval& retrieval) override {
    auto record = detail::as_created(retrieval, SysClock::now());
    if (!record) return std::move(record).error();
    std::lock_guard<std::mutex> lock(mu_);
    if (!records_.emplace(record->telegram_id, std::move(*record)).second) return detail::duplicate_retrieval();
    return {};
  }

  Result<std::optional<Retrieval>> find(const std::string& telegram_id) override {
    std::lock_guard<std::mutex> lock(mu_);
    const auto it = records_.find(telegram_id);
    if (it == records_.end()) return std::optional<Retrieval>();
    return std::optional<Retrieval>(it->second);
  }

  Status set_process_id(const std::string& telegram_id, const std::string& process_id) override {
    std::lock_guard<std::mutex> lock(mu_);
    Retrieval* r = lookup(telegram_id);
    if (!r) return detail::unknown_retrieval();
    bool changed = false;
    Status st = detail::apply_process_id(*r, process_id, SysClock::now(), changed);
    if (changed) cv_.notify_all();
    return st;
  }

  Result<std::optional<RetrievalState>> mark_notified(const std::string& telegram_id,
                                                      const std::string& process_id,
                                                      const std::string& error_code) override {
    std::lock_guard<std::mutex> lock(mu_);
    Retrieval* r = lookup(telegram_id);
    if (!r) return std::optional<RetrievalState>();
    bool changed = false;
    auto state = detail::apply_notified(*r, process_id, error_code, SysClock::now(), changed);
    if (changed) cv_.notify_all();
    return state;
  }

  Result<bool> claim_fetch(const std::string& telegram_id, const std::string& owner,
                           std::chrono::seconds stale_after) override {
    std::lock_guard<std::mutex> lock(mu_);
    Retrieval* r = lookup(telegram_id);
    if (!r) return detail::unknown_retrieval();
    return detail::apply_claim(*r, owner, stale_after, SysClock::now());
  }

  Status finish(const std::string& telegram_id, RetrievalState state) override {
    std::lock_guard<std::mutex> lock(mu_);
    Retrieval* r = lookup(telegram_id);
    if (!r) return detail::unknown_retrieval();
    bool changed = false;
    Status st = detail::apply_finish(*r, state, SysClock::now(), changed);
    if (changed) cv_.notify_all();
    return st;
  }

  Result<RetrievalState> wait(const std::string& telegram_id, const Context& context) override {
    std::unique_lock<std::mutex> lock(mu_);
    for (;;) {
      const Retrieval* r = lookup(telegram_id);
      if (!r) return detail::unknown_retrieval();
      if (!detail::is_pending(r->state)) return r->state;
      if (context.cancelled()) return detail::wait_cancelled();
      const auto left = context.remaining();
      if (left && *left <= Context::Clock::duration::zero()) return r->state;
      cv_.wait_for(lock, left ? std::min<Context::Clock::duration>(*left, kWaitSlice) : kWaitSlice);
    }
  }

  Result<std::vector<Retrieval>> unfinished() override {
    std::vector<Retrieval> out;
    {
      std::lock_guard<std::mutex> lock(mu_);
      for (const auto& [id, r] : records_)
        if (!is_final(r.state)) out.push_back(r);
    }
    detail::sort_by_creation(out);
    return out;
  }

  Status purge(std::chrono::seconds older_than) override {
    const auto now = SysClock::now();
    std::lock_guard<std::mutex> lock(mu_);
    for (auto it = records_.begin(); it != records_.end();)
      it = detail::purgeable(it->second, older_than, now) ? records_.erase(it) : std::next(it);
    return {};
  }

 private:
  Retrieval* lookup(const std::string& telegram_id) {
    const auto it = records_.find(telegram_id);
    return it == records_.end() ? nullptr : &it->second;
  }

  std::mutex mu_;
  std::condition_variable cv_;
  std::map<std::string, Retrieval> records_;
};

}  // namespace

std::shared_ptr<RetrievalStore> make_memory_retrieval_store() { return std::make_shared<MemoryRetrievalStore>(); }

}  // namespace myna
