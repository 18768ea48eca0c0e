#include "session.hpp"

#include <fcntl.h>
#include <pthread.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <csignal>
#include <cstdio>
#include <iostream>
#include <optional>
#include <thread>

#include "exit_codes.hpp"
#include "instance_slot.hpp"

namespace myna::cli {
namespace {

std::atomic<bool> g_interrupted{false};

}  // namespace

Result<std::shared_ptr<Client>> make_client(const Config& config, bool verbose, bool strict) {
  auto options = config.settings().client_options();
  if (!options) return std::move(options).error();
  if (strict) options->decode.policy = DecodePolicy::strict;
  static std::optional<InstanceSlot> slot;  // held until the process ends
  if (!slot) {
    auto acquired = InstanceSlot::acquire(config.get("token_dir"));
    if (!acquired) return std::move(acquired).error();
    slot.emplace(std::move(*acquired));
  }
  options->instance = slot->index();
  options->instance_count = InstanceSlot::kSlots;
  if (verbose) {
    auto to_stderr = [](LogLevel level, std::string_view line) {
      std::cerr << "[" << to_string(level) << "] " << line << "\n";
    };
    options->logger = Logger(to_stderr, LogLevel::info);
  }
  options->curl.logger = options->logger;
  return Client::create(std::move(*options));
}

Result<std::unique_ptr<CallbackListener>> start_notification_listener(const Config& config, const Client& client) {
  auto options = config.settings().listener_options();
  if (!options) return std::move(options).error();
  if (!*options) return std::unique_ptr<CallbackListener>();
  (*options)->redirect_path = "/myna/unused-redirect";
  auto listener = CallbackListener::start(**options, client.notification_handler());
  if (!listener)
    return Error(listener.error().category(), "cannot serve notifications on " + config.get("notify_listen") + " (" +
                                                  listener.error().message() + "); is another myna command running?");
  return listener;
}

sigset_t block_stop_signals() {
  sigset_t signals;
  sigemptyset(&signals);
  for (int s : {SIGINT, SIGTERM}) {
    std::signal(s, SIG_DFL);
    sigaddset(&signals, s);
  }
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  return signals;
}

Context interrupt_context() {
  static Context context;
  static std::once_flag once;
  std::call_once(once, [] {
    sigset_t signals = block_stop_signals();
    std::thread([signals] {
      for (int received = 0;;) {
        if (sigwait(&signals, &received) != 0) continue;
        if (g_interrupted.exchange(true)) _exit(kInterrupted);  // the second Ctrl-C
        context.cancel();
      }
    }).detach();
  });
  return context;
}

Status write_output(const std::string& path, const std::string& content) {
  if (path == "-") {
    std::cout << content << std::flush;
    if (!std::cout) return Error(ErrorCategory::storage, "cannot write to standard output");
    return {};
  }
  const std::string temp = path + ".tmp-" + std::to_string(::getpid());
  int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  bool ok = fd >= 0;
  for (std::size_t done = 0; ok && done < content.size();) {
    ssize_t n = ::write(fd, content.data() + done, content.size() - done);
    ok = n > 0;
    done += ok ? static_cast<std::size_t>(n) : 0;
  }
  ok = ok && ::fsync(fd) == 0;
  if (fd >= 0) ::close(fd);
  if (ok && std::rename(temp.c_str(), path.c_str()) == 0) return {};
  ::unlink(temp.c_str());
  return Error(ErrorCategory::storage, "cannot write " + path + " (check the directory and its permissions)");
}

bool is_terminal(int fd) noexcept { return ::isatty(fd) == 1; }

}  // namespace myna::cli
