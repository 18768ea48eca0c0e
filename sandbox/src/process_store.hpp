// Retrieval processes: one per telegramId, bound to the citizen and the query.
#pragma once

#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

#include "myna/query/query.hpp"
#include "util.hpp"

namespace myna::internal::sandbox {

struct Process {
  std::string id;           ///< "P" + 12 digits
  std::string telegram_id;  ///< of the request that created it
  std::string citizen;
  std::string filter;  ///< inquiryCondition as sent
  Query query;
  SteadyClock::time_point created;
  SteadyClock::time_point ready_at;  ///< the result is fetchable from here on
};

enum class Admission { created, repeated, conflict };

class ProcessStore {
 public:
  ProcessStore();

  /// The process of this telegramId: a new one, the same one for a repeat by the same citizen
  /// with the same filter, or a conflict (the telegramId was used for something else).
  Admission admit(const std::string& telegram_id, const std::string& citizen, const std::string& filter,
                  const Query& query, SteadyClock::time_point ready_at, std::optional<Process>& out);
  std::optional<Process> find(const std::string& process_id) const;

 private:
  void prune();  // mutex held

  mutable std::mutex mutex_;
  std::unordered_map<std::string, Process> processes_;        // by processId
  std::unordered_map<std::string, std::string> by_telegram_;  // telegramId → processId
  std::uint64_t next_number_;
  std::size_t created_since_prune_ = 0;
};

}  // namespace myna::internal::sandbox
