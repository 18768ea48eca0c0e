// The PostgreSQL token store (encrypted at rest) and the idempotent record sink.
#include <catch2/catch.hpp>

#include <thread>

#include "myna/sandbox/generator.hpp"
#include "scale/pg_fixture.hpp"
#include "scale/record_compare.hpp"

using namespace myna;
using namespace std::chrono_literals;

namespace {

SecretString key_of(char fill) { return SecretString(std::string(32, fill)); }

Token token(const std::string& access, const std::string& refresh) {
  Token t;
  t.access_token = SecretString(access);
  t.refresh_token = SecretString(refresh);
  const auto now = std::chrono::time_point_cast<std::chrono::microseconds>(std::chrono::system_clock::now());
  t.granted_at = now;
  t.expires_at = now + 1h;
  t.grant_expires_at = now + 24h * 90;
  return t;
}

std::shared_ptr<TokenStore> token_store(std::shared_ptr<pg::Database> db, SecretString key,
                                        std::vector<SecretString> previous = {}) {
  pg::TokenStoreOptions o;
  o.key = std::move(key);
  o.previous_keys = std::move(previous);
  return pg::make_token_store(std::move(db), std::move(o)).value();
}

}  // namespace

TEST_CASE("pg token store: round trip, nothing in clear", "[postgres][token][security]") {
  const std::string conninfo = test::fresh_database();
  test::RawSql(conninfo).query(  // the store must not depend on the server's bytea output format
      "DO $$ BEGIN EXECUTE format('ALTER DATABASE %I SET bytea_output = %L', current_database(), 'escape'); END $$");
  auto db = test::open_db(conninfo);
  auto store = token_store(db, key_of('k'));
  const std::string access = "access-TOKEN-0123456789abcdef", refresh = "refresh-TOKEN-fedcba9876543210";
  const Token original = token(access, refresh);
  REQUIRE(store->save("citizen-1", original).ok());
  REQUIRE(store->save("citizen-2", token("other-access", "")).ok());

  auto loaded = store->load("citizen-1");
  REQUIRE(loaded.ok());
  REQUIRE(loaded->has_value());
  const Token& t = **loaded;
  CHECK(t.access_token.equals(access));
  CHECK(t.refresh_token.equals(refresh));
  CHECK(t.expires_at == original.expires_at);
  CHECK(t.grant_expires_at == original.grant_expires_at);
  CHECK(t.granted_at == original.granted_at);
  CHECK(store->load("citizen-2")->value().refresh_token.empty());
  CHECK_FALSE(store->load("nobody")->has_value());

  test::RawSql raw(conninfo);
  const std::string dump = raw.scalar(
      "SELECT string_agg(encode(access_token, 'escape') || "
      "coalesce(encode(refresh_token, 'escape'), ''), '|') FROM myna_tokens");
  CHECK(dump.find("TOKEN") == std::string::npos);
  CHECK(raw.scalar("SELECT refresh_token IS NULL FROM myna_tokens WHERE citizen = 'citizen-2'") == "t");
  // A fresh nonce per value: saving the same token again changes the ciphertext.
  const std::string before =
      raw.scalar("SELECT encode(access_token, 'hex') FROM myna_tokens WHERE citizen = 'citizen-1'");
  REQUIRE(store->save("citizen-1", token(access, refresh)).ok());
  CHECK(raw.scalar("SELECT encode(access_token, 'hex') FROM myna_tokens WHERE citizen = 'citizen-1'") != before);

  REQUIRE(store->remove("citizen-1").ok());
  CHECK_FALSE(store->load("citizen-1")->has_value());
}

TEST_CASE("pg token store: wrong key, moved values and key rotation", "[postgres][token][security]") {
  const std::string conninfo = test::fresh_database();
  auto db = test::open_db(conninfo);
  REQUIRE(token_store(db, key_of('a'))->save("alice", token("alice-token", "alice-refresh")).ok());
  REQUIRE(token_store(db, key_of('a'))->save("bob", token("bob-token", "")).ok());

  auto wrong = token_store(db, key_of('b'))->load("alice");
  REQUIRE_FALSE(wrong.ok());
  CHECK(wrong.error().category() == ErrorCategory::storage);
  CHECK(wrong.error().message().find("alice-token") == std::string::npos);

  auto rotated = token_store(db, key_of('b'), {key_of('a')});
  REQUIRE(rotated->load("alice")->value().access_token.equals("alice-token"));
  REQUIRE(rotated->save("alice", token("alice-token-2", "")).ok());
  CHECK_FALSE(token_store(db, key_of('a'))->load("alice").ok());  // now under the new key

  // A value copied to another citizen's row (or column) does not decrypt: the AAD binds it.
  test::RawSql raw(conninfo);
  raw.query(
      "UPDATE myna_tokens SET access_token = (SELECT access_token FROM myna_tokens WHERE citizen = 'alice') "
      "WHERE citizen = 'bob'");
  CHECK_FALSE(rotated->load("bob").ok());
  raw.query(
      "UPDATE myna_tokens SET access_token = set_byte(access_token, 20, get_byte(access_token, 20) # 1) "
      "WHERE citizen = 'alice'");
  CHECK_FALSE(rotated->load("alice").ok());
}

