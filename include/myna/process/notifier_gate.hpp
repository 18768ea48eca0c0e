// Checks a deployment puts in front of the notification handler: which addresses may send
// notifications (an allowlist of networks) and a secret path segment only the service knows.
// CallbackListener applies them itself (ListenerOptions::notifier); an application serving the
// endpoint from its own web server calls them before NotificationHandler::handle.
// docs/security.md says what they prove about a sender and what they do not.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "myna/error.hpp"
#include "myna/export.hpp"
#include "myna/secret.hpp"

namespace myna {

class MYNA_API NotifierGate {
 public:
  /// Length limits of a path secret (characters A–Z a–z 0–9 - . _ ~, one path segment).
  static constexpr std::size_t kMinSecretLength = 16, kMaxSecretLength = 256;

  /// A gate that admits every address and has no path secret.
  NotifierGate() = default;

  /// `allowed_networks`: CIDR blocks ("203.0.113.0/24", "2001:db8::/32") or single
  /// addresses; empty admits every address. `path_secret`: empty, or the secret segment that
  /// follows the notification path ("/myna/notify/<secret>"). A `validation` error names the
  /// malformed network; it never shows the secret.
  static Result<NotifierGate> create(const std::vector<std::string>& allowed_networks,
                                     SecretString path_secret = SecretString());

  /// Whether a peer address (text: "192.0.2.1", "2001:db8::1", "::ffff:192.0.2.1") is in one
  /// of the allowed networks. An address that does not parse is refused.
  bool admits_address(std::string_view peer_address) const;

  /// Whether a request path (without query) is `notification_path`, followed by "/" and the
  /// secret when one is set. The secret is compared in constant time.
  bool admits_path(std::string_view request_path, std::string_view notification_path) const;

  /// The path to register with the service: `notification_path` + "/" + secret (contains the
  /// secret: never log it), or `notification_path` without a secret.
  std::string path_for(std::string_view notification_path) const;

  bool has_allowlist() const noexcept { return !networks_.empty(); }
  bool has_path_secret() const noexcept { return !path_secret_.empty(); }

 private:
  struct Network {
    std::array<std::uint8_t, 16> bytes{};  ///< IPv4 in the first 4
    int prefix_bits = 0;
    bool v4 = false;
  };
  static bool parse_address(std::string_view text, Network& out);
  static Result<Network> parse_network(const std::string& text);
  static bool contains(const Network& network, const Network& address);

  std::vector<Network> networks_;
  SecretString path_secret_;
};

}  // namespace myna
