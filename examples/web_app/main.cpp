// A provider's web application against the sandbox (guideline 2.3's screen flow): start page,
// 「次へ」 to Mynaportal, the callback, a page that waits for the completion notification, and
// the records per information type with a 照会年月日 form. The routes are in provider_app.hpp.
//
//   web_app                 plays the citizen's browser itself and checks the pages (CTest)
//   web_app --serve [--port N] [--info FILE] [--notification-delay-ms N]
//                           serves until Ctrl-C for a person or the browser tests; --info
//                           writes {"app_url":…,"sandbox_url":…,"ca_file":…,"app_cert_file":…,
//                           "sandbox_cert_file":…} once listening
//
// The sandbox's sign-in page offers C0000001…C0000005, C0000008 (card certificate expired),
// C0000009 (refuses) and N0000001 (not registered at Mynaportal).
#include <httplib.h>
#include <signal.h>

#include <cstring>
#include <fstream>
#include <iostream>

#include "myna/client/listener.hpp"
#include "myna/sandbox/sandbox.hpp"
#include "provider_app.hpp"

namespace {

struct Options {
  bool serve = false;
  int port = 0;
  std::string info_file;
  int notification_delay_ms = 800;
};

std::optional<Options> parse(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    const bool has_value = i + 1 < argc;
    if (arg == "--serve")
      o.serve = true;
    else if (arg == "--port" && has_value)
      o.port = std::atoi(argv[++i]);
    else if (arg == "--info" && has_value)
      o.info_file = argv[++i];
    else if (arg == "--notification-delay-ms" && has_value)
      o.notification_delay_ms = std::atoi(argv[++i]);
    else
      return std::nullopt;
  }
  return o;
}

/// The sandbox with the special citizens the sign-in page offers.
std::unique_ptr<myna::sandbox::Sandbox> start_sandbox(const Options& o) {
  myna::sandbox::SandboxOptions options;
  options.expired_certificate_citizens = {"C0000008"};
  options.denying_citizens = {"C0000009"};
  options.provider_name = "すこやか手帳（サンプル）";
  options.notification_delay = std::chrono::milliseconds(o.serve ? o.notification_delay_ms : 100);
  return myna::sandbox::Sandbox::start(options);
}

/// A client of the sandbox whose redirect_uri is this application's /callback.
std::shared_ptr<myna::Client> make_client(myna::sandbox::Sandbox& sandbox, const std::string& app) {
  const auto& pki = sandbox.credentials();
  myna::ClientOptions options;
  options.profile = sandbox.client_profile();
  options.profile.redirect_uri = app + "/callback";
  sandbox.register_redirect_uri(options.profile.redirect_uri);  // registered with the service
  options.curl.tls = {pki.ca_file, pki.client_cert_file, pki.client_key_file, {}};
  options.notification_timeout = std::chrono::seconds(30);
  return myna::Client::create(options).value();
}

std::string cookie_of(const httplib::Result& res) {
  std::string cookie = res ? res->get_header_value("Set-Cookie") : "";
  return cookie.substr(0, cookie.find(';'));
}

