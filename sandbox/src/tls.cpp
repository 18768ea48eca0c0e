#include "tls.hpp"

#include <openssl/pem.h>
#include <openssl/x509v3.h>

namespace myna::internal::sandbox {
namespace {

struct BioDeleter {
  void operator()(BIO* bio) const { BIO_free(bio); }
};

std::unique_ptr<BIO, BioDeleter> memory_bio(const std::string& pem) {
  return std::unique_ptr<BIO, BioDeleter>(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
}

constexpr unsigned char kSessionContext[] = "myna-sandbox";

}  // namespace

X509Ptr parse_cert(const std::string& pem) {
  auto bio = memory_bio(pem);
  return X509Ptr(bio ? PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr) : nullptr);
}

KeyPtr parse_key(const std::string& pem) {
  auto bio = memory_bio(pem);
  return KeyPtr(bio ? PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr) : nullptr);
}

bool configure_server_ctx(SSL_CTX& ctx, X509* cert, EVP_PKEY* key, X509* client_ca, bool require_client_cert) {
  SSL_CTX_set_options(&ctx, SSL_OP_NO_COMPRESSION | SSL_OP_NO_RENEGOTIATION);
  SSL_CTX_set_min_proto_version(&ctx, TLS1_2_VERSION);
  if (SSL_CTX_use_certificate(&ctx, cert) != 1 || SSL_CTX_use_PrivateKey(&ctx, key) != 1 ||
      SSL_CTX_check_private_key(&ctx) != 1)
    return false;
  if (X509_STORE_add_cert(SSL_CTX_get_cert_store(&ctx), client_ca) != 1) return false;
  if (SSL_CTX_add_client_CA(&ctx, client_ca) != 1) return false;
  SSL_CTX_set_purpose(&ctx, X509_PURPOSE_SSL_CLIENT);
  // The API host refuses the handshake without a valid client certificate (mutual TLS); the
  // consent host asks for none.
  SSL_CTX_set_verify(&ctx, require_client_cert ? SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT : SSL_VERIFY_NONE,
                     nullptr);
  // Needed for session resumption when client certificates are verified.
  SSL_CTX_set_session_id_context(&ctx, kSessionContext, sizeof kSessionContext - 1);
  return true;
}

bool has_verified_client_cert(const SSL* ssl) {
  return ssl && SSL_get0_peer_certificate(ssl) != nullptr && SSL_get_verify_result(ssl) == X509_V_OK;
}

}  // namespace myna::internal::sandbox
