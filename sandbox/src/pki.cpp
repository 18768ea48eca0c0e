#include "myna/sandbox/pki.hpp"

#include <fcntl.h>
#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <stdexcept>

#include "internal/secure_file.hpp"

namespace myna::sandbox {
namespace {

[[noreturn]] void fail(const char* what) { throw std::runtime_error(std::string("pki: ") + what); }

struct KeyDeleter {
  void operator()(EVP_PKEY* k) const { EVP_PKEY_free(k); }
};
struct CertDeleter {
  void operator()(X509* c) const { X509_free(c); }
};
using Key = std::unique_ptr<EVP_PKEY, KeyDeleter>;
using Cert = std::unique_ptr<X509, CertDeleter>;

Key new_key() {
  EVP_PKEY* k = EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256");
  if (!k) fail("key generation failed");
  return Key(k);
}

std::string to_pem(X509* cert) {
  BIO* bio = BIO_new(BIO_s_mem());
  PEM_write_bio_X509(bio, cert);
  char* data = nullptr;
  long n = BIO_get_mem_data(bio, &data);
  std::string s(data, static_cast<std::size_t>(n));
  BIO_free(bio);
  return s;
}

std::string to_pem(EVP_PKEY* key) {
  BIO* bio = BIO_new(BIO_s_mem());
  PEM_write_bio_PrivateKey(bio, key, nullptr, nullptr, 0, nullptr, nullptr);
  char* data = nullptr;
  long n = BIO_get_mem_data(bio, &data);
  std::string s(data, static_cast<std::size_t>(n));
  BIO_free(bio);
  return s;
}

void add_ext(X509* cert, X509* issuer, int nid, const std::string& value) {
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, issuer, cert, nullptr, nullptr, 0);
  X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value.c_str());
  if (!ext) fail("bad extension");
  X509_add_ext(cert, ext, -1);
  X509_EXTENSION_free(ext);
}

Cert new_cert(const std::string& cn, EVP_PKEY* key, long not_before_s, long not_after_s) {
  static long serial = 1;
  Cert cert(X509_new());
  X509_set_version(cert.get(), 2);
  ASN1_INTEGER_set(X509_get_serialNumber(cert.get()), serial++ + static_cast<long>(::getpid()) * 1000);
  X509_gmtime_adj(X509_getm_notBefore(cert.get()), not_before_s);
  X509_gmtime_adj(X509_getm_notAfter(cert.get()), not_after_s);
  X509_set_pubkey(cert.get(), key);
  X509_NAME* name = X509_get_subject_name(cert.get());
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8, reinterpret_cast<const unsigned char*>(cn.c_str()), -1, -1, 0);
  return cert;
}

}  // namespace

struct CertificateAuthority::Impl {
  Key key;
  Cert cert;
  PemPair pem;
};

CertificateAuthority::CertificateAuthority(const std::string& common_name) : impl_(std::make_unique<Impl>()) {
  impl_->key = new_key();
  impl_->cert = new_cert(common_name, impl_->key.get(), -3600, 3600L * 24 * 365);
  X509_set_issuer_name(impl_->cert.get(), X509_get_subject_name(impl_->cert.get()));
  add_ext(impl_->cert.get(), impl_->cert.get(), NID_basic_constraints, "critical,CA:TRUE");
  add_ext(impl_->cert.get(), impl_->cert.get(), NID_key_usage, "critical,keyCertSign,cRLSign");
  add_ext(impl_->cert.get(), impl_->cert.get(), NID_subject_key_identifier, "hash");
  if (!X509_sign(impl_->cert.get(), impl_->key.get(), EVP_sha256())) fail("CA signing failed");
  impl_->pem = {to_pem(impl_->cert.get()), to_pem(impl_->key.get())};
}

CertificateAuthority::~CertificateAuthority() = default;
CertificateAuthority::CertificateAuthority(CertificateAuthority&&) noexcept = default;
CertificateAuthority& CertificateAuthority::operator=(CertificateAuthority&&) noexcept = default;

const PemPair& CertificateAuthority::ca() const noexcept { return impl_->pem; }

PemPair CertificateAuthority::issue(const CertSpec& spec) const {
  Key key = new_key();
  long valid = static_cast<long>(std::chrono::duration_cast<std::chrono::seconds>(spec.valid_for).count());
  Cert cert = spec.expired ? new_cert(spec.common_name, key.get(), -2 * valid - 7200, -3600)
                           : new_cert(spec.common_name, key.get(), -3600, valid);
  X509_set_issuer_name(cert.get(), X509_get_subject_name(impl_->cert.get()));
  add_ext(cert.get(), impl_->cert.get(), NID_basic_constraints, "critical,CA:FALSE");
  add_ext(cert.get(), impl_->cert.get(), NID_key_usage, "critical,digitalSignature,keyEncipherment");
  add_ext(cert.get(), impl_->cert.get(), NID_ext_key_usage, spec.server ? "serverAuth" : "clientAuth");
  add_ext(cert.get(), impl_->cert.get(), NID_authority_key_identifier, "keyid:always");
  std::string san;
  for (const auto& d : spec.dns_names) san += (san.empty() ? "" : ",") + std::string("DNS:") + d;
  for (const auto& ip : spec.ip_addresses) san += (san.empty() ? "" : ",") + std::string("IP:") + ip;
  if (!san.empty()) add_ext(cert.get(), impl_->cert.get(), NID_subject_alt_name, san);
  if (!X509_sign(cert.get(), impl_->key.get(), EVP_sha256())) fail("signing failed");
  return {to_pem(cert.get()), to_pem(key.get())};
}

CertSpec loopback_server_spec() {
  CertSpec spec;
  spec.common_name = "localhost";
  spec.dns_names = {"localhost"};
  spec.ip_addresses = {"127.0.0.1", "::1"};
  return spec;
}

void write_file(const std::string& path, const std::string& text, unsigned mode) {
  // The SDK's safe writer: a symlink planted at the path (or a guessed temp name) is never followed.
  if (Status st = internal::atomic_write_path(path, text, static_cast<mode_t>(mode)); !st)
    throw std::runtime_error("pki: cannot write " + path + ": " + st.error().message());
}

std::string make_temp_dir(const std::string& prefix) {
  const char* tmp = std::getenv("TMPDIR");
  std::string tmpl = std::string(tmp && *tmp ? tmp : "/tmp") + "/" + prefix + "-XXXXXX";
  if (!::mkdtemp(tmpl.data())) fail("mkdtemp failed");
  return tmpl;
}

}  // namespace myna::sandbox
