// Retry with exponential backoff and jitter, bounded by attempts and by time, for calls that
// are safe to repeat only. HTTP status codes map to error categories in one place.
// RetryPolicy is plain data; the functions keep no state and are safe from any thread.
#pragma once

#include <chrono>
#include <optional>
#include <string_view>

#include "myna/export.hpp"
#include "myna/log.hpp"
#include "myna/transport/transport.hpp"

namespace myna {

struct RetryPolicy {
  int max_attempts = 5;
  std::chrono::milliseconds initial_backoff{200};
  std::chrono::milliseconds max_backoff{std::chrono::seconds(20)};
  double multiplier = 2.0;
  double jitter = 0.5;  ///< each wait is drawn from [wait × (1 − jitter), wait]
  std::chrono::milliseconds max_elapsed{std::chrono::minutes(2)};
  /// Longest Retry-After the policy waits for; a later time is returned as the error.
  std::chrono::milliseconds max_retry_after{std::chrono::seconds(60)};

  static RetryPolicy none() {
    RetryPolicy p;
    p.max_attempts = 1;
    return p;
  }
};

/// Parses Retry-After in both forms: delta-seconds ("120") and HTTP-date
/// ("Wed, 21 Oct 2026 07:28:00 GMT"). nullopt when absent or malformed.
MYNA_API std::optional<std::chrono::system_clock::time_point> parse_retry_after(
    std::string_view value, std::chrono::system_clock::time_point now);

/// Maps a non-2xx response to an Error: 401/403 auth, 408 timeout, 429 rate_limited,
/// 503 maintenance (with retry_after), other 5xx and 4xx http. Never includes the body.
MYNA_API Error http_error(const HttpResponse& response, std::string_view what);

/// True for errors and responses a retry may help: network, timeout of an attempt, 408,
/// 429, 5xx (incl. maintenance).
MYNA_API bool is_retryable(const Error& error) noexcept;

/// Sends request, retrying per policy when request.idempotent; non-2xx responses become
/// errors via http_error (2xx responses are returned). Waits are interrupted by the context.
MYNA_API Result<HttpResponse> send_with_retry(HttpTransport& transport, const HttpRequest& request,
                                              const Context& context, const RetryPolicy& policy,
                                              const Logger& logger = {});

}  // namespace myna
