// Raw peers for the listener attack tests: a TCP (or TLS) connection that sends exactly the
// bytes a test chooses, as fast or as slowly as it likes, and sees when the server closes it;
// and a crowd of slow senders (slowloris) that trickle bytes on many connections at once.
#pragma once

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <openssl/ssl.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

namespace myna::test {

using SteadyClock = std::chrono::steady_clock;

/// One client connection to 127.0.0.1:port. With tls, the TLS handshake is done at once
/// (the server's certificate is not checked: these peers are attackers), optionally with a
/// client certificate.
class RawPeer {
 public:
  struct Tls {
    std::string cert_file, key_file;  ///< client certificate (both empty: none)
    bool await_verdict = false;       ///< wait briefly for the server to refuse the certificate
  };

  explicit RawPeer(int port, const Tls* tls = nullptr) {
    fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<std::uint16_t>(port));
    ::inet_pton(AF_INET, "127.0.0.1", &addr.sin_addr);
    if (fd_ < 0 || ::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
      if (fd_ >= 0) ::close(fd_);
      throw std::runtime_error("RawPeer: cannot connect");
    }
    int yes = 1;
    ::setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &yes, sizeof yes);
    if (tls) handshake(*tls);
    ::fcntl(fd_, F_SETFL, ::fcntl(fd_, F_GETFL) | O_NONBLOCK);
  }
  ~RawPeer() {
    if (ssl_) SSL_free(ssl_);
    if (ctx_) SSL_CTX_free(ctx_);
    ::close(fd_);
  }
  RawPeer(const RawPeer&) = delete;
  RawPeer& operator=(const RawPeer&) = delete;

  /// False when the TLS handshake failed (the server refused it).
  bool tls_ok() const { return tls_ok_; }

  /// Sends all bytes; false once the server closed or reset the connection (or took nothing
  /// for 10 s).
  bool send(std::string_view bytes) {
    while (!bytes.empty()) {
      long n = ssl_ ? SSL_write(ssl_, bytes.data(), static_cast<int>(bytes.size()))
                    : ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
      if (n > 0) {
        bytes.remove_prefix(static_cast<std::size_t>(n));
        continue;
      }
      if (!would_block(n)) return false;
      pollfd p{fd_, POLLOUT, 0};
      if (::poll(&p, 1, 10000) != 1) return false;
    }
    return true;
  }

  /// Reads until the server closes the connection or `timeout` passes; returns what arrived.
  std::string receive(std::chrono::milliseconds timeout) {
    std::string got;
    read_until(timeout, [&](std::string_view part) {
      got.append(part);
      return true;
    });
    return got;
  }

  /// Reads until the response head and `Content-Length` body arrived (or the server closed).
  std::string receive_response(std::chrono::milliseconds timeout) {
    std::string got;
    read_until(timeout, [&](std::string_view part) {
      got.append(part);
      return !complete_response(got);
    });
    return got;
  }

  /// True if the server closes (EOF or reset) within timeout; what it sent is discarded.
  bool closed_within(std::chrono::milliseconds timeout) {
    return read_until(timeout, [](std::string_view) { return true; });
  }

  int fd() const { return fd_; }

 private:
  void handshake(const Tls& tls) {
    ctx_ = SSL_CTX_new(TLS_client_method());
    SSL_CTX_set_verify(ctx_, SSL_VERIFY_NONE, nullptr);
    if (!tls.cert_file.empty()) {
      SSL_CTX_use_certificate_chain_file(ctx_, tls.cert_file.c_str());
      SSL_CTX_use_PrivateKey_file(ctx_, tls.key_file.c_str(), SSL_FILETYPE_PEM);
    }
    ssl_ = SSL_new(ctx_);
    SSL_set_fd(ssl_, fd_);
    timeval five_seconds{5, 0};  // a server that never answers the handshake fails it
    ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &five_seconds, sizeof five_seconds);
    tls_ok_ = SSL_connect(ssl_) == 1;
    // TLS 1.3: a refused client certificate shows on the first read; look for it briefly.
    timeval short_wait{0, 300000};
    ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &short_wait, sizeof short_wait);
    char c;
    if (const int n = tls_ok_ && tls.await_verdict ? SSL_peek(ssl_, &c, 1) : 1; n <= 0) {
      const int e = SSL_get_error(ssl_, n);
      tls_ok_ = e == SSL_ERROR_WANT_READ || (e == SSL_ERROR_SYSCALL && (errno == EAGAIN || errno == EWOULDBLOCK));
    }
    timeval none{0, 0};
    ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &none, sizeof none);
  }

  /// Calls `take` with every piece read until it returns false (→ false), the server closes
  /// (→ true) or the timeout passes (→ false).
  template <class Take>
  bool read_until(std::chrono::milliseconds timeout, Take take) {
    const auto until = SteadyClock::now() + timeout;
    char buffer[16384];
    for (;;) {
      long n = ssl_ ? SSL_read(ssl_, buffer, sizeof buffer) : ::recv(fd_, buffer, sizeof buffer, 0);
      if (n > 0) {
        if (!take(std::string_view(buffer, static_cast<std::size_t>(n)))) return false;
        continue;
      }
      if (!would_block(n)) return true;  // EOF, reset or a TLS alert
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(until - SteadyClock::now()).count();
      if (left <= 0) return false;
      pollfd p{fd_, POLLIN, 0};
      ::poll(&p, 1, static_cast<int>(left));
    }
  }

  /// Whether a failed read or write (result n) only means "not now" on the non-blocking socket.
  bool would_block(long n) const {
    if (ssl_) {
      const int e = SSL_get_error(ssl_, static_cast<int>(n));
      return e == SSL_ERROR_WANT_READ || e == SSL_ERROR_WANT_WRITE;
    }
    return n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR);
  }

  static bool complete_response(const std::string& got) {
    const auto head_end = got.find("\r\n\r\n");
    if (head_end == std::string::npos) return false;
    auto at = got.find("Content-Length: ");
    if (at == std::string::npos || at > head_end) return true;
    const auto length = std::stoul(got.substr(at + 16));
    return got.size() >= head_end + 4 + length;
  }

  int fd_ = -1;
  SSL_CTX* ctx_ = nullptr;
  SSL* ssl_ = nullptr;
  bool tls_ok_ = true;
};

