#include "myna/transport/context.hpp"

#include <atomic>
#include <condition_variable>
#include <mutex>

namespace myna {

struct Context::State {
  std::mutex mutex;
  std::condition_variable wake;
  std::atomic<bool> cancelled{false};
};

namespace {

using Clock = Context::Clock;

// now + d without overflowing for "practically infinite" durations.
Clock::time_point saturating_add(Clock::time_point t, Clock::duration d) {
  if (d > Clock::time_point::max() - t) return Clock::time_point::max();
  return t + d;
}

}  // namespace

Context::Context() : state_(std::make_shared<State>()) {}

Context Context::with_timeout(Clock::duration timeout) const {
  return with_deadline(saturating_add(Clock::now(), timeout));
}

Context Context::with_deadline(Clock::time_point deadline) const {
  Context child(*this);  // shares the cancellation state
  if (!child.deadline_ || deadline < *child.deadline_) child.deadline_ = deadline;
  return child;
}

void Context::cancel() const {
  if (!state_) return;
  {
    std::lock_guard<std::mutex> lock(state_->mutex);
    state_->cancelled.store(true);
  }
  state_->wake.notify_all();
}

bool Context::cancelled() const noexcept { return state_ && state_->cancelled.load(); }

bool Context::expired() const noexcept { return deadline_ && Clock::now() >= *deadline_; }

std::optional<Clock::duration> Context::remaining() const noexcept {
  if (!deadline_) return std::nullopt;
  const Clock::time_point now = Clock::now();
  return now >= *deadline_ ? Clock::duration::zero() : *deadline_ - now;
}

bool Context::sleep_for(Clock::duration d) const {
  Clock::time_point wake_at = saturating_add(Clock::now(), d);
  const bool deadline_first = deadline_ && *deadline_ < wake_at;
  if (deadline_first) wake_at = *deadline_;
  if (!state_) return false;  // a moved-from context: nothing to wait on
  std::unique_lock<std::mutex> lock(state_->mutex);
  const bool woken_by_cancel = state_->wake.wait_until(lock, wake_at, [this] { return state_->cancelled.load(); });
  return !woken_by_cancel && !deadline_first;
}

}  // namespace myna
