// Which fault applies where:
//   request: drop_connection (after the process was created: the response is lost, a re-send
//            with the same telegramId gets the same processId), maintenance_503, rate_limit_429,
//            http_500 (before any processing), expired_token.
//   result:  drop_connection (before any processing), maintenance_503, rate_limit_429, http_500,
//            expired_token, truncated_body and malformed_json (only on a result that has data).
//   token:   latency only (a code is single-use and token calls are never retried).
//   every response: latency.
//   new processes: missing / late / duplicate / forged notifications.
#include "faults.hpp"

namespace myna::internal::sandbox {

using namespace myna::sandbox;  // the sandbox's public types, unqualified

void FaultInjector::set(const Faults& faults) {
  std::lock_guard<std::mutex> lock(mutex_);
  faults_ = faults;
  state_ = faults.seed;
  retry_after_count_ = truncation_count_ = 0;
}

Faults FaultInjector::current() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return faults_;
}

bool FaultInjector::chance(double rate) {
  // splitmix64: one draw per configured fault, so the sequence only depends on the seed.
  std::uint64_t z = (state_ += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  z ^= z >> 31;
  return rate > 0 && static_cast<double>(z >> 11) / 9007199254740992.0 < rate;
}

long FaultInjector::odd_value(const std::string& telegram_id, std::size_t record, std::size_t variants) const {
  const Faults faults = current();
  if (faults.odd_values <= 0 || variants == 0) return -1;
  auto mix = [](std::uint64_t z) {
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  };
  std::uint64_t h = mix(faults.seed + 0x9E3779B97F4A7C15ull * (record + 1));
  for (char c : telegram_id) h = mix(h ^ static_cast<unsigned char>(c));
  if (static_cast<double>(h >> 11) / 9007199254740992.0 >= faults.odd_values) return -1;
  return static_cast<long>(mix(h) % variants);
}

CallFault FaultInjector::decide(Endpoint endpoint) {
  if (endpoint == Endpoint::token) return CallFault::none;
  std::lock_guard<std::mutex> lock(mutex_);
  if (chance(faults_.drop_connection)) return CallFault::drop_connection;
  if (chance(faults_.maintenance_503)) return CallFault::maintenance_503;
  if (chance(faults_.rate_limit_429)) return CallFault::rate_limit_429;
  if (chance(faults_.http_500)) return CallFault::http_500;
  if (chance(faults_.expired_token)) return CallFault::expired_token;
  if (endpoint == Endpoint::result) {
    if (chance(faults_.truncated_body)) return CallFault::truncated_body;
    if (chance(faults_.malformed_json)) return CallFault::malformed_json;
  }
  return CallFault::none;
}

NotificationPlan FaultInjector::plan_notification() {
  std::lock_guard<std::mutex> lock(mutex_);
  NotificationPlan plan;
  plan.missing = chance(faults_.missing_notification);
  plan.late = chance(faults_.late_notification);
  plan.duplicate = chance(faults_.duplicate_notification);
  plan.forged = chance(faults_.forged_notification);
  if (plan.missing) plan.late = plan.duplicate = false;
  return plan;
}

bool FaultInjector::next_retry_after_is_date() {
  std::lock_guard<std::mutex> lock(mutex_);
  return (retry_after_count_++ % 2) == 1;
}

bool FaultInjector::next_truncation_uses_length() {
  std::lock_guard<std::mutex> lock(mutex_);
  return (truncation_count_++ % 2) == 0;
}

}  // namespace myna::internal::sandbox
