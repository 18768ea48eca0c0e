// One retry schedule: the transport's retries and the client's own re-asks of a result (not
// ready, corrupt body) wait the same times under the same RetryPolicy, on a fake clock with a
// fixed random draw, and stop at the same point (attempts, max_elapsed, the context's deadline).
#include <catch2/catch.hpp>

#include <mutex>
#include <vector>

#include "client/retrieval_engine.hpp"
#include "internal/retry_schedule.hpp"
#include "myna/testing/fake_transport.hpp"
#include "transport/retry_loop.hpp"

using namespace myna;
using namespace std::chrono_literals;
using std::chrono::milliseconds;

namespace {

// Steady time moves only when something sleeps; the draws repeat a fixed sequence.
class FakeClock : public internal::RetryClock {
 public:
  explicit FakeClock(std::vector<double> draws) : draws_(std::move(draws)) {}
  Context::Clock::time_point now() const override {
    std::lock_guard<std::mutex> lock(mu_);
    return start_ + elapsed_;
  }
  std::chrono::system_clock::time_point system_now() const override {
    std::lock_guard<std::mutex> lock(mu_);
    return system_start_ + elapsed_;
  }
  bool sleep_for(const Context& context, milliseconds wait) const override {
    std::lock_guard<std::mutex> lock(mu_);
    waits_.push_back(wait);
    elapsed_ += wait;
    return !context.cancelled();
  }
  double draw() const override {
    std::lock_guard<std::mutex> lock(mu_);
    return draws_[next_draw_++ % draws_.size()];
  }
  std::vector<milliseconds> waits() const {
    std::lock_guard<std::mutex> lock(mu_);
    return waits_;
  }

 private:
  mutable std::mutex mu_;
  const Context::Clock::time_point start_ = Context::Clock::now();
  const std::chrono::system_clock::time_point system_start_ = std::chrono::system_clock::now();
  mutable milliseconds elapsed_{0};
  mutable std::vector<milliseconds> waits_;
  std::vector<double> draws_;
  mutable std::size_t next_draw_ = 0;
};

const std::vector<double> kDraws{0.25, 1.0, 0.0, 0.5, 0.75, 0.1, 0.9, 0.33};

RetryPolicy policy_with(int attempts, milliseconds max_elapsed) {
  RetryPolicy p;
  p.max_attempts = attempts;
  p.initial_backoff = 100ms;
  p.max_backoff = 1500ms;
  p.multiplier = 3.0;
  p.jitter = 0.4;
  p.max_elapsed = max_elapsed;
  return p;
}

// The transport's schedule: a result request that always gets HTTP 500.
std::vector<milliseconds> transport_waits(const RetryPolicy& policy, int& attempts) {
  FakeClock clock(kDraws);
  testing::FakeTransport transport([&](const HttpRequest&) -> Result<HttpResponse> {
    ++attempts;
    return testing::FakeTransport::json(500, "{}");
  });
  HttpRequest request;
  request.url = "https://127.0.0.1:1/online-resource-web/result";
  request.idempotent = true;
  (void)internal::send_with_retry(transport, request, Context(), policy, Logger(), clock);
  return clock.waits();
}

// The client's schedule: the service answers every result request with `body`.
std::vector<milliseconds> client_waits(const RetryPolicy& policy, const std::string& body, int& attempts) {
  FakeClock clock(kDraws);
  ClientOptions o;
  o.retry = policy;
  o.instance_name = "test";
  o.retrieval_store = make_memory_retrieval_store();
  o.token_store = make_memory_token_store();
  Token token;
  token.access_token = SecretString("access");
  token.expires_at = token.grant_expires_at = std::chrono::system_clock::now() + 1h;
  REQUIRE(o.token_store->save("c", token).ok());
  o.transport = std::make_shared<testing::FakeTransport>([&](const HttpRequest&) -> Result<HttpResponse> {
    ++attempts;
    return testing::FakeTransport::json(200, body);
  });
  auto token_client = std::make_shared<TokenClient>(o.profile, o.transport);
  auto tokens = std::make_unique<TokenProvider>(o.profile, o.token_store, token_client);
  auto ids = TelegramIdGenerator::create(o.profile.provider_number).value();
  internal::RetrievalEngine engine(o, std::move(tokens), std::move(ids), clock);
  Retrieval r;
  r.telegram_id = "TL-00000086-260101000000-0001";
  r.process_id = "P-1";
  r.citizen = "c";
  RetrievalInfo info;
  auto result = engine.fetch_records<DrugRecord>(r, false, Context(), info);
  CHECK_FALSE(result.ok());
  CHECK(info.result_attempts == attempts);
  return clock.waits();
}

std::string not_ready_body() {
  Profile p;
  CommonHeader h{"TL-00000086-260101000000-0001", p.result_response_type, p.mode, "P-1", p.not_ready_code};
  return codec::encode_result<DrugRecord>(h, {}, p);
}

}  // namespace

