// The sandbox under load: a bulk body streamed on bounded memory, many concurrent keep-alive
// connections, and a clean stop.
#include <dirent.h>

#include <catch2/catch.hpp>
#include <deque>
#include <fstream>

#include "e2e/harness.hpp"
#include "myna/records.hpp"

using namespace myna;
using namespace myna::test;

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define MYNA_SANITIZED 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
#define MYNA_SANITIZED 1
#endif
#endif

namespace {

// Sanitizers keep freed memory in quarantine or shadow it: resident memory says nothing there.
#ifdef MYNA_SANITIZED
constexpr bool kMeasureMemory = false;
#else
constexpr bool kMeasureMemory = true;
#endif

/// Resident memory of this process (the sandbox runs in it too), in KiB.
long rss_kib() {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line))
    if (line.rfind("VmRSS:", 0) == 0) return std::stol(line.substr(6));
  return 0;
}

std::size_t entries(const char* dir_path) {
  std::size_t n = 0;
  if (DIR* dir = ::opendir(dir_path)) {
    while (::readdir(dir)) ++n;
    ::closedir(dir);
  }
  return n;
}

/// A ByteSource fed by another thread (the libcurl transfer), holding at most a few chunks.
class Pipe : public ByteSource {
 public:
  bool push(std::string_view data) {
    std::unique_lock<std::mutex> lock(mutex_);
    changed_.wait(lock, [&] { return chunks_.size() < 8 || closed_; });
    if (closed_) return false;
    chunks_.emplace_back(data);
    changed_.notify_all();
    return true;
  }
  void finish() {
    std::lock_guard<std::mutex> lock(mutex_);
    finished_ = true;
    changed_.notify_all();
  }
  void close() {
    std::lock_guard<std::mutex> lock(mutex_);
    closed_ = true;
    changed_.notify_all();
  }
  Result<std::string_view> next() override {
    std::unique_lock<std::mutex> lock(mutex_);
    changed_.wait(lock, [&] { return !chunks_.empty() || finished_; });
    if (chunks_.empty()) return std::string_view{};
    current_ = std::move(chunks_.front());
    chunks_.pop_front();
    changed_.notify_all();
    return std::string_view(current_);
  }

 private:
  std::mutex mutex_;
  std::condition_variable changed_;
  std::deque<std::string> chunks_;
  std::string current_;
  bool finished_ = false, closed_ = false;
};

struct Started {
  Session session;
  std::string telegram_id, process_id;
};

Started start_bulk(Harness& h) {
  Started s{h.sign_in("BULK"), next_telegram_id(h.profile), ""};
  auto q = make_query(RecordType::drug, "20240101", "20241231").value();
  HttpResponse res = h.send_request(s.session.access_token, s.telegram_id, q);
  REQUIRE(res.status == 200);
  s.process_id = h.header_of(res).process_id;
  REQUIRE(h.endpoint.wait_for_process(s.process_id));
  return s;
}

}  // namespace

TEST_CASE("a bulk result streams and decodes on bounded memory", "[e2e][sandbox][bulk]") {
  constexpr std::uint64_t kBytes = 50ull << 20;
  sandbox::SandboxOptions options;
  options.bulk_bytes = kBytes;
  Harness h(options);
  Started s = start_bulk(h);

  long baseline = rss_kib(), peak = baseline;
  std::uint64_t received = 0;
  Pipe pipe;
  HttpResponse res;
  std::thread transfer([&] {
    res = h.fetch_result(s.session.access_token, s.telegram_id, s.process_id, [&](std::string_view data) {
      if ((received += data.size()) % (1 << 20) < data.size()) peak = std::max(peak, rss_kib());
      return pipe.push(data);
    });
    pipe.finish();
  });
  std::size_t records = 0;
  CommonHeader header;
  Status decoded = codec::decode_result<DrugRecord>(
      pipe, h.profile, [&](DrugRecord&&) { return ++records, Status{}; }, header);
  pipe.close();
  transfer.join();

  REQUIRE(decoded.ok());
  CHECK(res.code == CURLE_OK);
  CHECK(res.status == 200);
  CHECK(res.header("transfer-encoding") == "chunked");
  CHECK(header.process_id == s.process_id);
  CHECK(received >= kBytes);
  CHECK(received < kBytes + (256 << 10));
  CHECK(records > 10000);
  INFO("RSS grew by " << (peak - baseline) << " KiB while streaming " << (received >> 20) << " MiB");
  if (kMeasureMemory) CHECK(peak - baseline < 24 * 1024);
}

