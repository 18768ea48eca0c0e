#include <catch2/catch.hpp>

#include "myna/codec/payload.hpp"
#include "support/chunks.hpp"
#include "support/fill.hpp"

using namespace myna;

namespace {
CommonHeader sample_header() { return {"TL-00000086-260101093000-0001", "IFA0303-S01", "1", "P0000000001", ""}; }

template <class R>
std::vector<R> mixed_records() {
  std::vector<R> v;
  v.push_back(test::filled<R>(1));     // every field
  v.push_back(test::filled<R>(2, 3));  // sparse: every third field
  v.push_back(R{});                    // nothing at all
  v.push_back(test::filled<R>(3, 2));
  v.push_back(test::filled<R>(4));
  return v;
}

template <class R>
void check_equal(const std::vector<R>& a, const std::vector<R>& b) {
  REQUIRE(a.size() == b.size());
  for (std::size_t i = 0; i < a.size(); ++i) {
    INFO("record " << i);
    for (const auto& f : catalog<R>()) {
      INFO("item " << f.number << " " << f.ja);
      CHECK(to_wire_text(f.of(a[i])) == to_wire_text(f.of(b[i])));
      CHECK(has_value(f.of(a[i])) == has_value(f.of(b[i])));
    }
    CHECK(records_equal(a[i], b[i]));
  }
}
}  // namespace

TEMPLATE_TEST_CASE("result telegrams round-trip: full, sparse and empty records", "[codec]", DrugRecord, CheckupRecord,
                   MedicalExpenseRecord) {
  Profile profile;
  auto records = mixed_records<TestType>();
  std::string body = codec::encode_result(sample_header(), records, profile);
  auto decoded = codec::decode_result<TestType>(body, profile);
  REQUIRE(decoded.ok());
  CHECK(decoded->header == sample_header());
  check_equal(records, decoded->records);

  SECTION("absent items written as null decode as absent") {
    profile.encode_absent_as_null = true;
    std::string with_nulls = codec::encode_result(sample_header(), records, profile);
    CHECK(with_nulls.find("null") != std::string::npos);
    check_equal(records, codec::decode_result<TestType>(with_nulls, profile).value().records);
  }
  SECTION("the payload alone round-trips") {
    std::string payload = codec::encode_payload(records, profile);
    check_equal(records, codec::decode_payload<TestType>(payload, profile).value());
  }
  SECTION("streamed in chunks of every small size it decodes the same") {
    for (std::size_t size : {1u, 2u, 3u, 7u, 64u, 4096u}) {
      test::ChunkedSource source(body, {size, size + 1});
      std::vector<TestType> streamed;
      CommonHeader header;
      Status st = codec::decode_result<TestType>(
          source, profile,
          [&](TestType&& r) {
            streamed.push_back(std::move(r));
            return Status();
          },
          header);
      REQUIRE(st.ok());
      CHECK(header == sample_header());
      check_equal(records, streamed);
    }
  }
  SECTION("the incremental writer produces the same bytes") {
    codec::ResultWriter<TestType> w(profile, sample_header());
    std::string out;
    w.begin(out);
    for (const auto& r : records) w.add(r, out);
    w.finish(out);
    CHECK(out == body);
  }
}

TEST_CASE("not measured, zero and empty stay distinct", "[codec]") {
  Profile profile;
  CheckupRecord zero, not_measured;
  zero.basic.height = Decimal::parse("0").value();
  zero.basic.medical_history_details = Text(std::string_view{});
  std::vector<CheckupRecord> records{zero, not_measured};
  auto back = codec::decode_payload<CheckupRecord>(codec::encode_payload(records, profile), profile).value();
  CHECK(back[0].basic.height.has_value());
  CHECK(back[0].basic.height.to_string() == "0");
  CHECK(back[0].basic.medical_history_details.has_value());
  CHECK(back[0].basic.medical_history_details.empty());
  CHECK_FALSE(back[1].basic.height.has_value());
  CHECK_FALSE(back[1].basic.medical_history_details.has_value());
}

TEST_CASE("lab values keep their exact decimal text", "[codec]") {
  Profile profile;
  std::string payload =
      R"J([{"機関":{"特定健診情報":[{"HbA1c(NGSP)":"x","HbA1c(HPLC)":"5.6","空腹時血糖(その他)":"5.60","BMI":22.10,"体重":0.1}]}}])J";
  auto r = codec::decode_payload<CheckupRecord>(payload, profile).value().at(0);
  CHECK(r.basic.hba1c_hplc.to_string() == "5.6");
  CHECK(r.basic.fasting_glucose_other.to_string() == "5.60");
  CHECK(r.basic.bmi.to_string() == "22.10");  // JSON number taken as its exact text
  CHECK(r.basic.weight.to_string() == "0.1");
}

TEST_CASE("decoder accepts escaped Japanese, full-width key spellings and the printed alias", "[codec]") {
  Profile profile;
  // \u8584\u5264\u60c5\u5831 = 薬剤情報; keys with full-width parentheses and digits.
  std::string payload =
      R"J([{"org":{"\u85ac\u5264\u60c5\u5831":[{"カナ氏名（その他）":"ヤマダ","男女区分１":"1","医療機関(薬局名称)":"みなと薬局","未知の項目":{"nested":[1,2]}}]},"other":"x"}])J";
  auto r = codec::decode_payload<DrugRecord>(payload, profile).value().at(0);
  CHECK(r.kana_name_other == "ヤマダ");
  CHECK(r.sex1.code() == "1");
  CHECK(r.sex1.meaning() == "男");
  CHECK(r.institution_name == "みなと薬局");
}

TEST_CASE("other information types in the payload are skipped", "[codec]") {
  Profile profile;
  std::string payload =
      R"J([{"A":{"医療費通知情報":[{"受診者氏名":"x"}],"薬剤情報":[{"氏名":"山田"}]}},{"B":{"薬剤情報":[{"氏名":"佐藤"}]}}])J";
  auto drugs = codec::decode_payload<DrugRecord>(payload, profile).value();
  REQUIRE(drugs.size() == 2);
  CHECK(drugs[1].name == "佐藤");
  CHECK(codec::decode_payload<MedicalExpenseRecord>(payload, profile).value().size() == 1);
  CHECK(codec::decode_payload<CheckupRecord>(payload, profile).value().empty());
}

TEST_CASE("small telegrams round-trip", "[codec]") {
  Profile profile;
  RequestTelegram req{{"TL-00000086-260101093000-0001", "IFA0301-R01", "1", "", ""},
                      "InfoType=1&Date=20240101-20241231"};
  auto back = codec::decode_request(codec::encode_request(req), profile);
  REQUIRE(back.ok());
  CHECK(back->header == req.header);
  CHECK(back->inquiry_condition == req.inquiry_condition);
  auto header = codec::decode_header(codec::encode_header(sample_header()), profile);
  REQUIRE(header.ok());
  CHECK(*header == sample_header());
}

TEST_CASE("service error codes map to categories", "[codec]") {
  Profile profile;
  CommonHeader h = sample_header();
  CHECK(codec::check_service_error(h, profile).ok());
  h.error_code = "E0005";
  auto st = codec::check_service_error(h, profile);
  REQUIRE_FALSE(st.ok());
  CHECK(st.error().category() == ErrorCategory::maintenance);
  CHECK(st.error().service_code() == "E0005");
  h.error_code = "X999";
  CHECK(codec::check_service_error(h, profile).error().category() == ErrorCategory::protocol);
}
