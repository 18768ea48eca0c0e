// The real Client (consent, fetch, stream over the retrieval engine, client/retrieval_engine.hpp,
// which runs each asynchronous retrieval) and the batch every Client implementation shares.
#include "myna/client/client.hpp"

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <thread>

#include "client/retrieval_engine.hpp"
#include "client/stream_fetch.hpp"

namespace myna {
namespace {

std::string default_instance_name() {
  char host[256] = {};
  if (::gethostname(host, sizeof host - 1) != 0) host[0] = '\0';
  return std::string(host) + ":" + std::to_string(::getpid());
}

// The options with their defaults filled in: instance name, transport, stores.
Status complete(ClientOptions& options) {
  if (options.instance_name.empty()) options.instance_name = default_instance_name();
  if (!options.transport) {
    options.curl.logger = options.logger;
    auto transport = make_curl_transport(options.curl);
    if (!transport) return std::move(transport).error();
    options.transport = *transport;
  }
  if (!options.token_store) options.token_store = make_memory_token_store();
  if (!options.retrieval_store) options.retrieval_store = make_memory_retrieval_store();
  return {};
}

// The real client: the Client interface over the retrieval engine.
class ServiceClient final : public Client {
 public:
  ServiceClient(std::shared_ptr<TokenClient> token_client, std::unique_ptr<NotificationHandler> notifications,
                std::unique_ptr<internal::RetrievalEngine> engine)
      : token_client_(std::move(token_client)), notifications_(std::move(notifications)), engine_(std::move(engine)) {}

  const Profile& profile() const noexcept override { return engine_->profile(); }
  const NotificationHandler& notification_handler() const noexcept override { return *notifications_; }
  Result<RecordTypes> granted_types(const std::string& citizen) override;

 protected:
  Result<ConsentRequest> do_begin_consent(RecordTypes types) const override {
    return myna::begin_consent(profile(), types);
  }
  Status do_complete_consent(const std::string& citizen, std::string_view redirect, const ConsentRequest& request,
                             const Context& context) override;
  Result<Fetched<DrugRecord>> do_fetch_drugs(const std::string& citizen, const Query& query,
                                             const Context& context) override {
    return collect<DrugRecord>(citizen, query, context);
  }
  Result<Fetched<CheckupRecord>> do_fetch_checkups(const std::string& citizen, const Query& query,
                                                   const Context& context) override {
    return collect<CheckupRecord>(citizen, query, context);
  }
  Result<Fetched<MedicalExpenseRecord>> do_fetch_expenses(const std::string& citizen, const Query& query,
                                                          const Context& context) override {
    return collect<MedicalExpenseRecord>(citizen, query, context);
  }
  Result<RetrievalInfo> do_stream_drugs(const std::string& citizen, const Query& query,
                                        const RecordCallback<DrugRecord>& on_record, const Context& context) override {
    return stream<DrugRecord>(citizen, query, on_record, context);
  }
  Result<RetrievalInfo> do_stream_checkups(const std::string& citizen, const Query& query,
                                           const RecordCallback<CheckupRecord>& on_record,
                                           const Context& context) override {
    return stream<CheckupRecord>(citizen, query, on_record, context);
  }
  Result<RetrievalInfo> do_stream_expenses(const std::string& citizen, const Query& query,
                                           const RecordCallback<MedicalExpenseRecord>& on_record,
                                           const Context& context) override {
    return stream<MedicalExpenseRecord>(citizen, query, on_record, context);
  }

 private:
  const ClientOptions& options() const { return engine_->options(); }

  template <class R>
  Result<Fetched<R>> collect(const std::string& citizen, const Query& query, const Context& context) {
    internal::RetrievalEngine& engine = *engine_;
    Fetched<R> fetched;
    auto fetch = [&](const Retrieval& r, bool fallback, RetrievalInfo& info) {
      auto records = engine.fetch_records<R>(r, fallback, context, info);
      if (!records) return Status(std::move(records).error());
      fetched.records = std::move(*records);
      return Status();
    };
    Status done = engine.run(RecordTraits<R>::type, citizen, query, context, fetch, fetched.info);
    if (!done) return std::move(done).error();
    return fetched;
  }

  template <class R>
  Result<RetrievalInfo> stream(const std::string& citizen, const Query& query, const RecordCallback<R>& on_record,
                               const Context& context) {
    internal::RetrievalEngine& engine = *engine_;
    RetrievalInfo info;
    auto fetch = [&](const Retrieval& r, bool fallback, RetrievalInfo& into) {
      return internal::stream_records<R>(engine, r, fallback, on_record, context, into);
    };
    Status done = engine.run(RecordTraits<R>::type, citizen, query, context, fetch, info);
    if (!done) return std::move(done).error();
    return info;
  }

