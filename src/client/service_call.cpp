#include "client/service_call.hpp"

#include "transport/retry_loop.hpp"

namespace myna::internal {
namespace {

constexpr std::string_view kBearer = "Bearer ";

/// "Bearer <token>" built in one block of exactly its size: it never reallocates (a
/// reallocation frees a block that still holds the token), and it is moved into the request,
/// never copied. WipeSecretHeaders wipes it when the call ends.
HttpHeader bearer_header(const SecretString& token) {
  HttpHeader header{"Authorization", std::string(), true};
  header.value.reserve(kBearer.size() + token.size());
  header.value.append(kBearer).append(token.reveal());
  return header;
}

/// Wipes the secret header values of a request however the call ends.
struct WipeSecretHeaders {
  HttpRequest& request;
  ~WipeSecretHeaders() {
    for (HttpHeader& h : request.headers)
      if (h.secret) wipe(h.value);
  }
};

// Counts the attempts the retry loop makes through it.
class CountingTransport : public HttpTransport {
 public:
  CountingTransport(HttpTransport& inner, int& attempts) : inner_(inner), attempts_(attempts) {}
  Result<HttpResponse> send(const HttpRequest& request, const Context& context) override {
    ++attempts_;
    return inner_.send(request, context);
  }

 private:
  HttpTransport& inner_;
  int& attempts_;
};

}  // namespace

ServiceCaller::ServiceCaller(const ClientOptions& options, std::unique_ptr<TokenProvider> tokens,
                             const RetryClock& clock)
    : options_(options), tokens_(std::move(tokens)), clock_(clock) {}

Result<HttpResponse> ServiceCaller::post(const std::string& citizen, const std::string& path, const std::string& body,
                                         bool idempotent, const Context& context, int& attempts,
                                         const std::function<Status(std::string_view)>& on_chunk) const {
  CountingTransport transport(*options_.transport, attempts);
  for (int auth_attempt = 0;; ++auth_attempt) {
    auto token = tokens_->access_token(citizen, context);
    if (!token) return std::move(token).error();
    HttpRequest request;
    const WipeSecretHeaders wipe_after{request};
    request.url = options_.profile.api_base_url + path;
    request.headers.reserve(3);
    request.headers.push_back({"Content-Type", "application/json; charset=utf-8", false});
    request.headers.push_back({"Accept", "application/json", false});
    request.headers.push_back(bearer_header(*token));
    request.body = body;
    request.idempotent = idempotent;
    request.on_body_chunk = on_chunk;
    auto response = send_with_retry(transport, request, context, idempotent ? options_.retry : RetryPolicy::none(),
                                    options_.logger, clock_);
    if (!response && response.error().http_status() == 401 && auth_attempt == 0) {
      tokens_->invalidate(citizen, *token);
      continue;
    }
    return response;
  }
}

}  // namespace myna::internal
