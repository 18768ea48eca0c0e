#include <algorithm>
#include <condition_variable>
#include <map>

#include "internal/crypto.hpp"
#include "myna/auth/token.hpp"

namespace myna {

namespace {

using SysClock = std::chrono::system_clock;
constexpr std::chrono::milliseconds kWaitSlice{50};

enum class Verdict { usable, needs_refresh, grant_over };

/// One refresh in progress for one citizen; other callers wait for its outcome.
struct Flight {
  std::mutex mu;
  std::condition_variable cv;
  std::optional<Result<SecretString>> outcome;
};

Error no_grant() { return Error(ErrorCategory::consent_required, "consent needed again: no grant for this citizen"); }

Error grant_over() {
  return Error(ErrorCategory::consent_required,
               "consent needed again: the 期間連携 grant period for this citizen has ended");
}

Error type_not_granted(RecordType type, RecordTypes granted) {
  std::string covers = granted.empty() ? std::string("no information type") : to_japanese(granted);
  return Error(ErrorCategory::consent_required,
               "consent needed for " + std::string(japanese_name(type)) + ": this citizen's consent covers " + covers +
                   " only; ask for it with begin_consent (the types already granted plus " +
                   std::string(japanese_name(type)) + ")");
}

Error expired_without_refresh() {
  return Error(ErrorCategory::auth,
               "token expired or rejected and it cannot be refreshed; ask the citizen to consent again");
}

std::string tag(const std::string& citizen) { return "citizen#" + internal::log_tag(citizen); }

}  // namespace

struct TokenProvider::Impl {
  Profile profile;
  std::shared_ptr<TokenStore> store;
  std::shared_ptr<TokenClient> client;
  Logger logger;

  std::mutex mu;  // guards the members below
  std::function<SysClock::time_point()> clock = [] { return SysClock::now(); };
  std::map<std::string, std::shared_ptr<Flight>> flights;
  std::map<std::string, SecretString> rejected;

  SysClock::time_point now() {
    std::lock_guard<std::mutex> lock(mu);
    return clock();
  }

  Result<Token> load(const std::string& citizen) {
    auto loaded = store->load(citizen);
    if (!loaded) return std::move(loaded).error();
    if (!*loaded) return no_grant();
    return std::move(**loaded);
  }

  Verdict judge(const std::string& citizen, const Token& token) {
    const SysClock::time_point t = now();
    if (t >= token.grant_expires_at) return Verdict::grant_over;
    if (is_rejected(citizen, token)) return Verdict::needs_refresh;
    return token.expires_at - profile.token_refresh_margin > t ? Verdict::usable : Verdict::needs_refresh;
  }

  bool is_rejected(const std::string& citizen, const Token& token) {
    std::lock_guard<std::mutex> lock(mu);
    const auto it = rejected.find(citizen);
    return it != rejected.end() && it->second.equals(token.access_token.reveal());
  }

  bool can_refresh(const Token& token) const {
    return profile.supports_refresh && !token.refresh_token.empty() && client;
  }

  /// The flight for this citizen: an existing one (false) or a new one this caller leads (true).
  std::pair<std::shared_ptr<Flight>, bool> join_or_lead(const std::string& citizen) {
    std::lock_guard<std::mutex> lock(mu);
    auto& slot = flights[citizen];
    if (slot) return {slot, false};
    slot = std::make_shared<Flight>();
    return {slot, true};
  }

  void land(const std::string& citizen, Flight& flight, Result<SecretString> outcome) {
    {
      std::lock_guard<std::mutex> lock(mu);
      flights.erase(citizen);
    }
    {
      std::lock_guard<std::mutex> lock(flight.mu);
      flight.outcome.emplace(std::move(outcome));
    }
    flight.cv.notify_all();
  }

  /// The leader: checks again (a flight may just have landed), refreshes, saves.
  Result<SecretString> refresh(const std::string& citizen, const Context& context) {
    auto token = load(citizen);
    if (!token) return std::move(token).error();
    switch (judge(citizen, *token)) {
      case Verdict::usable: return token->access_token;
      case Verdict::grant_over: return grant_over();
      case Verdict::needs_refresh: break;
    }
    if (!can_refresh(*token)) return expired_without_refresh();
    auto fresh = client->refresh(*token, context);
    if (!fresh) return refresh_failed(citizen, std::move(fresh).error());
    if (Status saved = store->save(citizen, *fresh); !saved) return std::move(saved).error();
    {
      std::lock_guard<std::mutex> lock(mu);
      rejected.erase(citizen);
    }
    logger.log(LogLevel::info, "access token refreshed for " + tag(citizen));
    return std::move(fresh->access_token);
  }

