// The audit trail table: one row per retrieval with its facts, NULL where a fact is absent,
// idempotent per telegram id, the sink a client calls, and the schema upgrade that adds it.
#include <catch2/catch.hpp>

#include <thread>

#include "scale/pg_fixture.hpp"

using namespace myna;
using namespace std::chrono_literals;

namespace {

AuditEvent fetched_event(const std::string& telegram_id) {
  AuditEvent e;
  RetrievalInfo& i = e.info;
  i.telegram_id = telegram_id;
  i.process_id = "PR-" + telegram_id;
  i.citizen = "user-42";
  i.type = RecordType::checkup;
  i.from = Date::parse("2024-01-01").value();
  i.to = Date::parse("2024-12-31").value();
  i.requested_at = std::chrono::system_clock::time_point(std::chrono::seconds(1767225600));  // 2026-01-01T00:00:00Z
  i.notified_at = i.requested_at + 1500ms;
  i.fetched_at = i.requested_at + 2250ms;
  i.notified = true;
  i.request_attempts = 1;
  i.result_attempts = 2;
  i.bytes = 12345;
  i.records = 7;
  i.issues.add(IssueKind::unknown_code, 2);
  i.issues.add(IssueKind::text_repaired);
  i.instance_name = "host-a:123";
  return e;
}

}  // namespace

TEST_CASE("pg audit: a retrieval's facts become one typed row", "[postgres][audit]") {
  const std::string conninfo = test::fresh_database();
  auto log = pg::AuditLog::create(test::open_db(conninfo)).value();
  REQUIRE(log->write(fetched_event("TL-1")).ok());
  test::RawSql raw(conninfo);
  auto rows = raw.query(
      "SELECT telegram_id, process_id, citizen, record_type, from_date, to_date, requested_at AT TIME ZONE 'UTC',"
      " extract(epoch FROM notified_at - requested_at), extract(epoch FROM fetched_at - requested_at), notified,"
      " request_attempts, result_attempts, bytes, records, issues->>'unknown_code', issues->>'text_repaired',"
      " instance_name, outcome, message FROM myna_audit");
  REQUIRE(rows.size() == 1);
  const auto& r = rows[0];
  CHECK(r[0] == "TL-1");
  CHECK(r[1] == "PR-TL-1");
  CHECK(r[2] == "user-42");
  CHECK(r[3] == "2");
  CHECK(r[4] == "2024-01-01");
  CHECK(r[5] == "2024-12-31");
  CHECK(r[6] == "2026-01-01 00:00:00");
  CHECK(std::stod(r[7]) == Approx(1.5));
  CHECK(std::stod(r[8]) == Approx(2.25));
  CHECK(r[9] == "t");
  CHECK(r[10] == "1");
  CHECK(r[11] == "2");
  CHECK(r[12] == "12345");
  CHECK(r[13] == "7");
  CHECK(r[14] == "2");
  CHECK(r[15] == "1");
  CHECK(r[16] == "host-a:123");
  CHECK(r[17] == "ok");
  CHECK(r[18].empty());
}

TEST_CASE("pg audit: absent facts are NULL, a failure keeps its category and message", "[postgres][audit]") {
  const std::string conninfo = test::fresh_database();
  auto log = pg::AuditLog::create(test::open_db(conninfo)).value();
  AuditEvent fallback = fetched_event("TL-2");
  fallback.info.notified = false;
  fallback.info.notified_at.reset();  // the fallback: no notification came
  fallback.info.fetched_at.reset();
  fallback.error = ErrorCategory::timeout;
  fallback.message = "retrieval TL-2: no completion notification arrived and the result is not ready";
  REQUIRE(log->write(fallback).ok());
  AuditEvent refused;
  refused.info.citizen = "nobody";  // refused before a telegram id was assigned
  refused.error = ErrorCategory::validation;
  refused.message = "the query is for 薬剤情報, not 特定健診情報";
  REQUIRE(log->write(refused).ok());
  test::RawSql raw(conninfo);
  auto rows = raw.query(
      "SELECT notified_at IS NULL, fetched_at IS NULL, notified, outcome, message, process_id IS NULL"
      " FROM myna_audit ORDER BY id");
  REQUIRE(rows.size() == 2);
  CHECK(rows[0] == std::vector<std::string>{"t", "t", "f", "timeout", fallback.message, "f"});
  CHECK(rows[1][3] == "validation");
  CHECK(rows[1][5] == "t");
  CHECK(raw.scalar("SELECT issues::text FROM myna_audit WHERE citizen = 'nobody'") == "{}");
}

TEST_CASE("pg audit: writing a telegram id again changes nothing; the sink writes from many threads",
          "[postgres][audit]") {
  const std::string conninfo = test::fresh_database();
  auto log = pg::AuditLog::create(test::open_db(conninfo)).value();
  REQUIRE(log->write(fetched_event("TL-3")).ok());
  REQUIRE(log->write(fetched_event("TL-3")).ok());
  AuditSink sink = log->sink();
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&, t] {
      for (int i = 0; i < 25; ++i) sink(fetched_event("TL-s" + std::to_string(t) + "-" + std::to_string(i)));
    });
  for (auto& th : threads) th.join();
  test::RawSql raw(conninfo);
  CHECK(raw.scalar("SELECT count(*) FROM myna_audit") == "101");
}

TEST_CASE("pg audit: a database of the schema before it gains the audit table", "[postgres][audit][schema]") {
  const std::string conninfo = test::fresh_database();
  test::open_db(conninfo);
  {
    test::RawSql raw(conninfo);
    raw.query("DROP TABLE myna_audit");
    raw.query("ALTER TABLE myna_retrievals DROP COLUMN provisional");  // a later version's column
    raw.query("DELETE FROM myna_schema_version WHERE version > 2");
  }
  auto db = test::open_db(conninfo);
  CHECK(db->schema_version().value() == pg::Database::latest_schema_version());
  CHECK(pg::AuditLog::create(db).value()->write(fetched_event("TL-4")).ok());
}
