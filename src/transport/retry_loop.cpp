// The retry loop of send_with_retry on a given RetryClock (transport/retry_loop.hpp).
#include "transport/retry_loop.hpp"

#include <chrono>
#include <optional>
#include <string>

#include "transport/url_redaction.hpp"

namespace myna::internal {
namespace {

using std::chrono::milliseconds;

bool is_success(int status) { return status >= 200 && status < 300; }

Result<HttpResponse> attempt_once(HttpTransport& transport, const HttpRequest& request, const Context& context,
                                  const std::string& what) {
  if (context.cancelled()) return Error(ErrorCategory::cancelled, what + ": cancelled before sending");
  Result<HttpResponse> response = transport.send(request, context);
  if (response && !is_success(response->status)) return http_error(*response, what);
  return response;
}

void log_retry(const Logger& logger, const std::string& what, const Error& error, int next_attempt, int max_attempts,
               milliseconds wait) {
  if (!logger.enabled(LogLevel::info)) return;
  std::string line = "retrying " + what + " after " + to_string(error.category());
  if (error.http_status()) line += " (HTTP " + std::to_string(*error.http_status()) + ")";
  line += ": attempt " + std::to_string(next_attempt) + " of " + std::to_string(max_attempts) + " in " +
          std::to_string(wait.count()) + " ms";
  logger.log(LogLevel::info, line);
}

}  // namespace

Result<HttpResponse> send_with_retry(HttpTransport& transport, const HttpRequest& request, const Context& context,
                                     const RetryPolicy& policy, const Logger& logger, const RetryClock& clock) {
  const std::string what = describe_request(request.method, request.url);
  const RetrySchedule schedule(policy, clock);
  for (int attempt = 1;; ++attempt) {
    Result<HttpResponse> outcome = attempt_once(transport, request, context, what);
    if (outcome) return outcome;
    Error error = std::move(outcome).error();
    if (!request.idempotent || !is_retryable(error)) return error;
    std::optional<milliseconds> wait = schedule.next_wait(attempt, context, error.retry_after());
    if (!wait) return error;
    log_retry(logger, what, error, attempt + 1, schedule.max_attempts(), *wait);
    if (!schedule.sleep(*wait, context)) {
      if (context.cancelled()) return Error(ErrorCategory::cancelled, what + ": cancelled while waiting to retry");
      return error;
    }
  }
}

}  // namespace myna::internal
