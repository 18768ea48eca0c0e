#include "auth_store.hpp"

namespace myna::internal::sandbox {
namespace {

constexpr std::chrono::seconds kCodeLifetime{60};
constexpr std::chrono::minutes kKeepSpent{10};  // used/expired codes and tokens, for reuse detection
constexpr std::size_t kPruneEvery = 4096;

std::string field(const std::map<std::string, std::string>& form, const char* name) {
  auto it = form.find(name);
  return it == form.end() ? std::string() : it->second;
}

OAuthFailure failure(const char* error, const char* description) { return {400, error, description}; }

}  // namespace

std::string AuthStore::issue_code(CodeRequest request) {
  std::string code = random_secret();
  std::lock_guard<std::mutex> lock(mutex_);
  if (++issued_since_prune_ >= kPruneEvery) prune();
  codes_[code] = Code{std::move(request), SteadyClock::now() + kCodeLifetime, SystemClock::now(), false, {}};
  return code;
}

TokenOutcome AuthStore::exchange_code(const std::map<std::string, std::string>& form) {
  std::string key = field(form, "code"), redirect_uri = field(form, "redirect_uri");
  if (key.empty()) return failure("invalid_request", "code is missing");
  if (redirect_uri.empty()) return failure("invalid_request", "redirect_uri is missing");
  std::lock_guard<std::mutex> lock(mutex_);
  auto it = codes_.find(key);
  if (it == codes_.end()) return failure("invalid_grant", "unknown authorization code");
  Code& code = it->second;
  if (code.used) {
    revoke_code_tokens(code);
    return failure("invalid_grant", "authorization code already used; the tokens issued from it are revoked");
  }
  if (SteadyClock::now() >= code.expires) return failure("invalid_grant", "authorization code expired");
  if (field(form, "client_id") != code.request.client_id)
    return failure("invalid_grant", "client_id does not match the authorization request");
  if (redirect_uri != code.request.redirect_uri)
    return failure("invalid_grant", "redirect_uri does not match the authorization request");
  if (!code.request.code_challenge.empty()) {
    std::string verifier = field(form, "code_verifier");
    if (verifier.empty()) return failure("invalid_grant", "code_verifier is missing (PKCE)");
    if (!constant_time_equal(pkce_s256(verifier), code.request.code_challenge))
      return failure("invalid_grant", "code_verifier does not match the code_challenge");
  }
  code.used = true;
  return issue(key, code, code.consented + grant_period_, "");
}

TokenOutcome AuthStore::refresh(const std::map<std::string, std::string>& form) {
  if (!refresh_) return failure("unsupported_grant_type", "this service issues no refresh tokens");
  std::string key = field(form, "refresh_token");
  if (key.empty()) return failure("invalid_request", "refresh_token is missing");
  std::lock_guard<std::mutex> lock(mutex_);
  auto it = tokens_.find(key);
  if (it == tokens_.end() || !it->second.refresh || it->second.revoked)
    return failure("invalid_grant", "unknown or revoked refresh token");
  if (SystemClock::now() >= it->second.grant_ends)
    return failure("invalid_grant", "the grant period (期間連携) ended; ask the citizen to consent again");
  std::string code_key = it->second.code;
  SystemClock::time_point grant_ends = it->second.grant_ends;
  Code orphan{};
  auto code = codes_.find(code_key);
  orphan.request.citizen = it->second.citizen;
  orphan.request.types = it->second.types;
  return issue(code_key, code == codes_.end() ? orphan : code->second, grant_ends, key);
}

IssuedTokens AuthStore::issue(const std::string& code_key, Code& code, SystemClock::time_point grant_ends,
                              const std::string& refresh_token) {
  ++issued_since_prune_;
  IssuedTokens out;
  out.access_token = random_secret();
  out.expires_in = token_lifetime_;
  out.grant_expires_in = std::chrono::round<std::chrono::seconds>(grant_ends - SystemClock::now());
  out.types = code.request.types;
  const std::string& citizen = code.request.citizen;
  tokens_[out.access_token] =
      Token{citizen, code_key, SteadyClock::now() + token_lifetime_, grant_ends, false, false, out.types};
  code.tokens.push_back(out.access_token);
  if (refresh_) {
    out.refresh_token = refresh_token.empty() ? random_secret() : refresh_token;
    if (refresh_token.empty()) {
      tokens_[out.refresh_token] =
          Token{citizen, code_key, SteadyClock::time_point::max(), grant_ends, true, false, out.types};
      code.tokens.push_back(out.refresh_token);
    }
  }
  return out;
}

void AuthStore::revoke_code_tokens(Code& code) {
  for (const auto& token : code.tokens) {
    auto it = tokens_.find(token);
    if (it != tokens_.end()) it->second.revoked = true;
  }
}

BearerCheck AuthStore::check_bearer(const std::string& token, Bearer& bearer, bool expire_now) {
  if (token.empty()) return BearerCheck::missing;
  std::lock_guard<std::mutex> lock(mutex_);
  auto it = tokens_.find(token);
  if (it == tokens_.end() || it->second.refresh) return BearerCheck::unknown;
  Token& t = it->second;
  if (t.revoked) return BearerCheck::revoked;
  auto now = SteadyClock::now();
  if (now >= t.expires) return BearerCheck::expired;
  if (expire_now) {
    t.expires = now;
    return BearerCheck::expired_by_fault;
  }
  bearer = {t.citizen, t.types};
  return BearerCheck::ok;
}

void AuthStore::revoke_citizen(const std::string& citizen) {
  std::lock_guard<std::mutex> lock(mutex_);
  for (auto& entry : tokens_)
    if (entry.second.citizen == citizen) entry.second.revoked = true;
}

void AuthStore::prune() {
  issued_since_prune_ = 0;
  auto steady = SteadyClock::now();
  auto system = SystemClock::now();
  for (auto it = codes_.begin(); it != codes_.end();)
    it = steady > it->second.expires + kKeepSpent ? codes_.erase(it) : std::next(it);
  for (auto it = tokens_.begin(); it != tokens_.end();) {
    const Token& t = it->second;
    bool spent = t.refresh ? system > t.grant_ends : steady > t.expires + kKeepSpent;
    it = spent ? tokens_.erase(it) : std::next(it);
  }
}

}  // namespace myna::internal::sandbox
