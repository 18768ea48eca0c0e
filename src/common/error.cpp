#include "myna/error.hpp"

#include <chrono>
#include <ostream>

#include "internal/civil_date.hpp"

namespace myna {

const char* to_string(ErrorCategory category) noexcept {
  switch (category) {
    case ErrorCategory::network: return "network";
    case ErrorCategory::tls: return "tls";
    case ErrorCategory::http: return "http";
    case ErrorCategory::auth: return "auth";
    case ErrorCategory::consent_denied: return "consent_denied";
    case ErrorCategory::certificate_expired: return "certificate_expired";
    case ErrorCategory::consent_required: return "consent_required";
    case ErrorCategory::maintenance: return "maintenance";
    case ErrorCategory::rate_limited: return "rate_limited";
    case ErrorCategory::timeout: return "timeout";
    case ErrorCategory::cancelled: return "cancelled";
    case ErrorCategory::protocol: return "protocol";
    case ErrorCategory::decode: return "decode";
    case ErrorCategory::validation: return "validation";
    case ErrorCategory::storage: return "storage";
    case ErrorCategory::not_registered: return "not_registered";
  }
  return "unknown";
}

Error::Error(ErrorCategory category, std::string message) : category_(category), message_(std::move(message)) {}

Error& Error::with_http_status(int status) & {
  http_status_ = status;
  return *this;
}
Error&& Error::with_http_status(int status) && {
  http_status_ = status;
  return std::move(*this);
}
Error& Error::with_retry_after(Clock::time_point when) & {
  retry_after_ = when;
  return *this;
}
Error&& Error::with_retry_after(Clock::time_point when) && {
  retry_after_ = when;
  return std::move(*this);
}
Error& Error::with_service_code(std::string code) & {
  service_code_ = std::move(code);
  return *this;
}
Error&& Error::with_service_code(std::string code) && {
  service_code_ = std::move(code);
  return std::move(*this);
}
Error& Error::with_location(DecodeLocation where) & {
  location_ = std::move(where);
  return *this;
}
Error&& Error::with_location(DecodeLocation where) && {
  location_ = std::move(where);
  return std::move(*this);
}
Error& Error::with_retrieval(std::shared_ptr<const RetrievalInfo> info) & {
  retrieval_ = std::move(info);
  return *this;
}
Error&& Error::with_retrieval(std::shared_ptr<const RetrievalInfo> info) && {
  return std::move(with_retrieval(std::move(info)));
}
Error& Error::with_context(std::string_view context) & {
  message_.insert(0, std::string(context) + ": ");
  return *this;
}
Error&& Error::with_context(std::string_view context) && { return std::move(with_context(context)); }

bool Error::transient() const noexcept {
  switch (category_) {
    case ErrorCategory::network:
    case ErrorCategory::maintenance:
    case ErrorCategory::rate_limited:
    case ErrorCategory::timeout: return true;
    case ErrorCategory::http: return http_status_ && (*http_status_ >= 500 || *http_status_ == 408);
    default: return false;
  }
}

std::string Error::to_string() const {
  std::string s = myna::to_string(category_);
  s += ": ";
  s += message_;
  if (http_status_) s += " [HTTP " + std::to_string(*http_status_) + "]";
  if (!service_code_.empty()) s += " [service code " + service_code_ + "]";
  if (retry_after_) {
    const auto seconds = std::chrono::duration_cast<std::chrono::seconds>(retry_after_->time_since_epoch()).count();
    s += " [retry after ";
    s += internal::utc_instant_text(seconds);
    s += "]";
  }
  return s;
}

std::ostream& operator<<(std::ostream& os, const Error& error) { return os << error.to_string(); }
std::ostream& operator<<(std::ostream& os, ErrorCategory category) { return os << to_string(category); }

Exception::Exception(Error error) : error_(std::move(error)), what_(error_.to_string()) {}

}  // namespace myna
