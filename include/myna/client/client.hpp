// The client interface: consent, then fetch one record type for one citizen and one query
// (the whole asynchronous retrieval), a streaming variant, and a batch over many citizens.
// Client::create() makes the real one; myna/testing/ has a double for application tests.
// A Client is thread-safe and meant to be shared. The options and reports are plain data.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "myna/auth/consent.hpp"
#include "myna/auth/token.hpp"
#include "myna/codec/payload.hpp"
#include "myna/export.hpp"
#include "myna/log.hpp"
#include "myna/process/notification_handler.hpp"
#include "myna/process/retrieval.hpp"
#include "myna/query/query.hpp"
#include "myna/retrieval_info.hpp"
#include "myna/transport/curl_transport.hpp"
#include "myna/transport/retry.hpp"

namespace myna {

struct ClientOptions {
  Profile profile;
  /// How record values that do not fit the SDK's value rules are decoded: lenient (default:
  /// kept with per-item issues on each record) or strict (a decode error). docs/errors.md.
  DecodeOptions decode;
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
  /// Receives one AuditEvent per retrieval, success or failure (myna/retrieval_info.hpp);
  /// unset: none. The logger gets a one-line summary of each retrieval either way.
  AuditSink audit;
};

/// The records of one retrieval and its audit facts. Iterating a Fetched iterates its records.
template <class R>
struct Fetched {
  std::vector<R> records;
  RetrievalInfo info;

  auto begin() noexcept { return records.begin(); }
  auto end() noexcept { return records.end(); }
  auto begin() const noexcept { return records.begin(); }
  auto end() const noexcept { return records.end(); }
  std::size_t size() const noexcept { return records.size(); }
  bool empty() const noexcept { return records.empty(); }
};

/// Per-citizen outcome of a batch (records go to the batch callback, not into the report).
struct BatchOutcome {
  std::string citizen;
  Status status;            ///< ok, or the typed error that ended this citizen's retrieval
  std::size_t records = 0;  ///< records handed to the callback
  RetrievalInfo info;       ///< the retrieval's audit facts (empty when the batch was cancelled before it)
};

struct BatchReport {
  std::vector<BatchOutcome> outcomes;  ///< one per citizen, in input order
  std::size_t succeeded = 0, failed = 0;
};

struct BatchOptions {
  std::size_t concurrency = 16;  ///< retrievals in flight at once (worker threads)
};

/// The client of the service: consent, then the retrieval of one record type for one citizen
/// and one query (the whole asynchronous exchange), a streaming variant, and a batch over many
/// citizens. An interface: Client::create() returns the real one (HTTPS to the service);
/// myna/testing/scripted_client.hpp is a double for application tests that needs no HTTP.
/// Write application code against `Client&` and both fit.
///
/// The public fetch, fetch_stream, batch, begin_consent, complete_consent and has_grant are
/// not virtual: they call the protected hooks (do_fetch_drugs, …, do_stream_expenses,
/// do_begin_consent, do_complete_consent) and granted_types(), which an implementation
/// overrides; batch runs on the virtual fetch, so every implementation gets it.
///
/// Thread-safe: one client is meant to be shared by every thread of the application (it owns
/// its connection pool); an implementation must keep that promise.
class MYNA_API Client {
 public:
  /// The real client, talking to the service described by options.profile.
  static Result<std::shared_ptr<Client>> create(ClientOptions options);
  virtual ~Client();
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;

  virtual const Profile& profile() const noexcept = 0;

  // ---- consent (期間連携 grant) -------------------------------------------------------
  /// Step 1: the URL to send the citizen's browser to, asking consent for these information
  /// types; keep the returned request (its state) with the session. One token per citizen:
  /// to add a type to an existing grant, ask for the union (types already granted plus the
  /// new ones); the new token replaces the old one (docs/consent-flow.md).
  Result<ConsentRequest> begin_consent(RecordTypes types) const { return do_begin_consent(types); }
  /// All three information types.
  Result<ConsentRequest> begin_consent() const { return do_begin_consent(RecordTypes::all()); }
  /// Step 2: the browser came back to redirect_uri; exchange the code and store the token
  /// (with the granted types) for this citizen key.
  Status complete_consent(const std::string& citizen, std::string_view redirect, const ConsentRequest& request,
                          const Context& context = Context()) {
    return do_complete_consent(citizen, redirect, request, context);
  }
  /// The information types a valid grant of the citizen covers; empty when there is none (no
  /// consent yet, or the 期間連携 period is over).
  virtual Result<RecordTypes> granted_types(const std::string& citizen) = 0;
  /// Whether a valid grant exists (false: consent needed again).
  Result<bool> has_grant(const std::string& citizen) {
    auto types = granted_types(citizen);
    if (!types) return std::move(types).error();
    return !types->empty();
  }
  /// Whether a valid grant covers this information type. A fetch of a type it does not cover
  /// fails with consent_required naming the type, before any telegram is sent.
  Result<bool> has_grant(const std::string& citizen, RecordType type) {
    auto types = granted_types(citizen);
    if (!types) return std::move(types).error();
    return types->contains(type);
  }

