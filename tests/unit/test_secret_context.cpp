#include <catch2/catch.hpp>

#include <sstream>
#include <thread>

#include "myna/error.hpp"
#include "myna/log.hpp"
#include "myna/secret.hpp"
#include "myna/transport/context.hpp"

using namespace myna;
using namespace std::chrono_literals;

TEST_CASE("SecretString never prints its value and compares in constant time", "[secret]") {
  SecretString token("eyJhbGciOi.secret-token");
  std::ostringstream out;
  out << token;
  CHECK(out.str() == "[redacted]");
  CHECK(std::string(token.reveal()) == "eyJhbGciOi.secret-token");

  CHECK(token.equals("eyJhbGciOi.secret-token"));
  CHECK_FALSE(token.equals("eyJhbGciOi.secret-tokeN"));
  CHECK_FALSE(token.equals("eyJhbGciOi.secret-token-and-more"));
  CHECK_FALSE(token.equals("eyJhbGciOi"));
  CHECK_FALSE(token.equals(""));
  CHECK(SecretString().equals(""));
  CHECK_FALSE(SecretString().equals("x"));
}

TEST_CASE("SecretString copies, moves and clears", "[secret]") {
  SecretString a("passphrase");
  SecretString copy(a);
  CHECK(std::string(copy.reveal()) == "passphrase");
  SecretString moved(std::move(copy));
  CHECK(std::string(moved.reveal()) == "passphrase");
  CHECK(copy.empty());  // NOLINT(bugprone-use-after-move): moved-from is wiped and empty

  SecretString long_secret(std::string(200, 'k'));
  SecretString target("short");
  target = std::move(long_secret);
  CHECK(target.size() == 200);
  CHECK(long_secret.empty());  // NOLINT(bugprone-use-after-move)
  target = a;
  CHECK(std::string(target.reveal()) == "passphrase");
  SecretString& same = target;
  target = same;  // self-assignment keeps the value
  CHECK(std::string(target.reveal()) == "passphrase");

  a.clear();
  CHECK(a.empty());
  CHECK(a.size() == 0);
}

TEST_CASE("wipe overwrites a buffer before emptying it", "[secret]") {
  std::string buffer = "code=abc";  // short: stays in the string's own storage
  const char* bytes = buffer.data();
  wipe(buffer);
  CHECK(buffer.empty());
  for (int i = 0; i < 8; ++i) CHECK(bytes[i] == '\0');
}

TEST_CASE("log levels and the logger threshold", "[log]") {
  CHECK(std::string(to_string(LogLevel::debug)) == "debug");
  CHECK(std::string(to_string(LogLevel::warn)) == "warn");
  CHECK(std::string(to_string(LogLevel::off)) == "off");
  int lines = 0;
  Logger logger([&](LogLevel, std::string_view) { ++lines; }, LogLevel::info);
  logger.log(LogLevel::debug, "dropped");
  logger.log(LogLevel::info, "kept");
  logger.log(LogLevel::error, "kept");
  CHECK(lines == 2);
  CHECK_FALSE(Logger().enabled(LogLevel::error));
}

TEST_CASE("Context copies share cancellation; deadlines only get earlier", "[context]") {
  Context root;
  CHECK_FALSE(root.deadline());
  CHECK_FALSE(root.remaining());
  CHECK_FALSE(root.expired());

  Context short_lived = root.with_timeout(1s);
  Context still_short = short_lived.with_timeout(1h);  // cannot extend
  REQUIRE(still_short.deadline());
  CHECK(*still_short.deadline() == *short_lived.deadline());
  Context shorter = short_lived.with_deadline(Context::Clock::now() + 10ms);
  CHECK(*shorter.deadline() < *short_lived.deadline());
  CHECK(*short_lived.remaining() <= 1s);

  Context copy = shorter;
  copy.cancel();  // shared by the root, its children and their copies
  CHECK(root.cancelled());
  CHECK(short_lived.cancelled());
  CHECK(shorter.cancelled());

  Context past = Context().with_deadline(Context::Clock::now() - 1s);
  CHECK(past.expired());
  CHECK(*past.remaining() == Context::Clock::duration::zero());
}

TEST_CASE("Context::sleep_for wakes on cancel from another thread and stops at the deadline", "[context]") {
  SECTION("a full sleep returns true") {
    Context context;
    const auto start = Context::Clock::now();
    CHECK(context.sleep_for(20ms));
    CHECK(Context::Clock::now() - start >= 20ms);
  }
  SECTION("cancel() wakes a sleeper at once") {
    Context context;
    std::thread canceller([context] {
      std::this_thread::sleep_for(50ms);
      context.cancel();
    });
    const auto start = Context::Clock::now();
    const bool slept = context.with_timeout(1h).sleep_for(10s);
    const auto elapsed = Context::Clock::now() - start;
    canceller.join();
    CHECK_FALSE(slept);
    CHECK(elapsed < 1s);
    CHECK_FALSE(context.sleep_for(10s));  // already cancelled: returns at once
  }
  SECTION("the deadline ends the sleep early") {
    Context context = Context().with_timeout(50ms);
    const auto start = Context::Clock::now();
    CHECK_FALSE(context.sleep_for(10s));
    const auto elapsed = Context::Clock::now() - start;
    CHECK(elapsed >= 45ms);
    CHECK(elapsed < 1s);
  }
}

TEST_CASE("Status is one pointer; copies are deep and independent", "[status]") {
  static_assert(sizeof(Status) == sizeof(void*), "a batch report keeps one Status per citizen");
  Status ok;
  CHECK(ok.ok());
  Status failed = Error(ErrorCategory::timeout, "late").with_http_status(504);
  Status copy = failed;
  REQUIRE_FALSE(copy.ok());
  CHECK(&copy.error() != &failed.error());
  CHECK(copy.error().category() == ErrorCategory::timeout);
  CHECK(copy.error().http_status() == 504);
  copy = ok;
  CHECK(copy.ok());
  CHECK_FALSE(failed.ok());
  Status moved = std::move(failed);
  CHECK(moved.error().message() == "late");
  Status assigned;
  assigned = moved;
  CHECK(assigned.error().message() == "late");
  CHECK_THROWS_AS(assigned.value(), Exception);
}
