// Address allowlist and path secret for the notification endpoint (see notifier_gate.hpp).
#include "myna/process/notifier_gate.hpp"

#include <arpa/inet.h>

#include <algorithm>
#include <cstring>

#include "internal/text.hpp"

namespace myna {
namespace {

Error invalid(const std::string& message) { return Error(ErrorCategory::validation, "notifier: " + message); }

}  // namespace

bool NotifierGate::parse_address(std::string_view text, Network& out) {
  const std::string s(text);
  in_addr v4{};
  in6_addr v6{};
  if (::inet_pton(AF_INET, s.c_str(), &v4) == 1) {
    out.v4 = true;
    std::memcpy(out.bytes.data(), &v4, 4);
    out.prefix_bits = 32;
    return true;
  }
  if (::inet_pton(AF_INET6, s.c_str(), &v6) != 1) return false;
  if (IN6_IS_ADDR_V4MAPPED(&v6)) {  // ::ffff:a.b.c.d is the IPv4 peer of a dual-stack socket
    out.v4 = true;
    std::memcpy(out.bytes.data(), &v6.s6_addr[12], 4);
    out.prefix_bits = 32;
    return true;
  }
  out.v4 = false;
  std::memcpy(out.bytes.data(), &v6, 16);
  out.prefix_bits = 128;
  return true;
}

Result<NotifierGate::Network> NotifierGate::parse_network(const std::string& text) {
  const auto slash = text.find('/');
  Network n;
  if (!parse_address(std::string_view(text).substr(0, slash), n))
    return invalid("allowed_networks: \"" + text + "\" is not an address or CIDR block");
  if (slash == std::string::npos) return n;
  const std::string bits = text.substr(slash + 1);
  const int max = n.v4 ? 32 : 128;
  if (bits.size() > 3 || !internal::all_digits(bits) || std::stoi(bits) > max)
    return invalid("allowed_networks: \"" + text + "\" has no valid prefix length (0–" + std::to_string(max) + ")");
  n.prefix_bits = std::stoi(bits);
  return n;
}

bool NotifierGate::contains(const Network& network, const Network& address) {
  if (network.v4 != address.v4) return false;
  const int whole = network.prefix_bits / 8, rest = network.prefix_bits % 8;
  if (std::memcmp(network.bytes.data(), address.bytes.data(), static_cast<std::size_t>(whole)) != 0) return false;
  if (rest == 0) return true;
  const auto mask = static_cast<std::uint8_t>(0xff << (8 - rest));
  return (network.bytes[static_cast<std::size_t>(whole)] & mask) ==
         (address.bytes[static_cast<std::size_t>(whole)] & mask);
}

Result<NotifierGate> NotifierGate::create(const std::vector<std::string>& allowed_networks, SecretString path_secret) {
  NotifierGate gate;
  for (const std::string& text : allowed_networks) {
    auto network = parse_network(text);
    if (!network) return std::move(network).error();
    gate.networks_.push_back(*network);
  }
  const std::string_view secret = path_secret.reveal();
  if (!secret.empty() && (secret.size() < kMinSecretLength || secret.size() > kMaxSecretLength))
    return invalid("path_secret must have " + std::to_string(kMinSecretLength) + " to " +
                   std::to_string(kMaxSecretLength) + " characters");
  if (!std::all_of(secret.begin(), secret.end(), internal::is_url_unreserved))  // one path segment, unescaped
    return invalid("path_secret may hold only A-Z a-z 0-9 - . _ ~ (one path segment)");
  gate.path_secret_ = std::move(path_secret);
  return gate;
}

bool NotifierGate::admits_address(std::string_view peer_address) const {
  if (networks_.empty()) return true;
  Network address;
  if (!parse_address(peer_address, address)) return false;
  return std::any_of(networks_.begin(), networks_.end(), [&](const Network& n) { return contains(n, address); });
}

bool NotifierGate::admits_path(std::string_view request_path, std::string_view notification_path) const {
  if (path_secret_.empty()) return request_path == notification_path;
  const std::size_t base = notification_path.size();
  const bool prefix_ok =
      request_path.size() > base && request_path.substr(0, base) == notification_path && request_path[base] == '/';
  // The secret is compared whatever the prefix, so the time does not tell which part was wrong.
  const bool secret_ok = path_secret_.equals(prefix_ok ? request_path.substr(base + 1) : std::string_view());
  return prefix_ok && secret_ok;
}

std::string NotifierGate::path_for(std::string_view notification_path) const {
  std::string path(notification_path);
  if (!path_secret_.empty()) path.append("/").append(path_secret_.reveal());
  return path;
}

}  // namespace myna
