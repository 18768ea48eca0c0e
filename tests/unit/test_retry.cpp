#include <catch2/catch.hpp>

#include <mutex>
#include <thread>
#include <vector>

#include "internal/civil_date.hpp"
#include "myna/testing/fake_transport.hpp"
#include "myna/transport/retry.hpp"
#include "unit/transport_fixture.hpp"

using namespace myna;
using namespace myna::test;
using namespace std::chrono_literals;
using SysClock = std::chrono::system_clock;
using myna::testing::FakeTransport;

namespace {

SysClock::time_point utc(int y, unsigned mo, unsigned d, int h, int mi, int s) {
  const std::int64_t days = internal::days_from_civil({y, mo, d});
  return SysClock::time_point(std::chrono::seconds(days * 86400 + h * 3600 + mi * 60 + s));
}

HttpResponse response(int status, std::string retry_after = "") {
  HttpResponse r;
  r.status = status;
  if (!retry_after.empty()) r.headers.push_back({"Retry-After", std::move(retry_after), false});
  r.body = "{\"secret\":\"body-value\"}";
  return r;
}

HttpRequest idempotent_post(std::string url) {
  HttpRequest r;
  r.url = std::move(url);
  r.idempotent = true;
  return r;
}

RetryPolicy quick_policy() {
  RetryPolicy p;
  p.initial_backoff = 10ms;
  p.max_backoff = 50ms;
  return p;
}

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace

TEST_CASE("parse_retry_after reads delta-seconds and HTTP dates", "[retry]") {
  const SysClock::time_point now = utc(2026, 10, 20, 12, 0, 0);
  CHECK(parse_retry_after("120", now) == now + 120s);
  CHECK(parse_retry_after(" 0 ", now) == now);
  const SysClock::time_point expected = utc(2026, 10, 21, 7, 28, 0);
  CHECK(parse_retry_after("Wed, 21 Oct 2026 07:28:00 GMT", now) == expected);      // IMF-fixdate
  CHECK(parse_retry_after("Wednesday, 21-Oct-26 07:28:00 GMT", now) == expected);  // RFC 850
  CHECK(parse_retry_after("Wed Oct 21 07:28:00 2026", now) == expected);           // asctime
  CHECK(parse_retry_after("Sun Nov  6 08:49:37 1994", now) == utc(1994, 11, 6, 8, 49, 37));
  CHECK(parse_retry_after("Sunday, 06-Nov-94 08:49:37 GMT", now) == utc(1994, 11, 6, 8, 49, 37));
  CHECK(parse_retry_after("Sat, 29 Feb 2028 00:00:00 GMT", now) == utc(2028, 2, 29, 0, 0, 0));
}

TEST_CASE("parse_retry_after rejects anything else", "[retry]") {
  const SysClock::time_point now = SysClock::now();
  for (const char* garbage :
       {"", "   ", "soon", "-5", "12abc", "1.5", "+3", "Wed, 32 Oct 2026 07:28:00 GMT", "Thu, 29 Feb 2026 07:28:00 GMT",
        "Wed, 21 Oct 2026 25:28:00 GMT", "Wed, 21 Foo 2026 07:28:00 GMT", "Wed, 21 Oct 2026 07:28:00 UTC",
        "Xyz, 21 Oct 2026 07:28:00 GMT", "Wed, 21 Oct 2026 07:28 GMT", "Wed Oct 21 07:28:00 26"}) {
    INFO("'" << garbage << "'");
    CHECK_FALSE(parse_retry_after(garbage, now));
  }
}

TEST_CASE("http_error maps statuses to categories in one place", "[retry]") {
  struct Case {
    int status;
    ErrorCategory category;
    bool retryable;
  };
  for (const Case& c : {Case{401, ErrorCategory::auth, false}, Case{403, ErrorCategory::auth, false},
                        Case{408, ErrorCategory::timeout, true}, Case{429, ErrorCategory::rate_limited, true},
                        Case{503, ErrorCategory::maintenance, true}, Case{500, ErrorCategory::http, true},
                        Case{502, ErrorCategory::http, true}, Case{504, ErrorCategory::http, true},
                        Case{400, ErrorCategory::http, false}, Case{404, ErrorCategory::http, false},
                        Case{302, ErrorCategory::http, false}}) {
    INFO("HTTP " << c.status);
    Error e = http_error(response(c.status), "POST https://host/path");
    CHECK(e.category() == c.category);
    CHECK(e.http_status() == c.status);
    CHECK(is_retryable(e) == c.retryable);
    CHECK(e.message().find("POST https://host/path") != std::string::npos);
    CHECK(e.message().find("body-value") == std::string::npos);
    CHECK_FALSE(e.retry_after());
  }
  Error limited = http_error(response(429, "30"), "GET https://host/");
  REQUIRE(limited.retry_after());
  CHECK(*limited.retry_after() > SysClock::now() + 25s);
  Error garbled = http_error(response(503, "whenever"), "GET https://host/");
  CHECK(garbled.category() == ErrorCategory::maintenance);
  CHECK_FALSE(garbled.retry_after());

  CHECK(is_retryable(Error(ErrorCategory::network, "reset")));
  CHECK(is_retryable(Error(ErrorCategory::timeout, "slow")));
  CHECK_FALSE(is_retryable(Error(ErrorCategory::tls, "bad cert")));
  CHECK_FALSE(is_retryable(Error(ErrorCategory::cancelled, "stop")));
  CHECK_FALSE(is_retryable(Error(ErrorCategory::validation, "bad input")));
}

TEST_CASE("503 with Retry-After over a real socket is maintenance with retry_after", "[retry]") {
  TestServer server;
  const std::string date = "Wed, 21 Oct 2099 07:28:00 GMT";
  std::atomic<int> hits{0};
  server.http().Post("/seconds", [&hits](const httplib::Request&, httplib::Response& res) {
    ++hits;
    res.status = 503;
    res.set_header("Retry-After", "120");
  });
  server.http().Post("/date", [&hits, date](const httplib::Request&, httplib::Response& res) {
    ++hits;
    res.status = 503;
    res.set_header("Retry-After", date);
  });
  server.start();
  auto transport = make_transport();

  auto seconds = send_with_retry(*transport, idempotent_post(server.url("/seconds")), Context(), RetryPolicy::none());
  REQUIRE_FALSE(seconds.ok());
  CHECK(seconds.error().category() == ErrorCategory::maintenance);
  CHECK(seconds.error().http_status() == 503);
  REQUIRE(seconds.error().retry_after());
  CHECK(*seconds.error().retry_after() > SysClock::now() + 110s);
  CHECK(*seconds.error().retry_after() <= SysClock::now() + 121s);
  CHECK(hits == 1);

  // A Retry-After beyond max_retry_after is not waited for: the error carries it at once.
  const auto start = std::chrono::steady_clock::now();
  auto dated = send_with_retry(*transport, idempotent_post(server.url("/date")), Context(), quick_policy());
  REQUIRE_FALSE(dated.ok());
  CHECK(dated.error().category() == ErrorCategory::maintenance);
  REQUIRE(dated.error().retry_after());
  CHECK(*dated.error().retry_after() == utc(2099, 10, 21, 7, 28, 0));
  CHECK(hits == 2);
  CHECK(seconds_since(start) < 1.0);
}

TEST_CASE("429 is retried after Retry-After, and each retry is logged without secrets", "[retry]") {
  TestServer server;
  std::atomic<int> hits{0};
  server.http().Post("/limited", [&hits](const httplib::Request&, httplib::Response& res) {
    if (++hits == 1) {
      res.status = 429;
      res.set_header("Retry-After", "0");
      return;
    }
    res.set_content("done", "text/plain");
  });
  server.start();
  std::vector<std::string> lines;
  std::mutex mutex;
  Logger logger(
      [&](LogLevel level, std::string_view line) {
        std::lock_guard<std::mutex> lock(mutex);
        if (level == LogLevel::info) lines.emplace_back(line);
      },
      LogLevel::info);
  HttpRequest request = idempotent_post(server.url("/limited?state=query-secret"));
  request.headers.push_back({"Authorization", "Bearer token-secret", true});
  auto r = send_with_retry(*make_transport(), request, Context(), quick_policy(), logger);
  REQUIRE(r.ok());
  CHECK(r->body == "done");
  CHECK(hits == 2);
  REQUIRE(lines.size() == 1);
  CHECK(lines[0].find("retrying POST https://127.0.0.1:") != std::string::npos);
  CHECK(lines[0].find("rate_limited (HTTP 429)") != std::string::npos);
  CHECK(lines[0].find("attempt 2 of 5") != std::string::npos);
  CHECK(lines[0].find("query-secret") == std::string::npos);
  CHECK(lines[0].find("token-secret") == std::string::npos);
}

TEST_CASE("a request that is not idempotent is never retried", "[retry]") {
  TestServer server;
  std::atomic<int> hits{0};
  server.http().Post("/token", [&hits](const httplib::Request&, httplib::Response& res) {
    ++hits;
    res.status = 503;
  });
  server.start();
  HttpRequest token = idempotent_post(server.url("/token"));
  token.idempotent = false;
  auto r = send_with_retry(*make_transport(), token, Context(), quick_policy());
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().category() == ErrorCategory::maintenance);
  CHECK(hits == 1);

