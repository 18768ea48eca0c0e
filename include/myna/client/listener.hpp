// Optional built-in HTTPS callback listener (CMake target MynaPortal::listener, needs
// cpp-httplib) for applications without a web server of their own: it serves the
// notification endpoint and, for desktop tools, the consent redirect.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <utility>

#include "myna/error.hpp"
#include "myna/process/notification_handler.hpp"

namespace myna {

struct ListenerOptions {
  std::string host = "127.0.0.1";
  int port = 0;  ///< 0: pick a free port
  std::string notification_path = "/myna/notify";
  std::string redirect_path = "/callback";
  /// TLS (PEM files). Both empty: plain HTTP, allowed only on a loopback host.
  std::string cert_file, key_file;
};

/// Answers one notification POST body with the reply to send (e.g. NotificationHandler::handle).
using NotificationCallback = std::function<NotificationReply(std::string_view body)>;
/// Receives the full target (path and query) of a GET redirect_path.
using RedirectCallback = std::function<void(std::string target)>;

/// Serves POST notification_path and GET redirect_path with cpp-httplib in background threads.
/// Plain HTTP is refused on a non-loopback host. SIGPIPE is ignored process-wide unless the
/// application installed its own handler (a peer closing mid-reply must not kill the process).
/// stop() (also run by the destructor) ends open connections and joins the threads (outside
/// Linux it may wait up to 5 s for a peer's idle keep-alive connection to time out).
/// Thread-safe; the notification and redirect callbacks run on the listener's threads,
/// several at once, so they must be thread-safe (NotificationHandler::handle is).
class CallbackListener {
 public:
  /// Starts serving in background threads; the handler answers notification POSTs; on_redirect
  /// (optional) receives the full redirect target of GET redirect_path. The handler must
  /// outlive the listener.
  static Result<std::unique_ptr<CallbackListener>> start(ListenerOptions options, const NotificationHandler& handler,
                                                         RedirectCallback on_redirect = {}) {
    return start(
        std::move(options), [&handler](std::string_view body) { return handler.handle(body); },
        std::move(on_redirect));
  }
  /// The same with any callable answering notification bodies.
  static Result<std::unique_ptr<CallbackListener>> start(ListenerOptions options, NotificationCallback on_notification,
                                                         RedirectCallback on_redirect = {});
  virtual ~CallbackListener() = default;
  virtual int port() const noexcept = 0;
  /// e.g. "https://127.0.0.1:43123/myna/notify"
  virtual std::string notification_url() const = 0;
  virtual std::string redirect_url() const = 0;
  virtual void stop() = 0;
};

}  // namespace myna
