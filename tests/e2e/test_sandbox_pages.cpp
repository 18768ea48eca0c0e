// The sandbox's Mynaportal pages over real loopback HTTPS (raw libcurl, no SDK): sign-in with
// the card, the consent question per information type, the redirects of every ending, and
// the service refusing a telegram for a type the token does not grant.
#include <catch2/catch.hpp>

#include "e2e/harness.hpp"

using namespace myna;
using namespace myna::test;

namespace {

constexpr const char* kForm = "Content-Type: application/x-www-form-urlencoded";

std::string session_of(const std::string& page) {
  const std::string marker = "name=\"session\" value=\"";
  auto at = page.find(marker);
  if (at == std::string::npos) return {};
  at += marker.size();
  return page.substr(at, page.find('"', at) - at);
}

struct Browser {
  Harness& h;
  Http http;
  explicit Browser(Harness& harness) : h(harness), http(harness.sandbox->credentials().ca_file) {}

  /// Opens the consent page flow; the session id of the sign-in page.
  std::string open(const std::string& extra = "&scope=checkups") {
    HttpResponse page = http.get(h.authorize_url("st4te", extra));
    REQUIRE(page.status == 200);
    return session_of(page.body);
  }
  HttpResponse sign_in(const std::string& session, const std::string& citizen, const std::string& pin = "1234") {
    return http.post(h.profile.authorize_base_url + h.profile.authorize_path + "/sign-in",
                     "session=" + url_encode(session) + "&citizen=" + citizen + "&pin=" + pin, {kForm});
  }
  HttpResponse decide(const std::string& session, const std::string& decision) {
    return http.post(h.profile.authorize_base_url + h.profile.authorize_path + "/decision",
                     "session=" + url_encode(session) + "&decision=" + decision, {kForm});
  }
};

sandbox::SandboxOptions special_citizens() {
  sandbox::SandboxOptions o;
  o.notification_delay = std::chrono::milliseconds(30);
  o.expired_certificate_citizens = {"C0000008"};
  o.denying_citizens = {"C0000009"};
  return o;
}

}  // namespace

TEST_CASE("the consent pages: sign-in with the card, then consent per information type", "[e2e][sandbox][pages]") {
  Harness h(special_citizens());
  Browser b(h);
  HttpResponse page = b.http.get(h.authorize_url("st4te", "&scope=checkups"));
  REQUIRE(page.status == 200);
  CHECK(page.header("content-type").rfind("text/html", 0) == 0);
  CHECK(page.header("content-security-policy").find("default-src 'none'") != std::string::npos);
  CHECK(page.body.find("<html lang=\"ja\">") != std::string::npos);
  CHECK(page.body.find("マイナンバーカードで本人確認") != std::string::npos);
  for (const char* offered : {"C0000001", "C0000005", "C0000008", "C0000009", "N0000001"})
    CHECK(page.body.find(std::string("<label for=\"citizen-") + offered + "\"") != std::string::npos);
  CHECK(page.body.find("<label class=\"field\" for=\"pin\">") != std::string::npos);
  const std::string session = session_of(page.body);
  REQUIRE(session.size() >= 32);

  HttpResponse wrong_pin = b.sign_in(session, "C0000004", "12");
  CHECK(wrong_pin.status == 400);
  CHECK(wrong_pin.body.find("role=\"alert\"") != std::string::npos);

  HttpResponse consent = b.sign_in(session, "C0000004");
  REQUIRE(consent.status == 200);
  CHECK(consent.body.find("情報提供の同意") != std::string::npos);
  CHECK(consent.body.find("<strong>特定健診情報</strong>") != std::string::npos);
  CHECK(consent.body.find("<strong>薬剤情報</strong>") == std::string::npos);
  CHECK(consent.body.find("サンドボックス健康アプリ") != std::string::npos);
  CHECK(consent.body.find(">同意する</button>") != std::string::npos);
  CHECK(consent.body.find(">同意しない</button>") != std::string::npos);

  HttpResponse agreed = b.decide(session, "agree");
  REQUIRE(agreed.status == 303);
  const std::string location = agreed.header("location");
  CHECK(location.rfind(h.profile.redirect_uri + "?code=", 0) == 0);
  CHECK(query_param(location, "state") == "st4te");
  CHECK(b.decide(session, "agree").status == 400);  // one answer per session

  SECTION("the token grants 特定健診情報 only, and the service holds to it") {
    HttpResponse token = h.exchange(query_param(location, "code").value_or(""));
    REQUIRE(token.status == 200);
    CHECK(Harness::json_string(token.body, "scope") == "checkups");
    const std::string access = Harness::json_string(token.body, "access_token");
    const auto before = h.sandbox->stats().processes_created;
    auto drugs = make_query(RecordType::drug, "20240101", "20241231").value();
    HttpResponse refused = h.send_request(access, next_telegram_id(h.profile), drugs);
    CHECK(refused.status == 200);
    CHECK(h.header_of(refused).error_code == "E0008");
    CHECK(h.header_of(refused).process_id.empty());
    CHECK(h.sandbox->stats().processes_created == before);
    auto checkups = make_query(RecordType::checkup, "20240101", "20241231").value();
    HttpResponse accepted = h.send_request(access, next_telegram_id(h.profile), checkups);
    CHECK(h.header_of(accepted).error_code.empty());
    CHECK_FALSE(h.header_of(accepted).process_id.empty());
  }
}

