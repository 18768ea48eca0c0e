// JSON Lines export: one object per record, catalog keys, exact values, absent items omitted.
#include <rapidjson/document.h>

#include <catch2/catch.hpp>
#include <sstream>

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
  CHECK(line.find("\"hba1c_hplc\":5.60") != std::string::npos);  // exact decimal, a JSON number
  CHECK(line.find("\"ecg_findings\":\"\"") != std::string::npos);  // empty text stays
  CHECK(line.find("\"weight\"") == std::string::npos);           // absent: no key
  auto doc = parse(line);
  CHECK(std::string(doc["insurer_number"].GetString()).substr(0, 1) == "0");  // leading zero kept
  CHECK(std::string(doc["checkup_date"].GetString()).size() == 10);         // YYYY-MM-DD
  CHECK(doc["sex1"].IsString());

  JsonLinesOptions ja;
  ja.keys = FieldNames::japanese;
  auto jdoc = parse(to_json_object(r, ja));
  CHECK(jdoc.HasMember("保険者番号"));
  CHECK(jdoc.HasMember("HbA1c(HPLC)"));
}
