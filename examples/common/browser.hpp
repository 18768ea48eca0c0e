// Plays the citizen's browser against the sandbox: opens the consent URL as a given sandbox
// citizen (the sandbox auto-consents) and returns the redirect it answers with. A real
// application sends the browser to the URL instead (HTTP 302) and receives the redirect.
#pragma once

#include <string>

#include "myna/transport/transport.hpp"

namespace example {

inline myna::Result<std::string> play_browser(myna::HttpTransport& transport, const std::string& consent_url,
                                              const std::string& sandbox_citizen) {
  myna::HttpRequest request;
  request.method = "GET";
  request.url = consent_url + "&citizen=" + sandbox_citizen;
  auto response = transport.send(request, myna::Context().with_timeout(std::chrono::seconds(10)));
  if (!response) return std::move(response).error();
  auto location = response->header("Location");
  if (response->status != 302 || location.empty())
    return myna::Error(myna::ErrorCategory::consent_denied, "the consent page answered " +
                                                                std::to_string(response->status) + " without a redirect");
  return std::string(location);
}

}  // namespace example
