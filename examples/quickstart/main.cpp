// Quickstart: the whole flow against the sandbox over HTTPS with mutual TLS.
//  1. starts the sandbox (a local emulator of the service) and a notification listener,
//  2. walks the consent flow (prints the URL a real app would redirect to, plays the browser),
//  3. fetches 薬剤情報, 特定健診情報 and 医療費通知情報 for a 照会年月日 range and prints them.
// usage: quickstart [--citizen C0000005] [--from 2024-01-01] [--to 2024-12-31]
#include <cstring>
#include <iostream>

#include "common/browser.hpp"
#include "common/print.hpp"
#include "myna/client/listener.hpp"
#include "myna/myna.hpp"
#include "myna/sandbox/sandbox.hpp"

namespace {

struct Args {
  std::string citizen = "C0000005", from = "2024-01-01", to = "2024-12-31";
};

bool parse_args(int argc, char** argv, Args& args) {
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto value = [&](std::string& out) { return i + 1 < argc ? (out = argv[++i], true) : false; };
    if ((a == "--citizen" && value(args.citizen)) || (a == "--from" && value(args.from)) || (a == "--to" && value(args.to)))
      continue;
    std::cerr << "usage: quickstart [--citizen SANDBOX_ID] [--from YYYY-MM-DD] [--to YYYY-MM-DD]\n";
    return false;
  }
  return true;
}

int fail(const myna::Error& e) {
  std::cerr << "error: " << e << "\n";
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  Args args;
  if (!parse_args(argc, argv, args)) return 2;

  // 1. The sandbox: HTTPS on loopback; it generates a CA, its server certificate and our
  //    client certificate (mutual TLS is how the provider authenticates).
  myna::sandbox::SandboxOptions sandbox_options;
  sandbox_options.notification_delay = std::chrono::milliseconds(200);
  auto sandbox = myna::sandbox::Sandbox::start(sandbox_options);
  const auto& pki = sandbox->credentials();
  std::cout << "sandbox at " << sandbox->base_url() << " (CA " << pki.ca_file << ")\n";

  myna::ClientOptions options;
  options.profile = sandbox->client_profile();
  options.curl.tls.ca_file = pki.ca_file;
  options.curl.tls.client_cert_file = pki.client_cert_file;
  options.curl.tls.client_key_file = pki.client_key_file;
  options.notification_timeout = std::chrono::seconds(30);
  auto client = myna::Client::create(options);
  if (!client) return fail(client.error());

  // The completion notification endpoint (an application would serve it from its own web server).
  myna::ListenerOptions listener_options;
  listener_options.cert_file = pki.server_cert_file;
  listener_options.key_file = pki.server_key_file;
  auto listener = myna::CallbackListener::start(listener_options, (*client)->notification_handler());
  if (!listener) return fail(listener.error());
  sandbox->set_notification_urls({(*listener)->notification_url()});
  std::cout << "notifications at " << (*listener)->notification_url() << "\n";

  // 2. Consent.
  auto consent = (*client)->begin_consent();
  if (!consent) return fail(consent.error());
  std::cout << "\nconsent URL (a real app redirects the browser here):\n  " << consent->url << "\n";
  auto browser = myna::make_curl_transport(options.curl);
  if (!browser) return fail(browser.error());
  auto redirect = example::play_browser(**browser, consent->url, args.citizen);
  if (!redirect) return fail(redirect.error());
  const std::string user = "demo-user";  // the application's own id for this citizen
  if (auto st = (*client)->complete_consent(user, *redirect, *consent); !st) return fail(st.error());
  std::cout << "consent granted; token stored for \"" << user << "\"\n";

  // 3. Retrieval of all three record types for the 照会年月日 range.
  std::cout << "\n照会年月日 " << args.from << " .. " << args.to << "\n\n";
  auto drug_q = myna::drug_query().from(args.from).to(args.to).build();
  auto checkup_q = myna::checkup_query().from(args.from).to(args.to).build();
  auto expense_q = myna::expense_query().from(args.from).to(args.to).build();
  if (!drug_q) return fail(drug_q.error());
  auto drugs = (*client)->fetch_drugs(user, *drug_q);
  if (!drugs) return fail(drugs.error());
  example::print_records(*drugs);
  auto checkups = (*client)->fetch_checkups(user, *checkup_q);
  if (!checkups) return fail(checkups.error());
  example::print_records(*checkups);
  auto expenses = (*client)->fetch_expenses(user, *expense_q);
  if (!expenses) return fail(expenses.error());
  example::print_records(*expenses);

  (*listener)->stop();
  sandbox->stop();
  std::cout << "\ndone: " << drugs->size() << " 薬剤情報, " << checkups->size() << " 特定健診情報, " << expenses->size()
            << " 医療費通知情報 records over HTTPS with mutual TLS\n";
  return 0;
}
