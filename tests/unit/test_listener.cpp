// The optional callback listener: binding, routing, TLS, keep-alive, workers, and its
// refusals (its behaviour under attack is in tests/e2e/test_listener_attacks.cpp). Notification
// round-trips through the process layer's NotificationHandler belong to the integration tests;
// here a plain callback stands in for it.
#include <atomic>
#include <catch2/catch.hpp>
#include <chrono>
#include <cstdio>
#include <mutex>
#include <stdexcept>
#include <thread>

#include "e2e/http.hpp"
#include "e2e/raw_peer.hpp"
#include "myna/client/listener.hpp"
#include "myna/sandbox/pki.hpp"

using namespace myna;
using myna::test::Http;
namespace test = myna::test;

namespace {

NotificationReply teapot(std::string_view body) {
  NotificationReply reply;
  reply.http_status = 202;
  reply.body = "{\"echo\":" + std::to_string(body.size()) + "}";
  reply.accepted = true;
  return reply;
}

}  // namespace

TEST_CASE("the listener routes notifications and the consent redirect", "[listener]") {
  std::string target;
  std::mutex mutex;
  auto started = CallbackListener::start(ListenerOptions{}, &teapot, [&](std::string t) {
    std::lock_guard<std::mutex> lock(mutex);
    target = std::move(t);
  });
  REQUIRE(started.ok());
  auto& listener = *started.value();
  CHECK(listener.port() > 0);
  CHECK(listener.notification_url() == "http://127.0.0.1:" + std::to_string(listener.port()) + "/myna/notify");
  CHECK(listener.redirect_url() == "http://127.0.0.1:" + std::to_string(listener.port()) + "/callback");

  Http http("");
  auto res = http.get(listener.redirect_url() + "?code=abc&state=x%20y");
  CHECK(res.status == 200);
  CHECK(res.header("content-type") == "text/html; charset=utf-8");
  CHECK(res.body.find("同意の結果を受け取りました。このウィンドウを閉じてください。") != std::string::npos);
  {
    std::lock_guard<std::mutex> lock(mutex);
    CHECK(target == "/callback?code=abc&state=x%20y");
  }

  res = http.post(listener.notification_url(), "{\"commonHeader\":{}}", {"Content-Type: application/json"});
  CHECK(res.status == 202);
  CHECK(res.body == "{\"echo\":19}");
  CHECK(http.get(listener.notification_url()).status == 404);  // POST only

  listener.stop();
  listener.stop();  // idempotent
  CHECK(http.get(listener.redirect_url()).code == CURLE_COULDNT_CONNECT);
}

TEST_CASE("the listener serves HTTPS from PEM files", "[listener]") {
  sandbox::CertificateAuthority ca;
  auto server = ca.issue(sandbox::loopback_server_spec());
  std::string dir = sandbox::make_temp_dir("myna-listener-test");
  sandbox::write_file(dir + "/ca.pem", ca.ca().cert_pem);
  sandbox::write_file(dir + "/cert.pem", server.cert_pem);
  sandbox::write_file(dir + "/key.pem", server.key_pem, 0600);

  ListenerOptions options;
  options.cert_file = dir + "/cert.pem";
  options.key_file = dir + "/key.pem";
  options.notification_path = "/hooks/myna";
  auto started = CallbackListener::start(options, &teapot);
  REQUIRE(started.ok());
  auto& listener = *started.value();
  CHECK(listener.notification_url().rfind("https://127.0.0.1:", 0) == 0);
  Http http(dir + "/ca.pem");
  auto res = http.post(listener.notification_url(), "{}");
  CHECK(res.code == CURLE_OK);
  CHECK(res.status == 202);
  CHECK(http.get(listener.redirect_url()).status == 404);  // no redirect callback: no route
  auto before = std::chrono::steady_clock::now();
  listener.stop();  // `http` still holds an idle keep-alive connection
  CHECK(std::chrono::steady_clock::now() - before < std::chrono::seconds(1));

  options.key_file = dir + "/ca.pem";  // not a key
  auto broken = CallbackListener::start(options, &teapot);
  REQUIRE_FALSE(broken.ok());
  CHECK(broken.error().category() == ErrorCategory::tls);
  for (const char* f : {"/ca.pem", "/cert.pem", "/key.pem"}) std::remove((dir + f).c_str());
  std::remove(dir.c_str());
}

TEST_CASE("the listener refuses unsafe or inconsistent options", "[listener]") {
  ListenerOptions public_plain;
  public_plain.host = "0.0.0.0";
  auto refused = CallbackListener::start(public_plain, &teapot);
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.error().category() == ErrorCategory::validation);
  CHECK(refused.error().message().find("loopback") != std::string::npos);

  ListenerOptions half_tls;
  half_tls.cert_file = "/nonexistent/cert.pem";
  CHECK(CallbackListener::start(half_tls, &teapot).error().category() == ErrorCategory::validation);

  ListenerOptions bad_path;
  bad_path.notification_path = "notify";
  CHECK(CallbackListener::start(bad_path, &teapot).error().category() == ErrorCategory::validation);

  CHECK(CallbackListener::start(ListenerOptions{}, NotificationCallback{}).error().category() ==
        ErrorCategory::validation);
}

