#include "scale/instance_process.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <stdexcept>

namespace myna::test {

InstanceProcess::InstanceProcess(std::string program, std::vector<std::string> args)
    : program_(std::move(program)), args_(std::move(args)) {}

InstanceProcess::~InstanceProcess() {
  if (pid_ > 0) kill_hard();
  if (reader_.joinable()) reader_.join();
}

void InstanceProcess::start() {
  if (reader_.joinable()) reader_.join();  // the previous run's output has ended
  std::vector<std::string> argv{program_};
  argv.insert(argv.end(), args_.begin(), args_.end());
  std::vector<char*> ptrs;
  for (auto& a : argv) ptrs.push_back(a.data());
  ptrs.push_back(nullptr);
  int out[2];
  if (::pipe2(out, O_CLOEXEC) != 0) throw std::runtime_error("pipe failed");
  const pid_t parent = ::getpid();
  const pid_t pid = ::fork();
  if (pid < 0) throw std::runtime_error("fork failed");
  if (pid == 0) {
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (::getppid() != parent) ::_exit(1);
    ::dup2(out[1], 1);
    ::close_range(3, ~0U, 0);  // the driver's sockets stay with the driver
    sigset_t none;
    sigemptyset(&none);
    ::sigprocmask(SIG_SETMASK, &none, nullptr);
    ::execv(ptrs[0], ptrs.data());
    ::_exit(127);
  }
  ::close(out[1]);
  {
    std::lock_guard<std::mutex> lock(mu_);
    pid_ = pid;
    ready_url_.clear();
  }
  reader_ = std::thread([this, fd = out[0]] { read_output(fd); });
}

void InstanceProcess::read_output(int fd) {
  std::string buffer;
  char chunk[4096];
  for (;;) {
    const ssize_t n = ::read(fd, chunk, sizeof chunk);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    buffer.append(chunk, static_cast<std::size_t>(n));
    for (std::size_t nl; (nl = buffer.find('\n')) != std::string::npos; buffer.erase(0, nl + 1)) {
      const std::string line = buffer.substr(0, nl);
      std::lock_guard<std::mutex> lock(mu_);
      if (line.rfind("READY ", 0) == 0) ready_url_ = line.substr(6);
      if (line.rfind("STATS ", 0) == 0) stats_ = line.substr(6);
      changed_.notify_all();
    }
  }
  ::close(fd);
}

std::string InstanceProcess::wait_ready(std::chrono::milliseconds timeout) {
  std::unique_lock<std::mutex> lock(mu_);
  changed_.wait_for(lock, timeout, [this] { return !ready_url_.empty(); });
  return ready_url_;
}

int InstanceProcess::reap(bool block) {
  int status = 0;
  rusage usage{};
  pid_t got;
  while ((got = ::wait4(pid_, &status, block ? 0 : WNOHANG, &usage)) < 0 && errno == EINTR) {}
  if (got != pid_) return -2;  // still running
  cpu_seconds_ += static_cast<double>(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
                  static_cast<double>(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
  pid_ = -1;
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

void InstanceProcess::kill_hard() {
  if (pid_ <= 0) return;
  ::kill(pid_, SIGKILL);
  reap(true);
}

int InstanceProcess::stop(std::chrono::milliseconds grace) {
  if (pid_ <= 0) return -1;
  ::kill(pid_, SIGTERM);
  const auto deadline = std::chrono::steady_clock::now() + grace;
  while (std::chrono::steady_clock::now() < deadline) {
    const int status = reap(false);
    if (status != -2) {
      if (reader_.joinable()) reader_.join();
      return status;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  kill_hard();
  return -1;
}

std::string InstanceProcess::stats_line() {
  std::lock_guard<std::mutex> lock(mu_);
  return stats_;
}

}  // namespace myna::test
