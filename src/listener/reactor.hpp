// The listener's engine (internal header): one I/O thread polls the listening socket and every
// connection (non-blocking sockets, non-blocking TLS), enforces the connection cap and each
// connection's deadline, and hands complete requests to a small worker pool whose answers come
// back through a wake-up pipe. No read or handshake ever blocks a worker; a slow or silent peer
// costs one connection slot until its deadline, nothing more.
#pragma once

#include <poll.h>
#include <sys/socket.h>

#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "listener/connection.hpp"
#include "listener/http_response.hpp"
#include "listener/tls.hpp"
#include "listener/worker_pool.hpp"
#include "myna/error.hpp"

namespace myna::internal::listener {

struct ReactorSettings {
  ConnectionLimits connection;
  std::size_t max_connections = 128;  ///< open at once; more are closed as soon as accepted
  std::size_t worker_threads = 4;
};

/// Answers a complete request; runs on a worker thread (several at once).
using Responder = std::function<HttpResponse(const HttpRequest&)>;
/// Whether a peer may connect at all; runs on the I/O thread at accept.
using Admission = std::function<bool(const sockaddr_storage&)>;

class Reactor {
 public:
  /// Takes ownership of listen_fd (non-blocking, listening). tls null: plain HTTP.
  Reactor(int listen_fd, SslContext tls, ReactorSettings settings, Admission admit, Responder respond);
  ~Reactor();
  Reactor(const Reactor&) = delete;
  Reactor& operator=(const Reactor&) = delete;

  Status start();
  /// Closes every connection and the listening socket, waits for running callbacks, joins.
  void stop();

 private:
  using Connections = std::map<std::uint64_t, std::unique_ptr<Connection>>;
  struct Answer {
    std::uint64_t connection;
    std::string response;
    bool close;
  };

  void run();
  void poll_once(std::vector<pollfd>& fds, std::vector<std::uint64_t>& ids);
  int poll_timeout_ms(SteadyClock::time_point now) const;
  void accept_all(SteadyClock::time_point now);
  void admit(int fd, const sockaddr_storage& peer, SteadyClock::time_point now);
  void settle(Connections::iterator it);
  void dispatch(std::uint64_t id, HttpRequest request);
  void deliver_answers(SteadyClock::time_point now);
  void close_expired(SteadyClock::time_point now);
  void wake();
  void drain_wake();

  int listen_fd_;
  SslContext tls_;
  ReactorSettings settings_;
  Admission admit_;
  Responder respond_;
  int wake_read_ = -1, wake_write_ = -1;
  Connections connections_;  // the I/O thread's only
  std::uint64_t next_id_ = 1;
  SteadyClock::time_point accept_paused_until_{};
  std::mutex answers_mutex_;
  std::vector<Answer> answers_;
  std::atomic<bool> stopping_{false};
  std::unique_ptr<WorkerPool> workers_;
  std::thread io_thread_;
};

}  // namespace myna::internal::listener
