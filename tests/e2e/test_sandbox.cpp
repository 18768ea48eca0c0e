// The sandbox over real loopback HTTPS with mutual TLS, driven by raw libcurl: consent, token,
// request, notification, result, against the generator's ground truth.
#include <catch2/catch.hpp>

#include <cstdio>

#include "e2e/harness.hpp"
#include "myna/records.hpp"
#include "myna/sandbox/pki.hpp"

using namespace myna;
using namespace myna::test;

namespace {

Query full_window(RecordType type) {
  return Query::Builder(type)
      .from(sandbox::Generator::first_month().first_day())
      .to(sandbox::Generator::last_month().last_day())
      .build()
      .value();
}

template <class R>
void check_records(const HttpResponse& res, Harness& h, std::size_t citizen, const Query& query) {
  auto decoded = codec::decode_result<R>(res.body, h.profile);
  REQUIRE(decoded.ok());
  CHECK(decoded->header.telegram_type == h.profile.result_response_type);
  CHECK(decoded->header.error_code.empty());
  auto truth = h.sandbox->generator().records<R>(citizen, query);
  CHECK_FALSE(truth.empty());
  REQUIRE(decoded->records.size() == truth.size());
  for (std::size_t i = 0; i < truth.size(); ++i) CHECK(records_equal(decoded->records[i], truth[i]));
}

/// Request → notification (echoed by the endpoint) → result; returns the result response.
HttpResponse retrieve(Harness& h, const Session& s, const Query& query, std::string* process_id = nullptr) {
  std::string tid = next_telegram_id(h.profile);
  HttpResponse accepted = h.send_request(s.access_token, tid, query);
  REQUIRE(accepted.status == 200);
  CommonHeader header = h.header_of(accepted);
  CHECK(header.telegram_type == h.profile.request_response_type);
  CHECK(header.telegram_id == tid);
  REQUIRE(header.process_id.size() == 13);
  auto notified = h.endpoint.wait_for_process(header.process_id);
  REQUIRE(notified);
  CHECK(notified->header.telegram_id == tid);
  CHECK(notified->header.telegram_type == h.profile.notification_type);
  if (process_id) *process_id = header.process_id;
  return h.fetch_result(s.access_token, tid, header.process_id);
}

}  // namespace

TEST_CASE("full flow for the three record types over mutual TLS", "[e2e][sandbox]") {
  Harness h;
  Session s = h.sign_in("C0000007");
  REQUIRE_FALSE(s.access_token.empty());

  auto drugs = make_query(RecordType::drug, "20240101", "20241231").value();
  HttpResponse res = retrieve(h, s, drugs);
  REQUIRE(res.status == 200);
  CHECK(res.header("transfer-encoding") == "chunked");
  check_records<DrugRecord>(res, h, 7, drugs);

  auto checkups = full_window(RecordType::checkup);
  res = retrieve(h, s, checkups);
  REQUIRE(res.status == 200);
  check_records<CheckupRecord>(res, h, 7, checkups);

  auto expenses = make_query(RecordType::expense, "20240101", "20241231").value();
  res = retrieve(h, s, expenses);
  REQUIRE(res.status == 200);
  check_records<MedicalExpenseRecord>(res, h, 7, expenses);

  CHECK(Harness::eventually([&] { return h.sandbox->stats().notifications_acked == 3; }));
  auto stats = h.sandbox->stats();
  CHECK(stats.requests == 3);
  CHECK(stats.processes_created == 3);
  CHECK(stats.results == 3);
  CHECK(stats.tokens_issued == 1);
  CHECK(stats.notifications_sent == 3);
  CHECK(stats.notifications_rejected == 0);
  CHECK(stats.faults_injected == 0);
}

