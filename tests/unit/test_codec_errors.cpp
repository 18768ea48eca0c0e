// Every decoder rejects bad input with a typed error that names what was wrong.
#include <catch2/catch.hpp>

#include "internal/json_string.hpp"
#include "myna/codec/payload.hpp"
#include "support/chunks.hpp"

using namespace myna;

namespace {
const char* kHeader =
    R"J("commonHeader":{"telegramId":"TL-00000086-260101093000-0001","telegramType":"IFA0303-S01","mode":"1","processId":"P1","errorCode":""})J";

std::string escape(std::string_view payload) {
  std::string s;
  internal::append_json_string(s, payload);
  return s;
}

std::string body_with_payload(std::string_view payload) {
  return std::string("{") + kHeader + R"J(,"selfPersonalDataProvisionInfo":{"selfPersonalData":)J" + escape(payload) +
         "}}";
}

std::string drug_payload(std::string_view records) {
  return std::string(R"J([{"支払基金":{"薬剤情報":[)J") + std::string(records) + "]}}]";
}

// Value errors are the strict policy's; structure errors are the same under both.
const DecodeOptions kStrict{DecodePolicy::strict};

template <class R>
Error decode_error(const std::string& body) {
  auto r = codec::decode_result<R>(body, Profile{}, kStrict);
  REQUIRE_FALSE(r.ok());
  // The streaming decoder, fed byte by byte, reports the same error.
  test::ChunkedSource source(body, {1});
  CommonHeader header;
  Status st = codec::decode_result<R>(
      source, Profile{}, kStrict, [](R&&) { return Status(); }, header);
  REQUIRE_FALSE(st.ok());
  CHECK(st.error().message() == r.error().message());
  return r.error();
}

void check_item(const Error& e, std::int64_t index, int item, const std::string& name) {
  INFO(e.message());
  CHECK(e.category() == ErrorCategory::decode);
  REQUIRE(e.location().has_value());
  CHECK(e.location()->record_index == index);
  CHECK(e.location()->item_number == item);
  CHECK(e.location()->item_name == name);
  CHECK(e.message().find(name) != std::string::npos);
  CHECK(e.message().find("#" + std::to_string(index)) != std::string::npos);
}
}  // namespace

TEST_CASE("wrong JSON type names record, item number and Japanese name", "[codec][errors]") {
  auto e = decode_error<DrugRecord>(body_with_payload(drug_payload(R"J({"氏名":"a"},{"氏名":"b","年齢":{"x":1}})J")));
  check_item(e, 1, 6, "年齢");
  CHECK(e.message().find("wrong JSON type") != std::string::npos);
  check_item(decode_error<DrugRecord>(body_with_payload(drug_payload(R"J({"氏名":123})J"))), 0, 3, "氏名");
  check_item(decode_error<DrugRecord>(body_with_payload(drug_payload(R"J({"氏名":true})J"))), 0, 3, "氏名");
  check_item(decode_error<DrugRecord>(body_with_payload(drug_payload(R"J({"医薬品コード":620000001})J"))), 0, 23,
             "医薬品コード");
}

TEST_CASE("malformed date and year-month", "[codec][errors]") {
  check_item(decode_error<DrugRecord>(body_with_payload(drug_payload(R"J({"生年月日":"20231301"})J"))), 0, 5,
             "生年月日");
  check_item(decode_error<DrugRecord>(body_with_payload(drug_payload(R"J({},{},{"診療年月":"2024-1"})J"))), 2, 9,
             "診療年月");
  auto payload = R"J([{"x":{"特定健診情報":[{"実施年月日":"2024/01/01"}]}}])J";
  check_item(decode_error<CheckupRecord>(body_with_payload(payload)), 0, 14, "実施年月日");
}

TEST_CASE("invalid code length and code outside its set", "[codec][errors]") {
  auto e = decode_error<DrugRecord>(body_with_payload(drug_payload(R"J({"医療機関(薬局)コード":"123456789"})J")));
  check_item(e, 0, 11, "医療機関(薬局)コード");
  CHECK(e.message().find("10 digits") != std::string::npos);
  check_item(decode_error<DrugRecord>(body_with_payload(drug_payload(R"J({"男女区分2":"7"})J"))), 0, 8, "男女区分2");
  auto payload = R"J([{"x":{"特定健診情報":[{"保険者番号":"1234567"}]}}])J";
  check_item(decode_error<CheckupRecord>(body_with_payload(payload)), 0, 1, "保険者番号");
}

