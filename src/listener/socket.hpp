// Sockets for the listener (internal header): a non-blocking listening socket without
// SO_REUSEPORT, peer addresses as text, and the process-wide SIGPIPE policy.
#pragma once

#include "internal/sigpipe.hpp"

#include <sys/socket.h>

#include <string>

#include "myna/error.hpp"

namespace myna::internal::listener {

/// True for "localhost", "::1" and 127.0.0.0/8.
bool is_loopback_host(const std::string& host);

/// A non-blocking, close-on-exec socket listening on host:port (port 0: any free port), with
/// SO_REUSEADDR only: SO_REUSEPORT would let another process bind the same port and receive
/// the notifications. Returns the descriptor.
Result<int> listen_on(const std::string& host, int port);

/// The port a socket is bound to (-1 on error).
int local_port(int fd);

/// The peer's address as text ("192.0.2.1", "2001:db8::1"); an IPv4-mapped IPv6 address is
/// given as IPv4. Empty for other families.
std::string address_text(const sockaddr_storage& address);

/// Makes a socket non-blocking and close-on-exec; false on error.
bool make_nonblocking(int fd);

/// Ignores SIGPIPE process-wide unless the application installed its own handler (a peer
/// closing mid-answer must not kill the process; TLS writes cannot use MSG_NOSIGNAL).
using internal::ignore_sigpipe;  // internal/sigpipe.hpp

}  // namespace myna::internal::listener
