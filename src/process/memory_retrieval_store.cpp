#include <condition_variable>
#include <memory>
#include <mutex>
#include <unordered_map>

#include "internal/retrieval_transitions.hpp"

namespace myna {

namespace {

using internal::SysClock;
constexpr std::chrono::milliseconds kWaitSlice{50};  // to notice cancellation

/// Where the waiters of one retrieval sleep; exists only while someone waits.
struct Wait {
  std::condition_variable cv;
  int waiters = 0;
};
using Waits = std::unordered_map<std::string, std::unique_ptr<Wait>>;

/// Registers a waiter for its lifetime (the store's mutex is held at both ends).
class WaitRegistration {
 public:
  WaitRegistration(Waits& waits, const std::string& telegram_id) : waits_(waits), telegram_id_(telegram_id) {
    auto& slot = waits_[telegram_id];
    if (!slot) slot = std::make_unique<Wait>();
    ++slot->waiters;
    wait_ = slot.get();  // stable: the map owns it through a unique_ptr
  }
  ~WaitRegistration() {
    if (--wait_->waiters == 0) waits_.erase(telegram_id_);
  }
  WaitRegistration(const WaitRegistration&) = delete;
  WaitRegistration& operator=(const WaitRegistration&) = delete;
  std::condition_variable& cv() const { return wait_->cv; }

 private:
  Waits& waits_;
  const std::string& telegram_id_;
  Wait* wait_;
};

class MemoryRetrievalStore final : public RetrievalStore {
 public:
  Status create(const Retrieval& retrieval) override {
    auto record = internal::as_created(retrieval, SysClock::now());
    if (!record) return std::move(record).error();
    std::lock_guard<std::mutex> lock(mu_);
    if (!records_.emplace(record->telegram_id, std::move(*record)).second) return internal::duplicate_retrieval();
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
    if (!r) return internal::unknown_retrieval();
    bool changed = false;
    Status st = internal::apply_process_id(*r, process_id, SysClock::now(), changed);
    if (changed) wake(telegram_id);
    return st;
  }

  Result<std::optional<RetrievalState>> mark_notified(const std::string& telegram_id, const std::string& process_id,
                                                      const std::string& error_code) override {
    std::lock_guard<std::mutex> lock(mu_);
    Retrieval* r = lookup(telegram_id);
    if (!r) return std::optional<RetrievalState>();
    bool changed = false;
    auto state = internal::apply_notified(*r, process_id, error_code, SysClock::now(), changed);
    if (changed) wake(telegram_id);
    return state;
  }

  Result<bool> claim_fetch(const std::string& telegram_id, const std::string& owner,
                           std::chrono::seconds stale_after) override {
    std::lock_guard<std::mutex> lock(mu_);
    Retrieval* r = lookup(telegram_id);
    if (!r) return internal::unknown_retrieval();
    return internal::apply_claim(*r, owner, stale_after, SysClock::now());
  }

  Status finish(const std::string& telegram_id, RetrievalState state) override {
    std::lock_guard<std::mutex> lock(mu_);
    Retrieval* r = lookup(telegram_id);
    if (!r) return internal::unknown_retrieval();
    bool changed = false;
    Status st = internal::apply_finish(*r, state, SysClock::now(), changed);
    if (changed) wake(telegram_id);
    return st;
  }

  Result<RetrievalState> wait(const std::string& telegram_id, const Context& context) override {
    std::unique_lock<std::mutex> lock(mu_);
    const WaitRegistration registration(waits_, telegram_id);
    std::condition_variable& cv = registration.cv();
    for (;;) {
      const Retrieval* r = lookup(telegram_id);
      if (!r) return internal::unknown_retrieval();
      if (!internal::is_pending(r->state)) return r->state;
      if (context.cancelled()) return internal::wait_cancelled();
      const auto left = context.remaining();
      if (left && *left <= Context::Clock::duration::zero()) return r->state;
      cv.wait_for(lock, left ? std::min<Context::Clock::duration>(*left, kWaitSlice) : kWaitSlice);
    }
  }

  Result<std::vector<Retrieval>> unfinished() override {
    std::vector<Retrieval> out;
    {
      std::lock_guard<std::mutex> lock(mu_);
      for (const auto& [id, r] : records_)
        if (!is_final(r.state)) out.push_back(r);
    }
    internal::sort_by_creation(out);
    return out;
  }

  Status purge(std::chrono::seconds older_than) override {
    const auto now = SysClock::now();
    std::lock_guard<std::mutex> lock(mu_);
    for (auto it = records_.begin(); it != records_.end();)
      it = internal::purgeable(it->second, older_than, now) ? records_.erase(it) : std::next(it);
    return {};
  }

 private:
  Retrieval* lookup(const std::string& telegram_id) {
    const auto it = records_.find(telegram_id);
    return it == records_.end() ? nullptr : &it->second;
  }

  // Wakes the waiters of one retrieval only (a batch has dozens of waits at once).
  void wake(const std::string& telegram_id) {
    const auto it = waits_.find(telegram_id);
    if (it != waits_.end()) it->second->cv.notify_all();
  }

  std::mutex mu_;  // guards everything below, and the Waits in waits_
  std::unordered_map<std::string, Retrieval> records_;
  Waits waits_;
};

}  // namespace

std::shared_ptr<RetrievalStore> make_memory_retrieval_store() { return std::make_shared<MemoryRetrievalStore>(); }

}  // namespace myna
