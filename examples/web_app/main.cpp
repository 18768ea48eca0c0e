// Consent and notification endpoints in an application's own web server (cpp-httplib here;
// any server works). The routes an application adds:
//   GET  /consent/start?user=U  → 302 to Mynaportal's consent page (state kept server-side)
//   GET  /callback?code&state   → the citizen is back: exchange the code, store the token
//   POST /myna/notify           → the completion notification: hand the body to the SDK
//   GET  /records?user=U        → fetch and show the citizen's 薬剤情報
// Against the sandbox, this program also plays the citizen's browser to show the flow.
#include <httplib.h>

#include <iostream>
#include <map>
#include <mutex>
#include <thread>

#include "myna/myna.hpp"
#include "myna/sandbox/sandbox.hpp"

namespace {

// Consent requests waiting for the browser to come back, by state (a real app keys them by
// its session cookie; the state then only has to match).
class PendingConsents {
 public:
  void put(const std::string& user, myna::ConsentRequest request) {
    std::string state(request.state.reveal());
    std::lock_guard<std::mutex> lock(mu_);
    by_state_[state] = {user, std::move(request)};
  }
  std::optional<std::pair<std::string, myna::ConsentRequest>> take(const std::string& state) {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = by_state_.find(state);
    if (it == by_state_.end()) return std::nullopt;
    auto out = std::move(it->second);
    by_state_.erase(it);
    return out;
  }

 private:
  std::mutex mu_;
  std::map<std::string, std::pair<std::string, myna::ConsentRequest>> by_state_;
};

void add_routes(httplib::Server& server, myna::Client& client, PendingConsents& pending) {
  server.Get("/consent/start", [&](const httplib::Request& req, httplib::Response& res) {
    auto request = client.begin_consent();
    if (!request) return res.set_content(request.error().message(), "text/plain"), void(res.status = 500);
    std::string url = request->url;
    pending.put(req.get_param_value("user"), std::move(*request));
    res.set_redirect(url);
  });
  server.Get("/callback", [&](const httplib::Request& req, httplib::Response& res) {
    auto entry = pending.take(req.get_param_value("state"));
    if (!entry) return res.set_content("unknown or expired consent", "text/plain"), void(res.status = 400);
    myna::Status st = client.complete_consent(entry->first, req.target, entry->second);
    res.status = st.ok() ? 200 : 403;
    res.set_content(st.ok() ? "同意ありがとうございました。" : st.error().message(), "text/plain; charset=utf-8");
  });
  server.Post("/myna/notify", [&](const httplib::Request& req, httplib::Response& res) {
    myna::NotificationReply reply = client.notification_handler().handle(req.body);
    res.status = reply.http_status;
    res.set_content(reply.body, "application/json");
  });
  server.Get("/records", [&](const httplib::Request& req, httplib::Response& res) {
    auto query = myna::drug_query().from(req.get_param_value("from")).to(req.get_param_value("to")).build();
    if (!query) return res.set_content(query.error().message(), "text/plain"), void(res.status = 400);
    auto drugs = client.fetch_drugs(req.get_param_value("user"), *query);
    if (!drugs) return res.set_content(drugs.error().message(), "text/plain"), void(res.status = 502);
    std::string body;
    for (const auto& d : *drugs) body += d.dispensing_date.to_string() + " " + d.drug_name.str() + "\n";
    res.set_content(body, "text/plain; charset=utf-8");
  });
}

}  // namespace

int main() {
  auto sandbox = myna::sandbox::Sandbox::start({});
  const auto& pki = sandbox->credentials();

  httplib::SSLServer server(pki.server_cert_file.c_str(), pki.server_key_file.c_str());
  server.set_keep_alive_timeout(1);
  int port = server.bind_to_any_port("127.0.0.1");
  std::string app = "https://127.0.0.1:" + std::to_string(port);

  myna::ClientOptions options;
  options.profile = sandbox->client_profile();
  options.profile.redirect_uri = app + "/callback";
  sandbox->register_redirect_uri(options.profile.redirect_uri);  // registered with the service
  options.curl.tls = {pki.ca_file, pki.client_cert_file, pki.client_key_file, {}};
  auto client = myna::Client::create(options).value();
  PendingConsents pending;
  add_routes(server, *client, pending);
  std::thread serving([&] { server.listen_after_bind(); });
  sandbox->set_notification_urls({app + "/myna/notify"});
  std::cout << "application at " << app << "\n";

  // The citizen's browser: start → Mynaportal (sandbox, auto-consent) → back to /callback.
  httplib::Client browser(app);
  browser.set_ca_cert_path(pki.ca_file.c_str());
  auto start = browser.Get("/consent/start?user=u-1001");
  std::string consent_url = start ? start->get_header_value("Location") : "";
  if (consent_url.empty()) {
    std::cerr << "no redirect from /consent/start: " << (start ? std::to_string(start->status) : httplib::to_string(start.error())) << "\n";
    return 1;
  }
  std::cout << "1. /consent/start redirects to " << consent_url.substr(0, consent_url.find('?')) << "\n";
  std::string back = sandbox->authorize_as("C0000005", consent_url);
  auto callback = browser.Get(back.substr(back.find("/callback")));
  std::cout << "2. /callback answered " << (callback ? callback->status : 0) << " " << (callback ? callback->body : "")
            << "\n";
  auto records = browser.Get("/records?user=u-1001&from=2024-04-01&to=2024-06-30");
  std::cout << "3. /records (the notification came to /myna/notify meanwhile):\n" << (records ? records->body : "") << "\n";

  server.stop();
  serving.join();
  sandbox->stop();
  return records && records->status == 200 ? 0 : 1;
}
