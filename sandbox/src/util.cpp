#include "util.hpp"

#include <arpa/inet.h>
#include <dirent.h>
#include <netinet/in.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <sys/socket.h>

#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <stdexcept>
#include <vector>

#include "internal/crypto.hpp"
#include "internal/json_string.hpp"
#include "internal/text.hpp"

namespace myna::internal::sandbox {
namespace {

/// Port of a socket address (IPv4 or IPv6), or -1.
int port_of(const sockaddr_storage& addr) noexcept {
  if (addr.ss_family == AF_INET) return ntohs(reinterpret_cast<const sockaddr_in&>(addr).sin_port);
  if (addr.ss_family == AF_INET6) return ntohs(reinterpret_cast<const sockaddr_in6&>(addr).sin6_port);
  return -1;
}

bool is_wildcard(const sockaddr_storage& addr) noexcept {
  if (addr.ss_family == AF_INET) return reinterpret_cast<const sockaddr_in&>(addr).sin_addr.s_addr == INADDR_ANY;
  const auto& a6 = reinterpret_cast<const sockaddr_in6&>(addr).sin6_addr;
  return addr.ss_family == AF_INET6 && IN6_IS_ADDR_UNSPECIFIED(&a6);
}

/// Whether a connection's local address belongs to the listener bound at `listener`.
bool same_listener(const sockaddr_storage& listener, const sockaddr_storage& local) noexcept {
  if (port_of(listener) != port_of(local)) return false;
  if (is_wildcard(listener)) return true;
  if (listener.ss_family != local.ss_family) return false;
  if (local.ss_family == AF_INET)
    return reinterpret_cast<const sockaddr_in&>(listener).sin_addr.s_addr ==
           reinterpret_cast<const sockaddr_in&>(local).sin_addr.s_addr;
  const auto& a = reinterpret_cast<const sockaddr_in6&>(listener).sin6_addr;
  const auto& b = reinterpret_cast<const sockaddr_in6&>(local).sin6_addr;
  return IN6_ARE_ADDR_EQUAL(&a, &b);
}

/// Local address and peer port of a connected socket; false for anything else.
bool connection(int fd, sockaddr_storage& local, int& peer_port) noexcept {
  sockaddr_storage peer{};
  socklen_t local_len = sizeof local, peer_len = sizeof peer;
  if (::getsockname(fd, reinterpret_cast<sockaddr*>(&local), &local_len) != 0) return false;
  if (::getpeername(fd, reinterpret_cast<sockaddr*>(&peer), &peer_len) != 0) return false;
  peer_port = port_of(peer);
  return peer_port >= 0;
}

/// Calls fn(fd) for every open descriptor of this process.
template <class Fn>
void for_each_fd(Fn&& fn) {
  DIR* dir = ::opendir("/proc/self/fd");
  if (!dir) return;
  const int own = ::dirfd(dir);
  std::vector<int> fds;
  while (dirent* entry = ::readdir(dir)) {
    char* end = nullptr;
    long fd = std::strtol(entry->d_name, &end, 10);
    if (end != entry->d_name && *end == '\0' && fd != own) fds.push_back(static_cast<int>(fd));
  }
  ::closedir(dir);
  for (int fd : fds) fn(fd);
}

}  // namespace

std::optional<std::string> url_decode(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '+') {
      out += ' ';
    } else if (c != '%') {
      out += c;
    } else {
      if (i + 2 >= text.size()) return std::nullopt;
      int hi = hex_value(text[i + 1]), lo = hex_value(text[i + 2]);
      if (hi < 0 || lo < 0) return std::nullopt;
      out += static_cast<char>(hi * 16 + lo);
      i += 2;
    }
  }
  return out;
}

std::optional<std::map<std::string, std::string>> parse_form(std::string_view body) {
  std::map<std::string, std::string> fields;
  while (!body.empty()) {
    std::size_t amp = body.find('&');
    std::string_view pair = body.substr(0, amp);
    body = amp == std::string_view::npos ? std::string_view{} : body.substr(amp + 1);
    if (pair.empty()) continue;
    std::size_t eq = pair.find('=');
    auto name = url_decode(pair.substr(0, eq));
    auto value = url_decode(eq == std::string_view::npos ? std::string_view{} : pair.substr(eq + 1));
    if (!name || !value) return std::nullopt;
    if (!fields.emplace(std::move(*name), std::move(*value)).second) return std::nullopt;
  }
  return fields;
}

