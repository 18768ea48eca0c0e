// CSV export: RFC 4180 quoting and CRLF, the BOM, catalog headers, absent vs empty text,
// leading zeros, and round trips of whole record sets through an RFC 4180 reader.
#include <catch2/catch.hpp>
#include <sstream>

#include "internal/utf8.hpp"
#include "myna/codec/payload.hpp"
#include "myna/export/csv.hpp"
#include "myna/sandbox/generator.hpp"
#include "support/fill.hpp"

using namespace myna;

namespace {

/// Parses a whole CSV document (after an optional BOM) into rows.
std::vector<std::vector<CsvField>> parse(std::string_view text) {
  if (text.substr(0, kUtf8Bom.size()) == kUtf8Bom) text.remove_prefix(kUtf8Bom.size());
  std::vector<std::vector<CsvField>> rows;
  std::size_t pos = 0;
  while (pos < text.size()) {
    auto row = read_csv_row(text, pos);
    REQUIRE(row.ok());
    rows.push_back(std::move(*row));
  }
  return rows;
}

template <class R>
void check_round_trip(const std::vector<R>& records) {
  auto rows = parse(to_csv(records));
  REQUIRE(rows.size() == records.size() + 1);
  for (std::size_t i = 0; i < records.size(); ++i) {
    auto back = record_from_csv_row<R>(rows[i + 1]);
    REQUIRE(back.ok());
    INFO("record " << i);
    CHECK(records_equal(*back, records[i]));
  }
}

}  // namespace

TEST_CASE("csv: generated record sets round-trip through an RFC 4180 reader") {
  sandbox::Generator generator;
  std::size_t drugs = 0, checkups = 0, expenses = 0;
  for (std::size_t citizen = 0; citizen < 6; ++citizen) {
    auto d = generator.all_records<DrugRecord>(citizen);
    auto c = generator.all_records<CheckupRecord>(citizen);
    auto e = generator.all_records<MedicalExpenseRecord>(citizen);
    check_round_trip(d);
    check_round_trip(c);
    check_round_trip(e);
    drugs += d.size(), checkups += c.size(), expenses += e.size();
  }
  CHECK(drugs > 100);
  CHECK(checkups > 5);
  CHECK(expenses > 50);
}

TEST_CASE("csv: every field filled, and sparse records, round-trip") {
  std::vector<CheckupRecord> records;
  for (int salt = 0; salt < 12; ++salt) records.push_back(test::filled<CheckupRecord>(salt, salt % 4 + 1));
  check_round_trip(records);
  std::vector<DrugRecord> drugs;
  for (int salt = 0; salt < 12; ++salt) drugs.push_back(test::filled<DrugRecord>(salt, salt % 3 + 1));
  check_round_trip(drugs);
}

TEST_CASE("csv: absent is an empty field, an empty text is a quoted empty string") {
  DrugRecord r;
  r.name = Text("");                     // present, empty
  r.kana_name_other = Text();            // absent
  r.drug_name = Text("a,b \"c\"\r\nd");  // needs quoting
  r.institution_code = InstitutionCode::parse("0140234567").value();
  std::string row = csv_row(r);
  CHECK(row.substr(0, 5) == ",,\"\",");  // 1 absent, 2 absent, 3 "" (present), 4 absent…
  CHECK(row.find("\"a,b \"\"c\"\"\r\nd\"") != std::string::npos);
  CHECK(row.find(",0140234567,") != std::string::npos);  // leading zero kept
  CHECK(row.size() >= 2);
  CHECK(row.substr(row.size() - 2) == "\r\n");

  std::size_t pos = 0;
  auto fields = read_csv_row(row, pos);
  REQUIRE(fields.ok());
  CHECK(pos == row.size());
  CHECK_FALSE((*fields)[0].has_value());
  REQUIRE((*fields)[2].has_value());
  CHECK((*fields)[2]->empty());
  auto back = record_from_csv_row<DrugRecord>(*fields);
  REQUIRE(back.ok());
  CHECK(back->name.has_value());
  CHECK(back->name.empty());
  CHECK_FALSE(back->kana_name_other.has_value());
  CHECK(back->drug_name == "a,b \"c\"\r\nd");
  CHECK(back->institution_code.str() == "0140234567");
}

TEST_CASE("csv: headers from the catalog in Japanese or English, BOM on request") {
  std::vector<MedicalExpenseRecord> none;
  CHECK(to_csv(none) ==
        "受診者氏名,保険者名称,ユニークコード,診療年月,医療機関(薬局)名称,窓口負担相当額,issues,extra_items\r\n");
  CsvOptions en;
  en.header = FieldNames::english;
  CHECK(to_csv(none, en) ==
        "patient_name,insurer_name,unique_code,treatment_month,institution_name,copayment,issues,extra_items\r\n");
  CsvOptions bom;
  bom.bom = true;
  std::string text = to_csv(none, bom);
  CHECK(text.substr(0, 3) == "\xEF\xBB\xBF");
  CHECK(text.substr(3, 15) == "受診者氏名");

  MedicalExpenseRecord r;
  r.treatment_month = YearMonth::make(2024, 3).value();
  r.copayment = Yen::make(1230).value();
  r.unique_code = Text("00012");
  CHECK(csv_row(r) == ",,00012,2024-03,,1230,,\r\n");  // no issues: an empty last column

  // The streaming writer writes the same document, header included when there are no rows.
  std::ostringstream out;
  auto writer = make_csv_writer<MedicalExpenseRecord>(out, bom);
  REQUIRE(writer->write(r).ok());
  REQUIRE(writer->finish().ok());
  CHECK(out.str() == to_csv(std::vector<MedicalExpenseRecord>{r}, bom));
  std::ostringstream empty;
  REQUIRE(make_csv_writer<MedicalExpenseRecord>(empty, bom)->finish().ok());
  CHECK(empty.str() == text);
}

