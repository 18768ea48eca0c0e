// `myna sandbox`: runs the local emulator (like myna-sandbox) and writes a ready configuration
// into its state directory, so that every other command works against it out of the box:
//   myna sandbox --state-dir /tmp/sb &  export MYNA_CONFIG=/tmp/sb/config
// The redirect and notification ports are chosen here (free loopback ports, or the flags) and
// registered with the sandbox, as a provider registers them with the real service.
#include <netinet/in.h>
#include <pthread.h>
#include <sys/socket.h>
#include <unistd.h>

#include <csignal>
#include <filesystem>
#include <iostream>

#include "commands.hpp"
#include "config.hpp"
#include "exit_codes.hpp"
#include "myna/sandbox/pki.hpp"
#include "myna/sandbox/sandbox.hpp"
#include "session.hpp"

namespace myna::cli {
namespace {

using sandbox::Faults;
using sandbox::SandboxOptions;

const CommandSpec& spec() {
  static const CommandSpec s{
      "sandbox",
      "[--state-dir DIR] [options]",
      "Runs the local emulator of the service (the SDK's wire profile over HTTPS with mutual TLS on\n"
      "loopback; not the official service) until Ctrl-C. Writes its CA, certificates and keys and a\n"
      "ready configuration file DIR/config for the other commands (`--config DIR/config` or\n"
      "MYNA_CONFIG=DIR/config). Citizens are C0000000, C0000001, ...; N0000001 is not registered at\n"
      "Mynaportal. `myna login` prints the consent URL: in a browser it shows the sandbox's sign-in and\n"
      "consent pages; `myna login --sandbox-citizen ID` consents as one of them without a browser.",
      {{"state-dir", "DIR", "where certificates, keys, tokens and the config go (default: a temporary directory)"},
       {"port", "N", "API host port (default: a free port)"},
       {"app-port", "N", "consent host port (default: a free port)"},
       {"callback-port", "N", "port of the consent redirect http://127.0.0.1:N/callback (default: a free port)"},
       {"notify-port", "N", "port of the notification listener of the other commands (default: a free port)"},
       {"delay", "MS", "delay before the notification / result readiness (default 100)"},
       {"seed", "N", "data seed of the synthetic citizens (default 20261127)"},
       {"deny", "ID", "citizen who refuses consent", true},
       {"expired-cert", "ID", "citizen whose card certificate has expired", true},
       {"token-lifetime", "SECONDS", "access token lifetime (default 3600)"},
       {"fault", "NAME=VALUE", "inject faults as myna-sandbox does (e.g. http_500=0.1, latency=200)", true}},
      0,
      0,
      "example:\n  myna sandbox --state-dir /tmp/myna-sb &\n  export MYNA_CONFIG=/tmp/myna-sb/config\n"
      "  myna login --citizen C0000005 --sandbox-citizen C0000005\n"
      "  myna fetch drugs --citizen C0000005 --from 2024-01-01 --to 2024-12-31"};
  return s;
}

Error invalid(const std::string& message) { return Error(ErrorCategory::validation, message); }

Result<std::uint64_t> number(const std::string& text, const std::string& what) {
  try {
    std::size_t used = 0;
    unsigned long long v = std::stoull(text, &used);
    if (used == text.size()) return v;
  } catch (const std::exception&) {}
  return invalid(what + " needs a number, got '" + text + "'");
}

Status set_fault(Faults& faults, const std::string& spec_text) {
  static const std::pair<const char*, double Faults::*> kRates[] = {
      {"http_500", &Faults::http_500},
      {"rate_limit_429", &Faults::rate_limit_429},
      {"maintenance_503", &Faults::maintenance_503},
      {"drop_connection", &Faults::drop_connection},
      {"truncated_body", &Faults::truncated_body},
      {"malformed_json", &Faults::malformed_json},
      {"expired_token", &Faults::expired_token},
      {"duplicate_notification", &Faults::duplicate_notification},
      {"late_notification", &Faults::late_notification},
      {"missing_notification", &Faults::missing_notification},
      {"forged_notification", &Faults::forged_notification},
      {"odd_values", &Faults::odd_values}};
  auto eq = spec_text.find('=');
  if (eq == std::string::npos) return invalid("--fault needs NAME=VALUE");
  const std::string name = spec_text.substr(0, eq), value = spec_text.substr(eq + 1);
  for (const auto& [rate_name, member] : kRates) {
    if (name != rate_name) continue;
    char* end = nullptr;
    double rate = std::strtod(value.c_str(), &end);
    if (value.empty() || *end || rate < 0 || rate > 1) return invalid("fault " + name + " needs a rate 0..1");
    faults.*member = rate;
    return {};
  }
  auto n = number(value, "fault " + name);
  if (!n) return std::move(n).error();
  if (name == "latency")
    faults.latency = std::chrono::milliseconds(*n);
  else if (name == "late_delay")
    faults.late_delay = std::chrono::milliseconds(*n);
  else if (name == "seed")
    faults.seed = *n;
  else
    return invalid("unknown fault '" + name + "'");
  return {};
}

/// A free loopback port (bound and released; the sandbox and the CLI take it right after).
Result<int> free_port() {
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof addr;
  bool ok = fd >= 0 && ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0 &&
            ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) == 0;
  if (fd >= 0) ::close(fd);
  if (!ok) return Error(ErrorCategory::network, "cannot find a free loopback port");
  return ntohs(addr.sin_port);
}

Result<int> port_option(const Args& args, const char* name) {
  if (!args.has(name)) return free_port();
  auto n = number(args.get(name), std::string("--") + name);
  if (!n || *n > 65535) return invalid(std::string("--") + name + " is a port number");
  return static_cast<int>(*n);
}

struct Ports {
  int callback = 0, notify = 0;
};

Result<SandboxOptions> sandbox_options(const Args& args, const std::string& dir, const Ports& ports) {
  SandboxOptions o;
  o.state_dir = dir;
  o.profile.redirect_uri = "http://127.0.0.1:" + std::to_string(ports.callback) + "/callback";
  o.notification_urls = {"https://127.0.0.1:" + std::to_string(ports.notify) + "/myna/notify"};
  for (const auto& [flag, target] : {std::pair<const char*, int*>{"port", &o.port}, {"app-port", &o.app_port}})
    if (args.has(flag)) {
      auto n = number(args.get(flag), std::string("--") + flag);
      if (!n || *n > 65535) return invalid(std::string("--") + flag + " is a port number");
      *target = static_cast<int>(*n);
    }
  if (args.has("delay")) {
    auto n = number(args.get("delay"), "--delay");
    if (!n) return std::move(n).error();
    o.notification_delay = std::chrono::milliseconds(*n);
  }
  if (args.has("seed")) {
    auto n = number(args.get("seed"), "--seed");
    if (!n) return std::move(n).error();
    o.data_seed = *n;
  }
  if (args.has("token-lifetime")) {
    auto n = number(args.get("token-lifetime"), "--token-lifetime");
    if (!n || *n == 0) return invalid("--token-lifetime is a positive number of seconds");
    o.token_lifetime = std::chrono::seconds(*n);
  }
  o.denying_citizens = args.all("deny");
  o.expired_certificate_citizens = args.all("expired-cert");
  for (const std::string& f : args.all("fault"))
    if (Status st = set_fault(o.faults, f); !st) return std::move(st).error();
  return o;
}

/// A path inside dir is written relative to it (the config stays valid when dir moves).
std::string relative_to(const std::string& dir, const std::string& path) {
  return path.rfind(dir + "/", 0) == 0 ? path.substr(dir.size() + 1) : path;
}

Status write_sandbox_config(const sandbox::Sandbox& sb, const std::string& dir, const Ports& ports) {
  const auto& c = sb.credentials();
  const Profile p = sb.client_profile();
  std::vector<std::pair<std::string, std::string>> entries{
      {"sandbox", "true"},
      {"api_base_url", sb.base_url()},
      {"authorize_base_url", sb.app_base_url()},
      {"client_id", p.client_id},
      {"provider_number", p.provider_number},
      {"redirect_uri", p.redirect_uri},
      {"supports_refresh", p.supports_refresh ? "true" : "false"},
      {"ca_file", relative_to(dir, c.ca_file)},
      {"client_cert", relative_to(dir, c.client_cert_file)},
      {"client_key", relative_to(dir, c.client_key_file)},
      {"token_dir", "tokens"},
      {"notify_listen", "127.0.0.1:" + std::to_string(ports.notify)},
      {"notify_path", "/myna/notify"},
      {"notify_cert", relative_to(dir, c.listener_cert_file)},
      {"notify_key", relative_to(dir, c.listener_key_file)},
      {"notification_timeout", "30"},
  };
  return write_config(dir + "/config", entries,
                      "# Written by `myna sandbox` (pid " + std::to_string(::getpid()) +
                          "); valid while it runs. Use it with\n#   export MYNA_CONFIG=" + dir + "/config\n");
}

int wait_for_signal(sandbox::Sandbox& sb, const sigset_t& signals) {
  int received = 0;
  sigwait(&signals, &received);
  sb.stop();
  auto s = sb.stats();
  std::cerr << "myna sandbox stopped: " << s.requests << " requests, " << s.results << " results, "
            << s.notifications_sent << " notifications (" << s.notifications_acked << " acknowledged)\n";
  return kOk;
}

}  // namespace

