// The completion-notification endpoint logic. The application's own web server calls
// handle() with the body the service POSTed and sends back the returned status and body.
// It accepts only notifications for pending retrievals, is idempotent on duplicates,
// rejects unknown or late ones, and never takes data from the notification itself.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "myna/export.hpp"
#include "myna/log.hpp"
#include "myna/process/retrieval.hpp"
#include "myna/profile.hpp"

namespace myna {

struct NotificationReply {
  int http_status = 200;  ///< 200 accepted (incl. duplicates), 400 malformed, 404 unknown, 409 late
  std::string body;       ///< the reply telegram (IFA0302-S01 echo) or an error telegram
  bool accepted = false;  ///< the notification was for a pending retrieval (or a duplicate)
};

/// Thread-safe: handle() may be called from every worker of a web server at once (the
/// retrieval store makes each notification's state change atomic).
class MYNA_API NotificationHandler {
 public:
  NotificationHandler(Profile profile, std::shared_ptr<RetrievalStore> store, Logger logger = {});
  NotificationReply handle(std::string_view body) const;

 private:
  Profile profile_;
  std::shared_ptr<RetrievalStore> store_;
  Logger logger_;
};

}  // namespace myna
