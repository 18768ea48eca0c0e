#include <catch2/catch.hpp>

#include <set>

#include "internal/crypto.hpp"
#include "myna/auth/consent.hpp"
#include "unit/form.hpp"

using namespace myna;

namespace {

constexpr std::string_view kBase64UrlAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

bool is_base64url(std::string_view s) { return s.find_first_not_of(kBase64UrlAlphabet) == std::string_view::npos; }

const SecretString kState("expected-state-value-0123456789abcdefghijklm");

ConsentResponse parse_ok(std::string_view redirect) {
  auto r = parse_redirect(redirect, kState);
  INFO(redirect);
  REQUIRE(r.ok());
  return std::move(r).value();
}

Error parse_fails(std::string_view redirect) {
  auto r = parse_redirect(redirect, kState);
  INFO(redirect);
  REQUIRE_FALSE(r.ok());
  return r.error();
}

}  // namespace

TEST_CASE("begin_consent builds the authorize URL of wire-format §1", "[consent]") {
  Profile profile;
  profile.authorize_base_url = "https://auth.example.jp";
  profile.redirect_uri = "https://provider.example.jp/cb?x=1&y=ä";
  profile.client_id = "SP00000086_AA0003";
  auto request = begin_consent(profile);
  REQUIRE(request.ok());
  const std::string prefix = "https://auth.example.jp/online-authorization-web/oauth/authorize?";
  REQUIRE(request->url.rfind(prefix, 0) == 0);
  CHECK(request->url.find(' ') == std::string::npos);
  CHECK(request->url.find("ä") == std::string::npos);  // every value percent-encoded

  const auto params = test::decode_form(request->url);
  CHECK(params.size() == 6);
  CHECK(params.at("scope") == "drugs checkups expenses");  // every type unless chosen
  CHECK(params.at("response_type") == "code");
  CHECK(params.at("client_id") == profile.client_id);
  CHECK(params.at("redirect_uri") == profile.redirect_uri);
  CHECK(params.at("login_type") == "0");
  CHECK(request->state.equals(params.at("state")));
  CHECK(request->code_verifier.empty());
  CHECK(params.count("code_challenge") == 0);
}

TEST_CASE("state is 32 random bytes in base64url without padding, fresh each time", "[consent]") {
  std::set<std::string> states;
  std::set<char> symbols;
  for (int i = 0; i < 1000; ++i) {
    auto request = begin_consent(Profile{});
    REQUIRE(request.ok());
    const std::string state(request->state.reveal());
    REQUIRE(state.size() == 43);  // ceil(32 * 4 / 3), no '='
    REQUIRE(is_base64url(state));
    states.insert(state);
    symbols.insert(state.begin(), state.end() - 1);  // the last symbol carries only 2 random bits
  }
  CHECK(states.size() == 1000);
  CHECK(symbols.size() == 64);  // 42 000 symbols: every one of the 64 shows up
}

TEST_CASE("PKCE S256 challenge", "[consent][pkce]") {
  SECTION("RFC 7636 appendix B known answer") {
    const unsigned char octets[32] = {116, 24,  223, 180, 151, 153, 224, 37,  79, 250, 96, 125, 216, 173, 187, 186,
                                      22,  212, 37,  77,  105, 214, 191, 240, 91, 88,  5,  88,  83,  132, 141, 121};
    const std::string verifier = internal::base64url(std::string_view(reinterpret_cast<const char*>(octets), 32));
    CHECK(verifier == "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk");
    CHECK(internal::base64url(internal::sha256(verifier)) == "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
  }
  SECTION("the URL carries the challenge of the returned verifier") {
    Profile profile;
    profile.use_pkce = true;
    auto request = begin_consent(profile);
    REQUIRE(request.ok());
    REQUIRE(request->code_verifier.size() == 43);
    CHECK(is_base64url(request->code_verifier.reveal()));
    const auto params = test::decode_form(request->url);
    CHECK(params.at("code_challenge_method") == "S256");
    CHECK(params.at("code_challenge") == internal::base64url(internal::sha256(request->code_verifier.reveal())));
    CHECK(params.at("code_challenge").find(request->code_verifier.reveal()) == std::string::npos);
  }
}

TEST_CASE("url_encode and url_decode", "[consent]") {
  CHECK(url_encode("AZaz09-._~") == "AZaz09-._~");
  CHECK(url_encode("a b&c=d/e?f+g%") == "a%20b%26c%3Dd%2Fe%3Ff%2Bg%25");
  CHECK(url_encode("薬") == "%E8%96%AC");
  CHECK(url_decode("a%20b+c%2B%e8%96%ac") == "a b c+薬");
  CHECK(url_decode("100%") == "100%");
  CHECK(url_decode("%zz%4") == "%zz%4");
  CHECK(url_decode(url_encode("https://x/?q=1&r=薬 ~")) == "https://x/?q=1&r=薬 ~");
}

TEST_CASE("parse_redirect: granted in every form", "[consent][redirect]") {
  const std::string state(kState.reveal());
  for (const std::string& redirect : std::vector<std::string>{
           "https://localhost/callback?code=abc%2Fdef&state=" + state, "?code=abc%2Fdef&state=" + state,
           "code=abc%2Fdef&state=" + state, "state=" + state + "&code=abc%2Fdef&extra=1",
           "https://localhost/callback?code=abc%2Fdef&state=" + state + "#fragment"}) {
    const auto response = parse_ok(redirect);
    CHECK(response.outcome == ConsentOutcome::granted);
    CHECK(response.code.reveal() == "abc/def");
    CHECK(response.detail.empty());
  }
}

TEST_CASE("parse_redirect: refusals and errors", "[consent][redirect]") {
  const std::string state(kState.reveal());
  SECTION("error=access_denied") {
    const auto r = parse_ok("https://localhost/callback?error=access_denied&state=" + state);
    CHECK(r.outcome == ConsentOutcome::denied);
    CHECK(r.code.empty());
  }
  SECTION("code=access_denied") {
    const auto r = parse_ok("?code=access_denied&state=" + state);
    CHECK(r.outcome == ConsentOutcome::denied);
    CHECK(r.code.empty());
  }
  SECTION("state=Certificate expired, in both encodings, whatever the expected state") {
    CHECK(parse_ok("?state=Certificate%20expired").outcome == ConsentOutcome::certificate_expired);
    CHECK(parse_ok("https://localhost/callback?state=Certificate+expired").outcome ==
          ConsentOutcome::certificate_expired);
  }
  SECTION("error=certificate_expired") {
    CHECK(parse_ok("?error=certificate_expired&state=" + state).outcome == ConsentOutcome::certificate_expired);
  }
  SECTION("other error with a description") {
    const auto r = parse_ok("?error=server_error&error_description=Try%20again%0Alater&state=" + state);
    CHECK(r.outcome == ConsentOutcome::error);
    CHECK(r.detail == "server_error: Try again?later");  // control characters replaced
  }
}

TEST_CASE("parse_redirect: forged or broken redirects are auth errors", "[consent][redirect][security]") {
  const std::string state(kState.reveal());
  const std::string code = "CODE-VALUE-12345";
  for (const std::string& redirect : std::vector<std::string>{
           "?code=" + code + "&state=" + state + "x",                // mismatch (longer)
           "?code=" + code + "&state=" + state.substr(1),            // mismatch (shorter)
           "?code=" + code + "&state=other-state-value",             // mismatch
           "?code=" + code,                                          // missing state
           "?code=" + code + "&state=",                              // empty state
           "?state=" + state,                                        // missing code
           "?code=&state=" + state,                                  // empty code
           "?code=" + code + "&state=" + state + "&state=" + state,  // repeated parameter
           "?code=" + code + "&code=" + code + "&state=" + state,
           "?error=access_denied&state=forged-state",  // a refusal must be ours too
           "https://localhost/callback",               // nothing at all
           "",
       }) {
    const Error e = parse_fails(redirect);
    CHECK(e.category() == ErrorCategory::auth);
    CHECK(e.message().find("forged") != std::string::npos);
    CHECK(e.to_string().find(code) == std::string::npos);
    CHECK(e.to_string().find(state) == std::string::npos);
  }
}

TEST_CASE("parse_redirect needs the expected state", "[consent][redirect]") {
  auto r = parse_redirect("?code=abc&state=", SecretString());
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().category() == ErrorCategory::validation);
}