  std::shared_ptr<TokenClient> token_client_;
  std::unique_ptr<NotificationHandler> notifications_;
  std::unique_ptr<internal::RetrievalEngine> engine_;
};

Status ServiceClient::do_complete_consent(const std::string& citizen, std::string_view redirect,
                                          const ConsentRequest& request, const Context& context) {
  auto code = consent_code(redirect, request.state);
  if (!code) return std::move(code).error();
  auto token = token_client_->exchange_code(*code, request.code_verifier, context, request.types);
  if (!token) return std::move(token).error();
  return options().token_store->save(citizen, *token);
}

Result<RecordTypes> ServiceClient::granted_types(const std::string& citizen) {
  auto token = options().token_store->load(citizen);
  if (!token) return std::move(token).error();
  if (!token->has_value() || (*token)->grant_expires_at <= std::chrono::system_clock::now()) return RecordTypes();
  return (*token)->record_types;
}

}  // namespace

Result<std::shared_ptr<Client>> Client::create(ClientOptions options) {
  if (Status st = complete(options); !st) return std::move(st).error();
  auto ids = TelegramIdGenerator::create(options.profile.provider_number, options.instance, options.instance_count);
  if (!ids) return std::move(ids).error();
  auto token_client = std::make_shared<TokenClient>(options.profile, options.transport, options.logger);
  auto tokens = std::make_unique<TokenProvider>(options.profile, options.token_store, token_client, options.logger);
  auto notifications = std::make_unique<NotificationHandler>(options.profile, options.retrieval_store, options.logger);
  auto engine = std::make_unique<internal::RetrievalEngine>(std::move(options), std::move(tokens), std::move(*ids));
  return std::shared_ptr<Client>(
      std::make_shared<ServiceClient>(std::move(token_client), std::move(notifications), std::move(engine)));
}

Client::~Client() = default;

namespace {

// A citizen's outcome in a batch: the fetch, then the application's callback.
template <class R>
void run_batch_citizen(Client& client, const std::string& citizen, const Query& query,
                       const std::function<Status(const std::string&, std::vector<R>&&)>& on_records,
                       const Context& context, BatchOutcome& out) {
  out.citizen = citizen;
  if (context.cancelled()) {
    out.status = Error(ErrorCategory::cancelled, "the batch was cancelled before this citizen started");
    return;
  }
  auto fetched = client.fetch<R>(citizen, query, context);
  if (!fetched) {
    if (const RetrievalInfo* info = fetched.error().retrieval()) out.info = *info;
    out.status = std::move(fetched).error();
    return;
  }
  out.records = fetched->records.size();
  out.info = std::move(fetched->info);
  out.status = on_records ? on_records(citizen, std::move(fetched->records)) : Status();
}

}  // namespace

template <class R>
BatchReport Client::batch(const std::vector<std::string>& citizens, const Query& query,
                          const std::function<Status(const std::string&, std::vector<R>&&)>& on_records,
                          const BatchOptions& options, const Context& context) {
  BatchReport report;
  report.outcomes.resize(citizens.size());
  std::atomic<std::size_t> next{0};
  auto worker = [&] {
    for (std::size_t i; (i = next.fetch_add(1)) < citizens.size();)
      run_batch_citizen<R>(*this, citizens[i], query, on_records, context, report.outcomes[i]);
  };
  std::size_t workers = std::max<std::size_t>(1, std::min(options.concurrency, citizens.size()));
  std::vector<std::thread> threads;
  threads.reserve(workers);
  for (std::size_t w = 0; w < workers; ++w) threads.emplace_back(worker);
  for (auto& t : threads) t.join();
  for (const auto& o : report.outcomes) (o.status.ok() ? report.succeeded : report.failed)++;
  return report;
}

#define MYNA_INSTANTIATE_BATCH(R)                                                                           \
  template BatchReport Client::batch<R>(const std::vector<std::string>&, const Query&,                      \
                                        const std::function<Status(const std::string&, std::vector<R>&&)>&, \
                                        const BatchOptions&, const Context&);

MYNA_INSTANTIATE_BATCH(DrugRecord)
MYNA_INSTANTIATE_BATCH(CheckupRecord)
MYNA_INSTANTIATE_BATCH(MedicalExpenseRecord)

}  // namespace myna
