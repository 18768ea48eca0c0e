#include <catch2/catch.hpp>

#include <atomic>
#include <mutex>
#include <set>
#include <thread>

#include "myna/auth/token.hpp"
#include "myna/testing/fake_transport.hpp"

using namespace myna;
using std::chrono::hours;
using std::chrono::seconds;
using SysClock = std::chrono::system_clock;
using myna::testing::FakeTransport;

namespace {

const SysClock::time_point kStart = SysClock::time_point(seconds(1'767'225'600));  // 2026-01-01T00:00:00Z

/// A clock the test moves by hand.
struct ManualClock {
  std::shared_ptr<std::atomic<std::int64_t>> seconds_ = std::make_shared<std::atomic<std::int64_t>>(0);
  void advance(SysClock::duration d) { *seconds_ += std::chrono::duration_cast<seconds>(d).count(); }
  std::function<SysClock::time_point()> fn() const {
    auto s = seconds_;
    return [s] { return kStart + seconds(s->load()); };
  }
};

Token token_at(const std::string& access, SysClock::time_point granted, SysClock::duration lifetime,
               const std::string& refresh = "RT-1") {
  Token t;
  t.access_token = SecretString(access);
  t.refresh_token = SecretString(refresh);
  t.granted_at = granted;
  t.expires_at = granted + lifetime;
  t.grant_expires_at = granted + hours(24 * 90);
  return t;
}

struct Fixture {
  Profile profile;
  std::shared_ptr<TokenStore> store = make_memory_token_store();
  std::atomic<int> refresh_calls{0};
  std::shared_ptr<FakeTransport> transport;
  std::shared_ptr<TokenClient> client;
  std::unique_ptr<TokenProvider> provider;
  ManualClock clock;

  explicit Fixture(bool supports_refresh, std::string answer = R"({"access_token":"AT-NEW","expires_in":3600})",
                   int status = 200, std::chrono::milliseconds delay = std::chrono::milliseconds(0)) {
    profile.supports_refresh = supports_refresh;
    transport = std::make_shared<FakeTransport>([this, answer, status, delay](const HttpRequest&) {
      ++refresh_calls;
      std::this_thread::sleep_for(delay);
      return Result<HttpResponse>(FakeTransport::json(status, answer));
    });
    client = std::make_shared<TokenClient>(profile, transport);
    client->set_clock(clock.fn());
    provider = std::make_unique<TokenProvider>(profile, store, client);
    provider->set_clock(clock.fn());
  }
};

}  // namespace

TEST_CASE("TokenProvider: no token means consent needed", "[token][provider]") {
  Fixture f(false);
  auto token = f.provider->access_token("nobody", Context());
  REQUIRE_FALSE(token.ok());
  CHECK(token.error().category() == ErrorCategory::consent_required);
  CHECK(token.error().message() == "consent needed again: no grant for this citizen");
}

TEST_CASE("TokenProvider: a valid token is returned without a call", "[token][provider]") {
  Fixture f(true);
  REQUIRE(f.store->save("c", token_at("AT-1", kStart, hours(1))).ok());
  auto token = f.provider->access_token("c", Context());
  REQUIRE(token.ok());
  CHECK(token->reveal() == "AT-1");
  CHECK(f.refresh_calls == 0);
}

TEST_CASE("TokenProvider: the grant period ends with consent_required (injected clock)", "[token][provider]") {
  Fixture f(true);
  REQUIRE(f.store->save("c", token_at("AT-1", kStart, hours(24 * 365))).ok());
  f.clock.advance(hours(24 * 90) - seconds(1));
  REQUIRE(f.provider->access_token("c", Context()).ok());
  f.clock.advance(seconds(1));
  auto token = f.provider->access_token("c", Context());
  REQUIRE_FALSE(token.ok());
  CHECK(token.error().category() == ErrorCategory::consent_required);
  CHECK(f.refresh_calls == 0);
}

TEST_CASE("TokenProvider: an expiring token without refresh is an auth error", "[token][provider]") {
  Fixture f(false);
  REQUIRE(f.store->save("c", token_at("AT-1", kStart, hours(1))).ok());
  f.clock.advance(hours(1) - f.profile.token_refresh_margin);  // inside the refresh margin
  auto token = f.provider->access_token("c", Context());
  REQUIRE_FALSE(token.ok());
  CHECK(token.error().category() == ErrorCategory::auth);
  CHECK(token.error().message().find("consent again") != std::string::npos);
  CHECK(f.refresh_calls == 0);
}

TEST_CASE("TokenProvider: refreshes early, saves, keeps the grant", "[token][provider][refresh]") {
  Fixture f(true);
  const Token old = token_at("AT-OLD", kStart, hours(1));
  REQUIRE(f.store->save("c", old).ok());
  f.clock.advance(hours(1) - f.profile.token_refresh_margin + seconds(1));
  auto token = f.provider->access_token("c", Context());
  REQUIRE(token.ok());
  CHECK(token->reveal() == "AT-NEW");
  CHECK(f.refresh_calls == 1);
  const Token saved = f.store->load("c")->value();
  CHECK(saved.access_token.reveal() == "AT-NEW");
  CHECK(saved.grant_expires_at == old.grant_expires_at);
  CHECK(saved.granted_at == old.granted_at);
  REQUIRE(f.provider->access_token("c", Context()).ok());
  CHECK(f.refresh_calls == 1);  // the fresh token is used as is
}

TEST_CASE("TokenProvider: 16 threads at once cause exactly one refresh", "[token][provider][refresh]") {
  Fixture f(true, R"({"access_token":"AT-NEW","expires_in":3600})", 200, std::chrono::milliseconds(100));
  REQUIRE(f.store->save("c", token_at("AT-OLD", kStart, hours(1))).ok());
  f.clock.advance(hours(2));

  std::atomic<int> ready{0};
  std::mutex mu;
  std::multiset<std::string> results;
  std::vector<std::thread> threads;
  for (int i = 0; i < 16; ++i)
    threads.emplace_back([&] {
      ++ready;
      while (ready < 16) std::this_thread::yield();
      auto token = f.provider->access_token("c", Context());
      std::lock_guard<std::mutex> lock(mu);
      results.insert(token ? std::string(token->reveal()) : "error: " + token.error().to_string());
    });
  for (auto& t : threads) t.join();
  CHECK(f.refresh_calls == 1);
  CHECK(results.count("AT-NEW") == 16);
}

TEST_CASE("TokenProvider: refreshes of different citizens do not wait for each other", "[token][provider][refresh]") {
  Fixture f(true);
  REQUIRE(f.store->save("a", token_at("AT-A", kStart, hours(1))).ok());
  REQUIRE(f.store->save("b", token_at("AT-B", kStart, hours(1))).ok());
  f.clock.advance(hours(2));
  REQUIRE(f.provider->access_token("a", Context()).ok());
  REQUIRE(f.provider->access_token("b", Context()).ok());
  CHECK(f.refresh_calls == 2);
}

TEST_CASE("TokenProvider: invalidate makes that exact token unusable", "[token][provider][refresh]") {
  Fixture f(true);
  REQUIRE(f.store->save("c", token_at("AT-OLD", kStart, hours(1))).ok());
  f.provider->invalidate("c", SecretString("AT-SOMETHING-ELSE"));
  REQUIRE(f.provider->access_token("c", Context())->reveal() == "AT-OLD");
  CHECK(f.refresh_calls == 0);

  f.provider->invalidate("c", SecretString("AT-OLD"));
  REQUIRE(f.provider->access_token("c", Context())->reveal() == "AT-NEW");
  CHECK(f.refresh_calls == 1);
  REQUIRE(f.provider->access_token("c", Context())->reveal() == "AT-NEW");
  CHECK(f.refresh_calls == 1);
}

TEST_CASE("TokenProvider: invalidated token without refresh is an auth error", "[token][provider]") {
  Fixture f(false);
  REQUIRE(f.store->save("c", token_at("AT-OLD", kStart, hours(1))).ok());
  f.provider->invalidate("c", SecretString("AT-OLD"));
  auto token = f.provider->access_token("c", Context());
  REQUIRE_FALSE(token.ok());
  CHECK(token.error().category() == ErrorCategory::auth);
}

TEST_CASE("TokenProvider: a refused refresh token means consent again", "[token][provider][refresh]") {
  Fixture f(true, R"({"error":"invalid_grant"})", 400);
  REQUIRE(f.store->save("c", token_at("AT-OLD", kStart, hours(1))).ok());
  f.clock.advance(hours(2));
  auto token = f.provider->access_token("c", Context());
  REQUIRE_FALSE(token.ok());
  CHECK(token.error().category() == ErrorCategory::consent_required);
  CHECK(token.error().service_code() == "invalid_grant");
}

TEST_CASE("TokenProvider: other refresh failures pass through, and the next call tries again",
          "[token][provider][refresh]") {
  Fixture f(true, "{}", 502);
  REQUIRE(f.store->save("c", token_at("AT-OLD", kStart, hours(1))).ok());
  f.clock.advance(hours(2));
  auto first = f.provider->access_token("c", Context());
  REQUIRE_FALSE(first.ok());
  CHECK(first.error().category() == ErrorCategory::http);
  REQUIRE_FALSE(f.provider->access_token("c", Context()).ok());
  CHECK(f.refresh_calls == 2);
}

TEST_CASE("TokenProvider: a waiter stops at its own deadline", "[token][provider][refresh]") {
  Fixture f(true, R"({"access_token":"AT-NEW","expires_in":3600})", 200, std::chrono::milliseconds(400));
  REQUIRE(f.store->save("c", token_at("AT-OLD", kStart, hours(1))).ok());
  f.clock.advance(hours(2));
  std::thread leader([&] { (void)f.provider->access_token("c", Context()); });
  while (f.refresh_calls == 0) std::this_thread::yield();
  const auto started = std::chrono::steady_clock::now();
  auto waited = f.provider->access_token("c", Context().with_timeout(std::chrono::milliseconds(50)));
  const auto elapsed = std::chrono::steady_clock::now() - started;
  leader.join();
  REQUIRE_FALSE(waited.ok());
  CHECK(waited.error().category() == ErrorCategory::timeout);
  CHECK(elapsed < std::chrono::milliseconds(300));
  CHECK(f.refresh_calls == 1);
}
