#include "myna/client/client.hpp"

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <thread>

#include "client/chunk_pipe.hpp"
#include "myna/process/telegram_id.hpp"

namespace myna {
namespace {

using SteadyClock = std::chrono::steady_clock;
constexpr std::size_t kStreamPipeBytes = std::size_t{1} << 20;
constexpr std::chrono::seconds kMinPurgeInterval{1};

std::string default_instance_name() {
  char host[256] = {};
  if (::gethostname(host, sizeof host - 1) != 0) host[0] = '\0';
  return std::string(host) + ":" + std::to_string(::getpid());
}

Error with_context(const Error& e, const std::string& what) {
  Error out(e.category(), what + ": " + e.message());
  if (e.http_status()) out.with_http_status(*e.http_status());
  if (e.retry_after()) out.with_retry_after(*e.retry_after());
  if (!e.service_code().empty()) out.with_service_code(e.service_code());
  if (e.location()) out.with_location(*e.location());
  return out;
}

Error outer_context_error(const Context& context) {
  if (context.cancelled()) return Error(ErrorCategory::cancelled, "the retrieval was cancelled");
  return Error(ErrorCategory::timeout, "the retrieval's deadline passed");
}

}  // namespace

struct Client::Impl {
  ClientOptions options;
  std::shared_ptr<HttpTransport> transport;
  std::shared_ptr<TokenStore> token_store;
  std::shared_ptr<RetrievalStore> store;
  std::shared_ptr<TokenClient> token_client;
  std::unique_ptr<TokenProvider> tokens;
  std::unique_ptr<NotificationHandler> notifications;
  std::unique_ptr<TelegramIdGenerator> ids;
  std::atomic<SteadyClock::rep> next_purge{0};  // when purge_finished() may run again

  const Profile& profile() const { return options.profile; }
  const Logger& log() const { return options.logger; }

  // One authenticated call; a 401 invalidates the token and tries once more with a fresh one.
  Result<HttpResponse> call(const std::string& citizen, const std::string& path, const std::string& body,
                            bool idempotent, const Context& context,
                            std::function<Status(std::string_view)> on_chunk = {}) {
    for (int auth_attempt = 0;; ++auth_attempt) {
      auto token = tokens->access_token(citizen, context);
      if (!token) return std::move(token).error();
      HttpRequest request;
      request.url = profile().api_base_url + path;
      request.headers = {{"Content-Type", "application/json; charset=utf-8", false},
                         {"Accept", "application/json", false},
                         {"Authorization", "Bearer " + std::string(token->reveal()), true}};
      request.body = body;
      request.idempotent = idempotent;
      request.on_body_chunk = on_chunk;
      auto response = send_with_retry(*transport, request, context, idempotent ? options.retry : RetryPolicy::none(),
                                      log());
      wipe(request.headers.back().value);
      if (!response && response.error().http_status() == 401 && auth_attempt == 0) {
        tokens->invalidate(citizen, *token);
        continue;
      }
      return response;
    }
  }

  // Request telegram → processId; the retrieval is registered before sending so that a
  // notification racing the response finds it.
  Result<Retrieval> start(const std::string& citizen, const Query& query, const Context& context) {
    Retrieval r;
    r.telegram_id = ids->next();
    r.citizen = citizen;
    r.type = query.type();
    r.from = query.from();
    r.to = query.to();
    r.created_at = r.updated_at = std::chrono::system_clock::now();
    if (Status st = store->create(r); !st) return std::move(st).error();
    RequestTelegram telegram{{r.telegram_id, profile().request_type, profile().mode, "", ""}, query.to_filter(profile())};
    auto response = call(citizen, profile().request_path, codec::encode_request(telegram), options.resend_requests, context);
    if (!response) return fail(r, with_context(response.error(), "request telegram " + r.telegram_id));
    auto header = codec::decode_header(response->body, profile());
    if (!header) return fail(r, with_context(header.error(), "request response for " + r.telegram_id));
    if (Status st = codec::check_service_error(*header, profile()); !st) return fail(r, std::move(st).error());
    if (header->telegram_type != profile().request_response_type || header->telegram_id != r.telegram_id ||
        header->process_id.empty())
      return fail(r, Error(ErrorCategory::protocol, "the request response for " + r.telegram_id +
                                                        " has the wrong telegramType, telegramId or no processId"));
    r.process_id = header->process_id;
    if (Status st = store->set_process_id(r.telegram_id, r.process_id); !st) return fail(r, std::move(st).error());
    log().log(LogLevel::debug, "retrieval " + r.telegram_id + " accepted as process " + r.process_id);
    return r;
  }

