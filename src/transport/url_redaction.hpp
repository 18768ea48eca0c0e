// URL text that is safe to log or put in an error message: scheme, host, port and path only
// (no user info, no query string, no fragment). For messages only, never for decisions.
#pragma once

#include <string>
#include <string_view>

namespace myna::internal {

inline std::string redact_url(std::string_view url) {
  std::string_view rest = url;
  std::string scheme;
  if (std::size_t colon = rest.find("://"); colon != std::string_view::npos) {
    scheme = std::string(rest.substr(0, colon + 3));
    rest.remove_prefix(colon + 3);
  }
  rest = rest.substr(0, rest.find_first_of("?#"));
  std::size_t authority_end = rest.find('/');
  std::string_view authority = rest.substr(0, authority_end);
  if (std::size_t at = authority.rfind('@'); at != std::string_view::npos) { authority.remove_prefix(at + 1); }
  std::string_view path = authority_end == std::string_view::npos ? std::string_view() : rest.substr(authority_end);
  return scheme + std::string(authority) + std::string(path);
}

/// "POST https://host/path": how requests are named in logs and error messages.
inline std::string describe_request(std::string_view method, std::string_view url) {
  std::string text(method);
  text += ' ';
  text += redact_url(url);
  return text;
}

}  // namespace myna::internal
