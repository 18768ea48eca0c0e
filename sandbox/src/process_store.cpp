#include "process_store.hpp"

#include <cstdio>

namespace myna::internal::sandbox {
namespace {

constexpr std::chrono::hours kRetention{2};  // processes older than this are forgotten
constexpr std::size_t kPruneEvery = 8192;
constexpr std::uint64_t kIdSpace = 800'000'000'000ull;  // 12 digits; 8xx.. and 9xx.. stay unused

std::string process_id(std::uint64_t number) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "P%012llu", static_cast<unsigned long long>(number % kIdSpace));
  return buf;
}

}  // namespace

ProcessStore::ProcessStore() {
  // Start from the clock so ids of a restarted sandbox do not repeat soon.
  auto seconds = std::chrono::duration_cast<std::chrono::seconds>(SystemClock::now().time_since_epoch()).count();
  next_number_ = static_cast<std::uint64_t>(seconds % 100'000'000) * 1000;
}

Admission ProcessStore::admit(const std::string& telegram_id, const std::string& citizen, const std::string& filter,
                              const Query& query, SteadyClock::time_point ready_at, std::optional<Process>& out) {
  std::lock_guard<std::mutex> lock(mutex_);
  auto known = by_telegram_.find(telegram_id);
  if (known != by_telegram_.end()) {
    const Process& p = processes_.at(known->second);
    if (p.citizen != citizen || p.filter != filter) return Admission::conflict;
    out = p;
    return Admission::repeated;
  }
  if (++created_since_prune_ >= kPruneEvery) prune();
  Process p{process_id(next_number_++), telegram_id, citizen, filter, query, SteadyClock::now(), ready_at};
  by_telegram_[telegram_id] = p.id;
  out = p;
  processes_.emplace(p.id, std::move(p));
  return Admission::created;
}

std::optional<Process> ProcessStore::find(const std::string& process_id) const {
  std::lock_guard<std::mutex> lock(mutex_);
  auto it = processes_.find(process_id);
  if (it == processes_.end()) return std::nullopt;
  return it->second;
}

void ProcessStore::prune() {
  created_since_prune_ = 0;
  auto limit = SteadyClock::now() - kRetention;
  for (auto it = processes_.begin(); it != processes_.end();) {
    if (it->second.created < limit) {
      by_telegram_.erase(it->second.telegram_id);
      it = processes_.erase(it);
    } else {
      ++it;
    }
  }
}

}  // namespace myna::internal::sandbox
