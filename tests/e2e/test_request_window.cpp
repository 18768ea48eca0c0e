// The request window: while the request telegram is in flight a retrieval has no processId
// yet. Notifications sent then, forged or genuine, over HTTPS through the listener against the
// sandbox: a forged one never affects the retrieval and is answered like an unknown id; a
// genuine one counts once the service's own response confirms its processId.
#include <catch2/catch.hpp>

#include <atomic>
#include <thread>

#include "e2e/http.hpp"
#include "e2e/world.hpp"
#include "myna/codec/envelope.hpp"

using namespace myna;
using namespace std::chrono_literals;
using test::World;

namespace {

Query drugs_2024() { return make_query(RecordType::drug, "20240101", "20241231").value(); }

std::string notification(const Profile& p, const std::string& telegram_id, const std::string& process_id) {
  return codec::encode_header({telegram_id, p.notification_type, p.mode, process_id, ""});
}

struct WindowWorld {
  std::shared_ptr<RetrievalStore> retrievals = make_memory_retrieval_store();
  std::vector<std::string> log;
  std::mutex log_mutex;
  World world;
  explicit WindowWorld(sandbox::SandboxOptions o, std::chrono::milliseconds notification_timeout = 10s)
      : world(std::move(o), [&](ClientOptions& c) {
          c.retrieval_store = retrievals;
          c.notification_timeout = notification_timeout;
          c.logger = Logger(
              [this](LogLevel, std::string_view line) {
                std::lock_guard<std::mutex> lock(log_mutex);
                log.emplace_back(line);
              },
              LogLevel::debug);
        }) {}
  bool logged(std::string_view part) {
    std::lock_guard<std::mutex> lock(log_mutex);
    for (const auto& line : log)
      if (line.find(part) != std::string::npos) return true;
    return false;
  }
};

/// The id of the first retrieval seen in state requested (no processId yet); "" if none came.
std::string wait_for_requested(RetrievalStore& store, std::chrono::milliseconds timeout) {
  for (auto until = std::chrono::steady_clock::now() + timeout; std::chrono::steady_clock::now() < until;) {
    auto pending = store.unfinished();
    if (!pending) return {};
    for (const Retrieval& r : *pending)
      if (r.state == RetrievalState::requested) return r.telegram_id;
    std::this_thread::sleep_for(1ms);
  }
  return {};
}

std::string with_id_masked(std::string body, const std::string& telegram_id) {
  if (const auto at = body.find(telegram_id); at != std::string::npos) body.replace(at, telegram_id.size(), "<id>");
  return body;
}

}  // namespace

TEST_CASE("notifications: a forged notification inside the request window does not affect the retrieval",
          "[e2e][attack][notification]") {
  sandbox::SandboxOptions o = World::fast_sandbox();
  o.faults.latency = 600ms;  // every answer waits: the request telegram stays in flight that long
  WindowWorld t(o);
  World& w = t.world;
  const Profile& p = w.client().profile();
  REQUIRE(w.consent("window", "C0000003").ok());

  // The forger POSTs to the provider's endpoint over HTTPS while the request is in flight.
  struct Sent {
    std::string telegram_id;
    test::HttpResponse forged, unknown;
    bool still_unconfirmed = false;
  } sent;
  std::thread forger([&] {
    sent.telegram_id = wait_for_requested(*t.retrievals, 5s);
    if (sent.telegram_id.empty()) return;
    test::Http http(w.sandbox().credentials().ca_file);
    const std::string url = w.listener().notification_url();
    sent.forged =
        http.post(url, notification(p, sent.telegram_id, "P-FORGED-0001"), {"Content-Type: application/json"});
    sent.unknown = http.post(url, notification(p, "TL-00000086-260101093000-0999", "P-FORGED-0001"),
                             {"Content-Type: application/json"});
    auto now = t.retrievals->find(sent.telegram_id);
    sent.still_unconfirmed = now && *now && (*now)->process_id.empty();
  });
  auto drugs = w.client().fetch_drugs("window", drugs_2024());
  forger.join();

  REQUIRE_FALSE(sent.telegram_id.empty());
  CHECK(sent.still_unconfirmed);  // the forgery really came inside the window
  INFO((drugs ? std::string("ok") : drugs.error().to_string()));
  REQUIRE(drugs.ok());
  CHECK(drugs->size() == w.sandbox().generator().records<DrugRecord>(3, drugs_2024()).size());
  // The answer tells the forger nothing: the same as for an id that never existed.
  CHECK(sent.forged.status == 404);
  CHECK(sent.forged.status == sent.unknown.status);
  CHECK(with_id_masked(sent.forged.body, sent.telegram_id) ==
        with_id_masked(sent.unknown.body, "TL-00000086-260101093000-0999"));
  const Retrieval r = t.retrievals->find(sent.telegram_id).value().value();
  CHECK(r.state == RetrievalState::fetched);
  CHECK(r.process_id != "P-FORGED-0001");
  const auto stats = w.sandbox().stats();
  CHECK(stats.results == 1);
  CHECK(stats.result_fetches_for_unknown_process == 0);
}

TEST_CASE("notifications: a genuine notification inside the request window counts once the response confirms it",
          "[e2e][notification]") {
  sandbox::SandboxOptions o = World::fast_sandbox();
  o.notification_delay = 0ms;               // the result is ready and notified at once ...
  o.faults.request_response_delay = 800ms;  // ... while the request response is held back
  WindowWorld t(o, 60s);                    // a fallback would take a minute
  World& w = t.world;
  REQUIRE(w.consent("early", "C0000004").ok());
  const auto started = std::chrono::steady_clock::now();
  auto drugs = w.client().fetch_drugs("early", drugs_2024());
  const auto took = std::chrono::steady_clock::now() - started;
  INFO((drugs ? std::string("ok") : drugs.error().to_string()));
  REQUIRE(drugs.ok());
  CHECK(took < 30s);
  CHECK_FALSE(t.logged("within the timeout"));  // no fallback: the early notification counted
  const auto stats = w.sandbox().stats();
  CHECK(stats.notifications_sent == 1);
  CHECK(stats.results == 1);
}

TEST_CASE("notifications: the sandbox's forged notifications, also inside the request window, change nothing",
          "[e2e][attack][notification]") {
  sandbox::SandboxOptions o = World::fast_sandbox();
  o.faults.forged_notification = 1.0;
  WindowWorld t(o);
  World& w = t.world;
  REQUIRE(w.consent("sandbox-forger", "C0000005").ok());
  for (int i = 0; i < 5; ++i) {
    auto drugs = w.client().fetch_drugs("sandbox-forger", drugs_2024());
    INFO((drugs ? std::string("ok") : drugs.error().to_string()));
    REQUIRE(drugs.ok());
  }
  // Each process: one forgery inside the window (before the response) and one with unknown ids.
  for (int i = 0; i < 200 && w.sandbox().stats().forged_sent < 10; ++i) std::this_thread::sleep_for(10ms);
  const auto stats = w.sandbox().stats();
  CHECK(stats.forged_sent == 10);
  CHECK(stats.forged_accepted == 0);
  CHECK(stats.results == 5);
  CHECK(stats.result_fetches_for_unknown_process == 0);
}
