#include "myna/auth/consent.hpp"

#include <algorithm>
#include <optional>
#include <vector>

#include "internal/crypto.hpp"
#include "internal/text.hpp"

namespace myna {

namespace {

constexpr std::size_t kStateBytes = 32;
constexpr std::size_t kVerifierBytes = 32;
constexpr std::string_view kCertificateExpiredState = "Certificate expired";
constexpr std::size_t kMaxDetail = 200;

Error forged(const std::string& why) {
  return Error(ErrorCategory::auth,
               "the consent redirect " + why + ": the redirect may be forged (CSRF); start the consent again");
}

Result<SecretString> random_token(std::size_t bytes) {
  auto raw = internal::random_bytes(bytes);
  if (!raw) return Error(ErrorCategory::auth, "OpenSSL's random generator failed; try again");
  SecretString token(internal::base64url(*raw));
  wipe(*raw);
  return token;
}

void add_param(std::string& url, std::string_view name, std::string_view value) {
  url += name;
  url += '=';
  url += url_encode(value);
  url += '&';
}

/// The query part of a redirect: after '?', before '#'; a bare query is taken as is.
std::string_view query_of(std::string_view redirect) {
  if (const auto q = redirect.find('?'); q != std::string_view::npos)
    redirect.remove_prefix(q + 1);
  else if (redirect.find("://") != std::string_view::npos)
    return {};
  return redirect.substr(0, redirect.find('#'));
}

/// The parameters the SDK reads; a parameter given twice is refused (parameter pollution).
struct RedirectParams {
  std::optional<SecretString> code, state;
  std::optional<std::string> error, description;
  bool duplicate = false;
};

template <class T>
void set_once(std::optional<T>& slot, std::string value, bool& duplicate) {
  if (slot)
    duplicate = true;
  else
    slot = T(std::move(value));
}

RedirectParams split_query(std::string_view query) {
  RedirectParams p;
  while (!query.empty()) {
    const std::string_view pair = query.substr(0, query.find('&'));
    query.remove_prefix(std::min(query.size(), pair.size() + 1));
    const auto eq = pair.find('=');
    const std::string name = url_decode(pair.substr(0, eq));
    std::string value = eq == std::string_view::npos ? std::string() : url_decode(pair.substr(eq + 1));
    if (name == "code")
      set_once(p.code, std::move(value), p.duplicate);
    else if (name == "state")
      set_once(p.state, std::move(value), p.duplicate);
    else if (name == "error")
      set_once(p.error, std::move(value), p.duplicate);
    else if (name == "error_description")
      set_once(p.description, std::move(value), p.duplicate);
    else
      wipe(value);
  }
  return p;
}

/// Printable ASCII only, bounded: the detail text is shown to people and logged.
std::string printable(std::string_view text) {
  std::string out;
  for (char c : text.substr(0, kMaxDetail)) out.push_back(c >= 0x20 && c < 0x7f ? c : '?');
  return out;
}

bool is_denied(const RedirectParams& p) {
  return (p.error && *p.error == "access_denied") || (p.code && p.code->equals("access_denied"));
}

bool is_certificate_form(const RedirectParams& p) {
  return (p.state && p.state->equals(kCertificateExpiredState)) || (p.error && *p.error == "certificate_expired");
}

/// The outcome plus the OAuth error code (for Error::service_code).
struct Parsed {
  ConsentResponse response;
  std::string error_code;
};

Result<Parsed> parse(std::string_view redirect, const SecretString& expected_state) {
  if (expected_state.empty())
    return Error(ErrorCategory::validation,
                 "no consent state to check the redirect against; keep "
                 "ConsentRequest::state from begin_consent()");
  RedirectParams p = split_query(query_of(redirect));
  if (p.duplicate) return forged("repeats a parameter");
  Parsed out;
  if (p.state && p.state->equals(kCertificateExpiredState)) {  // the state is replaced: nothing to check
    out.response.outcome = ConsentOutcome::certificate_expired;
    out.response.detail = "certificate_expired";
    out.error_code = "certificate_expired";
    return out;
  }
  if (!p.state) return forged("has no state");
  if (!expected_state.equals(p.state->reveal())) return forged("carries a state that does not match");
  out.response.authenticated = true;
  if (is_certificate_form(p)) {
    out.response.outcome = ConsentOutcome::certificate_expired;
    out.error_code = "certificate_expired";
  } else if (is_denied(p)) {
    out.response.outcome = ConsentOutcome::denied;
    out.error_code = "access_denied";
  } else if (p.error && *p.error == "not_registered") {
    out.response.outcome = ConsentOutcome::not_registered;
    out.error_code = "not_registered";
  } else if (p.error) {
    out.response.outcome = ConsentOutcome::error;
    out.error_code = printable(*p.error);
  } else if (!p.code || p.code->empty()) {
    return forged("has neither a code nor an error");
  } else {
    out.response.outcome = ConsentOutcome::granted;
    out.response.code = std::move(*p.code);
    return out;
  }
  out.response.detail = out.error_code;
  if (p.description && !p.description->empty()) out.response.detail += ": " + printable(*p.description);
  return out;
}

}  // namespace

Result<ConsentRequest> begin_consent(const Profile& profile) { return begin_consent(profile, RecordTypes::all()); }

Result<ConsentRequest> begin_consent(const Profile& profile, RecordTypes types) {
  if (types.empty())
    return Error(ErrorCategory::validation,
                 "a consent asks for at least one information type (薬剤情報, "
                 "特定健診情報, 医療費通知情報)");
  auto state = random_token(kStateBytes);
  if (!state) return std::move(state).error();
  ConsentRequest request;
  request.state = std::move(*state);
  request.types = profile.consent_types_parameter.empty() ? RecordTypes::all() : types;
  std::string url = profile.authorize_base_url + profile.authorize_path;
  url += url.find('?') == std::string::npos ? '?' : '&';
  add_param(url, "response_type", "code");
  add_param(url, "client_id", profile.client_id);
  add_param(url, "redirect_uri", profile.redirect_uri);
  add_param(url, "state", request.state.reveal());
  add_param(url, "login_type", profile.login_type);
  if (!profile.consent_types_parameter.empty())
    add_param(url, profile.consent_types_parameter, profile.scope_of(request.types));
  if (profile.use_pkce) {
    auto verifier = random_token(kVerifierBytes);
    if (!verifier) return std::move(verifier).error();
    request.code_verifier = std::move(*verifier);
    add_param(url, "code_challenge", internal::base64url(internal::sha256(request.code_verifier.reveal())));
    add_param(url, "code_challenge_method", "S256");
  }
  url.pop_back();  // the last '&'
  request.url = std::move(url);
  return request;
}

const char* to_string(ConsentOutcome outcome) noexcept {
  switch (outcome) {
    case ConsentOutcome::granted: return "granted";
    case ConsentOutcome::denied: return "denied";
    case ConsentOutcome::certificate_expired: return "certificate_expired";
    case ConsentOutcome::error: return "error";
    case ConsentOutcome::not_registered: return "not_registered";
  }
  return "unknown";
}

Result<ConsentResponse> parse_redirect(std::string_view redirect, const SecretString& expected_state) {
  auto parsed = parse(redirect, expected_state);
  if (!parsed) return std::move(parsed).error();
  return std::move(parsed->response);
}

Result<SecretString> consent_code(std::string_view redirect, const SecretString& expected_state) {
  auto parsed = parse(redirect, expected_state);
  if (!parsed) return std::move(parsed).error();
  switch (parsed->response.outcome) {
    case ConsentOutcome::granted: return std::move(parsed->response.code);
    case ConsentOutcome::denied:
      return Error(ErrorCategory::consent_denied,
                   "the citizen refused consent at Mynaportal; ask again only if they wish to share their data")
          .with_service_code(parsed->error_code);
    case ConsentOutcome::certificate_expired:
      if (!parsed->response.authenticated)
        return Error(ErrorCategory::auth,
                     "the consent redirect says that the citizen's card certificate has expired, but it carries no "
                     "state, so it cannot be verified (anyone can send it); ask the citizen to try again, and to "
                     "renew the certificate only if Mynaportal itself told them it has expired")
            .with_service_code(parsed->error_code);
      return Error(ErrorCategory::certificate_expired,
                   "the citizen's My Number Card certificate has expired; they must renew it at their "
                   "municipality office, then consent again")
          .with_service_code(parsed->error_code);
    case ConsentOutcome::not_registered:
      return Error(ErrorCategory::not_registered,
                   "the citizen has no Mynaportal account yet: they register at Mynaportal (利用者登録, or through "
                   "the 利用者登録等API), then consent again")
          .with_service_code(parsed->error_code);
    case ConsentOutcome::error: break;
  }
  return Error(ErrorCategory::auth,
               "Mynaportal reported a consent error (" + parsed->response.detail + "); start the consent again")
      .with_service_code(parsed->error_code);
}

std::string url_encode(std::string_view value) {
  static constexpr char digits[] = "0123456789ABCDEF";
  std::size_t size = 0;
  for (char c : value) size += internal::is_url_unreserved(c) ? 1 : 3;
  std::string out;
  out.reserve(size);  // exactly: no reallocation leaves a copy of a secret value behind
  for (char c : value) {
    if (internal::is_url_unreserved(c)) {
      out.push_back(c);
      continue;
    }
    const auto u = static_cast<unsigned char>(c);
    out.push_back('%');
    out.push_back(digits[u >> 4]);
    out.push_back(digits[u & 15]);
  }
  return out;
}

std::string url_decode(std::string_view value) {
  std::string out;
  out.reserve(value.size());
  for (std::size_t i = 0; i < value.size(); ++i) {
    const char c = value[i];
    if (c == '+') {
      out.push_back(' ');
    } else if (c == '%' && i + 2 < value.size() && internal::hex_value(value[i + 1]) >= 0 &&
               internal::hex_value(value[i + 2]) >= 0) {
      out.push_back(static_cast<char>(internal::hex_value(value[i + 1]) * 16 + internal::hex_value(value[i + 2])));
      i += 2;
    } else {
      out.push_back(c);
    }
  }
  return out;
}

}  // namespace myna