  Error fail(const Retrieval& r, Error error, RetrievalState state = RetrievalState::failed) {
    (void)store->finish(r.telegram_id, state);
    log().log(LogLevel::warn, "retrieval " + r.telegram_id + " " + to_string(state) + ": " + error.to_string());
    return error;
  }

  // Waits for the completion notification; true when it came, false when the fallback applies.
  Result<bool> await_notification(const Retrieval& r, const Context& context) {
    Context wait_context = context.with_timeout(options.notification_timeout);
    auto state = store->wait(r.telegram_id, wait_context);
    if (context.cancelled() || context.expired()) return fail(r, outer_context_error(context));
    if (!state) {
      if (state.error().category() == ErrorCategory::timeout || state.error().category() == ErrorCategory::cancelled)
        return false;
      return fail(r, std::move(state).error());
    }
    if (*state == RetrievalState::requested || *state == RetrievalState::waiting) return false;
    if (*state != RetrievalState::notified) {
      return fail(r, Error(ErrorCategory::protocol, "retrieval " + r.telegram_id + " is already " + to_string(*state)));
    }
    return true;
  }

  // A notification that carried an errorCode ends the retrieval with that error.
  Status notified_error(const Retrieval& r) {
    auto current = store->find(r.telegram_id);
    if (!current) return std::move(current).error();
    if (!*current || (*current)->error_code.empty()) return {};
    CommonHeader h;
    h.error_code = (*current)->error_code;
    return codec::check_service_error(h, profile());
  }

  Status claim(const Retrieval& r) {
    auto claimed = store->claim_fetch(r.telegram_id, options.instance_name, options.stale_claim_after);
    if (!claimed) return std::move(claimed).error();
    if (!*claimed)
      return Error(ErrorCategory::protocol, "retrieval " + r.telegram_id + " is being fetched by another instance");
    return {};
  }

  std::string result_request(const Retrieval& r) const {
    return codec::encode_header({r.telegram_id, profile().result_request_type, profile().mode, r.process_id, ""});
  }

  // Checks a result header: matching ids, then the service's errorCode. not_ready tells the
  // caller to wait and ask again.
  Status check_result_header(const Retrieval& r, const CommonHeader& h, bool& not_ready) const {
    not_ready = !profile().not_ready_code.empty() && h.error_code == profile().not_ready_code;
    if (not_ready) return {};
    if (Status st = codec::check_service_error(h, profile()); !st) return st;
    if (h.telegram_type != profile().result_response_type || h.telegram_id != r.telegram_id ||
        h.process_id != r.process_id)
      return Error(ErrorCategory::protocol, "the result for " + r.telegram_id +
                                                " carries another telegramType, telegramId or processId");
    return {};
  }

  // Waits before asking again; false when the context ended.
  bool backoff(int attempt, const Context& context) const {
    auto wait = options.retry.initial_backoff * (1 << std::min(attempt, 6));
    return context.sleep_for(std::min<std::chrono::milliseconds>(wait, options.retry.max_backoff));
  }

  // Fetches the whole result into a vector, retrying transport failures (inside call) and
  // corrupt or not-yet-ready bodies (here).
  template <class R>
  Result<std::vector<R>> fetch_collected(const Retrieval& r, bool fallback, const Context& context) {
    const std::string body = result_request(r);
    for (int attempt = 1;; ++attempt) {
      auto response = call(r.citizen, profile().result_path, body, true, context);
      if (!response) return with_context(response.error(), "result telegram " + r.telegram_id);
      auto decoded = codec::decode_result<R>(response->body, profile());
      bool last = attempt >= options.retry.max_attempts;
      if (!decoded) {
        if (last || !backoff(attempt, context)) return with_context(decoded.error(), "result telegram " + r.telegram_id);
        log().log(LogLevel::info, "result " + r.telegram_id + " undecodable, asking again: " + decoded.error().to_string());
        continue;
      }
      bool not_ready = false;
      if (Status st = check_result_header(r, decoded->header, not_ready); !st) return std::move(st).error();
      if (!not_ready) return std::move(decoded->records);
      if (fallback) return not_ready_error(r);
      if (last || !backoff(attempt, context)) return not_ready_error(r);
    }
  }

