// myna-sandbox: runs the emulator until SIGINT/SIGTERM. See --help.
#include <pthread.h>

#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <stdexcept>
#include <string>

#include "myna/sandbox/sandbox.hpp"
#include "util.hpp"

namespace {

using myna::sandbox::Faults;
using myna::sandbox::SandboxOptions;

constexpr const char* kUsage = R"(usage: myna-sandbox [options]

A local emulator of the Mynaportal 医療保険情報取得 API speaking the SDK's wire profile
(docs/wire-format.md) over HTTPS with mutual TLS on loopback. Not the official service.

options:
  --host H             address to listen on (default 127.0.0.1)
  --port N             port (default 0: a free port)
  --no-tls             plain HTTP (no client certificates; loopback only)
  --state-dir DIR      where the generated CA, certificates and keys go (default: a temp dir)
  --notify URL         completion notification endpoint; repeat for round-robin
  --delay MS           delay before the notification / result readiness (default 100)
  --seed N             data seed of the synthetic citizens (default 20261127)
  --bulk-bytes N       the citizen BULK gets about N bytes of drug records per result
  --deny ID            citizen who refuses consent (repeatable)
  --expired-cert ID    citizen whose card certificate has expired (repeatable)
  --unregistered ID    citizen not registered at Mynaportal (repeatable; default N0000001)
  --token-lifetime S   access token lifetime in seconds (default 3600)
  --fault NAME=VALUE   inject faults (repeatable); rates 0..1 for
                         http_500 rate_limit_429 maintenance_503 drop_connection
                         truncated_body malformed_json expired_token
                         duplicate_notification late_notification missing_notification
                         forged_notification odd_values (per record: one value in a
                         real-world variant; see docs/integration.md)
                       and latency=MS, late_delay=MS, request_response_delay=MS, seed=N
  --help               this text

Citizens are C0000000, C0000001, ... Opened in a browser, the authorize URL shows the sign-in
page (choose a citizen's card, any 4-digit PIN) and the consent page; the authorize query
parameter `citizen` or the header X-Sandbox-Citizen instead consents at once as that citizen.
Stop with Ctrl-C.
)";

[[noreturn]] void usage_error(const std::string& message) {
  std::cerr << "myna-sandbox: " << message << "\n(see --help)\n";
  std::exit(2);
}

std::uint64_t to_number(const std::string& text, const std::string& option) {
  try {
    std::size_t used = 0;
    unsigned long long n = std::stoull(text, &used);
    if (used == text.size()) return n;
  } catch (const std::exception&) {}
  usage_error(option + " needs a number, got '" + text + "'");
}

double to_rate(const std::string& text, const std::string& name) {
  try {
    std::size_t used = 0;
    double rate = std::stod(text, &used);
    if (used == text.size() && rate >= 0 && rate <= 1) return rate;
  } catch (const std::exception&) {}
  usage_error("fault " + name + " needs a rate between 0 and 1, got '" + text + "'");
}

void set_fault(Faults& faults, const std::string& spec) {
  auto eq = spec.find('=');
  if (eq == std::string::npos) usage_error("--fault needs NAME=VALUE");
  std::string name = spec.substr(0, eq), value = spec.substr(eq + 1);
  if (name == "latency")
    faults.latency = std::chrono::milliseconds(to_number(value, name));
  else if (name == "late_delay")
    faults.late_delay = std::chrono::milliseconds(to_number(value, name));
  else if (name == "request_response_delay")
    faults.request_response_delay = std::chrono::milliseconds(to_number(value, name));
  else if (name == "seed")
    faults.seed = to_number(value, name);
  else if (name == "http_500")
    faults.http_500 = to_rate(value, name);
  else if (name == "rate_limit_429")
    faults.rate_limit_429 = to_rate(value, name);
  else if (name == "maintenance_503")
    faults.maintenance_503 = to_rate(value, name);
  else if (name == "drop_connection")
    faults.drop_connection = to_rate(value, name);
  else if (name == "truncated_body")
    faults.truncated_body = to_rate(value, name);
  else if (name == "malformed_json")
    faults.malformed_json = to_rate(value, name);
  else if (name == "expired_token")
    faults.expired_token = to_rate(value, name);
  else if (name == "duplicate_notification")
    faults.duplicate_notification = to_rate(value, name);
  else if (name == "late_notification")
    faults.late_notification = to_rate(value, name);
  else if (name == "missing_notification")
    faults.missing_notification = to_rate(value, name);
  else if (name == "forged_notification")
    faults.forged_notification = to_rate(value, name);
  else if (name == "odd_values")
    faults.odd_values = to_rate(value, name);
  else
    usage_error("unknown fault '" + name + "'");
}

SandboxOptions parse(int argc, char** argv) {
  SandboxOptions options;
  std::vector<std::string> unregistered;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc) usage_error(arg + " needs a value");
      return argv[++i];
    };
    if (arg == "--help" || arg == "-h") {
      std::cout << kUsage;
      std::exit(0);
    }
    if (arg == "--host")
      options.host = value();
    else if (arg == "--port")
      options.port = static_cast<int>(to_number(value(), arg));
    else if (arg == "--no-tls")
      options.tls = false;
    else if (arg == "--state-dir")
      options.state_dir = value();
    else if (arg == "--notify")
      options.notification_urls.push_back(value());
    else if (arg == "--delay")
      options.notification_delay = std::chrono::milliseconds(to_number(value(), arg));
    else if (arg == "--seed")
      options.data_seed = to_number(value(), arg);
    else if (arg == "--bulk-bytes")
      options.bulk_bytes = to_number(value(), arg);
    else if (arg == "--deny")
      options.denying_citizens.push_back(value());
    else if (arg == "--expired-cert")
      options.expired_certificate_citizens.push_back(value());
    else if (arg == "--unregistered")
      unregistered.push_back(value());
    else if (arg == "--token-lifetime")
      options.token_lifetime = std::chrono::seconds(to_number(value(), arg));
    else if (arg == "--fault")
      set_fault(options.faults, value());
    else
      usage_error("unknown option " + arg);
  }
  if (!options.tls && !myna::internal::sandbox::is_loopback_host(options.host))
    usage_error("--no-tls is allowed only on a loopback host");
  for (auto& id : unregistered) options.unregistered_citizens.push_back(std::move(id));
  return options;
}