  FakeTransport dropping(
      [](const HttpRequest&) -> Result<HttpResponse> { return Error(ErrorCategory::network, "connection reset"); });
  CHECK(send_with_retry(dropping, token, Context(), quick_policy()).error().category() == ErrorCategory::network);
  CHECK(dropping.sent().size() == 1);
}

TEST_CASE("retries are bounded by attempts, elapsed time and the context deadline", "[retry]") {
  FakeTransport failing([](const HttpRequest&) -> Result<HttpResponse> { return response(500); });
  const HttpRequest request = idempotent_post("https://127.0.0.1/result");

  SECTION("network errors are retried until one succeeds") {
    int calls = 0;
    FakeTransport flaky([&calls](const HttpRequest&) -> Result<HttpResponse> {
      if (++calls < 3) return Error(ErrorCategory::network, "reset");
      return FakeTransport::json(200, "{}");
    });
    auto r = send_with_retry(flaky, request, Context(), quick_policy());
    REQUIRE(r.ok());
    CHECK(calls == 3);
  }
  SECTION("max_attempts") {
    RetryPolicy p = quick_policy();
    p.max_attempts = 3;
    auto r = send_with_retry(failing, request, Context(), p);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().http_status() == 500);
    CHECK(failing.sent().size() == 3);
  }
  SECTION("max_elapsed") {
    RetryPolicy p = quick_policy();
    p.max_attempts = 100;
    p.initial_backoff = p.max_backoff = 40ms;
    p.jitter = 0;
    p.max_elapsed = 100ms;
    const auto start = std::chrono::steady_clock::now();
    auto r = send_with_retry(failing, request, Context(), p);
    REQUIRE_FALSE(r.ok());
    CHECK(failing.sent().size() == 3);  // t=0, 40, 80; a wait to 120 would pass max_elapsed
    CHECK(seconds_since(start) < 0.5);
  }
  SECTION("the context deadline") {
    RetryPolicy p = quick_policy();
    p.initial_backoff = p.max_backoff = 200ms;
    auto r = send_with_retry(failing, request, Context().with_timeout(100ms), p);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().http_status() == 500);
    CHECK(failing.sent().size() == 1);
  }
  SECTION("permanent errors stop at once") {
    FakeTransport denied([](const HttpRequest&) -> Result<HttpResponse> { return response(401); });
    CHECK(send_with_retry(denied, request, Context(), quick_policy()).error().category() == ErrorCategory::auth);
    CHECK(denied.sent().size() == 1);
  }
}

