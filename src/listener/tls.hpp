// The listener's TLS server context (internal header): certificate and key from PEM files,
// TLS 1.2 or newer, no renegotiation, and optionally the notifier's client certificate checked
// against a CA file and a list of required names during the handshake.
#pragma once

#include <openssl/ssl.h>

#include <memory>
#include <string>
#include <vector>

#include "myna/error.hpp"

namespace myna::internal::listener {

struct SslCtxFree {
  void operator()(SSL_CTX* ctx) const { SSL_CTX_free(ctx); }
};
using SslContext = std::unique_ptr<SSL_CTX, SslCtxFree>;

struct TlsServerFiles {
  std::string cert_file, key_file;
  std::string client_ca_file;             ///< empty: no client certificate asked for
  std::vector<std::string> client_names;  ///< with client_ca_file: one must be in the certificate
};

/// The server context, or a `tls` error (files that do not load; never their contents).
Result<SslContext> make_server_context(const TlsServerFiles& files);

}  // namespace myna::internal::listener