TEST_CASE("the listener reports a port that is taken", "[listener]") {
  auto first = CallbackListener::start(ListenerOptions{}, &teapot);
  REQUIRE(first.ok());
  ListenerOptions same;
  same.port = first.value()->port();
  auto second = CallbackListener::start(same, &teapot);
  REQUIRE_FALSE(second.ok());
  CHECK(second.error().category() == ErrorCategory::network);
}

TEST_CASE("the listener keeps connections alive, answers pipelined requests in order and honours 100-continue",
          "[listener]") {
  auto listener = CallbackListener::start(ListenerOptions{}, &teapot).value();
  test::RawPeer peer(listener->port());
  const std::string post = "POST /myna/notify HTTP/1.1\r\nHost: h\r\nContent-Length: 2\r\n\r\n{}";
  REQUIRE(peer.send(post));
  std::string first = peer.receive_response(std::chrono::seconds(3));
  CHECK(test::status_of(first) == 202);
  CHECK(first.find("Connection: close") == std::string::npos);
  // Two requests in one write, the second asking to close.
  REQUIRE(
      peer.send(post + "POST /myna/notify HTTP/1.1\r\nHost: h\r\nConnection: close\r\nContent-Length: 3\r\n\r\n[1]"));
  std::string both = peer.receive(std::chrono::seconds(3));  // until the listener closes
  CHECK(both.find("{\"echo\":2}") < both.find("{\"echo\":3}"));
  CHECK(both.find("{\"echo\":3}") != std::string::npos);
  CHECK(both.find("Connection: close") != std::string::npos);

  test::RawPeer waiting(listener->port());
  REQUIRE(waiting.send("POST /myna/notify HTTP/1.1\r\nHost: h\r\nExpect: 100-continue\r\nContent-Length: 4\r\n\r\n"));
  CHECK(waiting.receive_response(std::chrono::seconds(3)) == "HTTP/1.1 100 Continue\r\n\r\n");
  REQUIRE(waiting.send("null"));
  CHECK(test::status_of(waiting.receive_response(std::chrono::seconds(3))) == 202);

  test::RawPeer old(listener->port());  // HTTP/1.0: one request per connection
  REQUIRE(old.send("POST /myna/notify HTTP/1.0\r\nContent-Length: 2\r\n\r\n{}"));
  CHECK(test::status_of(old.receive(std::chrono::seconds(3))) == 202);
}

TEST_CASE("the listener runs callbacks on several workers and survives one that throws", "[listener]") {
  std::atomic<int> calls{0};
  auto listener = CallbackListener::start(ListenerOptions{}, [&](std::string_view body) -> NotificationReply {
                    ++calls;
                    if (body == "throw") throw std::runtime_error("callback failed");
                    if (body == "slow") std::this_thread::sleep_for(std::chrono::milliseconds(1500));
                    return teapot(body);
                  }).value();
  Http http("");
  CHECK(http.post(listener->notification_url(), "throw").status == 500);
  long slow_status = 0;  // Catch2 assertions belong to the main thread
  std::thread slow([&] {
    Http other("");
    slow_status = other.post(listener->notification_url(), "slow").status;
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  auto t0 = std::chrono::steady_clock::now();
  CHECK(http.post(listener->notification_url(), "{}").status == 202);  // not behind the slow one
  CHECK(std::chrono::steady_clock::now() - t0 < std::chrono::milliseconds(1000));
  slow.join();
  CHECK(slow_status == 202);
  CHECK(calls == 3);
}

TEST_CASE("the listener's port cannot be shared through SO_REUSEPORT", "[listener]") {
  auto listener = CallbackListener::start(ListenerOptions{}, &teapot).value();
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  int yes = 1;
  ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
  ::setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &yes, sizeof yes);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<std::uint16_t>(listener->port()));
  ::inet_pton(AF_INET, "127.0.0.1", &addr.sin_addr);
  CHECK(::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0);
  ::close(fd);
}

TEST_CASE("the listener refuses limits that cannot work", "[listener]") {
  auto refused = [](auto change) {
    ListenerOptions o;
    change(o.limits);
    return CallbackListener::start(o, &teapot).error().category() == ErrorCategory::validation;
  };
  CHECK(refused([](ListenerLimits& l) { l.request_timeout = std::chrono::milliseconds(0); }));
  CHECK(refused([](ListenerLimits& l) { l.max_header_bytes = 100; }));
  CHECK(refused([](ListenerLimits& l) { l.max_body_bytes = 0; }));
  CHECK(refused([](ListenerLimits& l) { l.max_connections = 0; }));
  CHECK(refused([](ListenerLimits& l) { l.worker_threads = 0; }));
  CHECK(refused([](ListenerLimits& l) { l.worker_threads = 1000; }));
}