  Error not_ready_error(const Retrieval& r) const {
    return Error(ErrorCategory::timeout, "retrieval " + r.telegram_id +
                                             ": no completion notification arrived and the service says the "
                                             "result is not ready; try again later");
  }

  // Streams the result through a bounded pipe; retries only while nothing was delivered.
  template <class R>
  Status fetch_streamed(const Retrieval& r, bool fallback, const RecordCallback<R>& on_record, const Context& context) {
    const std::string body = result_request(r);
    std::size_t delivered = 0;
    RecordCallback<R> counting = [&](R&& record) {
      ++delivered;
      return on_record(std::move(record));
    };
    for (int attempt = 1;; ++attempt) {
      detail::ChunkPipe pipe(kStreamPipeBytes);
      Result<HttpResponse> response = Error(ErrorCategory::network, "no response");
      std::thread producer([&] {
        response = call(r.citizen, profile().result_path, body, true, context,
                        [&](std::string_view chunk) { return pipe.push(chunk); });
        pipe.close();
      });
      CommonHeader header;
      Status decoded = codec::decode_result<R>(pipe, profile(), counting, header);
      pipe.abandon();
      producer.join();
      // When the decoder (or on_record) failed first, the transfer only ended because it stopped reading.
      const bool decoder_first = !decoded.ok() && pipe.refused();
      Status outcome = !response && !decoder_first ? response.error() : decoded;
      if (!outcome.ok()) outcome = with_context(outcome.error(), "result telegram " + r.telegram_id);
      bool not_ready = false;
      if (outcome.ok()) outcome = check_result_header(r, header, not_ready);
      if (outcome.ok() && !not_ready) return {};
      bool retryable = delivered == 0 && attempt < options.retry.max_attempts &&
                       (not_ready ? !fallback : is_retryable(outcome.error()) ||
                                                    outcome.error().category() == ErrorCategory::decode);
      if (!retryable || !backoff(attempt, context)) return not_ready ? Status(not_ready_error(r)) : outcome;
    }
  }

  // Drops finished retrievals older than keep_finished, at most once per half that period, on
  // the thread that just finished one (no background thread).
  void purge_finished() {
    if (!options.keep_finished) return;
    const auto now = SteadyClock::now().time_since_epoch().count();
    const SteadyClock::duration interval =
        std::max<SteadyClock::duration>(*options.keep_finished / 2, kMinPurgeInterval);
    auto due = next_purge.load(std::memory_order_relaxed);
    if (now < due || !next_purge.compare_exchange_strong(due, now + interval.count())) return;
    if (Status st = store->purge(*options.keep_finished); !st)
      log().log(LogLevel::warn, "purging finished retrievals failed: " + st.error().to_string());
  }

  template <class R, class Fetch>
  auto run(const std::string& citizen, const Query& query, const Context& context, Fetch&& fetch)
      -> decltype(fetch(std::declval<const Retrieval&>(), false)) {
    auto result = retrieve<R>(citizen, query, context, std::forward<Fetch>(fetch));
    purge_finished();
    return result;
  }