std::string random_secret(std::size_t bytes) {
  auto raw = random_bytes(bytes);
  if (!raw) throw std::runtime_error("sandbox: RAND_bytes failed");
  return base64url(*raw);
}

std::string pkce_s256(std::string_view verifier) { return base64url(sha256(verifier)); }

bool constant_time_equal(std::string_view a, std::string_view b) noexcept {
  return a.size() == b.size() && CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

std::string http_date(SystemClock::time_point when) {
  std::time_t t = SystemClock::to_time_t(when);
  std::tm tm{};
  ::gmtime_r(&t, &tm);
  char buf[64];
  std::strftime(buf, sizeof buf, "%a, %d %b %Y %H:%M:%S GMT", &tm);
  return buf;
}

std::string jst_stamp(SystemClock::time_point when) {
  std::time_t t = SystemClock::to_time_t(when) + 9 * 3600;
  std::tm tm{};
  ::gmtime_r(&t, &tm);
  char buf[16];
  std::strftime(buf, sizeof buf, "%y%m%d%H%M%S", &tm);
  return buf;
}

std::string oauth_error(std::string_view error, std::string_view description) {
  std::string out = "{\"error\":";
  append_json_string(out, error);
  out += ",\"error_description\":";
  append_json_string(out, description);
  out += '}';
  return out;
}

bool valid_telegram_id(std::string_view id, std::string_view provider_number) noexcept {
  // TL-00000086-260101093000-0001
  if (id.size() != 29 || id.substr(0, 3) != "TL-" || id[11] != '-' || id[24] != '-') return false;
  if (id.substr(3, 8) != provider_number || !all_digits(id.substr(3, 8))) return false;
  std::string_view stamp = id.substr(12, 12);
  if (!all_digits(stamp) || !all_digits(id.substr(25, 4))) return false;
  int month = digits_at(stamp, 2, 2), day = digits_at(stamp, 4, 2);
  int hour = digits_at(stamp, 6, 2), minute = digits_at(stamp, 8, 2), second = digits_at(stamp, 10, 2);
  return month >= 1 && month <= 12 && day >= 1 && day <= 31 && hour < 24 && minute < 60 && second < 60;
}

bool is_loopback_host(std::string_view host) noexcept {
  if (host == "localhost" || host == "::1" || host == "[::1]") return true;
  in_addr addr{};
  std::string copy(host);
  return ::inet_pton(AF_INET, copy.c_str(), &addr) == 1 && (ntohl(addr.s_addr) >> 24) == 127;
}

std::optional<UrlParts> split_url(std::string_view url) {
  std::size_t scheme_end = url.find("://");
  if (scheme_end == std::string_view::npos) return std::nullopt;
  std::string_view scheme = url.substr(0, scheme_end);
  if (scheme != "http" && scheme != "https") return std::nullopt;
  std::size_t path_start = url.find_first_of("/?#", scheme_end + 3);
  UrlParts parts;
  parts.origin = std::string(url.substr(0, path_start));
  parts.target = path_start == std::string_view::npos ? "/" : std::string(url.substr(path_start));
  if (parts.target.front() != '/') parts.target.insert(0, "/");
  if (parts.origin.size() == scheme_end + 3) return std::nullopt;
  return parts;
}

void shutdown_socket(int fd) noexcept {
  if (fd >= 0) ::shutdown(fd, SHUT_RDWR);
}

std::optional<SocketAddress> bound_address(int fd) noexcept {
  SocketAddress address;
  socklen_t len = sizeof address.storage;
  if (fd < 0 || ::getsockname(fd, reinterpret_cast<sockaddr*>(&address.storage), &len) != 0) return std::nullopt;
  return address;
}

int find_connection(const SocketAddress& listener, int remote_port) noexcept {
  int found = -1;
  for_each_fd([&](int fd) {
    sockaddr_storage local{};
    int peer = -1;
    if (found < 0 && connection(fd, local, peer) && peer == remote_port && same_listener(listener.storage, local))
      found = fd;
  });
  return found;
}

void shutdown_connections(const SocketAddress& listener) noexcept {
  for_each_fd([&](int fd) {
    sockaddr_storage local{};
    int peer = -1;
    if (connection(fd, local, peer) && same_listener(listener.storage, local)) ::shutdown(fd, SHUT_RDWR);
  });
}

}  // namespace myna::internal::sandbox
