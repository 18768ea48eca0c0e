// Consent: the authorization URL the browser is sent to, and the redirect that comes back.
// The structs are plain data; the functions keep no state and are safe from any thread.
#pragma once

#include <string>
#include <string_view>

#include "myna/error.hpp"
#include "myna/export.hpp"
#include "myna/profile.hpp"
#include "myna/secret.hpp"

namespace myna {

/// What to keep between sending the browser away and its return (e.g. in the session).
struct ConsentRequest {
  std::string url;             ///< authorize URL with response_type, client_id, redirect_uri, state, login_type
  SecretString state;          ///< 32 random bytes (OpenSSL CSPRNG), base64url
  SecretString code_verifier;  ///< PKCE verifier when profile.use_pkce, else empty
  /// The information types asked for; the token is taken to grant these when the token
  /// response does not say (no `scope`).
  RecordTypes types = RecordTypes::all();
};

/// Builds the consent URL for the information types asked for (at least one), with a fresh
/// state (and PKCE S256 challenge when the profile asks). The types travel in
/// profile.consent_types_parameter (default `scope=drugs checkups`); a profile without that
/// parameter sends none, and the grant then covers every type.
MYNA_API Result<ConsentRequest> begin_consent(const Profile& profile, RecordTypes types);
/// All three information types.
MYNA_API Result<ConsentRequest> begin_consent(const Profile& profile);

/// The citizen's answer. not_registered: the citizen has no Mynaportal account (利用者登録);
/// they register first, then consent again (docs/integration.md).
enum class ConsentOutcome { granted, denied, certificate_expired, error, not_registered };
MYNA_API const char* to_string(ConsentOutcome outcome) noexcept;

/// The citizen's answer, read from the redirect.
struct ConsentResponse {
  ConsentOutcome outcome = ConsentOutcome::error;
  SecretString code;   ///< set when granted
  std::string detail;  ///< error / error_description (no secrets), for denied and error
  /// The redirect carried the state this consent expected, so it answers this consent. False
  /// only for the expired-certificate form `?state=Certificate%20expired`, which replaces the
  /// state and so cannot be verified: anyone (a web page, any local process) can send it.
  /// Never tell the citizen their card has expired on an unauthenticated outcome alone: say
  /// that the consent could not be completed and let them try again.
  bool authenticated = false;
};

/// Parses the redirect (a full URL or just its query string) and checks state in constant
/// time. Understands the unusual forms seen in public integrations: error=access_denied,
/// code=access_denied, state=Certificate expired; and error=not_registered. A state mismatch
/// or a missing code is an auth Error (possible CSRF); a refusal is outcome denied /
/// certificate_expired / not_registered. The form `state=Certificate expired` gives
/// certificate_expired with authenticated == false.
MYNA_API Result<ConsentResponse> parse_redirect(std::string_view redirect, const SecretString& expected_state);

/// The same outcome as an Error for callers that only want the code: consent_denied,
/// certificate_expired (only with the expected state), not_registered or auth. The
/// unverifiable `state=Certificate expired` form is an auth error ("could not verify; try
/// again") whose Error::service_code() is "certificate_expired".
MYNA_API Result<SecretString> consent_code(std::string_view redirect, const SecretString& expected_state);

/// Percent-encodes a query value (RFC 3986 unreserved kept).
MYNA_API std::string url_encode(std::string_view value);
/// Decodes %XX and '+' in a query value; malformed escapes are kept literally.
MYNA_API std::string url_decode(std::string_view value);

}  // namespace myna