void print_summary(const myna::sandbox::Sandbox& sandbox) {
  const auto& c = sandbox.credentials();
  std::cout << "myna-sandbox API host (mutual TLS) " << sandbox.base_url() << "\n"
            << "  consent host        " << sandbox.app_base_url() << "\n"
            << "  CA certificate      " << c.ca_file << "\n"
            << "  client certificate  " << c.client_cert_file << "\n"
            << "  client key          " << c.client_key_file << "\n"
            << "  listener cert/key   " << c.listener_cert_file << " " << c.listener_key_file << "\n"
            << "  notifier cert/key   " << c.notifier_cert_file << " " << c.notifier_key_file << "\n"
            << "  client_id           " << sandbox.client_profile().client_id << "\n"
            << "  redirect_uri        " << sandbox.client_profile().redirect_uri << "\n"
            << std::flush;
}

}  // namespace

int main(int argc, char** argv) {
  SandboxOptions options = parse(argc, argv);
  // Block the stop signals in every thread; the main thread waits for them.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  try {
    auto sandbox = myna::sandbox::Sandbox::start(std::move(options));
    print_summary(*sandbox);
    int received = 0;
    sigwait(&signals, &received);
    sandbox->stop();
    auto s = sandbox->stats();
    std::cout << "stopped: " << s.requests << " requests, " << s.results << " results, " << s.notifications_sent
              << " notifications (" << s.notifications_acked << " acked), " << s.faults_injected << " faults\n";
  } catch (const std::exception& e) {
    std::cerr << "myna-sandbox: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
