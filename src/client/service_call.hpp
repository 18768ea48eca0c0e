// The service's API calls on behalf of one citizen: a bearer token from the token provider,
// the transport under the retry policy, and one more try with a fresh token after a 401.
// Internal to the client; thread-safe (batch workers share one).
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "internal/retry_schedule.hpp"
#include "myna/client/client.hpp"

namespace myna::internal {

class ServiceCaller {
 public:
  /// options and clock outlive the caller (all belong to the client).
  ServiceCaller(const ClientOptions& options, std::unique_ptr<TokenProvider> tokens, const RetryClock& clock);

  /// POSTs body (JSON) to profile.api_base_url + path. Only an idempotent call is retried;
  /// on_chunk, when set, receives a 2xx body as it arrives. attempts counts every HTTP
  /// attempt made (retries and the one after a 401 included).
  Result<HttpResponse> post(const std::string& citizen, const std::string& path, const std::string& body,
                            bool idempotent, const Context& context, int& attempts,
                            const std::function<Status(std::string_view)>& on_chunk = {}) const;

  /// Whether the citizen's stored grant covers this information type (consent_required,
  /// naming the type, when not): checked before anything is sent.
  Status check_grant(const std::string& citizen, RecordType type) const { return tokens_->check_grant(citizen, type); }

 private:
  const ClientOptions& options_;
  std::unique_ptr<TokenProvider> tokens_;
  const RetryClock& clock_;
};

}  // namespace myna::internal
