// Checks, when the transport is made, that the TLS files it was given can be used: present,
// readable, PEM, and a client key that opens with its passphrase and matches its certificate.
// An option that cannot be honoured is an error at construction, never at the first request.
// Internal to curl_transport.cpp.
#pragma once

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <sys/stat.h>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>

#include "myna/error.hpp"
#include "myna/secret.hpp"
#include "myna/transport/curl_transport.hpp"

namespace myna::internal {

struct BioFree {
  void operator()(BIO* b) const { BIO_free(b); }
};
struct X509Free {
  void operator()(X509* x) const { X509_free(x); }
};
struct KeyFree {
  void operator()(EVP_PKEY* k) const { EVP_PKEY_free(k); }
};
struct InfoStackFree {
  void operator()(STACK_OF(X509_INFO) * s) const { sk_X509_INFO_pop_free(s, X509_INFO_free); }
};
using BioPtr = std::unique_ptr<BIO, BioFree>;

inline Error unreadable(const char* option, const std::string& path, const char* why) {
  return Error(ErrorCategory::validation, std::string("TlsOptions::") + option + " '" + path + "' cannot be read (" +
                                              why + "); check the path and the file's permissions");
}

/// The file's bytes; a validation error when it is missing, not a file or unreadable.
inline Result<std::string> read_tls_file(const char* option, const std::string& path) {
  struct stat info {};
  if (::stat(path.c_str(), &info) != 0) return unreadable(option, path, std::strerror(errno));
  if (!S_ISREG(info.st_mode)) return unreadable(option, path, "not a regular file");
  std::ifstream in(path, std::ios::binary);
  if (!in) return unreadable(option, path, std::strerror(errno));
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) return unreadable(option, path, "read error");
  return text.str();
}

inline BioPtr memory_bio(const std::string& text) {
  return BioPtr(BIO_new_mem_buf(text.data(), static_cast<int>(text.size())));
}

inline Error bad_pem(const char* option, const std::string& path, const char* expected) {
  ERR_clear_error();
  return Error(ErrorCategory::tls,
               std::string("TlsOptions::") + option + " '" + path + "' holds no " + expected + "; give a PEM file");
}

inline Status check_ca_file(const std::string& path) {
  Result<std::string> text = read_tls_file("ca_file", path);
  if (!text) return std::move(text).error();
  BioPtr bio = memory_bio(*text);
  std::unique_ptr<STACK_OF(X509_INFO), InfoStackFree> infos(
      PEM_X509_INFO_read_bio(bio.get(), nullptr, nullptr, nullptr));
  bool has_cert = false;
  for (int i = 0; infos && i < sk_X509_INFO_num(infos.get()); ++i) {
    has_cert = has_cert || sk_X509_INFO_value(infos.get(), i)->x509 != nullptr;
  }
  if (!has_cert) return bad_pem("ca_file", path, "PEM certificate");
  return {};
}

inline int passphrase_callback(char* buffer, int size, int /*rwflag*/, void* user) {
  const auto* passphrase = static_cast<const SecretString*>(user);
  const std::size_t n = std::min(passphrase->size(), static_cast<std::size_t>(size));
  std::memcpy(buffer, passphrase->reveal().data(), n);
  return static_cast<int>(n);
}

/// Client certificate + key: both readable PEM, the key opens and matches the certificate.
/// The key may sit in the certificate file when client_key_file is empty.
inline Status check_client_identity(const TlsOptions& tls) {
  if (tls.client_cert_file.empty()) {
    if (!tls.client_key_file.empty() || !tls.client_key_passphrase.empty()) {
      return Error(ErrorCategory::validation,
                   "TlsOptions::client_key_file / client_key_passphrase are set without client_cert_file; "
                   "set the client certificate too or remove them");
    }
    return {};
  }
  Result<std::string> cert_text = read_tls_file("client_cert_file", tls.client_cert_file);
  if (!cert_text) return std::move(cert_text).error();
  BioPtr cert_bio = memory_bio(*cert_text);
  std::unique_ptr<X509, X509Free> cert(PEM_read_bio_X509(cert_bio.get(), nullptr, nullptr, nullptr));
  if (!cert) return bad_pem("client_cert_file", tls.client_cert_file, "PEM certificate");

  const bool key_in_cert_file = tls.client_key_file.empty();
  const std::string& key_path = key_in_cert_file ? tls.client_cert_file : tls.client_key_file;
  Result<std::string> key_text = key_in_cert_file ? std::move(cert_text) : read_tls_file("client_key_file", key_path);
  if (!key_text) return std::move(key_text).error();
  BioPtr key_bio = memory_bio(*key_text);
  std::unique_ptr<EVP_PKEY, KeyFree> key(PEM_read_bio_PrivateKey(
      key_bio.get(), nullptr, passphrase_callback, const_cast<SecretString*>(&tls.client_key_passphrase)));
  wipe(*key_text);
  ERR_clear_error();
  if (!key) {
    return Error(ErrorCategory::tls, "the client key in '" + key_path +
                                         "' cannot be loaded; give a PEM private key (TlsOptions::client_key_file) "
                                         "and the right client_key_passphrase");
  }
  if (X509_check_private_key(cert.get(), key.get()) != 1) {
    ERR_clear_error();
    return Error(ErrorCategory::tls, "the client key '" + key_path + "' does not belong to the client certificate '" +
                                         tls.client_cert_file + "'; give the matching pair");
  }
  return {};
}

inline Status check_tls_files(const TlsOptions& tls) {
  if (!tls.ca_file.empty()) {
    if (Status st = check_ca_file(tls.ca_file); !st) return st;
  }
  return check_client_identity(tls);
}

}  // namespace myna::internal
