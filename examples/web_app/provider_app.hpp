// The provider's web application (guideline 2.3): the citizen chooses what to link and
// presses 「次へ」, consents at Mynaportal, comes back to the callback, waits for the
// completion notification and sees the records for a 照会年月日 range.
//
//   GET  /                 start page: information types to link, 「次へ」
//   POST /consent/start    → 303 to Mynaportal's consent page (state kept in the session)
//   GET  /callback         the redirect URI: complete_consent, then → /records
//   GET  /records          starts the retrievals for the granted types → /records/result
//   GET  /records/result   waits (reloads itself) until every retrieval ended, then the tables
//   POST /myna/notify      the completion notification: handed to the SDK, answered at once
#pragma once

#include <httplib.h>

#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "myna/myna.hpp"
#include "pages.hpp"

namespace web_app {

/// One browser's session (cookie): the application's user key and a consent in progress.
struct Session {
  std::string user;
  std::optional<myna::ConsentRequest> consent;
};

/// A retrieval of every granted type for one range, run in the background.
struct Job {
  std::string user;      ///< whose records: only their session may see the job
  std::string from, to;  ///< YYYY-MM-DD
  std::vector<myna::RecordType> types;
  std::mutex mu;
  std::vector<TypeSection> sections;  ///< filled as each type ends
  bool done = false;
};

class ProviderApp {
 public:
  explicit ProviderApp(std::shared_ptr<myna::Client> client) : client_(std::move(client)) {}
  ~ProviderApp();
  ProviderApp(const ProviderApp&) = delete;
  ProviderApp& operator=(const ProviderApp&) = delete;

  void add_routes(httplib::Server& server);

 private:
  void start(const httplib::Request& req, httplib::Response& res);
  void begin_consent(const httplib::Request& req, httplib::Response& res);
  void callback(const httplib::Request& req, httplib::Response& res);
  void records(const httplib::Request& req, httplib::Response& res);
  void result(const httplib::Request& req, httplib::Response& res);

  /// The session of the request's cookie, created (and the cookie set) when missing.
  std::pair<std::string, Session*> session(const httplib::Request& req, httplib::Response& res);
  myna::RecordTypes granted(const std::string& user);
  std::string start_job(const std::string& user, myna::RecordTypes types, std::string from, std::string to);
  void run_job(std::shared_ptr<Job> job);
  std::shared_ptr<Job> find_job(const std::string& id);

  std::shared_ptr<myna::Client> client_;
  std::mutex mu_;  // guards the maps
  std::map<std::string, Session> sessions_;
  std::map<std::string, std::shared_ptr<Job>> jobs_;
  std::vector<std::thread> workers_;
};

}  // namespace web_app
