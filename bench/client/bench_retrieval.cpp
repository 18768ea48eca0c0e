// Per-retrieval overhead of the SDK: one citizen's full retrieval of 薬剤情報
// (request telegram → completion notification, sandbox delay 0 → result → decode) through
// Client::fetch_drugs against the same exchange written with raw libcurl (one reused easy
// handle) + RapidJSON DOM + its own cpp-httplib notification endpoint (raw_retriever.hpp).
// Both run against one myna-sandbox process (HTTPS, mutual TLS, keep-alive), interleaved:
// SDK, raw, SDK, raw, ... The sandbox sends the notifications round-robin to the two
// endpoints, which strict alternation keeps in step.
//   FIGURE retrieval_overhead_ratio      median SDK time / median raw time     (target <= 1.2)
//   FIGURE retrieval_sdk_us, retrieval_raw_us   the medians
//   FIGURE retrieval_instructions        instructions of one SDK retrieval (callgrind, median)
//   FIGURE retrieval_raw_instructions    the same for the raw baseline
// Instructions: the bench runs itself under `valgrind --tool=callgrind --instr-atstart=no`;
// that child warms up, starts instrumentation, and after every single retrieval calls
// CALLGRIND_DUMP_STATS_AT("sdk" | "raw"); each dump holds the instructions of all threads
// (caller, libcurl, listener) since the previous one, i.e. of exactly one retrieval.
// usage: bench_retrieval [--smoke] [--iterations N] [--callgrind-iterations N]
//                        [--no-callgrind] [--callgrind-dir DIR (keeps the dumps)]
#include <dirent.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <numeric>

#include "client/raw_retriever.hpp"
#include "client/support.hpp"
#include "common/bench.hpp"

#if __has_include(<valgrind/callgrind.h>)
#include <valgrind/callgrind.h>
#define MYNA_HAVE_CALLGRIND 1
#else
#define MYNA_HAVE_CALLGRIND 0
#define CALLGRIND_START_INSTRUMENTATION
#define CALLGRIND_ZERO_STATS
#define CALLGRIND_DUMP_STATS_AT(x)
#endif

namespace {

using namespace bench::client;
using Clock = std::chrono::steady_clock;

constexpr const char* kCitizen = "C0000005";
constexpr int kWarmupPairs = 20;
constexpr int kCallgrindWarmupPairs = 3;

std::string raw_notify_url(int port) { return "https://127.0.0.1:" + std::to_string(port) + "/notify"; }

/// The SDK client (with its listener) and the raw baseline, both consented for one citizen.
class Contenders {
 public:
  Contenders(const SandboxInfo& sandbox, int sdk_port, int raw_port) {
    myna::ClientOptions options = client_options(sandbox);
    options.token_store = tokens_;
    client_ = myna::Client::create(options).value();
    listener_ = start_listener(sandbox, sdk_port, client_->notification_handler());
    Consenter consenter(sandbox);
    for (const char* user : {"sdk-user", "raw-user"})
      if (myna::Status st = consenter.consent(*client_, user, kCitizen); !st)
        fail("consent: " + st.error().to_string());
    auto token = tokens_->load("raw-user").value();
    raw_ = std::make_unique<RawRetriever>(sandbox, std::string(token->access_token.reveal()), raw_port);
    filter_ = query_.to_filter(client_->profile());
  }

  std::vector<myna::DrugRecord> sdk() {
    auto records = client_->fetch_drugs("sdk-user", query_);
    if (!records) fail("SDK retrieval: " + records.error().to_string());
    return std::move(records->records);
  }
  std::vector<myna::DrugRecord> raw() { return raw_->retrieve(filter_); }

  /// Both sides decode the same records.
  void check_equal() {
    const auto a = sdk(), b = raw();
    bool same = a.size() == b.size() && !a.empty();
    for (std::size_t i = 0; same && i < a.size(); ++i) same = myna::records_equal(a[i], b[i]);
    if (!same) fail("the SDK and the raw baseline decoded different records");
    std::printf("# %zu drug records per retrieval (citizen %s, 2024)\n", a.size(), kCitizen);
  }

