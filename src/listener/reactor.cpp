// The listener's I/O thread and worker hand-off (see reactor.hpp).
#include "listener/reactor.hpp"

#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>

#include "listener/socket.hpp"

namespace myna::internal::listener {
namespace {

constexpr int kAcceptBurst = 64;                               // accepts per wake-up, so that reads keep up
constexpr auto kAcceptPause = std::chrono::milliseconds(100);  // out of descriptors: try again later
constexpr int kMaxPollWaitMs = 1000;

int accept_nonblocking(int listen_fd, sockaddr_storage& peer) {
  socklen_t len = sizeof peer;
#ifdef __linux__
  return ::accept4(listen_fd, reinterpret_cast<sockaddr*>(&peer), &len, SOCK_NONBLOCK | SOCK_CLOEXEC);
#else
  const int fd = ::accept(listen_fd, reinterpret_cast<sockaddr*>(&peer), &len);
  if (fd >= 0 && !make_nonblocking(fd)) {
    ::close(fd);
    errno = ECONNABORTED;
    return -1;
  }
  return fd;
#endif
}

}  // namespace

Reactor::Reactor(int listen_fd, SslContext tls, ReactorSettings settings, Admission admit, Responder respond)
    : listen_fd_(listen_fd),
      tls_(std::move(tls)),
      settings_(settings),
      admit_(std::move(admit)),
      respond_(std::move(respond)) {}

Reactor::~Reactor() {
  stop();
  for (int fd : {wake_read_, wake_write_})
    if (fd >= 0) ::close(fd);
}

Status Reactor::start() {
  int fds[2];
  if (::pipe(fds) != 0 || !make_nonblocking(fds[0]) || !make_nonblocking(fds[1]))
    return Error(ErrorCategory::network, "listener: cannot create its wake-up pipe");
  wake_read_ = fds[0];
  wake_write_ = fds[1];
  workers_ = std::make_unique<WorkerPool>(settings_.worker_threads);
  io_thread_ = std::thread([this] { run(); });
  return {};
}

void Reactor::stop() {
  stopping_ = true;
  wake();
  if (io_thread_.joinable()) io_thread_.join();  // closes every connection
  if (workers_) workers_->stop();                // waits for callbacks still running
  if (listen_fd_ >= 0) ::close(listen_fd_);
  listen_fd_ = -1;
}

void Reactor::wake() {
  if (wake_write_ < 0) return;
  const char byte = 1;
  [[maybe_unused]] const auto n = ::write(wake_write_, &byte, 1);  // full pipe: already awake
}

void Reactor::drain_wake() {
  char buffer[256];
  while (::read(wake_read_, buffer, sizeof buffer) > 0) {}
}

// ---- the I/O thread

void Reactor::run() {
  std::vector<pollfd> fds;
  std::vector<std::uint64_t> ids;
  while (!stopping_) poll_once(fds, ids);
  connections_.clear();
}

void Reactor::poll_once(std::vector<pollfd>& fds, std::vector<std::uint64_t>& ids) {
  auto now = SteadyClock::now();
  const bool accepting = now >= accept_paused_until_;
  fds.assign({pollfd{wake_read_, POLLIN, 0}, pollfd{accepting ? listen_fd_ : -1, POLLIN, 0}});
  ids.assign(2, 0);
  for (const auto& [id, connection] : connections_) {
    const short events = connection->events();
    fds.push_back(pollfd{events ? connection->fd() : -1, events, 0});  // -1: not polled (no busy HUP)
    ids.push_back(id);
  }
  if (::poll(fds.data(), fds.size(), poll_timeout_ms(now)) < 0 && errno != EINTR) return;
  if (stopping_) return;
  now = SteadyClock::now();
  if (fds[0].revents) drain_wake();
  deliver_answers(now);
  if (fds[1].revents) accept_all(now);
  for (std::size_t i = 2; i < fds.size(); ++i) {
    if (!fds[i].revents) continue;
    auto it = connections_.find(ids[i]);
    if (it == connections_.end()) continue;
    it->second->advance(now);
    settle(it);
  }
  close_expired(now);
}

int Reactor::poll_timeout_ms(SteadyClock::time_point now) const {
  auto next = now + std::chrono::milliseconds(kMaxPollWaitMs);
  if (accept_paused_until_ > now) next = std::min(next, accept_paused_until_);
  for (const auto& [id, connection] : connections_)
    if (!connection->awaiting_answer()) next = std::min(next, connection->deadline());
  const auto wait = std::chrono::ceil<std::chrono::milliseconds>(next - now).count();
  return static_cast<int>(std::clamp<decltype(wait)>(wait, 0, kMaxPollWaitMs));
}

void Reactor::accept_all(SteadyClock::time_point now) {
  for (int i = 0; i < kAcceptBurst; ++i) {
    sockaddr_storage peer{};
    const int fd = accept_nonblocking(listen_fd_, peer);
    if (fd >= 0) {
      admit(fd, peer, now);
      continue;
    }
    if (errno == EINTR || errno == ECONNABORTED) continue;
    if (errno == EMFILE || errno == ENFILE || errno == ENOBUFS || errno == ENOMEM)
      accept_paused_until_ = now + kAcceptPause;
    return;  // EAGAIN: nothing more waiting
  }
}

/// A new connection, or its refusal: over the cap or from an address not admitted, it is
/// closed at once, before a byte is read (never queued).
void Reactor::admit(int fd, const sockaddr_storage& peer, SteadyClock::time_point now) {
  if (connections_.size() >= settings_.max_connections || (admit_ && !admit_(peer))) {
    ::close(fd);
    return;
  }
  int yes = 1;
  ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &yes, sizeof yes);
  SSL* ssl = nullptr;
  if (tls_) {
    ssl = SSL_new(tls_.get());
    if (!ssl || SSL_set_fd(ssl, fd) != 1) {
      if (ssl) SSL_free(ssl);
      ::close(fd);
      return;
    }
    SSL_set_accept_state(ssl);
  }
  const auto it =
      connections_.emplace(next_id_++, std::make_unique<Connection>(fd, ssl, settings_.connection, now)).first;
  it->second->advance(now);  // the first bytes are often there already
  settle(it);
}