TEST_CASE("the consent redirect carries the code and the state", "[e2e][sandbox]") {
  Harness h;
  std::string location = h.sandbox->authorize_as("C0000003", h.authorize_url("s+t/a=te"));
  CHECK(location.rfind(h.profile.redirect_uri + "?code=", 0) == 0);
  CHECK(query_param(location, "state") == "s+t/a=te");
  CHECK(query_param(location, "code").value_or("").size() >= 43);

  SECTION("the citizen can also be named by a query parameter") {
    Http browser(h.sandbox->credentials().ca_file);
    HttpResponse res = browser.get(h.authorize_url() + "&citizen=C0000004");
    CHECK(res.status == 302);
    CHECK(query_param(res.header("location"), "code"));
  }
  SECTION("a request without state or with a wrong response_type is redirected with an error") {
    std::string no_state = h.profile.authorize_base_url + h.profile.authorize_path +
                           "?response_type=code&client_id=" + url_encode(h.profile.client_id) +
                           "&redirect_uri=" + url_encode(h.profile.redirect_uri) + "&login_type=0";
    CHECK(query_param(h.sandbox->authorize_as("C0000003", no_state), "error") == "invalid_request");
    std::string token_type = h.authorize_url();
    token_type.replace(token_type.find("response_type=code"), 18, "response_type=token");
    CHECK(query_param(h.sandbox->authorize_as("C0000003", token_type), "error") == "unsupported_response_type");
  }
}

TEST_CASE("a wrong client_id or redirect_uri at authorize gives a 400 page and no redirect", "[e2e][sandbox]") {
  Harness h;
  Http browser(h.sandbox->credentials().ca_file);
  std::string url = h.authorize_url();
  std::string wrong_redirect = url;
  wrong_redirect.replace(wrong_redirect.find("callback"), 8, "evil");
  HttpResponse res = browser.get(wrong_redirect);
  CHECK(res.status == 400);
  CHECK(res.header("location").empty());
  CHECK(h.sandbox->authorize_as("C0000001", wrong_redirect).empty());

  std::string wrong_client = url;
  wrong_client.replace(wrong_client.find("AA0003"), 6, "ZZ9999");
  res = browser.get(wrong_client);
  CHECK(res.status == 400);
  CHECK(res.header("location").empty());
}

TEST_CASE("the API host refuses the TLS handshake without a client certificate", "[e2e][sandbox]") {
  Harness h;
  std::string code = h.code_for("C0000001");
  Http no_cert(h.sandbox->credentials().ca_file);
  HttpResponse res =
      no_cert.post(h.url(h.profile.token_path), "grant_type=authorization_code&code=" + url_encode(code) +
                                                    "&redirect_uri=" + url_encode(h.profile.redirect_uri) +
                                                    "&client_id=" + url_encode(h.profile.client_id));
  CHECK(res.code != CURLE_OK);  // no HTTP exchange at all: mutual TLS failed
  CHECK(res.status == 0);
  // The code was not spent by the refused call.
  CHECK(h.exchange(code).status == 200);
}

TEST_CASE("token responses follow the wire profile", "[e2e][sandbox]") {
  Harness h;
  HttpResponse res = h.exchange(h.code_for("C0000002"));
  REQUIRE(res.status == 200);
  CHECK(res.header("content-type").rfind("application/json", 0) == 0);
  CHECK(res.header("cache-control") == "no-store");
  CHECK(res.body.find("\"token_type\":\"Bearer\"") != std::string::npos);
  CHECK(res.body.find("\"expires_in\":3600") != std::string::npos);
  CHECK(res.body.find("\"grant_expires_in\":7776000") != std::string::npos);
  CHECK_FALSE(Harness::json_string(res.body, "refresh_token").empty());

  SECTION("refresh_token gives a new access token that works") {
    std::string refresh = Harness::json_string(res.body, "refresh_token");
    HttpResponse again =
        h.api.post(h.url(h.profile.token_path), "grant_type=refresh_token&refresh_token=" + url_encode(refresh) +
                                                    "&client_id=" + url_encode(h.profile.client_id));
    REQUIRE(again.status == 200);
    std::string access = Harness::json_string(again.body, "access_token");
    CHECK(access != Harness::json_string(res.body, "access_token"));
    auto q = make_query(RecordType::drug, "20240101", "20240131").value();
    CHECK(h.send_request(access, next_telegram_id(h.profile), q).status == 200);
  }
  SECTION("an unknown grant type and a wrong client_id are refused with JSON") {
    HttpResponse bad =
        h.api.post(h.url(h.profile.token_path), "grant_type=password&client_id=" + url_encode(h.profile.client_id));
    CHECK(bad.status == 400);
    CHECK(Harness::json_string(bad.body, "error") == "unsupported_grant_type");
    bad = h.api.post(h.url(h.profile.token_path), "grant_type=authorization_code&code=x&client_id=SP1_X");
    CHECK(bad.status == 401);
    CHECK(Harness::json_string(bad.body, "error") == "invalid_client");
  }
}

