#include "myna/auth/token.hpp"

#include <ctime>
#include <ostream>

#include "internal/flat_json.hpp"
#include "myna/auth/consent.hpp"

namespace myna {

namespace {

using SysClock = std::chrono::system_clock;
constexpr std::int64_t kMaxLifetimeSeconds = 20LL * 366 * 24 * 3600;

std::string utc_text(SysClock::time_point t) {
  const std::time_t secs = SysClock::to_time_t(t);
  std::tm tm{};
  if (!gmtime_r(&secs, &tm)) return "?";
  char buf[32];
  if (std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0) return "?";
  return buf;
}

Error protocol_error(std::string what) {
  return Error(ErrorCategory::protocol,
               "the token endpoint's answer " + std::move(what) + "; check the profile's token_path and api_base_url");
}

/// An OAuth error code as it may appear in messages: [A-Za-z0-9_.-], at most 64 characters.
std::string safe_oauth_code(std::string_view code) {
  const bool ok = !code.empty() && code.size() <= 64 &&
                  code.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-") ==
                      std::string_view::npos;
  return ok ? std::string(code) : "unrecognised";
}

const char* oauth_advice(std::string_view code) {
  if (code == "invalid_grant")
    return "the authorization code or refresh token is invalid, expired or already used; ask the citizen to "
           "consent again";
  if (code == "invalid_client" || code == "unauthorized_client")
    return "the client was not accepted; check the profile's client_id and the TLS client certificate";
  if (code == "invalid_request") return "the token request was refused; check the profile's redirect_uri and client_id";
  if (code == "invalid_token") return "the token was rejected; ask the citizen to consent again";
  return "check the profile and ask the citizen to consent again if it persists";
}

/// Reads a lifetime in seconds: a JSON integer or a string of digits.
bool read_seconds(const internal::FlatValue& v, std::optional<std::int64_t>& out) {
  using Kind = internal::FlatValue::Kind;
  if (v.kind == Kind::null) return true;
  std::int64_t seconds = -1;
  if (v.kind == Kind::integer) {
    seconds = v.integer;
  } else if (v.kind == Kind::string && !v.text.empty() && v.text.size() <= 12 &&
             v.text.find_first_not_of("0123456789") == std::string_view::npos) {
    seconds = std::stoll(std::string(v.text));
  }
  if (seconds < 0 || seconds > kMaxLifetimeSeconds) return false;
  out = seconds;
  return true;
}

struct TokenFields {
  SecretString access_token, refresh_token;
  std::optional<std::string> token_type;
  std::optional<std::int64_t> expires_in, grant_expires_in;
  std::optional<std::string> scope;
  std::string oauth_error;
  std::string bad_field;
};

bool read_member(TokenFields& f, std::string_view key, const internal::FlatValue& v) {
  using Kind = internal::FlatValue::Kind;
  const bool is_string = v.kind == Kind::string;
  bool ok = true;
  if (key == "access_token") {
    ok = is_string;
    if (ok) f.access_token = SecretString(std::string(v.text));
  } else if (key == "refresh_token") {
    ok = is_string || v.kind == Kind::null;
    if (is_string) f.refresh_token = SecretString(std::string(v.text));
  } else if (key == "token_type") {
    ok = is_string;
    if (ok) f.token_type = std::string(v.text);
  } else if (key == "expires_in") {
    ok = read_seconds(v, f.expires_in);
  } else if (key == "grant_expires_in") {
    ok = read_seconds(v, f.grant_expires_in);
  } else if (key == "scope") {  // any other shape: as if absent (the requested types)
    if (is_string) f.scope = std::string(v.text);
  } else if (key == "error") {
    ok = is_string;
    if (ok) f.oauth_error = safe_oauth_code(v.text);
  }
  if (!ok) f.bad_field = std::string(key);
  return ok;
}

/// Parses the body into fields; the copy that the parser decodes in place is wiped.
internal::FlatParse read_fields(std::string_view body, TokenFields& fields) {
  std::string buffer(body);
  const auto result = internal::parse_flat_object(
      buffer, [&](std::string_view key, const internal::FlatValue& v) { return read_member(fields, key, v); });
  wipe(buffer);
  return result;
}

Error error_response(int status, std::string_view body) {
  TokenFields fields;
  const bool client_error = status >= 400 && status < 500;
  const bool has_oauth_error =
      client_error && read_fields(body, fields) == internal::FlatParse::ok && !fields.oauth_error.empty();
  if (has_oauth_error)
    return Error(ErrorCategory::auth, "the token endpoint refused the request with OAuth error '" + fields.oauth_error +
                                          "' (HTTP " + std::to_string(status) +
                                          "): " + oauth_advice(fields.oauth_error))
        .with_http_status(status)
        .with_service_code(fields.oauth_error);
  ErrorCategory category = ErrorCategory::http;
  if (status == 400 || status == 401 || status == 403)
    category = ErrorCategory::auth;
  else if (status == 408)
    category = ErrorCategory::timeout;
  else if (status == 429)
    category = ErrorCategory::rate_limited;
  return Error(category, "the token endpoint answered HTTP " + std::to_string(status) +
                             (status >= 500 ? "; try again later" : "; check the profile and the client certificate"))
      .with_http_status(status);
}

bool is_bearer(std::string_view type) {
  if (type.size() != 6) return false;
  for (std::size_t i = 0; i < type.size(); ++i) {
    const char c = type[i] >= 'A' && type[i] <= 'Z' ? static_cast<char>(type[i] - 'A' + 'a') : type[i];
    if (c != "bearer"[i]) return false;
  }
  return true;
}

/// The granted types: the scope's known words, else (no scope, or none known) the requested.
RecordTypes granted_types(const std::optional<std::string>& scope, const Profile& profile, RecordTypes requested) {
  if (!scope || profile.consent_types_parameter.empty()) return requested;
  const RecordTypes named = profile.parse_scope(*scope, true).value_or(RecordTypes{});
  return named.empty() ? requested : named;
}

Result<Token> success_response(std::string_view body, const Profile& profile, SysClock::time_point now,
                               SysClock::time_point granted_at, RecordTypes requested) {
  TokenFields f;
  switch (read_fields(body, f)) {
    case internal::FlatParse::ok: break;
    case internal::FlatParse::stopped: return protocol_error("has an invalid " + f.bad_field);
    case internal::FlatParse::not_object:
    case internal::FlatParse::malformed: return protocol_error("is not a JSON object");
  }
  if (f.access_token.empty()) return protocol_error("has no access_token");
  if (f.token_type && !is_bearer(*f.token_type)) return protocol_error("has a token_type other than Bearer");
  if (f.expires_in && *f.expires_in == 0) return protocol_error("has an invalid expires_in");
  Token token;
  token.access_token = std::move(f.access_token);
  token.refresh_token = std::move(f.refresh_token);
  token.granted_at = granted_at;
  token.expires_at = f.expires_in ? now + std::chrono::seconds(*f.expires_in) : now + profile.default_token_lifetime;
  token.grant_expires_at =
      f.grant_expires_in ? granted_at + std::chrono::seconds(*f.grant_expires_in) : granted_at + profile.grant_period;
  token.record_types = granted_types(f.scope, profile, requested);
  return token;
}

/// Appends name=value& with the value percent-encoded; the encoded copy is wiped.
void add_form_field(std::string& form, std::string_view name, std::string_view value) {
  std::string encoded = url_encode(value);
  if (!form.empty()) form += '&';
  form += name;
  form += '=';
  form += encoded;
  wipe(encoded);
}

std::string new_form(std::size_t secret_bytes) {
  std::string form;
  form.reserve(512 + 3 * secret_bytes);  // one allocation: no stray copies of secrets
  return form;
}

}  // namespace

std::ostream& operator<<(std::ostream& os, const Token& token) {
  os << "Token{expires_at=" << utc_text(token.expires_at) << ", grant_expires_at=" << utc_text(token.grant_expires_at)
     << ", granted_at=" << utc_text(token.granted_at)
     << ", refresh_token=" << (token.refresh_token.empty() ? "no" : "yes") << ", types=";
  const char* separator = "";
  for (RecordType type : kAllRecordTypes) {
    if (!token.record_types.contains(type)) continue;
    os << separator << english_name(type);
    separator = ",";
  }
  return os << "}";
}

Result<Token> parse_token_response(int http_status, std::string_view body, const Profile& profile,
                                   SysClock::time_point now, SysClock::time_point granted_at, RecordTypes requested) {
  if (http_status >= 200 && http_status < 300) return success_response(body, profile, now, granted_at, requested);
  return error_response(http_status, body);
}

TokenClient::TokenClient(Profile profile, std::shared_ptr<HttpTransport> transport, Logger logger)
    : profile_(std::move(profile)),
      transport_(std::move(transport)),
      logger_(std::move(logger)),
      now_([] { return SysClock::now(); }) {}

void TokenClient::set_clock(std::function<SysClock::time_point()> now) { now_ = std::move(now); }

Result<Token> TokenClient::exchange_code(const SecretString& code, const SecretString& code_verifier,
                                         const Context& context, RecordTypes requested) const {
  if (code.empty()) return Error(ErrorCategory::validation, "no authorization code to exchange");
  if (profile_.use_pkce && code_verifier.empty())
    return Error(ErrorCategory::validation,
                 "the profile uses PKCE but no code_verifier was given; pass ConsentRequest::code_verifier");
  std::string form = new_form(code.size() + code_verifier.size());
  add_form_field(form, "grant_type", "authorization_code");
  add_form_field(form, "code", code.reveal());
  add_form_field(form, "redirect_uri", profile_.redirect_uri);
  add_form_field(form, "client_id", profile_.client_id);
  if (!code_verifier.empty()) add_form_field(form, "code_verifier", code_verifier.reveal());
  return post_form(form, "code exchange", context, requested);
}

Result<Token> TokenClient::refresh(const Token& token, const Context& context) const {
  if (!profile_.supports_refresh)
    return Error(ErrorCategory::validation, "the profile has no token refresh (supports_refresh is false)");
  if (token.refresh_token.empty())
    return Error(ErrorCategory::auth, "the token has no refresh token; ask the citizen to consent again");
  std::string form = new_form(token.refresh_token.size());
  add_form_field(form, "grant_type", "refresh_token");
  add_form_field(form, "refresh_token", token.refresh_token.reveal());
  add_form_field(form, "client_id", profile_.client_id);
  auto fresh = post_form(form, "token refresh", context, token.record_types);
  if (!fresh) return fresh;
  fresh->record_types = token.record_types;  // a refresh never widens or narrows the consent
  fresh->granted_at = token.granted_at;
  fresh->grant_expires_at = token.grant_expires_at;
  if (fresh->refresh_token.empty()) fresh->refresh_token = token.refresh_token;
  return fresh;
}

Result<Token> TokenClient::post_form(std::string& form, const char* what, const Context& context,
                                     RecordTypes requested) const {
  if (!transport_) {
    wipe(form);
    return Error(ErrorCategory::validation, "the token client has no transport");
  }
  HttpRequest request;
  request.method = "POST";
  request.url = profile_.api_base_url + profile_.token_path;
  request.headers = {{"Content-Type", "application/x-www-form-urlencoded", false},
                     {"Accept", "application/json", false}};
  request.body = std::move(form);
  request.body_secret = true;
  request.idempotent = false;  // a code is single-use: never retried
  const auto started = std::chrono::steady_clock::now();
  Result<HttpResponse> response = transport_->send(request, context);  // no retry on purpose
  wipe(request.body);
  wipe(form);
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started);
  if (!response) {
    logger_.log(LogLevel::warn, std::string(what) + ": POST " + profile_.token_path + " failed (" +
                                    to_string(response.error().category()) + ")");
    return std::move(response).error();
  }
  const SysClock::time_point now = now_();
  Result<Token> token = parse_token_response(response->status, response->body, profile_, now, now, requested);
  wipe(response->body);
  logger_.log(token ? LogLevel::info : LogLevel::warn,
              std::string(what) + ": POST " + profile_.token_path + " -> " + std::to_string(response->status) + " (" +
                  std::to_string(ms.count()) + " ms)" +
                  (token ? "" : std::string(", ") + to_string(token.error().category())));
  return token;
}

}  // namespace myna
