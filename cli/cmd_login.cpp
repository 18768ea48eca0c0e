// `myna login`: the consent flow for one citizen, for people at a terminal. Prints (and on a
// desktop opens) the consent URL for the information types of --types, receives the redirect
// on a loopback listener, exchanges the code and stores the token in the file token store.
// Against `myna sandbox` a person completes the sandbox's sign-in and consent pages in a
// browser; --sandbox-citizen instead lets the sandbox consent at once (non-interactive use).
#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <future>
#include <iostream>
#include <mutex>
#include <optional>
#include <thread>

#include "commands.hpp"
#include "exit_codes.hpp"
#include "internal/host_port.hpp"
#include "session.hpp"

extern char** environ;

namespace myna::cli {
namespace {

const CommandSpec& spec() {
  static const CommandSpec s = [] {
    CommandSpec c{"login",
                  "[--citizen KEY] [--types LIST] [--sandbox-citizen ID] [--no-browser] [--timeout SECONDS]",
                  "Asks a citizen for consent (期間連携) to the information types of --types and stores the token\n"
                  "for KEY in token_dir. Prints the consent URL (and opens it when a desktop session and xdg-open\n"
                  "are available), receives the redirect on redirect_uri, which must be a loopback URL of this\n"
                  "machine (e.g. http://127.0.0.1:8765/callback), and exchanges the code over mutual TLS. A new\n"
                  "consent replaces the citizen's token: list every type the citizen should grant.",
                  {{"citizen", "KEY", "your key for the citizen (default: config `citizen`, else default)"},
                   {"types", "LIST", "comma-separated: drugs,checkups,expenses (default: all three)"},
                   {"sandbox-citizen", "ID", "let the sandbox consent as its citizen ID (e.g. C0000005), no person"},
                   {"no-browser", "", "do not open a browser"},
                   {"timeout", "SECONDS", "how long to wait for the redirect (default 300)"},
                   {"verbose", "", "log the SDK's (redacted) requests to stderr"}},
                  0,
                  0,
                  "examples:\n  myna login --citizen user-42 --types checkups\n"
                  "  myna login --config /tmp/sb/config --citizen C0000005 --sandbox-citizen C0000005"};
    for (OptionSpec& o : config_options()) c.options.push_back(o);
    return c;
  }();
  return s;
}

struct Redirect {
  std::string host, path;
  int port = 0;
  bool https = false;
};

Result<Redirect> parse_redirect_uri(const std::string& uri) {
  Redirect r;
  std::string rest;
  if (uri.rfind("http://", 0) == 0) rest = uri.substr(7);
  if (uri.rfind("https://", 0) == 0) {
    rest = uri.substr(8);
    r.https = true;
  }
  auto slash = rest.find('/');
  std::string authority = rest.substr(0, slash);
  r.path = slash == std::string::npos ? "/" : rest.substr(slash);
  if (auto q = r.path.find('?'); q != std::string::npos) r.path.resize(q);
  auto address = internal::parse_host_port(authority);
  bool loopback =
      address && (address->first == "127.0.0.1" || address->first == "localhost" || address->first == "::1");
  if (rest.empty() || !loopback || address->second == 0)
    return Error(ErrorCategory::validation,
                 "`myna login` receives the consent redirect on this machine: redirect_uri must be a loopback URL "
                 "with a port, e.g. http://127.0.0.1:8765/callback (got '" +
                     uri + "')");
  r.host = address->first;
  r.port = address->second;
  return r;
}

bool on_path(const char* program) {
  const char* path = std::getenv("PATH");
  std::string dirs = path ? path : "";
  for (std::size_t start = 0; start <= dirs.size();) {
    std::size_t end = dirs.find(':', start);
    if (end == std::string::npos) end = dirs.size();
    std::string candidate = dirs.substr(start, end - start) + "/" + program;
    if (end > start && ::access(candidate.c_str(), X_OK) == 0) return true;
    start = end + 1;
  }
  return false;
}

/// Opens the URL with xdg-open on a desktop session; false when there is none.
bool open_browser(const std::string& url) {
  bool desktop = std::getenv("DISPLAY") || std::getenv("WAYLAND_DISPLAY");
  if (!desktop || !on_path("xdg-open")) return false;
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0);
  std::string program = "xdg-open";
  char* argv[] = {program.data(), const_cast<char*>(url.c_str()), nullptr};
  pid_t pid = 0;
  int rc = posix_spawnp(&pid, "xdg-open", &actions, nullptr, argv, environ);
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) return false;
  std::thread([pid] { ::waitpid(pid, nullptr, 0); }).detach();
  return true;
}

