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
#include "internal/secure_file.hpp"
#include "instance_slot.hpp"

namespace myna::cli {
namespace {

std::atomic<bool> g_interrupted{false};

Error invalid(const std::string& message) { return Error(ErrorCategory::validation, message); }

Result<std::chrono::seconds> seconds_of(const Config& config, const char* key) {
  const std::string text = config.get(key);
  try {
    std::size_t used = 0;
    long long v = std::stoll(text, &used);
    if (used == text.size() && v > 0) return std::chrono::seconds(v);
  } catch (const std::exception&) {
  }
  return invalid(std::string(key) + " must be a positive number of seconds, got '" + text + "'");
}

Profile profile_of(const Config& config) {
  Profile p;
  auto set = [&](std::string& field, const char* key) {
    if (std::string v = config.get(key); !v.empty()) field = v;
  };
  set(p.api_base_url, "api_base_url");
  set(p.authorize_base_url, "authorize_base_url");
  set(p.client_id, "client_id");
  set(p.provider_number, "provider_number");
  set(p.redirect_uri, "redirect_uri");
  p.use_pkce = config.flag("use_pkce");
  p.supports_refresh = config.flag("supports_refresh");
  return p;
}

}  // namespace

CurlTransportOptions transport_options(const Config& config) {
  CurlTransportOptions curl;
  curl.tls.ca_file = config.get("ca_file");
  curl.tls.client_cert_file = config.get("client_cert");
  curl.tls.client_key_file = config.get("client_key");
  curl.proxy = config.get("proxy");
  return curl;
}

namespace {

/// What the user should fix but that does not stop the command: a group-writable
/// configuration file, private keys readable by others.
void warn_about_local_files(const Config& config) {
  for (const std::string& warning : config.warnings()) std::cerr << "myna: warning: " << warning << "\n";
  const std::string client_key = config.get("client_key").empty() ? config.get("client_cert") : config.get("client_key");
  for (const std::string& key : {client_key, config.get("notify_key")})
    if (auto exposed = internal::private_key_exposure(key)) std::cerr << "myna: warning: " << *exposed << "\n";
}

}  // namespace

Result<std::shared_ptr<Client>> make_client(const Config& config, bool verbose) {
  warn_about_local_files(config);
  ClientOptions options;
  options.profile = profile_of(config);
  options.curl = transport_options(config);
  auto timeout = seconds_of(config, "notification_timeout");
  if (!timeout) return std::move(timeout).error();
  options.notification_timeout = *timeout;
  auto store = make_file_token_store(config.get("token_dir"));
  if (!store) return std::move(store).error();
  options.token_store = *store;
  static std::optional<InstanceSlot> slot;  // held until the process ends
  if (!slot) {
    auto acquired = InstanceSlot::acquire(config.get("token_dir"));
    if (!acquired) return std::move(acquired).error();
    slot.emplace(std::move(*acquired));
  }
  options.instance = slot->index();
  options.instance_count = InstanceSlot::kSlots;
  if (verbose) {
    auto to_stderr = [](LogLevel level, std::string_view line) {
      std::cerr << "[" << to_string(level) << "] " << line << "\n";
    };
    options.logger = Logger(to_stderr, LogLevel::info);
  }
  options.curl.logger = options.logger;
  return Client::create(std::move(options));
}

Result<std::pair<std::string, int>> parse_host_port(const std::string& text) {
  auto colon = text.rfind(':');
  if (colon == std::string::npos || colon == 0) return invalid("expected HOST:PORT, got '" + text + "'");
  std::string host = text.substr(0, colon);
  if (host.size() > 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  try {
    std::size_t used = 0;
    int port = std::stoi(text.substr(colon + 1), &used);
    if (used == text.size() - colon - 1 && port >= 0 && port <= 65535) return std::make_pair(host, port);
  } catch (const std::exception&) {
  }
  return invalid("bad port in '" + text + "'");
}

Result<std::unique_ptr<CallbackListener>> start_notification_listener(const Config& config, const Client& client) {
  const std::string listen = config.get("notify_listen");
  if (listen.empty()) return std::unique_ptr<CallbackListener>();
  auto address = parse_host_port(listen);
  if (!address) return std::move(address).error();
  ListenerOptions options;
  options.host = address->first;
  options.port = address->second;
  options.notification_path = config.get("notify_path");
  options.redirect_path = "/myna/unused-redirect";
  options.cert_file = config.get("notify_cert");
  options.key_file = config.get("notify_key");
  auto listener = CallbackListener::start(options, client.notification_handler());
  if (!listener)
    return Error(listener.error().category(), "cannot serve notifications on " + listen + " (" +
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