/// The citizen's browser, played by this program: start page → 「次へ」 → Mynaportal (the
/// sandbox answers at once for citizen C0000005) → callback → waiting page → records.
bool play_browser(myna::sandbox::Sandbox& sandbox, const std::string& app) {
  httplib::Client browser(app);
  browser.set_ca_cert_path(sandbox.credentials().ca_file.c_str());
  auto start = browser.Get("/");
  const httplib::Headers cookie = {{"Cookie", cookie_of(start)}};
  std::cout << "1. start page: " << (start ? start->status : 0) << "\n";
  auto next = browser.Post("/consent/start", cookie, "types=drugs", "application/x-www-form-urlencoded");
  const std::string consent_url = next ? next->get_header_value("Location") : "";
  if (consent_url.empty()) return false;
  std::cout << "2. 「次へ」 redirects to " << consent_url.substr(0, consent_url.find('?')) << "\n";
  const std::string back = sandbox.authorize_as("C0000005", consent_url);
  auto callback = browser.Get(back.substr(back.find("/callback")), cookie);
  std::cout << "3. callback: " << (callback ? callback->status : 0) << " → "
            << (callback ? callback->get_header_value("Location") : "") << "\n";
  auto records = browser.Get("/records?from=2024-04-01&to=2024-09-30", cookie);
  const std::string result = records ? records->get_header_value("Location") : "";
  for (int i = 0; i < 300 && !result.empty(); ++i) {
    auto page = browser.Get(result, cookie);
    if (!page || page->status != 200) return false;
    if (page->body.find("http-equiv=\"refresh\"") != std::string::npos) {
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
      continue;
    }
    const bool table = page->body.find("<th scope=\"col\" title=\"項番24\">薬剤名</th>") != std::string::npos;
    std::cout << "4. records page: " << page->body.size() << " bytes, 薬剤情報 table "
              << (table ? "with the catalog's item names" : "MISSING") << "\n";
    return table;
  }
  return false;
}

bool write_info(const std::string& file, const std::string& app, myna::sandbox::Sandbox& sandbox) {
  std::ofstream out(file + ".tmp");
  const auto& pki = sandbox.credentials();
  out << "{\"app_url\":\"" << app << "\",\"sandbox_url\":\"" << sandbox.app_base_url() << "\",\"ca_file\":\""
      << pki.ca_file << "\",\"app_cert_file\":\"" << pki.listener_cert_file << "\",\"sandbox_cert_file\":\""
      << pki.server_cert_file << "\"}\n";
  out.close();
  return out && std::rename((file + ".tmp").c_str(), file.c_str()) == 0;
}

/// Serves until SIGINT or SIGTERM (blocked in every thread, taken here with sigwait).
int serve(const Options& o, myna::sandbox::Sandbox& sandbox, const std::string& app) {
  std::cout << "open " << app << "/ in a browser (it must trust " << sandbox.credentials().ca_file << "); Ctrl-C ends"
            << std::endl;
  if (!o.info_file.empty() && !write_info(o.info_file, app, sandbox)) {
    std::cerr << "cannot write " << o.info_file << "\n";
    return 1;
  }
  sigset_t stop;
  sigemptyset(&stop);
  sigaddset(&stop, SIGINT);
  sigaddset(&stop, SIGTERM);
  int signal = 0;
  sigwait(&stop, &signal);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  auto options = parse(argc, argv);
  if (!options) {
    std::cerr << "usage: web_app [--serve [--port N] [--info FILE] [--notification-delay-ms N]]\n";
    return 2;
  }
  sigset_t stop;  // before any thread starts, so that only sigwait takes them
  sigemptyset(&stop);
  sigaddset(&stop, SIGINT);
  sigaddset(&stop, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop, nullptr);

  auto sandbox = start_sandbox(*options);
  const auto& pki = sandbox->credentials();
  httplib::SSLServer server(pki.listener_cert_file.c_str(), pki.listener_key_file.c_str());
  server.set_keep_alive_timeout(1);
  int port = options->port > 0 && server.bind_to_port("127.0.0.1", options->port)
                 ? options->port
                 : server.bind_to_any_port("127.0.0.1");
  const std::string app = "https://127.0.0.1:" + std::to_string(port);
  auto client = make_client(*sandbox, app);
  int rc = 0;
  {
    web_app::ProviderApp provider(client);
    provider.add_routes(server);
    std::thread serving([&] { server.listen_after_bind(); });
    while (!server.is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
    sandbox->set_notification_urls({app + "/myna/notify"});
    rc = options->serve ? serve(*options, *sandbox, app) : (play_browser(*sandbox, app) ? 0 : 1);
    server.stop();
    serving.join();
  }
  sandbox->stop();
  return rc;
}