TEST_CASE("the consent pages end in the documented redirects", "[e2e][sandbox][pages]") {
  Harness h(special_citizens());
  Browser b(h);
  SECTION("同意しない") {
    const std::string session = b.open();
    REQUIRE(b.sign_in(session, "C0000002").status == 200);
    HttpResponse denied = b.decide(session, "deny");
    CHECK(denied.status == 303);
    CHECK(query_param(denied.header("location"), "error") == "access_denied");
    CHECK(query_param(denied.header("location"), "state") == "st4te");
  }
  SECTION("an expired card certificate ends at the sign-in") {
    HttpResponse expired = b.sign_in(b.open(), "C0000008");
    CHECK(expired.status == 303);
    CHECK(query_param(expired.header("location"), "state") == "Certificate expired");
  }
  SECTION("a refusing citizen ends at the sign-in") {
    HttpResponse refused = b.sign_in(b.open(), "C0000009");
    CHECK(refused.status == 303);
    const std::string location = refused.header("location");
    CHECK((query_param(location, "error") == "access_denied" || query_param(location, "code") == "access_denied"));
  }
  SECTION("a citizen not registered at Mynaportal") {
    HttpResponse unregistered = b.sign_in(b.open(), "N0000001");
    CHECK(unregistered.status == 303);
    CHECK(query_param(unregistered.header("location"), "error") == "not_registered");
    CHECK(query_param(unregistered.header("location"), "state") == "st4te");
    // The immediate flow answers the same.
    CHECK(query_param(h.sandbox->authorize_as("N0000001", h.authorize_url()), "error") == "not_registered");
  }
  SECTION("an unknown or spent session, a decision before the card, an unknown type") {
    CHECK(b.sign_in("no-such-session", "C0000001").status == 400);
    CHECK(b.decide(b.open(), "agree").status == 400);
    HttpResponse bad_scope = b.http.get(h.authorize_url("st4te", "&scope=checkups%20vaccines"));
    CHECK(bad_scope.status == 302);
    CHECK(query_param(bad_scope.header("location"), "error") == "invalid_scope");
  }
}

TEST_CASE("the immediate flow grants the types asked for, or all without scope", "[e2e][sandbox][pages]") {
  Harness h;
  HttpResponse drugs_only = h.exchange(h.code_for("C0000003", "&scope=drugs"));
  CHECK(Harness::json_string(drugs_only.body, "scope") == "drugs");
  HttpResponse all = h.exchange(h.code_for("C0000003"));
  CHECK(Harness::json_string(all.body, "scope") == "drugs checkups expenses");
}
