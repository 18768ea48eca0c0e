// The default transport: libcurl with OpenSSL, a connection pool owned by the transport
// object, TLS verification always on, mutual TLS with the provider's client certificate.
#pragma once

#include <chrono>
#include <memory>
#include <string>

#include "myna/export.hpp"
#include "myna/log.hpp"
#include "myna/transport/transport.hpp"

namespace myna {

struct TlsOptions {
  /// CA bundle (PEM) that signs the service's certificate; "" = the system's store.
  std::string ca_file;
  /// The provider's client certificate and key (PEM files) for mutual TLS.
  std::string client_cert_file;
  std::string client_key_file;
  SecretString client_key_passphrase;
  // There is deliberately no option to turn verification off.
};

struct CurlTransportOptions {
  TlsOptions tls;
  std::string proxy;  ///< e.g. "http://proxy.example:8080"; "" = none (curl's env vars are ignored)
  std::chrono::milliseconds connect_timeout{std::chrono::seconds(10)};
  std::chrono::milliseconds total_timeout{std::chrono::seconds(120)};  ///< per attempt
  /// Stall detection: abort when fewer than low_speed_bytes per second arrive for low_speed_time.
  long low_speed_bytes = 1;
  std::chrono::seconds low_speed_time{30};
  std::size_t max_response_bytes = std::size_t{512} << 20;  ///< size cap for collected bodies
  std::size_t max_idle_connections = 64;                    ///< pool size
  /// Development only: allow http:// to loopback hosts (127.0.0.1, ::1, localhost). Off by
  /// default; bearer tokens are otherwise refused on plain HTTP.
  bool allow_plain_http_loopback = false;
  Logger logger;
};

/// Creates the libcurl transport (thread-safe, as every HttpTransport; its connection pool is
/// shared by the threads that use it); fails with a validation/tls error when a file is missing
/// or unreadable (an option that cannot be honoured is an error, never silently ignored).
MYNA_API Result<std::shared_ptr<HttpTransport>> make_curl_transport(CurlTransportOptions options);

}  // namespace myna
