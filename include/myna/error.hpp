// Error model: every fallible SDK call returns Result<T> (or Status); Result::value() throws
// myna::Exception as an escape hatch. See docs/errors.md.
#pragma once

#include <chrono>
#include <cstdint>
#include <exception>
#include <iosfwd>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <variant>

#include "myna/core_export.hpp"

namespace myna {

struct RetrievalInfo;

/// What kind of failure happened; decides what a caller should do next (docs/errors.md).
enum class ErrorCategory : std::uint8_t {
  network,              ///< connection refused/reset, DNS, dropped connection: retry later
  tls,                  ///< certificate or TLS handshake failure: fix configuration, do not retry
  http,                 ///< unexpected HTTP status from the service
  auth,                 ///< token missing, expired, revoked or rejected: sign in / refresh
  consent_denied,       ///< the citizen refused consent at Mynaportal
  certificate_expired,  ///< the citizen's My Number Card certificate has expired
  consent_required,  ///< no grant for this citizen and information type, or the grant (期間連携 period) ended: consent
                     ///< again
  maintenance,   ///< the service or a back-end is in a stop window: retry at retry_after
  rate_limited,  ///< 429: retry at retry_after
  timeout,       ///< a deadline passed (request, notification wait)
  cancelled,     ///< the caller cancelled the operation
  protocol,      ///< the peer broke the wire profile (bad telegram, unknown process)
  decode,        ///< malformed record data; location names record, item and field
  validation,    ///< the caller passed invalid input (query range, code, option)
  storage,       ///< a token / retrieval / record store failed
  /// The citizen has no Mynaportal account (利用者登録): they register first (at Mynaportal,
  /// or through the 利用者登録等API), then consent again (docs/integration.md).
  not_registered,
};

/// Stable lower-case name of a category, e.g. "consent_denied".
MYNA_CORE_API const char* to_string(ErrorCategory category) noexcept;

/// Where inside a telegram a decode error was found.
struct DecodeLocation {
  std::string record_type;         ///< e.g. "薬剤情報"; empty for envelope errors
  std::int64_t record_index = -1;  ///< 0-based index of the record within its type; -1 if none
  int item_number = 0;             ///< 項番 from the guideline table; 0 if none
  std::string item_name;           ///< Japanese item name from the guideline table
  std::string envelope_field;      ///< e.g. "commonHeader.processId" for envelope errors
  std::uint64_t byte_offset = 0;   ///< offset in the body (or embedded payload) where it failed
};

/// One error: a category, a message that says what to do, and optional details.
/// Messages never contain tokens, codes, keys or record values (only item names and positions).
/// A value type: const use from several threads is safe, a change needs one thread at a time
/// (as for Result and Status).
class MYNA_CORE_API Error {
 public:
  using Clock = std::chrono::system_clock;

  Error(ErrorCategory category, std::string message);

  ErrorCategory category() const noexcept { return category_; }
  const std::string& message() const noexcept { return message_; }

  /// HTTP status of the response that caused the error, if any.
  std::optional<int> http_status() const noexcept { return http_status_; }
  /// When to try again (maintenance, rate limiting, 503/429 Retry-After).
  std::optional<Clock::time_point> retry_after() const noexcept { return retry_after_; }
  /// The service's commonHeader.errorCode (or OAuth "error" value), if one was given.
  const std::string& service_code() const noexcept { return service_code_; }
  /// Set for decode errors.
  const std::optional<DecodeLocation>& location() const noexcept { return location_; }
  /// The audit facts of the retrieval this error ended (myna/retrieval_info.hpp): set on
  /// every error a fetch returns, null on errors of other calls.
  const RetrievalInfo* retrieval() const noexcept { return retrieval_.get(); }

