// Optional built-in HTTPS callback listener (CMake target MynaPortal::listener, needs
// cpp-httplib) for applications without a web server of their own: it serves the
// notification endpoint and, for desktop tools, the consent redirect.
#pragma once

#include <functional>
#include <memory>
#include <string>

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

class CallbackListener {
 public:
  /// Starts serving in background threads; the handler answers notification POSTs; on_redirect
  /// (optional) receives the full redirect target of GET redirect_path.
  static Result<std::unique_ptr<CallbackListener>> start(ListenerOptions options, const NotificationHandler& handler,
                                                         std::function<void(std::string target)> on_redirect = {});
  virtual ~CallbackListener() = default;
  virtual int port() const noexcept = 0;
  /// e.g. "https://127.0.0.1:43123/myna/notify"
  virtual std::string notification_url() const = 0;
  virtual std::string redirect_url() const = 0;
  virtual void stop() = 0;
};

}  // namespace myna
