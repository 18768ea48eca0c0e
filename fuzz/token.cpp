// Token endpoint responses with varying HTTP statuses. Input: [status selector] body.
// Properties: no crash; only a 2xx answer yields a token, with an access token and sane
// lifetimes; errors are auth/http/protocol/timeout/rate_limited with the status kept; a
// printed Token does not depend on the tokens, and error texts do not show them.
#include <sstream>

#include "fuzz.hpp"
#include "myna/auth/token.hpp"

namespace {

using namespace myna;
using Clock = std::chrono::system_clock;

int status_of(std::uint8_t selector) {
  static constexpr int kStatuses[] = {200, 201, 204, 299, 400, 401, 403, 404, 408, 429, 500, 503, 302, 0, 100, 600};
  constexpr std::size_t n = sizeof kStatuses / sizeof kStatuses[0];
  return selector < n ? kStatuses[selector] : selector * 3;  // beyond the list: 48..765
}

/// A token value is only looked for in error texts when no fixed wording could contain it:
/// it has a character the texts never use (they are letters, digits and " _-.,:;'()[]").
bool distinctive(std::string_view secret) {
  if (secret.size() < 8) return false;
  const std::string_view wording = " _-.,:;'()[]";
  for (char c : secret) {
    const bool alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    if (!alnum && wording.find(c) == std::string_view::npos) return true;
  }
  return false;
}

std::string printed(const Token& t) {
  std::ostringstream out;
  out << t;
  return out.str();
}

void check_token(const Token& t, Clock::time_point now, Clock::time_point granted_at) {
  if (t.access_token.empty()) fuzz::fail("a token without an access token");
  if (t.expires_at <= now) fuzz::fail("a token that is already expired");
  if (t.grant_expires_at < granted_at || t.granted_at != granted_at) fuzz::fail("the grant period is wrong");
  // Printing does not depend on the tokens' values.
  Token other = t;
  other.access_token = SecretString("other");
  if (!t.refresh_token.empty()) other.refresh_token = SecretString("other");
  if (printed(t) != printed(other)) fuzz::fail("a printed Token shows a token");
}

void check_error(const Error& e, int status, std::string_view body, const Profile& profile, Clock::time_point now) {
  const ErrorCategory c = e.category();
  const bool expected = c == ErrorCategory::auth || c == ErrorCategory::http || c == ErrorCategory::protocol ||
                        c == ErrorCategory::timeout || c == ErrorCategory::rate_limited;
  if (!expected) fuzz::fail("unexpected error category", e);
  const bool success = status >= 200 && status < 300;
  if (!success && e.http_status() != status) fuzz::fail("the HTTP status is lost", e);
  // The same body as a success shows which token it carries; no error text may show it.
  const auto as_success = parse_token_response(200, body, profile, now, now);
  std::string_view secret = as_success ? as_success->access_token.reveal() : std::string_view();
  fuzz::check_loggable(e, distinctive(secret) ? secret : std::string_view());
}

}  // namespace

MYNA_FUZZ_TARGET(token) {
  static const Profile profile;
  fuzz::Bytes bytes(input);
  const int status = status_of(bytes.byte());
  const std::string_view body = bytes.rest();
  const Clock::time_point now = Clock::time_point(std::chrono::seconds(1767225600));  // 2026-01-01
  const Clock::time_point granted_at = now - std::chrono::hours(24);
  const auto token = parse_token_response(status, body, profile, now, granted_at);
  if (token) {
    if (status < 200 || status >= 300) fuzz::fail("a token from a non-2xx answer");
    check_token(*token, now, granted_at);
  } else {
    check_error(token.error(), status, body, profile, now);
  }
}
