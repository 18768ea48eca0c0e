// The audit trail against the sandbox over real HTTPS: every retrieval's RetrievalInfo (with
// the records, in the Error, in each batch outcome), one audit event and one log line per
// retrieval, never a record value.
#include <catch2/catch.hpp>

#include <mutex>
#include <set>

#include "e2e/world.hpp"
#include "myna/process/telegram_id.hpp"

using namespace myna;
using test::World;
using namespace std::chrono_literals;

namespace {

Query year(RecordType type) { return make_query(type, "20240101", "20241231").value(); }

// Collects audit events and log lines (both arrive from any thread).
struct Recorder {
  std::mutex mu;
  std::vector<AuditEvent> events;
  std::vector<std::string> lines;

  void tweak(ClientOptions& o) {
    o.audit = [this](const AuditEvent& e) {
      std::lock_guard<std::mutex> lock(mu);
      events.push_back(e);
    };
    o.logger = Logger(
        [this](LogLevel, std::string_view line) {
          std::lock_guard<std::mutex> lock(mu);
          lines.emplace_back(line);
        },
        LogLevel::info);
  }
  std::size_t lines_with(std::string_view text) {
    std::lock_guard<std::mutex> lock(mu);
    std::size_t n = 0;
    for (const std::string& l : lines) n += l.find(text) != std::string::npos;
    return n;
  }
};

}  // namespace

TEST_CASE("audit: a fetch returns its facts, the sink and the logger get them once", "[e2e][audit]") {
  Recorder rec;
  World w(World::fast_sandbox(), [&](ClientOptions& o) { rec.tweak(o); });
  REQUIRE(w.consent("alice", "C0000005").ok());
  const auto before = std::chrono::system_clock::now();
  auto drugs = w.client().fetch_drugs("alice", year(RecordType::drug));
  REQUIRE(drugs.ok());
  const RetrievalInfo& info = drugs->info;
  CHECK(TelegramIdGenerator::well_formed(info.telegram_id));
  CHECK_FALSE(info.process_id.empty());
  CHECK(info.citizen == "alice");
  CHECK(info.type == RecordType::drug);
  CHECK(info.from == Date::parse("2024-01-01").value());
  CHECK(info.to == Date::parse("2024-12-31").value());
  CHECK(info.requested_at >= before);
  CHECK(info.notified);
  REQUIRE(info.notified_at);
  REQUIRE(info.fetched_at);
  CHECK(*info.notified_at >= info.requested_at - 1s);  // the store's clock
  CHECK(*info.fetched_at >= info.requested_at);
  CHECK(info.request_attempts == 1);
  CHECK(info.result_attempts == 1);
  CHECK(info.bytes > 0);
  CHECK(info.records == drugs->size());
  CHECK_FALSE(info.instance_name.empty());  // default: hostname:pid

  REQUIRE(rec.events.size() == 1);
  CHECK(rec.events[0].ok());
  CHECK(rec.events[0].info.telegram_id == info.telegram_id);
  CHECK(rec.events[0].info.records == info.records);
  CHECK(rec.lines_with("retrieval fetched: telegram " + info.telegram_id) == 1);
  CHECK(rec.lines_with("alice") == 0);  // the log names no citizen key
  for (const DrugRecord& d : drugs->records)
    if (d.drug_name.has_value() && d.drug_name.view().size() > 3)
      CHECK(rec.lines_with(d.drug_name.view()) == 0);  // nor a record value
}

TEST_CASE("audit: failures carry their facts in the Error and reach the sink", "[e2e][audit]") {
  Recorder rec;
  World w(World::fast_sandbox(), [&](ClientOptions& o) {
    rec.tweak(o);
    o.retry.max_attempts = 3;
    o.retry.initial_backoff = 5ms;
    o.retry.max_retry_after = 100ms;
  });
  REQUIRE(w.consent("bob", "C0000002").ok());

  SECTION("no grant: refused before any telegram is sent") {
    auto r = w.client().fetch_checkups("nobody", year(RecordType::checkup));
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().category() == ErrorCategory::consent_required);
    const RetrievalInfo* info = r.error().retrieval();
    REQUIRE(info);
    CHECK(info->telegram_id.empty());  // no telegram id is taken for a refused type
    CHECK(info->request_attempts == 0);
    CHECK(info->process_id.empty());
    CHECK_FALSE(info->fetched_at);
    REQUIRE(rec.events.size() == 1);
    CHECK(rec.events[0].error == ErrorCategory::consent_required);
    CHECK(rec.events[0].message == r.error().message());
    CHECK(rec.lines_with("retrieval failed: telegram (none), process (none)") == 1);
  }
  SECTION("server errors: every attempt counted") {
    sandbox::Faults f;
    f.http_500 = 1.0;
    w.sandbox().set_faults(f);
    auto r = w.client().fetch_drugs("bob", year(RecordType::drug));
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().http_status() == 500);
    REQUIRE(r.error().retrieval());
    CHECK(r.error().retrieval()->request_attempts == 3);
    CHECK(r.error().retrieval()->result_attempts == 0);
    REQUIRE(rec.events.size() == 1);
    CHECK(rec.events[0].error == ErrorCategory::http);
  }
  SECTION("maintenance: the time to come back is kept") {
    sandbox::Faults f;
    f.maintenance_503 = 1.0;
    w.sandbox().set_faults(f);
    auto r = w.client().fetch_drugs("bob", year(RecordType::drug));
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().category() == ErrorCategory::maintenance);
    CHECK(r.error().retry_after());
    CHECK(r.error().message().find("retry_after") == std::string::npos);  // words, not identifiers
    REQUIRE(r.error().retrieval());
    REQUIRE(rec.events.size() == 1);
    CHECK(rec.events[0].error == ErrorCategory::maintenance);
  }
}

TEST_CASE("audit: the fallback has no notification time", "[e2e][audit]") {
  sandbox::Faults f;
  f.missing_notification = 1.0;
  auto o = World::fast_sandbox();
  o.faults = f;
  World w(o, [](ClientOptions& c) { c.notification_timeout = 300ms; });
  REQUIRE(w.consent("h", "C0000004").ok());
  auto r = w.client().fetch_expenses("h", year(RecordType::expense));
  REQUIRE(r.ok());
  CHECK_FALSE(r->info.notified);
  CHECK_FALSE(r->info.notified_at);
  CHECK(r->info.fetched_at);
  CHECK(to_string(r->info).find("notified (absent) (no notification)") != std::string::npos);
}

TEST_CASE("audit: a batch gives every citizen its facts and one event each", "[e2e][audit][threads]") {
  Recorder rec;
  World w(World::fast_sandbox(), [&](ClientOptions& o) { rec.tweak(o); });
  std::vector<std::string> users;
  for (int i = 0; i < 6; ++i) {
    users.push_back("u" + std::to_string(i));
    REQUIRE(w.consent(users.back(), sandbox::citizen_id(static_cast<std::size_t>(i))).ok());
  }
  users.push_back("nobody");
  auto report = w.client().batch<MedicalExpenseRecord>(
      users, year(RecordType::expense),
      [](const std::string&, std::vector<MedicalExpenseRecord>&&) { return Status(); }, BatchOptions{4});
  CHECK(report.succeeded == 6);
  CHECK(report.failed == 1);
  std::set<std::string> ids;
  for (const BatchOutcome& o : report.outcomes) {
    CHECK(o.info.citizen == o.citizen);
    CHECK(o.info.records == o.records);
    ids.insert(o.info.telegram_id);
  }
  CHECK(ids.size() == users.size());
  CHECK(rec.events.size() == users.size());
}
