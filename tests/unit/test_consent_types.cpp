// Consent per information type: the set type, how the types travel in the authorize request
// and come back in the token response, how the token stores keep them (and read tokens saved
// without them), and the refusal of an ungranted type before any telegram is sent.
#include <catch2/catch.hpp>

#include <atomic>
#include <fstream>

#include "internal/crypto.hpp"
#include "myna/client/client.hpp"
#include "myna/testing/fake_transport.hpp"
#include "unit/form.hpp"
#include "unit/temp_dir.hpp"

using namespace myna;
using SysClock = std::chrono::system_clock;
using myna::testing::FakeTransport;

namespace {

const SecretString kState("expected-state-value-0123456789abcdefghijklm");

Token token_for(RecordTypes types) {
  const auto now = std::chrono::floor<std::chrono::seconds>(SysClock::now());
  Token t;
  t.access_token = SecretString("AT-TYPES");
  t.granted_at = now;
  t.expires_at = now + std::chrono::hours(1);
  t.grant_expires_at = now + std::chrono::hours(24 * 90);
  t.record_types = types;
  return t;
}

Result<Token> parse_with_scope(std::string_view body, RecordTypes requested, const Profile& profile = Profile{}) {
  const auto now = SysClock::now();
  return parse_token_response(200, body, profile, now, now, requested);
}

}  // namespace

TEST_CASE("RecordTypes is a small set in table order", "[consent][types]") {
  RecordTypes none;
  CHECK(none.empty());
  CHECK(none.size() == 0);
  RecordTypes two{RecordType::expense, RecordType::drug};
  CHECK(two.size() == 2);
  CHECK(two.contains(RecordType::drug));
  CHECK_FALSE(two.contains(RecordType::checkup));
  CHECK(two.bits() == 0b101);
  CHECK((two | RecordTypes{RecordType::checkup}) == RecordTypes::all());
  CHECK((two & RecordTypes{RecordType::drug, RecordType::checkup}) == RecordTypes{RecordType::drug});
  CHECK(RecordTypes::all().contains(two));
  CHECK_FALSE(two.contains(RecordTypes::all()));
  CHECK(RecordTypes::from_bits(0xff) == RecordTypes::all());
  CHECK(to_japanese(two) == "薬剤情報・医療費通知情報");
  CHECK(to_japanese(none).empty());
  CHECK(japanese_description(RecordType::checkup) == "健診実施機関で受診した特定健診情報等");
}

TEST_CASE("the profile writes and reads the types of the scope parameter", "[consent][types]") {
  Profile profile;
  CHECK(profile.scope_of(RecordTypes::all()) == "drugs checkups expenses");
  CHECK(profile.scope_of({RecordType::checkup}) == "checkups");
  CHECK(profile.parse_scope("expenses  drugs ") == RecordTypes{RecordType::drug, RecordType::expense});
  CHECK_FALSE(profile.parse_scope("drugs openid").has_value());
  CHECK(profile.parse_scope("drugs openid", true) == RecordTypes{RecordType::drug});
  profile.drug_scope = "yakuzai";
  profile.consent_types_separator = ",";
  CHECK(profile.scope_of({RecordType::drug, RecordType::checkup}) == "yakuzai,checkups");
  CHECK(profile.parse_scope("checkups,yakuzai") == RecordTypes{RecordType::drug, RecordType::checkup});
}

TEST_CASE("begin_consent asks for the chosen types", "[consent][types]") {
  Profile profile;
  auto request = begin_consent(profile, {RecordType::checkup});
  REQUIRE(request.ok());
  CHECK(request->types == RecordTypes{RecordType::checkup});
  auto params = test::decode_form(request->url);
  CHECK(params.at("scope") == "checkups");

  request = begin_consent(profile, {RecordType::expense, RecordType::drug});
  REQUIRE(request.ok());
  CHECK(test::decode_form(request->url).at("scope") == "drugs expenses");

  SECTION("at least one type") {
    auto none = begin_consent(profile, RecordTypes{});
    REQUIRE_FALSE(none.ok());
    CHECK(none.error().category() == ErrorCategory::validation);
  }
  SECTION("a specification without the parameter: nothing sent, every type granted") {
    profile.consent_types_parameter.clear();
    auto plain = begin_consent(profile, {RecordType::drug});
    REQUIRE(plain.ok());
    CHECK(test::decode_form(plain->url).count("scope") == 0);
    CHECK(plain->types == RecordTypes::all());
  }
  SECTION("another parameter name") {
    profile.consent_types_parameter = "info_types";
    CHECK(test::decode_form(begin_consent(profile, {RecordType::drug})->url).at("info_types") == "drugs");
  }
}

