// The one schedule of waits between attempts under a RetryPolicy, used by the transport's
// retries (send_with_retry) and by the client's own re-asks after a not-ready or corrupt
// result: exponential from initial_backoff by multiplier, capped at max_backoff, jittered
// downwards by up to jitter, at least a Retry-After (up to max_retry_after), and never past
// max_elapsed or the context's deadline. Time, sleeping and the random draw come from a
// RetryClock, which tests replace with a fake.
#pragma once

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <functional>
#include <optional>
#include <random>
#include <thread>

#include "myna/transport/context.hpp"
#include "myna/transport/retry.hpp"

namespace myna::internal {

/// Time, sleep and randomness of a schedule. The default is the real clock; thread-safe.
class RetryClock {
 public:
  virtual ~RetryClock() = default;
  virtual Context::Clock::time_point now() const { return Context::Clock::now(); }
  virtual std::chrono::system_clock::time_point system_now() const { return std::chrono::system_clock::now(); }
  /// Sleeps up to wait; false when the context was cancelled or its deadline passed first.
  virtual bool sleep_for(const Context& context, std::chrono::milliseconds wait) const {
    return context.sleep_for(wait);
  }
  /// A uniform draw from [0, 1] (per thread generator, seeded from the system's entropy).
  virtual double draw() const {
    thread_local std::mt19937_64 rng([] {
      std::random_device device;
      const auto thread_salt = std::hash<std::thread::id>{}(std::this_thread::get_id());
      return (static_cast<std::uint64_t>(device()) << 32) ^ device() ^ thread_salt;
    }());
    return std::uniform_real_distribution<double>(0.0, 1.0)(rng);
  }

  /// The real clock (a process-wide instance without state).
  static const RetryClock& real() {
    static const RetryClock clock;
    return clock;
  }
};

/// The wait before retry number `retry` (1-based) for a draw in [0, 1]:
/// full = min(max_backoff, initial_backoff × multiplier^(retry − 1)), then a value in
/// [full × (1 − jitter), full], draw 1 giving full.
inline std::chrono::milliseconds backoff_wait(const RetryPolicy& policy, int retry, double draw) {
  const double initial = static_cast<double>(policy.initial_backoff.count());
  const double cap = static_cast<double>(policy.max_backoff.count());
  const double growth = std::pow(std::max(1.0, policy.multiplier), std::max(0, retry - 1));
  const double full = std::max(0.0, std::min(cap, initial * growth));
  const double low = full * (1.0 - std::clamp(policy.jitter, 0.0, 1.0));
  const double wait = low + (full - low) * std::clamp(draw, 0.0, 1.0);
  return std::chrono::milliseconds(static_cast<std::chrono::milliseconds::rep>(wait));
}

/// The attempts of one call under a policy, timed from construction (the first attempt).
/// Not shared between threads: one schedule per call.
class RetrySchedule {
 public:
  explicit RetrySchedule(const RetryPolicy& policy, const RetryClock& clock = RetryClock::real())
      : policy_(policy), clock_(clock), started_(clock.now()) {}

  int max_attempts() const noexcept { return std::max(1, policy_.max_attempts); }

  /// After failed attempt number `attempt`: the wait before the next one, or nullopt when the
  /// policy says stop (attempts used up, a Retry-After beyond max_retry_after, max_elapsed
  /// would pass) or the context's deadline would pass first.
  std::optional<std::chrono::milliseconds> next_wait(
      int attempt, const Context& context,
      std::optional<std::chrono::system_clock::time_point> retry_after = std::nullopt) const {
    if (attempt >= max_attempts()) return std::nullopt;
    std::chrono::milliseconds wait = backoff_wait(policy_, attempt, clock_.draw());
    if (retry_after) {
      const auto until = std::chrono::ceil<std::chrono::milliseconds>(*retry_after - clock_.system_now());
      if (until > policy_.max_retry_after) return std::nullopt;
      wait = std::max(wait, until);
    }
    if (clock_.now() - started_ + wait > policy_.max_elapsed) return std::nullopt;
    if (std::optional<Context::Clock::duration> left = context.remaining(); left && wait >= *left) return std::nullopt;
    return wait;
  }

  /// Sleeps the wait; false when the context ended first.
  bool sleep(std::chrono::milliseconds wait, const Context& context) const { return clock_.sleep_for(context, wait); }

  /// next_wait() then sleep(): true when the next attempt may start.
  bool wait_before_next(int attempt, const Context& context) const {
    std::optional<std::chrono::milliseconds> wait = next_wait(attempt, context);
    return wait && sleep(*wait, context);
  }

 private:
  const RetryPolicy& policy_;
  const RetryClock& clock_;
  Context::Clock::time_point started_;
};

}  // namespace myna::internal
