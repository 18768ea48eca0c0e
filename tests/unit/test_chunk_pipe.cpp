// The bounded pipe between a streamed transfer and the decoder (src/client/chunk_pipe.hpp).
#include <catch2/catch.hpp>

#include <thread>

#include "client/chunk_pipe.hpp"

using namespace myna;

TEST_CASE("chunk pipe: chunks arrive in order through a pipe smaller than the body", "[pipe]") {
  internal::ChunkPipe pipe(64);  // the producer blocks every few chunks
  std::string sent, received;
  bool pushed = true;  // Catch2 assertions only on the test's own thread
  std::thread producer([&] {
    for (int i = 0; i < 500; ++i) {
      const std::string chunk = std::to_string(i) + ",";
      sent += chunk;
      pushed = pushed && pipe.push(chunk).ok();
    }
    pipe.close();
  });
  for (;;) {
    auto chunk = pipe.next();
    REQUIRE(chunk.ok());
    if (chunk->empty()) break;
    received += *chunk;
  }
  producer.join();
  CHECK(pushed);
  CHECK(received == sent);
}

TEST_CASE("chunk pipe: a consumer that stops releases a blocked producer", "[pipe]") {
  internal::ChunkPipe pipe(8);
  Status last;
  std::thread producer([&] {
    for (int i = 0; i < 100 && last.ok(); ++i) last = pipe.push("0123456789");
  });
  REQUIRE(pipe.next().ok());
  pipe.abandon();
  producer.join();
  REQUIRE_FALSE(last.ok());
  CHECK(last.error().category() == ErrorCategory::cancelled);
}
