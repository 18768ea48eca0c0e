// Notifications from senders the deployment did not authorise, against the listener's notifier
// checks: an address allowlist, a path secret and a client certificate over real TLS; refused
// before the handler, with answers that tell nothing about ids. And the sandbox's notifier,
// presenting its client certificate, through a listener with all three checks.
#include <catch2/catch.hpp>

#include "e2e/listener_fixture.hpp"
#include "e2e/world.hpp"

using namespace myna;
using namespace std::chrono_literals;
using test::Counting;
using test::kLive;
using test::kUnknown;
using test::RawPeer;
using test::timed_valid_post;

namespace {

/// The answer a refused request gets (status and body), or "" when the connection is closed
/// without one.
std::string refusal(const std::string& url, const std::string& body, const std::string& ca = {},
                    const std::string& cert = {}, const std::string& key = {}) {
  test::Http http(ca, cert, key);
  http.set_timeout(5s);
  test::HttpResponse res = http.post(url, body, {"Content-Type: application/json"});
  if (res.code != CURLE_OK) return "";
  return std::to_string(res.status) + " " + res.body;
}

struct NotifierPki {
  std::string dir = sandbox::make_temp_dir("myna-notifier-test");
  std::string cert = dir + "/notifier.pem", key = dir + "/notifier.key";
  std::string cn_only_cert = dir + "/cn-only.pem", cn_only_key = dir + "/cn-only.key";
  NotifierPki() {
    sandbox::CertSpec spec;
    spec.server = false;
    spec.common_name = "notifier.myna.example";
    spec.dns_names = {"notifier.myna.example"};
    test::Pki::write_pair(test::pki().ca, spec, cert, key);
    spec.dns_names = {"other.myna.example"};  // the CN names the notifier, the SAN does not
    test::Pki::write_pair(test::pki().ca, spec, cn_only_cert, cn_only_key);
  }
};

}  // namespace

TEST_CASE("notifier authentication: an address allowlist", "[e2e][attack][listener][notifier]") {
  Counting counting;
  SECTION("loopback not in the list: closed without an answer") {
    ListenerOptions options;
    options.notifier.allowed_networks = {"10.0.0.0/8", "192.0.2.0/24", "2001:db8::/32"};
    auto listener = test::start_listener(options, counting);
    CHECK(refusal(listener->notification_url(), kLive).empty());
    CHECK(refusal(listener->notification_url(), kUnknown).empty());
    RawPeer peer(listener->port());
    CHECK(peer.closed_within(1s));
    CHECK(counting.calls == 0);
  }
  SECTION("loopback in the list: accepted") {
    ListenerOptions options;
    options.notifier.allowed_networks = {"192.0.2.7", "127.0.0.0/8"};
    auto listener = test::start_listener(options, counting);
    CHECK(timed_valid_post(listener->notification_url()) >= 0);
    CHECK(counting.calls == 1);
  }
  SECTION("malformed entries are refused at start") {
    for (const char* bad : {"10.0.0.0/33", "banana", "10.0.0.0/", "::1/129", "10.0.0.0/8x", ""}) {
      INFO(bad);
      ListenerOptions options;
      options.notifier.allowed_networks = {bad};
      auto refused = CallbackListener::start(options, counting.callback());
      REQUIRE_FALSE(refused.ok());
      CHECK(refused.error().category() == ErrorCategory::validation);
    }
  }
}

TEST_CASE("notifier authentication: a path secret", "[e2e][attack][listener][notifier]") {
  Counting counting;
  const std::string secret = "k7Qz2xW9vL4mN8pR3tY6uH1jC5bD0sFa";
  ListenerOptions options;
  options.notifier.path_secret = SecretString(secret);
  auto listener = test::start_listener(options, counting);
  const std::string origin = "http://127.0.0.1:" + std::to_string(listener->port());
  REQUIRE(listener->notification_url() == origin + "/myna/notify/" + secret);

  // Without the exact secret: the same answer as any path that does not exist, whatever the body.
  const std::string nowhere = refusal(origin + "/no/such/path", kLive);
  CHECK(nowhere.rfind("404", 0) == 0);
  for (const std::string& path : std::vector<std::string>{
           "/myna/notify", "/myna/notify/", "/myna/notify/wrong", "/myna/notify/" + secret.substr(0, 31),
           "/myna/notify/" + secret + "x", "/myna/notify/" + secret + "/", "/myna/notify/" + secret + "%00"}) {
    INFO(path);
    CHECK(refusal(origin + path, kLive) == nowhere);
    CHECK(refusal(origin + path, kUnknown) == nowhere);
  }
  CHECK(counting.calls == 0);
  CHECK(timed_valid_post(listener->notification_url()) >= 0);
  CHECK(counting.calls == 1);

  // A secret that cannot be one path segment is refused at start, without showing it.
  for (const std::string& bad :
       {std::string("has/slash-0123456789abcdef"), std::string("short"), std::string("space in it 0123456789abcdef")}) {
    ListenerOptions o;
    o.notifier.path_secret = SecretString(bad);
    auto refused = CallbackListener::start(o, counting.callback());
    REQUIRE_FALSE(refused.ok());
    CHECK(refused.error().category() == ErrorCategory::validation);
    CHECK(refused.error().to_string().find(bad) == std::string::npos);
  }
}

