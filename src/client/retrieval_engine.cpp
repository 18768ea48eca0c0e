#include "client/retrieval_engine.hpp"

#include <algorithm>

#include "codec/decode_unchecked.hpp"

namespace myna::internal {
namespace {

using SteadyClock = std::chrono::steady_clock;
constexpr std::chrono::seconds kMinPurgeInterval{1};

Error outer_context_error(const Context& context) {
  if (context.cancelled()) return Error(ErrorCategory::cancelled, "the retrieval was cancelled");
  return Error(ErrorCategory::timeout, "the retrieval's deadline passed");
}

Error wrong_type(const Query& query, RecordType type) {
  return Error(ErrorCategory::validation, std::string("the query is for ") + std::string(japanese_name(query.type())) +
                                              ", not " + std::string(japanese_name(type)));
}

}  // namespace

RetrievalEngine::RetrievalEngine(ClientOptions options, std::unique_ptr<TokenProvider> tokens, TelegramIdGenerator ids,
                                 const RetryClock& clock)
    : options_(std::move(options)), clock_(clock), service_(options_, std::move(tokens), clock), ids_(std::move(ids)) {}

Status RetrievalEngine::run(RecordType type, const std::string& citizen, const Query& query, const Context& context,
                            const FetchResult& fetch, RetrievalInfo& info) {
  info.citizen = citizen;
  info.type = type;
  info.from = query.from();
  info.to = query.to();
  info.instance_name = options_.instance_name;
  info.requested_at = std::chrono::system_clock::now();
  Status result = retrieve(type, citizen, query, context, fetch, info);
  if (!result) result = std::move(result).error().with_retrieval(std::make_shared<const RetrievalInfo>(info));
  report(info, result);
  purge_finished();
  return result;
}

Status RetrievalEngine::retrieve(RecordType type, const std::string& citizen, const Query& query,
                                 const Context& context, const FetchResult& fetch, RetrievalInfo& info) {
  if (query.type() != type) return wrong_type(query, type);
  // Consent is per information type: refuse an ungranted type before any telegram.
  if (Status granted = service_.check_grant(citizen, type); !granted) return granted;
  auto started = start(citizen, query, context, info);
  if (!started) return std::move(started).error();
  const Retrieval& r = *started;
  auto notified = await_notification(r, context);
  if (!notified) return std::move(notified).error();
  info.notified = *notified;
  if (Status st = prepare_fetch(r, *notified, info); !st) return fail(r, std::move(st).error());
  if (Status st = fetch(r, !*notified, info); !st) {
    const bool timed_out = st.error().category() == ErrorCategory::timeout;
    return fail(r, std::move(st).error(), timed_out ? RetrievalState::timed_out : RetrievalState::failed);
  }
  (void)options_.retrieval_store->finish(r.telegram_id, RetrievalState::fetched);
  return {};
}

// Request telegram → processId; the retrieval is registered before sending so that a
// notification racing the response finds it. Such a notification stays provisional: only the
// service's response confirms a processId (set_process_id), so a forged one in the window
// cannot fail the retrieval.
Result<Retrieval> RetrievalEngine::start(const std::string& citizen, const Query& query, const Context& context,
                                         RetrievalInfo& info) {
  RetrievalStore& store = *options_.retrieval_store;
  Retrieval r;
  r.telegram_id = info.telegram_id = ids_.next();
  r.citizen = citizen;
  r.type = query.type();
  r.from = query.from();
  r.to = query.to();
  r.created_at = r.updated_at = info.requested_at = std::chrono::system_clock::now();
  if (Status st = store.create(r); !st) return std::move(st).error();
  RequestTelegram telegram{{r.telegram_id, profile().request_type, profile().mode, "", ""}, query.to_filter(profile())};
  auto response = service_.post(citizen, profile().request_path, codec::encode_request(telegram),
                                options_.resend_requests, context, info.request_attempts);
  if (!response) return fail(r, std::move(response).error().with_context("request telegram " + r.telegram_id));
  auto header = codec::decode_header(response->body, profile());
  if (!header) return fail(r, std::move(header).error().with_context("request response for " + r.telegram_id));
  if (Status st = codec::check_service_error(*header, profile()); !st) return fail(r, std::move(st).error());
  if (header->telegram_type != profile().request_response_type || header->telegram_id != r.telegram_id ||
      header->process_id.empty())
    return fail(r, Error(ErrorCategory::protocol, "the request response for " + r.telegram_id +
                                                      " has the wrong telegramType, telegramId or no processId"));
  r.process_id = info.process_id = header->process_id;
  if (Status st = store.set_process_id(r.telegram_id, r.process_id); !st) return fail(r, std::move(st).error());
  options_.logger.log(LogLevel::debug, "retrieval " + r.telegram_id + " accepted as process " + r.process_id);
  return r;
}

Error RetrievalEngine::fail(const Retrieval& r, Error error, RetrievalState state) const {
  (void)options_.retrieval_store->finish(r.telegram_id, state);
  return error;
}

// Waits for the completion notification; true when it came, false when the fallback applies.
Result<bool> RetrievalEngine::await_notification(const Retrieval& r, const Context& context) const {
  Context wait_context = context.with_timeout(options_.notification_timeout);
  auto state = options_.retrieval_store->wait(r.telegram_id, wait_context);
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

// After the wait: a notification's errorCode ends the retrieval; without a notification the
// client marks the retrieval notified itself and fetches once. Then this instance claims it.
Status RetrievalEngine::prepare_fetch(const Retrieval& r, bool notified, RetrievalInfo& info) const {
  if (notified) {
    if (Status st = notified_error(r, info); !st) return st;
  } else {
    options_.logger.log(LogLevel::info, "no notification for " + r.telegram_id + " within the timeout; fetching once");
    auto marked = options_.retrieval_store->mark_notified(r.telegram_id, r.process_id, "");
    if (!marked) return std::move(marked).error();
  }
  return claim(r);
}

// When the notification arrived (the store's time of the transition); a notification that
// carried an errorCode ends the retrieval with that error.
Status RetrievalEngine::notified_error(const Retrieval& r, RetrievalInfo& info) const {
  auto current = options_.retrieval_store->find(r.telegram_id);
  if (!current) return std::move(current).error();
  if (*current) info.notified_at = (*current)->updated_at;
  if (!*current || (*current)->error_code.empty()) return {};
  CommonHeader h;
  h.error_code = (*current)->error_code;
  return codec::check_service_error(h, profile());
}

Status RetrievalEngine::claim(const Retrieval& r) const {
  auto claimed =
      options_.retrieval_store->claim_fetch(r.telegram_id, options_.instance_name, options_.stale_claim_after);
  if (!claimed) return std::move(claimed).error();
  if (!*claimed)
    return Error(ErrorCategory::protocol, "retrieval " + r.telegram_id + " is being fetched by another instance");
  return {};
}

std::string RetrievalEngine::result_request(const Retrieval& r) const {
  return codec::encode_header({r.telegram_id, profile().result_request_type, profile().mode, r.process_id, ""});
}

Status RetrievalEngine::check_result_header(const Retrieval& r, const CommonHeader& h, bool& not_ready) const {
  not_ready = !profile().not_ready_code.empty() && h.error_code == profile().not_ready_code;
  if (not_ready) return {};
  if (Status st = codec::check_service_error(h, profile()); !st) return st;
  if (h.telegram_type != profile().result_response_type || h.telegram_id != r.telegram_id ||
      h.process_id != r.process_id)
    return Error(ErrorCategory::protocol,
                 "the result for " + r.telegram_id + " carries another telegramType, telegramId or processId");
  return {};
}

Error RetrievalEngine::not_ready_error(const Retrieval& r) const {
  return Error(ErrorCategory::timeout, "retrieval " + r.telegram_id +
                                           ": no completion notification arrived and the service says the "
                                           "result is not ready; try again later");
}

template <class R>
Result<std::vector<R>> RetrievalEngine::fetch_records(const Retrieval& r, bool fallback, const Context& context,
                                                      RetrievalInfo& info) const {
  const std::string body = result_request(r);
  const RetrySchedule waits = schedule();
  for (int attempt = 1;; ++attempt) {
    auto response = service_.post(r.citizen, profile().result_path, body, true, context, info.result_attempts);
    if (!response) return std::move(response).error().with_context("result telegram " + r.telegram_id);
    info.fetched_at = std::chrono::system_clock::now();
    info.bytes = response->body.size();
    auto decoded = decode_result_unchecked<R>(response->body, profile(), options_.decode);
    if (!decoded) {
      if (!waits.wait_before_next(attempt, context))
        return std::move(decoded).error().with_context("result telegram " + r.telegram_id);
      options_.logger.log(LogLevel::info,
                          "result " + r.telegram_id + " undecodable, asking again: " + decoded.error().to_string());
      continue;
    }
    bool not_ready = false;
    if (Status st = check_result_header(r, decoded->header, not_ready); !st) return std::move(st).error();
    if (!not_ready) {
      info.records = decoded->records.size();
      count_issues(decoded->records, info.issues);
      return std::move(decoded->records);
    }
    if (fallback || !waits.wait_before_next(attempt, context)) return not_ready_error(r);
  }
}

// One line per retrieval for the logger, one event for the audit sink (never a record value).
void RetrievalEngine::report(const RetrievalInfo& info, const Status& outcome) const {
  if (outcome.ok()) {
    if (options_.logger.enabled(LogLevel::info))
      options_.logger.log(LogLevel::info, "retrieval fetched: " + to_string(info));
  } else if (options_.logger.enabled(LogLevel::warn)) {
    options_.logger.log(LogLevel::warn, "retrieval failed: " + to_string(info) + "; " + outcome.error().to_string());
  }
  if (!options_.audit) return;
  AuditEvent event{info, std::nullopt, ""};
  if (!outcome.ok()) {
    event.error = outcome.error().category();
    event.message = outcome.error().message();
  }
  try {
    options_.audit(event);
  } catch (const std::exception& e) {
    options_.logger.log(LogLevel::warn, std::string("the audit sink threw: ") + e.what());
  } catch (...) { options_.logger.log(LogLevel::warn, "the audit sink threw"); }
}

// Drops finished retrievals older than keep_finished, at most once per half that period, on
// the thread that just finished one (no background thread).
void RetrievalEngine::purge_finished() {
  if (!options_.keep_finished) return;
  const auto now = SteadyClock::now().time_since_epoch().count();
  const SteadyClock::duration interval =
      std::max<SteadyClock::duration>(*options_.keep_finished / 2, kMinPurgeInterval);
  auto due = next_purge_.load(std::memory_order_relaxed);
  if (now < due || !next_purge_.compare_exchange_strong(due, now + interval.count())) return;
  if (Status st = options_.retrieval_store->purge(*options_.keep_finished); !st)
    options_.logger.log(LogLevel::warn, "purging finished retrievals failed: " + st.error().to_string());
}

template Result<std::vector<DrugRecord>> RetrievalEngine::fetch_records<DrugRecord>(const Retrieval&, bool,
                                                                                    const Context&,
                                                                                    RetrievalInfo&) const;
template Result<std::vector<CheckupRecord>> RetrievalEngine::fetch_records<CheckupRecord>(const Retrieval&, bool,
                                                                                          const Context&,
                                                                                          RetrievalInfo&) const;
template Result<std::vector<MedicalExpenseRecord>> RetrievalEngine::fetch_records<MedicalExpenseRecord>(
    const Retrieval&, bool, const Context&, RetrievalInfo&) const;

}  // namespace myna::internal
