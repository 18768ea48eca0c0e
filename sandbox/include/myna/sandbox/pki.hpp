// A throwaway PKI for the sandbox and the tests: a CA, server and client certificates made
// with OpenSSL at start-up (EC P-256, SHA-256). Never for production.
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <vector>

namespace myna::sandbox {

struct PemPair {
  std::string cert_pem;
  std::string key_pem;
};

struct CertSpec {
  std::string common_name;
  std::vector<std::string> dns_names;     ///< subjectAltName DNS entries (server)
  std::vector<std::string> ip_addresses;  ///< subjectAltName IP entries (server)
  bool server = true;                     ///< serverAuth; false: clientAuth
  std::chrono::hours valid_for{24 * 30};
  bool expired = false;  ///< validity entirely in the past
};

/// Not thread-safe: issue certificates from one thread at a time.
class CertificateAuthority {
 public:
  /// A new self-signed CA. Throws std::runtime_error if OpenSSL fails.
  explicit CertificateAuthority(const std::string& common_name = "myna-sandbox CA");
  ~CertificateAuthority();
  CertificateAuthority(CertificateAuthority&&) noexcept;
  CertificateAuthority& operator=(CertificateAuthority&&) noexcept;

  const PemPair& ca() const noexcept;
  PemPair issue(const CertSpec& spec) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

/// A server certificate for 127.0.0.1, ::1 and localhost.
CertSpec loopback_server_spec();

/// Writes text to path with the given mode (e.g. 0600 for keys), atomically and never through
/// a symlink (a temp file created O_EXCL | O_NOFOLLOW, renamed over the path).
void write_file(const std::string& path, const std::string& text, unsigned mode = 0644);
/// A fresh private directory under $TMPDIR (mode 0700).
std::string make_temp_dir(const std::string& prefix);

}  // namespace myna::sandbox