  Error refresh_failed(const std::string& citizen, Error error) {
    logger.log(LogLevel::warn, "token refresh failed for " + tag(citizen) + ": " + to_string(error.category()));
    if (error.service_code() != "invalid_grant") return error;
    return Error(ErrorCategory::consent_required, "consent needed again: the refresh token was refused (invalid_grant)")
        .with_service_code("invalid_grant");
  }

  static Result<SecretString> follow(Flight& flight, const Context& context) {
    std::unique_lock<std::mutex> lock(flight.mu);
    while (!flight.outcome) {
      if (context.cancelled()) return Error(ErrorCategory::cancelled, "waiting for the token refresh was cancelled");
      const auto left = context.remaining();
      if (left && *left <= Context::Clock::duration::zero())
        return Error(ErrorCategory::timeout, "the deadline passed while waiting for the token refresh");
      const Context::Clock::duration slice = left ? std::min<Context::Clock::duration>(*left, kWaitSlice) : kWaitSlice;
      flight.cv.wait_for(lock, slice);
    }
    return *flight.outcome;
  }

  Result<SecretString> lead(const std::string& citizen, Flight& flight, const Context& context) {
    Result<SecretString> outcome = Error(ErrorCategory::auth, "the token refresh did not complete");
    try {
      outcome = refresh(citizen, context);
    } catch (...) {
      land(citizen, flight, outcome);
      throw;
    }
    land(citizen, flight, outcome);
    return outcome;
  }
};

TokenProvider::TokenProvider(Profile profile, std::shared_ptr<TokenStore> store, std::shared_ptr<TokenClient> client,
                             Logger logger)
    : impl_(std::make_unique<Impl>()) {
  impl_->profile = std::move(profile);
  impl_->store = std::move(store);
  impl_->client = std::move(client);
  impl_->logger = std::move(logger);
}

TokenProvider::~TokenProvider() = default;

Result<SecretString> TokenProvider::access_token(const std::string& citizen, const Context& context) {
  if (!impl_->store) return Error(ErrorCategory::validation, "the token provider has no token store");
  for (;;) {
    auto token = impl_->load(citizen);
    if (!token) return std::move(token).error();
    switch (impl_->judge(citizen, *token)) {
      case Verdict::usable: return std::move(token->access_token);
      case Verdict::grant_over: return grant_over();
      case Verdict::needs_refresh: break;
    }
    if (!impl_->can_refresh(*token)) return expired_without_refresh();
    auto [flight, leader] = impl_->join_or_lead(citizen);
    if (leader) return impl_->lead(citizen, *flight, context);
    auto outcome = Impl::follow(*flight, context);
    // The leader's own cancellation is not ours: try again (and maybe lead).
    const bool leader_cancelled =
        !outcome && outcome.error().category() == ErrorCategory::cancelled && !context.cancelled();
    if (!leader_cancelled) return outcome;
  }
}

Status TokenProvider::check_grant(const std::string& citizen, RecordType type) {
  if (!impl_->store) return Error(ErrorCategory::validation, "the token provider has no token store");
  auto token = impl_->load(citizen);
  if (!token) return std::move(token).error();
  if (impl_->now() >= token->grant_expires_at) return grant_over();
  if (!token->record_types.contains(type)) return type_not_granted(type, token->record_types);
  return {};
}

void TokenProvider::invalidate(const std::string& citizen, const SecretString& rejected) {
  {
    std::lock_guard<std::mutex> lock(impl_->mu);
    impl_->rejected[citizen] = rejected;
  }
  impl_->logger.log(LogLevel::info, "access token for " + tag(citizen) + " was rejected; the next call refreshes it");
}

void TokenProvider::set_clock(std::function<SysClock::time_point()> now) {
  std::lock_guard<std::mutex> lock(impl_->mu);
  if (now)
    impl_->clock = std::move(now);
  else
    impl_->clock = [] { return SysClock::now(); };
}

}  // namespace myna