TEST_CASE("a reused code is refused and revokes the tokens issued from it", "[e2e][sandbox]") {
  Harness h;
  std::string code = h.code_for("C0000001");
  HttpResponse first = h.exchange(code);
  REQUIRE(first.status == 200);
  std::string token = Harness::json_string(first.body, "access_token");
  auto q = make_query(RecordType::drug, "20240101", "20240131").value();
  REQUIRE(h.send_request(token, next_telegram_id(h.profile), q).status == 200);

  HttpResponse second = h.exchange(code);
  CHECK(second.status == 400);
  CHECK(Harness::json_string(second.body, "error") == "invalid_grant");
  HttpResponse refused = h.send_request(token, next_telegram_id(h.profile), q);
  CHECK(refused.status == 401);
  CHECK(Harness::json_string(refused.body, "error") == "invalid_token");
}

TEST_CASE("the token request must repeat the authorize call's redirect_uri", "[e2e][sandbox]") {
  Harness h;
  std::string code = h.code_for("C0000001");
  HttpResponse res =
      h.api.post(h.url(h.profile.token_path), "grant_type=authorization_code&code=" + url_encode(code) +
                                                  "&redirect_uri=" + url_encode("https://127.0.0.1/other") +
                                                  "&client_id=" + url_encode(h.profile.client_id));
  CHECK(res.status == 400);
  CHECK(Harness::json_string(res.body, "error") == "invalid_grant");
  CHECK(h.exchange("not-a-code").status == 400);
}

TEST_CASE("PKCE: the verifier must match the S256 challenge", "[e2e][sandbox]") {
  Harness h;
  // RFC 7636 appendix B.
  const std::string verifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
  const std::string challenge = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";
  std::string extra = "&code_challenge=" + challenge + "&code_challenge_method=S256";
  CHECK(h.exchange(h.code_for("C0000001", extra)).status == 400);  // verifier missing
  CHECK(h.exchange(h.code_for("C0000001", extra), "&code_verifier=" + verifier + "x").status == 400);
  CHECK(h.exchange(h.code_for("C0000001", extra), "&code_verifier=" + verifier).status == 200);
  std::string plain = h.sandbox->authorize_as(
      "C0000001", h.authorize_url("s", "&code_challenge=" + challenge + "&code_challenge_method=plain"));
  CHECK(query_param(plain, "error") == "invalid_request");
}

TEST_CASE("refusing and expired-certificate citizens get the documented redirects", "[e2e][sandbox]") {
  sandbox::SandboxOptions options;
  options.denying_citizens = {"C0000010"};
  options.expired_certificate_citizens = {"C0000011"};
  Harness h(options);
  std::string first = h.sandbox->authorize_as("C0000010", h.authorize_url("abc"));
  std::string second = h.sandbox->authorize_as("C0000010", h.authorize_url("abc"));
  CHECK(first == h.profile.redirect_uri + "?error=access_denied&state=abc");
  CHECK(second == h.profile.redirect_uri + "?code=access_denied&state=abc");
  CHECK(h.sandbox->authorize_as("C0000011", h.authorize_url("abc")) ==
        h.profile.redirect_uri + "?state=Certificate%20expired");
}

