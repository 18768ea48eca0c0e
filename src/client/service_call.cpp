#include "client/service_call.hpp"

namespace myna::internal {

ServiceCaller::ServiceCaller(const ClientOptions& options, std::unique_ptr<TokenProvider> tokens)
    : options_(options), tokens_(std::move(tokens)) {}

Result<HttpResponse> ServiceCaller::post(const std::string& citizen, const std::string& path,
                                         const std::string& body, bool idempotent, const Context& context,
                                         std::function<Status(std::string_view)> on_chunk) const {
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
    auto response = send_with_retry(*options_.transport, request, context,
                                    idempotent ? options_.retry : RetryPolicy::none(), options_.logger);
    wipe(request.headers.back().value);
    if (!response && response.error().http_status() == 401 && auth_attempt == 0) {
      tokens_->invalidate(citizen, *token);
      continue;
    }
    return response;
  }
}

}  // namespace myna::internal
