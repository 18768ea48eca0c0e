#include "client/service_call.hpp"

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

}  // namespace

ServiceCaller::ServiceCaller(const ClientOptions& options, std::unique_ptr<TokenProvider> tokens)
    : options_(options), tokens_(std::move(tokens)) {}

Result<HttpResponse> ServiceCaller::post(const std::string& citizen, const std::string& path,
                                         const std::string& body, bool idempotent, const Context& context,
                                         std::function<Status(std::string_view)> on_chunk) const {
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
    auto response = send_with_retry(*options_.transport, request, context,
                                    idempotent ? options_.retry : RetryPolicy::none(), options_.logger);
    if (!response && response.error().http_status() == 401 && auth_attempt == 0) {
      tokens_->invalidate(citizen, *token);
      continue;
    }
    return response;
  }
}

}  // namespace myna::internal
