// The Client double of myna/testing: scripted outcomes in order, the last one repeating,
// typed errors carrying their RetrievalInfo, streaming, batch on the double, and the calls.
#include <catch2/catch.hpp>

#include <atomic>

#include "myna/testing/scripted_client.hpp"

using namespace myna;
using namespace std::chrono_literals;

namespace {

Query year(RecordType type) { return make_query(type, "2024-01-01", "2024-12-31").value(); }

CheckupRecord checkup_with_issue() {
  CheckupRecord c;
  c.issues.add(Issue{117, "喫煙", IssueKind::unknown_code});
  return c;
}

}  // namespace

TEST_CASE("scripted client: outcomes in order, the last repeats, errors are typed", "[client][testing]") {
  testing::ScriptedClient client;
  const auto later = std::chrono::system_clock::now() + 2h;
  client.maintenance("u", RecordType::checkup, later).returns<CheckupRecord>("u", {checkup_with_issue(), {}});
  Client& c = client;

  auto first = c.fetch_checkups("u", year(RecordType::checkup));
  REQUIRE_FALSE(first.ok());
  CHECK(first.error().category() == ErrorCategory::maintenance);
  CHECK(first.error().retry_after() == later);
  REQUIRE(first.error().retrieval());
  CHECK_FALSE(first.error().retrieval()->telegram_id.empty());
  CHECK(first.error().retrieval()->type == RecordType::checkup);

  for (int i = 0; i < 2; ++i) {
    auto next = c.fetch<CheckupRecord>("u", year(RecordType::checkup));
    REQUIRE(next.ok());
    CHECK(next->size() == 2);
    CHECK(next->info.records == 2);
    CHECK(next->info.issues.count(IssueKind::unknown_code) == 1);
    CHECK(next->info.notified);
    CHECK(next->info.from == Date::parse("2024-01-01").value());
  }
  CHECK(client.fetches("u", RecordType::checkup) == 3);
  CHECK(client.fetches("u", RecordType::drug) == 0);
}

TEST_CASE("scripted client: unscripted citizens need consent; grants follow the script", "[client][testing]") {
  testing::ScriptedClient client;
  client.returns<DrugRecord>("granted", {}).consent_required("expired", RecordType::drug);
  CHECK(client.fetch_drugs("stranger", year(RecordType::drug)).error().category() == ErrorCategory::consent_required);
  CHECK(client.has_grant("granted").value());
  CHECK(client.has_grant("granted", RecordType::drug).value());
  CHECK_FALSE(client.has_grant("granted", RecordType::checkup).value());
  CHECK_FALSE(client.has_grant("expired").value());
  CHECK_FALSE(client.has_grant("stranger").value());
  auto request = client.begin_consent({RecordType::checkup}).value();
  REQUIRE(client.complete_consent("stranger", "https://app.example/callback?code=x", request).ok());
  CHECK(client.has_grant("stranger", RecordType::checkup).value());
  CHECK_FALSE(client.has_grant("stranger", RecordType::drug).value());
  CHECK(client.granted_types("stranger").value() == RecordTypes{RecordType::checkup});
  client.grant("granted", RecordTypes());
  CHECK_FALSE(client.has_grant("granted").value());
  CHECK_FALSE(client.begin_consent(RecordTypes()).ok());
  auto calls = client.calls();
  REQUIRE(calls.size() == 13);
  CHECK(calls[0].operation == "fetch");
  CHECK(calls[6].operation == "begin_consent");
  CHECK(calls[7].operation == "complete_consent");
}

TEST_CASE("scripted client: a type outside the grant is refused before any telegram; consent can fail",
          "[client][testing]") {
  testing::ScriptedClient client;
  client.returns<DrugRecord>("u", {DrugRecord{}}).returns<CheckupRecord>("u", {}).grant("u", {RecordType::drug});
  CHECK(client.fetch_drugs("u", year(RecordType::drug)).ok());
  auto refused = client.fetch_checkups("u", year(RecordType::checkup));
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.error().category() == ErrorCategory::consent_required);
  CHECK(refused.error().message().find("特定健診情報") != std::string::npos);
  REQUIRE(refused.error().retrieval());
  CHECK(refused.error().retrieval()->telegram_id.empty());
  CHECK(refused.error().retrieval()->request_attempts == 0);
  CHECK(refused.error().retrieval()->type == RecordType::checkup);

  client.not_registered("new");
  auto request = client.begin_consent().value();
  Status st = client.complete_consent("new", "https://app.example/callback?error=not_registered", request);
  REQUIRE_FALSE(st.ok());
  CHECK(st.error().category() == ErrorCategory::not_registered);
  CHECK_FALSE(client.has_grant("new").value());
}

TEST_CASE("scripted client: streaming hands over each record; a callback error ends it", "[client][testing]") {
  testing::ScriptedClient client;
  client.returns<MedicalExpenseRecord>("u", std::vector<MedicalExpenseRecord>(3));
  int seen = 0;
  auto info = client.fetch_stream<MedicalExpenseRecord>("u", year(RecordType::expense), [&](MedicalExpenseRecord&&) {
    ++seen;
    return Status();
  });
  REQUIRE(info.ok());
  CHECK(seen == 3);
  CHECK(info->records == 3);
  auto stopped = client.fetch_stream<MedicalExpenseRecord>("u", year(RecordType::expense), [](MedicalExpenseRecord&&) {
    return Status(Error(ErrorCategory::storage, "disk full"));
  });
  REQUIRE_FALSE(stopped.ok());
  CHECK(stopped.error().category() == ErrorCategory::storage);
  REQUIRE(stopped.error().retrieval());
  CHECK(stopped.error().retrieval()->records == 1);
}

TEST_CASE("scripted client: batch runs on it with every citizen's info", "[client][testing][threads]") {
  testing::ScriptedClient client;
  std::vector<std::string> citizens;
  for (int i = 0; i < 40; ++i) {
    citizens.push_back("c" + std::to_string(i));
    if (i % 4 == 0)
      client.fails(citizens.back(), RecordType::drug, Error(ErrorCategory::network, "reset"));
    else
      client.returns<DrugRecord>(citizens.back(), std::vector<DrugRecord>(static_cast<std::size_t>(i % 3)));
  }
  std::atomic<std::size_t> delivered{0};
  BatchReport report = client.batch<DrugRecord>(
      citizens, year(RecordType::drug),
      [&](const std::string&, std::vector<DrugRecord>&& records) {
        delivered += records.size();
        return Status();
      },
      BatchOptions{8});
  CHECK(report.succeeded == 30);
  CHECK(report.failed == 10);
  for (const BatchOutcome& o : report.outcomes) {
    CHECK_FALSE(o.info.telegram_id.empty());
    CHECK(o.info.citizen == o.citizen);
  }
  CHECK(report.outcomes[0].status.error().category() == ErrorCategory::network);
  CHECK(report.outcomes[1].records == 1);
}