TEST_CASE("negative yen are values; a negative measured value is out of range", "[codec][errors]") {
  auto payload = R"J([{"x":{"医療費通知情報":[{"窓口負担相当額":"1200"},{"窓口負担相当額":"-300"}]}}])J";
  auto corrected = codec::decode_payload<MedicalExpenseRecord>(std::string(payload), Profile{}, kStrict);
  REQUIRE(corrected.ok());
  CHECK((*corrected)[1].copayment.amount() == -300);
  auto lab = R"J([{"x":{"特定健診情報":[{"身長":-170}]}}])J";
  const Error e = decode_error<CheckupRecord>(body_with_payload(lab));
  check_item(e, 0, 18, "身長");
  CHECK(e.message().find("out_of_range") != std::string::npos);
}

TEST_CASE("an item repeated in one record", "[codec][errors]") {
  auto e = decode_error<DrugRecord>(body_with_payload(drug_payload(R"J({"氏名":"a","氏名":"b"})J")));
  check_item(e, 0, 3, "氏名");
  CHECK(e.message().find("twice") != std::string::npos);
}

TEST_CASE("truncated JSON", "[codec][errors]") {
  std::string body = body_with_payload(drug_payload(R"J({"氏名":"山田"})J"));
  for (std::size_t cut : {body.size() - 1, body.size() - 3, body.size() / 2, std::size_t{10}}) {
    INFO("cut at " << cut);
    Error e = decode_error<DrugRecord>(body.substr(0, cut));
    CHECK(e.category() == ErrorCategory::decode);
  }
  Error inside = decode_error<DrugRecord>(body.substr(0, body.find("山田") + 2));
  CHECK(inside.message().find("truncated") != std::string::npos);
  // Truncated inside the embedded document (the string itself is closed).
  Error inner = decode_error<DrugRecord>(body_with_payload(R"J([{"x":{"薬剤情報":[{"氏名":"山)J"));
  CHECK(inner.message().find("not valid JSON") != std::string::npos);
}

TEST_CASE("empty body", "[codec][errors]") {
  for (const char* body : {"", "   ", "\n"}) {
    Error e = decode_error<DrugRecord>(body);
    CHECK(e.category() == ErrorCategory::decode);
    CHECK(e.message().find("empty") != std::string::npos);
  }
  CHECK(codec::decode_header("", Profile{}).error().message().find("empty") != std::string::npos);
}

TEST_CASE("payload string that is not JSON", "[codec][errors]") {
  for (const char* payload : {"", "not json", "{\"a\":", "[1,2] trailing", "\"just a string\"", "{}"}) {
    INFO(payload);
    Error e = decode_error<DrugRecord>(body_with_payload(payload));
    CHECK(e.category() == ErrorCategory::decode);
    REQUIRE(e.location().has_value());
  }
  Error not_json = decode_error<DrugRecord>(body_with_payload("not json"));
  CHECK(not_json.location()->envelope_field == "selfPersonalDataProvisionInfo.selfPersonalData");
  Error num = decode_error<DrugRecord>(std::string("{") + kHeader +
                                       R"J(,"selfPersonalDataProvisionInfo":{"selfPersonalData":42}})J");
  CHECK(num.message().find("selfPersonalData") != std::string::npos);
}

TEST_CASE("missing commonHeader or its fields", "[codec][errors]") {
  std::string no_header = R"J({"selfPersonalDataProvisionInfo":{"selfPersonalData":"[]"}})J";
  Error e = decode_error<DrugRecord>(no_header);
  CHECK(e.location()->envelope_field == "commonHeader");
  CHECK(e.message().find("commonHeader") != std::string::npos);
  CHECK(codec::decode_header(R"J({"x":1})J", Profile{}).error().location()->envelope_field == "commonHeader");
  auto partial = codec::decode_header(
      R"J({"commonHeader":{"telegramId":"a","telegramType":"b","mode":"1","errorCode":""}})J", Profile{});
  REQUIRE_FALSE(partial.ok());
  CHECK(partial.error().location()->envelope_field == "commonHeader.processId");
  auto wrong = codec::decode_header(
      R"J({"commonHeader":{"telegramId":5,"telegramType":"b","mode":"1","processId":"","errorCode":""}})J", Profile{});
  CHECK(wrong.error().location()->envelope_field == "commonHeader.telegramId");
  CHECK(codec::decode_header(R"J({"commonHeader":[]})J", Profile{}).error().location()->envelope_field ==
        "commonHeader");
  CHECK_FALSE(codec::decode_header("[]", Profile{}).ok());
}

TEST_CASE("missing payload in a success response", "[codec][errors]") {
  Error e = decode_error<DrugRecord>(std::string("{") + kHeader + "}");
  CHECK(e.location()->envelope_field == "selfPersonalDataProvisionInfo.selfPersonalData");
  // An error response may carry no payload: it is the service's typed error.
  std::string err =
      R"J({"commonHeader":{"telegramId":"t","telegramType":"IFA0303-S01","mode":"1","processId":"P","errorCode":"E0005"}})J";
  auto r = codec::decode_result<DrugRecord>(err, Profile{});
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().category() == ErrorCategory::maintenance);
  CHECK(r.error().service_code() == "E0005");
}