TEST_CASE("retry schedule: the wait grows by the multiplier, is capped and jittered downwards", "[retry]") {
  const RetryPolicy p = policy_with(10, 1h);
  CHECK(internal::backoff_wait(p, 1, 1.0) == 100ms);
  CHECK(internal::backoff_wait(p, 2, 1.0) == 300ms);
  CHECK(internal::backoff_wait(p, 3, 1.0) == 900ms);
  CHECK(internal::backoff_wait(p, 4, 1.0) == 1500ms);  // max_backoff
  CHECK(internal::backoff_wait(p, 3, 0.0) == 540ms);   // 900 × (1 − jitter 0.4)
  CHECK(internal::backoff_wait(p, 3, 0.5) == 720ms);
}

TEST_CASE("retry schedule: transport retries and the client's re-asks wait the same times", "[retry][client]") {
  SECTION("bounded by attempts") {
    const RetryPolicy p = policy_with(6, 1h);
    int transport_attempts = 0, not_ready_attempts = 0, corrupt_attempts = 0;
    const auto expected = transport_waits(p, transport_attempts);
    CHECK(transport_attempts == 6);
    REQUIRE(expected.size() == 5);
    CHECK(expected[0] == internal::backoff_wait(p, 1, kDraws[0]));
    CHECK(expected[4] == internal::backoff_wait(p, 5, kDraws[4]));
    CHECK(client_waits(p, not_ready_body(), not_ready_attempts) == expected);
    CHECK(not_ready_attempts == 6);
    CHECK(client_waits(p, "{\"commonHeader\": ", corrupt_attempts) == expected);
    CHECK(corrupt_attempts == 6);
  }
  SECTION("bounded by max_elapsed") {
    const RetryPolicy p = policy_with(50, 3s);
    int transport_attempts = 0, client_attempts = 0;
    const auto expected = transport_waits(p, transport_attempts);
    milliseconds total{0};
    for (milliseconds w : expected) total += w;
    CHECK(total <= 3s);
    CHECK(transport_attempts < 50);  // time, not attempts, ended it
    CHECK(client_waits(p, not_ready_body(), client_attempts) == expected);
    CHECK(client_attempts == transport_attempts);
  }
}

TEST_CASE("retry schedule: a Retry-After beyond max_retry_after stops, a nearer one is waited for", "[retry]") {
  FakeClock clock(kDraws);
  RetryPolicy p = policy_with(5, 1h);
  p.max_retry_after = 10s;
  internal::RetrySchedule schedule(p, clock);
  CHECK_FALSE(schedule.next_wait(1, Context(), clock.system_now() + 30s));
  const auto wait = schedule.next_wait(1, Context(), clock.system_now() + 5s);
  REQUIRE(wait);
  CHECK(*wait == 5s);
  CHECK_FALSE(schedule.next_wait(5, Context()));  // the last attempt
}
