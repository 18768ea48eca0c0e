// Bugs found by fuzzing (docs/fuzzing.md), one test each; the inputs that found them are
// replayed from fuzz/regressions/<target>/ by the fuzz_replay_<target> tests.
#include <catch2/catch.hpp>

#include <initializer_list>

#include "internal/flat_json.hpp"
#include "internal/json_string.hpp"
#include "myna/auth/token.hpp"
#include "myna/codec/payload.hpp"
#include "myna/query/query.hpp"
#include "support/chunks.hpp"

using namespace myna;

namespace {

bool has_control_character(std::string_view text) {
  for (char c : text)
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) return true;
  return false;
}

std::string result_body(std::string_view payload) {
  std::string body = codec::encode_header({"TL-00000086-260101093000-0001", "IFA0303-S01", "1", "P1", ""});
  body.pop_back();
  body += R"(,"selfPersonalDataProvisionInfo":{"selfPersonalData":)";
  internal::append_json_string(body, payload);
  return body + "}}";
}

// Every non-text item of R, given a malformed value: the strict decode error names the item
// but shows neither the value nor its control characters (lenient keeps it as unparsed).
template <class R>
void check_values_hidden() {
  const Profile profile;
  for (const FieldInfo& f : catalog<R>()) {
    if (f.kind == ValueKind::text) continue;
    const std::string payload = "[{\"org\":{\"" + profile.payload_key(RecordTraits<R>::type) + "\":[{\"" +
                                std::string(f.ja) + "\":\"" + "PRIVATE-1985\\n0230" + "\"}]}}]";
    auto decoded = codec::decode_payload<R>(payload, profile, DecodeOptions{DecodePolicy::strict});
    INFO(f.ja);
    REQUIRE_FALSE(decoded.ok());
    const std::string text = decoded.error().to_string();
    CHECK(decoded.error().location()->item_number == f.number);
    CHECK(text.find("PRIVATE") == std::string::npos);
    CHECK_FALSE(has_control_character(text));
  }
}

/// The streaming decoder, fed in chunks of each size, fails as the buffer decoder did: the same
/// message, located at `offset`.
void check_streamed_error(const std::string& body, const Error& expected, std::size_t offset,
                          std::initializer_list<std::size_t> chunks) {
  for (std::size_t chunk : chunks) {
    INFO("chunk " << chunk);
    test::ChunkedSource source(body, {chunk});
    CommonHeader header;
    const Status st = codec::decode_result<DrugRecord>(
        source, Profile{}, [](DrugRecord&&) { return Status(); }, header);
    REQUIRE_FALSE(st.ok());
    CHECK(st.error().message() == expected.message());
    CHECK(st.error().location()->byte_offset == offset);
  }
}

}  // namespace

// fuzz/regressions/payload_*/…-value-in-message: value parsers quoted the text into their
// message, and the payload decoder passed it on, so record values reached logs.
TEST_CASE("fuzz: decode errors never show record values", "[fuzz][codec]") {
  check_values_hidden<DrugRecord>();
  check_values_hidden<CheckupRecord>();
  check_values_hidden<MedicalExpenseRecord>();
}

// fuzz/regressions/query/control-char-in-message: a control character in a parsed text
// reached the error message (log injection).
TEST_CASE("fuzz: value parse errors carry neither the text nor control characters", "[fuzz][values]") {
  const std::string bad = "2024\n01\x1b[2J";
  for (const Error& e : {Date::parse(bad).error(), YearMonth::parse(bad).error(), Decimal::parse(bad).error(),
                         Yen::parse(bad).error(), Count::parse(bad).error(), MedicineCode::parse(bad).error(),
                         make_query(RecordType::drug, bad, "20241231").error()}) {
    INFO(e.message());
    CHECK(e.category() == ErrorCategory::validation);
    CHECK_FALSE(has_control_character(e.to_string()));
    CHECK(e.message().find("2024") == std::string::npos);
  }
  Coded coded(CodeSetId::sex);
  const Status st = coded.assign("\n9");
  REQUIRE_FALSE(st.ok());
  CHECK_FALSE(has_control_character(st.error().message()));
  CHECK(Date::parse("20240230").error().message().find("calendar") != std::string::npos);
}

// fuzz/regressions/stream/control-char-offset: a payload that stops early (control
// character, bad escape, truncation) was located at a stale cursor position: the buffer
// decoder named the start of the payload, the streaming decoder its last chunk.
TEST_CASE("fuzz: a payload stop is located where it happens, in every decoder", "[fuzz][codec]") {
  std::string broken = result_body("[{\"org\":{\"薬剤情報\":[{\"氏名\":\"a~b\"}]}}]");
  const auto raw_newline = broken.find('~');
  broken[raw_newline] = '\n';  // an unescaped control character inside selfPersonalData
  const auto whole = codec::decode_result<DrugRecord>(broken, Profile{});
  REQUIRE_FALSE(whole.ok());
  const auto expected = whole.error().location()->byte_offset;
  CHECK(expected == raw_newline + 1);
  check_streamed_error(broken, whole.error(), expected, {1, 2, 7, 64, 4096});
}