TEST_CASE("backoff grows exponentially with jitter below the computed wait", "[retry]") {
  std::vector<std::chrono::steady_clock::time_point> calls;
  FakeTransport failing([&calls](const HttpRequest&) -> Result<HttpResponse> {
    calls.push_back(std::chrono::steady_clock::now());
    return response(502);
  });
  RetryPolicy p;
  p.max_attempts = 4;
  p.initial_backoff = 40ms;
  p.multiplier = 2;
  p.jitter = 0.5;
  REQUIRE_FALSE(send_with_retry(failing, idempotent_post("https://127.0.0.1/r"), Context(), p).ok());
  REQUIRE(calls.size() == 4);
  const std::chrono::milliseconds full[] = {40ms, 80ms, 160ms};
  for (int i = 0; i < 3; ++i) {
    const auto gap = calls[i + 1] - calls[i];
    INFO("wait " << i);
    CHECK(gap >= full[i] / 2 - 2ms);
    CHECK(gap < full[i] + 60ms);
  }
}

TEST_CASE("cancel() interrupts a retry wait at once", "[retry]") {
  FakeTransport busy([](const HttpRequest&) -> Result<HttpResponse> { return response(503, "30"); });
  Context context;
  std::thread canceller([context] {
    std::this_thread::sleep_for(100ms);
    context.cancel();
  });
  const auto start = std::chrono::steady_clock::now();
  auto r = send_with_retry(busy, idempotent_post("https://127.0.0.1/result"), context, quick_policy());
  const double elapsed = seconds_since(start);
  canceller.join();
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().category() == ErrorCategory::cancelled);
  CHECK(busy.sent().size() == 1);
  CHECK(elapsed < 1.0);
}