/// Plays the citizen's browser against the sandbox: opens the consent URL as `citizen`
/// (the sandbox consents at once) and follows its redirect to our listener.
Status play_sandbox_browser(const Config& config, const std::string& url, const std::string& citizen) {
  CurlTransportOptions browser;
  browser.tls.ca_file = config.get("ca_file");  // a browser has no client certificate
  browser.allow_plain_http_loopback = true;
  auto transport = make_curl_transport(browser);
  if (!transport) return std::move(transport).error();
  HttpRequest consent;
  consent.method = "GET";
  consent.url = url + "&citizen=" + url_encode(citizen);
  auto answer = (*transport)->send(consent, Context().with_timeout(std::chrono::seconds(30)));
  if (!answer) return std::move(answer).error();
  if (answer->status != 302 || answer->header("Location").empty())
    return Error(ErrorCategory::validation, "the consent page answered HTTP " + std::to_string(answer->status) +
                                                " without a redirect: is this the sandbox, and is the citizen known?");
  HttpRequest back;
  back.method = "GET";
  back.url = std::string(answer->header("Location"));
  auto arrived = (*transport)->send(back, Context().with_timeout(std::chrono::seconds(30)));
  if (!arrived) return std::move(arrived).error();
  return {};
}

/// The information types the citizen's stored grant covers (none when it cannot be read).
RecordTypes granted_types(Client& client, const std::string& citizen) {
  auto types = client.granted_types(citizen);
  return types ? *types : RecordTypes();
}

/// Waits for the redirect target; nullopt on timeout or Ctrl-C.
std::optional<std::string> wait_for(std::future<std::string>& redirect, std::chrono::seconds timeout,
                                    const Context& interrupt) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline && !interrupt.cancelled())
    if (redirect.wait_for(std::chrono::milliseconds(100)) == std::future_status::ready) return redirect.get();
  return std::nullopt;
}

/// Receives the consent's redirect to redirect_uri (GET on its path) into a future. Any local
/// process or web page can send requests there: one without this consent's state is answered
/// (the listener's page) but ignored, and the login keeps waiting. The expired-certificate
/// form carries no state, so it cannot end the login either: it is reported as unverified.
class RedirectReceiver {
 public:
  Status start(const Redirect& where, const Config& config, const Client& client, SecretString state) {
    state_ = std::move(state);
    ListenerOptions listen;
    listen.host = where.host;
    listen.port = where.port;
    listen.redirect_path = where.path;
    listen.notification_path = where.path == "/myna/notify" ? "/myna/notify-unused" : "/myna/notify";
    if (where.https) {  // a loopback https redirect is served with the notification certificate
      listen.cert_file = config.get("notify_cert");
      listen.key_file = config.get("notify_key");
    }
    auto listener = CallbackListener::start(listen, client.notification_handler(),
                                            [this](std::string target) { on_request(std::move(target)); });
    if (!listener) return std::move(listener).error();
    listener_ = std::move(*listener);
    return {};
  }
  std::future<std::string> future() { return arrived_.get_future(); }

