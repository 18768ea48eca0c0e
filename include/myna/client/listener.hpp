// Optional built-in HTTPS callback listener (CMake target MynaPortal::listener) for
// applications without a web server of their own: it serves the notification endpoint and,
// for desktop tools, the consent redirect. docs/security.md lists what it guarantees under
// hostile peers; docs/integration.md shows a deployment's options.
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "myna/error.hpp"
#include "myna/listener_export.hpp"
#include "myna/process/notification_handler.hpp"
#include "myna/secret.hpp"

namespace myna {

/// Bounds that keep the listener answering under slow, silent or oversized peers. Every
/// request is read completely, under these caps, before a callback sees it.
struct ListenerLimits {
  /// Time a connection has for a whole request: TLS handshake, head and body (for a kept-alive
  /// connection: from the end of the previous answer). Missed: the connection is closed.
  std::chrono::milliseconds request_timeout{10000};
  /// Request line and header fields (and chunked trailers); more: 431 and close.
  std::size_t max_header_bytes = 8 * 1024;
  /// Body after decoding, whatever the framing (Content-Length or chunked); more: 413 and close.
  /// Other transfer codings are refused (501).
  std::size_t max_body_bytes = 64 * 1024;
  /// Connections open at once; further ones are closed as soon as they are accepted.
  std::size_t max_connections = 128;
  /// Threads running the callbacks (reading and TLS handshakes never occupy them).
  std::size_t worker_threads = 4;
};

/// How the listener checks who sends notifications (all optional, combinable). What each one
/// proves, and what it does not, is in docs/security.md.
struct NotifierAuthentication {
  /// TLS only: every connection must present a client certificate issued by a CA in this PEM
  /// file (verified during the handshake; without one the handshake fails).
  std::string client_ca_file;
  /// With client_ca_file: the certificate must also carry one of these names (a DNS
  /// subjectAltName, or the subject CN when it has no DNS names; exact, no wildcards).
  std::vector<std::string> client_names;
  /// CIDR blocks or addresses ("203.0.113.0/24", "2001:db8::/32"); connections from other
  /// addresses are closed at accept, before a byte is read. Empty: any address.
  std::vector<std::string> allowed_networks;
  /// 16–256 characters (A–Z a–z 0–9 - . _ ~): notifications are accepted only at
  /// notification_path + "/" + secret, compared in constant time; any other path gets the
  /// same 404 as a path that does not exist. Never logged or shown in error messages.
  SecretString path_secret;
};

struct ListenerOptions {
  std::string host = "127.0.0.1";
  int port = 0;  ///< 0: pick a free port
  std::string notification_path = "/myna/notify";
  std::string redirect_path = "/callback";
  /// TLS (PEM files). Both empty: plain HTTP, allowed only on a loopback host.
  std::string cert_file, key_file;
  ListenerLimits limits;
  NotifierAuthentication notifier;
};

/// Answers one notification POST body with the reply to send (e.g. NotificationHandler::handle).
using NotificationCallback = std::function<NotificationReply(std::string_view body)>;
/// Receives the full target (path and query) of a GET redirect_path.
using RedirectCallback = std::function<void(std::string target)>;

/// Serves POST notification_path and GET redirect_path. One I/O thread reads every connection
/// (non-blocking sockets and TLS) and hands only complete requests to a few worker threads
/// that run the callbacks, several at once. Plain HTTP is refused on a non-loopback host.
/// SIGPIPE is ignored process-wide unless the application installed its own handler (a peer
/// closing mid-answer must not kill the process). stop() (also run by the destructor) closes
/// every connection at once, waits for callbacks still running and joins the threads.
/// Thread-safe; the notification and redirect callbacks run on the listener's worker threads,
/// several at once, so they must be thread-safe (NotificationHandler::handle is). Do not call
/// stop() from a callback.
class MYNA_LISTENER_API CallbackListener {
 public:
  /// Starts serving in background threads; the handler answers notification POSTs; on_redirect
  /// (optional) receives the full redirect target of GET redirect_path. The handler must
  /// outlive the listener.
  static Result<std::unique_ptr<CallbackListener>> start(ListenerOptions options, const NotificationHandler& handler,
                                                         RedirectCallback on_redirect = {}) {
    return start(
        std::move(options), [&handler](std::string_view body) { return handler.handle(body); }, std::move(on_redirect));
  }
  /// The same with any callable answering notification bodies (called from several threads).
  static Result<std::unique_ptr<CallbackListener>> start(ListenerOptions options, NotificationCallback on_notification,
                                                         RedirectCallback on_redirect = {});
  virtual ~CallbackListener() = default;
  virtual int port() const noexcept = 0;
  /// e.g. "https://127.0.0.1:43123/myna/notify"; with a path secret it ends in "/<secret>":
  /// register it with the service, never log it.
  virtual std::string notification_url() const = 0;
  virtual std::string redirect_url() const = 0;
  virtual void stop() = 0;
};

}  // namespace myna
