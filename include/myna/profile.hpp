// The wire profile: every choice the real service might make differently from the SDK's own
// documented profile (docs/wire-format.md). An adopter holding the official specification
// changes a Profile value, not the SDK. A Profile is plain data: share it read-only.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "myna/core_export.hpp"
#include "myna/records/catalog.hpp"
#include "myna/records/record_types.hpp"

namespace myna {

/// Maps a service error code (commonHeader.errorCode) to an error category.
struct ServiceErrorCode {
  std::string code;
  ErrorCategory category;
  std::string meaning;
};

/// An extra payload key accepted for an item (e.g. a spelling the real service uses).
struct KeyAlias {
  RecordType type;
  int item_number;
  std::string key;
};

struct MYNA_CORE_API Profile {
  // ---- hosts and paths
  std::string authorize_base_url = "https://localhost";  ///< {app host}: the browser goes here
  std::string api_base_url = "https://localhost";        ///< {sp host}: server-to-server calls
  std::string authorize_path = "/online-authorization-web/oauth/authorize";
  std::string token_path = "/online-authorization-web/oauth/token";
  std::string request_path = "/online-resource-web/request";
  std::string result_path = "/online-resource-web/result";

  // ---- provider identity
  std::string provider_number = "00000086";  ///< 8-digit provider number in telegram ids
  std::string client_id = "SP00000086_AA0003";
  std::string redirect_uri = "https://localhost/callback";
  std::string login_type = "0";

  // ---- consent and tokens
  bool use_pkce = false;          ///< send code_challenge (S256) and code_verifier
  bool supports_refresh = false;  ///< the token endpoint issues refresh tokens
  /// Used when the token response carries no expires_in.
  std::chrono::seconds default_token_lifetime{std::chrono::minutes(60)};
  /// 期間連携: how long one consent allows repeated retrieval (90 days today).
  std::chrono::seconds grant_period{std::chrono::hours(24 * 90)};
  /// Request the access token again this long before it expires.
  std::chrono::seconds token_refresh_margin{60};

  // ---- consent per information type
  /// The authorize parameter naming the information types asked for (OAuth's `scope`); the
  /// token response's member of the same name says which were granted. "" when the
  /// specification has none: the parameter is left out and every grant covers all types.
  std::string consent_types_parameter = "scope";
  /// How each information type is written in that parameter and in the token response.
  std::string drug_scope = "drugs";
  std::string checkup_scope = "checkups";
  std::string expense_scope = "expenses";
  /// Between two types in the parameter (OAuth: a space).
  std::string consent_types_separator = " ";

  // ---- telegrams
  std::string mode = "1";
  std::string request_type = "IFA0301-R01";
  std::string request_response_type = "IFA0301-S01";
  std::string notification_type = "IFA0302-R01";
  std::string notification_reply_type = "IFA0302-S01";
  std::string result_request_type = "IFA0303-R01";
  std::string result_response_type = "IFA0303-S01";
  /// The 照会年月日 filter written into selfProvisionDataReqInfo.inquiryCondition.
  /// Placeholders: {type} (表2.4-1 項番: 1 薬剤, 2 特定健診, 3 医療費通知), {from}, {to} (YYYYMMDD).
  std::string filter_template = "InfoType={type}&Date={from}-{to}";
  /// Success value of commonHeader.errorCode.
  std::string success_code = "";
  /// errorCode of a result request answered before the result is ready.
  std::string not_ready_code = "E0006";
  std::vector<ServiceErrorCode> error_codes = default_error_codes();

  // ---- payload
  /// Names of the information types inside the payload.
  std::string drug_key = "薬剤情報";
  std::string checkup_key = "特定健診情報";
  std::string expense_key = "医療費通知情報";
  /// Encoder: write absent items as JSON null instead of omitting them.
  bool encode_absent_as_null = false;
  /// Decoder: "" for a non-text item (date, number, code) means absent, as for null.
  bool empty_is_absent = true;
  /// Decoder: extra keys accepted per item, besides the catalog's Japanese name.
  std::vector<KeyAlias> key_aliases = default_key_aliases();

  // ---- limits (decoder)
  std::size_t max_depth = 32;               ///< JSON nesting
  std::size_t max_value_bytes = 64 * 1024;  ///< one string or number
  std::size_t max_records = 10'000'000;     ///< records per result

  const std::string& payload_key(RecordType type) const noexcept;
  /// The value of one information type in consent_types_parameter, e.g. "drugs".
  const std::string& scope_value(RecordType type) const noexcept;
  /// The types joined with consent_types_separator in table order, e.g. "drugs checkups".
  std::string scope_of(RecordTypes types) const;
  /// The types named in a scope string (separators repeated or around are ignored); nullopt
  /// when a word names no type, unless ignore_unknown (then such words are skipped).
  std::optional<RecordTypes> parse_scope(std::string_view scope, bool ignore_unknown = false) const;

  static std::vector<ServiceErrorCode> default_error_codes();
  static std::vector<KeyAlias> default_key_aliases();
};

}  // namespace myna