TEST_CASE("notifier authentication: a client certificate over TLS", "[e2e][attack][listener][notifier]") {
  const auto& pki = test::pki();
  static const NotifierPki notifier;
  Counting counting;
  ListenerOptions options = test::tls_listener_options();
  options.notifier.client_ca_file = pki.ca_file;
  SECTION("any certificate of the CA") {
    auto listener = test::start_listener(options, counting);
    const std::string url = listener->notification_url();
    CHECK(refusal(url, kLive, pki.ca_file) == "");  // no certificate
    CHECK(refusal(url, kUnknown, pki.ca_file) == "");
    CHECK(refusal(url, kLive, pki.ca_file, pki.foreign_client_cert, pki.foreign_client_key) == "");  // other CA
    RawPeer::Tls none;
    none.await_verdict = true;
    RawPeer raw(listener->port(), &none);
    CHECK_FALSE(raw.tls_ok());
    CHECK(counting.calls == 0);
    CHECK(refusal(url, kLive, pki.ca_file, pki.client_cert, pki.client_key) == "200 {\"ok\":true}");
    CHECK(refusal(url, kLive, pki.ca_file, notifier.cert, notifier.key) == "200 {\"ok\":true}");
    CHECK(counting.calls == 2);
  }
  SECTION("a required name") {
    options.notifier.client_names = {"notifier.myna.example"};
    auto listener = test::start_listener(options, counting);
    const std::string url = listener->notification_url();
    CHECK(refusal(url, kLive, pki.ca_file, pki.client_cert, pki.client_key) == "");              // CA's, other name
    CHECK(refusal(url, kLive, pki.ca_file, notifier.cn_only_cert, notifier.cn_only_key) == "");  // name in CN only
    CHECK(counting.calls == 0);
    CHECK(refusal(url, kLive, pki.ca_file, notifier.cert, notifier.key) == "200 {\"ok\":true}");
    CHECK(counting.calls == 1);
  }
  SECTION("inconsistent options are refused at start") {
    ListenerOptions plain;
    plain.notifier.client_ca_file = pki.ca_file;  // client certificates need TLS
    CHECK(CallbackListener::start(plain, counting.callback()).error().category() == ErrorCategory::validation);
    options.notifier.client_ca_file = pki.dir + "/missing-ca.pem";
    CHECK(CallbackListener::start(options, counting.callback()).error().category() == ErrorCategory::tls);
    ListenerOptions names_only = test::tls_listener_options();
    names_only.notifier.client_names = {"notifier.myna.example"};  // names without a CA
    CHECK(CallbackListener::start(names_only, counting.callback()).error().category() == ErrorCategory::validation);
  }
}

TEST_CASE("notifier authentication: the sandbox's notifications pass every check; a wrong name is refused",
          "[e2e][attack][listener][notifier]") {
  test::World w(test::World::fast_sandbox(), [](ClientOptions& c) { c.notification_timeout = 2s; });
  REQUIRE(w.consent("n", "C0000003").ok());
  const auto& c = w.sandbox().credentials();
  const Query query = make_query(RecordType::drug, "20240101", "20241231").value();
  // One retrieval through a listener with all three checks; returns how long the fetch took and
  // whether the sandbox's notification was acknowledged.
  auto retrieve = [&](std::vector<std::string> names) {
    ListenerOptions o;
    o.cert_file = c.listener_cert_file;
    o.key_file = c.listener_key_file;
    o.notifier.client_ca_file = c.ca_file;
    o.notifier.client_names = std::move(names);
    o.notifier.allowed_networks = {"127.0.0.0/8", "::1/128"};
    o.notifier.path_secret = SecretString("sandbox-notifier-path-secret-0123456789");
    auto listener = CallbackListener::start(o, w.client().notification_handler()).value();
    w.sandbox().set_notification_urls({listener->notification_url()});
    const auto before = w.sandbox().stats();
    const auto t0 = test::SteadyClock::now();
    REQUIRE(w.client().fetch_drugs("n", query).ok());
    const long long ms = test::ms_since(t0);
    auto delivered = [&] {
      auto s = w.sandbox().stats();
      return s.notifications_acked + s.notifications_rejected >
             before.notifications_acked + before.notifications_rejected;
    };
    for (int i = 0; i < 300 && !delivered(); ++i) std::this_thread::sleep_for(10ms);
    const auto after = w.sandbox().stats();
    return std::make_pair(ms, after.notifications_acked - before.notifications_acked);
  };
  const auto [accepted_ms, acked] = retrieve({sandbox::SandboxCredentials::kNotifierName});
  CHECK(acked == 1);
  CHECK(accepted_ms < 1500);  // notified: no wait for the 2 s fallback
  const auto [refused_ms, acked_by_wrong] = retrieve({"someone-else.example"});
  CHECK(acked_by_wrong == 0);
  CHECK(refused_ms >= 2000);  // not notified: the fetch came after notification_timeout
}
