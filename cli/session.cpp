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
#include "internal/secure_file.hpp"

namespace myna::cli {
namespace {

std::atomic<bool> g_interrupted{false};

/// What the user should fix but that does not stop the command: a group-writable
/// configuration file, private keys readable by others.
void warn_about_local_files(const Config& config) {
  for (const std::string& warning : config.warnings()) std::cerr << "myna: warning: " << warning << "\n";
  const std::string client_key =
      config.get("client_key").empty() ? config.get("client_cert") : config.get("client_key");
  for (const std::string& key : {client_key, config.get("notify_key")})
    if (auto exposed = internal::private_key_exposure(key)) std::cerr << "myna: warning: " << *exposed << "\n";
}

}  // namespace

Result<std::shared_ptr<Client>> make_client(const Config& config, bool verbose, bool strict) {
  warn_about_local_files(config);
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
  return internal::atomic_write_path(path, content);
}

bool is_terminal(int fd) noexcept { return ::isatty(fd) == 1; }

}  // namespace myna::cli
