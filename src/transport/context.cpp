#include "myna/transport/context.hpp"

#include <atomic>
#include <condition_variable>
#include <mutex>

namespace myna {

struct Context::State {
  std::mutex mu;
  std::condition_variable cv;
  std::atomic<bool> cancelled{false};
};

namespace {

// now + d without overflowing for huge durations.
Context::Clock::time_point saturating_after(Context::Clock::time_point now, Context::Clock::duration d) {
  if (d > Context::Clock::time_point::max() - now) return Context::Clock::time_point::max();
  return now + d;
}

}  // namespace

Context::Context() : state_(std::make_shared<State>()) {}

Context Context::with_timeout(Clock::duration timeout) const {
  return with_deadline(saturating_after(Clock::now(), timeout));
}

Context Context::with_deadline(Clock::time_point deadline) const {
  Context copy = *this;
  if (!copy.deadline_ || deadline < *copy.deadline_) copy.deadline_ = deadline;
  return copy;
}

void Context::cancel() const {
  {
    std::lock_guard<std::mutex> lock(state_->mu);
    state_->cancelled = true;
  }
  state_->cv.notify_all();
}

bool Context::cancelled() const noexcept { return state_->cancelled.load(); }

bool Context::expired() const noexcept { return deadline_ && Clock::now() >= *deadline_; }

std::optional<Context::Clock::duration> Context::remaining() const noexcept {
  if (!deadline_) return std::nullopt;
  const auto now = Clock::now();
  return now >= *deadline_ ? Clock::duration::zero() : *deadline_ - now;
}

bool Context::sleep_for(Clock::duration d) const {
  const auto wake = saturating_after(Clock::now(), d);
  const bool deadline_first = deadline_ && *deadline_ < wake;
  const auto until = deadline_first ? *deadline_ : wake;
  std::unique_lock<std::mutex> lock(state_->mu);
  const bool cancelled_now = state_->cv.wait_until(lock, until, [&] { return state_->cancelled.load(); });
  return !cancelled_now && !deadline_first;
}

}  // namespace myna
