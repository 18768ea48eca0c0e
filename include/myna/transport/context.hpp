// Cancellation and deadlines for one operation. Copies share one cancellation state, so a
// Context handed to a worker can be cancelled from another thread; waits wake at once.
// Thread-safe: cancel(), cancelled() and sleep_for() may be called on copies from any thread;
// with_timeout()/with_deadline() make new copies, one Context object is not reassigned while
// others use it.
#pragma once

#include <chrono>
#include <memory>
#include <optional>

#include "myna/export.hpp"

namespace myna {

class MYNA_API Context {
 public:
  using Clock = std::chrono::steady_clock;

  Context();
  /// A context whose deadline is now + timeout (and no later than this one's).
  Context with_timeout(Clock::duration timeout) const;
  Context with_deadline(Clock::time_point deadline) const;

  void cancel() const;
  bool cancelled() const noexcept;
  std::optional<Clock::time_point> deadline() const noexcept { return deadline_; }
  bool expired() const noexcept;
  /// Time left before the deadline (nullopt: no deadline).
  std::optional<Clock::duration> remaining() const noexcept;

  /// Sleeps up to d; returns false (early) when cancelled or when the deadline passes first.
  bool sleep_for(Clock::duration d) const;

 private:
  struct State;  // the cancellation state copies share
  std::shared_ptr<State> state_;
  std::optional<Clock::time_point> deadline_;
};

}  // namespace myna
