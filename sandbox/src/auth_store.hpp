// Authorization codes and tokens of the sandbox's OAuth endpoints (docs/wire-format.md §1-2):
// single-use codes with a 60 s lifetime bound to client_id, redirect_uri and an optional PKCE
// challenge; access tokens with a lifetime; refresh tokens valid for the 期間連携 grant.
#pragma once

#include <chrono>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <variant>
#include <vector>

#include "myna/records/record_types.hpp"
#include "util.hpp"

namespace myna::internal::sandbox {

/// What the citizen consented to at the authorize endpoint.
struct CodeRequest {
  std::string citizen;
  std::string client_id;
  std::string redirect_uri;
  std::string code_challenge;              ///< S256 challenge, "" without PKCE
  RecordTypes types = RecordTypes::all();  ///< the information types consented to
};

/// A successful token response.
struct IssuedTokens {
  std::string access_token;
  std::string refresh_token;  ///< "" when refresh tokens are off
  std::chrono::seconds expires_in{0};
  std::chrono::seconds grant_expires_in{0};
  RecordTypes types;  ///< granted information types (the token response's scope)
};

/// An OAuth error response.
struct OAuthFailure {
  int status = 400;
  std::string error;
  std::string description;
};

using TokenOutcome = std::variant<IssuedTokens, OAuthFailure>;

/// Why a bearer token was refused.
enum class BearerCheck { ok, missing, unknown, expired, revoked, expired_by_fault };

/// Whom a valid access token speaks for, and for which information types.
struct Bearer {
  std::string citizen;
  RecordTypes types;
};

class AuthStore {
 public:
  AuthStore(std::chrono::seconds token_lifetime, std::chrono::seconds grant_period, bool issue_refresh_tokens)
      : token_lifetime_(token_lifetime), grant_period_(grant_period), refresh_(issue_refresh_tokens) {}

  std::string issue_code(CodeRequest request);
  /// grant_type=authorization_code; a reused code revokes every token issued from it.
  TokenOutcome exchange_code(const std::map<std::string, std::string>& form);
  /// grant_type=refresh_token; the refresh token stays the same.
  TokenOutcome refresh(const std::map<std::string, std::string>& form);

  /// The citizen and granted types of a valid access token. expire_now: a valid token
  /// expires at once (the expired-token fault, reported as expired_by_fault).
  BearerCheck check_bearer(const std::string& token, Bearer& bearer, bool expire_now = false);
  void revoke_citizen(const std::string& citizen);

 private:
  struct Code {
    CodeRequest request;
    SteadyClock::time_point expires;
    SystemClock::time_point consented;
    bool used = false;
    std::vector<std::string> tokens;  // issued from this code (access and refresh)
  };
  struct Token {
    std::string citizen;
    std::string code;  // the code it descends from
    SteadyClock::time_point expires;
    SystemClock::time_point grant_ends;
    bool refresh = false;
    bool revoked = false;
    RecordTypes types;
  };

  IssuedTokens issue(const std::string& code_key, Code& code, SystemClock::time_point grant_ends,
                     const std::string& refresh_token);
  void revoke_code_tokens(Code& code);
  void prune();

  std::chrono::seconds token_lifetime_;
  std::chrono::seconds grant_period_;
  bool refresh_;
  std::mutex mutex_;
  std::unordered_map<std::string, Code> codes_;
  std::unordered_map<std::string, Token> tokens_;
  std::size_t issued_since_prune_ = 0;
};

}  // namespace myna::internal::sandbox