int run_sandbox(const Argv& argv) {
  auto args = parse_args(spec(), argv);
  if (!args) return usage_error("sandbox", args.error().message());
  if (args->help()) return print_help(spec());
  const sigset_t signals = block_stop_signals();  // blocked in every thread; main waits for them

  auto callback = port_option(*args, "callback-port");
  auto notify = port_option(*args, "notify-port");
  if (!callback || !notify) return usage_error("sandbox", (!callback ? callback : notify).error().message());
  const Ports ports{*callback, *notify};
  const bool temporary = !args->has("state-dir");
  std::error_code ec;
  std::string dir = temporary ? sandbox::make_temp_dir("myna-sandbox") : args->get("state-dir");
  std::filesystem::create_directories(dir, ec);
  dir = std::filesystem::absolute(dir, ec).lexically_normal().string();
  if (!dir.empty() && dir.back() == '/') dir.pop_back();
  std::filesystem::remove_all(dir + "/tokens", ec);  // tokens of an earlier sandbox are void
  auto options = sandbox_options(*args, dir, ports);
  if (!options) return usage_error("sandbox", options.error().message());

  std::unique_ptr<sandbox::Sandbox> sb;
  try {
    sb = sandbox::Sandbox::start(std::move(*options));
  } catch (const std::exception& e) {
    return report(Error(ErrorCategory::network, std::string("cannot start the sandbox: ") + e.what()), "sandbox");
  }
  if (Status st = write_sandbox_config(*sb, dir, ports); !st) return report(st.error(), "sandbox");
  std::cout << "myna sandbox: API host " << sb->base_url() << " (mutual TLS), consent host " << sb->app_base_url()
            << "\n  redirect_uri  " << sb->client_profile().redirect_uri
            << "\n  notifications https://127.0.0.1:" << ports.notify << "/myna/notify\n  config        " << dir
            << "/config\n\nexport MYNA_CONFIG=" << dir << "/config\nStop with Ctrl-C.\n"
            << std::flush;
  int code = wait_for_signal(*sb, signals);
  if (temporary) std::filesystem::remove_all(dir, ec);
  return code;
}

}  // namespace myna::cli
