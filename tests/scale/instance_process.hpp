// An application instance as a child process: started with arguments, its stdout read for
// "READY <url>" and "STATS ..." lines, stopped with SIGTERM or killed with SIGKILL. The child
// gets SIGKILL if the driver dies (PR_SET_PDEATHSIG).
#pragma once

#include <sys/resource.h>
#include <sys/types.h>

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace myna::test {

class InstanceProcess {
 public:
  InstanceProcess(std::string program, std::vector<std::string> args);
  ~InstanceProcess();
  InstanceProcess(const InstanceProcess&) = delete;
  InstanceProcess& operator=(const InstanceProcess&) = delete;

  /// Starts the process; throws std::runtime_error when it cannot.
  void start();
  /// The notification URL from its READY line ("" when it did not get ready in time).
  std::string wait_ready(std::chrono::milliseconds timeout);
  void kill_hard();  ///< SIGKILL, reaped
  /// SIGTERM, then SIGKILL after the grace period; returns the exit status (-1 when killed).
  int stop(std::chrono::milliseconds grace);
  bool running() const noexcept { return pid_ > 0; }
  /// The last STATS line it printed ("" if none).
  std::string stats_line();
  /// CPU seconds (user + system) of all its finished runs.
  double cpu_seconds() const noexcept { return cpu_seconds_; }

 private:
  void read_output(int fd);
  int reap(bool block);

  std::string program_;
  std::vector<std::string> args_;
  pid_t pid_ = -1;
  std::thread reader_;
  std::mutex mu_;
  std::condition_variable changed_;
  std::string ready_url_, stats_;
  double cpu_seconds_ = 0;
};

}  // namespace myna::test
