// Consent redirect parsing against a fixed expected state. Properties: no crash; a redirect
// is only authenticated when it carries the expected state, and only the unauthenticated
// certificate form is accepted without it (as an auth error from consent_code);
// a grant has a code; parse_redirect and consent_code agree; texts are loggable and never
// show the state or the code; url_decode inverts url_encode.
#include "fuzz.hpp"
#include "myna/auth/consent.hpp"

namespace {

using namespace myna;

const SecretString& expected_state() {
  static const SecretString state("q0V9mXcT2aLr8sJ4nB6uE1yW7kHdGfPzRtYiUoOpAsD");
  return state;
}

/// The state texts must not show: "" when the redirect quotes it besides its state
/// parameter (in error or error_description, which the texts show on purpose).
std::string hidden_state(std::string_view input) {
  const std::string decoded = url_decode(input), state(expected_state().reveal());
  const auto first = decoded.find(state);
  if (first != std::string::npos && decoded.find(state, first + 1) != std::string::npos) return {};
  return state;
}

bool printable(std::string_view text) {
  for (char c : text)
    if (c < 0x20 || c > 0x7e) return false;
  return true;
}

ErrorCategory category_of(const ConsentResponse& r) {
  switch (r.outcome) {
    case ConsentOutcome::denied: return ErrorCategory::consent_denied;
    case ConsentOutcome::certificate_expired:
      return r.authenticated ? ErrorCategory::certificate_expired : ErrorCategory::auth;
    case ConsentOutcome::not_registered: return ErrorCategory::not_registered;
    default: return ErrorCategory::auth;
  }
}

void check_response(std::string_view input, const ConsentResponse& r) {
  const std::string state(expected_state().reveal());
  if (r.authenticated && url_decode(input).find(state) == std::string::npos)
    fuzz::fail("a redirect without the expected state was authenticated");
  if (!r.authenticated && r.outcome != ConsentOutcome::certificate_expired)
    fuzz::fail("an unauthenticated redirect was accepted as something else than the certificate form");
  if (r.outcome == ConsentOutcome::granted && (r.code.empty() || r.code.equals("access_denied")))
    fuzz::fail("granted without a usable code");
  if (r.outcome != ConsentOutcome::granted && !r.code.empty()) fuzz::fail("a code without a grant");
  if (!printable(r.detail)) fuzz::fail("the detail is not printable ASCII");
  const std::string hidden = hidden_state(input);
  if (!hidden.empty() && r.detail.find(hidden) != std::string::npos) fuzz::fail("the detail shows the state");
}

void check_consent_code(std::string_view input, const Result<ConsentResponse>& parsed) {
  const auto code = consent_code(input, expected_state());
  if (!parsed) {
    if (code || fuzz::describe(code.error()) != fuzz::describe(parsed.error()))
      fuzz::fail("consent_code and parse_redirect disagree on a refused redirect");
    return;
  }
  if (parsed->outcome == ConsentOutcome::granted) {
    if (!code || !code->equals(parsed->code.reveal())) fuzz::fail("consent_code lost the code");
    return;
  }
  if (code) fuzz::fail("consent_code returned a code for a refusal");
  if (code.error().category() != category_of(*parsed)) fuzz::fail("wrong category", code.error());
  fuzz::check_loggable(code.error(), hidden_state(input));
}

}  // namespace

MYNA_FUZZ_TARGET(redirect) {
  const auto parsed = parse_redirect(input, expected_state());
  if (parsed)
    check_response(input, *parsed);
  else
    fuzz::check_loggable(parsed.error(), hidden_state(input));
  check_consent_code(input, parsed);
  if (url_decode(url_encode(input)) != input) fuzz::fail("url_decode(url_encode(x)) != x");
}
