// The sandbox: a local emulator of the service speaking the SDK's wire profile over real
// HTTP(S) on loopback, with deterministic citizens, outbound completion notifications and
// switchable faults. Tests, examples and benchmarks run against it.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "myna/profile.hpp"
#include "myna/records/issues.hpp"
#include "myna/sandbox/generator.hpp"

namespace myna::sandbox {

/// Faults the sandbox can inject. Rates are probabilities per eligible call (0..1); at most
/// one call fault per HTTP call. Token calls only ever get `latency` (a code is single-use).
struct Faults {
  double http_500 = 0;         ///< 500 (HTML body) on request/result, before any processing
  double rate_limit_429 = 0;   ///< 429 with Retry-After: "1", or an HTTP-date ~2 s ahead every other time
  double maintenance_503 = 0;  ///< 503 + Retry-After: 1 + error telegram with errorCode E0005
  /// The connection is shut down without a response (libcurl: "Empty reply from server",
  /// CURLE_GOT_NOTHING, also over TLS). request: AFTER the process was created (a lost
  /// response: re-send the same telegramId); result: before any processing.
  double drop_connection = 0;
  /// Result with data cut at half its size: alternately a Content-Length larger than the
  /// bytes sent, or well-formed chunks without the last chunk (libcurl: CURLE_PARTIAL_FILE).
  double truncated_body = 0;
  double malformed_json = 0;  ///< result with data: 200 with a body that is not JSON
  /// request/result: 401 invalid_token and the (otherwise valid) access token really expires;
  /// refresh it. Counted only when the token was valid.
  double expired_token = 0;
  double duplicate_notification = 0;  ///< send the notification twice (50 ms apart)
  double late_notification = 0;       ///< send it late_delay after the result became ready
  double missing_notification = 0;    ///< never send it (the result is still fetchable)
  /// Also send two forged notifications: one with the request's telegramId and an unknown
  /// processId, delivered before the request response (inside the request window, while the
  /// provider has no processId yet), and one with unknown telegramId and processId when the
  /// result is ready.
  double forged_notification = 0;
  /// Per record of a result: serve one value in a real-world variant (和暦 or slash dates,
  /// full-width digits, other code lengths, unknown codes, comparators, negative amounts,
  /// invalid UTF-8, a wrong JSON type, an unknown key); Sandbox::odd_values_served() says
  /// exactly what was sent. Not counted in faults_injected (the telegram is well-formed).
  double odd_values = 0;
  std::chrono::milliseconds latency{0};  ///< added to every response (all endpoints)
  /// Holds each request response this long after the process was created, so that its
  /// notification (at notification_delay) can arrive before it, inside the request window.
  std::chrono::milliseconds request_response_delay{0};
  std::chrono::milliseconds late_delay{std::chrono::seconds(3)};
  std::uint64_t seed = 1;  ///< fault decisions are deterministic per seed (set_faults restarts it)
};

struct SandboxOptions {
  std::string host = "127.0.0.1";
  int port = 0;      ///< API host port; 0: a free port
  int app_port = 0;  ///< consent host port; 0: a free port
  /// HTTPS with a generated CA. The client certificate is requested from every client but
  /// required only by the token endpoint (403 invalid_client without it); false: plain HTTP.
  bool tls = true;
  std::string state_dir;                ///< where CA/certs are written ("" = a fresh temp dir)
  Profile profile = default_profile();  ///< provider id, paths, telegram types it accepts
  std::uint64_t data_seed = 20261127;
  /// Where completion notifications go; several URLs are used round-robin (load balancer).
  std::vector<std::string> notification_urls;
  /// After this the result is ready and the completion notification is POSTed (IFA0302-R01;
  /// the reply must be 200 with the exact echo, IFA0302-S01, to count as acked).
  std::chrono::milliseconds notification_delay{100};
  std::chrono::seconds token_lifetime{std::chrono::hours(1)};
  bool issue_refresh_tokens = true;
  /// Citizens whose consent is refused, or whose card certificate has expired. In the
  /// immediate flow (authorize_as) and on the sign-in page alike, they end in the refusal
  /// or expired-certificate redirect right after their card is read.
  std::vector<std::string> denying_citizens;
  std::vector<std::string> expired_certificate_citizens;
  /// Citizens with a My Number Card but no Mynaportal account (利用者登録): redirected with
  /// error=not_registered right after their card is read. Not generated citizens: they have
  /// no records.
  std::vector<std::string> unregistered_citizens = {"N0000001"};
  /// The provider's name on the consent page (the real service shows the registered name).
  std::string provider_name = "サンドボックス健康アプリ";
  /// The ordinary citizens the sign-in page offers (C0000001 …), besides the special ones above.
  std::size_t sign_in_citizens = 5;
  /// Citizen id whose drug result is huge: about bulk_bytes of drug records (cycling through
  /// generated citizens' records, the query's range ignored), streamed on bounded memory.
  std::string bulk_citizen = "BULK";
  std::uint64_t bulk_bytes = 0;
  Faults faults;

