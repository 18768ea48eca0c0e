// Real sockets for the transport tests: a throwaway PKI written to files once per program,
// an in-process cpp-httplib server (plain, TLS or mutual TLS) on 127.0.0.1, and a raw TLS
// server that drops the connection after reading the request.
#pragma once

#include <httplib.h>
#include <netinet/in.h>
#include <openssl/ssl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <thread>

#include "myna/sandbox/pki.hpp"
#include "myna/transport/curl_transport.hpp"

namespace myna::test {

struct Pki {
  std::string dir = sandbox::make_temp_dir("myna-transport-test");
  sandbox::CertificateAuthority ca{"transport test CA"};
  sandbox::CertificateAuthority other_ca{"another CA"};

  std::string ca_file = dir + "/ca.pem";
  std::string other_ca_file = dir + "/other-ca.pem";
  std::string server_cert = dir + "/server.pem", server_key = dir + "/server.key";
  std::string foreign_server_cert = dir + "/foreign-server.pem", foreign_server_key = dir + "/foreign-server.key";
  std::string expired_cert = dir + "/expired.pem", expired_key = dir + "/expired.key";
  std::string other_host_cert = dir + "/other-host.pem", other_host_key = dir + "/other-host.key";
  std::string client_cert = dir + "/client.pem", client_key = dir + "/client.key";
  std::string foreign_client_cert = dir + "/foreign-client.pem", foreign_client_key = dir + "/foreign-client.key";

  Pki() {
    sandbox::write_file(ca_file, ca.ca().cert_pem);
    sandbox::write_file(other_ca_file, other_ca.ca().cert_pem);
    write_pair(ca, sandbox::loopback_server_spec(), server_cert, server_key);
    write_pair(other_ca, sandbox::loopback_server_spec(), foreign_server_cert, foreign_server_key);
    sandbox::CertSpec expired = sandbox::loopback_server_spec();
    expired.expired = true;
    write_pair(ca, expired, expired_cert, expired_key);
    sandbox::CertSpec other_host;
    other_host.common_name = "other.example";
    other_host.dns_names = {"other.example"};
    write_pair(ca, other_host, other_host_cert, other_host_key);
    sandbox::CertSpec client;
    client.common_name = "SP00000086";
    client.server = false;
    write_pair(ca, client, client_cert, client_key);
    write_pair(other_ca, client, foreign_client_cert, foreign_client_key);
  }

  static void write_pair(const sandbox::CertificateAuthority& issuer, const sandbox::CertSpec& spec,
                         const std::string& cert_path, const std::string& key_path) {
    sandbox::PemPair pair = issuer.issue(spec);
    sandbox::write_file(cert_path, pair.cert_pem);
    sandbox::write_file(key_path, pair.key_pem, 0600);
  }
};

/// The program's PKI, made on first use.
inline const Pki& pki() {
  static const Pki instance;
  return instance;
}

/// Transport options that trust the test CA and present the test client certificate.
inline CurlTransportOptions mtls_options() {
  CurlTransportOptions o;
  o.tls.ca_file = pki().ca_file;
  o.tls.client_cert_file = pki().client_cert;
  o.tls.client_key_file = pki().client_key;
  o.connect_timeout = std::chrono::seconds(3);
  o.total_timeout = std::chrono::seconds(5);
  return o;
}

inline std::shared_ptr<HttpTransport> make_transport(CurlTransportOptions o = mtls_options()) {
  return make_curl_transport(std::move(o)).value();
}

inline HttpRequest get(std::string url) {
  HttpRequest r;
  r.method = "GET";
  r.url = std::move(url);
  return r;
}

/// A cpp-httplib server on 127.0.0.1: register routes on http(), then start().
class TestServer {
 public:
  enum class Mode { plain, tls, mutual_tls };

  explicit TestServer(Mode mode = Mode::mutual_tls, const std::string& cert = pki().server_cert,
                      const std::string& key = pki().server_key, const std::string& client_ca = pki().ca_file)
      : mode_(mode) {
    if (mode == Mode::plain) {
      server_ = std::make_unique<httplib::Server>();
    } else {
      server_ = std::make_unique<httplib::SSLServer>(cert.c_str(), key.c_str(),
                                                     mode == Mode::mutual_tls ? client_ca.c_str() : nullptr);
    }
    server_->set_keep_alive_timeout(2);
  }
  TestServer(const TestServer&) = delete;
  TestServer& operator=(const TestServer&) = delete;
  ~TestServer() {
    stopping_ = true;
    server_->stop();
    if (thread_.joinable()) thread_.join();
  }

  httplib::Server& http() { return *server_; }
  /// True once the test is over: slow handlers return.
  const std::atomic<bool>& stopping() const { return stopping_; }

  void start() {
    port_ = server_->bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_->listen_after_bind(); });
    while (!server_->is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  int port() const { return port_; }
  std::string url(const std::string& path) const {
    return std::string(mode_ == Mode::plain ? "http" : "https") + "://127.0.0.1:" + std::to_string(port_) + path;
  }

  /// Sleeps up to d in small steps, ending early when the server stops.
  void pause(std::chrono::milliseconds d) const {
    const auto until = std::chrono::steady_clock::now() + d;
    while (!stopping_ && std::chrono::steady_clock::now() < until) {
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
  }

 private:
  Mode mode_;
  std::unique_ptr<httplib::Server> server_;
  std::thread thread_;
  std::atomic<bool> stopping_{false};
  int port_ = 0;
};

/// Accepts one TLS connection (optionally requiring a client certificate), reads the
/// request, then closes without answering: with a TLS close_notify, or by just closing.
class DroppingTlsServer {
 public:
  explicit DroppingTlsServer(bool close_notify, bool require_client_certificate = false) {
    ctx_ = SSL_CTX_new(TLS_server_method());
    SSL_CTX_use_certificate_chain_file(ctx_, pki().server_cert.c_str());
    SSL_CTX_use_PrivateKey_file(ctx_, pki().server_key.c_str(), SSL_FILETYPE_PEM);
    if (require_client_certificate) {
      SSL_CTX_load_verify_locations(ctx_, pki().ca_file.c_str(), nullptr);
      SSL_CTX_set_verify(ctx_, SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT, nullptr);
    }
    listener_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ::bind(listener_, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
    ::listen(listener_, 4);
    socklen_t len = sizeof addr;
    ::getsockname(listener_, reinterpret_cast<sockaddr*>(&addr), &len);
    port_ = ntohs(addr.sin_port);
    thread_ = std::thread([this, close_notify] { serve_one(close_notify); });
  }
  DroppingTlsServer(const DroppingTlsServer&) = delete;
  DroppingTlsServer& operator=(const DroppingTlsServer&) = delete;
  ~DroppingTlsServer() {
    ::shutdown(listener_, SHUT_RDWR);
    thread_.join();
    ::close(listener_);
    SSL_CTX_free(ctx_);
  }
  std::string url() const { return "https://127.0.0.1:" + std::to_string(port_) + "/drop"; }

 private:
  void serve_one(bool close_notify) {
    int fd = ::accept(listener_, nullptr, nullptr);
    if (fd < 0) return;
    SSL* ssl = SSL_new(ctx_);
    SSL_set_fd(ssl, fd);
    if (SSL_accept(ssl) == 1) {
      char buffer[4096];
      (void)SSL_read(ssl, buffer, sizeof buffer);
      if (close_notify) SSL_shutdown(ssl);
    }
    SSL_free(ssl);
    ::close(fd);
  }

  SSL_CTX* ctx_ = nullptr;
  int listener_ = -1;
  int port_ = 0;
  std::thread thread_;
};

}  // namespace myna::test
