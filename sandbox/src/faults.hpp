// Fault decisions: a deterministic PRNG seeded with Faults::seed decides, per eligible call,
// whether (and which) fault to inject. See faults.cpp for which endpoint gets which fault.
#pragma once

#include <cstdint>
#include <mutex>
#include <string>

#include "myna/sandbox/sandbox.hpp"

namespace myna::internal::sandbox {

enum class Endpoint { token, request, result };

/// A fault applied to one HTTP call.
enum class CallFault {
  none,
  http_500,
  rate_limit_429,
  maintenance_503,
  drop_connection,
  truncated_body,
  malformed_json,
  expired_token,
};

/// What happens to the completion notification of one new process.
struct NotificationPlan {
  bool missing = false;
  bool late = false;
  bool duplicate = false;
  bool forged = false;
};

class FaultInjector {
 public:
  explicit FaultInjector(const myna::sandbox::Faults& faults) { set(faults); }

  /// Replaces the rates and restarts the PRNG from faults.seed.
  void set(const myna::sandbox::Faults& faults);
  myna::sandbox::Faults current() const;

  /// At most one fault for a call; token calls only ever get latency (never a fault).
  CallFault decide(Endpoint endpoint);
  NotificationPlan plan_notification();
  /// odd_values: for one record of a result, the variant to serve (< variants), or -1 for
  /// none. A hash of seed, telegram id and record index (no PRNG draw): a result fetched again
  /// serves the same values, and the other faults' sequences are unchanged.
  long odd_value(const std::string& telegram_id, std::size_t record, std::size_t variants) const;

  /// Alternation counters: 429 Retry-After form, truncation variant.
  bool next_retry_after_is_date();
  bool next_truncation_uses_length();

 private:
  bool chance(double rate);  // mutex held

  mutable std::mutex mutex_;
  myna::sandbox::Faults faults_;
  std::uint64_t state_ = 0;
  std::uint64_t retry_after_count_ = 0, truncation_count_ = 0;
};

}  // namespace myna::internal::sandbox
