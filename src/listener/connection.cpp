// One client connection of the listener (see connection.hpp).
#include "listener/connection.hpp"

#include <openssl/err.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>

#include "listener/http_response.hpp"

namespace myna::internal::listener {
namespace {

constexpr std::size_t kReadSize = 16 * 1024;
constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";

bool interrupted_or_would_block(int error) { return error == EAGAIN || error == EWOULDBLOCK || error == EINTR; }

}  // namespace

Connection::Connection(int fd, SSL* ssl, const ConnectionLimits& limits, SteadyClock::time_point now)
    : fd_(fd),
      ssl_(ssl),
      limits_(limits),
      phase_(ssl ? Phase::handshake : Phase::reading),
      deadline_(now + limits.request_timeout),
      reader_(limits.request) {}

Connection::~Connection() {
  if (ssl_) SSL_free(ssl_);
  ::close(fd_);
}

short Connection::events() const noexcept {
  const short writing = out_sent_ < out_.size() ? write_want_ : 0;
  switch (phase_) {
    case Phase::handshake: return read_want_;
    case Phase::reading: return static_cast<short>(read_want_ | writing);
    case Phase::writing: return write_want_;
    case Phase::lingering: return POLLIN;
    case Phase::answering:
    case Phase::closed: return 0;
  }
  return 0;
}

void Connection::advance(SteadyClock::time_point now) {
  for (bool moved = true; moved;) {
    switch (phase_) {
      case Phase::handshake: moved = handshake(); break;
      case Phase::reading: moved = read_request(now); break;
      case Phase::writing: moved = write_out(now); break;
      case Phase::lingering: moved = linger(); break;
      case Phase::answering:
      case Phase::closed: moved = false; break;
    }
  }
}

std::optional<HttpRequest> Connection::take_request() {
  std::optional<HttpRequest> out;
  out.swap(request_);
  return out;
}

void Connection::answer(const std::string& response, bool close, SteadyClock::time_point now) {
  if (phase_ != Phase::answering) return;
  out_.erase(0, out_sent_);
  out_sent_ = 0;
  out_ += response;
  close_after_ = close;
  phase_ = Phase::writing;
  deadline_ = now + limits_.request_timeout;
  advance(now);
}

// ---- phases; each returns true when it moved to another phase

bool Connection::handshake() {
  ERR_clear_error();
  const int result = SSL_accept(ssl_);
  if (result == 1) {
    phase_ = Phase::reading;
    return true;
  }
  if (tls_result(result, read_want_) == Io::again) return false;
  return close_now();  // refused or broken: nothing to answer
}

bool Connection::close_now() {
  phase_ = Phase::closed;
  return true;
}

bool Connection::read_request(SteadyClock::time_point now) {
  char buffer[kReadSize];
  for (;;) {
    if (!consume_pending(now)) return true;
    if (reader_.expects_continue() && !continue_sent_) {
      out_ += kContinue;
      continue_sent_ = true;
    }
    while (out_sent_ < out_.size()) {  // "100 Continue"
      std::size_t put = 0;
      const Io io = write_some(out_.data() + out_sent_, out_.size() - out_sent_, put);
      if (io == Io::again) break;
      if (io == Io::closed) return close_now();
      out_sent_ += put;
    }
    std::size_t got = 0;
    const Io io = read_some(buffer, sizeof buffer, got);
    if (io == Io::again) break;
    if (io == Io::closed) return close_now();
    pending_.assign(buffer, got);
  }
  return false;
}

/// Feeds what was read to the request reader; false when the request completed or failed.
bool Connection::consume_pending(SteadyClock::time_point now) {
  if (pending_.empty()) return true;
  pending_.erase(0, reader_.feed(pending_));
  switch (reader_.state()) {
    case RequestReader::State::reading: return true;
    case RequestReader::State::complete:
      request_ = reader_.take();
      phase_ = Phase::answering;
      continue_sent_ = false;
      return false;
    case RequestReader::State::failed: refuse(reader_.error_status(), now); return false;
  }
  return false;
}

void Connection::refuse(int status, SteadyClock::time_point now) {
  out_ += serialize(error_response(status), true);
  close_after_ = true;
  phase_ = Phase::writing;
  deadline_ = now + limits_.request_timeout;
}

bool Connection::write_out(SteadyClock::time_point now) {
  while (out_sent_ < out_.size()) {
    std::size_t put = 0;
    const Io io = write_some(out_.data() + out_sent_, out_.size() - out_sent_, put);
    if (io == Io::again) return false;
    if (io == Io::closed) return close_now();
    out_sent_ += put;
  }
  out_.clear();
  out_sent_ = 0;
  if (close_after_) {
    start_lingering(now);
  } else {  // keep-alive (the reader started over when the request was taken): a new deadline
    phase_ = Phase::reading;
    deadline_ = now + limits_.request_timeout;
  }
  return true;
}

/// After a refusal or a last answer: stop sending and read (and drop) what the client still
/// sends for a moment, so that closing with unread data does not reset the connection before
/// the client has read the answer.
void Connection::start_lingering(SteadyClock::time_point now) {
  if (ssl_) {
    ERR_clear_error();
    SSL_shutdown(ssl_);  // close_notify, best effort
  }
  ::shutdown(fd_, SHUT_WR);
  phase_ = Phase::lingering;
  deadline_ = std::min(deadline_, now + limits_.linger);
}

bool Connection::linger() {
  char buffer[kReadSize];
  for (;;) {
    const auto n = ::recv(fd_, buffer, sizeof buffer, 0);  // raw bytes: TLS records are dropped unread
    if (n > 0) lingered_ += static_cast<std::size_t>(n);
    if (n > 0 && lingered_ <= limits_.linger_bytes) continue;
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && interrupted_or_would_block(errno)) return false;
    return close_now();
  }
}

