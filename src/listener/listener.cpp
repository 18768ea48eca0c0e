// The optional callback listener (see include/myna/client/listener.hpp): options checked,
// the routes, and the reactor that serves them.
#include "myna/client/listener.hpp"

#include <mutex>

#include "listener/reactor.hpp"
#include "listener/socket.hpp"
#include "myna/process/notifier_gate.hpp"

namespace myna {
namespace {

namespace io = internal::listener;
using io::HttpRequest;
using io::HttpResponse;

constexpr const char* kRedirectPage =
    "<!DOCTYPE html><html lang=\"ja\"><head><meta charset=\"utf-8\"><title>Mynaportal</title></head>"
    "<body><p>同意の結果を受け取りました。このウィンドウを閉じてください。</p></body></html>";

constexpr std::size_t kMaxWorkers = 64;
constexpr std::size_t kMinHeaderBytes = 256;

Error invalid(const std::string& message) { return Error(ErrorCategory::validation, message); }

Status validate_endpoint(const ListenerOptions& o) {
  if (o.cert_file.empty() != o.key_file.empty())
    return invalid("listener: set both cert_file and key_file (TLS) or neither (plain HTTP on loopback)");
  if (o.cert_file.empty() && !io::is_loopback_host(o.host))
    return invalid("listener: plain HTTP is allowed only on a loopback host; set cert_file and key_file for " + o.host);
  if (o.notification_path.empty() || o.notification_path.front() != '/' || o.redirect_path.empty() ||
      o.redirect_path.front() != '/')
    return invalid("listener: notification_path and redirect_path must start with '/'");
  if (o.notification_path == o.redirect_path) return invalid("listener: notification_path equals redirect_path");
  if (o.port < 0 || o.port > 65535) return invalid("listener: port out of range");
  return {};
}

Status validate_limits(const ListenerLimits& l) {
  if (l.request_timeout.count() <= 0) return invalid("listener: limits.request_timeout must be positive");
  if (l.max_header_bytes < kMinHeaderBytes)
    return invalid("listener: limits.max_header_bytes must be at least " + std::to_string(kMinHeaderBytes));
  if (l.max_body_bytes == 0 || l.max_connections == 0)
    return invalid("listener: limits.max_body_bytes and limits.max_connections must be positive");
  if (l.worker_threads == 0 || l.worker_threads > kMaxWorkers)
    return invalid("listener: limits.worker_threads must be 1 to " + std::to_string(kMaxWorkers));
  return {};
}

Status validate_notifier(const ListenerOptions& o) {
  const NotifierAuthentication& n = o.notifier;
  if (!n.client_ca_file.empty() && o.cert_file.empty())
    return invalid("listener: notifier.client_ca_file needs TLS (cert_file and key_file)");
  if (!n.client_names.empty() && n.client_ca_file.empty())
    return invalid("listener: notifier.client_names needs notifier.client_ca_file");
  return {};
}

class ReactorListener final : public CallbackListener {
 public:
  ReactorListener(ListenerOptions options, NotifierGate gate, NotificationCallback on_notification,
                  RedirectCallback on_redirect)
      : options_(std::move(options)),
        gate_(std::move(gate)),
        on_notification_(std::move(on_notification)),
        on_redirect_(std::move(on_redirect)) {}
  ~ReactorListener() override { stop(); }

  Status start();
  int port() const noexcept override { return port_; }
  std::string notification_url() const override { return origin() + gate_.path_for(options_.notification_path); }
  std::string redirect_url() const override { return origin() + options_.redirect_path; }
  void stop() override;

 private:
  Result<io::SslContext> tls_context() const;
  io::ReactorSettings settings() const;
  HttpResponse route(const HttpRequest& request) const;
  std::string origin() const;

  ListenerOptions options_;
  NotifierGate gate_;
  NotificationCallback on_notification_;
  RedirectCallback on_redirect_;
  std::unique_ptr<io::Reactor> reactor_;
  int port_ = 0;
  std::mutex stop_mutex_;
};

Result<io::SslContext> ReactorListener::tls_context() const {
  if (options_.cert_file.empty()) return io::SslContext();
  io::TlsServerFiles files{options_.cert_file, options_.key_file, options_.notifier.client_ca_file,
                           options_.notifier.client_names};
  return io::make_server_context(files);
}

io::ReactorSettings ReactorListener::settings() const {
  const ListenerLimits& l = options_.limits;
  io::ReactorSettings s;
  s.connection.request.max_header_bytes = l.max_header_bytes;
  s.connection.request.max_body_bytes = l.max_body_bytes;
  s.connection.request_timeout = l.request_timeout;
  s.connection.linger = std::min(s.connection.linger, l.request_timeout);
  s.max_connections = l.max_connections;
  s.worker_threads = l.worker_threads;
  return s;
}

Status ReactorListener::start() {
  auto tls = tls_context();
  if (!tls) return std::move(tls).error();
  auto listening = io::listen_on(options_.host, options_.port);
  if (!listening) return std::move(listening).error();
  port_ = io::local_port(*listening);
  io::Admission admit;
  if (gate_.has_allowlist())
    admit = [this](const sockaddr_storage& peer) { return gate_.admits_address(io::address_text(peer)); };
  reactor_ = std::make_unique<io::Reactor>(*listening, std::move(*tls), settings(), std::move(admit),
                                           [this](const HttpRequest& request) { return route(request); });
  io::ignore_sigpipe();
  return reactor_->start();
}

void ReactorListener::stop() {
  std::lock_guard<std::mutex> lock(stop_mutex_);
  if (reactor_) reactor_->stop();
}

/// POST to the notification path (with its secret, if any) and GET of the redirect path; any
/// other request gets the same 404, so a refusal tells nothing about the notifications.
HttpResponse ReactorListener::route(const HttpRequest& request) const {
  if (request.method == "POST" && gate_.admits_path(request.path, options_.notification_path)) {
    NotificationReply reply = on_notification_(request.body);
    HttpResponse response;
    response.status = reply.http_status;
    response.body = std::move(reply.body);
    return response;
  }
  if (on_redirect_ && request.method == "GET" && request.path == options_.redirect_path) {
    on_redirect_(request.target);
    HttpResponse response;
    response.content_type = "text/html; charset=utf-8";
    response.body = kRedirectPage;
    response.headers = {{"Referrer-Policy", "no-referrer"}};
    return response;
  }
  return io::error_response(404);
}

std::string ReactorListener::origin() const {
  const std::string& h = options_.host;
  std::string host = h.find(':') != std::string::npos ? "[" + h + "]" : h;
  return std::string(options_.cert_file.empty() ? "http://" : "https://") + host + ":" + std::to_string(port_);
}

}  // namespace

Result<std::unique_ptr<CallbackListener>> CallbackListener::start(ListenerOptions options,
                                                                  NotificationCallback on_notification,
                                                                  RedirectCallback on_redirect) {
  for (Status st : {validate_endpoint(options), validate_limits(options.limits), validate_notifier(options)})
    if (!st) return std::move(st).error();
  if (!on_notification) return invalid("listener: a notification handler is required");
  // The gate keeps the only copy of the path secret.
  auto gate = NotifierGate::create(options.notifier.allowed_networks, std::move(options.notifier.path_secret));
  options.notifier.path_secret.clear();
  if (!gate) return std::move(gate).error();
  auto served = std::make_unique<ReactorListener>(std::move(options), std::move(*gate), std::move(on_notification),
                                                  std::move(on_redirect));
  if (auto started = served->start(); !started) return std::move(started).error();
  return std::unique_ptr<CallbackListener>(std::move(served));
}

}  // namespace myna
