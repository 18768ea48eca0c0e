// Repeated fetch within the 期間連携 period: one consent, then fetches whenever the
// application wants (here: one per quarter), with the token kept in a file store (0600).
// When the period is over the SDK says consent_required; this example shortens the period to
// a few seconds to show it.
#include <iostream>
#include <thread>

#include "myna/client/listener.hpp"
#include "myna/myna.hpp"
#include "myna/sandbox/pki.hpp"
#include "myna/sandbox/sandbox.hpp"

int main() {
  myna::sandbox::SandboxOptions so;
  so.profile.grant_period = std::chrono::seconds(4);  // the sandbox grants 4 s instead of 90 days
  auto sandbox = myna::sandbox::Sandbox::start(so);
  const auto& pki = sandbox->credentials();
  myna::ClientOptions options;
  options.profile = sandbox->client_profile();
  options.profile.grant_period = std::chrono::seconds(4);  // 90 days in real life
  options.curl.tls = {pki.ca_file, pki.client_cert_file, pki.client_key_file, {}};
  std::string dir = myna::sandbox::make_temp_dir("myna-tokens");
  options.token_store = myna::make_file_token_store(dir).value();
  auto client = myna::Client::create(options).value();
  myna::ListenerOptions lo;
  lo.cert_file = pki.server_cert_file;
  lo.key_file = pki.server_key_file;
  auto listener = myna::CallbackListener::start(lo, client->notification_handler()).value();
  sandbox->set_notification_urls({listener->notification_url()});

  auto request = client->begin_consent().value();
  client->complete_consent("u-7", sandbox->authorize_as("C0000007", request.url), request).value();
  std::cout << "consented once; token file in " << dir << "\n";

  const char* quarters[][2] = {
      {"2024-01-01", "2024-03-31"}, {"2024-04-01", "2024-06-30"}, {"2024-07-01", "2024-09-30"}};
  for (auto& q : quarters) {
    auto query = myna::expense_query().from(q[0]).to(q[1]).build().value();
    auto records = client->fetch_expenses("u-7", query);
    std::cout << q[0] << ".." << q[1] << ": has_grant=" << client->has_grant("u-7").value() << " → ";
    if (records)
      std::cout << records->size() << " 医療費通知情報 records\n";
    else
      std::cout << records.error() << "\n";
    std::this_thread::sleep_for(std::chrono::seconds(2));
  }
  listener->stop();
  sandbox->stop();
}
