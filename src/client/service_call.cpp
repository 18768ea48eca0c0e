#include "client/service_call.hpp"

#include "transport/retry_loop.hpp"

namespace myna::internal {
namespace {

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

Result<HttpResponse> ServiceCaller::post(const std::string& citizen, const std::string& path,
                                         const std::string& body, bool idempotent, const Context& context,
                                         int& attempts, std::function<Status(std::string_view)> on_chunk) const {
  CountingTransport transport(*options_.transport, attempts);
  for (int auth_attempt = 0;; ++auth_attempt) {
    auto token = tokens_->access_token(citizen, context);
    if (!token) return std::move(token).error();
    HttpRequest request;
    request.url = options_.profile.api_base_url + path;
    request.headers = {{"Content-Type", "application/json; charset=utf-8", false},
                       {"Accept", "application/json", false},
                       {"Authorization", "Bearer " + std::string(token->reveal()), true}};
    request.body = body;
    request.idempotent = idempotent;
    request.on_body_chunk = on_chunk;
    auto response = send_with_retry(transport, request, context, idempotent ? options_.retry : RetryPolicy::none(),
                                    options_.logger, clock_);
    wipe(request.headers.back().value);
    if (!response && response.error().http_status() == 401 && auth_attempt == 0) {
      tokens_->invalidate(citizen, *token);
      continue;
    }
    return response;
  }
}

}  // namespace myna::internal
