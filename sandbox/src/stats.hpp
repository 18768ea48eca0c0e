// Counters shared by the HTTP handlers and the notification workers.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>

#include "myna/sandbox/sandbox.hpp"

namespace myna::internal::sandbox {

/// Every fault the sandbox injects, named as its Faults member.
enum class FaultKind {
  http_500,
  rate_limit_429,
  maintenance_503,
  drop_connection,
  truncated_body,
  malformed_json,
  expired_token,
  duplicate_notification,
  late_notification,
  missing_notification,
  forged_notification,
  count
};

inline const char* fault_name(FaultKind kind) {
  static constexpr const char* names[] = {
      "http_500",          "rate_limit_429",       "maintenance_503",    "drop_connection",
      "truncated_body",    "malformed_json",       "expired_token",      "duplicate_notification",
      "late_notification", "missing_notification", "forged_notification"};
  return names[static_cast<int>(kind)];
}

struct Counters {
  std::atomic<std::uint64_t> requests{0}, processes_created{0}, results{0}, tokens_issued{0};
  std::atomic<std::uint64_t> notifications_sent{0}, notifications_acked{0}, notifications_rejected{0};
  std::atomic<std::uint64_t> forged_sent{0}, forged_accepted{0};
  std::atomic<std::uint64_t> faults_injected{0};
  std::atomic<std::uint64_t> result_fetches_for_unknown_process{0};
  std::atomic<std::uint64_t> telegram_calls{0};
  std::array<std::atomic<std::uint64_t>, static_cast<std::size_t>(FaultKind::count)> faults_by_kind{};

  void fault(FaultKind kind) {
    ++faults_injected;
    ++faults_by_kind[static_cast<std::size_t>(kind)];
  }

  myna::sandbox::SandboxStats snapshot() const {
    myna::sandbox::SandboxStats s;
    s.requests = requests.load();
    s.processes_created = processes_created.load();
    s.results = results.load();
    s.tokens_issued = tokens_issued.load();
    s.notifications_sent = notifications_sent.load();
    s.notifications_acked = notifications_acked.load();
    s.notifications_rejected = notifications_rejected.load();
    s.forged_sent = forged_sent.load();
    s.forged_accepted = forged_accepted.load();
    s.faults_injected = faults_injected.load();
    s.result_fetches_for_unknown_process = result_fetches_for_unknown_process.load();
    s.telegram_calls = telegram_calls.load();
    for (std::size_t k = 0; k < faults_by_kind.size(); ++k)
      s.faults_by_kind[fault_name(static_cast<FaultKind>(k))] = faults_by_kind[k].load();
    return s;
  }
};

}  // namespace myna::internal::sandbox
