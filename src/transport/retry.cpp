#include "myna/transport/retry.hpp"

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <string>

#include "internal/civil_date.hpp"
#include "internal/text.hpp"
#include "transport/retry_loop.hpp"

namespace myna {
namespace {

using namespace internal;
using SysClock = std::chrono::system_clock;

// ------------------------------------------------------------------ Retry-After parsing

// 1..12 for "Jan".."Dec", 0 otherwise.
unsigned month_at(std::string_view s, std::size_t pos) {
  static constexpr std::string_view kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                 "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  if (pos + 3 > s.size()) return 0;
  for (unsigned i = 0; i < 12; ++i) {
    if (s.substr(pos, 3) == kMonths[i]) return i + 1;
  }
  return 0;
}

bool is_day_name(std::string_view s) {
  static constexpr std::string_view kNames[] = {"Mon",      "Tue",    "Wed",      "Thu",     "Fri",
                                                "Sat",      "Sun",    "Monday",   "Tuesday", "Wednesday",
                                                "Thursday", "Friday", "Saturday", "Sunday"};
  return std::find(std::begin(kNames), std::end(kNames), s) != std::end(kNames);
}

struct DateTime {
  std::int64_t year = -1;
  unsigned month = 0;
  int day = -1, hour = -1, minute = -1, second = -1;
};

// "08:49:37" at pos.
bool read_time(std::string_view s, std::size_t pos, DateTime& dt) {
  if (pos + 8 > s.size() || s[pos + 2] != ':' || s[pos + 5] != ':') return false;
  dt.hour = digits_at(s, pos, 2);
  dt.minute = digits_at(s, pos + 3, 2);
  dt.second = digits_at(s, pos + 6, 2);
  return true;
}

std::optional<SysClock::time_point> to_time_point(const DateTime& dt) {
  if (dt.year < 1970 || dt.month == 0 || dt.day < 1 ||
      static_cast<unsigned>(dt.day) > days_in_month(dt.year, dt.month) || dt.hour < 0 || dt.hour > 23 ||
      dt.minute < 0 || dt.minute > 59 || dt.second < 0 || dt.second > 60) {
    return std::nullopt;
  }
  const std::int64_t days = days_from_civil({dt.year, dt.month, static_cast<unsigned>(dt.day)});
  const std::int64_t seconds = days * 86400 + dt.hour * 3600 + dt.minute * 60 + dt.second;
  return SysClock::time_point(std::chrono::duration_cast<SysClock::duration>(std::chrono::seconds(seconds)));
}

// IMF-fixdate: "Sun, 06 Nov 1994 08:49:37 GMT".
std::optional<SysClock::time_point> parse_imf_fixdate(std::string_view s) {
  if (s.size() != 29 || !is_day_name(s.substr(0, 3)) || s.substr(3, 2) != ", " || s[7] != ' ' || s[11] != ' ' ||
      s[16] != ' ' || s.substr(25) != " GMT") {
    return std::nullopt;
  }
  DateTime dt;
  dt.day = digits_at(s, 5, 2);
  dt.month = month_at(s, 8);
  dt.year = digits_at(s, 12, 4);
  if (!read_time(s, 17, dt)) return std::nullopt;
  return to_time_point(dt);
}

// RFC 850: "Sunday, 06-Nov-94 08:49:37 GMT"; a two-digit year more than 50 years ahead of
// `now` is taken as the past century (RFC 9110 §5.6.7).
std::optional<SysClock::time_point> parse_rfc850(std::string_view s, SysClock::time_point now) {
  const std::size_t comma = s.find(", ");
  if (comma == std::string_view::npos || !is_day_name(s.substr(0, comma))) return std::nullopt;
  std::string_view rest = s.substr(comma + 2);  // "06-Nov-94 08:49:37 GMT"
  if (rest.size() != 22 || rest[2] != '-' || rest[6] != '-' || rest[9] != ' ' || rest.substr(18) != " GMT") {
    return std::nullopt;
  }
  DateTime dt;
  dt.day = digits_at(rest, 0, 2);
  dt.month = month_at(rest, 3);
  const int yy = digits_at(rest, 7, 2);
  if (yy < 0 || !read_time(rest, 10, dt)) return std::nullopt;
  const std::int64_t this_year =
      civil_from_days(std::chrono::duration_cast<std::chrono::hours>(now.time_since_epoch()).count() / 24).year;
  dt.year = (this_year / 100) * 100 + yy;
  if (dt.year > this_year + 50) dt.year -= 100;
  return to_time_point(dt);
}

// asctime: "Sun Nov  6 08:49:37 1994".
std::optional<SysClock::time_point> parse_asctime(std::string_view s) {
  if (s.size() != 24 || !is_day_name(s.substr(0, 3)) || s[3] != ' ' || s[7] != ' ' || s[10] != ' ' || s[19] != ' ') {
    return std::nullopt;
  }
  DateTime dt;
  dt.month = month_at(s, 4);
  dt.day = s[8] == ' ' ? digits_at(s, 9, 1) : digits_at(s, 8, 2);
  dt.year = digits_at(s, 20, 4);
  if (!read_time(s, 11, dt)) return std::nullopt;
  return to_time_point(dt);
}

std::optional<SysClock::time_point> parse_delta_seconds(std::string_view s, SysClock::time_point now) {
  constexpr std::uint64_t kLongest = 10ull * 366 * 86400;  // clamp absurd values to ~10 years
  std::uint64_t seconds = 0;
  for (char c : s) { seconds = std::min<std::uint64_t>(seconds * 10 + static_cast<std::uint64_t>(c - '0'), kLongest); }
  return now + std::chrono::seconds(static_cast<std::int64_t>(seconds));
}

// ------------------------------------------------------------------ HTTP status mapping

struct StatusMeaning {
  ErrorCategory category;
  const char* advice;
};

StatusMeaning meaning_of(int status) {
  switch (status) {
    case 401:
      return {ErrorCategory::auth, "the access token was rejected; refresh it or ask the citizen to sign in again"};
    case 403:
      return {ErrorCategory::auth, "access forbidden; check the client certificate and the provider's registration"};
    case 408: return {ErrorCategory::timeout, "the service timed out waiting for the request; retry"};
    case 429: return {ErrorCategory::rate_limited, "rate limited; send fewer requests and try again"};
    case 503: return {ErrorCategory::maintenance, "the service is in a maintenance stop (計画停止); try again"};
    default: break;
  }
  if (status >= 500) return {ErrorCategory::http, "server error; retry later"};
  if (status >= 400)
    return {ErrorCategory::http, "the service rejected the request; check it against the wire profile"};
  if (status >= 300)
    return {ErrorCategory::http, "unexpected redirect (redirects are never followed); check the base URL"};
  return {ErrorCategory::http, "unexpected HTTP status"};
}

}  // namespace

std::optional<SysClock::time_point> parse_retry_after(std::string_view value, SysClock::time_point now) {
  value = internal::trim_ows(value);
  if (value.empty()) return std::nullopt;
  if (all_digits(value)) return parse_delta_seconds(value, now);
  if (auto t = parse_imf_fixdate(value)) return t;
  if (auto t = parse_rfc850(value, now)) return t;
  return parse_asctime(value);
}

// HttpResponse's header lookup lives beside the status mapping that relies on it.
std::string_view HttpResponse::header(std::string_view name) const noexcept {
  auto it = std::find_if(headers.begin(), headers.end(),
                         [name](const HttpHeader& h) { return internal::iequals(h.name, name); });
  return it == headers.end() ? std::string_view() : std::string_view(it->value);
}

Error http_error(const HttpResponse& response, std::string_view what) {
  const StatusMeaning meaning = meaning_of(response.status);
  const auto when = parse_retry_after(response.header("Retry-After"), SysClock::now());
  const bool waits = meaning.category == ErrorCategory::maintenance || meaning.category == ErrorCategory::rate_limited;
  std::string message = std::string(what) + ": HTTP " + std::to_string(response.status) + ": " + meaning.advice;
  if (waits) message += when ? " after the time the service gave (Retry-After)" : " later";
  Error error(meaning.category, std::move(message));
  error.with_http_status(response.status);
  if (when) error.with_retry_after(*when);
  return error;
}

bool is_retryable(const Error& error) noexcept { return error.transient(); }

Result<HttpResponse> send_with_retry(HttpTransport& transport, const HttpRequest& request, const Context& context,
                                     const RetryPolicy& policy, const Logger& logger) {
  return internal::send_with_retry(transport, request, context, policy, logger, internal::RetryClock::real());
}

}  // namespace myna
