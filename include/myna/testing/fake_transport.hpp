// Testing kit for applications (header-only, no test framework needed): a transport that
// answers from a function and records what was sent. Use it to unit-test code above the
// transport; use the sandbox for anything that should cross a real socket.
#pragma once

#include <functional>
#include <mutex>
#include <vector>

#include "myna/transport/transport.hpp"

namespace myna::testing {

/// Thread-safe (the handler is called outside the lock: it must be thread-safe when the
/// transport is used from several threads).
class FakeTransport : public HttpTransport {
 public:
  using Handler = std::function<Result<HttpResponse>(const HttpRequest&)>;
  explicit FakeTransport(Handler handler) : handler_(std::move(handler)) {}

  Result<HttpResponse> send(const HttpRequest& request, const Context& context) override {
    if (context.cancelled()) return Error(ErrorCategory::cancelled, "cancelled");
    {
      std::lock_guard<std::mutex> lock(mu_);
      Recorded r{request.method, request.url, request.headers, request.body};
      sent_.push_back(std::move(r));
    }
    Result<HttpResponse> response = handler_(request);
    // Like the curl transport: only a 2xx body is streamed; others are collected.
    if (response && request.on_body_chunk && !response->body.empty() && response->status / 100 == 2) {
      std::string body = std::move(response->body);
      response->body.clear();
      if (Status st = request.on_body_chunk(body); !st) return std::move(st).error();
    }
    return response;
  }

  struct Recorded {
    std::string method, url;
    std::vector<HttpHeader> headers;
    std::string body;
  };
  std::vector<Recorded> sent() const {
    std::lock_guard<std::mutex> lock(mu_);
    return sent_;
  }

  /// A 200 response with a JSON body.
  static HttpResponse json(int status, std::string body) {
    HttpResponse r;
    r.status = status;
    r.headers.push_back({"Content-Type", "application/json"});
    r.body = std::move(body);
    return r;
  }

 private:
  Handler handler_;
  mutable std::mutex mu_;
  std::vector<Recorded> sent_;
};

}  // namespace myna::testing
