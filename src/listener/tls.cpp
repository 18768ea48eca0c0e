// The listener's TLS server context (see tls.hpp).
#include "listener/tls.hpp"

#include <openssl/err.h>
#include <openssl/x509v3.h>

namespace myna::internal::listener {
namespace {

Error tls_error(const std::string& message) {
  ERR_clear_error();
  return Error(ErrorCategory::tls, "listener: " + message);
}

/// Client certificates of `ca_file` only, and (if names are given) only those carrying one of
/// the names: a DNS subjectAltName, or the subject CN when there is no DNS name; exact match,
/// no wildcards. Checked while verifying the chain, so a refusal fails the handshake.
Status require_client_certificate(SSL_CTX* ctx, const TlsServerFiles& files) {
  if (SSL_CTX_load_verify_locations(ctx, files.client_ca_file.c_str(), nullptr) != 1)
    return tls_error("cannot load the notifier CA file (client_ca_file, PEM expected)");
  if (STACK_OF(X509_NAME)* names = SSL_load_client_CA_file(files.client_ca_file.c_str()))
    SSL_CTX_set_client_CA_list(ctx, names);  // tells the notifier which certificate to present
  SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT, nullptr);
  static const unsigned char kSessionContext[] = "myna-listener";
  SSL_CTX_set_session_id_context(ctx, kSessionContext, sizeof kSessionContext - 1);
  X509_VERIFY_PARAM* param = SSL_CTX_get0_param(ctx);
  X509_VERIFY_PARAM_set_hostflags(param, X509_CHECK_FLAG_NO_WILDCARDS);
  for (const std::string& name : files.client_names)
    if (X509_VERIFY_PARAM_add1_host(param, name.c_str(), name.size()) != 1)
      return tls_error("a client name is not usable: " + name);
  return {};
}

}  // namespace

Result<SslContext> make_server_context(const TlsServerFiles& files) {
  SslContext ctx(SSL_CTX_new(TLS_server_method()));
  if (!ctx) return tls_error("cannot create a TLS context");
  SSL_CTX_set_min_proto_version(ctx.get(), TLS1_2_VERSION);
  SSL_CTX_set_options(ctx.get(), SSL_OP_NO_RENEGOTIATION | SSL_OP_NO_COMPRESSION | SSL_OP_CIPHER_SERVER_PREFERENCE);
  SSL_CTX_set_mode(ctx.get(),
                   SSL_MODE_ENABLE_PARTIAL_WRITE | SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER | SSL_MODE_RELEASE_BUFFERS);
  if (SSL_CTX_use_certificate_chain_file(ctx.get(), files.cert_file.c_str()) != 1 ||
      SSL_CTX_use_PrivateKey_file(ctx.get(), files.key_file.c_str(), SSL_FILETYPE_PEM) != 1 ||
      SSL_CTX_check_private_key(ctx.get()) != 1)
    return tls_error("cannot load the certificate or key file (PEM expected)");
  if (!files.client_ca_file.empty())
    if (Status st = require_client_certificate(ctx.get(), files); !st) return std::move(st).error();
  return ctx;
}

}  // namespace myna::internal::listener
