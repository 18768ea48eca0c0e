// Small helpers of the sandbox: URL and form encoding, secrets, PKCE, HTTP dates, telegram ids,
// socket tricks for fault injection. Internal to the sandbox.
#pragma once

#include "internal/sigpipe.hpp"

#include <chrono>
#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include <sys/socket.h>

namespace myna::internal::sandbox {

using SteadyClock = std::chrono::steady_clock;
using SystemClock = std::chrono::system_clock;

inline constexpr const char* kJsonType = "application/json; charset=UTF-8";

/// Decodes %XX escapes and '+' (form encoding); nullopt on a malformed escape.
std::optional<std::string> url_decode(std::string_view text);
/// Parses an application/x-www-form-urlencoded body; nullopt when malformed or a field repeats.
std::optional<std::map<std::string, std::string>> parse_form(std::string_view body);

/// `bytes` random bytes from OpenSSL's CSPRNG, base64url (codes, tokens).
std::string random_secret(std::size_t bytes = 32);
/// PKCE S256: base64url(SHA-256(verifier)).
std::string pkce_s256(std::string_view verifier);
bool constant_time_equal(std::string_view a, std::string_view b) noexcept;

/// IMF-fixdate, e.g. "Sun, 06 Nov 1994 08:49:37 GMT".
std::string http_date(SystemClock::time_point when);
/// YYMMDDhhmmss of a time in JST (telegram ids).
std::string jst_stamp(SystemClock::time_point when);

/// {"error":"…","error_description":"…"}
std::string oauth_error(std::string_view error, std::string_view description);

/// "TL-" + provider number + "-" + YYMMDDhhmmss + "-" + 4 digits: 29 characters, a real date.
bool valid_telegram_id(std::string_view id, std::string_view provider_number) noexcept;

/// Whether a host name or address is loopback (127.0.0.0/8, ::1, localhost).
bool is_loopback_host(std::string_view host) noexcept;

/// "https://h:1/p?q" → origin "https://h:1" and target "/p?q" ("/" when empty).
struct UrlParts {
  std::string origin;
  std::string target;
};
std::optional<UrlParts> split_url(std::string_view url);

/// The address a listening socket is bound to.
struct SocketAddress {
  sockaddr_storage storage{};
};
std::optional<SocketAddress> bound_address(int fd) noexcept;

/// Ends a connection under the HTTP server without taking its descriptor away: shutdown(2)
/// makes the peer see the end of the stream (no response).
void shutdown_socket(int fd) noexcept;
/// The accepted connection of the listener at `local` whose peer uses `remote_port`, or -1
/// (scans /proc/self/fd).
int find_connection(const SocketAddress& local, int remote_port) noexcept;
/// Shuts down every accepted connection of the listener at `local` (server stop: idle
/// keep-alive connections would otherwise hold the server's threads until they time out).
void shutdown_connections(const SocketAddress& local) noexcept;

/// Ignores SIGPIPE process-wide unless the application installed its own handler (a peer
/// closing its end must not kill the process while the server writes).
using internal::ignore_sigpipe;  // internal/sigpipe.hpp

}  // namespace myna::internal::sandbox