TEST_CASE("request telegrams are checked and idempotent on telegramId", "[e2e][sandbox]") {
  sandbox::SandboxOptions options;
  options.notification_delay = 1500ms;
  Harness h(options);
  Session s = h.sign_in("C0000005");
  auto q = make_query(RecordType::drug, "20240101", "20241231").value();
  std::string tid = next_telegram_id(h.profile);

  HttpResponse first = h.send_request(s.access_token, tid, q);
  HttpResponse again = h.send_request(s.access_token, tid, q);
  REQUIRE(first.status == 200);
  REQUIRE(again.status == 200);
  std::string pid = h.header_of(first).process_id;
  CHECK(h.header_of(again).process_id == pid);
  CHECK(h.sandbox->stats().processes_created == 1);
  CHECK(h.sandbox->stats().requests == 2);

  SECTION("the result before the notification answers E0006") {
    HttpResponse early = h.fetch_result(s.access_token, tid, pid);
    CHECK(early.status == 200);
    CHECK(h.header_of(early).error_code == "E0006");
    CHECK(h.header_of(early).process_id == pid);
    REQUIRE(h.endpoint.wait_for_process(pid));
    HttpResponse ready = h.fetch_result(s.access_token, tid, pid);
    CHECK(ready.status == 200);
    CHECK(h.header_of(ready).error_code.empty());
  }
  SECTION("an unknown processId is a 404 with E0002, counted") {
    HttpResponse res = h.fetch_result(s.access_token, tid, "P999999999999");
    CHECK(res.status == 404);
    CHECK(h.header_of(res).error_code == "E0002");
    CHECK(h.sandbox->stats().result_fetches_for_unknown_process == 1);
    // Another citizen's process is unknown to this one.
    Session other = h.sign_in("C0000006");
    CHECK(h.fetch_result(other.access_token, tid, pid).status == 404);
  }
  SECTION("a result request with another telegramId is malformed") {
    HttpResponse res = h.fetch_result(s.access_token, next_telegram_id(h.profile), pid);
    CHECK(res.status == 400);
    CHECK(h.header_of(res).error_code == "E0001");
  }
  SECTION("a telegramId reused for another filter is refused") {
    auto other = make_query(RecordType::drug, "20240101", "20240131").value();
    HttpResponse res = h.send_request(s.access_token, tid, other);
    CHECK(res.status == 400);
    CHECK(h.header_of(res).error_code == "E0001");
  }
  SECTION("malformed telegrams answer 400 with E0001") {
    auto post = [&](const std::string& body) {
      return h.api.post(h.url(h.profile.request_path), body, Harness::bearer(s.access_token));
    };
    auto telegram = [&](const std::string& id, const std::string& type, const std::string& filter) {
      return codec::encode_request({{id, type, "1", "", ""}, filter});
    };
    std::string filter = q.to_filter(h.profile);
    for (const std::string& body :
         {std::string("{not json"), telegram("TL-00000086-260101093000-001", h.profile.request_type, filter),
          telegram("TL-00000099-260101093000-0001", h.profile.request_type, filter),
          telegram("TL-00000086-261301093000-0001", h.profile.request_type, filter),
          telegram(next_telegram_id(h.profile), "IFA0303-R01", filter),
          telegram(next_telegram_id(h.profile), h.profile.request_type, "InfoType=9&Date=20240101-20241231"),
          telegram(next_telegram_id(h.profile), h.profile.request_type, "InfoType=1&Date=20241231-20240101")}) {
      HttpResponse res = post(body);
      CHECK(res.status == 400);
      CHECK(h.header_of(res).error_code == "E0001");
    }
  }
}

