// The transport seam: one small interface injected at run time (ClientOptions::transport).
// The default is the libcurl + OpenSSL transport (curl_transport.hpp); tests inject a fake
// (myna/testing/fake_transport.hpp); applications may inject their own.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "myna/error.hpp"
#include "myna/export.hpp"
#include "myna/secret.hpp"
#include "myna/transport/context.hpp"

namespace myna {

struct HttpHeader {
  std::string name;
  std::string value;
  bool secret = false;  ///< e.g. Authorization: never logged, wiped after use
};

struct HttpRequest {
  std::string method = "POST";
  std::string url;
  std::vector<HttpHeader> headers;
  std::string body;
  /// The body holds secrets (token form), and so does the answer (tokens): the caller wipes the
  /// body after sending; the transport collects the response body without leaving copies of it
  /// in freed memory (the caller wipes the body it returns).
  bool body_secret = false;
  /// Safe to send again (a result fetch is; a token exchange is not). Retries only these.
  bool idempotent = false;
  /// When set, the response body is handed over in chunks as it arrives instead of being
  /// collected; an error stops the transfer. HttpResponse::body stays empty. Only a 2xx
  /// body is streamed: the body of any other status is collected as usual (size-capped), so
  /// that an error answer never reaches a decoder and can still be mapped (http_error).
  std::function<Status(std::string_view chunk)> on_body_chunk;
};

struct MYNA_API HttpResponse {
  int status = 0;
  std::vector<HttpHeader> headers;
  std::string body;
  /// Value of the first header with this name (case-insensitive), or "".
  std::string_view header(std::string_view name) const noexcept;
};

/// Thread-safe: send() may be called from many threads at once (an implementation must
/// allow it; the libcurl transport and FakeTransport do).
class MYNA_API HttpTransport {
 public:
  virtual ~HttpTransport() = default;
  /// Sends one request. Returns a response for any HTTP status; an Error only when no
  /// complete response was received (network, tls, timeout, cancelled, size cap).
  /// Must be safe to call from many threads at once.
  virtual Result<HttpResponse> send(const HttpRequest& request, const Context& context) = 0;
};

}  // namespace myna