// fuzz/regressions/stream/truncated-offset: once the body ended inside the payload, the
// payload stream measured its position from a chunk that was gone (a garbage offset).
TEST_CASE("fuzz: a body cut inside the payload is located at its end", "[fuzz][codec]") {
  const std::string whole_body = result_body("[{\"org\":{\"薬剤情報\":[{\"氏名\":\"山田\"}]}}]");
  for (std::size_t cut : {whole_body.size() - 3, whole_body.find("氏名") + 2}) {
    const std::string body = whole_body.substr(0, cut);
    const auto whole = codec::decode_result<DrugRecord>(body, Profile{});
    REQUIRE_FALSE(whole.ok());
    INFO(whole.error().message());
    CHECK(whole.error().location()->byte_offset == body.size());
    check_streamed_error(body, whole.error(), body.size(), {1, 5, 64});
  }
}

// fuzz/regressions/token/truncated-utf8-at-end: RapidJSON 1.1.0's UTF-8 validation read (and
// in situ wrote) past the end of a token response ending inside a multi-byte character.
TEST_CASE("fuzz: a JSON body cut inside a UTF-8 character is malformed, not an overflow", "[fuzz][auth]") {
  const auto now = std::chrono::system_clock::now();
  for (const char* body : {R"({"access_token":"t","token_type":"invali)"
                           "\xe6",
                           R"({"access_token":"t","x":")"
                           "\xf0\x9f",
                           R"({"access_token":"t","x":")"
                           "\xf0"
                           "A"}) {
    const auto token = parse_token_response(200, body, Profile{}, now, now);
    REQUIRE_FALSE(token.ok());
    CHECK(token.error().category() == ErrorCategory::protocol);
    std::string exact(body);
    exact.shrink_to_fit();  // no spare capacity behind the terminator for a stray read to hit
    CHECK(internal::parse_flat_object(exact, [](std::string_view, const internal::FlatValue&) { return true; }) ==
          internal::FlatParse::malformed);
  }
  // Valid multi-byte text right before the closing brace still parses.
  std::string valid = "{\"a\":\"\xe3\x81\x82\"}";
  CHECK(internal::parse_flat_object(valid, [](std::string_view, const internal::FlatValue&) { return true; }) ==
        internal::FlatParse::ok);
}

// fuzz/regressions/stream/takeover-number-prefix: where the payload scanner stops, RapidJSON's
// reader takes over from the end of the last whole element, fed a made-up prefix that reopens
// the open objects and arrays and ends in a dummy element. The dummy was the number 0, which
// ran on into the real text after it ("0E": a missing exponent instead of the real error).
TEST_CASE("fuzz: the streaming reader's take-over reports the error a reader from the start reports", "[fuzz][codec]") {
  const std::string body = result_body("[{\"org\":{\"薬剤情報\":[{\"氏名\":\"山田\"}]}E}]");
  const auto whole = codec::decode_result<DrugRecord>(body, Profile{});
  REQUIRE_FALSE(whole.ok());
  CHECK(whole.error().message().find("Missing a comma or '}'") != std::string::npos);
  check_streamed_error(body, whole.error(), whole.error().location()->byte_offset, {1, 7, 64});
}

// fuzz/regressions/payload_expense/literal-backslash-before-surrogate-escape: a text holding a
// literal "\ud83d" (an escaped backslash) right before an unpaired surrogate escape "\ude00"
// was written back with both as escapes, which read back as one character (U+1F600).
TEST_CASE("fuzz: text with surrogate escapes kept as text re-encodes to the same text", "[fuzz][codec]") {
  const std::string payload = "[{\"org\":{\"医療費通知情報\":[{\"受診者氏名\":\"a\\\\ud83d\\ude00b\"}]}}]";
  auto decoded = codec::decode_payload<MedicalExpenseRecord>(payload, Profile{});
  REQUIRE(decoded.ok());
  const auto again = codec::decode_payload<MedicalExpenseRecord>(codec::encode_payload(*decoded, Profile{}), Profile{});
  REQUIRE(again.ok());
  REQUIRE(again->size() == 1);
  CHECK(records_equal(again->front(), decoded->front()));
  CHECK(again->front().patient_name.unparsed_text() == decoded->front().patient_name.unparsed_text());
}

TEST_CASE("an unpaired surrogate escape outside the records marks no item", "[fuzz]") {
  // Found by payload_expense: a string with \ud800 in the organisation object (not a record)
  // left its mark for the record's first value, whose text was fine: text_repaired on the
  // wrong item, lost again after encoding and decoding (the round trip differed).
  const std::string payload = R"([{"org":{"note":"x\ud800y","other":[{"受診者氏名":"\udc00"}],)"
                              R"("医療費通知情報":[{"受診者氏名":"鈴木 恵美"}]}}])";
  auto records = codec::decode_payload<MedicalExpenseRecord>(payload, Profile{});
  REQUIRE(records);
  REQUIRE(records->size() == 1);
  CHECK(records->front().issues.empty());
  CHECK(records->front().patient_name.view() == "鈴木 恵美");
  auto again = codec::decode_payload<MedicalExpenseRecord>(codec::encode_payload(*records, Profile{}), Profile{});
  REQUIRE(again);
  CHECK(records_equal(again->front(), records->front()));
  // An unpaired escape in a record's value still marks that item.
  auto marked = codec::decode_payload<MedicalExpenseRecord>(
      R"([{"org":{"医療費通知情報":[{"受診者氏名":"a\ud800"}]}}])", Profile{});
  REQUIRE(marked);
  REQUIRE(marked->front().issues.size() == 1);
  CHECK(marked->front().issues.begin()->kind == IssueKind::text_repaired);
}
