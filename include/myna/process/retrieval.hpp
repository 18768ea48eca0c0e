// The asynchronous retrieval: requested → waiting → notified → fetched (or failed / timed
// out), kept in a RetrievalStore so that the notification handler (called by the
// application's web server) and the waiting fetch (possibly in another instance) agree.
#pragma once

#include <chrono>
#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "myna/export.hpp"
#include "myna/query/query.hpp"
#include "myna/transport/context.hpp"

namespace myna {

enum class RetrievalState {
  requested,  ///< request telegram sent, no processId yet
  waiting,    ///< processId known, waiting for the completion notification
  notified,   ///< the notification arrived; the result may be fetched
  fetching,   ///< one fetcher claimed the result
  fetched,    ///< done
  failed,
  timed_out,
};
MYNA_API const char* to_string(RetrievalState state) noexcept;
MYNA_API bool is_final(RetrievalState state) noexcept;

/// A notification that arrived while the request telegram was still in flight, before the
/// service's request response confirmed the retrieval's processId. Anyone who can reach the
/// notification endpoint can send one, so it never changes the retrieval by itself: it counts
/// as the completion notification only when the response confirms the same processId.
struct ProvisionalNotification {
  std::string process_id;
  std::string error_code;  ///< "" for success (the profile's success code is stored as "")
};

/// At most this many provisional notifications are kept per retrieval (a flood of forged ones
/// can crowd out a genuine early one: the retrieval then waits for the fallback fetch).
inline constexpr std::size_t kMaxProvisionalNotifications = 8;
/// Longer processIds and errorCodes, or ones with other than visible ASCII, are not kept.
inline constexpr std::size_t kMaxProvisionalIdBytes = 128;

struct Retrieval {
  std::string telegram_id;
  std::string process_id;  ///< "" until the request response confirms it
  std::string citizen;     ///< the application's key for the citizen
  RecordType type = RecordType::drug;
  Date from, to;
  RetrievalState state = RetrievalState::requested;
  std::chrono::system_clock::time_point created_at;
  std::chrono::system_clock::time_point updated_at;
  std::string error_code;  ///< service errorCode from the notification, if any
  std::string owner;       ///< instance that claimed the fetch
  /// Notifications received before process_id was confirmed; emptied when it is.
  std::vector<ProvisionalNotification> provisional;
};

/// Where pending retrievals live. Implementations: in-memory, file (below), PostgreSQL
/// (MynaPortal::postgres). All operations are atomic with respect to each other, and an
/// implementation must be thread-safe: the client's batch workers and the notification
/// handler call it at once (the SDK's stores are).
class MYNA_API RetrievalStore {
 public:
  virtual ~RetrievalStore() = default;
  /// Registers a new retrieval (state requested). Fails if the telegram id exists.
  virtual Status create(const Retrieval& retrieval) = 0;
  virtual Result<std::optional<Retrieval>> find(const std::string& telegram_id) = 0;
  /// Records the processId from the service's request response, which confirms it:
  /// requested → waiting, or → notified when a provisional notification carried the same
  /// processId (its errorCode becomes the retrieval's). Provisional notifications are dropped
  /// then. The same processId again is a no-op; a different one is refused (protocol).
  virtual Status set_process_id(const std::string& telegram_id, const std::string& process_id) = 0;
  /// A notification for (telegram id, process id). With the processId confirmed: a match moves
  /// requested/waiting → notified and returns the state after the call; duplicates return
  /// notified/fetching/fetched unchanged; a mismatch or a failed/timed-out retrieval → nullopt.
  /// Before the processId is confirmed (state requested) the notification is only recorded as
  /// provisional (see ProvisionalNotification; the first per processId, bounded) and the call
  /// returns nullopt: neither state nor processId change. Unknown ids → nullopt.
  virtual Result<std::optional<RetrievalState>> mark_notified(const std::string& telegram_id,
                                                              const std::string& process_id,
                                                              const std::string& error_code) = 0;
  /// Claims the result fetch: notified → fetching, true for exactly one caller. A claim older
  /// than stale_after (its owner died) may be taken over.
  virtual Result<bool> claim_fetch(const std::string& telegram_id, const std::string& owner,
                                   std::chrono::seconds stale_after) = 0;
  /// Final state (fetched, failed, timed_out).
  virtual Status finish(const std::string& telegram_id, RetrievalState state) = 0;
  /// Blocks until the retrieval leaves requested/waiting or the context ends; returns the
  /// state then. Stores without notifications poll.
  virtual Result<RetrievalState> wait(const std::string& telegram_id, const Context& context) = 0;
  /// Retrievals not yet final (for resuming after a restart).
  virtual Result<std::vector<Retrieval>> unfinished() = 0;
  /// Drops final retrievals older than the given age.
  virtual Status purge(std::chrono::seconds older_than) = 0;
};

MYNA_API std::shared_ptr<RetrievalStore> make_memory_retrieval_store();
/// One JSON file per retrieval in dir (0600, atomic replace); works across processes on one
/// machine (file locks), not across machines — use the PostgreSQL store for that.
MYNA_API Result<std::shared_ptr<RetrievalStore>> make_file_retrieval_store(std::string dir);

}  // namespace myna
