// Batch sync with resume: fetch many citizens' records with a bound on concurrency, write
// each citizen's records to OUT/<user>.jsonl and record finished citizens in OUT/done.txt.
// Run it again after an interruption and it continues with the citizens not yet done.
// usage: batch_sync [--citizens N] [--out DIR] [--stop-after K]   (stop-after simulates a crash)
#include <sys/stat.h>
#include <atomic>
#include <fstream>
#include <iostream>
#include <mutex>
#include <set>

#include "myna/client/listener.hpp"
#include "myna/export/json_lines.hpp"
#include "myna/myna.hpp"
#include "myna/sandbox/sandbox.hpp"

namespace {

std::set<std::string> load_done(const std::string& path) {
  std::set<std::string> done;
  std::ifstream in(path);
  for (std::string line; std::getline(in, line);) done.insert(line);
  return done;
}

// One JSON object per line (the SDK's JSON Lines export, docs/export.md).
std::string to_jsonl(const myna::DrugRecord& r) { return myna::to_json_object(r) + "\n"; }

}  // namespace

int main(int argc, char** argv) {
  std::size_t citizens = 40, stop_after = 0;
  std::string out = "batch-out";
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string a = argv[i];
    if (a == "--citizens")
      citizens = std::stoul(argv[i + 1]);
    else if (a == "--out")
      out = argv[i + 1];
    else if (a == "--stop-after")
      stop_after = std::stoul(argv[i + 1]);
  }
  ::mkdir(out.c_str(), 0700);

  auto sandbox = myna::sandbox::Sandbox::start({});
  myna::ClientOptions options;
  options.profile = sandbox->client_profile();
  const auto& pki = sandbox->credentials();
  options.curl.tls = {pki.ca_file, pki.client_cert_file, pki.client_key_file, {}};
  auto client = myna::Client::create(options).value();
  myna::ListenerOptions lo;
  lo.cert_file = pki.server_cert_file;
  lo.key_file = pki.server_key_file;
  auto listener = myna::CallbackListener::start(lo, client->notification_handler()).value();
  sandbox->set_notification_urls({listener->notification_url()});

  // The citizens consented earlier (期間連携); here the sandbox plays their browsers.
  std::set<std::string> done = load_done(out + "/done.txt");
  std::vector<std::string> todo;
  for (std::size_t i = 0; i < citizens; ++i) {
    std::string user = "user-" + std::to_string(i);
    if (done.count(user)) continue;
    auto request = client->begin_consent().value();
    client->complete_consent(user, sandbox->authorize_as(myna::sandbox::citizen_id(i), request.url), request).value();
    todo.push_back(user);
  }
  std::cout << done.size() << " citizens already done, " << todo.size() << " to go\n";

  myna::Context context;
  std::mutex mu;
  std::ofstream done_file(out + "/done.txt", std::ios::app);
  std::atomic<std::size_t> finished{0};
  auto query = myna::drug_query().from("2024-01-01").to("2024-12-31").build().value();
  auto report = client->batch<myna::DrugRecord>(
      todo, query,
      [&](const std::string& user, std::vector<myna::DrugRecord>&& records) -> myna::Status {
        std::ofstream file(out + "/" + user + ".jsonl", std::ios::trunc);
        for (const auto& r : records) file << to_jsonl(r);
        if (!file.flush()) return myna::Error(myna::ErrorCategory::storage, "cannot write " + user + ".jsonl");
        std::lock_guard<std::mutex> lock(mu);
        done_file << user << "\n" << std::flush;  // only after the records are on disk
        if (stop_after && ++finished >= stop_after) context.cancel();
        return {};
      },
      myna::BatchOptions{8}, context);
  std::cout << report.succeeded << " succeeded, " << report.failed << " failed\n";
  for (const auto& o : report.outcomes)
    if (!o.status.ok()) std::cout << "  " << o.citizen << ": " << o.status.error().category() << "\n";
  listener->stop();
  sandbox->stop();
  return 0;
}