TEST_CASE("a truncated bulk result is cut mid-stream", "[e2e][sandbox][bulk]") {
  sandbox::SandboxOptions options;
  options.bulk_bytes = 4 << 20;
  Harness h(options);
  Started s = start_bulk(h);
  sandbox::Faults faults;
  faults.truncated_body = 1;
  h.sandbox->set_faults(faults);
  std::uint64_t received = 0;
  HttpResponse res = h.fetch_result(s.session.access_token, s.telegram_id, s.process_id,
                                    [&](std::string_view data) { return received += data.size(), true; });
  CHECK(res.code == CURLE_PARTIAL_FILE);
  CHECK(received >= (2u << 20));
  CHECK(received < (4u << 20));
}

TEST_CASE("64 concurrent keep-alive connections are served", "[e2e][sandbox][load]") {
  constexpr int kClients = 64;
  Harness h;
  std::vector<Session> sessions;
  for (std::size_t i = 0; i < kClients; ++i) sessions.push_back(h.sign_in(sandbox::citizen_id(100 + i)));
  auto q = make_query(RecordType::expense, "20240101", "20241231").value();
  std::atomic<int> ok{0}, reused{0}, arrived{0};
  auto post_request = [&](Http& http, const Session& session) {
    RequestTelegram t{{next_telegram_id(h.profile), h.profile.request_type, h.profile.mode, "", ""},
                      q.to_filter(h.profile)};
    return http.post(h.url(h.profile.request_path), codec::encode_request(t), Harness::bearer(session.access_token));
  };
  std::vector<std::thread> clients;
  for (int i = 0; i < kClients; ++i) {
    clients.emplace_back([&, i] {
      const auto& c = h.sandbox->credentials();
      Http http(c.ca_file, c.client_cert_file, c.client_key_file);
      HttpResponse first = post_request(http, sessions[static_cast<std::size_t>(i)]);
      ++arrived;  // hold the connection open until every client has one
      while (arrived < kClients) std::this_thread::sleep_for(1ms);
      HttpResponse second = post_request(http, sessions[static_cast<std::size_t>(i)]);
      if (first.status == 200 && second.status == 200) ++ok;
      if (second.new_connections == 0) ++reused;
    });
  }
  for (auto& t : clients) t.join();
  CHECK(ok == kClients);
  CHECK(reused == kClients);
  CHECK(Harness::eventually([&] { return h.sandbox->stats().notifications_acked == 2 * kClients; }, 10000ms));
}

TEST_CASE("stop is quick and leaves no threads or descriptors behind", "[e2e][sandbox]") {
  auto run = [] {
    Harness h;
    Session s = h.sign_in("C0000040");
    auto q = make_query(RecordType::drug, "20240101", "20241231").value();
    std::string tid = next_telegram_id(h.profile);
    std::string pid = h.header_of(h.send_request(s.access_token, tid, q)).process_id;
    REQUIRE(h.endpoint.wait_for_process(pid));
    REQUIRE(h.fetch_result(s.access_token, tid, pid).status == 200);
    // h.api still holds an idle keep-alive connection.
    auto start = SteadyClock::now();
    h.sandbox->stop();
    CHECK(SteadyClock::now() - start < 1000ms);
    h.sandbox->stop();  // idempotent
  };
  run();  // warm-up: one-time library initialisation
  std::size_t threads = entries("/proc/self/task"), fds = entries("/proc/self/fd");
  run();
  CHECK(Harness::eventually([&] { return entries("/proc/self/task") == threads; }, 2000ms));
  CHECK(entries("/proc/self/fd") == fds);
}
