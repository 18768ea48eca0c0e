// The facade: consent, fetch, stream and batch over the retrieval engine
// (client/retrieval_engine.hpp), which runs each asynchronous retrieval.
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

}  // namespace

struct Client::Impl {
  std::shared_ptr<TokenClient> token_client;
  std::unique_ptr<NotificationHandler> notifications;
  std::unique_ptr<internal::RetrievalEngine> engine;

  const ClientOptions& options() const { return engine->options(); }
};

Result<std::shared_ptr<Client>> Client::create(ClientOptions options) {
  if (Status st = complete(options); !st) return std::move(st).error();
  auto ids = TelegramIdGenerator::create(options.profile.provider_number, options.instance, options.instance_count);
  if (!ids) return std::move(ids).error();
  auto impl = std::make_unique<Impl>();
  impl->token_client = std::make_shared<TokenClient>(options.profile, options.transport, options.logger);
  auto tokens = std::make_unique<TokenProvider>(options.profile, options.token_store, impl->token_client, options.logger);
  impl->notifications = std::make_unique<NotificationHandler>(options.profile, options.retrieval_store, options.logger);
  impl->engine = std::make_unique<internal::RetrievalEngine>(std::move(options), std::move(tokens), std::move(*ids));
  return std::shared_ptr<Client>(new Client(std::move(impl)));
}

Client::Client(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Client::~Client() = default;

const Profile& Client::profile() const noexcept { return impl_->options().profile; }
const NotificationHandler& Client::notification_handler() const noexcept { return *impl_->notifications; }

Result<ConsentRequest> Client::begin_consent() const { return myna::begin_consent(profile()); }
Result<ConsentRequest> Client::begin_consent(RecordTypes types) const { return myna::begin_consent(profile(), types); }

Status Client::complete_consent(const std::string& citizen, std::string_view redirect, const ConsentRequest& request,
                                const Context& context) {
  auto code = consent_code(redirect, request.state);
  if (!code) return std::move(code).error();
  auto token = impl_->token_client->exchange_code(*code, request.code_verifier, context, request.types);
  if (!token) return std::move(token).error();
  return impl_->options().token_store->save(citizen, *token);
}

Result<bool> Client::has_grant(const std::string& citizen) {
  auto token = impl_->options().token_store->load(citizen);
  if (!token) return std::move(token).error();
  return token->has_value() && (*token)->grant_expires_at > std::chrono::system_clock::now();
}

Result<bool> Client::has_grant(const std::string& citizen, RecordType type) {
  auto token = impl_->options().token_store->load(citizen);
  if (!token) return std::move(token).error();
  return token->has_value() && (*token)->grant_expires_at > std::chrono::system_clock::now() &&
         (*token)->record_types.contains(type);
}

template <class R>
Result<std::vector<R>> Client::fetch(const std::string& citizen, const Query& query, const Context& context) {
  internal::RetrievalEngine& engine = *impl_->engine;
  std::vector<R> records;
  Status done = engine.run(RecordTraits<R>::type, citizen, query, context, [&](const Retrieval& r, bool fallback) {
    auto fetched = engine.fetch_records<R>(r, fallback, context);
    if (!fetched) return Status(std::move(fetched).error());
    records = std::move(*fetched);
    return Status();
  });
  if (!done) return std::move(done).error();
  return records;
}

template <class R>
Status Client::fetch_stream(const std::string& citizen, const Query& query, const RecordCallback<R>& on_record,
                            const Context& context) {
  internal::RetrievalEngine& engine = *impl_->engine;
  return engine.run(RecordTraits<R>::type, citizen, query, context, [&](const Retrieval& r, bool fallback) {
    return internal::stream_records<R>(engine, r, fallback, on_record, context);
  });
}

template <class R>
BatchReport Client::batch(const std::vector<std::string>& citizens, const Query& query,
                          const std::function<Status(const std::string&, std::vector<R>&&)>& on_records,
                          const BatchOptions& options, const Context& context) {
  BatchReport report;
  report.outcomes.resize(citizens.size());
  std::atomic<std::size_t> next{0};
  auto worker = [&] {
    for (std::size_t i; (i = next.fetch_add(1)) < citizens.size();) {
      BatchOutcome& out = report.outcomes[i];
      out.citizen = citizens[i];
      if (context.cancelled()) {
        out.status = Error(ErrorCategory::cancelled, "the batch was cancelled before this citizen started");
        continue;
      }
      auto records = fetch<R>(citizens[i], query, context);
      if (!records) {
        out.status = std::move(records).error();
        continue;
      }
      out.records = records->size();
      out.status = on_records ? on_records(citizens[i], std::move(*records)) : Status();
    }
  };
  std::size_t workers = std::max<std::size_t>(1, std::min(options.concurrency, citizens.size()));
  std::vector<std::thread> threads;
  threads.reserve(workers);
  for (std::size_t w = 0; w < workers; ++w) threads.emplace_back(worker);
  for (auto& t : threads) t.join();
  for (const auto& o : report.outcomes) (o.status.ok() ? report.succeeded : report.failed)++;
  return report;
}

Result<std::vector<DrugRecord>> Client::fetch_drugs(const std::string& citizen, const Query& query,
                                                    const Context& context) {
  return fetch<DrugRecord>(citizen, query, context);
}
Result<std::vector<CheckupRecord>> Client::fetch_checkups(const std::string& citizen, const Query& query,
                                                          const Context& context) {
  return fetch<CheckupRecord>(citizen, query, context);
}
Result<std::vector<MedicalExpenseRecord>> Client::fetch_expenses(const std::string& citizen, const Query& query,
                                                                 const Context& context) {
  return fetch<MedicalExpenseRecord>(citizen, query, context);
}

#define MYNA_INSTANTIATE_CLIENT(R)                                                                              \
  template Result<std::vector<R>> Client::fetch<R>(const std::string&, const Query&, const Context&);          \
  template Status Client::fetch_stream<R>(const std::string&, const Query&, const RecordCallback<R>&,          \
                                          const Context&);                                                     \
  template BatchReport Client::batch<R>(const std::vector<std::string>&, const Query&,                         \
                                        const std::function<Status(const std::string&, std::vector<R>&&)>&,   \
                                        const BatchOptions&, const Context&);

MYNA_INSTANTIATE_CLIENT(DrugRecord)
MYNA_INSTANTIATE_CLIENT(CheckupRecord)
MYNA_INSTANTIATE_CLIENT(MedicalExpenseRecord)

}  // namespace myna