// ---- non-blocking reads and writes, plain or TLS

Connection::Io Connection::tls_result(int result, short& want) {
  switch (SSL_get_error(ssl_, result)) {
    case SSL_ERROR_WANT_READ: want = POLLIN; return Io::again;
    case SSL_ERROR_WANT_WRITE: want = POLLOUT; return Io::again;
    default: ERR_clear_error(); return Io::closed;
  }
}

Connection::Io Connection::read_some(char* buffer, std::size_t size, std::size_t& got) {
  read_want_ = POLLIN;
  if (ssl_) {
    ERR_clear_error();
    const int n = SSL_read(ssl_, buffer, static_cast<int>(size));
    if (n <= 0) return tls_result(n, read_want_);
    got = static_cast<std::size_t>(n);
    return Io::progress;
  }
  for (;;) {
    const auto n = ::recv(fd_, buffer, size, 0);
    if (n > 0) {
      got = static_cast<std::size_t>(n);
      return Io::progress;
    }
    if (n < 0 && errno == EINTR) continue;
    return n < 0 && interrupted_or_would_block(errno) ? Io::again : Io::closed;
  }
}

Connection::Io Connection::write_some(const char* data, std::size_t size, std::size_t& put) {
  write_want_ = POLLOUT;
  if (ssl_) {
    ERR_clear_error();
    const int n = SSL_write(ssl_, data, static_cast<int>(size));
    if (n <= 0) return tls_result(n, write_want_);
    put = static_cast<std::size_t>(n);
    return Io::progress;
  }
#ifdef MSG_NOSIGNAL
  constexpr int kFlags = MSG_NOSIGNAL;
#else
  constexpr int kFlags = 0;  // SIGPIPE is ignored (ignore_sigpipe)
#endif
  for (;;) {
    const auto n = ::send(fd_, data, size, kFlags);
    if (n >= 0) {
      put = static_cast<std::size_t>(n);
      return Io::progress;
    }
    if (errno == EINTR) continue;
    return interrupted_or_would_block(errno) ? Io::again : Io::closed;
  }
}

}  // namespace myna::internal::listener