 private:
  std::shared_ptr<myna::TokenStore> tokens_ = myna::make_memory_token_store();
  myna::Query query_ = myna::drug_query().from("2024-01-01").to("2024-12-31").build().value();
  std::string filter_;
  std::shared_ptr<myna::Client> client_;
  std::unique_ptr<myna::CallbackListener> listener_;
  std::unique_ptr<RawRetriever> raw_;
};

double micros(Clock::time_point start) { return bench::seconds_since(start) * 1e6; }

std::vector<std::string> sandbox_options(int sdk_port, int raw_port) {
  return {"--delay", "0", "--notify", notify_url(sdk_port), "--notify", raw_notify_url(raw_port)};
}

/// "stopped: N requests, N results, N notifications (M acked), F faults": every retrieval was
/// notified, and the raw endpoint acknowledged its half. With delay 0 a notification can
/// overtake its own request response: the SDK then answers 404 (the processId is not confirmed
/// yet) but counts it once the response confirms it, so not all of the SDK's half are acked;
/// that no SDK retrieval waited for the fallback is checked on its time (check_no_fallback).
void check_notifications(const std::string& stopped, int expected) {
  long requests = 0, results = 0, sent = 0, acked = 0;
  if (std::sscanf(stopped.c_str(), "stopped: %ld requests, %ld results, %ld notifications (%ld acked)", &requests,
                  &results, &sent, &acked) != 4 ||
      sent != expected || acked < expected / 2)
    fail("the sandbox did not notify every retrieval: " + stopped);
}

/// A retrieval that missed its notification waits notification_timeout (30 s) for the fallback.
void check_no_fallback(const std::vector<double>& sdk_us) {
  if (!sdk_us.empty() && *std::max_element(sdk_us.begin(), sdk_us.end()) > 20e6)
    fail("an SDK retrieval waited for the fallback fetch: its notification did not count");
}

// ---------------------------------------------------------------- timing (interleaved)

int timing(const Args& args, bool smoke) {
  const int iterations = static_cast<int>(args.number("--iterations", smoke ? 5 : 1000));
  const int sdk_port = free_loopback_port(), raw_port = free_loopback_port();
  SandboxProcess sandbox(sandbox_options(sdk_port, raw_port));
  std::vector<double> sdk_us, raw_us;
  Contenders c(sandbox.info(), sdk_port, raw_port);
  c.check_equal();
  for (int i = 0; i < kWarmupPairs; ++i) c.sdk(), c.raw();
  for (int i = 0; i < iterations; ++i) {
    auto start = Clock::now();
    c.sdk();
    sdk_us.push_back(micros(start));
    start = Clock::now();
    c.raw();
    raw_us.push_back(micros(start));
  }
  // Stopped first: its notifier's keep-alive connections close, so the endpoints stop at once.
  check_notifications(sandbox.stop(), 2 * (1 + kWarmupPairs + iterations));
  check_no_fallback(sdk_us);
  const double sdk_sum = std::accumulate(sdk_us.begin(), sdk_us.end(), 0.0);
  const double raw_sum = std::accumulate(raw_us.begin(), raw_us.end(), 0.0);
  std::printf(
      "# %d interleaved pairs; mean SDK %.0f us, raw %.0f us, ratio of means %.3f; "
      "p90 %.0f / %.0f us, p99 %.0f / %.0f us\n",
      iterations, sdk_sum / iterations, raw_sum / iterations, sdk_sum / raw_sum, percentile(sdk_us, 90),
      percentile(raw_us, 90), percentile(sdk_us, 99), percentile(raw_us, 99));
  bench::figure("retrieval_sdk_us", median(sdk_us), "us");
  bench::figure("retrieval_raw_us", median(raw_us), "us");
  bench::figure("retrieval_overhead_ratio", median(sdk_us) / median(raw_us), "ratio");
  return 0;
}

// ---------------------------------------------------------------- instructions (callgrind)

// Child under callgrind: warm-up, then one dump per retrieval.
int callgrind_child(const Args& args) {
  const SandboxInfo sandbox = SandboxInfo::from_args(args);
  const int iterations = static_cast<int>(args.number("--iterations", 10));
  Contenders c(sandbox, static_cast<int>(args.number("--sdk-port", 0)), static_cast<int>(args.number("--raw-port", 0)));
  for (int i = 0; i < kCallgrindWarmupPairs; ++i) c.sdk(), c.raw();
  CALLGRIND_START_INSTRUMENTATION;
  c.sdk(), c.raw();  // translate the code once with instrumentation
  CALLGRIND_ZERO_STATS;
  for (int i = 0; i < iterations; ++i) {
    c.sdk();
    CALLGRIND_DUMP_STATS_AT("sdk");
    c.raw();
    CALLGRIND_DUMP_STATS_AT("raw");
  }
  report("iterations", iterations);
  // No teardown: the raw endpoint would wait for the sandbox's idle keep-alive connections.
  std::fflush(nullptr);
  std::_Exit(0);
}

/// Instruction totals of the dumps in dir, by trigger ("sdk" / "raw").
std::map<std::string, std::vector<double>> read_dumps(const std::string& dir) {
  std::map<std::string, std::vector<double>> totals;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    std::ifstream in(entry.path());
    std::string line, trigger;
    double total = -1;
    while (std::getline(in, line)) {
      if (line.rfind("desc: Trigger: Client Request: ", 0) == 0) trigger = line.substr(31);
      if (line.rfind("totals: ", 0) == 0 || line.rfind("summary: ", 0) == 0)
        total = std::stod(line.substr(line.find(' ')));
    }
    if (!trigger.empty() && total >= 0) totals[trigger].push_back(total);
  }
  return totals;
}

