// Batch: how close Client::batch over many citizens comes to ideal concurrency, with the
// sandbox's notification delay at 200 ms and 64 retrievals in flight.
//   FIGURE batch_efficiency          ideal / measured time of 1,000 citizens     (target >= 0.8)
//                                    ideal = 1000 / 64 × single-retrieval latency (same run,
//                                    same delay: median of sequential fetches before the batch)
//   FIGURE batch_peak_rss_mb_1000    peak RSS of a client process batching 1,000 citizens
//   FIGURE batch_peak_rss_mb_10000   the same for 10,000                 (target < 1.2 × the 1,000)
//   FIGURE batch_rss_ratio           batch_peak_rss_mb_10000 / batch_peak_rss_mb_1000
// Each size runs in a child process of its own (peak RSS = VmHWM of that process), three
// times, sizes interleaved; the figures are medians (glibc's per-thread arenas make the peak
// of identical runs vary by a few MB). The sandbox is a separate myna-sandbox process.
// Consent for all citizens is set-up (not measured): done once, in parallel, into a file
// token store that the children share.
// usage: bench_batch [--smoke] [--sizes 1000,10000] [--repeats 3] [--delay MS] [--concurrency N]
//                    [--latency-samples N] [--consent-threads N] [--keep-finished S]
//                    [--child-wrapper "valgrind --tool=massif"] (diagnostics)
#include <malloc.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <mutex>
#include <sstream>
#include <thread>

#include "client/support.hpp"
#include "common/bench.hpp"
#include "myna/sandbox/generator.hpp"

