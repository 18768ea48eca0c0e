// The optional callback listener on cpp-httplib (see include/myna/client/listener.hpp).
#include "myna/client/listener.hpp"

#include <arpa/inet.h>
#include <httplib.h>
#include <dirent.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <chrono>
#include <cstdlib>
#include <cstring>
#include <csignal>
#include <mutex>
#include <thread>
#include <vector>

namespace myna {
namespace {

constexpr std::size_t kThreads = 8;
constexpr time_t kKeepAliveSeconds = 5;
constexpr std::size_t kMaxBody = 64 * 1024;  // a notification is a header-only telegram

constexpr const char* kRedirectPage =
    "<!DOCTYPE html><html lang=\"ja\"><head><meta charset=\"utf-8\"><title>Mynaportal</title></head>"
    "<body><p>同意の結果を受け取りました。このウィンドウを閉じてください。</p></body></html>";

bool is_loopback(const std::string& host) {
  if (host == "localhost" || host == "::1") return true;
  in_addr addr{};
  return ::inet_pton(AF_INET, host.c_str(), &addr) == 1 && (ntohl(addr.s_addr) >> 24) == 127;
}

void ignore_sigpipe() {
  struct sigaction current {};
  if (::sigaction(SIGPIPE, nullptr, &current) == 0 && current.sa_handler == SIG_DFL) {
    struct sigaction ignore {};
    ignore.sa_handler = SIG_IGN;
    ::sigemptyset(&ignore.sa_mask);
    ::sigaction(SIGPIPE, &ignore, nullptr);
  }
}

std::string regex_escape(const std::string& path) {
  std::string out;
  for (char c : path) {
    if (std::string_view("\\^$.|?*+()[]{}").find(c) != std::string_view::npos) out += '\\';
    out += c;
  }
  return out;
}

// ---- fast stop: end idle keep-alive connections (Linux; elsewhere stop() waits for them)

int port_of(const sockaddr_storage& a) {
  if (a.ss_family == AF_INET) return ntohs(reinterpret_cast<const sockaddr_in&>(a).sin_port);
  if (a.ss_family == AF_INET6) return ntohs(reinterpret_cast<const sockaddr_in6&>(a).sin6_port);
  return -1;
}

/// Whether a connection's local address belongs to the listener bound at `bound`.
bool accepted_by(const sockaddr_storage& bound, const sockaddr_storage& local) {
  if (port_of(bound) != port_of(local)) return false;
  bool wildcard = bound.ss_family == AF_INET
                      ? reinterpret_cast<const sockaddr_in&>(bound).sin_addr.s_addr == INADDR_ANY
                      : IN6_IS_ADDR_UNSPECIFIED(&reinterpret_cast<const sockaddr_in6&>(bound).sin6_addr);
  if (wildcard) return true;
  if (bound.ss_family != local.ss_family) return false;
  if (local.ss_family == AF_INET)
    return reinterpret_cast<const sockaddr_in&>(bound).sin_addr.s_addr ==
           reinterpret_cast<const sockaddr_in&>(local).sin_addr.s_addr;
  return std::memcmp(&reinterpret_cast<const sockaddr_in6&>(bound).sin6_addr,
                     &reinterpret_cast<const sockaddr_in6&>(local).sin6_addr, sizeof(in6_addr)) == 0;
}

void shutdown_connections(const sockaddr_storage& bound) {
#ifdef __linux__
  DIR* dir = ::opendir("/proc/self/fd");
  if (!dir) return;
  std::vector<int> fds;
  while (dirent* entry = ::readdir(dir)) fds.push_back(std::atoi(entry->d_name));
  ::closedir(dir);
  for (int fd : fds) {
    sockaddr_storage local{}, peer{};
    socklen_t local_len = sizeof local, peer_len = sizeof peer;
    if (fd > 2 && ::getsockname(fd, reinterpret_cast<sockaddr*>(&local), &local_len) == 0 &&
        ::getpeername(fd, reinterpret_cast<sockaddr*>(&peer), &peer_len) == 0 && accepted_by(bound, local))
      ::shutdown(fd, SHUT_RDWR);
  }
#else
  (void)bound;
#endif
}

Error invalid(const std::string& message) { return Error(ErrorCategory::validation, message); }

Status validate(const ListenerOptions& o) {
  if (o.cert_file.empty() != o.key_file.empty())
    return invalid("listener: set both cert_file and key_file (TLS) or neither (plain HTTP on loopback)");
  if (o.cert_file.empty() && !is_loopback(o.host))
    return invalid("listener: plain HTTP is allowed only on a loopback host; set cert_file and key_file for " +
                   o.host);
  if (o.notification_path.empty() || o.notification_path.front() != '/' || o.redirect_path.empty() ||
      o.redirect_path.front() != '/')
    return invalid("listener: notification_path and redirect_path must start with '/'");
  if (o.notification_path == o.redirect_path) return invalid("listener: notification_path equals redirect_path");
  if (o.port < 0 || o.port > 65535) return invalid("listener: port out of range");
  return {};
}

class HttplibListener final : public CallbackListener {
 public:
  HttplibListener(ListenerOptions options, NotificationCallback on_notification, RedirectCallback on_redirect)
      : options_(std::move(options)),
        on_notification_(std::move(on_notification)),
        on_redirect_(std::move(on_redirect)) {}
  ~HttplibListener() override { stop(); }

