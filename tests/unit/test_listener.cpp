// The optional callback listener: binding, routing, TLS, and its refusals. Notification
// round-trips through the process layer's NotificationHandler belong to the integration tests;
// here a plain callback stands in for it.
#include <catch2/catch.hpp>
#include <chrono>
#include <cstdio>
#include <mutex>

#include "e2e/http.hpp"
#include "myna/client/listener.hpp"
#include "myna/sandbox/pki.hpp"

using namespace myna;
using myna::test::Http;

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
