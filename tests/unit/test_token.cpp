#include <catch2/catch.hpp>

#include <atomic>
#include <sstream>

#include "myna/auth/token.hpp"
#include "myna/testing/fake_transport.hpp"
#include "unit/form.hpp"

using namespace myna;
using std::chrono::hours;
using std::chrono::seconds;
using SysClock = std::chrono::system_clock;
using myna::testing::FakeTransport;

namespace {

const SysClock::time_point kNow = SysClock::time_point(seconds(1'767'225'600));  // 2026-01-01T00:00:00Z
const SysClock::time_point kGranted = kNow - hours(24);

Result<Token> parse(int status, std::string_view body, const Profile& profile = Profile{}) {
  return parse_token_response(status, body, profile, kNow, kGranted);
}

Error parse_error(int status, std::string_view body) {
  auto r = parse(status, body);
  INFO(body);
  REQUIRE_FALSE(r.ok());
  return r.error();
}

}  // namespace

TEST_CASE("parse_token_response: success fields", "[token]") {
  auto token = parse(200, R"({"access_token":"AT-1","token_type":"Bearer","expires_in":3600,)"
                          R"("refresh_token":"RT-1","grant_expires_in":7776000,"scope":["x",{"y":1}]})");
  REQUIRE(token.ok());
  CHECK(token->access_token.reveal() == "AT-1");
  CHECK(token->refresh_token.reveal() == "RT-1");
  CHECK(token->expires_at == kNow + seconds(3600));
  CHECK(token->granted_at == kGranted);
  CHECK(token->grant_expires_at == kGranted + seconds(7776000));
}

TEST_CASE("parse_token_response: defaults from the profile", "[token]") {
  Profile profile;
  profile.default_token_lifetime = seconds(1800);
  profile.grant_period = hours(24 * 30);
  auto token = parse(200, R"({"access_token":"AT-2","token_type":"bearer","expires_in":"120"})", profile);
  REQUIRE(token.ok());
  CHECK(token->expires_at == kNow + seconds(120));  // digits as a string are accepted
  CHECK(token->grant_expires_at == kGranted + hours(24 * 30));
  CHECK(token->refresh_token.empty());

  auto minimal = parse(201, R"({"access_token":"AT-3","refresh_token":null})", profile);
  REQUIRE(minimal.ok());
  CHECK(minimal->expires_at == kNow + seconds(1800));
}

TEST_CASE("parse_token_response: broken success bodies are protocol errors", "[token]") {
  for (const char* body : {
           R"({"token_type":"Bearer"})",                // no access_token
           R"({"access_token":""})",                    // empty
           R"({"access_token":42})",                    // wrong type
           R"({"access_token":{"v":"x"}})",             // nested
           R"({"access_token":"AT","expires_in":-5})",  // negative
           R"({"access_token":"AT","expires_in":0})",
           R"({"access_token":"AT","expires_in":"12a"})",
           R"({"access_token":"AT","expires_in":1.5})",
           R"({"access_token":"AT","grant_expires_in":99999999999999})",  // out of range
           R"({"access_token":"AT","token_type":"mac"})",
           R"({"access_token":"AT","refresh_token":7})",
           R"({"access_token":"AT",)",  // malformed
           R"(["access_token"])",
           R"("AT")",
           "",
       }) {
    const Error e = parse_error(200, body);
    CHECK(e.category() == ErrorCategory::protocol);
  }
}

TEST_CASE("parse_token_response: OAuth error bodies name the error code", "[token]") {
  SECTION("401 invalid_grant") {
    const Error e = parse_error(401, R"({"error":"invalid_grant","error_description":"code SECRET-CODE is used"})");
    CHECK(e.category() == ErrorCategory::auth);
    CHECK(e.service_code() == "invalid_grant");
    CHECK(e.http_status() == 401);
    CHECK(e.message().find("invalid_grant") != std::string::npos);
    CHECK(e.message().find("consent again") != std::string::npos);
    CHECK(e.to_string().find("SECRET-CODE") == std::string::npos);  // descriptions are not echoed
  }
  SECTION("400 invalid_client") {
    const Error e = parse_error(400, R"({"error":"invalid_client"})");
    CHECK(e.category() == ErrorCategory::auth);
    CHECK(e.service_code() == "invalid_client");
    CHECK(e.message().find("client certificate") != std::string::npos);
  }
  SECTION("a strange error value is not copied into the message") {
    const Error e = parse_error(400, R"({"error":"<script>\n"})");
    CHECK(e.service_code() == "unrecognised");
    CHECK(e.message().find("<script>") == std::string::npos);
  }
  SECTION("non-JSON 4xx and 5xx") {
    CHECK(parse_error(401, "Unauthorized").category() == ErrorCategory::auth);
    CHECK(parse_error(403, "").category() == ErrorCategory::auth);
    CHECK(parse_error(404, "not here").category() == ErrorCategory::http);
    CHECK(parse_error(429, "").category() == ErrorCategory::rate_limited);
    const Error e = parse_error(500, R"({"error":"server_error"})");
    CHECK(e.category() == ErrorCategory::http);
    CHECK(e.http_status() == 500);
    CHECK(parse_error(502, "<html>").category() == ErrorCategory::http);
  }
}

TEST_CASE("Token prints times, never tokens", "[token][security]") {
  Token token;
  token.access_token = SecretString("AT-PRINT-ME-NOT");
  token.refresh_token = SecretString("RT-PRINT-ME-NOT");
  token.expires_at = kNow;
  token.grant_expires_at = kNow + hours(24);
  token.granted_at = kGranted;
  std::ostringstream os;
  os << token;
  CHECK(os.str() ==
        "Token{expires_at=2026-01-01T00:00:00Z, grant_expires_at=2026-01-02T00:00:00Z, "
        "granted_at=2025-12-31T00:00:00Z, refresh_token=yes, types=drugs,checkups,expenses}");
  token.record_types = {RecordType::checkup};
  std::ostringstream one;
  one << token;
  CHECK(one.str().find("types=checkups}") != std::string::npos);
}

namespace {

struct SeenRequest {
  std::string method, url, body, content_type;
  bool idempotent = true, body_secret = false;
};

/// A transport that remembers the last request (with its flags) and answers with `answer`.
std::shared_ptr<FakeTransport> recording(SeenRequest& seen, std::atomic<int>& calls, Result<HttpResponse> answer) {
  return std::make_shared<FakeTransport>([&seen, &calls, answer](const HttpRequest& r) -> Result<HttpResponse> {
    ++calls;
    seen = SeenRequest{r.method, r.url, r.body, "", r.idempotent, r.body_secret};
    for (const auto& h : r.headers)
      if (h.name == "Content-Type") seen.content_type = h.value;
    return answer;
  });
}

Profile test_profile() {
  Profile p;
  p.api_base_url = "https://sp.example.jp";
  p.redirect_uri = "https://provider.example.jp/callback?a=1";
  return p;
}

}  // namespace

TEST_CASE("TokenClient::exchange_code sends one form POST and parses the answer", "[token][client]") {
  SeenRequest seen;
  std::atomic<int> calls{0};
  auto transport = recording(seen, calls, FakeTransport::json(200, R"({"access_token":"AT-X","expires_in":600})"));
  Profile profile = test_profile();
  TokenClient client(profile, transport);
  client.set_clock([] { return kNow; });

  auto token = client.exchange_code(SecretString("code/with+special&chars"), SecretString(), Context());
  REQUIRE(token.ok());
  CHECK(calls == 1);
  CHECK(seen.method == "POST");
  CHECK(seen.url == "https://sp.example.jp/online-authorization-web/oauth/token");
  CHECK(seen.content_type == "application/x-www-form-urlencoded");
  CHECK_FALSE(seen.idempotent);
  CHECK(seen.body_secret);
  const auto form = test::decode_form(seen.body);
  CHECK(form.size() == 4);
  CHECK(form.at("grant_type") == "authorization_code");
  CHECK(form.at("code") == "code/with+special&chars");
  CHECK(form.at("redirect_uri") == profile.redirect_uri);
  CHECK(form.at("client_id") == profile.client_id);
  CHECK(token->access_token.reveal() == "AT-X");
  CHECK(token->granted_at == kNow);
  CHECK(token->expires_at == kNow + seconds(600));
  CHECK(token->grant_expires_at == kNow + profile.grant_period);
}

TEST_CASE("TokenClient::exchange_code sends the PKCE verifier", "[token][client][pkce]") {
  SeenRequest seen;
  std::atomic<int> calls{0};
  auto transport = recording(seen, calls, FakeTransport::json(200, R"({"access_token":"AT"})"));
  Profile profile = test_profile();
  profile.use_pkce = true;
  TokenClient client(profile, transport);
  auto missing = client.exchange_code(SecretString("c"), SecretString(), Context());
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.error().category() == ErrorCategory::validation);
  CHECK(calls == 0);

  REQUIRE(client.exchange_code(SecretString("c"), SecretString("the-verifier"), Context()).ok());
  CHECK(test::decode_form(seen.body).at("code_verifier") == "the-verifier");
}

TEST_CASE("TokenClient never retries: a code is single-use", "[token][client]") {
  SeenRequest seen;
  std::atomic<int> calls{0};
  SECTION("5xx") {
    auto transport = recording(seen, calls, FakeTransport::json(503, "{}"));
    TokenClient client(test_profile(), transport);
    auto token = client.exchange_code(SecretString("c"), SecretString(), Context());
    REQUIRE_FALSE(token.ok());
    CHECK(token.error().category() == ErrorCategory::http);
    CHECK(calls == 1);
  }
  SECTION("network error") {
    auto transport = recording(seen, calls, Error(ErrorCategory::network, "connection reset"));
    TokenClient client(test_profile(), transport);
    auto token = client.exchange_code(SecretString("c"), SecretString(), Context());
    REQUIRE_FALSE(token.ok());
    CHECK(token.error().category() == ErrorCategory::network);
    CHECK(calls == 1);
  }
  SECTION("401 with a JSON body") {
    auto transport = recording(seen, calls, FakeTransport::json(401, R"({"error":"invalid_grant"})"));
    TokenClient client(test_profile(), transport);
    auto token = client.exchange_code(SecretString("c"), SecretString(), Context());
    REQUIRE_FALSE(token.ok());
    CHECK(token.error().category() == ErrorCategory::auth);
    CHECK(token.error().service_code() == "invalid_grant");
    CHECK(calls == 1);
  }
}

TEST_CASE("TokenClient::refresh keeps the grant", "[token][client][refresh]") {
  SeenRequest seen;
  std::atomic<int> calls{0};
  auto transport = recording(
      seen, calls, FakeTransport::json(200, R"({"access_token":"AT-NEW","expires_in":900,"grant_expires_in":5})"));
  Profile profile = test_profile();
  profile.supports_refresh = true;
  TokenClient client(profile, transport);
  client.set_clock([] { return kNow; });

  Token old;
  old.access_token = SecretString("AT-OLD");
  old.refresh_token = SecretString("RT-OLD");
  old.granted_at = kGranted;
  old.grant_expires_at = kGranted + hours(24 * 90);
  old.expires_at = kNow - seconds(1);

  auto fresh = client.refresh(old, Context());
  REQUIRE(fresh.ok());
  const auto form = test::decode_form(seen.body);
  CHECK(form.size() == 3);
  CHECK(form.at("grant_type") == "refresh_token");
  CHECK(form.at("refresh_token") == "RT-OLD");
  CHECK(form.at("client_id") == profile.client_id);
  CHECK_FALSE(seen.idempotent);
  CHECK(fresh->access_token.reveal() == "AT-NEW");
  CHECK(fresh->refresh_token.reveal() == "RT-OLD");  // not rotated: the old one stays
  CHECK(fresh->granted_at == old.granted_at);
  CHECK(fresh->grant_expires_at == old.grant_expires_at);
  CHECK(fresh->expires_at == kNow + seconds(900));

  Profile no_refresh = test_profile();
  TokenClient plain(no_refresh, transport);
  auto refused = plain.refresh(old, Context());
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.error().category() == ErrorCategory::validation);
  CHECK(calls == 1);
}
