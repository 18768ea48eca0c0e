// The facade: consent, then fetch one record type for one citizen and one query (the whole
// asynchronous retrieval), a streaming variant, and a batch over many citizens.
// A Client is thread-safe and meant to be shared; it owns its connection pool.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
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
  std::chrono::seconds notification_timeout{std::chrono::minutes(5)};
  /// Instance number and count of application instances (telegram id partitioning).
  unsigned instance = 0;
  unsigned instance_count = 1;
  /// Name of this instance in fetch claims (default: hostname:pid).
  std::string instance_name;
};

/// Per-citizen outcome of a batch.
template <class R>
struct BatchItem {
  std::string citizen;
  Result<std::vector<R>> records = Error(ErrorCategory::cancelled, "not run");
};

struct BatchOptions {
  std::size_t concurrency = 16;  ///< retrievals in flight at once
};

class Client {
 public:
  static Result<std::shared_ptr<Client>> create(ClientOptions options);
  ~Client();
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;

  const Profile& profile() const noexcept;

  // ---- consent (期間連携 grant) -------------------------------------------------------
  /// Step 1: the URL to send the citizen's browser to; keep the returned state.
  Result<ConsentRequest> begin_consent() const;
  /// Step 2: the browser came back to redirect_uri; exchange the code and store the token
  /// for this citizen key.
  Status complete_consent(const std::string& citizen, std::string_view redirect,
                          const ConsentRequest& request, const Context& context = Context());
  /// Whether a valid grant exists (false: consent needed again).
  Result<bool> has_grant(const std::string& citizen);

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

  /// Many citizens, at most options.concurrency retrievals in flight; every citizen gets a
  /// result or a typed error, and one failure does not stop the others. on_done (optional)
  /// is called as each citizen finishes, from worker threads.
  template <class R>
  std::vector<BatchItem<R>> batch(const std::vector<std::string>& citizens, const Query& query,
                                  const BatchOptions& options = {},
                                  const std::function<void(const BatchItem<R>&)>& on_done = {},
                                  const Context& context = Context());

  // ---- notifications -------------------------------------------------------------------
  /// The handler for your notification endpoint (shares this client's retrieval store).
  const NotificationHandler& notification_handler() const noexcept;

 private:
  struct Impl;
  explicit Client(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace myna