TEST_CASE("consent_code maps outcomes to error categories", "[consent][redirect]") {
  const std::string state(kState.reveal());
  auto granted = consent_code("?code=the-code&state=" + state, kState);
  REQUIRE(granted.ok());
  CHECK(granted->reveal() == "the-code");

  auto denied = consent_code("?code=access_denied&state=" + state, kState);
  REQUIRE_FALSE(denied.ok());
  CHECK(denied.error().category() == ErrorCategory::consent_denied);

  auto expired = consent_code("?error=certificate_expired&state=" + state, kState);  // with the state
  REQUIRE_FALSE(expired.ok());
  CHECK(expired.error().category() == ErrorCategory::certificate_expired);

  auto failed = consent_code("?error=temporarily_unavailable&state=" + state, kState);
  REQUIRE_FALSE(failed.ok());
  CHECK(failed.error().category() == ErrorCategory::auth);
  CHECK(failed.error().service_code() == "temporarily_unavailable");

  auto forged = consent_code("?code=x&state=nope", kState);
  REQUIRE_FALSE(forged.ok());
  CHECK(forged.error().category() == ErrorCategory::auth);
}

TEST_CASE("ConsentOutcome names", "[consent]") {
  CHECK(std::string(to_string(ConsentOutcome::granted)) == "granted");
  CHECK(std::string(to_string(ConsentOutcome::denied)) == "denied");
  CHECK(std::string(to_string(ConsentOutcome::certificate_expired)) == "certificate_expired");
  CHECK(std::string(to_string(ConsentOutcome::error)) == "error");
}

TEST_CASE("the expired-certificate form without the state is unauthenticated, never an authoritative outcome",
          "[consent][redirect][security]") {
  // `state=Certificate expired` replaces the state: anyone can send it (a web page, any local
  // process), so nothing says the citizen's card really expired.
  const std::string state(kState.reveal());
  for (const std::string& form : {std::string("?state=Certificate%20expired"),
                                  std::string("https://localhost/callback?state=Certificate+expired")}) {
    INFO(form);
    const auto r = parse_ok(form);
    CHECK(r.outcome == ConsentOutcome::certificate_expired);
    CHECK_FALSE(r.authenticated);
    auto code = consent_code(form, kState);
    REQUIRE_FALSE(code.ok());
    CHECK(code.error().category() == ErrorCategory::auth);  // "could not verify; try again"
    CHECK(code.error().service_code() == "certificate_expired");
    CHECK(code.error().message().find("cannot be verified") != std::string::npos);
  }
  // With the expected state the same claims are authenticated.
  for (const std::string& form :
       {"?error=certificate_expired&state=" + state, "?code=c&state=" + state, "?error=access_denied&state=" + state}) {
    INFO(form);
    CHECK(parse_ok(form).authenticated);
  }
  CHECK(consent_code("?error=certificate_expired&state=" + state, kState).error().category() ==
        ErrorCategory::certificate_expired);
}
