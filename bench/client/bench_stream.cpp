// Streaming on bounded memory: a 1 GiB result (the sandbox's bulk citizen) fetched with
// Client::fetch_stream over loopback HTTPS with mutual TLS and decoded to a record callback.
//
// The sandbox runs in its own process (myna-sandbox); the client runs in a child process of
// this program, so that the peak RSS (VmHWM) is the streaming client's alone.
//   FIGURE stream_1gb_peak_rss_mb          peak RSS of the client process         (target < 64)
//   FIGURE stream_1gb_throughput_mb_s      result bytes / wall time of the fetch
//   FIGURE stream_1gb_client_cpu_mb_s      result bytes / client CPU time (user + system)
//   FIGURE stream_1gb_records_per_s        records / wall time
// usage: bench_stream [--smoke] [--bytes N]   (default 1 GiB; --smoke: 4 MiB)
#include <sys/resource.h>

#include <atomic>
#include <cstdio>

#include "client/support.hpp"
#include "common/bench.hpp"

namespace {

using namespace bench::client;

constexpr long long kFullBytes = 1LL << 30;
constexpr long long kSmokeBytes = 4LL << 20;

/// Passes everything to the libcurl transport and counts the streamed body bytes.
class CountingTransport final : public myna::HttpTransport {
 public:
  explicit CountingTransport(std::shared_ptr<myna::HttpTransport> inner) : inner_(std::move(inner)) {}

  myna::Result<myna::HttpResponse> send(const myna::HttpRequest& request, const myna::Context& context) override {
    if (!request.on_body_chunk) return inner_->send(request, context);
    myna::HttpRequest counted = request;
    counted.on_body_chunk = [this, &request](std::string_view chunk) {
      bytes_ += chunk.size();
      return request.on_body_chunk(chunk);
    };
    auto response = inner_->send(counted, context);
    for (auto& header : counted.headers) myna::wipe(header.value);
    return response;
  }
  std::uint64_t bytes() const { return bytes_; }

 private:
  std::shared_ptr<myna::HttpTransport> inner_;
  std::atomic<std::uint64_t> bytes_{0};
};

double cpu_seconds() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  auto seconds = [](const timeval& t) { return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) / 1e6; };
  return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

// The child: one client, its listener, one consent, one streaming fetch of the bulk citizen.
int child_main(const Args& args) {
  const SandboxInfo sandbox = SandboxInfo::from_args(args);
  myna::ClientOptions options = client_options(sandbox);
  auto curl = myna::make_curl_transport(options.curl);
  if (!curl) fail("transport: " + curl.error().to_string());
  auto counting = std::make_shared<CountingTransport>(*curl);
  options.transport = counting;
  auto client = myna::Client::create(options).value();
  auto listener = start_listener(sandbox, static_cast<int>(args.number("--port", 0)), client->notification_handler());
  if (myna::Status st = Consenter(sandbox).consent(*client, "bulk-user", "BULK"); !st)
    fail("consent: " + st.error().to_string());

  report("rss_before_fetch_mb", bench::current_rss_mb());
  auto query = myna::drug_query().from("2024-01-01").to("2024-12-31").build().value();
  std::uint64_t records = 0, named = 0;
  const double cpu_start = cpu_seconds();
  const auto start = std::chrono::steady_clock::now();
  auto st = client->fetch_stream<myna::DrugRecord>("bulk-user", query, [&](myna::DrugRecord&& r) {
    ++records;
    named += r.drug_name.has_value() ? 1 : 0;
    return myna::Status();
  });
  const double wall = bench::seconds_since(start), cpu = cpu_seconds() - cpu_start;
  if (!st) fail("fetch_stream: " + st.error().to_string());
  if (records == 0 || named == 0) fail("the bulk result had no records");
  report("records", static_cast<double>(records));
  report("bytes", static_cast<double>(counting->bytes()));
  report("seconds", wall);
  report("cpu_seconds", cpu);
  report("peak_rss_mb", own_peak_rss_mb());
  return 0;
}

int parent_main(const Args& args, bool smoke) {
  const long long bytes = args.number("--bytes", smoke ? kSmokeBytes : kFullBytes);
  const int port = free_loopback_port();
  SandboxProcess sandbox({"--delay", "0", "--bulk-bytes", std::to_string(bytes), "--notify", notify_url(port)});
  std::vector<std::string> child_args = {"--child", "--port", std::to_string(port)};
  for (const auto& a : sandbox.info().as_args()) child_args.push_back(a);
  const ChildOutcome child = run_child(child_args);
  std::printf("# sandbox: %s\n", sandbox.stop().c_str());
  if (child.exit_status != 0) fail("the streaming child failed (exit " + std::to_string(child.exit_status) + ")");
  const double mb = child.value("bytes") / (1024.0 * 1024.0);
  std::printf(
      "# %.0f records, %.1f MiB in %.2f s (client CPU %.2f s); RSS before the fetch %.1f MiB; "
      "ru_maxrss (incl. pre-exec image) %.1f MiB\n",
      child.value("records"), mb, child.value("seconds"), child.value("cpu_seconds"),
      child.value("rss_before_fetch_mb"), child.ru_maxrss_mb);
  bench::figure("stream_1gb_peak_rss_mb", child.value("peak_rss_mb"), "MB");
  bench::figure("stream_1gb_throughput_mb_s", mb / child.value("seconds"), "MB/s");
  bench::figure("stream_1gb_client_cpu_mb_s", mb / child.value("cpu_seconds"), "MB/s");
  bench::figure("stream_1gb_records_per_s", child.value("records") / child.value("seconds"), "records/s");
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  const Args args(argc, argv);
  if (args.has("--child")) return guarded_main([&] { return child_main(args); });
  return guarded_main([&] { return parent_main(args, bench::smoke(argc, argv)); });
}
