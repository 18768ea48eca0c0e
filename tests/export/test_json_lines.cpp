// JSON Lines export: one object per record, catalog keys, exact values, absent items omitted.
#include <rapidjson/document.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <sstream>

#include "internal/utf8.hpp"
#include "myna/codec/payload.hpp"
#include "myna/export/json_lines.hpp"
#include "myna/sandbox/generator.hpp"
#include "support/fill.hpp"

using namespace myna;

namespace {
rapidjson::Document parse(const std::string& line) {
  rapidjson::Document doc;
  doc.Parse<rapidjson::kParseNumbersAsStringsFlag>(line.c_str());
  REQUIRE_FALSE(doc.HasParseError());
  REQUIRE(doc.IsObject());
  return doc;
}

/// Rebuilds a record from an object written with English keys.
template <class R>
R from_object(const rapidjson::Document& doc) {
  R r;
  for (const FieldInfo& f : catalog<R>()) {
    auto it = doc.FindMember(std::string(f.en).c_str());
    if (it == doc.MemberEnd()) continue;
    REQUIRE(it->value.IsString());  // numbers too, thanks to kParseNumbersAsStringsFlag
    REQUIRE(assign_wire_text(f, f.of(r), it->value.GetString()).ok());
  }
  return r;
}
}  // namespace

TEST_CASE("json lines: generated records round-trip, one object per line") {
  sandbox::Generator generator;
  auto records = generator.all_records<DrugRecord>(3);
  REQUIRE(records.size() > 10);
  std::ostringstream out;
  auto writer = make_json_lines_writer<DrugRecord>(out);
  REQUIRE(write_all(*writer, records).ok());
  std::istringstream in(out.str());
  std::string line;
  std::size_t i = 0;
  while (std::getline(in, line)) {
    REQUIRE(i < records.size());
    CHECK(records_equal(from_object<DrugRecord>(parse(line)), records[i++]));
  }
  CHECK(i == records.size());
}

TEST_CASE("json lines: value forms, absent keys and Japanese keys") {
  CheckupRecord r = test::filled<CheckupRecord>(4);
  r.basic.hba1c_hplc = Decimal::parse("5.60").value();
  r.basic.ecg_findings = Text("");
  clear(find_field<CheckupRecord>(19)->of(r));  // 体重 absent
  std::string line = to_json_object(r);
  CHECK(line.find("\"hba1c_hplc\":5.60") != std::string::npos);    // exact decimal, a JSON number
  CHECK(line.find("\"ecg_findings\":\"\"") != std::string::npos);  // empty text stays
  CHECK(line.find("\"weight\"") == std::string::npos);             // absent: no key
  auto doc = parse(line);
  CHECK(std::string(doc["insurer_number"].GetString()).substr(0, 1) == "0");  // leading zero kept
  CHECK(std::string(doc["checkup_date"].GetString()).size() == 10);           // YYYY-MM-DD
  CHECK(doc["sex1"].IsString());

  JsonLinesOptions ja;
  ja.keys = FieldNames::japanese;
  auto jdoc = parse(to_json_object(r, ja));
  CHECK(jdoc.HasMember("保険者番号"));
  CHECK(jdoc.HasMember("HbA1c(HPLC)"));
}

TEST_CASE("json lines: unparsed values as received, repaired text, issues and extra items") {
  const Profile profile;
  const std::string payload = "[{\"org\":{\"" + profile.payload_key(RecordType::drug) +
                              "\":[{\"氏名\":\"\",\"調剤日\":\"R06.01.15\",\"薬剤名\":\"ab\xFF"
                              "cd\","
                              "\"使用量\":\"-1\",\"回数\":\"1.0\",\"備考\":\"x\\u0001\"}]}}]";
  auto decoded = codec::decode_payload<DrugRecord>(payload, profile);
  REQUIRE(decoded);
  REQUIRE(decoded->size() == 1);
  const std::string line = to_json_object((*decoded)[0]);
  CHECK(internal::is_valid_utf8(line));
  auto doc = parse(line);
  CHECK_FALSE(doc.HasMember("kana_name"));                                // absent: no key
  CHECK(std::string(doc["name"].GetString()).empty());                    // present and empty
  CHECK(std::string(doc["dispensing_date"].GetString()) == "R06.01.15");  // unparsed: as received
  CHECK(std::string(doc["drug_name"].GetString()) ==
        "ab\xEF\xBF\xBD"
        "cd");                                                 // repaired
  CHECK(std::string(doc["quantity"].GetString()) == "-1");     // a number (strings here by flag)
  CHECK(line.find("\"times\":\"1.0\"") != std::string::npos);  // unparsed count: a string
  REQUIRE(doc.HasMember("issues"));
  REQUIRE(doc["issues"].IsArray());
  std::vector<std::string> kinds;
  for (const auto& issue : doc["issues"].GetArray()) kinds.emplace_back(issue["kind"].GetString());
  CHECK(std::count(kinds.begin(), kinds.end(), "unparsed_value") == 2);
  CHECK(std::count(kinds.begin(), kinds.end(), "text_repaired") == 1);
  CHECK(std::count(kinds.begin(), kinds.end(), "unknown_item") == 1);
  REQUIRE(doc["extra_items"].IsArray());
  REQUIRE(doc["extra_items"].Size() == 1);
  CHECK(std::string(doc["extra_items"][0]["key"].GetString()) == "備考");
  CHECK(std::string(doc["extra_items"][0]["value"].GetString()) == "x\x01");

  CHECK(to_json_object(DrugRecord{}) == "{}");  // no issues: no member
}
