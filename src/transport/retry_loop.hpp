// send_with_retry on a given RetryClock: the loop the public send_with_retry runs on the real
// clock, reachable by the client (its service calls share the clock of its own re-asks) and
// by the tests of the schedule. Internal to the library.
#pragma once

#include "internal/retry_schedule.hpp"
#include "myna/transport/retry.hpp"

namespace myna::internal {

Result<HttpResponse> send_with_retry(HttpTransport& transport, const HttpRequest& request, const Context& context,
                                     const RetryPolicy& policy, const Logger& logger, const RetryClock& clock);

}  // namespace myna::internal