TEST_CASE("pg token store: bad keys and citizen keys are validation errors", "[postgres][token]") {
  auto db = test::open_db(test::fresh_database());
  pg::TokenStoreOptions short_key;
  short_key.key = SecretString("too short");
  auto made = pg::make_token_store(db, short_key);
  REQUIRE_FALSE(made.ok());
  CHECK(made.error().category() == ErrorCategory::validation);
  CHECK(made.error().message().find("too short") == std::string::npos);
  CHECK(pg::token_key_from_hex(std::string(64, 'a')).value().size() == 32);
  CHECK_FALSE(pg::token_key_from_hex("xyz").ok());
  auto store = token_store(db, key_of('k'));
  CHECK(store->save("", token("t", "")).error().category() == ErrorCategory::validation);
  CHECK(store->load(std::string("a\0b", 3)).error().category() == ErrorCategory::validation);
}

namespace {

template <class R>
std::vector<R> all_of(std::size_t citizen) {
  return sandbox::Generator().all_records<R>(citizen);
}

/// The records of the first citizen from index on who has some of type R.
template <class R>
std::vector<R> some_of(std::size_t index) {
  for (;; ++index)
    if (auto records = all_of<R>(index); !records.empty()) return records;
}

template <class R>
void check_round_trip(pg::RecordSink& sink, const std::string& citizen, std::size_t index) {
  const std::vector<R> records = some_of<R>(index);
  auto first = sink.store(citizen, records, "TL-first");
  REQUIRE(first.ok());
  CHECK(first->inserted == records.size());
  auto again = sink.store(citizen, records, "TL-retry");
  REQUIRE(again.ok());
  CHECK(again->inserted == 0);
  CHECK(again->updated == 0);
  CHECK(again->unchanged == records.size());
  auto loaded = sink.load<R>(citizen);
  REQUIRE(loaded.ok());
  CHECK(test::compare_records(records, *loaded).none());
  CHECK(sink.count<R>(citizen).value() == records.size());
}

}  // namespace

TEST_CASE("pg record sink: every item of every type round-trips, a retry stores nothing new", "[postgres][records]") {
  auto sink = pg::RecordSink::create(test::open_db(test::fresh_database())).value();
  for (std::size_t index : {3u, 17u}) {
    const std::string citizen = "citizen-" + std::to_string(index);
    check_round_trip<DrugRecord>(*sink, citizen, index);
    check_round_trip<CheckupRecord>(*sink, citizen, index);
    check_round_trip<MedicalExpenseRecord>(*sink, citizen, index);
  }
}

TEST_CASE("pg record sink: a retrieval larger than one statement is one transaction", "[postgres][records]") {
  auto sink = pg::RecordSink::create(test::open_db(test::fresh_database())).value();
  std::vector<MedicalExpenseRecord> many;
  for (int i = 0; i < 1234; ++i) {
    MedicalExpenseRecord e;
    e.unique_code = Text("U-" + std::to_string(i % 700));  // some identities twice: ordinals 0 and 1
    e.treatment_month = YearMonth::parse("202405").value();
    e.copayment = Yen::parse(std::to_string(i)).value();
    many.push_back(e);
  }
  CHECK(sink->store("bulk", many).value().inserted == 1234);
  CHECK(sink->store("bulk", many).value().unchanged == 1234);
  CHECK(test::compare_records(many, sink->load<MedicalExpenseRecord>("bulk").value()).none());
}

TEST_CASE("pg record sink: racing writers of the same retrieval store each record once", "[postgres][records]") {
  const std::string conninfo = test::fresh_database();
  auto sink_a = pg::RecordSink::create(test::open_db(conninfo)).value();
  auto sink_b = pg::RecordSink::create(test::open_db(conninfo)).value();
  const auto records = all_of<DrugRecord>(5);
  std::vector<std::thread> writers;
  std::atomic<int> failures{0};
  for (int i = 0; i < 6; ++i)
    writers.emplace_back([&, i] {
      if (!(i % 2 ? sink_a : sink_b)->store("racer", records).ok()) ++failures;
    });
  for (auto& t : writers) t.join();
  CHECK(failures == 0);
  CHECK(sink_a->count<DrugRecord>("racer").value() == records.size());
  CHECK(test::compare_records(records, sink_b->load<DrugRecord>("racer").value()).none());
}