  Error& with_http_status(int status) &;
  Error&& with_http_status(int status) &&;
  Error& with_retry_after(Clock::time_point when) &;
  Error&& with_retry_after(Clock::time_point when) &&;
  Error& with_service_code(std::string code) &;
  Error&& with_service_code(std::string code) &&;
  Error& with_location(DecodeLocation where) &;
  Error&& with_location(DecodeLocation where) &&;
  Error& with_retrieval(std::shared_ptr<const RetrievalInfo> info) &;
  Error&& with_retrieval(std::shared_ptr<const RetrievalInfo> info) &&;
  /// Puts "context: " before the message (which operation failed, e.g. "request telegram
  /// TL-…"); every other field stays as it is.
  Error& with_context(std::string_view context) &;
  Error&& with_context(std::string_view context) &&;

  /// True for categories a retry policy may retry (network, timeout of one attempt,
  /// maintenance, rate_limited, 5xx/408 http) — only for calls that are safe to repeat.
  bool transient() const noexcept;

  /// "category: message" plus details, e.g. for logs. Never contains secrets.
  std::string to_string() const;

 private:
  ErrorCategory category_;
  std::string message_;
  std::optional<int> http_status_;
  std::optional<Clock::time_point> retry_after_;
  std::string service_code_;
  std::optional<DecodeLocation> location_;
  std::shared_ptr<const RetrievalInfo> retrieval_;
};

MYNA_CORE_API std::ostream& operator<<(std::ostream& os, const Error& error);
MYNA_CORE_API std::ostream& operator<<(std::ostream& os, ErrorCategory category);

/// Thrown only by Result::value() / Status::value() on an error.
class MYNA_CORE_API Exception : public std::exception {
 public:
  explicit Exception(Error error);
  const char* what() const noexcept override { return what_.c_str(); }
  const Error& error() const noexcept { return error_; }

 private:
  Error error_;
  std::string what_;
};

/// A value or an Error (like google-cloud-cpp's StatusOr).
template <class T>
class [[nodiscard]] Result {
 public:
  Result(T value) : state_(std::in_place_index<0>, std::move(value)) {}      // NOLINT: implicit
  Result(Error error) : state_(std::in_place_index<1>, std::move(error)) {}  // NOLINT: implicit

  bool ok() const noexcept { return state_.index() == 0; }
  explicit operator bool() const noexcept { return ok(); }

  /// The value; throws myna::Exception when this holds an error.
  T& value() & {
    check();
    return std::get<0>(state_);
  }
  const T& value() const& {
    check();
    return std::get<0>(state_);
  }
  T&& value() && {
    check();
    return std::get<0>(std::move(state_));
  }

  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T&& operator*() && { return std::move(*this).value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

  /// The error; only valid when !ok().
  const Error& error() const& { return std::get<1>(state_); }
  Error&& error() && { return std::get<1>(std::move(state_)); }

 private:
  void check() const {
    if (!ok()) throw Exception(std::get<1>(state_));
  }
  std::variant<T, Error> state_;
};

/// Success or an Error. One pointer in size (null when ok): a batch keeps one per citizen.
class [[nodiscard]] Status {
 public:
  Status() = default;
  Status(Error error) : error_(std::make_unique<Error>(std::move(error))) {}  // NOLINT: implicit
  Status(const Status& other) : error_(copy(other.error_)) {}
  Status& operator=(const Status& other) {
    if (this != &other) error_ = copy(other.error_);
    return *this;
  }
  Status(Status&&) noexcept = default;
  Status& operator=(Status&&) noexcept = default;

  bool ok() const noexcept { return error_ == nullptr; }
  explicit operator bool() const noexcept { return ok(); }
  /// Throws myna::Exception when this holds an error.
  void value() const {
    if (error_) throw Exception(*error_);
  }
  const Error& error() const& { return *error_; }
  Error&& error() && { return std::move(*error_); }

 private:
  static std::unique_ptr<Error> copy(const std::unique_ptr<Error>& e) {
    return e ? std::make_unique<Error>(*e) : nullptr;
  }
  std::unique_ptr<Error> error_;
};

}  // namespace myna