TEST_CASE("csv: exact decimals and dates in display form") {
  CheckupRecord r;
  r.basic.hba1c_hplc = Decimal::parse("5.60").value();
  r.visit.checkup_date = Date::make(2024, 6, 1).value();
  std::string row = csv_row(r);
  CHECK(row.find(",5.60,") != std::string::npos);
  CHECK(row.find(",2024-06-01,") != std::string::npos);
}

TEST_CASE("csv: malformed input and rows are typed errors") {
  std::size_t pos = 0;
  auto r = read_csv_row("a,\"b", pos);
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().category() == ErrorCategory::validation);
  pos = 0;
  CHECK_FALSE(read_csv_row("a,b\"c\r\n", pos).ok());
  pos = 0;
  CHECK_FALSE(read_csv_row("\"a\"b\r\n", pos).ok());
  std::vector<CsvField> short_row(3);
  CHECK(record_from_csv_row<DrugRecord>(short_row).error().category() == ErrorCategory::validation);
  std::vector<CsvField> bad(6);
  bad[3] = std::string("2024-13");  // not a year-month
  auto e = record_from_csv_row<MedicalExpenseRecord>(bad);
  REQUIRE_FALSE(e.ok());
  CHECK(e.error().message().find("診療年月") != std::string::npos);
  bad[3] = std::string();  // "" for a non-text item
  CHECK_FALSE(record_from_csv_row<MedicalExpenseRecord>(bad).ok());
}

TEST_CASE("csv: a failing stream is a storage error") {
  std::ostringstream out;
  out.setstate(std::ios::badbit);
  auto writer = make_csv_writer<DrugRecord>(out);
  auto st = writer->write(DrugRecord{});
  REQUIRE_FALSE(st.ok());
  CHECK(st.error().category() == ErrorCategory::storage);
}

TEST_CASE("csv: unparsed values as received, repaired text, the issues and extra_items columns") {
  const Profile profile;
  const std::string payload = "[{\"org\":{\"" + profile.payload_key(RecordType::drug) +
                              "\":[{\"氏名\":\"\",\"調剤日\":\"R06.01.15\",\"薬剤名\":\"ab\xFF"
                              "cd\","
                              "\"使用量\":\"-1\",\"備考\":\"x, \\\"y\\\"\",\"使用量\":\"2\"}]}}]";
  auto decoded = codec::decode_payload<DrugRecord>(payload, profile);
  REQUIRE(decoded);
  REQUIRE(decoded->size() == 1);
  const std::string row = csv_row((*decoded)[0]);
  CHECK(internal::is_valid_utf8(row));
  CHECK(row.find(",R06.01.15,") != std::string::npos);  // unparsed date: the text as received
  CHECK(row.find(",ab\xEF\xBF\xBD"
                 "cd,") != std::string::npos);   // repaired text: U+FFFD, never 0xFF
  CHECK(row.find(",-1,") != std::string::npos);  // negative 使用量 is a value

  std::size_t pos = 0;
  auto fields = read_csv_row(row, pos);
  REQUIRE(fields.ok());
  REQUIRE(fields->size() == catalog<DrugRecord>().size() + 2);
  CHECK_FALSE((*fields)[0].has_value());  // カナ氏名 absent
  REQUIRE((*fields)[2].has_value());      // 氏名 present and empty
  CHECK((*fields)[2]->empty());
  REQUIRE((*fields)[fields->size() - 2].has_value());
  const std::string issues = *(*fields)[fields->size() - 2];
  CHECK(issues.find("item 17 調剤日: unparsed_value") != std::string::npos);
  CHECK(issues.find("item 24 薬剤名: text_repaired") != std::string::npos);
  CHECK(issues.find("unknown_item") != std::string::npos);
  CHECK(issues.find("duplicate_item") != std::string::npos);
  CHECK(issues.find("R06") == std::string::npos);  // never the value
  // The extra items with their values: the key that is no item and the second 使用量.
  REQUIRE(fields->back().has_value());
  CHECK(*fields->back() == R"([{"item":0,"key":"備考","value":"x, \"y\""},{"item":26,"key":"使用量","value":"2"}])");

  // A clean record has an empty issues column.
  DrugRecord clean;
  clean.name = Text("山田");
  const std::string clean_row = csv_row(clean);
  CHECK(clean_row.substr(clean_row.size() - 4) == ",,\r\n");
}
