// Consent per information type end to end: the client against the sandbox over loopback HTTPS.
#include <catch2/catch.hpp>

#include "e2e/world.hpp"

using namespace myna;
using test::World;

namespace {

Query year(RecordType type) { return make_query(type, "20240101", "20241231").value(); }

Status consent(World& w, const std::string& user, const std::string& citizen, RecordTypes types) {
  auto request = w.client().begin_consent(types);
  if (!request) return request.error();
  return w.client().complete_consent(user, w.sandbox().authorize_as(citizen, request->url), *request);
}

}  // namespace

TEST_CASE("a type outside the consent is refused before any telegram; a second consent adds it", "[e2e][consent]") {
  World w;
  REQUIRE(consent(w, "hanako", "C0000002", {RecordType::checkup}).ok());
  CHECK(w.client().has_grant("hanako", RecordType::checkup).value());
  CHECK_FALSE(w.client().has_grant("hanako", RecordType::drug).value());

  const auto calls_before = w.sandbox().stats().telegram_calls;
  auto drugs = w.client().fetch_drugs("hanako", year(RecordType::drug));
  REQUIRE_FALSE(drugs.ok());
  CHECK(drugs.error().category() == ErrorCategory::consent_required);
  CHECK(drugs.error().message().find("薬剤情報") != std::string::npos);
  CHECK(w.sandbox().stats().telegram_calls == calls_before);
  REQUIRE(drugs.error().retrieval());  // the audit facts of the refusal: no telegram
  CHECK(drugs.error().retrieval()->telegram_id.empty());
  CHECK(drugs.error().retrieval()->request_attempts == 0);

  auto checkups = w.client().fetch_checkups("hanako", year(RecordType::checkup));
  REQUIRE(checkups.ok());
  CHECK(w.sandbox().stats().telegram_calls > calls_before);

  // The second consent asks for the union; its token replaces the first.
  REQUIRE(consent(w, "hanako", "C0000002", {RecordType::checkup, RecordType::drug}).ok());
  CHECK(w.client().has_grant("hanako", RecordType::drug).value());
  CHECK(w.client().has_grant("hanako", RecordType::checkup).value());
  CHECK_FALSE(w.client().has_grant("hanako", RecordType::expense).value());
  CHECK(w.client().granted_types("hanako").value() == RecordTypes{RecordType::checkup, RecordType::drug});
  auto now_drugs = w.client().fetch_drugs("hanako", year(RecordType::drug));
  REQUIRE(now_drugs.ok());
  CHECK(test::same_records(now_drugs->records, w.sandbox().generator().records<DrugRecord>(2, year(RecordType::drug))));
  CHECK(w.client().fetch_checkups("hanako", year(RecordType::checkup)).ok());
}

TEST_CASE("the service refuses an ungranted type too (E0008 → consent_required)", "[e2e][consent]") {
  // A token saved by an older SDK (no types: read as all) for a consent that covered fewer.
  auto store = make_memory_token_store();
  World w(World::fast_sandbox(), [&](ClientOptions& o) { o.token_store = store; });
  REQUIRE(consent(w, "taro", "C0000001", {RecordType::expense}).ok());
  Token token = store->load("taro").value().value();
  token.record_types = RecordTypes::all();
  REQUIRE(store->save("taro", token).ok());
  auto drugs = w.client().fetch_drugs("taro", year(RecordType::drug));
  REQUIRE_FALSE(drugs.ok());
  CHECK(drugs.error().category() == ErrorCategory::consent_required);
  CHECK(drugs.error().service_code() == "E0008");
}

TEST_CASE("a citizen not registered at Mynaportal is a typed outcome", "[e2e][consent]") {
  World w;
  Status st = consent(w, "mitouroku", "N0000001", {RecordType::checkup});
  REQUIRE_FALSE(st.ok());
  CHECK(st.error().category() == ErrorCategory::not_registered);
  CHECK_FALSE(w.client().has_grant("mitouroku").value());
}