 private:
  void on_request(std::string target) {
    auto response = parse_redirect(target, state_);
    std::lock_guard<std::mutex> lock(mutex_);
    if (done_) return;
    if (!response) {
      std::cerr << "myna: ignored a request to the callback that is not this consent's redirect (wrong or missing "
                   "state); still waiting\n";
    } else if (!response->authenticated) {
      std::cerr << "myna: a redirect says that the citizen's card certificate has expired, but it carries no state, "
                   "so it cannot be verified (anyone can send it); ignored, still waiting. If Mynaportal itself told "
                   "the citizen so, they renew the certificate and you run `myna login` again (Ctrl-C stops).\n";
    } else {
      done_ = true;
      arrived_.set_value(std::move(target));
    }
  }
  SecretString state_;
  std::mutex mutex_;  // requests arrive on several listener threads
  bool done_ = false;
  std::promise<std::string> arrived_;
  std::unique_ptr<CallbackListener> listener_;  // declared last: stopped before the rest goes
};

/// Sends the citizen (or the sandbox) to the consent page and waits for the redirect.
Result<std::string> obtain_redirect(const Args& args, const Config& config, const std::string& url,
                                    std::future<std::string> redirect, const Context& interrupt) {
  std::cerr << "Open this URL in a browser; the citizen signs in with the My Number Card and consents:\n";
  std::cout << url << std::endl;
  if (args.has("sandbox-citizen")) {
    if (Status st = play_sandbox_browser(config, url, args.get("sandbox-citizen")); !st) return std::move(st).error();
  } else if (!args.has("no-browser") && open_browser(url)) {
    std::cerr << "(opened in your browser)\n";
  }
  std::cerr << "waiting for the redirect to " << config.get("redirect_uri") << " ...\n";
  auto timeout = std::chrono::seconds(std::atol(args.get("timeout", "300").c_str()));
  if (auto target = wait_for(redirect, timeout, interrupt)) return *target;
  if (interrupt.cancelled()) return Error(ErrorCategory::cancelled, "interrupted while waiting for the consent");
  return Error(ErrorCategory::timeout, "no consent redirect arrived within " + std::to_string(timeout.count()) + " s");
}

}  // namespace

int run_login(const Argv& argv) {
  auto args = parse_args(spec(), argv);
  if (!args) return usage_error("login", args.error().message());
  if (args->help()) return print_help(spec());
  if (std::atol(args->get("timeout", "300").c_str()) <= 0)
    return usage_error("login", "--timeout needs a positive number of seconds");
  Context interrupt = interrupt_context();
  auto config = Config::load(*args);
  if (!config) return report(config.error(), "configuration");
  // The redirect first (its own check says what `myna login` needs of it), then the hosts;
  // with nothing configured, all three at once.
  const std::vector<std::string> hosts{"api_base_url", "authorize_base_url"};
  std::vector<std::string> first{"redirect_uri"};
  if (config->nothing_configured()) first.insert(first.end(), hosts.begin(), hosts.end());
  if (Status st = config->require(first, "login"); !st) return report(st.error(), "configuration");
  const std::string citizen = args->get("citizen", config->get("citizen"));
  auto redirect_uri = parse_redirect_uri(config->get("redirect_uri"));
  if (!redirect_uri) return report(redirect_uri.error(), "login");
  if (Status st = config->require(hosts, "login"); !st) return report(st.error(), "configuration");
  auto client = make_client(*config, args->has("verbose"));
  if (!client) return report(client.error(), "login");
  auto types = parse_types(args->get("types", "drugs,checkups,expenses"));
  if (!types) return usage_error("login", types.error().message());
  RecordTypes asked;
  for (RecordType t : *types) asked.add(t);
  auto consent = (*client)->begin_consent(asked);
  if (!consent) return report(consent.error(), "login");
  RedirectReceiver receiver;
  if (Status st = receiver.start(*redirect_uri, *config, **client, consent->state); !st)
    return report(st.error(), "listening for the consent redirect on " + config->get("redirect_uri"));
  auto target = obtain_redirect(*args, *config, consent->url, receiver.future(), interrupt);
  if (!target) return report(target.error(), "login");
  if (Status st = (*client)->complete_consent(citizen, *target, *consent, interrupt); !st)
    return report(st.error(), "completing the consent");
  std::cerr << "consent granted for " << to_japanese(granted_types(**client, citizen)) << "; the token for '" << citizen
            << "' is stored in " << config->get("token_dir") << "\n";
  return kOk;
}

}  // namespace myna::cli
