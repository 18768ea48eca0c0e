// The README's first program, as written there: the options from a configuration file (a
// file token store, mutual TLS), the completion notification on the endpoint the file names,
// then one citizen's 薬剤情報 with the retrieval's audit facts.
// Run it against the sandbox with scripts/quickstart (or examples/quickstart/run.sh).
#include <myna/client/configuration.hpp>
#include <myna/client/listener.hpp>
#include <myna/myna.hpp>

#include <iostream>

int fail(const myna::Error& error) {
  std::cerr << error << '\n';
  return 1;
}

int main(int argc, char** argv) {
  if (argc != 3) {
    std::cerr << "usage: quickstart CONFIG CITIZEN  (consent first: myna login --citizen CITIZEN)\n";
    return 2;
  }
  // The service, the client certificate and a file token store, from the configuration file
  // (`myna sandbox --state-dir DIR` writes DIR/config; docs/configuration.md).
  auto config = myna::Configuration::load(argv[1]);
  if (!config) return fail(config.error());
  auto options = config->client_options();
  if (!options) return fail(options.error());
  auto client = myna::Client::create(*options);
  if (!client) return fail(client.error());

  // The completion notification endpoint (notify_listen), whose URL the service knows.
  // Without it every fetch waits notification_timeout, then asks for the result once.
  auto endpoint = config->listener_options();
  if (!endpoint) return fail(endpoint.error());
  std::unique_ptr<myna::CallbackListener> listener;
  if (*endpoint) {
    auto started = myna::CallbackListener::start(**endpoint, (*client)->notification_handler());
    if (!started) return fail(started.error());
    listener = std::move(*started);
  }

  const std::string citizen = argv[2];
  auto granted = (*client)->has_grant(citizen, myna::RecordType::drug);  // consent is per information type
  if (!granted) return fail(granted.error());
  if (!*granted) {
    std::cerr << "no consent to 薬剤情報 for " << citizen << " yet: run `myna login --citizen " << citizen << "`\n";
    return 3;
  }
  auto query = myna::drug_query().from("2024-01-01").to("2024-12-31").build();
  if (!query) return fail(query.error());
  auto drugs = (*client)->fetch_drugs(citizen, *query);
  if (!drugs) return fail(drugs.error());
  for (const myna::DrugRecord& d : drugs->records)
    std::cout << d.dispensing_date << ' ' << d.drug_name << ' ' << d.quantity << ' ' << d.unit << '\n';
  std::cout << drugs->info << '\n';  // telegram and process ids, timings, attempts, issue counts
}