/// The status code of a raw response ("HTTP/1.1 413 …" → 413), 0 when there is none.
inline int status_of(std::string_view response) {
  if (response.size() < 12 || response.substr(0, 5) != "HTTP/") return 0;
  return std::atoi(std::string(response.substr(9, 3)).c_str());
}

/// Many slow senders: each connection sends `head` one byte every `interval`, then keeps
/// sending one more header byte per interval, forever. Tracks when the server closed each.
class Slowloris {
 public:
  Slowloris(int port, int connections, std::chrono::milliseconds interval, std::string head,
            const RawPeer::Tls* tls = nullptr)
      : head_(std::move(head)), interval_(interval), started_(SteadyClock::now()) {
    for (int i = 0; i < connections; ++i) {
      peers_.push_back(std::make_unique<RawPeer>(port, tls));
      closed_after_.push_back(-1);
      sent_.push_back(0);
    }
    thread_ = std::thread([this] { run(); });
  }
  ~Slowloris() { stop(); }
  Slowloris(const Slowloris&) = delete;
  Slowloris& operator=(const Slowloris&) = delete;

  void stop() {
    stopping_ = true;
    if (thread_.joinable()) thread_.join();
  }
  /// Connections the server has not closed yet.
  int open() const {
    std::lock_guard<std::mutex> lock(mu_);
    int n = 0;
    for (long c : closed_after_) n += c < 0;
    return n;
  }
  /// Per connection: milliseconds from the start until the server closed it (-1: still open).
  std::vector<long> closed_after_ms() const {
    std::lock_guard<std::mutex> lock(mu_);
    return closed_after_;
  }

 private:
  void run() {
    while (!stopping_) {
      for (std::size_t i = 0; i < peers_.size(); ++i) step(i);
      std::this_thread::sleep_for(interval_);
    }
  }

  void step(std::size_t i) {
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (closed_after_[i] >= 0) return;
    }
    RawPeer& peer = *peers_[i];
    bool closed = peer.closed_within(std::chrono::milliseconds(0));
    if (!closed) {
      const char byte = sent_[i] < head_.size() ? head_[sent_[i]] : 'a';
      closed = !peer.send(std::string_view(&byte, 1));
      ++sent_[i];
    }
    if (closed) {
      std::lock_guard<std::mutex> lock(mu_);
      closed_after_[i] = std::chrono::duration_cast<std::chrono::milliseconds>(SteadyClock::now() - started_).count();
    }
  }

  std::string head_;
  std::chrono::milliseconds interval_;
  SteadyClock::time_point started_;
  std::vector<std::unique_ptr<RawPeer>> peers_;
  std::vector<std::size_t> sent_;
  mutable std::mutex mu_;
  std::vector<long> closed_after_;
  std::atomic<bool> stopping_{false};
  std::thread thread_;
};

}  // namespace myna::test