  template <class R, class Fetch>
  auto retrieve(const std::string& citizen, const Query& query, const Context& context, Fetch&& fetch)
      -> decltype(fetch(std::declval<const Retrieval&>(), false)) {
    if (query.type() != RecordTraits<R>::type)
      return Error(ErrorCategory::validation, std::string("the query is for ") + std::string(japanese_name(query.type())) +
                                                  ", not " + std::string(japanese_name(RecordTraits<R>::type)));
    // Consent is per information type: refuse an ungranted type before any telegram.
    if (Status granted = tokens->check_grant(citizen, query.type()); !granted) return std::move(granted).error();
    auto started = start(citizen, query, context);
    if (!started) return std::move(started).error();
    const Retrieval& r = *started;
    auto notified = await_notification(r, context);
    if (!notified) return std::move(notified).error();
    if (*notified) {
      if (Status st = notified_error(r); !st) return fail(r, std::move(st).error());
    } else {
      // Fallback: no notification in time; mark it ourselves and fetch once.
      log().log(LogLevel::info, "no notification for " + r.telegram_id + " within the timeout; fetching once");
      auto marked = store->mark_notified(r.telegram_id, r.process_id, "");
      if (!marked) return fail(r, std::move(marked).error());
    }
    if (Status st = claim(r); !st) return fail(r, std::move(st).error());
    auto result = fetch(r, !*notified);
    if (!result) {
      bool timed_out = result.error().category() == ErrorCategory::timeout;
      return fail(r, std::move(result).error(), timed_out ? RetrievalState::timed_out : RetrievalState::failed);
    }
    (void)store->finish(r.telegram_id, RetrievalState::fetched);
    return result;
  }
};

Result<std::shared_ptr<Client>> Client::create(ClientOptions options) {
  auto impl = std::make_unique<Impl>();
  if (options.instance_name.empty()) options.instance_name = default_instance_name();
  if (!options.transport) {
    options.curl.logger = options.logger;
    auto transport = make_curl_transport(options.curl);
    if (!transport) return std::move(transport).error();
    options.transport = *transport;
  }
  if (!options.token_store) options.token_store = make_memory_token_store();
  if (!options.retrieval_store) options.retrieval_store = make_memory_retrieval_store();
  auto ids = TelegramIdGenerator::create(options.profile.provider_number, options.instance, options.instance_count);
  if (!ids) return std::move(ids).error();
  impl->ids = std::make_unique<TelegramIdGenerator>(std::move(*ids));
  impl->transport = options.transport;
  impl->token_store = options.token_store;
  impl->store = options.retrieval_store;
  impl->token_client = std::make_shared<TokenClient>(options.profile, impl->transport, options.logger);
  impl->tokens = std::make_unique<TokenProvider>(options.profile, impl->token_store, impl->token_client, options.logger);
  impl->notifications = std::make_unique<NotificationHandler>(options.profile, impl->store, options.logger);
  impl->options = std::move(options);
  return std::shared_ptr<Client>(new Client(std::move(impl)));
}

Client::Client(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Client::~Client() = default;

const Profile& Client::profile() const noexcept { return impl_->profile(); }
const NotificationHandler& Client::notification_handler() const noexcept { return *impl_->notifications; }

Result<ConsentRequest> Client::begin_consent() const { return myna::begin_consent(impl_->profile()); }
Result<ConsentRequest> Client::begin_consent(RecordTypes types) const {
  return myna::begin_consent(impl_->profile(), types);
}

Status Client::complete_consent(const std::string& citizen, std::string_view redirect, const ConsentRequest& request,
                                const Context& context) {
  auto code = consent_code(redirect, request.state);
  if (!code) return std::move(code).error();
  auto token = impl_->token_client->exchange_code(*code, request.code_verifier, context, request.types);
  if (!token) return std::move(token).error();
  return impl_->token_store->save(citizen, *token);
}

Result<bool> Client::has_grant(const std::string& citizen) {
  auto token = impl_->token_store->load(citizen);
  if (!token) return std::move(token).error();
  return token->has_value() && (*token)->grant_expires_at > std::chrono::system_clock::now();
}

Result<bool> Client::has_grant(const std::string& citizen, RecordType type) {
  auto token = impl_->token_store->load(citizen);
  if (!token) return std::move(token).error();
  return token->has_value() && (*token)->grant_expires_at > std::chrono::system_clock::now() &&
         (*token)->record_types.contains(type);
}

template <class R>
Result<std::vector<R>> Client::fetch(const std::string& citizen, const Query& query, const Context& context) {
  return impl_->run<R>(citizen, query, context, [&](const Retrieval& r, bool fallback) {
    return impl_->fetch_collected<R>(r, fallback, context);
  });
}

template <class R>
Status Client::fetch_stream(const std::string& citizen, const Query& query, const RecordCallback<R>& on_record,
                            const Context& context) {
  auto result = impl_->run<R>(citizen, query, context, [&](const Retrieval& r, bool fallback) -> Result<bool> {
    if (Status st = impl_->fetch_streamed<R>(r, fallback, on_record, context); !st) return std::move(st).error();
    return true;
  });
  if (!result) return std::move(result).error();
  return {};
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
