// The asynchronous retrieval behind the Client: the request telegram, the state machine in
// the retrieval store, the wait for the completion notification and its fallback, the
// claim, the result fetch with its retries, the audit facts of each retrieval (RetrievalInfo,
// its log line and audit event), and purging finished retrievals.
// Internal to the client; thread-safe (batch workers share one engine).
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "client/service_call.hpp"
#include "myna/client/client.hpp"
#include "myna/process/telegram_id.hpp"

namespace myna::internal {

/// Fetches the result of a claimed retrieval into info (result attempts, bytes, records,
/// issues, fetched_at); fallback: no notification came in time, so a "not ready" answer ends
/// the retrieval instead of being asked again.
using FetchResult = std::function<Status(const Retrieval& retrieval, bool fallback, RetrievalInfo& info)>;

class RetrievalEngine {
 public:
  /// options has its transport, stores and instance name set; clock outlives the engine.
  RetrievalEngine(ClientOptions options, std::unique_ptr<TokenProvider> tokens, TelegramIdGenerator ids,
                  const RetryClock& clock = RetryClock::real());

  const ClientOptions& options() const noexcept { return options_; }
  const Profile& profile() const noexcept { return options_.profile; }
  const ServiceCaller& service() const noexcept { return service_; }
  /// A fresh schedule of waits between re-asks of one result (the transport's schedule).
  RetrySchedule schedule() const { return RetrySchedule(options_.retry, clock_); }

  /// One whole retrieval of `type` records: request telegram, wait (or fallback), claim,
  /// fetch, final state in the store; then its log line and audit event, and purging of
  /// finished retrievals when due. info receives the audit facts; an error carries them too.
  Status run(RecordType type, const std::string& citizen, const Query& query, const Context& context,
             const FetchResult& fetch, RetrievalInfo& info);

  /// The result telegram decoded into records. Asks again after transport failures (in the
  /// service call) and after corrupt or not-ready bodies (here, on the same schedule).
  template <class R>
  Result<std::vector<R>> fetch_records(const Retrieval& r, bool fallback, const Context& context,
                                       RetrievalInfo& info) const;

  /// The result request telegram of a retrieval.
  std::string result_request(const Retrieval& r) const;
  /// Checks a result header: matching ids, then the service's errorCode. not_ready tells the
  /// caller to wait and ask again.
  Status check_result_header(const Retrieval& r, const CommonHeader& h, bool& not_ready) const;
  /// The timeout of a retrieval whose result the service still calls not ready.
  Error not_ready_error(const Retrieval& r) const;

 private:
  Status retrieve(RecordType type, const std::string& citizen, const Query& query, const Context& context,
                  const FetchResult& fetch, RetrievalInfo& info);
  Result<Retrieval> start(const std::string& citizen, const Query& query, const Context& context, RetrievalInfo& info);
  Error fail(const Retrieval& r, Error error, RetrievalState state = RetrievalState::failed) const;
  Result<bool> await_notification(const Retrieval& r, const Context& context) const;
  Status prepare_fetch(const Retrieval& r, bool notified, RetrievalInfo& info) const;
  Status notified_error(const Retrieval& r, RetrievalInfo& info) const;
  Status claim(const Retrieval& r) const;
  void report(const RetrievalInfo& info, const Status& outcome) const;
  void purge_finished();

  ClientOptions options_;
  const RetryClock& clock_;
  ServiceCaller service_;
  TelegramIdGenerator ids_;
  std::atomic<std::chrono::steady_clock::rep> next_purge_{0};  // when purge_finished() may run again
};

/// Adds each record's issues to counts.
template <class R>
void count_issues(const std::vector<R>& records, IssueCounts& counts) {
  for (const R& record : records) counts.add(record.issues);
}

}  // namespace myna::internal
