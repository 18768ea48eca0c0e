// The facade: consent, then fetch one record type for one citizen and one query (the whole
// asynchronous retrieval), a streaming variant, and a batch over many citizens.
// A Client is thread-safe and meant to be shared; it owns its connection pool. The options
// and reports are plain data.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "myna/auth/consent.hpp"
#include "myna/auth/token.hpp"
#include "myna/codec/payload.hpp"
#include "myna/log.hpp"
#include "myna/process/notification_handler.hpp"
#include "myna/process/retrieval.hpp"
#include "myna/query/query.hpp"
#include "myna/transport/curl_transport.hpp"
#include "myna/transport/retry.hpp"

namespace myna {

struct ClientOptions {
  Profile profile;
  /// The HTTP transport; when null, a libcurl transport is made from `curl`.
  std::shared_ptr<HttpTransport> transport;
  CurlTransportOptions curl;
  RetryPolicy retry;
  /// Where tokens live; default in-memory.
  std::shared_ptr<TokenStore> token_store;
  /// Where pending retrievals live; default in-memory. Share one store between the client
  /// and the NotificationHandler your web server calls (notification_handler() does).
  std::shared_ptr<RetrievalStore> retrieval_store;
  Logger logger;
  /// How long to wait for the completion notification before the fallback (one result
  /// fetch: if the service still says "not ready", the retrieval times out).
  std::chrono::milliseconds notification_timeout{std::chrono::minutes(5)};
  /// Instance number and count of application instances (telegram id partitioning).
  unsigned instance = 0;
  unsigned instance_count = 1;
  /// Name of this instance in fetch claims (default: hostname:pid).
  std::string instance_name;
  /// Re-send a request telegram (same telegramId) after a transient failure. The default
  /// profile assumes the service answers a repeated telegramId with the same processId
  /// (docs/wire-format.md §6); set false if your specification says otherwise.
  bool resend_requests = true;
  /// A fetch claim older than this may be taken over (its instance died).
  std::chrono::seconds stale_claim_after{std::chrono::minutes(2)};
  /// Finished retrievals stay in the retrieval store this long, so that a duplicate or late
  /// notification still gets its proper answer (200 echo, 409 late; afterwards 404 unknown).
  /// Then the client purges them (RetrievalStore::purge, at most once per half this period,
  /// on a thread that just finished a retrieval): the store holds about 1.5 × rate × this
  /// period, however many citizens are fetched. nullopt: never (the application purges).
  std::optional<std::chrono::seconds> keep_finished{std::chrono::seconds(10)};
};

/// Per-citizen outcome of a batch (records go to the batch callback, not into the report).
struct BatchOutcome {
  std::string citizen;
  Status status;            ///< ok, or the typed error that ended this citizen's retrieval
  std::size_t records = 0;  ///< records handed to the callback
};

struct BatchReport {
  std::vector<BatchOutcome> outcomes;  ///< one per citizen, in input order
  std::size_t succeeded = 0, failed = 0;
};

struct BatchOptions {
  std::size_t concurrency = 16;  ///< retrievals in flight at once (worker threads)
};

class Client {
 public:
  static Result<std::shared_ptr<Client>> create(ClientOptions options);
  ~Client();
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;

  const Profile& profile() const noexcept;

  // ---- consent (期間連携 grant) -------------------------------------------------------
  /// Step 1: the URL to send the citizen's browser to, asking consent for these information
  /// types; keep the returned request (its state) with the session. One token per citizen:
  /// to add a type to an existing grant, ask for the union (types already granted plus the
  /// new ones); the new token replaces the old one (docs/consent-flow.md).
  Result<ConsentRequest> begin_consent(RecordTypes types) const;
  /// All three information types.
  Result<ConsentRequest> begin_consent() const;
  /// Step 2: the browser came back to redirect_uri; exchange the code and store the token
  /// (with the granted types) for this citizen key.
  Status complete_consent(const std::string& citizen, std::string_view redirect,
                          const ConsentRequest& request, const Context& context = Context());
  /// Whether a valid grant exists (false: consent needed again).
  Result<bool> has_grant(const std::string& citizen);
  /// Whether a valid grant covers this information type. A fetch of a type it does not cover
  /// fails with consent_required naming the type, before any telegram is sent.
  Result<bool> has_grant(const std::string& citizen, RecordType type);

  // ---- retrieval -----------------------------------------------------------------------
  /// Runs the whole retrieval (request → notification → result) and returns the records.
  template <class R>
  Result<std::vector<R>> fetch(const std::string& citizen, const Query& query,
                               const Context& context = Context());
  Result<std::vector<DrugRecord>> fetch_drugs(const std::string& citizen, const Query& query,
                                              const Context& context = Context());
  Result<std::vector<CheckupRecord>> fetch_checkups(const std::string& citizen, const Query& query,
                                                    const Context& context = Context());
  Result<std::vector<MedicalExpenseRecord>> fetch_expenses(const std::string& citizen, const Query& query,
                                                           const Context& context = Context());

  /// Streaming: records are handed to on_record as they are decoded from the socket; memory
  /// stays bounded whatever the size of the result. Records may arrive before a later error.
  template <class R>
  Status fetch_stream(const std::string& citizen, const Query& query, const RecordCallback<R>& on_record,
                      const Context& context = Context());

  /// Many citizens, at most options.concurrency retrievals in flight; memory stays bounded
  /// by the concurrency, not by the number of citizens. on_records receives each citizen's
  /// records (from worker threads, possibly concurrently) as soon as they are fetched; an
  /// error it returns fails that citizen. Every citizen ends with a status; one failure does
  /// not stop the others. Cancelling the context stops starting new citizens.
  template <class R>
  BatchReport batch(const std::vector<std::string>& citizens, const Query& query,
                    const std::function<Status(const std::string& citizen, std::vector<R>&& records)>& on_records,
                    const BatchOptions& options = {}, const Context& context = Context());

  // ---- notifications -------------------------------------------------------------------
  /// The handler for your notification endpoint (shares this client's retrieval store).
  const NotificationHandler& notification_handler() const noexcept;

 private:
  struct Impl;
  explicit Client(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace myna
