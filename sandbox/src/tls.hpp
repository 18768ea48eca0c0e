// OpenSSL glue of the sandbox server: PEM parsing and the server SSL_CTX (client certificate
// requested but optional at the handshake, so the browser-facing authorize endpoint works
// without one; the token endpoint then insists on it).
#pragma once

#include <openssl/ssl.h>

#include <memory>
#include <string>

namespace myna::internal::sandbox {

struct X509Deleter {
  void operator()(X509* cert) const { X509_free(cert); }
};
struct KeyDeleter {
  void operator()(EVP_PKEY* key) const { EVP_PKEY_free(key); }
};
using X509Ptr = std::unique_ptr<X509, X509Deleter>;
using KeyPtr = std::unique_ptr<EVP_PKEY, KeyDeleter>;

X509Ptr parse_cert(const std::string& pem);
KeyPtr parse_key(const std::string& pem);

/// Configures a server context: certificate and key, TLS >= 1.2, client certificates from
/// `client_ca` verified when presented (purpose: TLS client).
bool configure_server_ctx(SSL_CTX& ctx, X509* cert, EVP_PKEY* key, X509* client_ca, bool require_client_cert);

/// Whether the TLS peer presented a certificate that verified against the client CA.
bool has_verified_client_cert(const SSL* ssl);

}  // namespace myna::internal::sandbox