TEST_CASE("pg record sink: identities, ordinals and corrections", "[postgres][records]") {
  auto sink = pg::RecordSink::create(test::open_db(test::fresh_database())).value();
  MedicalExpenseRecord e;
  e.unique_code = Text("U-1");
  e.treatment_month = YearMonth::parse("202404").value();
  e.copayment = Yen::parse("1200").value();
  CHECK(pg::record_identity(e) == "n:[\"202404\",\"U-1\"]");

  SECTION("two identical records in one retrieval are two records") {
    auto report = sink->store("c", std::vector<MedicalExpenseRecord>{e, e});
    CHECK(report.value().inserted == 2);
    CHECK(sink->store("c", std::vector<MedicalExpenseRecord>{e, e}).value().unchanged == 2);
    CHECK(sink->count<MedicalExpenseRecord>("c").value() == 2);
  }
  SECTION("a corrected record replaces the stored one") {
    REQUIRE(sink->store("c", std::vector<MedicalExpenseRecord>{e}).ok());
    MedicalExpenseRecord corrected = e;
    corrected.copayment = Yen::parse("1300").value();
    CHECK(sink->store("c", std::vector<MedicalExpenseRecord>{corrected}).value().updated == 1);
    auto loaded = sink->load<MedicalExpenseRecord>("c").value();
    REQUIRE(loaded.size() == 1);
    CHECK(loaded[0].copayment == corrected.copayment);
  }
  SECTION("without its filter item a record is identified by its content") {
    MedicalExpenseRecord undated = e;
    undated.treatment_month = YearMonth();
    CHECK(pg::record_identity(undated).rfind("h:", 0) == 0);
    CHECK(sink->store("c", std::vector<MedicalExpenseRecord>{undated, undated, e}).value().inserted == 3);
    CHECK(sink->store("c", std::vector<MedicalExpenseRecord>{e, undated, undated}).value().unchanged == 3);
    MedicalExpenseRecord empty;
    CHECK(sink->store("c", std::vector<MedicalExpenseRecord>{empty}).value().inserted == 1);
    CHECK(sink->load<MedicalExpenseRecord>("c").value().size() == 4);
  }
  SECTION("bad input is a validation error, nothing is half-written") {
    MedicalExpenseRecord nul = e;
    nul.insurer_name = Text(std::string_view("A\0B", 3));
    auto refused = sink->store("c", std::vector<MedicalExpenseRecord>{e, nul});
    REQUIRE_FALSE(refused.ok());
    CHECK(refused.error().category() == ErrorCategory::validation);
    CHECK(sink->count<MedicalExpenseRecord>("c").value() == 0);
    CHECK(sink->store("", std::vector<MedicalExpenseRecord>{e}).error().category() == ErrorCategory::validation);
  }
}

TEST_CASE("pg record sink: the catalog-generated views have one typed column per item", "[postgres][records]") {
  const std::string conninfo = test::fresh_database();
  auto sink = pg::RecordSink::create(test::open_db(conninfo)).value();
  REQUIRE(sink->store("viewer", all_of<CheckupRecord>(8)).ok());
  test::RawSql raw(conninfo);
  CHECK(raw.scalar("SELECT count(*) FROM information_schema.columns WHERE table_name = 'myna_drugs'") == "36");
  CHECK(raw.scalar("SELECT count(*) FROM information_schema.columns WHERE table_name = 'myna_checkups'") == "149");
  CHECK(raw.scalar("SELECT count(*) FROM information_schema.columns WHERE table_name = 'myna_expenses'") == "12");
  CHECK(raw.scalar("SELECT data_type FROM information_schema.columns WHERE table_name = 'myna_checkups' "
                   "AND column_name = 'checkup_date'") == "date");
  CHECK(raw.scalar("SELECT count(*) FROM myna_checkups WHERE citizen = 'viewer'") ==
        std::to_string(all_of<CheckupRecord>(8).size()));
}

TEST_CASE("pg token store: granted types; rows saved before schema version 2 grant every type",
          "[postgres][token][consent]") {
  const std::string conninfo = test::fresh_database();
  {
    auto db = test::open_db(conninfo);
    auto store = token_store(db, key_of('k'));
    Token checkups = token("typed-access", "");
    checkups.record_types = {RecordType::checkup, RecordType::expense};
    REQUIRE(store->save("typed", checkups).ok());
    CHECK(store->load("typed")->value().record_types == RecordTypes{RecordType::checkup, RecordType::expense});
    REQUIRE(store->save("legacy", token("legacy-access", "")).ok());
  }
  // Back to a version 1 database holding the legacy row, then migrate again.
  test::RawSql raw(conninfo);
  raw.query("ALTER TABLE myna_tokens DROP COLUMN record_types");
  raw.query("DROP TABLE myna_audit");  // a later version's table
  raw.query("ALTER TABLE myna_retrievals DROP COLUMN provisional");
  raw.query("DELETE FROM myna_schema_version WHERE version >= 2");
  auto db = test::open_db(conninfo);
  CHECK(db->schema_version().value() == pg::Database::latest_schema_version());
  CHECK(raw.scalar("SELECT record_types IS NULL FROM myna_tokens WHERE citizen = 'legacy'") == "t");
  auto store = token_store(db, key_of('k'));
  CHECK(store->load("legacy")->value().record_types == RecordTypes::all());
  CHECK(store->load("legacy")->value().access_token.equals("legacy-access"));
}
