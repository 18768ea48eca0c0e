// "HOST:PORT" and "[v6]:PORT" read into a host and a port (internal header).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "internal/text.hpp"

namespace myna::internal {

/// The host (brackets of an IPv6 literal removed) and the port 0..65535; nullopt when the
/// text has no host, no port or a port that is not a number in range.
inline std::optional<std::pair<std::string, int>> parse_host_port(std::string_view text) {
  const std::size_t colon = text.rfind(':');
  if (colon == std::string_view::npos || colon == 0) return std::nullopt;
  std::string_view host = text.substr(0, colon);
  if (host.size() > 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  const std::string_view port = text.substr(colon + 1);
  if (!all_digits(port) || port.size() > 5) return std::nullopt;
  const auto number = static_cast<int>(digits_value(port));
  if (number > 65535) return std::nullopt;
  return std::make_pair(std::string(host), number);
}

}  // namespace myna::internal