TEST_CASE("a citizen not registered at Mynaportal is its own outcome", "[consent][types]") {
  const std::string redirect =
      "https://app.example.jp/cb?error=not_registered&error_description=x&state=" + url_encode(kState.reveal());
  auto response = parse_redirect(redirect, kState);
  REQUIRE(response.ok());
  CHECK(response->outcome == ConsentOutcome::not_registered);
  CHECK(std::string(to_string(response->outcome)) == "not_registered");
  auto code = consent_code(redirect, kState);
  REQUIRE_FALSE(code.ok());
  CHECK(code.error().category() == ErrorCategory::not_registered);
  CHECK(code.error().message().find("利用者登録") != std::string::npos);
  CHECK(std::string(to_string(ErrorCategory::not_registered)) == "not_registered");
  // The service's errorCode E0007 means the same.
  const Profile profile;
  auto e0007 = std::find_if(profile.error_codes.begin(), profile.error_codes.end(),
                            [](const ServiceErrorCode& c) { return c.code == "E0007"; });
  REQUIRE(e0007 != profile.error_codes.end());
  CHECK(e0007->category == ErrorCategory::not_registered);
}

TEST_CASE("the token response's scope says what was granted", "[consent][types][token]") {
  const RecordTypes asked{RecordType::checkup, RecordType::drug};
  CHECK(parse_with_scope(R"({"access_token":"A","scope":"checkups"})", asked)->record_types ==
        RecordTypes{RecordType::checkup});
  CHECK(parse_with_scope(R"({"access_token":"A"})", asked)->record_types == asked);
  CHECK(parse_with_scope(R"({"access_token":"A","scope":"openid drugs"})", asked)->record_types ==
        RecordTypes{RecordType::drug});
  CHECK(parse_with_scope(R"({"access_token":"A","scope":"openid"})", asked)->record_types == asked);
  CHECK(parse_with_scope(R"({"access_token":"A","scope":["drugs"]})", asked)->record_types == asked);
  Profile no_types;
  no_types.consent_types_parameter.clear();
  CHECK(parse_with_scope(R"({"access_token":"A","scope":"drugs"})", RecordTypes::all(), no_types)->record_types ==
        RecordTypes::all());
}

TEST_CASE("token stores keep the granted types; older files grant every type", "[consent][types][store]") {
  test::TempDir tmp;
  auto file = make_file_token_store(tmp.path()).value();
  auto memory = make_memory_token_store();
  for (auto* store : {&file, &memory}) {
    REQUIRE((*store)->save("c", token_for({RecordType::checkup, RecordType::expense})).ok());
    CHECK((*store)->load("c")->value().record_types == RecordTypes{RecordType::checkup, RecordType::expense});
  }
  const std::string path = tmp.path() + "/" + internal::sha256_hex("old") + ".token.json";
  SECTION("a file written before consent per type (no record_types) grants all three") {
    std::ofstream(path) << R"({"version":1,"access_token":"AT-OLD","refresh_token":"","expires_at":1,)"
                           R"("grant_expires_at":4102444800,"granted_at":1})";
    auto loaded = file->load("old");
    REQUIRE(loaded.ok());
    CHECK(loaded->value().record_types == RecordTypes::all());
  }
  SECTION("an unknown type is a corrupt file") {
    std::ofstream(path) << R"({"version":1,"access_token":"AT-OLD","refresh_token":"","expires_at":1,)"
                           R"("grant_expires_at":4102444800,"granted_at":1,"record_types":"drugs vaccines"})";
    auto loaded = file->load("old");
    REQUIRE_FALSE(loaded.ok());
    CHECK(loaded.error().category() == ErrorCategory::storage);
  }
}

TEST_CASE("a fetch of an ungranted type is refused before any telegram", "[consent][types][client]") {
  std::atomic<int> calls{0};
  auto transport = std::make_shared<FakeTransport>([&](const HttpRequest&) -> Result<HttpResponse> {
    ++calls;
    return FakeTransport::json(500, "{}");
  });
  ClientOptions options;
  options.transport = transport;
  options.token_store = make_memory_token_store();
  options.retry = RetryPolicy::none();
  REQUIRE(options.token_store->save("u-1", token_for({RecordType::checkup})).ok());
  auto client = Client::create(options).value();

  CHECK(client->has_grant("u-1", RecordType::checkup).value());
  CHECK_FALSE(client->has_grant("u-1", RecordType::drug).value());
  CHECK_FALSE(client->has_grant("nobody", RecordType::checkup).value());

  auto drugs = client->fetch_drugs("u-1", drug_query().from("2024-01-01").to("2024-12-31").build().value());
  REQUIRE_FALSE(drugs.ok());
  CHECK(drugs.error().category() == ErrorCategory::consent_required);
  CHECK(drugs.error().message().find("薬剤情報") != std::string::npos);
  CHECK(drugs.error().message().find("特定健診情報") != std::string::npos);
  CHECK(calls == 0);

  // The granted type does reach the transport (this fake answers 500).
  auto checkups = client->fetch_checkups("u-1", checkup_query().from("2024-01-01").to("2024-12-31").build().value());
  REQUIRE_FALSE(checkups.ok());
  CHECK(calls >= 1);
}

TEST_CASE("record types by their English identifiers", "[consent][types]") {
  CHECK(record_type_named("drugs") == RecordType::drug);
  CHECK(record_type_named("checkups") == RecordType::checkup);
  CHECK(record_type_named("expenses") == RecordType::expense);
  CHECK_FALSE(record_type_named("Drugs").has_value());
  CHECK_FALSE(record_type_named("").has_value());
}