TEST_CASE("bad escapes and control characters in the embedded string", "[codec][errors]") {
  std::string prefix = std::string("{") + kHeader + R"J(,"selfPersonalDataProvisionInfo":{"selfPersonalData":")J";
  CHECK(decode_error<DrugRecord>(prefix + R"J([\x])J" + "\"}}").message().find("escape") != std::string::npos);
  CHECK(decode_error<DrugRecord>(prefix + "[\n]\"}}").message().find("control") != std::string::npos);
  CHECK(decode_error<DrugRecord>(prefix + R"J([\ud800])J" + "\"}}").category() == ErrorCategory::decode);
  CHECK(decode_error<DrugRecord>(prefix + R"J([]\u0000)J" + "\"}}").category() == ErrorCategory::decode);
}

TEST_CASE("limits: deep nesting, huge values, too many records", "[codec][errors]") {
  std::string deep(100000, '[');
  Error nested = decode_error<DrugRecord>(body_with_payload(drug_payload("{\"未知の項目\":" + deep + "}")));
  CHECK(nested.message().find("deeper") != std::string::npos);
  Error outer = decode_error<DrugRecord>("{\"extra\":" + deep + "}");
  CHECK(outer.message().find("deeper") != std::string::npos);

  std::string huge(200 * 1024, 'x');
  Error big = decode_error<DrugRecord>(body_with_payload(drug_payload("{\"氏名\":\"" + huge + "\"}")));
  CHECK(big.message().find("limit") != std::string::npos);
  Error big_number =
      decode_error<DrugRecord>(body_with_payload(drug_payload("{\"年齢\":" + std::string(100000, '9') + "}")));
  check_item(big_number, 0, 6, "年齢");  // RapidJSON stops it: "Number too big"

  Profile few;
  few.max_records = 2;
  auto r = codec::decode_result<DrugRecord>(body_with_payload(drug_payload("{},{},{}")), few);
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().message().find("more than 2 records") != std::string::npos);
}

TEST_CASE("a failing record callback stops the stream with its error", "[codec][errors]") {
  std::string body = body_with_payload(drug_payload(R"J({"氏名":"a"},{"氏名":"b"},{"氏名":"c"})J"));
  test::ChunkedSource source(body, {5});
  int seen = 0;
  CommonHeader header;
  Status st = codec::decode_result<DrugRecord>(
      source, Profile{},
      [&](DrugRecord&&) -> Status {
        if (++seen == 2) return Error(ErrorCategory::storage, "sink full");
        return {};
      },
      header);
  REQUIRE_FALSE(st.ok());
  CHECK(st.error().category() == ErrorCategory::storage);
  CHECK(seen == 2);
}

TEST_CASE("a source error surfaces as itself", "[codec][errors]") {
  struct Failing : ByteSource {
    int calls = 0;
    Result<std::string_view> next() override {
      if (calls++ == 0) return std::string_view(R"J({"commonHeader":{)J");
      return Error(ErrorCategory::network, "connection reset");
    }
  } source;
  CommonHeader header;
  Status st = codec::decode_result<DrugRecord>(
      source, Profile{}, [](DrugRecord&&) { return Status(); }, header);
  REQUIRE_FALSE(st.ok());
  CHECK(st.error().category() == ErrorCategory::network);
}

TEST_CASE("objects and arrays inside records never move the record being read", "[codec]") {
  // Three closes per record (an array, the object holding it, the record): the buffer decoder
  // sizes its record vector after some closes, and none of them may move the open record.
  std::string records;
  for (int i = 0; i < 100; ++i) {
    if (i > 0) records += ',';
    records += R"J({"薬剤名":"錠)J" + std::to_string(i) + R"J(","単位":{"a":[1,2]},"回数":"3"})J";
  }
  auto decoded = codec::decode_result<DrugRecord>(body_with_payload(drug_payload(records)), Profile{});
  REQUIRE(decoded);
  REQUIRE(decoded->records.size() == 100);
  for (int i = 0; i < 100; ++i) {
    INFO("record " << i);
    const DrugRecord& r = decoded->records[static_cast<std::size_t>(i)];
    CHECK(r.drug_name.view() == "錠" + std::to_string(i));
    CHECK(r.unit.unparsed_text().value_or(r.unit.view()) == R"({"a":[1,2]})");
    CHECK(r.times.value() == 3);
  }
}
