#include "service.hpp"

#include <cstdio>

#include "internal/json_string.hpp"
#include "internal/query_filter.hpp"
#include "internal/text.hpp"
#include "myna/auth/consent.hpp"
#include "myna/records.hpp"
#include "odd_values.hpp"

namespace myna::internal::sandbox {

using namespace myna::sandbox;  // the sandbox's public types, unqualified
namespace {

constexpr std::size_t kBulkPoolCitizens = 64;  // drug records cycled through for bulk bodies
constexpr std::chrono::milliseconds kDuplicateGap{50};

/// The token of "Bearer <token>" (scheme case-insensitive), or "".
std::string bearer_token(const std::string& authorization) {
  static constexpr std::string_view kScheme = "bearer ";
  if (authorization.size() <= kScheme.size() || !istarts_with(authorization, kScheme)) return {};
  std::size_t start = authorization.find_first_not_of(' ', kScheme.size());
  std::size_t end = authorization.find_last_not_of(' ');
  return start == std::string::npos ? std::string() : authorization.substr(start, end - start + 1);
}

const char* bearer_problem(BearerCheck check) {
  switch (check) {
    case BearerCheck::missing: return "an access token (Authorization: Bearer) is required";
    case BearerCheck::expired:
    case BearerCheck::expired_by_fault: return "the access token expired; refresh it";
    case BearerCheck::revoked: return "the access token was revoked";
    case BearerCheck::unknown:
    case BearerCheck::ok: break;
  }
  return "unknown access token";
}

std::string forged_telegram_id(const Profile& profile, std::uint64_t n) {
  char seq[8];
  std::snprintf(seq, sizeof seq, "%04u", static_cast<unsigned>(9000 + n % 1000));
  return "TL-" + profile.provider_number + "-" + jst_stamp(SystemClock::now()) + "-" + seq;
}

std::string forged_process_id(std::uint64_t n) {
  char id[16];
  std::snprintf(id, sizeof id, "P9%011llu", static_cast<unsigned long long>(n % 100'000'000'000ull));
  return id;
}

}  // namespace

Service::Service(const SandboxOptions& options, Counters& counters, FaultInjector& faults, Notifier& notifier)
    : options_(options),
      profile_(options_.profile),
      generator_(options.data_seed),
      counters_(counters),
      faults_(faults),
      notifier_(notifier),
      auth_(options.token_lifetime, options.profile.grant_period, options.issue_refresh_tokens),
      delay_ms_(options.notification_delay.count()) {}

// ---------------------------------------------------------------- token

Reply Service::token(const std::string& body, bool client_certified) {
  if (!client_certified)
    return token_failure({403, "invalid_client", "a TLS client certificate is required (mutual TLS)"});
  auto form = parse_form(body);
  if (!form) return token_failure({400, "invalid_request", "malformed form body or repeated field"});
  auto field = [&](const char* name) {
    auto it = form->find(name);
    return it == form->end() ? std::string() : it->second;
  };
  if (field("client_id") != profile_.client_id) return token_failure({401, "invalid_client", "unknown client_id"});
  std::string grant_type = field("grant_type");
  TokenOutcome outcome = OAuthFailure{400, "unsupported_grant_type", "grant_type is not supported"};
  if (grant_type == "authorization_code")
    outcome = auth_.exchange_code(*form);
  else if (grant_type == "refresh_token")
    outcome = auth_.refresh(*form);
  if (auto* failure = std::get_if<OAuthFailure>(&outcome)) return token_failure(*failure);
  return token_success(std::get<IssuedTokens>(outcome));
}

Reply Service::token_failure(const OAuthFailure& failure) const {
  Reply reply;
  reply.status = failure.status;
  reply.body = oauth_error(failure.error, failure.description);
  reply.headers.emplace_back("Cache-Control", "no-store");
  return reply;
}

Reply Service::token_success(const IssuedTokens& tokens) {
  ++counters_.tokens_issued;
  Reply reply;
  reply.body = "{\"access_token\":";
  append_json_string(reply.body, tokens.access_token);
  reply.body += ",\"token_type\":\"Bearer\",\"expires_in\":" + std::to_string(tokens.expires_in.count());
  if (!tokens.refresh_token.empty()) {
    reply.body += ",\"refresh_token\":";
    append_json_string(reply.body, tokens.refresh_token);
  }
  reply.body += ",\"grant_expires_in\":" + std::to_string(tokens.grant_expires_in.count());
  if (!profile_.consent_types_parameter.empty()) {
    reply.body += ",\"scope\":";
    append_json_string(reply.body, profile_.scope_of(tokens.types));
  }
  reply.body += '}';
  reply.headers.emplace_back("Cache-Control", "no-store");
  reply.headers.emplace_back("Pragma", "no-cache");
  return reply;
}

// ---------------------------------------------------------------- telegrams

std::optional<Reply> Service::authenticate(const std::string& authorization, bool expire_token, Bearer& bearer) {
  BearerCheck check = auth_.check_bearer(bearer_token(authorization), bearer, expire_token);
  if (check == BearerCheck::ok) return std::nullopt;
  if (check == BearerCheck::expired_by_fault) counters_.fault(FaultKind::expired_token);
  return unauthorized(check);
}

Reply Service::unauthorized(BearerCheck check) {
  Reply reply;
  reply.status = 401;
  reply.body = oauth_error("invalid_token", bearer_problem(check));
  reply.headers.emplace_back("WWW-Authenticate", "Bearer error=\"invalid_token\"");
  return reply;
}

Reply Service::telegram_error(int status, const std::string& type, const std::string& telegram_id,
                              const std::string& process_id, const char* code, const char* message) const {
  Reply reply;
  reply.status = status;
  reply.body = codec::encode_header({telegram_id, type, profile_.mode, process_id, code});
  reply.body.pop_back();
  reply.body += ",\"errorMessage\":";
  append_json_string(reply.body, message);
  reply.body += '}';
  return reply;
}

Reply Service::request(const std::string& authorization, const std::string& body, bool expire_token) {
  Bearer bearer;
  if (auto refused = authenticate(authorization, expire_token, bearer)) return *refused;
  const std::string& citizen = bearer.citizen;
  const std::string& type = profile_.request_response_type;
  auto telegram = codec::decode_request(body, profile_);
  if (!telegram) return telegram_error(400, type, "", "", "E0001", "malformed request telegram");
  const CommonHeader& header = telegram->header;
  if (header.telegram_type != profile_.request_type)
    return telegram_error(400, type, header.telegram_id, "", "E0001", "unexpected telegramType");
  if (!valid_telegram_id(header.telegram_id, profile_.provider_number))
    return telegram_error(400, type, header.telegram_id, "", "E0001", "malformed telegramId");
  auto query = query_from_filter(profile_, telegram->inquiry_condition);
  if (!query) return telegram_error(400, type, header.telegram_id, "", "E0001", "malformed inquiryCondition");
  if (!bearer.types.contains(query->type()))  // consent is per information type: no process
    return telegram_error(200, type, header.telegram_id, "", "E0008", "同意されていない情報種別です");
  std::optional<Process> process;
  auto ready_at = SteadyClock::now() + std::chrono::milliseconds(delay_ms_.load());
  Admission admission =
      processes_.admit(header.telegram_id, citizen, telegram->inquiry_condition, *query, ready_at, process);
  if (admission == Admission::conflict)
    return telegram_error(400, type, header.telegram_id, "", "E0001", "telegramId already used for another request");
  if (admission == Admission::created) {
    ++counters_.processes_created;
    schedule_notifications(*process);
  }
  ++counters_.requests;
  Reply reply;
  reply.body = codec::encode_header({header.telegram_id, type, profile_.mode, process->id, profile_.success_code});
  return reply;
}

void Service::schedule_notifications(const Process& process) {
  NotificationPlan plan = faults_.plan_notification();
  Notification genuine{
      {process.telegram_id, profile_.notification_type, profile_.mode, process.id, profile_.success_code}, false};
  if (plan.missing) {
    counters_.fault(FaultKind::missing_notification);
  } else {
    auto when = process.ready_at;
    if (plan.late) {
      when += faults_.current().late_delay;
      counters_.fault(FaultKind::late_notification);
    }
    notifier_.schedule(genuine, when);
    if (plan.duplicate) {
      notifier_.schedule(genuine, when + kDuplicateGap);
      counters_.fault(FaultKind::duplicate_notification);
    }
  }
  if (plan.forged) {  // inside the request window (now, before the response) and with unknown ids
    counters_.fault(FaultKind::forged_notification);
    const std::uint64_t n = forged_++;
    const std::string forged_process = forged_process_id(n);
    notifier_.deliver_now(
        {{process.telegram_id, profile_.notification_type, profile_.mode, forged_process, profile_.success_code},
         true});
    notifier_.schedule({{forged_telegram_id(profile_, n), profile_.notification_type, profile_.mode, forged_process,
                         profile_.success_code},
                        true},
                       process.ready_at);
  }
}

Reply Service::result(const std::string& authorization, const std::string& body, bool expire_token) {
  Bearer bearer;
  if (auto refused = authenticate(authorization, expire_token, bearer)) return *refused;
  const std::string& citizen = bearer.citizen;
  const std::string& type = profile_.result_response_type;
  auto header = codec::decode_header(body, profile_);
  if (!header) return telegram_error(400, type, "", "", "E0001", "malformed result request telegram");
  if (header->telegram_type != profile_.result_request_type)
    return telegram_error(400, type, header->telegram_id, header->process_id, "E0001", "unexpected telegramType");
  auto process = processes_.find(header->process_id);
  if (!process || process->citizen != citizen) {
    ++counters_.result_fetches_for_unknown_process;
    return telegram_error(404, type, header->telegram_id, header->process_id, "E0002", "unknown processId");
  }
  if (!bearer.types.contains(process->query.type()))
    return telegram_error(200, type, header->telegram_id, process->id, "E0008", "同意されていない情報種別です");
  if (header->telegram_id != process->telegram_id)
    return telegram_error(400, type, header->telegram_id, process->id, "E0001",
                          "telegramId differs from the request's");
  if (SteadyClock::now() < process->ready_at)
    return telegram_error(200, type, process->telegram_id, process->id, "E0006", "not ready yet");
  ++counters_.results;
  return result_body(*process);
}

Reply Service::result_body(const Process& process) {
  Reply reply;
  reply.header = {process.telegram_id, profile_.result_response_type, profile_.mode, process.id, profile_.success_code};
  bool bulk = process.citizen == options_.bulk_citizen;
  if (bulk && options_.bulk_bytes > 0 && process.query.type() == RecordType::drug) {
    reply.stream = bulk_body(profile_, reply.header, bulk_pool(), options_.bulk_bytes);
    reply.bulk = true;
    return reply;
  }
  long long index = bulk ? -1 : citizen_index(process.citizen);
  visit_record_type(process.query.type(), [&](auto tag) {
    using R = decltype(tag);
    std::vector<R> records;
    if (index >= 0) records = generator_.records<R>(static_cast<std::size_t>(index), process.query);
    serve_odd_values(process.telegram_id, records);
    reply.stream = records_body(profile_, reply.header, std::move(records));
  });
  return reply;
}

template <class R>
void Service::serve_odd_values(const std::string& telegram_id, std::vector<R>& records) {
  std::vector<OddValue> served;
  for (std::size_t i = 0; i < records.size(); ++i) {
    const long variant = faults_.odd_value(telegram_id, i, odd_variant_count<R>());
    if (variant < 0) continue;
    served.push_back(apply_odd_variant(records[i], static_cast<std::size_t>(variant)));
    served.back().telegram_id = telegram_id;
    served.back().record = i;
  }
  if (served.empty()) return;
  std::lock_guard<std::mutex> lock(odd_mutex_);
  if (!odd_served_.count(telegram_id)) odd_order_.push_back(telegram_id);
  odd_served_[telegram_id] = std::move(served);
}

std::vector<OddValue> Service::odd_values_served() const {
  std::lock_guard<std::mutex> lock(odd_mutex_);
  std::vector<OddValue> all;
  for (const std::string& id : odd_order_)
    for (const OddValue& v : odd_served_.at(id)) all.push_back(v);
  return all;
}

std::shared_ptr<const std::vector<DrugRecord>> Service::bulk_pool() {
  std::call_once(bulk_once_, [this] {
    auto pool = std::make_shared<std::vector<DrugRecord>>();
    for (std::size_t i = 0; i < kBulkPoolCitizens; ++i) {
      auto records = generator_.all_records<DrugRecord>(i);
      pool->insert(pool->end(), records.begin(), records.end());
    }
    bulk_pool_ = std::move(pool);
  });
  return bulk_pool_;
}

}  // namespace myna::internal::sandbox
