// Tokens and grants: code exchange over mutual TLS, lifetime and the 期間連携 period,
// refresh (single-flight) where the profile has it, and the token stores.
#pragma once

#include <chrono>
#include <functional>
#include <iosfwd>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "myna/export.hpp"
#include "myna/log.hpp"
#include "myna/profile.hpp"
#include "myna/secret.hpp"
#include "myna/transport/retry.hpp"

namespace myna {

/// One citizen's access: the token and how long the consent (期間連携) lasts. A value type
/// (see SecretString).
struct Token {
  SecretString access_token;
  SecretString refresh_token;                              ///< empty when the profile has no refresh
  std::chrono::system_clock::time_point expires_at;        ///< access token
  std::chrono::system_clock::time_point grant_expires_at;  ///< end of the 期間連携 period
  std::chrono::system_clock::time_point granted_at;
  /// The information types this consent covers. A token stored without types (by an SDK
  /// before consent per type) is read as granting all three, as it did then.
  RecordTypes record_types = RecordTypes::all();
};

/// Prints the times and whether a refresh token exists; never the tokens.
MYNA_API std::ostream& operator<<(std::ostream& os, const Token& token);

/// Parses a token endpoint response (JSON: access_token, token_type, expires_in,
/// refresh_token, grant_expires_in, scope); 4xx JSON error bodies become auth errors naming
/// the OAuth error code. now is the time the response was received. The granted types are
/// the response's `scope` read with the profile (its words that name no type are ignored),
/// else `requested`.
MYNA_API Result<Token> parse_token_response(int http_status, std::string_view body, const Profile& profile,
                                            std::chrono::system_clock::time_point now,
                                            std::chrono::system_clock::time_point granted_at,
                                            RecordTypes requested = RecordTypes::all());

/// Talks to the token endpoint (form POST; mutual TLS through the transport). Thread-safe
/// once set up (set_clock before first use).
class MYNA_API TokenClient {
 public:
  TokenClient(Profile profile, std::shared_ptr<HttpTransport> transport, Logger logger = {});
  /// Exchanges an authorization code (never retried: a code is single-use). `requested`: the
  /// types the consent asked for (ConsentRequest::types), granted when the answer has no scope.
  Result<Token> exchange_code(const SecretString& code, const SecretString& code_verifier, const Context& context,
                              RecordTypes requested = RecordTypes::all()) const;
  /// Uses the refresh token (profile.supports_refresh); keeps the grant period and types.
  Result<Token> refresh(const Token& token, const Context& context) const;
  /// Test seam: the clock that stamps granted_at and expires_at (set before first use).
  void set_clock(std::function<std::chrono::system_clock::time_point()> now);

 private:
  Result<Token> post_form(std::string& form, const char* what, const Context& context, RecordTypes requested) const;

  Profile profile_;
  std::shared_ptr<HttpTransport> transport_;
  Logger logger_;
  std::function<std::chrono::system_clock::time_point()> now_;
};

/// Stores tokens per citizen key (the application's own id for the citizen). An
/// implementation must be thread-safe: a Client calls it from several threads at once
/// (batch workers, consent completion); the memory and file stores below are.
class MYNA_API TokenStore {
 public:
  virtual ~TokenStore() = default;
  virtual Result<std::optional<Token>> load(const std::string& citizen) = 0;
  virtual Status save(const std::string& citizen, const Token& token) = 0;
  virtual Status remove(const std::string& citizen) = 0;
};

/// In-process store (lost when the process ends).
MYNA_API std::shared_ptr<TokenStore> make_memory_token_store();
/// One file per citizen in dir (created 0700), files 0600, replaced atomically
/// (write temp + fsync + rename), so a crash never leaves a half-written token. A crash may
/// leave a private temp copy; remove() deletes those too.
MYNA_API Result<std::shared_ptr<TokenStore>> make_file_token_store(std::string dir);

/// Hands out a valid access token for a citizen: loads it, refreshes it early (one refresh
/// at a time per citizen even when many threads ask), and says "consent needed again"
/// (consent_required) when the 期間連携 period is over or no token exists. Thread-safe once
/// set up (set_clock before first use).
class MYNA_API TokenProvider {
 public:
  TokenProvider(Profile profile, std::shared_ptr<TokenStore> store, std::shared_ptr<TokenClient> client,
                Logger logger = {});
  ~TokenProvider();
  Result<SecretString> access_token(const std::string& citizen, const Context& context);
  /// Whether the citizen's stored grant covers this information type, checked before a
  /// retrieval sends anything: consent_required (naming the type) when it does not, when
  /// there is no grant or when its 期間連携 period is over.
  Status check_grant(const std::string& citizen, RecordType type);
  /// Forget a token the service rejected (401) so the next call refreshes or fails cleanly.
  void invalidate(const std::string& citizen, const SecretString& rejected);
  /// Test seam: the clock used for expiry decisions.
  void set_clock(std::function<std::chrono::system_clock::time_point()> now);

 private:
  struct MYNA_NO_EXPORT Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace myna