  /// The profile the sandbox speaks by default: the SDK's default with refresh enabled.
  static Profile default_profile();
};

/// Paths of the PEM files the sandbox generated at start-up.
struct SandboxCredentials {
  std::string ca_file;           ///< CA that signed the server and client certificates
  std::string client_cert_file;  ///< the provider's client certificate (mutual TLS)
  std::string client_key_file;
  std::string server_cert_file, server_key_file;
  /// A loopback server certificate (127.0.0.1, ::1, localhost) from the same CA, for the
  /// provider's notification listener in tests and examples: the sandbox trusts it.
  std::string listener_cert_file, listener_key_file;
  /// The client certificate the sandbox presents when it POSTs notifications (from the same
  /// CA; subject CN and DNS name kNotifierName), for listeners that require one
  /// (ListenerOptions::notifier.client_ca_file = ca_file).
  std::string notifier_cert_file, notifier_key_file;
  static constexpr const char* kNotifierName = "notifier.sandbox.myna";
};

/// One value the odd_values fault served: the ground truth a test compares a decode with.
struct OddValue {
  std::string telegram_id;
  std::size_t record = 0;         ///< index of the record within the result telegram
  std::uint16_t item_number = 0;  ///< the item; 0 for a key that is no item
  std::string key;                ///< the JSON key as sent (the item name, or the unknown key)
  std::string wire;               ///< the value exactly as sent (bytes; JSON text for a wrong type)
  std::vector<IssueKind> issues;  ///< what a lenient decode reports for this item (empty: a valid value)
  std::string variant;            ///< e.g. "wareki_date", "unknown_code"
};

/// What the sandbox saw (for tests).
struct SandboxStats {
  std::uint64_t requests = 0;           ///< request telegrams answered with a processId (repeats included)
  std::uint64_t processes_created = 0;  ///< distinct processes (a repeated telegramId creates none)
  std::uint64_t results = 0;            ///< result telegrams served with data
  std::uint64_t tokens_issued = 0;      ///< access tokens issued (code exchange and refresh)
  /// Genuine notifications POSTed (duplicates included); acked = 200 with the exact echo;
  /// rejected = anything else (other status, wrong echo, connection failure).
  std::uint64_t notifications_sent = 0, notifications_acked = 0, notifications_rejected = 0;
  std::uint64_t forged_sent = 0, forged_accepted = 0;  ///< forged notifications the provider acknowledged
  std::uint64_t faults_injected = 0;
  std::uint64_t result_fetches_for_unknown_process = 0;
  std::uint64_t telegram_calls = 0;  ///< request and result calls received (faulted ones included)
  /// faults_injected by kind, keyed by the Faults member's name (e.g. "drop_connection");
  /// every kind is listed, also with 0.
  std::map<std::string, std::uint64_t> faults_by_kind;
};

/// Thread-safe: serves on its own threads while a test reconfigures it (faults, notification
/// URLs and delay, redirect URIs, revocation) and reads its stats from others.
class Sandbox {
 public:
  /// Generates CA, server and client certificates (OpenSSL), binds and starts serving.
  static std::unique_ptr<Sandbox> start(SandboxOptions options);
  virtual ~Sandbox() = default;

  /// The API host ({sp host}: token, request, result; mutual TLS), e.g. "https://127.0.0.1:40123".
  virtual std::string base_url() const = 0;
  /// The consent host ({app host}: authorize; no client certificate).
  virtual std::string app_base_url() const = 0;
  virtual int port() const = 0;
  virtual const SandboxCredentials& credentials() const = 0;
  /// A profile pointing at this sandbox (base URLs filled in).
  virtual Profile client_profile() const = 0;

  /// Plays the citizen's browser without pages: GETs the authorize URL as citizen_id (header
  /// X-Sandbox-Citizen; the query parameter `citizen` does the same), which consents at once
  /// to every type the URL asks for, and returns the redirect
  /// Location (redirect_uri?code=...&state=...), following no further; "" when the sandbox
  /// answered without a redirect (unknown client_id or redirect_uri). Throws
  /// std::runtime_error when the sandbox cannot be reached.
  virtual std::string authorize_as(const std::string& citizen_id, const std::string& authorize_url) = 0;

  virtual void set_faults(const Faults& faults) = 0;
  virtual void set_notification_urls(std::vector<std::string> urls) = 0;
  virtual void set_notification_delay(std::chrono::milliseconds delay) = 0;
  /// Registers another redirect_uri of the provider (exact match), e.g. an application's own
  /// callback URL known only after it started listening.
  virtual void register_redirect_uri(std::string uri) = 0;
  /// Revokes every token of a citizen (their next request gets 401).
  virtual void revoke_tokens(const std::string& citizen_id) = 0;
  virtual SandboxStats stats() const = 0;
  /// Every value the odd_values fault served so far, in serving order.
  virtual std::vector<OddValue> odd_values_served() const = 0;
  virtual const Generator& generator() const = 0;
  virtual void stop() = 0;
};

}  // namespace myna::sandbox