TEST_CASE("bearer tokens: missing, unknown and revoked tokens get 401 with JSON", "[e2e][sandbox]") {
  Harness h;
  Session s = h.sign_in("C0000008");
  auto q = make_query(RecordType::expense, "20240101", "20241231").value();
  HttpResponse none = h.api.post(h.url(h.profile.request_path), "{}");
  CHECK(none.status == 401);
  CHECK(Harness::json_string(none.body, "error") == "invalid_token");
  CHECK(none.header("www-authenticate").rfind("Bearer", 0) == 0);
  CHECK(h.send_request("nonsense", next_telegram_id(h.profile), q).status == 401);
  CHECK(h.send_request(s.refresh_token, next_telegram_id(h.profile), q).status == 401);
  CHECK(h.send_request(s.access_token, next_telegram_id(h.profile), q).status == 200);
  h.sandbox->revoke_tokens("C0000008");
  CHECK(h.send_request(s.access_token, next_telegram_id(h.profile), q).status == 401);
}

TEST_CASE("tokens expire after token_lifetime", "[e2e][sandbox]") {
  sandbox::SandboxOptions options;
  options.token_lifetime = std::chrono::seconds(1);
  Harness h(options);
  Session s = h.sign_in("C0000009");
  auto q = make_query(RecordType::drug, "20240101", "20241231").value();
  CHECK(h.send_request(s.access_token, next_telegram_id(h.profile), q).status == 200);
  std::this_thread::sleep_for(1100ms);
  HttpResponse expired = h.send_request(s.access_token, next_telegram_id(h.profile), q);
  CHECK(expired.status == 401);
  CHECK(expired.body.find("expired") != std::string::npos);
}

TEST_CASE("plain HTTP mode and round-robin notification URLs", "[e2e][sandbox]") {
  sandbox::SandboxOptions options;
  options.tls = false;
  Harness h(options, false);
  REQUIRE(h.sandbox->base_url().rfind("http://127.0.0.1:", 0) == 0);
  ProviderEndpoint second(h.sandbox->credentials(), h.profile, false);
  h.sandbox->set_notification_urls({h.endpoint.url(), second.url()});
  Session s = h.sign_in("C0000012");
  REQUIRE_FALSE(s.access_token.empty());  // no client certificate over plain HTTP
  auto q = make_query(RecordType::drug, "20240101", "20241231").value();
  for (int i = 0; i < 4; ++i) REQUIRE(h.send_request(s.access_token, next_telegram_id(h.profile), q).status == 200);
  CHECK(h.endpoint.wait_for(2).size() == 2);
  CHECK(second.wait_for(2).size() == 2);
  CHECK(Harness::eventually([&] { return h.sandbox->stats().notifications_acked == 4; }));
  h.sandbox->stop();  // closes the notifier's keep-alive connections before `second` stops
}

TEST_CASE("a wrong notification reply is counted as rejected", "[e2e][sandbox]") {
  Harness h;
  h.endpoint.set_policy(ProviderEndpoint::Policy::echo_known);  // knows no process: answers 404
  Session s = h.sign_in("C0000013");
  auto q = make_query(RecordType::drug, "20240101", "20241231").value();
  REQUIRE(h.send_request(s.access_token, next_telegram_id(h.profile), q).status == 200);
  CHECK(Harness::eventually([&] { return h.sandbox->stats().notifications_rejected == 1; }));
  CHECK(h.sandbox->stats().notifications_acked == 0);
}

TEST_CASE("a port that is taken is reported", "[e2e][sandbox]") {
  auto first = sandbox::Sandbox::start({});
  sandbox::SandboxOptions options;
  options.port = first->port();
  options.state_dir = sandbox::make_temp_dir("myna-sandbox-test");
  CHECK_THROWS_AS(sandbox::Sandbox::start(options), std::runtime_error);
  for (const char* f : {"ca.pem", "client.pem", "client-key.pem", "server.pem", "server-key.pem", "listener.pem",
                        "listener-key.pem", "notifier.pem", "notifier-key.pem"})
    std::remove((options.state_dir + "/" + f).c_str());
  CHECK(std::remove(options.state_dir.c_str()) == 0);  // the given directory stays, with our files
}
