// One client connection of the listener (internal header): a non-blocking socket, optionally
// with non-blocking TLS, driven by the I/O thread. It reads one request completely (TLS
// handshake, head and body under the caps) before anything else sees it, hands it out, writes
// the answer, and either starts over (keep-alive) or closes. Every phase but "a worker is
// answering" has a deadline; the reactor closes connections that miss it.
#pragma once

#include <openssl/ssl.h>
#include <poll.h>

#include <chrono>
#include <cstddef>
#include <optional>
#include <string>

#include "listener/http_request.hpp"

namespace myna::internal::listener {

using SteadyClock = std::chrono::steady_clock;

struct ConnectionLimits {
  RequestLimits request;
  std::chrono::milliseconds request_timeout{10000};  ///< handshake + head + body, and each answer's write
  std::chrono::milliseconds linger{1000};            ///< reading what a refused client still sends
  std::size_t linger_bytes = 1 << 20;
};

class Connection {
 public:
  /// Takes ownership of fd (non-blocking) and ssl (null: plain HTTP).
  Connection(int fd, SSL* ssl, const ConnectionLimits& limits, SteadyClock::time_point now);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  int fd() const noexcept { return fd_; }
  /// poll() events to wait for (0 while a worker answers).
  short events() const noexcept;
  /// Does all the work possible without blocking.
  void advance(SteadyClock::time_point now);
  /// The request just completed, handed out once; the connection then waits for answer().
  std::optional<HttpRequest> take_request();
  /// Queues the answer (the full response bytes) to the request taken.
  void answer(const std::string& response, bool close, SteadyClock::time_point now);

  bool closed() const noexcept { return phase_ == Phase::closed; }
  bool awaiting_answer() const noexcept { return phase_ == Phase::answering; }
  /// When the current phase must be over (not used while awaiting an answer).
  SteadyClock::time_point deadline() const noexcept { return deadline_; }

 private:
  enum class Phase { handshake, reading, answering, writing, lingering, closed };
  enum class Io { progress, again, closed };

  bool handshake();
  bool read_request(SteadyClock::time_point now);
  bool consume_pending(SteadyClock::time_point now);
  bool close_now();  ///< returns true: the phase changed
  bool write_out(SteadyClock::time_point now);
  bool linger();
  void start_lingering(SteadyClock::time_point now);
  void refuse(int status, SteadyClock::time_point now);
  Io read_some(char* buffer, std::size_t size, std::size_t& got);
  Io write_some(const char* data, std::size_t size, std::size_t& put);
  Io tls_result(int result, short& want);

  int fd_;
  SSL* ssl_;
  ConnectionLimits limits_;
  Phase phase_;
  SteadyClock::time_point deadline_;
  RequestReader reader_;
  std::string pending_;  ///< bytes read and not yet consumed (at most one read: the next request's start)
  std::optional<HttpRequest> request_;
  std::string out_;
  std::size_t out_sent_ = 0;
  bool close_after_ = false;
  bool continue_sent_ = false;
  std::size_t lingered_ = 0;
  short read_want_ = POLLIN;    ///< or POLLOUT when TLS must write to read
  short write_want_ = POLLOUT;  ///< or POLLIN when TLS must read to write
};

}  // namespace myna::internal::listener
