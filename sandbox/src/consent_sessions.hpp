// The consent pages' sessions: a validated authorize request waiting for the person at the
// browser to sign in and answer. Keyed by a random id carried in the pages' forms; bounded in
// number and lifetime.
#pragma once

#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

#include "myna/records/record_types.hpp"
#include "util.hpp"

namespace myna::internal::sandbox {

/// An authorize request that passed every check: where the answer goes and what was asked.
struct ConsentAsk {
  std::string redirect_uri;
  std::string state_param;     ///< "&state=…" (encoded), or "" when the request had none
  std::string code_challenge;  ///< "" without PKCE
  RecordTypes types;
};

/// One person's way through the pages.
struct ConsentSession {
  ConsentAsk ask;
  std::string citizen;  ///< set once the card was read
};

class ConsentSessions {
 public:
  static constexpr std::size_t kMaxSessions = 10'000;
  static constexpr std::chrono::minutes kLifetime{10};

  /// A new session's id, or "" when too many are open.
  std::string open(ConsentAsk ask) {
    std::string id = random_secret(24);
    std::lock_guard<std::mutex> lock(mutex_);
    prune();
    if (sessions_.size() >= kMaxSessions) return {};
    sessions_[id] = Entry{{std::move(ask), {}}, SteadyClock::now() + kLifetime};
    return id;
  }
  std::optional<ConsentSession> find(const std::string& id) {
    std::lock_guard<std::mutex> lock(mutex_);
    auto it = sessions_.find(id);
    if (it == sessions_.end() || SteadyClock::now() >= it->second.expires) return std::nullopt;
    return it->second.session;
  }
  void set_citizen(const std::string& id, const std::string& citizen) {
    std::lock_guard<std::mutex> lock(mutex_);
    if (auto it = sessions_.find(id); it != sessions_.end()) it->second.session.citizen = citizen;
  }
  /// Ends a session (an answer was given): a second answer finds nothing.
  std::optional<ConsentSession> take(const std::string& id) {
    std::lock_guard<std::mutex> lock(mutex_);
    auto it = sessions_.find(id);
    if (it == sessions_.end()) return std::nullopt;
    std::optional<ConsentSession> out;
    if (SteadyClock::now() < it->second.expires) out = std::move(it->second.session);
    sessions_.erase(it);
    return out;
  }

 private:
  struct Entry {
    ConsentSession session;
    SteadyClock::time_point expires;
  };
  void prune() {
    const auto now = SteadyClock::now();
    for (auto it = sessions_.begin(); it != sessions_.end();)
      it = now >= it->second.expires ? sessions_.erase(it) : std::next(it);
  }

  std::mutex mutex_;
  std::unordered_map<std::string, Entry> sessions_;
};

}  // namespace myna::internal::sandbox
