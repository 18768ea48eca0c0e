// Secrets (tokens, codes, state, verifier) never reach a log line, an error message or
// operator<< output: every such text produced along the auth paths is scanned.
#include <catch2/catch.hpp>

#include <mutex>
#include <sstream>

#include "myna/auth/consent.hpp"
#include "myna/auth/token.hpp"
#include "myna/testing/fake_transport.hpp"
#include "unit/form.hpp"

using namespace myna;
using myna::testing::FakeTransport;

namespace {

const std::vector<std::string> kSecrets = {"AT-SECRET-7f3a", "RT-SECRET-91bc", "CODE-SECRET-55d2"};

struct Texts {
  std::mutex mu;
  std::vector<std::string> all;
  void add(std::string text) {
    std::lock_guard<std::mutex> lock(mu);
    all.push_back(std::move(text));
  }
  Logger logger() {
    auto sink = [this](LogLevel level, std::string_view line) {
      add(std::string(to_string(level)) + " " + std::string(line));
    };
    return Logger(sink, LogLevel::trace);
  }
  template <class T>
  void add_result(const Result<T>& r) {
    if (!r.ok()) {
      add(r.error().to_string());
      std::ostringstream os;
      os << r.error();
      add(os.str());
    }
  }
};

void check_clean(const std::vector<std::string>& texts, const std::vector<std::string>& secrets) {
  REQUIRE_FALSE(texts.empty());
  for (const auto& text : texts)
    for (const auto& secret : secrets) {
      INFO("text: " << text);
      CHECK(text.find(secret) == std::string::npos);
    }
}

}  // namespace

TEST_CASE("no secret in logs, errors or printed values", "[security][redaction]") {
  Texts texts;
  Profile profile;
  profile.supports_refresh = true;
  profile.use_pkce = true;

  // Consent: the state and verifier are secrets too.
  auto consent = begin_consent(profile).value();
  const std::string state(consent.state.reveal());
  const std::string verifier(consent.code_verifier.reveal());
  std::vector<std::string> secrets = kSecrets;
  secrets.push_back(state);
  secrets.push_back(verifier);
  {
    std::ostringstream os;
    os << consent.state << consent.code_verifier;
    texts.add(os.str());
    CHECK(os.str() == "[redacted][redacted]");
  }
  texts.add(consent.url.substr(0, consent.url.find('?')));
  for (const std::string& redirect :
       std::vector<std::string>{"?code=" + kSecrets[2] + "&state=" + state + "-tampered", "?code=" + kSecrets[2],
                                "?state=" + state, "?code=" + kSecrets[2] + "&code=" + kSecrets[2] + "&state=" + state,
                                "?error=invalid_request&error_description=bad&state=" + state}) {
    texts.add_result(parse_redirect(redirect, consent.state));
    texts.add_result(consent_code(redirect, consent.state));
  }

  // Token endpoint: success, OAuth errors echoing secrets in their description, network error.
  int answer = 0;
  auto transport = std::make_shared<FakeTransport>([&](const HttpRequest&) -> Result<HttpResponse> {
    switch (answer) {
      case 0:
        return FakeTransport::json(200, R"({"access_token":"AT-SECRET-7f3a","refresh_token":"RT-SECRET-91bc",)"
                                        R"("expires_in":1})");
      case 1:
        return FakeTransport::json(401, R"({"error":"invalid_grant","error_description":"RT-SECRET-91bc is dead"})");
      case 2: return FakeTransport::json(200, R"({"access_token":7,"refresh_token":"RT-SECRET-91bc"})");
      default: return Error(ErrorCategory::network, "connection reset");
    }
  });
  auto client = std::make_shared<TokenClient>(profile, transport, texts.logger());
  auto token = client->exchange_code(SecretString(kSecrets[2]), consent.code_verifier, Context());
  REQUIRE(token.ok());
  {
    std::ostringstream os;
    os << *token << token->access_token << token->refresh_token;
    texts.add(os.str());
  }
  auto store = make_memory_token_store();
  TokenProvider provider(profile, store, client, texts.logger());
  REQUIRE(store->save("citizen", *token).ok());
  for (answer = 1; answer <= 3; ++answer) {
    texts.add_result(provider.access_token("citizen", Context()));  // expires within the margin: refresh
    texts.add_result(client->exchange_code(SecretString(kSecrets[2]), consent.code_verifier, Context()));
  }
  provider.invalidate("citizen", token->access_token);
  texts.add_result(provider.access_token("missing", Context()));

  // The form body did carry the secrets (so the scan above is meaningful).
  const auto sent = transport->sent();
  REQUIRE_FALSE(sent.empty());
  CHECK(test::decode_form(sent.front().body).at("code") == kSecrets[2]);

  check_clean(texts.all, secrets);
}