  // ---- retrieval -----------------------------------------------------------------------
  /// Runs the whole retrieval (request → notification → result) and returns the records with
  /// the retrieval's audit facts. A failure's Error carries them too (Error::retrieval()).
  template <class R>
  Result<Fetched<R>> fetch(const std::string& citizen, const Query& query, const Context& context = Context());
  Result<Fetched<DrugRecord>> fetch_drugs(const std::string& citizen, const Query& query,
                                          const Context& context = Context()) {
    return do_fetch_drugs(citizen, query, context);
  }
  Result<Fetched<CheckupRecord>> fetch_checkups(const std::string& citizen, const Query& query,
                                                const Context& context = Context()) {
    return do_fetch_checkups(citizen, query, context);
  }
  Result<Fetched<MedicalExpenseRecord>> fetch_expenses(const std::string& citizen, const Query& query,
                                                       const Context& context = Context()) {
    return do_fetch_expenses(citizen, query, context);
  }

  /// Streaming: records are handed to on_record as they are decoded from the socket; memory
  /// stays bounded whatever the size of the result. Records may arrive before a later error.
  /// Returns the retrieval's audit facts (records: those handed over).
  template <class R>
  Result<RetrievalInfo> fetch_stream(const std::string& citizen, const Query& query, const RecordCallback<R>& on_record,
                                     const Context& context = Context());

  /// Many citizens, at most options.concurrency retrievals in flight; memory stays bounded
  /// by the concurrency, not by the number of citizens. on_records receives each citizen's
  /// records (from worker threads, possibly concurrently) as soon as they are fetched; an
  /// error it returns fails that citizen. Every citizen ends with a status and the audit facts
  /// of its retrieval; one failure does not stop the others. Cancelling the context stops
  /// starting new citizens. Runs on fetch(), so it works the same on every implementation.
  template <class R>
  BatchReport batch(const std::vector<std::string>& citizens, const Query& query,
                    const std::function<Status(const std::string& citizen, std::vector<R>&& records)>& on_records,
                    const BatchOptions& options = {}, const Context& context = Context());

  // ---- notifications -------------------------------------------------------------------
  /// The handler for your notification endpoint (shares this client's retrieval store).
  virtual const NotificationHandler& notification_handler() const noexcept = 0;

 protected:
  Client() = default;

  /// The hooks behind begin_consent and complete_consent.
  virtual Result<ConsentRequest> do_begin_consent(RecordTypes types) const = 0;
  virtual Status do_complete_consent(const std::string& citizen, std::string_view redirect,
                                     const ConsentRequest& request, const Context& context) = 0;
  /// The per-record-type hooks behind fetch<R> and fetch_stream<R>.
  virtual Result<Fetched<DrugRecord>> do_fetch_drugs(const std::string& citizen, const Query& query,
                                                     const Context& context) = 0;
  virtual Result<Fetched<CheckupRecord>> do_fetch_checkups(const std::string& citizen, const Query& query,
                                                           const Context& context) = 0;
  virtual Result<Fetched<MedicalExpenseRecord>> do_fetch_expenses(const std::string& citizen, const Query& query,
                                                                  const Context& context) = 0;
  virtual Result<RetrievalInfo> do_stream_drugs(const std::string& citizen, const Query& query,
                                                const RecordCallback<DrugRecord>& on_record,
                                                const Context& context) = 0;
  virtual Result<RetrievalInfo> do_stream_checkups(const std::string& citizen, const Query& query,
                                                   const RecordCallback<CheckupRecord>& on_record,
                                                   const Context& context) = 0;
  virtual Result<RetrievalInfo> do_stream_expenses(const std::string& citizen, const Query& query,
                                                   const RecordCallback<MedicalExpenseRecord>& on_record,
                                                   const Context& context) = 0;
};

template <class R>
Result<Fetched<R>> Client::fetch(const std::string& citizen, const Query& query, const Context& context) {
  static_assert(
      std::is_same_v<R, DrugRecord> || std::is_same_v<R, CheckupRecord> || std::is_same_v<R, MedicalExpenseRecord>,
      "R is DrugRecord, CheckupRecord or MedicalExpenseRecord");
  if constexpr (std::is_same_v<R, DrugRecord>)
    return do_fetch_drugs(citizen, query, context);
  else if constexpr (std::is_same_v<R, CheckupRecord>)
    return do_fetch_checkups(citizen, query, context);
  else
    return do_fetch_expenses(citizen, query, context);
}

template <class R>
Result<RetrievalInfo> Client::fetch_stream(const std::string& citizen, const Query& query,
                                           const RecordCallback<R>& on_record, const Context& context) {
  static_assert(
      std::is_same_v<R, DrugRecord> || std::is_same_v<R, CheckupRecord> || std::is_same_v<R, MedicalExpenseRecord>,
      "R is DrugRecord, CheckupRecord or MedicalExpenseRecord");
  if constexpr (std::is_same_v<R, DrugRecord>)
    return do_stream_drugs(citizen, query, on_record, context);
  else if constexpr (std::is_same_v<R, CheckupRecord>)
    return do_stream_checkups(citizen, query, on_record, context);
  else
    return do_stream_expenses(citizen, query, on_record, context);
}

}  // namespace myna
