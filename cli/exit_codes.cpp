#include "exit_codes.hpp"

#include <iostream>

namespace myna::cli {

int exit_code(ErrorCategory category) noexcept {
  switch (category) {
    case ErrorCategory::validation: return kUsage;
    case ErrorCategory::auth:
    case ErrorCategory::consent_denied:
    case ErrorCategory::certificate_expired:
    case ErrorCategory::consent_required:
    case ErrorCategory::not_registered: return kConsent;
    case ErrorCategory::network:
    case ErrorCategory::tls:
    case ErrorCategory::timeout: return kNetwork;
    case ErrorCategory::http:
    case ErrorCategory::maintenance:
    case ErrorCategory::rate_limited:
    case ErrorCategory::protocol: return kService;
    case ErrorCategory::decode: return kData;
    case ErrorCategory::storage: return kStorage;
    case ErrorCategory::cancelled: return kInterrupted;
  }
  return kInternal;
}

std::string_view advice(ErrorCategory category) noexcept {
  switch (category) {
    case ErrorCategory::validation: return "check the command line and the configuration (myna <command> --help)";
    case ErrorCategory::auth:
    case ErrorCategory::consent_required: return "run `myna login` for this citizen to consent (again)";
    case ErrorCategory::consent_denied: return "the citizen refused consent at Mynaportal; nothing to retry";
    case ErrorCategory::certificate_expired:
      return "the citizen must renew the My Number Card certificate, then `myna login`";
    case ErrorCategory::network: return "check the network and api_base_url, then retry";
    case ErrorCategory::tls: return "check ca_file, client_cert and client_key in the configuration";
    case ErrorCategory::timeout: return "the service did not answer in time; retry later (notification_timeout)";
    case ErrorCategory::http:
    case ErrorCategory::protocol: return "the service answered unexpectedly; check the configuration, retry later";
    case ErrorCategory::maintenance: return "the service is in maintenance; retry after the time given";
    case ErrorCategory::rate_limited: return "too many requests; retry later or lower --concurrency";
    case ErrorCategory::decode: return "the service sent malformed records; report it (nothing was stored)";
    case ErrorCategory::storage: return "check the token directory and the output path (permissions, disk space)";
    case ErrorCategory::cancelled: return "interrupted";
    case ErrorCategory::not_registered:
      return "the citizen must first register at Mynaportal (利用者登録), then `myna login`";
  }
  return "";
}

int report(const Error& error, std::string_view doing) {
  std::cerr << "myna: " << doing << ": " << error.to_string() << "\n  -> " << advice(error.category()) << "\n";
  return exit_code(error.category());
}

int usage_error(std::string_view command, std::string_view message) {
  std::cerr << "myna: " << message << "\n(see `myna " << command << (command.empty() ? "" : " ") << "--help`)\n";
  return kUsage;
}

}  // namespace myna::cli
