// The emulated service behind the HTTP endpoints (docs/wire-format.md): consent, token,
// request and result, independent of the HTTP library. server.cpp maps HTTP onto it.
#pragma once

#include <atomic>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "auth_store.hpp"
#include "consent_pages.hpp"
#include "consent_sessions.hpp"
#include "faults.hpp"
#include "myna/sandbox/sandbox.hpp"
#include "notifier.hpp"
#include "process_store.hpp"
#include "result_body.hpp"
#include "stats.hpp"

namespace myna::internal::sandbox {

/// An HTTP answer. A result with data carries `stream` instead of `body`.
struct Reply {
  int status = 200;
  std::string content_type = kJsonType;
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
  std::shared_ptr<BodySource> stream;
  CommonHeader header;  ///< the telegram header of a result with data (for faults)
  bool bulk = false;    ///< a bulk body: never drained into memory
};

/// The authorize query: parameters (the first value of each) and whether any repeated.
struct AuthorizeQuery {
  std::map<std::string, std::string> params;
  bool repeated_parameter = false;
  std::string citizen;  ///< sandbox-only: who signs in at once ("" = a person, on the pages)
};

class Service {
 public:
  Service(const myna::sandbox::SandboxOptions& options, Counters& counters, FaultInjector& faults, Notifier& notifier);

  /// The authorize endpoint. With a citizen (header or `citizen` parameter) it answers at
  /// once with the redirect (tests, benchmarks); without one it shows the sign-in page.
  Reply authorize(const AuthorizeQuery& query);
  /// The sign-in page's form (session, citizen, pin): the consent page, or a redirect for a
  /// citizen whose card or registration ends the flow.
  Reply sign_in(const std::string& form_body);
  /// The consent page's form (session, decision=agree|deny): the redirect to the provider.
  Reply decide(const std::string& form_body);
  /// client_certified: the TLS client presented a certificate from the sandbox CA.
  Reply token(const std::string& body, bool client_certified);
  /// expire_token: the expired-token fault (a valid token expires now).
  Reply request(const std::string& authorization, const std::string& body, bool expire_token);
  Reply result(const std::string& authorization, const std::string& body, bool expire_token);

  /// Error telegram: a commonHeader with the errorCode, plus an informal "errorMessage".
  Reply telegram_error(int status, const std::string& type, const std::string& telegram_id,
                       const std::string& process_id, const char* code, const char* message) const;

  void revoke_tokens(const std::string& citizen) { auth_.revoke_citizen(citizen); }
  /// Registers one more redirect_uri for the provider (besides profile.redirect_uri).
  void register_redirect_uri(std::string uri);
  void set_notification_delay(std::chrono::milliseconds delay) { delay_ms_ = delay.count(); }
  const myna::sandbox::Generator& generator() const noexcept { return generator_; }
  const Profile& profile() const noexcept { return profile_; }
  /// The values the odd_values fault served (the last serving of each result).
  std::vector<myna::sandbox::OddValue> odd_values_served() const;

 private:
  Reply redirect(const std::string& uri, const std::string& params, int status = 302) const;
  bool registered(const std::string& redirect_uri) const;
  /// The checked authorize request, or the reply that refuses it.
  std::variant<Reply, ConsentAsk> check_authorize(const AuthorizeQuery& query) const;
  /// The redirect for a citizen whose card or registration ends the flow before consent
  /// (not registered, refusing, expired certificate), else nullopt.
  std::optional<Reply> card_outcome(const std::string& citizen, const ConsentAsk& ask, int status);
  Reply grant(const std::string& citizen, const ConsentAsk& ask, int status);
  Reply sign_in_page(const std::string& session, const std::string& error) const;
  std::vector<CitizenChoice> sign_in_choices() const;
  std::string citizen_name(const std::string& citizen) const;
  Reply unauthorized(BearerCheck check);
  /// Checks the bearer token; ok → bearer set and nullopt, else the 401 reply.
  std::optional<Reply> authenticate(const std::string& authorization, bool expire_token, Bearer& bearer);
  Reply token_failure(const OAuthFailure& failure) const;
  Reply token_success(const IssuedTokens& tokens);
  bool citizen_exists(const std::string& id) const;
  void schedule_notifications(const Process& process);
  Reply result_body(const Process& process);
  std::shared_ptr<const std::vector<DrugRecord>> bulk_pool();

  myna::sandbox::SandboxOptions options_;
  const Profile& profile_;  // options_.profile
  myna::sandbox::Generator generator_;
  Counters& counters_;
  FaultInjector& faults_;
  /// odd_values ground truth by telegram id (a result fetched again serves the same values).
  mutable std::mutex odd_mutex_;
  std::map<std::string, std::vector<myna::sandbox::OddValue>> odd_served_;
  std::vector<std::string> odd_order_;
  template <class R>
  void serve_odd_values(const std::string& telegram_id, std::vector<R>& records);
  Notifier& notifier_;
  AuthStore auth_;
  ConsentSessions sessions_;
  ProcessStore processes_;
  std::atomic<long long> delay_ms_;
  std::atomic<std::uint64_t> refusals_{0}, forged_{0};
  mutable std::mutex redirect_mutex_;
  std::vector<std::string> extra_redirect_uris_;
  std::once_flag bulk_once_;
  std::shared_ptr<const std::vector<DrugRecord>> bulk_pool_;
};

}  // namespace myna::internal::sandbox