namespace {

using namespace bench::client;
using Clock = std::chrono::steady_clock;

std::string user(std::size_t i) { return "u" + std::to_string(i); }

myna::Query year_2024() { return myna::drug_query().from("2024-01-01").to("2024-12-31").build().value(); }

std::vector<long long> parse_sizes(const std::string& text) {
  std::vector<long long> sizes;
  std::stringstream in(text);
  for (std::string item; std::getline(in, item, ',');) {
    char* end = nullptr;
    const long long n = std::strtoll(item.c_str(), &end, 10);
    if (item.empty() || *end != '\0' || n <= 0) fail("--sizes needs positive numbers separated by commas");
    sizes.push_back(n);
  }
  if (sizes.empty()) fail("--sizes needs positive numbers separated by commas");
  return sizes;
}

// ---------------------------------------------------------------- child: one batch

// Each child is its own instance: telegram ids of runs in the same second never meet.
std::shared_ptr<myna::Client> make_client(const SandboxInfo& sandbox, const std::string& token_dir,
                                          unsigned instance = 0, unsigned instances = 1, long long keep_finished = -1) {
  myna::ClientOptions options = client_options(sandbox);
  options.instance = instance;
  options.instance_count = instances;
  if (keep_finished >= 0) options.keep_finished = std::chrono::seconds(keep_finished);
  auto tokens = myna::make_file_token_store(token_dir);
  if (!tokens) fail("token store: " + tokens.error().to_string());
  options.token_store = *tokens;
  return myna::Client::create(options).value();
}

// Median latency of sequential single retrievals (one warm-up first).
double single_latency_seconds(myna::Client& client, int samples) {
  std::vector<double> seconds;
  for (int i = 0; i <= samples; ++i) {
    const auto start = Clock::now();
    if (auto r = client.fetch_drugs(user(0), year_2024()); !r) fail("single retrieval: " + r.error().to_string());
    if (i > 0) seconds.push_back(bench::seconds_since(start));
  }
  return median(seconds);
}

// Compares every citizen's records with the sandbox's ground truth (smoke runs).
myna::Status check_truth(const std::string& who, const std::vector<myna::DrugRecord>& records) {
  static const myna::sandbox::Generator generator;
  const auto truth = generator.records<myna::DrugRecord>(std::stoul(who.substr(1)), year_2024());
  bool same = truth.size() == records.size();
  for (std::size_t i = 0; same && i < truth.size(); ++i) same = myna::records_equal(truth[i], records[i]);
  if (same) return {};
  return myna::Error(myna::ErrorCategory::validation, "records differ from the ground truth for " + who);
}

int child_main(const Args& args) {
  const SandboxInfo sandbox = SandboxInfo::from_args(args);
  auto client = make_client(sandbox, args.text("--tokens"), static_cast<unsigned>(args.number("--instance", 0)),
                            static_cast<unsigned>(args.number("--instances", 1)), args.number("--keep-finished", -1));
  auto listener = start_listener(sandbox, static_cast<int>(args.number("--port", 0)), client->notification_handler());
  const auto citizens = static_cast<std::size_t>(args.number("--citizens", 0));
  const int samples = static_cast<int>(args.number("--latency-samples", 0));
  if (samples > 0) report("single_latency_s", single_latency_seconds(*client, samples));

  // Reserved: growing it would free a > 128 KiB block, which makes glibc raise its mmap and
  // trim thresholds, so that every arena keeps more free memory (a bench artefact).
  std::vector<std::string> users;
  users.reserve(citizens);
  for (std::size_t i = 0; i < citizens; ++i) users.push_back(user(i));
  const bool verify = args.has("--verify");
  std::atomic<std::uint64_t> records{0};
  std::atomic<bool> first{true};
  double first_done = 0;  // when the first citizen's records arrived (start-up cost)
  myna::BatchOptions options;
  options.concurrency = static_cast<std::size_t>(args.number("--concurrency", 64));
  std::atomic<bool> done{false};
  std::thread sampler([&] {
    if (!args.has("--rss-timeline")) return;
    for (int tick = 0; !done; ++tick) {
      if (tick % 10 == 0) std::printf("# t=%ds rss=%.1f MiB\n", tick / 10, bench::current_rss_mb());
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
  });
  const auto start = Clock::now();
  auto on_records = [&](const std::string& who, std::vector<myna::DrugRecord>&& r) {
    records += r.size();
    if (first.exchange(false)) first_done = bench::seconds_since(start);
    return verify ? check_truth(who, r) : myna::Status();
  };
  auto report_ = client->batch<myna::DrugRecord>(users, year_2024(), on_records, options);
  const double seconds = bench::seconds_since(start);
  done = true;
  sampler.join();
  for (const auto& o : report_.outcomes)
    if (!o.status.ok()) fail("batch: " + o.citizen + ": " + o.status.error().to_string());
  if (report_.succeeded != citizens) fail("batch: not every citizen succeeded");
  report("batch_s", seconds);
  report("first_done_s", first_done);
  report("records", static_cast<double>(records.load()));
  report("rss_after_mb", bench::current_rss_mb());
  const struct mallinfo2 heap = mallinfo2();
  report("heap_in_use_mb", static_cast<double>(heap.uordblks + heap.hblkhd) / (1024.0 * 1024.0));
  report("heap_total_mb", static_cast<double>(heap.arena + heap.hblkhd) / (1024.0 * 1024.0));
  report("peak_rss_mb", own_peak_rss_mb());
  return 0;
}

// ---------------------------------------------------------------- parent

// Runs the child, optionally under a wrapper command (e.g. "valgrind --tool=massif").
ChildOutcome run_wrapped(std::vector<std::string> child, const std::string& wrapper) {
  if (wrapper.empty()) return run_child(child);
  std::vector<std::string> words;
  std::stringstream in(wrapper);
  for (std::string word; in >> word;) words.push_back(word);
  child.insert(child.begin(), self_path());
  child.insert(child.begin(), words.begin() + 1, words.end());
  return run_child(child, words.front());
}

// Consents users u0..u{n-1} as sandbox citizens C0000000.. in parallel threads.
void consent_all(const SandboxInfo& sandbox, const std::string& token_dir, std::size_t n, long long threads) {
  auto client = make_client(sandbox, token_dir);
  std::atomic<std::size_t> next{0};
  std::mutex mu;
  std::string first_error;
  auto work = [&] {
    Consenter consenter(sandbox);
    for (std::size_t i; (i = next++) < n;) {
      if (myna::Status st = consenter.consent(*client, user(i), myna::sandbox::citizen_id(i)); !st) {
        std::lock_guard<std::mutex> lock(mu);
        first_error = st.error().to_string();
      }
    }
  };
  std::vector<std::thread> workers;
  for (long long t = 0; t < threads; ++t) workers.emplace_back(work);
  for (auto& t : workers) t.join();
  if (!first_error.empty()) fail("consent: " + first_error);
}

/// What the parent needs to start children: the sandbox, the shared tokens, the options.
struct Plan {
  const Args& args;
  const SandboxInfo& sandbox;
  std::string token_dir;
  int port = 0;
  long long concurrency = 64;
  bool smoke = false;
  unsigned instances = 1;
};

// One child batching `citizens`; the first size's children also measure the single latency.
ChildOutcome run_size(const Plan& plan, long long citizens, bool first_size, unsigned instance) {
  std::vector<std::string> child = {"--child",
                                    "--citizens",
                                    std::to_string(citizens),
                                    "--port",
                                    std::to_string(plan.port),
                                    "--tokens",
                                    plan.token_dir,
                                    "--concurrency",
                                    std::to_string(plan.concurrency),
                                    "--latency-samples",
                                    first_size ? plan.args.text("--latency-samples", "10") : "0",
                                    "--instance",
                                    std::to_string(instance),
                                    "--instances",
                                    std::to_string(plan.instances)};
  if (plan.smoke) child.push_back("--verify");
  if (plan.args.has("--rss-timeline")) child.push_back("--rss-timeline");
  if (plan.args.has("--keep-finished"))
    child.insert(child.end(), {"--keep-finished", plan.args.text("--keep-finished")});
  for (const auto& a : plan.sandbox.as_args()) child.push_back(a);
  ChildOutcome run = run_wrapped(child, plan.args.text("--child-wrapper"));
  if (run.exit_status != 0) fail("the batch child for " + std::to_string(citizens) + " citizens failed");
  std::printf(
      "# %lld citizens: %.2f s (first done after %.0f ms), %.0f records, peak RSS %.1f MiB; after: RSS "
      "%.1f MiB, heap %.1f MiB in use of %.1f MiB\n",
      citizens, run.value("batch_s"), run.value("first_done_s") * 1e3, run.value("records"), run.value("peak_rss_mb"),
      run.value("rss_after_mb"), run.value("heap_in_use_mb"), run.value("heap_total_mb"));
  return run;
}

std::vector<double> values(const std::vector<ChildOutcome>& runs, const std::string& name) {
  std::vector<double> out;
  for (const auto& run : runs) out.push_back(run.value(name));
  return out;
}

// Figures: medians over the repeated runs of each size.
void report_figures(const std::vector<long long>& sizes, std::map<long long, std::vector<ChildOutcome>>& runs,
                    long long concurrency) {
  std::vector<double> efficiency;
  for (const auto& run : runs[sizes.front()]) {
    const double latency = run.value("single_latency_s");
    const double ideal = static_cast<double>(sizes.front()) / static_cast<double>(concurrency) * latency;
    std::printf("# single retrieval %.1f ms; ideal %.2f s for %lld citizens at concurrency %lld; measured %.2f s\n",
                latency * 1e3, ideal, sizes.front(), concurrency, run.value("batch_s"));
    efficiency.push_back(ideal / run.value("batch_s"));
  }
  bench::figure("batch_efficiency", median(efficiency), "ratio");
  for (long long n : sizes)
    bench::figure("batch_peak_rss_mb_" + std::to_string(n), median(values(runs[n], "peak_rss_mb")), "MB");
  bench::figure("batch_rss_ratio",
                median(values(runs[sizes.back()], "peak_rss_mb")) / median(values(runs[sizes.front()], "peak_rss_mb")),
                "ratio");
}

int parent_main(const Args& args, bool smoke) {
  const auto sizes = parse_sizes(args.text("--sizes", smoke ? "20,100" : "1000,10000"));
  const long long repeats = args.number("--repeats", smoke ? 1 : 3);
  const int port = free_loopback_port();
  SandboxProcess sandbox(
      {"--delay", std::to_string(args.number("--delay", smoke ? 20 : 200)), "--notify", notify_url(port)});
  Plan plan{args,
            sandbox.info(),
            sandbox.info().state_dir + "/../tokens",
            port,
            args.number("--concurrency", smoke ? 8 : 64),
            smoke,
            static_cast<unsigned>(repeats * static_cast<long long>(sizes.size()))};
  const auto most = static_cast<std::size_t>(*std::max_element(sizes.begin(), sizes.end()));
  const auto consent_start = Clock::now();
  consent_all(sandbox.info(), plan.token_dir, most, args.number("--consent-threads", 8));
  std::printf("# consent for %zu citizens (set-up): %.1f s\n", most, bench::seconds_since(consent_start));

  std::map<long long, std::vector<ChildOutcome>> runs;  // sizes interleaved, each run its own instance
  unsigned instance = 0;
  for (long long r = 0; r < repeats; ++r)
    for (std::size_t i = 0; i < sizes.size(); ++i)
      runs[sizes[i]].push_back(run_size(plan, sizes[i], i == 0, instance++));
  std::printf("# sandbox: %s\n", sandbox.stop().c_str());
  report_figures(sizes, runs, plan.concurrency);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  const Args args(argc, argv);
  if (args.has("--child")) return guarded_main([&] { return child_main(args); });
  return guarded_main([&] { return parent_main(args, bench::smoke(argc, argv)); });
}