void instructions(const Args& args, bool smoke) {
  if (!MYNA_HAVE_CALLGRIND || args.has("--no-callgrind") || smoke) return;
  if (std::system("valgrind --version > /dev/null 2>&1") != 0)
    return (void)std::printf("# valgrind not found: no instruction counts\n");
  const int iterations = static_cast<int>(args.number("--callgrind-iterations", 30));
  std::string dir = args.text("--callgrind-dir");
  const bool keep = !dir.empty();
  if (!keep) {
    char temp[] = "/tmp/myna-callgrind-XXXXXX";
    if (!::mkdtemp(temp)) fail("mkdtemp failed");
    dir = temp;
  }
  std::filesystem::create_directories(dir);
  const int sdk_port = free_loopback_port(), raw_port = free_loopback_port();
  SandboxProcess sandbox(sandbox_options(sdk_port, raw_port));
  std::vector<std::string> child = {"--tool=callgrind",
                                    "--instr-atstart=no",
                                    "--callgrind-out-file=" + dir + "/callgrind.out",
                                    self_path(),
                                    "--callgrind-child",
                                    "--iterations",
                                    std::to_string(iterations),
                                    "--sdk-port",
                                    std::to_string(sdk_port),
                                    "--raw-port",
                                    std::to_string(raw_port)};
  for (const auto& a : sandbox.info().as_args()) child.push_back(a);
  const ChildOutcome outcome = run_child(child, "/usr/bin/valgrind");
  if (outcome.exit_status != 0) fail("the callgrind child failed");
  auto totals = read_dumps(dir);
  if (!keep) std::filesystem::remove_all(dir);
  if (totals["sdk"].size() != static_cast<std::size_t>(iterations) || totals["raw"].size() != totals["sdk"].size())
    fail("callgrind did not write one dump per retrieval");
  const double sdk = median(totals["sdk"]), raw = median(totals["raw"]);
  std::printf("# callgrind: %d retrievals each; mean SDK %.0f, raw %.0f instructions\n", iterations,
              std::accumulate(totals["sdk"].begin(), totals["sdk"].end(), 0.0) / iterations,
              std::accumulate(totals["raw"].begin(), totals["raw"].end(), 0.0) / iterations);
  bench::figure("retrieval_instructions", sdk, "instructions");
  bench::figure("retrieval_raw_instructions", raw, "instructions");
  bench::figure("retrieval_instruction_ratio", sdk / raw, "ratio");
}

}  // namespace

int main(int argc, char** argv) {
  const Args args(argc, argv);
  if (args.has("--callgrind-child")) return guarded_main([&] { return callgrind_child(args); });
  const bool smoke = bench::smoke(argc, argv);
  return guarded_main([&] {
    timing(args, smoke);
    instructions(args, smoke);
    return 0;
  });
}