/// After progress: drops a closed connection, hands a complete request to the workers.
void Reactor::settle(Connections::iterator it) {
  Connection& connection = *it->second;
  if (connection.closed()) {
    connections_.erase(it);
    return;
  }
  if (connection.awaiting_answer())
    if (auto request = connection.take_request()) dispatch(it->first, std::move(*request));
}

void Reactor::dispatch(std::uint64_t id, HttpRequest request) {
  const bool close = !request.keep_alive;
  workers_->submit([this, id, close, request = std::move(request)] {
    HttpResponse response;
    try {
      response = respond_(request);
    } catch (...) { response = error_response(500); }
    std::string bytes = serialize(response, close);
    {
      std::lock_guard<std::mutex> lock(answers_mutex_);
      answers_.push_back(Answer{id, std::move(bytes), close});
    }
    wake();
  });
}

void Reactor::deliver_answers(SteadyClock::time_point now) {
  std::vector<Answer> answers;
  {
    std::lock_guard<std::mutex> lock(answers_mutex_);
    answers.swap(answers_);
  }
  for (Answer& a : answers) {
    auto it = connections_.find(a.connection);
    if (it == connections_.end()) continue;  // gone meanwhile
    it->second->answer(a.response, a.close, now);
    settle(it);
  }
}

void Reactor::close_expired(SteadyClock::time_point now) {
  for (auto it = connections_.begin(); it != connections_.end();) {
    const Connection& c = *it->second;
    if (!c.awaiting_answer() && now >= c.deadline())
      it = connections_.erase(it);
    else
      ++it;
  }
}

}  // namespace myna::internal::listener
