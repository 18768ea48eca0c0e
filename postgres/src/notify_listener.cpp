#include "notify_listener.hpp"

#include <fcntl.h>
#include <poll.h>
#include <unistd.h>

#include <cerrno>

#include "pool.hpp"

namespace myna::internal::pg {

std::shared_ptr<Waiters::Slot> Waiters::enter(const std::string& id) {
  std::lock_guard<std::mutex> lock(mu_);
  auto& slot = slots_[id];
  if (!slot) slot = std::make_shared<Slot>();
  ++slot->users;
  return slot;
}

void Waiters::leave(const std::string& id) {
  std::lock_guard<std::mutex> lock(mu_);
  const auto it = slots_.find(id);
  if (it != slots_.end() && --it->second->users == 0) slots_.erase(it);
}

void Waiters::wake(const std::string& id) {
  std::lock_guard<std::mutex> lock(mu_);
  const auto it = slots_.find(id);
  if (it == slots_.end()) return;
  ++it->second->signals;
  it->second->cv.notify_all();
}

void Waiters::wake_all() {
  std::lock_guard<std::mutex> lock(mu_);
  for (auto& [id, slot] : slots_) {
    ++slot->signals;
    slot->cv.notify_all();
  }
}

NotifyListener::NotifyListener(std::shared_ptr<myna::pg::Database> db, Waiters& waiters)
    : db_(std::move(db)), waiters_(waiters) {
  if (::pipe2(wake_pipe_, O_CLOEXEC | O_NONBLOCK) != 0) wake_pipe_[0] = wake_pipe_[1] = -1;
  thread_ = std::thread([this] { run(); });
}

NotifyListener::~NotifyListener() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
  }
  stop_cv_.notify_all();
  if (wake_pipe_[1] >= 0) (void)!::write(wake_pipe_[1], "x", 1);
  thread_.join();
  for (int fd : wake_pipe_)
    if (fd >= 0) ::close(fd);
}

bool NotifyListener::pause(std::chrono::milliseconds d) {
  std::unique_lock<std::mutex> lock(mu_);
  return !stop_cv_.wait_for(lock, d, [this] { return stopping_; });
}

void NotifyListener::run() {
  auto backoff = std::chrono::milliseconds(100);
  const Logger& log = db_->impl().options.logger;
  for (;;) {
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (stopping_) return;
    }
    auto c = db_->impl().connect();
    if (c && (*c)->exec("listening for retrieval changes", "LISTEN myna_retrieval")) {
      backoff = std::chrono::milliseconds(100);
      waiters_.wake_all();  // changes made while not listening were missed
      pump(**c);
      waiters_.wake_all();
      log.log(LogLevel::info, "database: the LISTEN connection ended; waiters poll until it is back");
    }
    if (!pause(backoff)) return;
    backoff = std::min(backoff * 2, std::chrono::milliseconds(2000));
  }
}

void NotifyListener::pump(Connection& c) {
  PGconn* raw = c.raw();
  pollfd fds[2] = {{PQsocket(raw), POLLIN, 0}, {wake_pipe_[0], POLLIN, 0}};
  for (;;) {
    const int n = ::poll(fds, wake_pipe_[0] >= 0 ? 2 : 1, 250);
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (stopping_) return;
    }
    if (n < 0 && errno != EINTR) return;
    if (n > 0 && fds[0].revents != 0) {
      if (!PQconsumeInput(raw)) return;  // the server went away
      while (PGnotify* note = PQnotifies(raw)) {
        waiters_.wake(note->extra ? note->extra : "");
        PQfreemem(note);
      }
    }
    if (PQstatus(raw) != CONNECTION_OK) return;
  }
}

}  // namespace myna::internal::pg
