// Counters shared by the HTTP handlers and the notification workers.
#pragma once

#include <atomic>
#include <cstdint>

#include "myna/sandbox/sandbox.hpp"

namespace myna::sandbox::internal {

struct Counters {
  std::atomic<std::uint64_t> requests{0}, processes_created{0}, results{0}, tokens_issued{0};
  std::atomic<std::uint64_t> notifications_sent{0}, notifications_acked{0}, notifications_rejected{0};
  std::atomic<std::uint64_t> forged_sent{0}, forged_accepted{0};
  std::atomic<std::uint64_t> faults_injected{0};
  std::atomic<std::uint64_t> result_fetches_for_unknown_process{0};

  SandboxStats snapshot() const {
    SandboxStats s;
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
    return s;
  }
};

}  // namespace myna::sandbox::internal