  Status start();
  int port() const noexcept override { return port_; }
  std::string notification_url() const override { return origin() + options_.notification_path; }
  std::string redirect_url() const override { return origin() + options_.redirect_path; }
  void stop() override;

 private:
  Status make_server();
  void configure();
  void add_routes();
  std::string origin() const;

  ListenerOptions options_;
  NotificationCallback on_notification_;
  RedirectCallback on_redirect_;
  std::unique_ptr<httplib::Server> server_;
  std::thread thread_;
  int port_ = 0;
  int listen_fd_ = -1;
  sockaddr_storage bound_{};
  bool has_bound_ = false;
  std::mutex stop_mutex_;
  bool stopped_ = false;
};

Status HttplibListener::make_server() {
  if (options_.cert_file.empty()) {
    server_ = std::make_unique<httplib::Server>();
    return {};
  }
  auto tls = std::make_unique<httplib::SSLServer>(options_.cert_file.c_str(), options_.key_file.c_str());
  if (!tls->is_valid())
    return Error(ErrorCategory::tls, "listener: cannot load the certificate or key file (PEM expected)");
  SSL_CTX_set_min_proto_version(tls->ssl_context(), TLS1_2_VERSION);
  server_ = std::move(tls);
  return {};
}

void HttplibListener::configure() {
  // cpp-httplib's default also sets SO_REUSEPORT, which would let another process bind the
  // same port and receive the notifications: SO_REUSEADDR only.
  server_->set_socket_options([this](socket_t sock) {
    int yes = 1;
    ::setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
    listen_fd_ = sock;
  });
  server_->new_task_queue = [] { return new httplib::ThreadPool(kThreads); };
  server_->set_keep_alive_timeout(kKeepAliveSeconds);
  server_->set_payload_max_length(kMaxBody);
  server_->set_tcp_nodelay(true);
  server_->set_exception_handler([](const httplib::Request&, httplib::Response& res, std::exception_ptr) {
    res.status = 500;
    res.set_content("{\"error\":\"internal listener error\"}", "application/json");
  });
}

void HttplibListener::add_routes() {
  server_->Post(regex_escape(options_.notification_path),
                [this](const httplib::Request& req, httplib::Response& res) {
                  NotificationReply reply = on_notification_(req.body);
                  res.status = reply.http_status;
                  res.set_content(reply.body, "application/json");
                });
  if (!on_redirect_) return;
  server_->Get(regex_escape(options_.redirect_path), [this](const httplib::Request& req, httplib::Response& res) {
    on_redirect_(req.target);
    res.set_header("Cache-Control", "no-store");
    res.set_header("Referrer-Policy", "no-referrer");
    res.set_content(kRedirectPage, "text/html; charset=utf-8");
  });
}

Status HttplibListener::start() {
  if (auto made = make_server(); !made) return made;
  configure();
  add_routes();
  port_ = options_.port > 0 ? (server_->bind_to_port(options_.host, options_.port) ? options_.port : -1)
                            : server_->bind_to_any_port(options_.host);
  if (port_ <= 0)
    return Error(ErrorCategory::network,
                 "listener: cannot listen on " + options_.host + ":" + std::to_string(options_.port) +
                     " (address in use or not local?)");
  socklen_t len = sizeof bound_;
  has_bound_ = ::getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&bound_), &len) == 0;
  ignore_sigpipe();
  thread_ = std::thread([this] { server_->listen_after_bind(); });
  for (int i = 0; i < 5000 && !server_->is_running(); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  if (!server_->is_running()) {
    stop();
    return Error(ErrorCategory::network, "listener: the server did not start");
  }
  return {};
}

void HttplibListener::stop() {
  std::lock_guard<std::mutex> lock(stop_mutex_);
  if (stopped_) return;
  stopped_ = true;
  if (server_) server_->stop();
  if (has_bound_) shutdown_connections(bound_);
  if (thread_.joinable()) thread_.join();
}

std::string HttplibListener::origin() const {
  const std::string& h = options_.host;
  std::string host = h.find(':') != std::string::npos ? "[" + h + "]" : h;
  return std::string(options_.cert_file.empty() ? "http://" : "https://") + host + ":" + std::to_string(port_);
}

}  // namespace

Result<std::unique_ptr<CallbackListener>> CallbackListener::start(ListenerOptions options,
                                                                  NotificationCallback on_notification,
                                                                  RedirectCallback on_redirect) {
  if (auto valid = validate(options); !valid) return std::move(valid).error();
  if (!on_notification) return invalid("listener: a notification handler is required");
  auto listener =
      std::make_unique<HttplibListener>(std::move(options), std::move(on_notification), std::move(on_redirect));
  if (auto started = listener->start(); !started) return std::move(started).error();
  return std::unique_ptr<CallbackListener>(std::move(listener));
}

}  // namespace myna
